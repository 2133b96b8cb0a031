#version 460
// The saxpy kernel of examples/saxpy.c in GLSL for the Vulkan backend (SPIRV_VULKAN), with the
// arguments of kernels/saxpy.cpp: saxpy(uint32_t n, float a, const float* x, float* y).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;  // the launch's block
layout(buffer_reference, std430, buffer_reference_align = 4) readonly buffer FloatsIn { float v[]; };
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant, std430) uniform Args {  // the arguments, in order, with C layout
  uint n;
  float a;
  FloatsIn x;  // pointers: 8 bytes
  Floats y;
} args;
void main() {
  const uint i = gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
  if (i < args.n) args.y.v[i] = args.a * args.x.v[i] + args.y.v[i];
}
