// CTS kernels 6 and 7: value arguments of every size and a 64-byte struct by value.
#include "../cts_types.h"
#include "cts_kernel_util.h"

// Union punning: defined in C, and a documented extension of GCC, Clang and nvcc.
OHAL_DEVICE inline uint64_t cts_float_bits(float value) {
  union {
    float f;
    uint32_t u;
  } pun;
  pun.f = value;
  return pun.u;
}

OHAL_KERNEL(cts_args_many, uint64_t* out, uint8_t a0, uint16_t a1, uint32_t a2, uint64_t a3,
            int8_t a4, int16_t a5, int32_t a6, int64_t a7, float a8, uint8_t a9, uint64_t a10,
            uint16_t a11, uint8_t a12, uint32_t a13, int8_t a14, uint64_t a15) {
  if (!cts_is_first_thread()) return;
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = (uint64_t)(int64_t)a4;
  out[5] = (uint64_t)(int64_t)a5;
  out[6] = (uint64_t)(int64_t)a6;
  out[7] = (uint64_t)a7;
  out[8] = cts_float_bits(a8);
  out[9] = a9;
  out[10] = a10;
  out[11] = a11;
  out[12] = a12;
  out[13] = a13;
  out[14] = (uint64_t)(int64_t)a14;
  out[15] = a15;
}

OHAL_KERNEL(cts_args_struct, uint64_t* out, uint32_t tag, cts_struct64_t s, uint8_t tail) {
  if (!cts_is_first_thread()) return;
  out[0] = tag;
  for (int k = 0; k < 4; ++k) out[1 + k] = s.u32[k];
  for (int k = 0; k < 4; ++k) out[5 + k] = cts_float_bits(s.f32[k]);
  for (int k = 0; k < 2; ++k) out[9 + k] = (uint64_t)s.i64[k];
  for (int k = 0; k < 2; ++k) out[11 + k] = s.u64[k];
  out[13] = tail;
}
