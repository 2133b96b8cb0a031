/* Shared types and index helpers of the OpenCL C port of the CTS kernel set
 * (conformance/README.md, "The CTS kernel set"). CUDA-style names map to OpenCL work-items:
 * block = work-group, thread = local id, grid = number of groups. */
#ifndef OPENAI_HAL_CTS_OPENCL_UTIL_H
#define OPENAI_HAL_CTS_OPENCL_UTIL_H

#include "../cts_types.h" /* needs include/ (the OpenCL <stdint.h>) on the include path */

/* The by-value struct must keep the C layout of the host (64 bytes, alignment 8). OpenCL C 1.2
 * is C99, which has no _Static_assert: a negative array size fails the build instead. */
#define CTS_STATIC_ASSERT(cond, name) typedef char cts_static_assert_##name[(cond) ? 1 : -1]
CTS_STATIC_ASSERT(sizeof(cts_struct64_t) == 64, struct64_size);
CTS_STATIC_ASSERT(__alignof__(cts_struct64_t) == 8, struct64_align);
CTS_STATIC_ASSERT(__builtin_offsetof(cts_struct64_t, f32) == 16, struct64_f32);
CTS_STATIC_ASSERT(__builtin_offsetof(cts_struct64_t, i64) == 32, struct64_i64);
CTS_STATIC_ASSERT(__builtin_offsetof(cts_struct64_t, u64) == 48, struct64_u64);

/* All index arithmetic is unsigned 32-bit, as in the spec. */
#define cts_tx() ((uint32_t)get_local_id(0))
#define cts_ty() ((uint32_t)get_local_id(1))
#define cts_tz() ((uint32_t)get_local_id(2))
#define cts_bx() ((uint32_t)get_group_id(0))
#define cts_by() ((uint32_t)get_group_id(1))
#define cts_bz() ((uint32_t)get_group_id(2))
#define cts_bdx() ((uint32_t)get_local_size(0))
#define cts_bdy() ((uint32_t)get_local_size(1))
#define cts_bdz() ((uint32_t)get_local_size(2))
#define cts_gdx() ((uint32_t)get_num_groups(0))
#define cts_gdy() ((uint32_t)get_num_groups(1))
#define cts_gdz() ((uint32_t)get_num_groups(2))

/* Block-wide barrier over shared (local) and global memory, like __syncthreads(). */
#define cts_barrier() barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)

static inline uint32_t cts_gx(void) {
  return cts_bx() * cts_bdx() + cts_tx();
}

static inline bool cts_is_thread_zero(void) {
  return cts_tx() == 0 && cts_ty() == 0 && cts_tz() == 0;
}

/* Thread zero of block (0,0,0). */
static inline bool cts_is_first_thread(void) {
  return cts_is_thread_zero() && cts_bx() == 0 && cts_by() == 0 && cts_bz() == 0;
}

#endif /* OPENAI_HAL_CTS_OPENCL_UTIL_H */
