// Sample kernel for ohal_add_hsaco's test. TODO: switch to "openai_hal/kernel.h" (OHAL_KERNEL)
// once the dialect header lands, so the HSACO path is tested on the single-source dialect.
#include <hip/hip_runtime.h>
#include <stdint.h>

extern "C" __global__ void saxpy(uint32_t n, float a, const float* x, float* y) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}
