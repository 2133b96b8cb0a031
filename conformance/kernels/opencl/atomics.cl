/* CTS kernels 11-13: 32- and 64-bit integer atomics and float atomic add. OpenCL C 1.2 atomics
 * (atomic_*) for 32 bits; cl_khr_int64_base_atomics / cl_khr_int64_extended_atomics (atom_*)
 * for 64 bits. Every atomic returns the value before the operation. */
#include "cts_opencl_util.h"

#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable
#pragma OPENCL EXTENSION cl_khr_int64_extended_atomics : enable

__kernel void cts_atomic32(uint32_t n, __global uint32_t* u, __global int32_t* s,
                           __global uint32_t* old) {
  const uint32_t i = cts_gx();
  if (i >= n) return;
  const uint32_t h = i * CTS_H32_MUL;
  old[i] = atomic_add(&u[0], 1u);
  atomic_max(&u[1], h); /* the uint overloads: unsigned comparison */
  atomic_min(&u[2], h);
  old[n + i] = atomic_xchg(&u[3], i + 1u);
  uint32_t cur = atomic_add(&u[4], 0u);
  for (;;) {
    const uint32_t prev = atomic_cmpxchg(&u[4], cur, cur + 3u);
    if (prev == cur) break;
    cur = prev;
  }
  atomic_add(&s[0], (int32_t)(i & 255u) - 128);
  atomic_min(&s[1], (int32_t)h); /* the int overloads: signed comparison */
  atomic_max(&s[2], (int32_t)h);
}

__kernel void cts_atomic64(uint32_t n, __global uint64_t* u, __global int64_t* s,
                           __global uint64_t* old) {
  const uint32_t i = cts_gx();
  if (i >= n) return;
  const uint64_t h = (uint64_t)i * CTS_H64_MUL;
  old[i] = atom_add(&u[0], (uint64_t)0x100000001ul);
  atom_max(&u[1], h);
  atom_min(&u[2], h);
  old[n + i] = atom_xchg(&u[3], (uint64_t)i + 0x100000001ul);
  uint64_t cur = atom_add(&u[4], (uint64_t)0);
  for (;;) {
    const uint64_t prev = atom_cmpxchg(&u[4], cur, cur + 3u);
    if (prev == cur) break;
    cur = prev;
  }
  atom_add(&s[0], (int64_t)(i & 255u) - 128);
  atom_min(&s[1], (int64_t)h);
  atom_max(&s[2], (int64_t)h);
}

/* OpenCL C 1.2 has no float atomics: a compare-and-swap loop on the bit pattern. */
__kernel void cts_atomic_f32(uint32_t n, __global float* f) {
  if (cts_gx() >= n) return;
  __global volatile uint32_t* word = (__global volatile uint32_t*)&f[0];
  uint32_t cur = *word;
  for (;;) {
    const uint32_t prev = atomic_cmpxchg(word, cur, as_uint(as_float(cur) + 0.5f));
    if (prev == cur) break;
    cur = prev;
  }
}
