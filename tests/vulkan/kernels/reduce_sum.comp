#version 460
// reduce_sum(const float* in, float* out, uint n): out[block] = sum of the block's elements,
// a tree reduction in dynamic shared memory (blockDim floats) with barrier().
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(constant_id = 3) const uint OHAL_SHARED_BYTES = 16;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant, std430) uniform Args {
  Floats in_;
  Floats out_;
  uint n;
} args;
shared float partial[(OHAL_SHARED_BYTES + 3) / 4];
void main() {
  const uint t = gl_LocalInvocationID.x, i = gl_GlobalInvocationID.x;
  partial[t] = i < args.n ? args.in_.v[i] : 0.0;
  barrier();
  for (uint stride = gl_WorkGroupSize.x / 2; stride > 0; stride /= 2) {
    if (t < stride) partial[t] += partial[t + stride];
    barrier();
  }
  if (t == 0) args.out_.v[gl_WorkGroupID.x] = partial[0];
}
