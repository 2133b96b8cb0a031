/* C types shared by the CTS kernels (every language) and the tests. C99 and C++. */
#ifndef OPENAI_HAL_CTS_TYPES_H
#define OPENAI_HAL_CTS_TYPES_H

#include <stdint.h>

/* The by-value struct argument of cts_args_struct: 64 bytes, alignment 8, no padding. */
typedef struct cts_struct64 {
  uint32_t u32[4]; /* offset  0 */
  float f32[4];    /* offset 16 */
  int64_t i64[2];  /* offset 32 */
  uint64_t u64[2]; /* offset 48 */
} cts_struct64_t;

#ifdef __cplusplus
static_assert(sizeof(cts_struct64_t) == 64, "cts_struct64_t must be 64 bytes");
static_assert(alignof(cts_struct64_t) == 8, "cts_struct64_t must be 8-byte aligned");
#endif

/* Constants of the kernel semantics (conformance/README.md). */
#define CTS_H32_MUL 2654435761u
#define CTS_H64_MUL 0x9E3779B97F4A7C15ull
#define CTS_LCG_MUL 1664525u
#define CTS_LCG_ADD 1013904223u
#define CTS_REDUCE_MAX_BLOCK 1024u
#define CTS_MATMUL_MAX_TILE 32u

#endif /* OPENAI_HAL_CTS_TYPES_H */
