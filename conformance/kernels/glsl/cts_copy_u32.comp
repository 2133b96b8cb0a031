#version 460
// cts_copy_u32(uint32_t* dst, const uint32_t* src, uint32_t n): dst[gx] = src[gx] for gx < n.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  CtsU32 dst;
  CtsU32In src;
  uint n;
} args;
void main() {
  const uint i = cts_gx();
  if (i < args.n) args.dst.v[i] = args.src.v[i];
}
