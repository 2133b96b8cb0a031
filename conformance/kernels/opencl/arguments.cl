/* CTS kernels 6 and 7: value arguments of every size and a 64-byte struct by value. */
#include "cts_opencl_util.h"

__kernel void cts_args_many(__global uint64_t* out, uint8_t a0, uint16_t a1, uint32_t a2,
                            uint64_t a3, int8_t a4, int16_t a5, int32_t a6, int64_t a7, float a8,
                            uint8_t a9, uint64_t a10, uint16_t a11, uint8_t a12, uint32_t a13,
                            int8_t a14, uint64_t a15) {
  if (!cts_is_first_thread()) return;
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = (uint64_t)(int64_t)a4;
  out[5] = (uint64_t)(int64_t)a5;
  out[6] = (uint64_t)(int64_t)a6;
  out[7] = (uint64_t)a7;
  out[8] = as_uint(a8);
  out[9] = a9;
  out[10] = a10;
  out[11] = a11;
  out[12] = a12;
  out[13] = a13;
  out[14] = (uint64_t)(int64_t)a14;
  out[15] = a15;
}

__kernel void cts_args_struct(__global uint64_t* out, uint32_t tag, cts_struct64_t s,
                              uint8_t tail) {
  if (!cts_is_first_thread()) return;
  out[0] = tag;
  for (int k = 0; k < 4; ++k) out[1 + k] = s.u32[k];
  for (int k = 0; k < 4; ++k) out[5 + k] = as_uint(s.f32[k]);
  for (int k = 0; k < 2; ++k) out[9 + k] = (uint64_t)s.i64[k];
  for (int k = 0; k < 2; ++k) out[11 + k] = s.u64[k];
  out[13] = tail;
}
