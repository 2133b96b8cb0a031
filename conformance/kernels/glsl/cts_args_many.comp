#version 460
// cts_args_many(uint64_t* out, uint8_t a0, uint16_t a1, uint32_t a2, uint64_t a3, int8_t a4,
//               int16_t a5, int32_t a6, int64_t a7, float a8, uint8_t a9, uint64_t a10,
//               uint16_t a11, uint8_t a12, uint32_t a13, int8_t a14, uint64_t a15):
// the first thread writes out[k] = a<k> widened to 64 bits (signed ones sign-extended, a8 as
// its bit pattern). std430 puts every member where a C compiler does (80 bytes).
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
#extension GL_EXT_shader_explicit_arithmetic_types_int16 : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#extension GL_EXT_shader_8bit_storage : require
#extension GL_EXT_shader_16bit_storage : require
#include "cts_glsl.h"
layout(buffer_reference, std430, buffer_reference_align = 8) buffer CtsU64 { uint64_t v[]; };
layout(push_constant, std430) uniform Args {
  CtsU64 out_;
  uint8_t a0;
  uint16_t a1;
  uint a2;
  uint64_t a3;
  int8_t a4;
  int16_t a5;
  int a6;
  int64_t a7;
  float a8;
  uint8_t a9;
  uint64_t a10;
  uint16_t a11;
  uint8_t a12;
  uint a13;
  int8_t a14;
  uint64_t a15;
} args;
void main() {
  if (!cts_is_first_thread()) return;
  args.out_.v[0] = uint64_t(args.a0);
  args.out_.v[1] = uint64_t(args.a1);
  args.out_.v[2] = uint64_t(args.a2);
  args.out_.v[3] = args.a3;
  args.out_.v[4] = uint64_t(int64_t(args.a4));
  args.out_.v[5] = uint64_t(int64_t(args.a5));
  args.out_.v[6] = uint64_t(int64_t(args.a6));
  args.out_.v[7] = uint64_t(args.a7);
  args.out_.v[8] = uint64_t(floatBitsToUint(args.a8));
  args.out_.v[9] = uint64_t(args.a9);
  args.out_.v[10] = args.a10;
  args.out_.v[11] = uint64_t(args.a11);
  args.out_.v[12] = uint64_t(args.a12);
  args.out_.v[13] = uint64_t(args.a13);
  args.out_.v[14] = uint64_t(int64_t(args.a14));
  args.out_.v[15] = args.a15;
}
