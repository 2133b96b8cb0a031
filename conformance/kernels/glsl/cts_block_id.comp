#version 460
// cts_block_id(uint32_t* out): thread zero of every block writes its linear block index b at
// out[b], b = (bz * gdy + by) * gdx + bx.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args { CtsU32 out_; } args;
void main() {
  if (!cts_is_thread_zero()) return;
  const uvec3 b = gl_WorkGroupID, gd = gl_NumWorkGroups;
  const uint id = (b.z * gd.y + b.y) * gd.x + b.x;
  args.out_.v[id] = id;
}
