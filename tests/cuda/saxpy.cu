// Built with nvcc into a CUBIN and a FATBIN for the module-image tests.
#include <stdint.h>

extern "C" __global__ void saxpy(uint32_t n, float a, const float* x, float* y) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}
