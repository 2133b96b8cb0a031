// CTS kernels 1-4 and 17: the element-wise basics (conformance/README.md).
#include "cts_kernel_util.h"

OHAL_KERNEL(cts_noop) {}

OHAL_KERNEL(cts_fill_u32, uint32_t* out, uint32_t n, uint32_t value) {
  const uint32_t i = cts_gx();
  if (i < n) out[i] = value;
}

OHAL_KERNEL(cts_copy_u32, uint32_t* dst, const uint32_t* src, uint32_t n) {
  const uint32_t i = cts_gx();
  if (i < n) dst[i] = src[i];
}

OHAL_KERNEL(cts_saxpy, uint32_t n, float a, const float* x, float* y) {
  const uint32_t i = cts_gx();
  if (i < n) y[i] = a * x[i] + y[i];
}

// Non-atomic on purpose: only stream order makes repeated launches exact.
OHAL_KERNEL(cts_inc, uint32_t* counter) {
  if (cts_is_first_thread()) counter[0] += 1u;
}
