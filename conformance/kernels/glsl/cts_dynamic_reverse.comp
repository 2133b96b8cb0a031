#version 460
// cts_dynamic_reverse(const uint32_t* in, uint32_t* out, uint32_t words): each block reverses
// its `words` words through the launch's dynamic shared memory (specialization constant 3).
#include "cts_glsl.h"
layout(constant_id = 3) const uint OHAL_SHARED_BYTES = 16;
shared uint sh[(OHAL_SHARED_BYTES + 3) / 4];
layout(push_constant, std430) uniform Args {
  CtsU32In in_;
  CtsU32 out_;
  uint words;
} args;
void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint bd = gl_WorkGroupSize.x;
  const uint base = gl_WorkGroupID.x * args.words;
  for (uint i = t; i < args.words; i += bd) sh[i] = args.in_.v[base + i];
  barrier();
  for (uint i = t; i < args.words; i += bd) args.out_.v[base + i] = sh[args.words - 1u - i];
}
