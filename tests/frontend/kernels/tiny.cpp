// A one-kernel NATIVE_SO image for the bundle tests.
#include "openai_hal/kernel.h"

OHAL_KERNEL(write_block_index, uint32_t* out) {
  if (ohal_thread_idx_x() == 0) out[ohal_block_idx_x()] = ohal_block_idx_x() + 1;
}
