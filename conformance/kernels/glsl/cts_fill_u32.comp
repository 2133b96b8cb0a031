#version 460
// cts_fill_u32(uint32_t* out, uint32_t n, uint32_t value): out[gx] = value for gx < n.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  CtsU32 out_;
  uint n;
  uint value;
} args;
void main() {
  const uint i = cts_gx();
  if (i < args.n) args.out_.v[i] = args.value;
}
