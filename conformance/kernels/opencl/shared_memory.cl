/* CTS kernels 8-10: static and dynamic shared (__local) memory, barriers. */
#include "cts_opencl_util.h"

__kernel void cts_reduce_static(__global const uint32_t* in, uint32_t n, __global uint32_t* out) {
  __local uint32_t sh[CTS_REDUCE_MAX_BLOCK];
  const uint32_t t = cts_tx();
  const uint32_t bd = cts_bdx();
  const uint32_t stride = cts_gdx() * bd;
  uint32_t sum = 0;
  for (uint32_t i = cts_bx() * bd + t; i < n; i += stride) sum += in[i];
  sh[t] = sum;
  cts_barrier();
  uint32_t p = 1;
  while (p < bd) p *= 2u;
  for (uint32_t s = p / 2u; s > 0; s /= 2u) {
    if (t < s && t + s < bd) sh[t] += sh[t + s];
    cts_barrier();
  }
  if (t == 0) out[cts_bx()] = sh[0];
}

/* Dynamic shared memory: the trailing __local parameter that the launch does not pass; the
 * Level Zero backend binds it to the launch's shared_bytes (docs/BACKENDS.md). */
__kernel void cts_dynamic_reverse(__global const uint32_t* in, __global uint32_t* out,
                                  uint32_t words, __local uint32_t* sh) {
  const uint32_t t = cts_tx();
  const uint32_t bd = cts_bdx();
  const uint32_t base = cts_bx() * words;
  for (uint32_t i = t; i < words; i += bd) sh[i] = in[base + i];
  cts_barrier();
  for (uint32_t i = t; i < words; i += bd) out[base + i] = sh[words - 1u - i];
}

__kernel void cts_matmul_tiled(__global const float* a, __global const float* b, __global float* c,
                               uint32_t n) {
  __local float ta[CTS_MATMUL_MAX_TILE * CTS_MATMUL_MAX_TILE];
  __local float tb[CTS_MATMUL_MAX_TILE * CTS_MATMUL_MAX_TILE];
  const uint32_t tile = cts_bdx();
  const uint32_t tx = cts_tx();
  const uint32_t ty = cts_ty();
  const uint32_t row = cts_by() * tile + ty;
  const uint32_t col = cts_bx() * tile + tx;
  const uint32_t w = CTS_MATMUL_MAX_TILE;
  float acc = 0.0f;
  for (uint32_t k0 = 0; k0 < n; k0 += tile) {
    ta[ty * w + tx] = (row < n && k0 + tx < n) ? a[row * n + k0 + tx] : 0.0f;
    tb[ty * w + tx] = (k0 + ty < n && col < n) ? b[(k0 + ty) * n + col] : 0.0f;
    cts_barrier();
    for (uint32_t k = 0; k < tile; ++k) acc += ta[ty * w + k] * tb[k * w + tx];
    cts_barrier();
  }
  if (row < n && col < n) c[row * n + col] = acc;
}
