#version 460
// spin_add(uint* data, uint n, uint rounds): data[i] += rounds, one at a time (slow on purpose,
// so that a later stream that forgot to wait would read a stale value).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) coherent buffer Uints { uint v[]; };
layout(push_constant, std430) uniform Args {
  Uints data;
  uint n;
  uint rounds;
} args;
void main() {
  const uint i = gl_GlobalInvocationID.x;
  if (i >= args.n) return;
  for (uint r = 0; r < args.rounds; ++r) args.data.v[i] = args.data.v[i] + 1u;
}
