#version 460
// atomic_add64(uint64_t* sum, uint n): sum += i for every i < n (64-bit atomics).
#extension GL_EXT_buffer_reference : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_shader_atomic_int64 : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 8) buffer U64 { uint64_t v[]; };
layout(push_constant, std430) uniform Args {
  U64 sum;
  uint n;
} args;
void main() {
  const uint i = gl_GlobalInvocationID.x;
  if (i < args.n) atomicAdd(args.sum.v[0], uint64_t(i) << 32);
}
