// What the `atomics` test kernel updates, shared by the kernel and the test that checks it.
#pragma once

#include <stdint.h>

struct AtomicCounters {
  int32_t i32_sum;
  uint32_t u32_sum;
  int64_t i64_sum;
  uint64_t u64_sum;
  float f32_sum;
  int32_t i32_min;
  uint32_t u32_max;
  int64_t i64_min;
  uint64_t u64_max;
  int32_t i32_max;
  uint32_t u32_min;
  int64_t i64_max;
  uint64_t u64_min;
  uint32_t cas32;
  uint64_t cas64;
  uint32_t exch32;
  uint64_t exch64;
  int32_t exch_i32;
  int64_t exch_i64;
};
