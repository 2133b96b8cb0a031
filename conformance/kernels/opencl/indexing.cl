/* CTS kernels 5 and 15: index write-back for 3-D launches and grid-limit tests. */
#include "cts_opencl_util.h"

__kernel void cts_index_3d(__global uint32_t* out) {
  const uint32_t wx = cts_gdx() * cts_bdx();
  const uint32_t wy = cts_gdy() * cts_bdy();
  const uint32_t gx = cts_bx() * cts_bdx() + cts_tx();
  const uint32_t gy = cts_by() * cts_bdy() + cts_ty();
  const uint32_t gz = cts_bz() * cts_bdz() + cts_tz();
  __global uint32_t* record = out + 12u * ((gz * wy + gy) * wx + gx);
  record[0] = cts_tx();
  record[1] = cts_ty();
  record[2] = cts_tz();
  record[3] = cts_bx();
  record[4] = cts_by();
  record[5] = cts_bz();
  record[6] = cts_bdx();
  record[7] = cts_bdy();
  record[8] = cts_bdz();
  record[9] = cts_gdx();
  record[10] = cts_gdy();
  record[11] = cts_gdz();
}

__kernel void cts_block_id(__global uint32_t* out) {
  if (!cts_is_thread_zero()) return;
  const uint32_t b = (cts_bz() * cts_gdy() + cts_by()) * cts_gdx() + cts_bx();
  out[b] = b;
}
