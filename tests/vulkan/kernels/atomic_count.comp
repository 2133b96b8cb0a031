#version 460
// atomic_count(uint* counter, uint* bins, uint n): counter += n, bins[i % 16] += 1.
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(push_constant, std430) uniform Args {
  Uints counter;
  Uints bins;
  uint n;
} args;
void main() {
  const uint i = gl_GlobalInvocationID.x;
  if (i >= args.n) return;
  atomicAdd(args.counter.v[0], 1u);
  atomicAdd(args.bins.v[i % 16u], 1u);
}
