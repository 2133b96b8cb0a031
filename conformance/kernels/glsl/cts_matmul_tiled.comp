#version 460
// cts_matmul_tiled(const float* a, const float* b, float* c, uint32_t n): c = a * b (row-major
// n x n), tiled through static shared memory (8192 bytes); block (T, T, 1), T <= 32.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  CtsF32In a;
  CtsF32In b;
  CtsF32 c;
  uint n;
} args;
const uint W = 32u;
shared float ta[W * W];
shared float tb[W * W];
void main() {
  const uint tile = gl_WorkGroupSize.x;
  const uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
  const uint n = args.n;
  const uint row = gl_WorkGroupID.y * tile + ty;
  const uint col = gl_WorkGroupID.x * tile + tx;
  float acc = 0.0;
  for (uint k0 = 0u; k0 < n; k0 += tile) {
    ta[ty * W + tx] = (row < n && k0 + tx < n) ? args.a.v[row * n + k0 + tx] : 0.0;
    tb[ty * W + tx] = (k0 + ty < n && col < n) ? args.b.v[(k0 + ty) * n + col] : 0.0;
    barrier();
    for (uint k = 0u; k < tile; ++k) acc += ta[ty * W + k] * tb[k * W + tx];
    barrier();
  }
  if (row < n && col < n) args.c.v[row * n + col] = acc;
}
