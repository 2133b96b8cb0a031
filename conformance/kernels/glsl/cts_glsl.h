// Shared declarations of the CTS kernels in GLSL (conformance/README.md, "The CTS kernel set").
// Block size comes from the launch (specialization constants 0..2, docs/VULKAN_KERNELS.md);
// pointers are buffer_reference types (8 bytes, the C pointer of the argument list).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;

layout(buffer_reference, std430, buffer_reference_align = 4) buffer CtsU32 {
  uint v[];
};
layout(buffer_reference, std430, buffer_reference_align = 4) readonly buffer CtsU32In {
  uint v[];
};
layout(buffer_reference, std430, buffer_reference_align = 4) buffer CtsF32 {
  float v[];
};
layout(buffer_reference, std430, buffer_reference_align = 4) readonly buffer CtsF32In {
  float v[];
};
layout(buffer_reference, std430, buffer_reference_align = 4) buffer CtsI32 {
  int v[];
};

#define CTS_H32_MUL 2654435761u
#define CTS_LCG_MUL 1664525u
#define CTS_LCG_ADD 1013904223u

// gx = bx * bdx + tx, unsigned 32-bit.
uint cts_gx() {
  return gl_WorkGroupID.x * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
}

bool cts_is_thread_zero() {
  return all(equal(gl_LocalInvocationID, uvec3(0)));
}

// Thread zero of block (0,0,0).
bool cts_is_first_thread() {
  return cts_is_thread_zero() && all(equal(gl_WorkGroupID, uvec3(0)));
}
