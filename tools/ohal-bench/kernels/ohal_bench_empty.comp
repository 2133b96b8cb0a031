#version 460
// ohal_bench_empty(uint32_t unused): does nothing (bench_kernels.cpp's kernel of that name).
// The argument is read once, behind a test that never passes: glslc -O drops an unread
// push-constant block, and the kernel would then take no argument.
// The extension only gives the module the other kernels' addressing model (spirv-link merges
// only modules that agree).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Unused { uint v[]; };
layout(push_constant, std430) uniform Args { uint unused; } args;
void main() {
  if (args.unused == 0xffffffffu) memoryBarrierBuffer();
}
