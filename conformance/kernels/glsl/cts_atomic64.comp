#version 460
// cts_atomic64(uint32_t n, uint64_t* u, int64_t* s, uint64_t* old): cts_atomic32 on 64-bit
// words (shaderBufferInt64Atomics).
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_shader_atomic_int64 : require
#include "cts_glsl.h"
layout(buffer_reference, std430, buffer_reference_align = 8) buffer CtsU64 { uint64_t v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) buffer CtsI64 { int64_t v[]; };
layout(push_constant, std430) uniform Args {
  uint n;
  CtsU64 u;
  CtsI64 s;
  CtsU64 old;
} args;
void main() {
  const uint i = cts_gx();
  if (i >= args.n) return;
  const uint64_t h = uint64_t(i) * 0x9E3779B97F4A7C15ul;
  args.old.v[i] = atomicAdd(args.u.v[0], 0x100000001ul);
  atomicMax(args.u.v[1], h);
  atomicMin(args.u.v[2], h);
  args.old.v[args.n + i] = atomicExchange(args.u.v[3], uint64_t(i) + 0x100000001ul);
  uint64_t cur = atomicAdd(args.u.v[4], 0ul);
  for (;;) {
    const uint64_t prev = atomicCompSwap(args.u.v[4], cur, cur + 3ul);
    if (prev == cur) break;
    cur = prev;
  }
  atomicAdd(args.s.v[0], int64_t(int(i & 255u) - 128));
  atomicMin(args.s.v[1], int64_t(h));
  atomicMax(args.s.v[2], int64_t(h));
}
