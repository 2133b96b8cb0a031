#version 460
// ohal_bench_saxpy(uint32_t n, float a, const float* x, float* y): y = a * x + y, one element
// per thread (bench_kernels.cpp's kernel of that name).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) readonly buffer FloatsIn { float v[]; };
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant, std430) uniform Args {
  uint n;
  float a;
  FloatsIn x;
  Floats y;
} args;
void main() {
  const uint i = gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
  if (i < args.n) args.y.v[i] = args.a * args.x.v[i] + args.y.v[i];
}
