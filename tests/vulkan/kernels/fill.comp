#version 460
// fill(float* out, float value, uint n): out[i] = value.
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant, std430) uniform Args {
  Floats out_;
  float value;
  uint n;
} args;
void main() {
  const uint i = gl_GlobalInvocationID.x;
  if (i < args.n) args.out_.v[i] = args.value;
}
