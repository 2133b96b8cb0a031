// CTS kernels 14 and 16: a long-running kernel (ordering tests) and a trapping one (sticky
// errors).
#include "../cts_types.h"
#include "cts_kernel_util.h"

OHAL_KERNEL(cts_spin, uint32_t* out, uint32_t iterations, uint32_t value) {
  if (!cts_is_first_thread()) return;
  uint32_t x = value;
  // Each step depends on the previous one, so no compiler can shorten the loop.
  for (uint32_t k = 0; k < iterations; ++k) x = x * CTS_LCG_MUL + CTS_LCG_ADD;
  out[1] = x;
  out[0] = value;
}

OHAL_KERNEL(cts_trap, uint32_t* out, uint32_t trap_block) {
  if (!cts_is_thread_zero()) return;
  if (ohal_block_idx_x() == trap_block) ohal_trap();
  out[ohal_block_idx_x()] = 1u;
}
