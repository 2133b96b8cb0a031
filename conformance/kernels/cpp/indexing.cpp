// CTS kernels 5 and 15: index write-back for 3-D launches and grid-limit tests.
#include "cts_kernel_util.h"

OHAL_KERNEL(cts_index_3d, uint32_t* out) {
  const uint32_t wx = ohal_grid_dim_x() * ohal_block_dim_x();
  const uint32_t wy = ohal_grid_dim_y() * ohal_block_dim_y();
  const uint32_t gx = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
  const uint32_t gy = ohal_block_idx_y() * ohal_block_dim_y() + ohal_thread_idx_y();
  const uint32_t gz = ohal_block_idx_z() * ohal_block_dim_z() + ohal_thread_idx_z();
  uint32_t* record = out + 12u * ((gz * wy + gy) * wx + gx);
  record[0] = ohal_thread_idx_x();
  record[1] = ohal_thread_idx_y();
  record[2] = ohal_thread_idx_z();
  record[3] = ohal_block_idx_x();
  record[4] = ohal_block_idx_y();
  record[5] = ohal_block_idx_z();
  record[6] = ohal_block_dim_x();
  record[7] = ohal_block_dim_y();
  record[8] = ohal_block_dim_z();
  record[9] = ohal_grid_dim_x();
  record[10] = ohal_grid_dim_y();
  record[11] = ohal_grid_dim_z();
}

OHAL_KERNEL(cts_block_id, uint32_t* out) {
  if (!cts_is_thread_zero()) return;
  const uint32_t b =
      (ohal_block_idx_z() * ohal_grid_dim_y() + ohal_block_idx_y()) * ohal_grid_dim_x() +
      ohal_block_idx_x();
  out[b] = b;
}
