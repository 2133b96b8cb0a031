// CTS kernels 11-13: 32- and 64-bit integer atomics and float atomic add.
#include "../cts_types.h"
#include "cts_kernel_util.h"

OHAL_KERNEL(cts_atomic32, uint32_t n, uint32_t* u, int32_t* s, uint32_t* old) {
  const uint32_t i = cts_gx();
  if (i >= n) return;
  const uint32_t h = i * CTS_H32_MUL;
  old[i] = ohal_atomic_add(&u[0], 1u);
  ohal_atomic_max(&u[1], h);
  ohal_atomic_min(&u[2], h);
  old[n + i] = ohal_atomic_exch(&u[3], i + 1u);
  uint32_t cur = ohal_atomic_add(&u[4], 0u);
  for (;;) {
    const uint32_t prev = ohal_atomic_cas(&u[4], cur, cur + 3u);
    if (prev == cur) break;
    cur = prev;
  }
  ohal_atomic_add(&s[0], (int32_t)(i & 255u) - 128);
  ohal_atomic_min(&s[1], (int32_t)h);
  ohal_atomic_max(&s[2], (int32_t)h);
}

OHAL_KERNEL(cts_atomic64, uint32_t n, uint64_t* u, int64_t* s, uint64_t* old) {
  const uint32_t i = cts_gx();
  if (i >= n) return;
  const uint64_t h = (uint64_t)i * CTS_H64_MUL;
  old[i] = ohal_atomic_add(&u[0], (uint64_t)0x100000001ull);
  ohal_atomic_max(&u[1], h);
  ohal_atomic_min(&u[2], h);
  old[n + i] = ohal_atomic_exch(&u[3], (uint64_t)i + 0x100000001ull);
  uint64_t cur = ohal_atomic_add(&u[4], (uint64_t)0);
  for (;;) {
    const uint64_t prev = ohal_atomic_cas(&u[4], cur, cur + 3u);
    if (prev == cur) break;
    cur = prev;
  }
  ohal_atomic_add(&s[0], (int64_t)(i & 255u) - 128);
  ohal_atomic_min(&s[1], (int64_t)h);
  ohal_atomic_max(&s[2], (int64_t)h);
}

OHAL_KERNEL(cts_atomic_f32, uint32_t n, float* f) {
  if (cts_gx() < n) ohal_atomic_add(&f[0], 0.5f);
}
