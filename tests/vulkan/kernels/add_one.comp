#version 460
// add_one(uint* data, uint n): data[i] += 1 (stream-ordering chains).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(push_constant, std430) uniform Args {
  Uints data;
  uint n;
} args;
void main() {
  const uint i = gl_GlobalInvocationID.x;
  if (i < args.n) args.data.v[i] += 1u;
}
