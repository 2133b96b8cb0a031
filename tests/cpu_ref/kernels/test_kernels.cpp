// Kernels of the cpu_ref tests, in the kernel.h dialect (they compile with nvcc too).
#include "atomic_counters.h"
#include "openai_hal/kernel.h"

OHAL_DEVICE inline uint32_t global_x() {
  return ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
}

// Busy work whose result the compiler cannot drop: an LCG that never reaches 0xdeadbeef.
OHAL_DEVICE inline uint64_t spin(uint64_t iterations) {
  uint64_t x = 1;
  for (uint64_t i = 0; i < iterations; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
  return x;
}

OHAL_KERNEL(empty) {}

// Thread i writes value to out[i] after `iterations` of busy work.
OHAL_KERNEL(slow_fill, uint64_t iterations, uint32_t n, uint32_t value, uint32_t* out) {
  const uint64_t x = spin(iterations);
  const uint32_t i = global_x();
  if (i < n) out[i] = value ^ static_cast<uint32_t>(x == 0xdeadbeefull);
}

OHAL_KERNEL(add_one, uint32_t n, uint32_t* data) {
  const uint32_t i = global_x();
  if (i < n) data[i] += 1;
}

// block_sums[b] = sum of in[i] over block b's threads (i < n), through a shared-memory tree that
// works for any block size.
OHAL_KERNEL(block_reduce, uint32_t n, const uint32_t* in, uint64_t* block_sums) {
  OHAL_SHARED_ARRAY(uint64_t, partial, 1024);
  const uint32_t t = ohal_thread_idx_x();
  const uint32_t dim = ohal_block_dim_x();
  const uint32_t i = global_x();
  partial[t] = i < n ? in[i] : 0;
  ohal_barrier();
  uint32_t width = 1;
  while (width < dim) width *= 2;
  for (uint32_t stride = width / 2; stride > 0; stride /= 2) {
    if (t < stride && t + stride < dim) partial[t] += partial[t + stride];
    ohal_barrier();
  }
  if (t == 0) block_sums[ohal_block_idx_x()] = partial[0];
}

// Threads t >= active return before the first barrier; the barriers count only the others.
OHAL_KERNEL(early_exit_reduce, uint32_t active, uint64_t* block_sums) {
  OHAL_SHARED_ARRAY(uint64_t, partial, 1024);
  const uint32_t t = ohal_thread_idx_x();
  if (t >= active) return;
  partial[t] = t + 1;
  ohal_barrier();
  if (t == 0) {
    uint64_t sum = 0;
    for (uint32_t k = 0; k < active; ++k) sum += partial[k];
    block_sums[ohal_block_idx_x()] = sum;
  }
  ohal_barrier();
}

// C[r][c] (M x N) = A (M x K) * B (K x N). Block: 1-D, any size; grid (ceil(N / dim), M).
// Each step stages dim elements of A's row r in shared memory.
OHAL_KERNEL(matmul_row_tiled, uint32_t M, uint32_t N, uint32_t K, const float* A, const float* B,
            float* C) {
  OHAL_SHARED_ARRAY(float, a_tile, 1024);
  const uint32_t t = ohal_thread_idx_x();
  const uint32_t dim = ohal_block_dim_x();
  const uint32_t r = ohal_block_idx_y();
  const uint32_t c = global_x();
  float acc = 0.0f;
  for (uint32_t k0 = 0; k0 < K; k0 += dim) {
    a_tile[t] = (r < M && k0 + t < K) ? A[r * K + k0 + t] : 0.0f;
    ohal_barrier();
    const uint32_t len = K - k0 < dim ? K - k0 : dim;
    if (c < N) {
      for (uint32_t j = 0; j < len; ++j) acc += a_tile[j] * B[(k0 + j) * N + c];
    }
    ohal_barrier();
  }
  if (r < M && c < N) C[r * N + c] = acc;
}

// Classic square tiles: block (T, T) with T <= 32, grid (ceil(N / T), ceil(M / T)).
OHAL_KERNEL(matmul_tiled_2d, uint32_t M, uint32_t N, uint32_t K, const float* A, const float* B,
            float* C) {
  OHAL_SHARED_ARRAY(float, a_tile, 32 * 32);
  OHAL_SHARED_ARRAY(float, b_tile, 32 * 32);
  const uint32_t T = ohal_block_dim_x();
  const uint32_t tx = ohal_thread_idx_x(), ty = ohal_thread_idx_y();
  const uint32_t row = ohal_block_idx_y() * T + ty;
  const uint32_t col = ohal_block_idx_x() * T + tx;
  float acc = 0.0f;
  for (uint32_t k0 = 0; k0 < K; k0 += T) {
    a_tile[ty * T + tx] = (row < M && k0 + tx < K) ? A[row * K + k0 + tx] : 0.0f;
    b_tile[ty * T + tx] = (col < N && k0 + ty < K) ? B[(k0 + ty) * N + col] : 0.0f;
    ohal_barrier();
    for (uint32_t j = 0; j < T; ++j) acc += a_tile[ty * T + j] * b_tile[j * T + tx];
    ohal_barrier();
  }
  if (row < M && col < N) C[row * N + col] = acc;
}

// out[i] = in[block start + dim - 1 - t]: a block-wide reversal through dynamic shared memory.
OHAL_KERNEL(dynamic_reverse, const uint32_t* in, uint32_t* out) {
  OHAL_DYNAMIC_SHARED(uint32_t, tile);
  const uint32_t t = ohal_thread_idx_x();
  const uint32_t dim = ohal_block_dim_x();
  const uint32_t base = ohal_block_idx_x() * dim;
  tile[t] = in[base + t];
  ohal_barrier();
  out[base + t] = tile[dim - 1 - t];
}

// Declares more static shared memory than is left beside a large dynamic allocation.
OHAL_KERNEL(shared_hog, uint32_t* out) {
  OHAL_SHARED_ARRAY(uint8_t, big, 60 * 1024);
  big[ohal_thread_idx_x()] = 1;
  out[0] = big[0];
}

// Every thread updates every counter; ticket[old] marks the old value ohal_atomic_add returned.
OHAL_KERNEL(atomics, AtomicCounters* c, uint32_t* ticket) {
  const uint32_t g = global_x();
  const int32_t s = static_cast<int32_t>(g);
  ticket[ohal_atomic_add(&c->u32_sum, 2u) / 2] += 1;
  ohal_atomic_add(&c->i32_sum, -1);
  ohal_atomic_add(&c->i64_sum, static_cast<int64_t>(-3000000000ll));
  ohal_atomic_add(&c->u64_sum, static_cast<uint64_t>(5000000000ull));
  ohal_atomic_add(&c->f32_sum, 1.0f);
  ohal_atomic_min(&c->i32_min, -s);
  ohal_atomic_max(&c->u32_max, g * 3u);
  ohal_atomic_min(&c->i64_min, -static_cast<int64_t>(g) * 4000000000ll);
  ohal_atomic_max(&c->u64_max, static_cast<uint64_t>(g) * 5000000000ull);
  ohal_atomic_max(&c->i32_max, s - 100);
  ohal_atomic_min(&c->u32_min, g + 7u);
  ohal_atomic_max(&c->i64_max, static_cast<int64_t>(g) - 100);
  ohal_atomic_min(&c->u64_min, static_cast<uint64_t>(g) + 9u);
  // Increments through compare-and-swap loops.
  uint32_t old32 = c->cas32;
  for (;;) {
    const uint32_t seen = ohal_atomic_cas(&c->cas32, old32, old32 + 1u);
    if (seen == old32) break;
    old32 = seen;
  }
  uint64_t old64 = c->cas64;
  for (;;) {
    const uint64_t seen = ohal_atomic_cas(&c->cas64, old64, old64 + 1u);
    if (seen == old64) break;
    old64 = seen;
  }
  // Exchange: the values seen form a chain; summing (new - old) telescopes.
  ohal_atomic_exch(&c->exch32, g);
  ohal_atomic_exch(&c->exch64, static_cast<uint64_t>(g));
  ohal_atomic_exch(&c->exch_i32, -s);
  ohal_atomic_exch(&c->exch_i64, -static_cast<int64_t>(g));
}

// Thread (trap_thread) of block (trap_block) traps; every other thread writes 1.
OHAL_KERNEL(trap_at, uint32_t trap_block, uint32_t trap_thread, uint32_t* out) {
  if (ohal_block_idx_x() == trap_block && ohal_thread_idx_x() == trap_thread) ohal_trap();
  out[global_x()] = 1;
}

// As trap_at, but after a barrier (the block runs on fibers by then) and with one more barrier.
OHAL_KERNEL(trap_after_barrier, uint32_t trap_thread, uint32_t* out) {
  OHAL_SHARED_ARRAY(uint32_t, s, 1024);
  s[ohal_thread_idx_x()] = 1;
  ohal_barrier();
  if (ohal_thread_idx_x() == trap_thread) ohal_trap();
  ohal_barrier();
  out[global_x()] = s[ohal_thread_idx_x()];
}

// Thread 0 skips the barrier that the others reach.
OHAL_KERNEL(divergent_barrier, uint32_t* out) {
  if (ohal_thread_idx_x() != 0) ohal_barrier();
  out[global_x()] = 1;
}

// Writes each thread's coordinates: out[linear] = x | y << 8 | z << 16 | bx << 24 ... packed
// as four uint32 per thread.
OHAL_KERNEL(index_3d, uint32_t* out) {
  const uint32_t bx = ohal_block_idx_x(), by = ohal_block_idx_y(), bz = ohal_block_idx_z();
  const uint32_t dx = ohal_block_dim_x(), dy = ohal_block_dim_y(), dz = ohal_block_dim_z();
  const uint32_t gx = ohal_grid_dim_x(), gy = ohal_grid_dim_y();
  const uint32_t block = bx + gx * (by + gy * bz);
  const uint32_t thread =
      ohal_thread_idx_x() + dx * (ohal_thread_idx_y() + dy * ohal_thread_idx_z());
  uint32_t* o = out + 4u * (block * dx * dy * dz + thread);
  o[0] = ohal_thread_idx_x() | ohal_thread_idx_y() << 8 | ohal_thread_idx_z() << 16;
  o[1] = bx | by << 8 | bz << 16;
  o[2] = dx | dy << 8 | dz << 16;
  o[3] = gx | gy << 8 | ohal_grid_dim_z() << 16;
}

struct Big {
  uint8_t bytes[61];
};

// Echoes arguments of every size to check their packing.
OHAL_KERNEL(args_mix, uint8_t a, uint16_t b, uint32_t c, uint64_t d, Big big, float f, double g,
            uint8_t h, uint64_t* out) {
  if (global_x() != 0) return;
  out[0] = a;
  out[1] = b;
  out[2] = c;
  out[3] = d;
  uint64_t sum = 0;
  for (int i = 0; i < 61; ++i)
    sum += static_cast<uint64_t>(big.bytes[i]) * static_cast<uint64_t>(i + 1);
  out[4] = sum;
  out[5] = static_cast<uint64_t>(f * 4.0f);
  out[6] = static_cast<uint64_t>(g * 8.0);
  out[7] = h;
}
