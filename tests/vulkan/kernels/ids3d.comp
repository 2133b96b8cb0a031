#version 460
// ids3d(uint* out): for a 3-D grid of 3-D blocks, out[global linear id] = packed
// (thread x, y, z, block x) so the host can check every dimension's mapping.
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(push_constant, std430) uniform Args { Uints out_; } args;
void main() {
  const uvec3 size = gl_NumWorkGroups * gl_WorkGroupSize;
  const uvec3 g = gl_GlobalInvocationID;
  const uint linear = g.x + size.x * (g.y + size.y * g.z);
  const uvec3 t = gl_LocalInvocationID;
  args.out_.v[linear] = t.x | (t.y << 8) | (t.z << 16) | (gl_WorkGroupID.z << 24);
}
