/* CTS kernel 14: a long-running kernel for the ordering tests.
 *
 * cts_trap (16, optional) is deliberately absent: OpenCL C has no device-side trap, and
 * clang-14's __builtin_trap() reaches SPIR-V only as OpUnreachable (undefined behaviour, not a
 * reported fault), so no kernel here could make a Level Zero launch fail the way the spec asks.
 * The CTS's sticky-error test skips with "kernel not in image" for this format instead. */
#include "cts_opencl_util.h"

__kernel void cts_spin(__global uint32_t* out, uint32_t iterations, uint32_t value) {
  if (!cts_is_first_thread()) return;
  uint32_t x = value;
  /* Each step depends on the previous one, so no compiler can shorten the loop. */
  for (uint32_t k = 0; k < iterations; ++k) x = x * CTS_LCG_MUL + CTS_LCG_ADD;
  out[1] = x;
  out[0] = value;
}
