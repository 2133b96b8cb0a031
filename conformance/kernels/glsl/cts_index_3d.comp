#version 460
// cts_index_3d(uint32_t* out): each thread of a 3-D launch writes its 12 index words at
// out[12 * g], g = (gz * Wy + gy) * Wx + gx.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args { CtsU32 out_; } args;
void main() {
  const uvec3 t = gl_LocalInvocationID, b = gl_WorkGroupID, bd = gl_WorkGroupSize;
  const uvec3 gd = gl_NumWorkGroups;
  const uint wx = gd.x * bd.x, wy = gd.y * bd.y;
  const uvec3 g = b * bd + t;
  const uint base = 12u * ((g.z * wy + g.y) * wx + g.x);
  args.out_.v[base + 0u] = t.x;
  args.out_.v[base + 1u] = t.y;
  args.out_.v[base + 2u] = t.z;
  args.out_.v[base + 3u] = b.x;
  args.out_.v[base + 4u] = b.y;
  args.out_.v[base + 5u] = b.z;
  args.out_.v[base + 6u] = bd.x;
  args.out_.v[base + 7u] = bd.y;
  args.out_.v[base + 8u] = bd.z;
  args.out_.v[base + 9u] = gd.x;
  args.out_.v[base + 10u] = gd.y;
  args.out_.v[base + 11u] = gd.z;
}
