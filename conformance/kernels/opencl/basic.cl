/* CTS kernels 1-4 and 17: the element-wise basics (conformance/README.md). */
#include "cts_opencl_util.h"

__kernel void cts_noop(void) {}

__kernel void cts_fill_u32(__global uint32_t* out, uint32_t n, uint32_t value) {
  const uint32_t i = cts_gx();
  if (i < n) out[i] = value;
}

__kernel void cts_copy_u32(__global uint32_t* dst, __global const uint32_t* src, uint32_t n) {
  const uint32_t i = cts_gx();
  if (i < n) dst[i] = src[i];
}

__kernel void cts_saxpy(uint32_t n, float a, __global const float* x, __global float* y) {
  const uint32_t i = cts_gx();
  if (i < n) y[i] = a * x[i] + y[i];
}

/* Non-atomic on purpose: only stream order makes repeated launches exact. */
__kernel void cts_inc(__global uint32_t* counter) {
  if (cts_is_first_thread()) counter[0] += 1u;
}
