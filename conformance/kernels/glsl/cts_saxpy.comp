#version 460
// cts_saxpy(uint32_t n, float a, const float* x, float* y): y[gx] = a * x[gx] + y[gx].
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  uint n;
  float a;
  CtsF32In x;
  CtsF32 y;
} args;
void main() {
  const uint i = cts_gx();
  if (i < args.n) args.y.v[i] = args.a * args.x.v[i] + args.y.v[i];
}
