/*
 * openai_hal kernel dialect: one kernel source for the host C++ compiler (cpu_ref, NATIVE_SO),
 * nvcc (CUDA) and hipcc (HIP).
 *
 *   #include "openai_hal/kernel.h"
 *   OHAL_DEVICE inline float sq(float v) { return v * v; }
 *   OHAL_KERNEL(saxpy, uint32_t n, float a, const float* x, float* y) {
 *     uint32_t i = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
 *     if (i < n) y[i] = a * x[i] + y[i];
 *   }
 *
 * Surface (identical on every compiler):
 *   OHAL_KERNEL(name, params...) { body }   a kernel; params are trivially copyable values
 *   OHAL_DEVICE                             marks a device helper function
 *   ohal_thread_idx_x/y/z(), ohal_block_idx_x/y/z(), ohal_block_dim_x/y/z(),
 *   ohal_grid_dim_x/y/z()                   uint32_t indices (CUDA's threadIdx, blockIdx, ...)
 *   ohal_barrier()                          block-wide barrier (__syncthreads)
 *   OHAL_SHARED_ARRAY(type, name, count);   block-shared array, at kernel body scope,
 *                                           declared unconditionally before use
 *   OHAL_DYNAMIC_SHARED(type, name);        pointer to the launch's dynamic shared bytes
 *   ohal_atomic_add/min/max/exch(p, v), ohal_atomic_cas(p, compare, value): return the old value
 *   ohal_trap()                             aborts; the launch fails (sticky LAUNCH_FAILED)
 *
 * Host compiler (cpu_ref): the image is a shared object. Every OHAL_KERNEL adds a descriptor
 * (name, entry, argument sizes and offsets) to the ELF section "ohal_kernels", and every
 * OHAL_SHARED_ARRAY a record to "ohal_shared"; the one exported function ohal_cpu_kernel_table()
 * lists both. The types below marked "cpu_ref ABI" are the
 * contract between an image and the cpu_ref backend; OHAL_CPU_KERNEL_ABI_VERSION changes when
 * they do. Define OHAL_KERNEL_ABI_ONLY before including this file to get only those types.
 */
#ifndef OPENAI_HAL_KERNEL_H
#define OPENAI_HAL_KERNEL_H

#if defined(__CUDACC_RTC__) || defined(__HIPCC_RTC__)
/* Runtime compilers ship no <stdint.h>. */
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* =========================================================================================== */
/* CUDA and HIP: direct mapping                                                                 */
/* =========================================================================================== */
#if defined(__CUDACC__) || defined(__HIPCC__)

#if defined(__HIPCC__) && !defined(__HIPCC_RTC__)
#include <hip/hip_runtime.h>
#endif

#define OHAL_KERNEL(name, ...) extern "C" __global__ void name(__VA_ARGS__)
#define OHAL_DEVICE __device__
#define OHAL_KERNEL_INLINE_ __device__ __forceinline__

OHAL_KERNEL_INLINE_ uint32_t ohal_thread_idx_x() {
  return threadIdx.x;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_thread_idx_y() {
  return threadIdx.y;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_thread_idx_z() {
  return threadIdx.z;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_idx_x() {
  return blockIdx.x;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_idx_y() {
  return blockIdx.y;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_idx_z() {
  return blockIdx.z;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_dim_x() {
  return blockDim.x;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_dim_y() {
  return blockDim.y;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_dim_z() {
  return blockDim.z;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_grid_dim_x() {
  return gridDim.x;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_grid_dim_y() {
  return gridDim.y;
}
OHAL_KERNEL_INLINE_ uint32_t ohal_grid_dim_z() {
  return gridDim.z;
}

OHAL_KERNEL_INLINE_ void ohal_barrier() {
  __syncthreads();
}

#if defined(__HIPCC__)
OHAL_KERNEL_INLINE_ void ohal_trap() {
  __builtin_trap();
}
#else
OHAL_KERNEL_INLINE_ void ohal_trap() {
  __trap();
}
#endif

#define OHAL_SHARED_ARRAY(type, name, count) __shared__ type name[count]
/* One declaration for every kernel of the file: CUDA wants a single extern __shared__ type. */
extern __shared__ __align__(16) unsigned char ohal_dynamic_shared_[];
#define OHAL_DYNAMIC_SHARED(type, name) type* name = reinterpret_cast<type*>(ohal_dynamic_shared_)

/* CUDA has no signed 64-bit add/exch and spells 64-bit as (unsigned) long long; int64_t is
 * long on LP64, so every width gets its own overload. */
#define OHAL_ULL_(p) reinterpret_cast<unsigned long long*>(p)
#define OHAL_LL_(p) reinterpret_cast<long long*>(p)

OHAL_KERNEL_INLINE_ int ohal_atomic_add(int* p, int v) {
  return atomicAdd(p, v);
}
OHAL_KERNEL_INLINE_ unsigned ohal_atomic_add(unsigned* p, unsigned v) {
  return atomicAdd(p, v);
}
OHAL_KERNEL_INLINE_ float ohal_atomic_add(float* p, float v) {
  return atomicAdd(p, v);
}
OHAL_KERNEL_INLINE_ unsigned long long ohal_atomic_add(unsigned long long* p,
                                                       unsigned long long v) {
  return atomicAdd(p, v);
}
OHAL_KERNEL_INLINE_ long long ohal_atomic_add(long long* p, long long v) {
  return (long long)atomicAdd(OHAL_ULL_(p), (unsigned long long)v);
}
OHAL_KERNEL_INLINE_ unsigned long ohal_atomic_add(unsigned long* p, unsigned long v) {
  return (unsigned long)atomicAdd(OHAL_ULL_(p), (unsigned long long)v);
}
OHAL_KERNEL_INLINE_ long ohal_atomic_add(long* p, long v) {
  return (long)atomicAdd(OHAL_ULL_(p), (unsigned long long)v);
}

#define OHAL_MINMAX_(op, fn)                                                               \
  OHAL_KERNEL_INLINE_ int op(int* p, int v) {                                              \
    return fn(p, v);                                                                       \
  }                                                                                        \
  OHAL_KERNEL_INLINE_ unsigned op(unsigned* p, unsigned v) {                               \
    return fn(p, v);                                                                       \
  }                                                                                        \
  OHAL_KERNEL_INLINE_ long long op(long long* p, long long v) {                            \
    return fn(p, v);                                                                       \
  }                                                                                        \
  OHAL_KERNEL_INLINE_ unsigned long long op(unsigned long long* p, unsigned long long v) { \
    return fn(p, v);                                                                       \
  }                                                                                        \
  OHAL_KERNEL_INLINE_ long op(long* p, long v) {                                           \
    return (long)fn(OHAL_LL_(p), (long long)v);                                            \
  }                                                                                        \
  OHAL_KERNEL_INLINE_ unsigned long op(unsigned long* p, unsigned long v) {                \
    return (unsigned long)fn(OHAL_ULL_(p), (unsigned long long)v);                         \
  }
#if defined(__HIPCC__)
/* HIP 5.2 has no 64-bit atomicMin/atomicMax overloads; its clang builtins cover every width. */
template <typename T>
OHAL_KERNEL_INLINE_ T ohal_hip_atomic_min_(T* p, T v) {
  return __hip_atomic_fetch_min(p, v, __ATOMIC_RELAXED, __HIP_MEMORY_SCOPE_AGENT);
}
template <typename T>
OHAL_KERNEL_INLINE_ T ohal_hip_atomic_max_(T* p, T v) {
  return __hip_atomic_fetch_max(p, v, __ATOMIC_RELAXED, __HIP_MEMORY_SCOPE_AGENT);
}
OHAL_MINMAX_(ohal_atomic_min, ohal_hip_atomic_min_)
OHAL_MINMAX_(ohal_atomic_max, ohal_hip_atomic_max_)
#else
OHAL_MINMAX_(ohal_atomic_min, atomicMin)
OHAL_MINMAX_(ohal_atomic_max, atomicMax)
#endif
#undef OHAL_MINMAX_

OHAL_KERNEL_INLINE_ int ohal_atomic_exch(int* p, int v) {
  return atomicExch(p, v);
}
OHAL_KERNEL_INLINE_ unsigned ohal_atomic_exch(unsigned* p, unsigned v) {
  return atomicExch(p, v);
}
OHAL_KERNEL_INLINE_ unsigned long long ohal_atomic_exch(unsigned long long* p,
                                                        unsigned long long v) {
  return atomicExch(p, v);
}
OHAL_KERNEL_INLINE_ long long ohal_atomic_exch(long long* p, long long v) {
  return (long long)atomicExch(OHAL_ULL_(p), (unsigned long long)v);
}
OHAL_KERNEL_INLINE_ unsigned long ohal_atomic_exch(unsigned long* p, unsigned long v) {
  return (unsigned long)atomicExch(OHAL_ULL_(p), (unsigned long long)v);
}
OHAL_KERNEL_INLINE_ long ohal_atomic_exch(long* p, long v) {
  return (long)atomicExch(OHAL_ULL_(p), (unsigned long long)v);
}

OHAL_KERNEL_INLINE_ unsigned ohal_atomic_cas(unsigned* p, unsigned compare, unsigned value) {
  return atomicCAS(p, compare, value);
}
OHAL_KERNEL_INLINE_ unsigned long long ohal_atomic_cas(unsigned long long* p,
                                                       unsigned long long compare,
                                                       unsigned long long value) {
  return atomicCAS(p, compare, value);
}
OHAL_KERNEL_INLINE_ unsigned long ohal_atomic_cas(unsigned long* p, unsigned long compare,
                                                  unsigned long value) {
  return (unsigned long)atomicCAS(OHAL_ULL_(p), (unsigned long long)compare,
                                  (unsigned long long)value);
}

#undef OHAL_ULL_
#undef OHAL_LL_

/* =========================================================================================== */
/* Host compiler: cpu_ref                                                                      */
/* =========================================================================================== */
#else

#ifndef __cplusplus
#error "openai_hal/kernel.h: kernel sources are C++ (compile them as C++17 or later)"
#endif

/* ---- cpu_ref ABI ------------------------------------------------------------------------- */

#define OHAL_CPU_KERNEL_ABI_VERSION 1u
#define OHAL_CPU_KERNEL_MAX_ARGS 64u
#define OHAL_CPU_KERNEL_SECTION "ohal_kernels"
#define OHAL_CPU_SHARED_SECTION "ohal_shared"
#define OHAL_CPU_KERNEL_TABLE_SYMBOL "ohal_cpu_kernel_table"
/* Arguments are packed like a C struct of the parameters into a block this aligned. */
#define OHAL_CPU_ARGS_ALIGN 64u

/* Entry modes. RUN_BLOCK: every thread of the block, thread 0 first, as a plain loop; if thread
 * 0 switched the block to fibers (its first barrier), the entry calls finish() after thread 0
 * returns and stops. RUN_THREAD: one thread (linear index `thread`), on its fiber. */
#define OHAL_CPU_RUN_BLOCK 0u
#define OHAL_CPU_RUN_THREAD 1u

/* Kernel code runs only on stacks the backend makes: OHAL_CPU_STACK_BYTES long and aligned to
 * it, with the running thread's ohal_cpu_thread_t at OHAL_CPU_THREAD_OFFSET(base), just above
 * the stack's top (so a switch touches one page), staggered by 64 bytes per stack (so the
 * records of many fibers spread over the cache sets). The index functions find their thread
 * from the frame address: no thread-local storage, a few instructions, and correct in helper
 * functions and on every fiber. */
#define OHAL_CPU_STACK_BYTES (1u << 20)
#define OHAL_CPU_THREAD_OFFSET(base) \
  (OHAL_CPU_STACK_BYTES - 64u * (1u + (((base) / OHAL_CPU_STACK_BYTES) % 64u)))

/* One block as the backend sets it up (cpu_ref ABI). */
typedef struct ohal_cpu_block {
  uint32_t block_idx[3];
  uint32_t block_dim[3];
  uint32_t grid_dim[3];
  uint32_t fiber_mode;          /* set by barrier() when thread 0 switches the block to fibers */
  unsigned char* static_shared; /* the kernel's OHAL_SHARED_ARRAYs, at their decl offsets */
  unsigned char* dynamic_shared;
  /* thread: linear index x + dim_x * (y + dim_y * z). */
  void (*barrier)(struct ohal_cpu_block* block, uint32_t thread);
  /* Never returns: fails the launch with `reason` and abandons the block. */
  void (*trap)(struct ohal_cpu_block* block, uint32_t thread, const char* reason);
  /* RUN_BLOCK in fiber mode, after thread 0 returned: runs the other threads to their end. */
  void (*finish)(struct ohal_cpu_block* block);
  void* runtime; /* the backend's own state */
} ohal_cpu_block_t;

/* The running thread (cpu_ref ABI), above its stack's top. The entry copies the block's
 * indices here so that the thread loop reads them from one object the compiler can see. */
typedef struct ohal_cpu_thread {
  uint32_t thread_idx[3];
  uint32_t block_idx[3];
  uint32_t block_dim[3];
  uint32_t grid_dim[3];
  ohal_cpu_block_t* block;
} ohal_cpu_thread_t;

typedef void (*ohal_cpu_entry_fn)(ohal_cpu_block_t* block, const void* args, uint32_t thread,
                                  uint32_t mode);

/* One kernel (cpu_ref ABI). Sized to a multiple of its alignment so that descriptors from
 * different translation units lie back to back in the section. */
typedef struct alignas(64) ohal_cpu_kernel_desc {
  uint32_t abi_version; /* OHAL_CPU_KERNEL_ABI_VERSION */
  uint32_t struct_size; /* sizeof(ohal_cpu_kernel_desc_t) */
  const char* name;
  ohal_cpu_entry_fn entry;
  uint32_t arg_count;
  uint32_t args_size;  /* bytes of the packed argument block */
  uint32_t args_align; /* its alignment (at most OHAL_CPU_ARGS_ALIGN) */
  uint32_t reserved;
  uint32_t arg_sizes[OHAL_CPU_KERNEL_MAX_ARGS];
  uint32_t arg_offsets[OHAL_CPU_KERNEL_MAX_ARGS];
} ohal_cpu_kernel_desc_t;

/* One OHAL_SHARED_ARRAY declaration (cpu_ref ABI), in the section "ohal_shared". The backend
 * lays out each kernel's declarations when it loads the image (it writes offset) and so knows
 * the kernel's static shared bytes before launching it. */
typedef struct alignas(16) ohal_cpu_shared_decl {
  const char* kernel; /* the kernel's name (its body's __func__) */
  uint32_t bytes;
  uint32_t align;
  uint32_t offset; /* into ohal_cpu_block_t::static_shared; written by the backend */
  uint32_t reserved;
} ohal_cpu_shared_decl_t;

typedef struct ohal_cpu_kernel_list {
  uint32_t abi_version; /* OHAL_CPU_KERNEL_ABI_VERSION */
  uint32_t desc_size;   /* sizeof(ohal_cpu_kernel_desc_t): the stride of descs */
  uint32_t count;
  uint32_t shared_decl_size; /* sizeof(ohal_cpu_shared_decl_t): the stride of shared_decls */
  const ohal_cpu_kernel_desc_t* descs;
  const ohal_cpu_shared_decl_t* shared_decls;
  uint32_t shared_decl_count;
  uint32_t reserved;
} ohal_cpu_kernel_list_t;

typedef void (*ohal_cpu_kernel_table_fn)(ohal_cpu_kernel_list_t* table);

#ifndef OHAL_KERNEL_ABI_ONLY

#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

#define OHAL_KERNEL_INLINE_ __attribute__((always_inline)) inline
#define OHAL_DEVICE

namespace ohal_cpu_detail {

/* The running thread's record, from the frame address (see OHAL_CPU_STACK_BYTES). The compiler
 * knows the frame address is constant within a function, so the thread loop and the inlined
 * body share one pointer and keep the indices in registers. */
OHAL_KERNEL_INLINE_ ohal_cpu_thread_t* self() {
  const uintptr_t frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  const uintptr_t base = frame & ~static_cast<uintptr_t>(OHAL_CPU_STACK_BYTES - 1);
  return reinterpret_cast<ohal_cpu_thread_t*>(base + OHAL_CPU_THREAD_OFFSET(base));
}

OHAL_KERNEL_INLINE_ uint32_t linear_tid(const ohal_cpu_thread_t* t) {
  return t->thread_idx[0] +
         t->block_dim[0] * (t->thread_idx[1] + t->block_dim[1] * t->thread_idx[2]);
}

[[noreturn]] OHAL_KERNEL_INLINE_ void trap(const char* reason) {
  ohal_cpu_thread_t* t = self();
  t->block->trap(t->block, linear_tid(t), reason);
  __builtin_unreachable();
}

template <class F>
struct signature;
template <class... A>
struct signature<void (*)(A...)> {
  static constexpr uint32_t count = sizeof...(A);
  static constexpr uint32_t sizes[sizeof...(A) + 1] = {static_cast<uint32_t>(sizeof(A))..., 0};
  static constexpr uint32_t aligns[sizeof...(A) + 1] = {static_cast<uint32_t>(alignof(A))..., 1};
  static_assert(sizeof...(A) <= OHAL_CPU_KERNEL_MAX_ARGS, "OHAL_KERNEL: at most 64 parameters");
  static_assert((std::is_trivially_copyable<A>::value && ...),
                "OHAL_KERNEL: parameters must be trivially copyable values");
  static_assert(((alignof(A) <= OHAL_CPU_ARGS_ALIGN) && ...),
                "OHAL_KERNEL: parameter alignment above 64 bytes");
};
template <class R, class... A>
struct signature<R (*)(A...)> {
  static_assert(sizeof(R) == 0, "OHAL_KERNEL: a kernel returns void");
};

template <class F>
constexpr ohal_cpu_kernel_desc_t make_desc(const char* name, ohal_cpu_entry_fn entry) {
  using sig = signature<F>;
  ohal_cpu_kernel_desc_t d = {};
  d.abi_version = OHAL_CPU_KERNEL_ABI_VERSION;
  d.struct_size = sizeof(ohal_cpu_kernel_desc_t);
  d.name = name;
  d.entry = entry;
  d.arg_count = sig::count;
  uint32_t offset = 0, align = 1;
  for (uint32_t i = 0; i < sig::count; ++i) {
    const uint32_t a = sig::aligns[i];
    offset = (offset + a - 1) / a * a;
    d.arg_sizes[i] = sig::sizes[i];
    d.arg_offsets[i] = offset;
    offset += sig::sizes[i];
    if (a > align) align = a;
  }
  d.args_size = (offset + align - 1) / align * align;
  d.args_align = align;
  return d;
}

template <class T>
OHAL_KERNEL_INLINE_ T load_arg(const unsigned char* p) {
  return *std::launder(reinterpret_cast<const T*>(p));
}

/* Runs Body for one block (RUN_BLOCK) or one thread (RUN_THREAD). The arguments are copied out
 * of the block once so that the thread loop keeps them in registers. */
template <auto Body, class... A, size_t... I>
OHAL_KERNEL_INLINE_ void entry_impl(ohal_cpu_block_t* b, const unsigned char* args, uint32_t thread,
                                    uint32_t mode, std::index_sequence<I...>) {
  [[maybe_unused]] constexpr ohal_cpu_kernel_desc_t d = make_desc<void (*)(A...)>("", nullptr);
  (void)args;
  [[maybe_unused]] const auto values = std::make_tuple(load_arg<A>(args + d.arg_offsets[I])...);
  ohal_cpu_thread_t* t = self();
  t->block = b;
  for (int i = 0; i < 3; ++i) {
    t->block_idx[i] = b->block_idx[i];
    t->block_dim[i] = b->block_dim[i];
    t->grid_dim[i] = b->grid_dim[i];
  }
  const uint32_t dx = b->block_dim[0], dy = b->block_dim[1], dz = b->block_dim[2];
  if (mode == OHAL_CPU_RUN_THREAD) {
    t->thread_idx[0] = thread % dx;
    t->thread_idx[1] = (thread / dx) % dy;
    t->thread_idx[2] = thread / (dx * dy);
    Body(std::get<I>(values)...);
    return;
  }
  /* Thread 0 first: only its first barrier may switch the block to fibers. */
  t->thread_idx[0] = t->thread_idx[1] = t->thread_idx[2] = 0;
  Body(std::get<I>(values)...);
  if (b->fiber_mode) {
    b->finish(b);
    return;
  }
  for (uint32_t z = 0; z < dz; ++z) {
    t->thread_idx[2] = z;
    for (uint32_t y = 0; y < dy; ++y) {
      t->thread_idx[1] = y;
      for (uint32_t x = (y | z) == 0 ? 1u : 0u; x < dx; ++x) {
        t->thread_idx[0] = x;
        Body(std::get<I>(values)...);
      }
    }
  }
}

template <class F, F Body>
struct entry_of;
template <class... A, void (*Body)(A...)>
struct entry_of<void (*)(A...), Body> {
  static void run(ohal_cpu_block_t* b, const void* args, uint32_t thread, uint32_t mode) {
    entry_impl<Body, A...>(b, static_cast<const unsigned char*>(args), thread, mode,
                           std::index_sequence_for<A...>{});
  }
};

}  // namespace ohal_cpu_detail

/* ---- the surface ------------------------------------------------------------------------- */

OHAL_KERNEL_INLINE_ uint32_t ohal_thread_idx_x() {
  return ohal_cpu_detail::self()->thread_idx[0];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_thread_idx_y() {
  return ohal_cpu_detail::self()->thread_idx[1];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_thread_idx_z() {
  return ohal_cpu_detail::self()->thread_idx[2];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_idx_x() {
  return ohal_cpu_detail::self()->block_idx[0];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_idx_y() {
  return ohal_cpu_detail::self()->block_idx[1];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_idx_z() {
  return ohal_cpu_detail::self()->block_idx[2];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_dim_x() {
  return ohal_cpu_detail::self()->block_dim[0];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_dim_y() {
  return ohal_cpu_detail::self()->block_dim[1];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_block_dim_z() {
  return ohal_cpu_detail::self()->block_dim[2];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_grid_dim_x() {
  return ohal_cpu_detail::self()->grid_dim[0];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_grid_dim_y() {
  return ohal_cpu_detail::self()->grid_dim[1];
}
OHAL_KERNEL_INLINE_ uint32_t ohal_grid_dim_z() {
  return ohal_cpu_detail::self()->grid_dim[2];
}

OHAL_KERNEL_INLINE_ void ohal_barrier() {
  ohal_cpu_thread_t* t = ohal_cpu_detail::self();
  t->block->barrier(t->block, ohal_cpu_detail::linear_tid(t));
}

[[noreturn]] inline void ohal_trap() {
  ohal_cpu_detail::trap("ohal_trap()");
}

#define OHAL_SHARED_ARRAY(type, name, count)                                                       \
  __attribute__((                                                                                  \
      used,                                                                                        \
      section(OHAL_CPU_SHARED_SECTION))) static ohal_cpu_shared_decl_t ohal_shared_decl_##name = { \
      __func__, static_cast<uint32_t>(sizeof(type) * (count)),                                     \
      static_cast<uint32_t>(alignof(type)), 0, 0};                                                 \
  type(&name)[count] = *reinterpret_cast<type(*)[count]>(                                          \
      ::ohal_cpu_detail::self()->block->static_shared + ohal_shared_decl_##name.offset)
#define OHAL_DYNAMIC_SHARED(type, name) \
  type* name = reinterpret_cast<type*>(::ohal_cpu_detail::self()->block->dynamic_shared)

/* Atomics: __atomic builtins on the host (threads of other blocks run on other workers). */
#define OHAL_ATOMIC_INT_(T)                                                                      \
  OHAL_KERNEL_INLINE_ T ohal_atomic_add(T* p, T v) {                                             \
    return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);                                           \
  }                                                                                              \
  OHAL_KERNEL_INLINE_ T ohal_atomic_exch(T* p, T v) {                                            \
    return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);                                          \
  }                                                                                              \
  OHAL_KERNEL_INLINE_ T ohal_atomic_min(T* p, T v) {                                             \
    T old = __atomic_load_n(p, __ATOMIC_RELAXED);                                                \
    while (v < old &&                                                                            \
           !__atomic_compare_exchange_n(p, &old, v, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) { \
    }                                                                                            \
    return old;                                                                                  \
  }                                                                                              \
  OHAL_KERNEL_INLINE_ T ohal_atomic_max(T* p, T v) {                                             \
    T old = __atomic_load_n(p, __ATOMIC_RELAXED);                                                \
    while (v > old &&                                                                            \
           !__atomic_compare_exchange_n(p, &old, v, true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) { \
    }                                                                                            \
    return old;                                                                                  \
  }
OHAL_ATOMIC_INT_(int)
OHAL_ATOMIC_INT_(unsigned)
OHAL_ATOMIC_INT_(long)
OHAL_ATOMIC_INT_(unsigned long)
OHAL_ATOMIC_INT_(long long)
OHAL_ATOMIC_INT_(unsigned long long)
#undef OHAL_ATOMIC_INT_

OHAL_KERNEL_INLINE_ float ohal_atomic_add(float* p, float v) {
  static_assert(sizeof(float) == sizeof(uint32_t), "32-bit float");
  uint32_t* bits = reinterpret_cast<uint32_t*>(p);
  uint32_t old = __atomic_load_n(bits, __ATOMIC_RELAXED);
  for (;;) {
    float old_value, new_value;
    __builtin_memcpy(&old_value, &old, sizeof old);
    new_value = old_value + v;
    uint32_t desired;
    __builtin_memcpy(&desired, &new_value, sizeof desired);
    if (__atomic_compare_exchange_n(bits, &old, desired, true, __ATOMIC_SEQ_CST,
                                    __ATOMIC_RELAXED)) {
      return old_value;
    }
  }
}

#define OHAL_ATOMIC_CAS_(T)                                                                     \
  OHAL_KERNEL_INLINE_ T ohal_atomic_cas(T* p, T compare, T value) {                             \
    __atomic_compare_exchange_n(p, &compare, value, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
    return compare;                                                                             \
  }
OHAL_ATOMIC_CAS_(unsigned)
OHAL_ATOMIC_CAS_(unsigned long)
OHAL_ATOMIC_CAS_(unsigned long long)
#undef OHAL_ATOMIC_CAS_

/* The image's table: every descriptor in the "ohal_kernels" section. Weak, so every translation
 * unit may define it; the linker's __start_/__stop_ symbols bound the section. */
extern "C" {
extern const ohal_cpu_kernel_desc_t __start_ohal_kernels[]
    __attribute__((weak, visibility("hidden")));
extern const ohal_cpu_kernel_desc_t __stop_ohal_kernels[]
    __attribute__((weak, visibility("hidden")));
extern const ohal_cpu_shared_decl_t __start_ohal_shared[]
    __attribute__((weak, visibility("hidden")));
extern const ohal_cpu_shared_decl_t __stop_ohal_shared[]
    __attribute__((weak, visibility("hidden")));
__attribute__((weak, visibility("default"))) void ohal_cpu_kernel_table(
    ohal_cpu_kernel_list_t* table);
__attribute__((weak, visibility("default"))) void ohal_cpu_kernel_table(
    ohal_cpu_kernel_list_t* table) {
  table->abi_version = OHAL_CPU_KERNEL_ABI_VERSION;
  table->desc_size = static_cast<uint32_t>(sizeof(ohal_cpu_kernel_desc_t));
  table->shared_decl_size = static_cast<uint32_t>(sizeof(ohal_cpu_shared_decl_t));
  table->reserved = 0;
  table->descs = __start_ohal_kernels;
  table->count = __start_ohal_kernels == nullptr
                     ? 0u
                     : static_cast<uint32_t>(__stop_ohal_kernels - __start_ohal_kernels);
  table->shared_decls = __start_ohal_shared;
  table->shared_decl_count = __start_ohal_shared == nullptr
                                 ? 0u
                                 : static_cast<uint32_t>(__stop_ohal_shared - __start_ohal_shared);
}
}

/* A kernel: the body (internal, inlined into the block loop), its descriptor in the section,
 * and an extern "C" marker symbol so that two kernels of one name in one image fail to link. */
#define OHAL_KERNEL(name, ...)                                                                   \
  static OHAL_KERNEL_INLINE_ void name(__VA_ARGS__);                                             \
  extern "C" __attribute__((visibility("hidden"), used)) const char ohal_kernel_name_##name = 0; \
  __attribute__((used, section(OHAL_CPU_KERNEL_SECTION))) static const ohal_cpu_kernel_desc_t    \
      ohal_kernel_desc_##name = ::ohal_cpu_detail::make_desc<decltype(&name)>(                   \
          #name, &::ohal_cpu_detail::entry_of<decltype(&name), &name>::run);                     \
  static OHAL_KERNEL_INLINE_ void name(__VA_ARGS__)

#endif /* OHAL_KERNEL_ABI_ONLY */
#endif /* host compiler */

#endif /* OPENAI_HAL_KERNEL_H */
