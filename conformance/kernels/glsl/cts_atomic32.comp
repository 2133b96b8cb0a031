#version 460
// cts_atomic32(uint32_t n, uint32_t* u, int32_t* s, uint32_t* old): every 32-bit atomic on
// global memory; each thread i < n records what add and exchange returned.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  uint n;
  CtsU32 u;
  CtsI32 s;
  CtsU32 old;
} args;
void main() {
  const uint i = cts_gx();
  if (i >= args.n) return;
  const uint h = i * CTS_H32_MUL;
  args.old.v[i] = atomicAdd(args.u.v[0], 1u);
  atomicMax(args.u.v[1], h);
  atomicMin(args.u.v[2], h);
  args.old.v[args.n + i] = atomicExchange(args.u.v[3], i + 1u);
  uint cur = atomicAdd(args.u.v[4], 0u);
  for (;;) {
    const uint prev = atomicCompSwap(args.u.v[4], cur, cur + 3u);
    if (prev == cur) break;
    cur = prev;
  }
  atomicAdd(args.s.v[0], int(i & 255u) - 128);
  atomicMin(args.s.v[1], int(h));
  atomicMax(args.s.v[2], int(h));
}
