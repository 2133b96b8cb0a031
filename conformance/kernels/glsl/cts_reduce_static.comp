#version 460
// cts_reduce_static(const uint32_t* in, uint32_t n, uint32_t* out): block-wide tree reduction
// in static shared memory (4096 bytes); out[bx] = wrapping sum of the block's grid-stride share.
// The grid-stride loop reads 8 elements a turn: lavapipe ends a shader's loops after 65535
// back-edges in total, and a 1x1 launch over the tests' 100003 elements needs more.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  CtsU32In in_;
  uint n;
  CtsU32 out_;
} args;
shared uint sh[1024];
#define READ sum += args.in_.v[i]; i += stride;
void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint bd = gl_WorkGroupSize.x;
  const uint stride = gl_NumWorkGroups.x * bd;
  const uint first = gl_WorkGroupID.x * bd + t;
  // This thread's elements: first + k * stride < n for k < count.
  const uint count = first < args.n ? (args.n - 1u - first) / stride + 1u : 0u;
  uint sum = 0u, i = first, k = 0u;
  for (; count - k >= 8u; k += 8u) { READ READ READ READ READ READ READ READ }
  for (; k < count; ++k) { READ }
  sh[t] = sum;
  barrier();
  uint p = 1u;
  while (p < bd) p *= 2u;
  for (uint s = p / 2u; s > 0u; s /= 2u) {
    if (t < s && t + s < bd) sh[t] += sh[t + s];
    barrier();
  }
  if (t == 0u) args.out_.v[gl_WorkGroupID.x] = sh[0];
}
