// ohal-bench kernels in the kernel.h dialect. One source for every backend that takes kernel.h
// C++: the host compiler builds the cpu_ref NATIVE_SO image, nvcc the CUDA PTX image.
// Names and signatures are the contract with tools/ohal-bench/hal_ops.cpp; a backend that needs
// its own language (GLSL for Vulkan) provides kernels of the same names and argument layouts.
#include "openai_hal/kernel.h"

#include <stdint.h>

// Does nothing: what launch latency and throughput measure is the launch path alone.
// It takes one argument: a variadic macro called with no variadic arguments needs C++20, and
// nvcc compiles as C++17 by default.
OHAL_KERNEL(ohal_bench_empty, uint32_t unused) {
  (void)unused;
}

// y = a * x + y, one element per thread (the way a GPU programmer writes it).
OHAL_KERNEL(ohal_bench_saxpy, uint32_t n, float a, const float* x, float* y) {
  const uint32_t i = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
  if (i < n) y[i] = a * x[i] + y[i];
}

// Block reduction: block b sums the contiguous chunk [b * block * items, (b + 1) * block * items)
// of x into partial[b]. Each thread first accumulates `items` elements strided by the block size
// (coalesced on a GPU), then the block folds the 256 per-thread sums in shared memory with a
// barrier per step. The block size must be OHAL_BENCH_REDUCE_BLOCK (a power of two).
#define OHAL_BENCH_REDUCE_BLOCK 256u
OHAL_KERNEL(ohal_bench_block_reduce, uint32_t n, uint32_t items, const float* x, float* partial) {
  OHAL_SHARED_ARRAY(float, sums, OHAL_BENCH_REDUCE_BLOCK);
  const uint32_t t = ohal_thread_idx_x();
  const uint32_t block = ohal_block_dim_x();
  const uint64_t begin = (uint64_t)ohal_block_idx_x() * block * items;
  float sum = 0.0f;
  for (uint32_t k = 0; k < items; ++k) {
    const uint64_t i = begin + (uint64_t)k * block + t;
    if (i < n) sum += x[i];
  }
  sums[t] = sum;
  ohal_barrier();
  for (uint32_t stride = block / 2; stride > 0; stride /= 2) {
    if (t < stride) sums[t] += sums[t + stride];
    ohal_barrier();
  }
  if (t == 0) partial[ohal_block_idx_x()] = sums[0];
}
