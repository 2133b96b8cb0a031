// The saxpy kernel of examples/saxpy.c in the single-source dialect (cpu_ref, CUDA, HIP).
#include "openai_hal/kernel.h"

OHAL_KERNEL(saxpy, uint32_t n, float a, const float* x, float* y) {
  const uint32_t i = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
  if (i < n) y[i] = a * x[i] + y[i];
}
