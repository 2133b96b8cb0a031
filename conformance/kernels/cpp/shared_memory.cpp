// CTS kernels 8-10: static and dynamic shared memory, barriers.
#include "../cts_types.h"
#include "cts_kernel_util.h"

OHAL_KERNEL(cts_reduce_static, const uint32_t* in, uint32_t n, uint32_t* out) {
  OHAL_SHARED_ARRAY(uint32_t, sh, CTS_REDUCE_MAX_BLOCK);
  const uint32_t t = ohal_thread_idx_x();
  const uint32_t bd = ohal_block_dim_x();
  const uint32_t stride = ohal_grid_dim_x() * bd;
  uint32_t sum = 0;
  for (uint32_t i = ohal_block_idx_x() * bd + t; i < n; i += stride) sum += in[i];
  sh[t] = sum;
  ohal_barrier();
  uint32_t p = 1;
  while (p < bd) p *= 2u;
  for (uint32_t s = p / 2u; s > 0; s /= 2u) {
    if (t < s && t + s < bd) sh[t] += sh[t + s];
    ohal_barrier();
  }
  if (t == 0) out[ohal_block_idx_x()] = sh[0];
}

OHAL_KERNEL(cts_dynamic_reverse, const uint32_t* in, uint32_t* out, uint32_t words) {
  OHAL_DYNAMIC_SHARED(uint32_t, sh);
  const uint32_t t = ohal_thread_idx_x();
  const uint32_t bd = ohal_block_dim_x();
  const uint32_t base = ohal_block_idx_x() * words;
  for (uint32_t i = t; i < words; i += bd) sh[i] = in[base + i];
  ohal_barrier();
  for (uint32_t i = t; i < words; i += bd) out[base + i] = sh[words - 1u - i];
}

OHAL_KERNEL(cts_matmul_tiled, const float* a, const float* b, float* c, uint32_t n) {
  OHAL_SHARED_ARRAY(float, ta, CTS_MATMUL_MAX_TILE* CTS_MATMUL_MAX_TILE);
  OHAL_SHARED_ARRAY(float, tb, CTS_MATMUL_MAX_TILE* CTS_MATMUL_MAX_TILE);
  const uint32_t tile = ohal_block_dim_x();
  const uint32_t tx = ohal_thread_idx_x();
  const uint32_t ty = ohal_thread_idx_y();
  const uint32_t row = ohal_block_idx_y() * tile + ty;
  const uint32_t col = ohal_block_idx_x() * tile + tx;
  const uint32_t w = CTS_MATMUL_MAX_TILE;
  float acc = 0.0f;
  for (uint32_t k0 = 0; k0 < n; k0 += tile) {
    ta[ty * w + tx] = (row < n && k0 + tx < n) ? a[row * n + k0 + tx] : 0.0f;
    tb[ty * w + tx] = (k0 + ty < n && col < n) ? b[(k0 + ty) * n + col] : 0.0f;
    ohal_barrier();
    for (uint32_t k = 0; k < tile; ++k) acc += ta[ty * w + k] * tb[k * w + tx];
    ohal_barrier();
  }
  if (row < n && col < n) c[row * n + col] = acc;
}
