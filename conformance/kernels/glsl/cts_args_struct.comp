#version 460
// cts_args_struct(uint64_t* out, uint32_t tag, cts_struct64_t s, uint8_t tail): the first
// thread writes tag, s's 12 members widened to 64 bits (floats as bit patterns) and tail to
// out[0..13]. CtsStruct64 has cts_struct64_t's C layout under std430 (64 bytes, aligned 8).
// The arguments come through a readonly argument block (docs/VULKAN_KERNELS.md, "Large
// argument lists"), not push constants: Khronos validation 1.3.239 crashes in
// vkCreateShaderModule on this module when a push-constant block holds a struct or an array.
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_shader_8bit_storage : require
#include "cts_glsl.h"
layout(buffer_reference, std430, buffer_reference_align = 8) buffer CtsU64 { uint64_t v[]; };
struct CtsStruct64 {
  uint u32[4];
  float f32[4];
  int64_t i64[2];
  uint64_t u64[2];
};
layout(buffer_reference, std430, buffer_reference_align = 8) readonly buffer CtsArgsStruct {
  CtsU64 out_;
  uint tag;
  CtsStruct64 s;
  uint8_t tail;
};
layout(push_constant, std430) uniform Push { CtsArgsStruct ohal_args; };
void main() {
  if (!cts_is_first_thread()) return;
  CtsU64 out_ = ohal_args.out_;
  out_.v[0] = uint64_t(ohal_args.tag);
  for (int k = 0; k < 4; ++k) out_.v[1 + k] = uint64_t(ohal_args.s.u32[k]);
  for (int k = 0; k < 4; ++k) out_.v[5 + k] = uint64_t(floatBitsToUint(ohal_args.s.f32[k]));
  for (int k = 0; k < 2; ++k) out_.v[9 + k] = uint64_t(ohal_args.s.i64[k]);
  for (int k = 0; k < 2; ++k) out_.v[11 + k] = ohal_args.s.u64[k];
  out_.v[13] = uint64_t(ohal_args.tail);
}
