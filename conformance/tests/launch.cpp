// Kernel launch: results of the CTS kernel set, launch shapes, limits and argument checks.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <random>
#include <set>
#include <vector>

#include "cts.hpp"

namespace {

uint64_t float_bits(float f) {
  uint32_t u = 0;
  std::memcpy(&u, &f, 4);
  return u;
}

std::vector<uint32_t> block_sizes_up_to(uint32_t limit) {
  std::vector<uint32_t> sizes;
  for (uint32_t s : {1u, 2u, 3u, 7u, 32u, 33u, 64u, 128u, 255u, 256u, 1000u, 1024u}) {
    if (s <= limit) sizes.push_back(s);
  }
  return sizes;
}

uint32_t max_1d_block() {
  const ohal_device_properties_t& p = cts::props();
  return std::min(p.max_threads_per_block, p.max_block_dims[0]);
}

uint32_t kernel_max_threads(ohal_kernel_t k) {
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(k, &kp));
  return std::min(kp.max_threads_per_block, max_1d_block());
}

}  // namespace

TEST_CASE("launch: fill and copy over many block sizes", "[launch]") {
  CTS_KERNEL(fill, "cts_fill_u32");
  CTS_KERNEL(copy, "cts_copy_u32");
  cts::Stream stream;
  const uint32_t n = 10007;
  cts::Buffer a(n * 4 + 64), b(n * 4 + 64);
  for (uint32_t block :
       block_sizes_up_to(std::min(kernel_max_threads(fill), kernel_max_threads(copy)))) {
    INFO("block " << block);
    REQUIRE_OK(ohal_memset_async(stream, a.get(), 0xDEADBEEFu, 4, n + 16));
    REQUIRE_OK(ohal_memset_async(stream, b.get(), 0xDEADBEEFu, 4, n + 16));
    REQUIRE_OK(
        cts::launch(stream, fill, {cts::blocks_for(n, block)}, {block}, 0, a.get(), n, block * 7u));
    REQUIRE_OK(cts::launch(stream, copy, {cts::blocks_for(n, block) + 1}, {block}, 0, b.get(),
                           a.get(), n));
    const std::vector<uint32_t> got = cts::download<uint32_t>(stream, b.get(), n + 16);
    CHECK(std::count(got.begin(), got.begin() + n, block * 7u) == n);
    CHECK(std::count(got.begin() + n, got.end(), 0xDEADBEEFu) == 16);  // nothing past n
  }
}

TEST_CASE("launch: saxpy", "[launch]") {
  CTS_KERNEL(saxpy, "cts_saxpy");
  cts::Stream stream;
  const uint32_t n = 100000, block = cts::default_block();
  std::vector<float> x(n), y(n);
  for (uint32_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 1000);
    y[i] = static_cast<float>(i % 77) - 30.0f;
  }
  cts::Buffer dx(n * 4), dy(n * 4);
  cts::upload(stream, dx.get(), x);
  cts::upload(stream, dy.get(), y);
  const float a = 2.5f;
  REQUIRE_OK(cts::launch(stream, saxpy, {cts::blocks_for(n, block)}, {block}, 0, n, a, dx.get(),
                         dy.get()));
  const std::vector<float> got = cts::download<float>(stream, dy.get(), n);
  size_t wrong = 0;
  for (uint32_t i = 0; i < n; ++i) wrong += got[i] != a * x[i] + y[i];
  CHECK(wrong == 0);
}

TEST_CASE("launch: 3-D thread and block indices", "[launch]") {
  CTS_KERNEL(index3d, "cts_index_3d");
  const ohal_device_properties_t& p = cts::props();
  const uint32_t limit = kernel_max_threads(index3d);
  std::vector<std::pair<cts::Dim3, cts::Dim3>> shapes = {
      {{1, 1, 1}, {1, 1, 1}}, {{3, 2, 2}, {4, 3, 2}},  {{2, 3, 4}, {5, 1, 7}},
      {{1, 1, 5}, {1, 9, 1}}, {{7, 1, 1}, {33, 1, 1}}, {{2, 2, 2}, {8, 8, 4}}};
  // The largest block per dimension, within the kernel's limit.
  shapes.push_back({{2, 1, 1}, {std::min(p.max_block_dims[0], limit), 1, 1}});
  shapes.push_back({{1, 2, 1}, {1, std::min({p.max_block_dims[1], limit, 1024u}), 1}});
  shapes.push_back({{1, 1, 2}, {1, 1, std::min({p.max_block_dims[2], limit, 1024u})}});
  cts::Stream stream;
  for (const auto& [grid, block] : shapes) {
    if (block.x * block.y * block.z > limit || block.y > p.max_block_dims[1] ||
        block.z > p.max_block_dims[2] || block.x > p.max_block_dims[0]) {
      continue;
    }
    INFO("grid " << grid.x << "x" << grid.y << "x" << grid.z << ", block " << block.x << "x"
                 << block.y << "x" << block.z);
    const uint32_t wx = grid.x * block.x, wy = grid.y * block.y, wz = grid.z * block.z;
    const size_t threads = size_t{wx} * wy * wz;
    cts::Buffer out(threads * 48);
    REQUIRE_OK(ohal_memset_async(stream, out.get(), 0xFFFFFFFFu, 4, threads * 12));
    REQUIRE_OK(cts::launch(stream, index3d, grid, block, 0, out.get()));
    const std::vector<uint32_t> got = cts::download<uint32_t>(stream, out.get(), threads * 12);
    size_t wrong = 0;
    for (uint32_t gz = 0; gz < wz; ++gz) {
      for (uint32_t gy = 0; gy < wy; ++gy) {
        for (uint32_t gx = 0; gx < wx; ++gx) {
          const uint32_t* r = &got[12 * ((size_t{gz} * wy + gy) * wx + gx)];
          const uint32_t want[12] = {gx % block.x, gy % block.y, gz % block.z, gx / block.x,
                                     gy / block.y, gz / block.z, block.x,      block.y,
                                     block.z,      grid.x,       grid.y,       grid.z};
          wrong += std::memcmp(r, want, sizeof(want)) != 0;
        }
      }
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("launch: every block of large and odd grids runs once", "[launch]") {
  CTS_KERNEL(block_id, "cts_block_id");
  const ohal_device_properties_t& p = cts::props();
  std::vector<cts::Dim3> grids = {{1, 1, 1},   {2, 1, 1},  {1000, 1, 1},     {7, 5, 3},
                                  {1, 300, 1}, {1, 1, 70}, {65536 + 3, 1, 1}};
  // Grid limits in y and z (x's limit is usually too large to allocate for).
  grids.push_back({1, std::min(p.max_grid_dims[1], 65535u), 1});
  grids.push_back({1, 1, std::min(p.max_grid_dims[2], 65535u)});
  grids.push_back({2, std::min(p.max_grid_dims[1], 300u), 3});
  cts::Stream stream;
  for (cts::Dim3 block : {cts::Dim3{1, 1, 1}, cts::Dim3{32, 2, 1}}) {
    for (const cts::Dim3& grid : grids) {
      if (grid.x > p.max_grid_dims[0] || grid.y > p.max_grid_dims[1] ||
          grid.z > p.max_grid_dims[2]) {
        continue;
      }
      INFO("grid " << grid.x << "x" << grid.y << "x" << grid.z << ", block " << block.x << "x"
                   << block.y);
      const size_t blocks = size_t{grid.x} * grid.y * grid.z;
      cts::Buffer out(blocks * 4);
      REQUIRE_OK(ohal_memset_async(stream, out.get(), 0xFFFFFFFFu, 4, blocks));
      REQUIRE_OK(cts::launch(stream, block_id, grid, block, 0, out.get()));
      const std::vector<uint32_t> got = cts::download<uint32_t>(stream, out.get(), blocks);
      size_t wrong = 0;
      for (size_t b = 0; b < blocks; ++b) wrong += got[b] != b;
      CHECK(wrong == 0);
    }
  }
}

TEST_CASE("launch: value arguments of 1 2 4 and 8 bytes", "[launch]") {
  CTS_KERNEL(many, "cts_args_many");
  cts::Stream stream;
  cts::Buffer out(17 * 8);
  REQUIRE_OK(ohal_memset_async(stream, out.get(), 0xEEEEEEEEu, 4, 34));
  const uint8_t a0 = 0xA5;
  const uint16_t a1 = 0xBEEF;
  const uint32_t a2 = 0xDEADBEEFu;
  const uint64_t a3 = 0x0123456789ABCDEFull;
  const int8_t a4 = -5;
  const int16_t a5 = -12345;
  const int32_t a6 = -2000000000;
  const int64_t a7 = -0x123456789ABCll;
  const float a8 = -1.5e-20f;
  const uint8_t a9 = 0x7F;
  const uint64_t a10 = 0xFEDCBA9876543210ull;
  const uint16_t a11 = 0x8001;
  const uint8_t a12 = 0x01;
  const uint32_t a13 = 0x80000001u;
  const int8_t a14 = -128;
  const uint64_t a15 = 0x8000000000000001ull;
  REQUIRE_OK(cts::launch(stream, many, {1}, {1}, 0, out.get(), a0, a1, a2, a3, a4, a5, a6, a7, a8,
                         a9, a10, a11, a12, a13, a14, a15));
  const std::vector<uint64_t> got = cts::download<uint64_t>(stream, out.get(), 17);
  const std::vector<uint64_t> want = {a0,
                                      a1,
                                      a2,
                                      a3,
                                      static_cast<uint64_t>(int64_t{a4}),
                                      static_cast<uint64_t>(int64_t{a5}),
                                      static_cast<uint64_t>(int64_t{a6}),
                                      static_cast<uint64_t>(a7),
                                      float_bits(a8),
                                      a9,
                                      a10,
                                      a11,
                                      a12,
                                      a13,
                                      static_cast<uint64_t>(int64_t{a14}),
                                      a15,
                                      0xEEEEEEEEEEEEEEEEull};
  for (size_t k = 0; k < want.size(); ++k) {
    INFO("out[" << k << "]");
    CHECK(got[k] == want[k]);
  }
}

TEST_CASE("launch: a 64-byte struct argument by value", "[launch]") {
  CTS_KERNEL(kernel, "cts_args_struct");
  cts::Stream stream;
  cts::Buffer out(15 * 8);
  REQUIRE_OK(ohal_memset_async(stream, out.get(), 0xEEEEEEEEu, 4, 30));
  cts_struct64_t s;
  for (uint32_t k = 0; k < 4; ++k) {
    s.u32[k] = 0x11111111u * (k + 1);
    s.f32[k] = 0.25f - static_cast<float>(k) * 1000.5f;
  }
  s.i64[0] = -1;
  s.i64[1] = 0x7FFFFFFFFFFFFFF0ll;
  s.u64[0] = 0xA0A0A0A0B1B1B1B1ull;
  s.u64[1] = 42;
  const uint32_t tag = 0xC0DE;
  const uint8_t tail = 0xF1;
  REQUIRE_OK(cts::launch(stream, kernel, {1}, {1}, 0, out.get(), tag, s, tail));
  const std::vector<uint64_t> got = cts::download<uint64_t>(stream, out.get(), 15);
  std::vector<uint64_t> want = {tag};
  for (uint32_t k = 0; k < 4; ++k) want.push_back(s.u32[k]);
  for (uint32_t k = 0; k < 4; ++k) want.push_back(float_bits(s.f32[k]));
  for (uint32_t k = 0; k < 2; ++k) want.push_back(static_cast<uint64_t>(s.i64[k]));
  for (uint32_t k = 0; k < 2; ++k) want.push_back(s.u64[k]);
  want.push_back(tail);
  want.push_back(0xEEEEEEEEEEEEEEEEull);
  for (size_t k = 0; k < want.size(); ++k) {
    INFO("out[" << k << "]");
    CHECK(got[k] == want[k]);
  }
}

TEST_CASE("launch: arguments are copied when the call returns", "[launch]") {
  CTS_KERNEL(fill, "cts_fill_u32");
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream stream;
  cts::Buffer scratch(8), out(64 * 4);
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, scratch.get(), cts::spin_iterations(), 0u));
  uint32_t value = 1234;
  uint32_t n = 64;
  void* ptr = out.get();
  const ohal_kernel_arg_t args[] = {{&ptr, sizeof(ptr)}, {&n, 4}, {&value, 4}};
  const ohal_launch_config_t c = cts::config({1}, {64});
  REQUIRE_OK(ohal_launch(stream, fill, &c, 3, args));
  value = 99;  // changed before the queued launch runs
  n = 0;
  ptr = nullptr;
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 64), std::vector<uint32_t>(64, 1234u));
}

TEST_CASE("launch: a kernel without arguments", "[launch]") {
  CTS_KERNEL(noop, "cts_noop");
  cts::Stream stream;
  const ohal_launch_config_t c = cts::config({3, 2, 1}, {4, 4, 1});
  REQUIRE_OK(ohal_launch(stream, noop, &c, 0, nullptr));
  REQUIRE_OK(ohal_stream_synchronize(stream));
}

TEST_CASE("launch: block reduction in static shared memory", "[launch]") {
  CTS_KERNEL(reduce, "cts_reduce_static");
  cts::Stream stream;
  const uint32_t n = 100003;
  std::vector<uint32_t> in(n);
  std::mt19937 rng(7);
  for (auto& v : in) v = static_cast<uint32_t>(rng());
  cts::Buffer din(n * 4), dout(64 * 4);
  cts::upload(stream, din.get(), in);
  const uint32_t limit = std::min(kernel_max_threads(reduce), CTS_REDUCE_MAX_BLOCK);
  for (uint32_t block : block_sizes_up_to(limit)) {
    for (uint32_t grid : {1u, 7u, 64u}) {
      INFO("block " << block << ", grid " << grid);
      REQUIRE_OK(cts::launch(stream, reduce, {grid}, {block}, 0, din.get(), n, dout.get()));
      const std::vector<uint32_t> got = cts::download<uint32_t>(stream, dout.get(), grid);
      std::vector<uint32_t> want(grid, 0);
      for (uint32_t i = 0; i < n; ++i) want[(i / block) % grid] += in[i];
      CHECK_SAME(got, want);
    }
  }
}

TEST_CASE("launch: dynamic shared memory", "[launch]") {
  CTS_REQUIRE_CAP(OHAL_CAP_DYNAMIC_SHARED);
  CTS_KERNEL(reverse, "cts_dynamic_reverse");
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(reverse, &kp));
  const uint32_t max_words = std::min<uint32_t>(
      (cts::props().max_shared_bytes_per_block - kp.static_shared_bytes) / 4, 16384u);
  cts::Stream stream;
  const uint32_t grid = 5;
  const uint32_t block = std::min(kernel_max_threads(reverse), 128u);
  for (uint32_t words : {1u, 100u, 1024u, max_words}) {
    if (words > max_words) continue;
    INFO("words " << words);
    std::vector<uint32_t> in(size_t{grid} * words);
    for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint32_t>(i * 2654435761u);
    cts::Buffer din(in.size() * 4), dout(in.size() * 4);
    cts::upload(stream, din.get(), in);
    REQUIRE_OK(
        cts::launch(stream, reverse, {grid}, {block}, words * 4, din.get(), dout.get(), words));
    const std::vector<uint32_t> got = cts::download<uint32_t>(stream, dout.get(), in.size());
    size_t wrong = 0;
    for (uint32_t b = 0; b < grid; ++b) {
      for (uint32_t i = 0; i < words; ++i) {
        wrong += got[size_t{b} * words + i] != in[size_t{b} * words + (words - 1 - i)];
      }
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("launch: tiled matrix multiply with barriers", "[launch]") {
  CTS_KERNEL(matmul, "cts_matmul_tiled");
  const uint32_t limit = kernel_max_threads(matmul);
  const ohal_device_properties_t& p = cts::props();
  cts::Stream stream;
  std::mt19937 rng(11);
  for (uint32_t n : {1u, 17u, 64u, 100u}) {
    std::vector<float> a(size_t{n} * n), b(size_t{n} * n);
    for (auto& v : a) v = static_cast<float>(static_cast<int>(rng() % 5) - 2);
    for (auto& v : b) v = static_cast<float>(static_cast<int>(rng() % 5) - 2);
    std::vector<float> want(size_t{n} * n, 0.0f);
    for (uint32_t r = 0; r < n; ++r) {
      for (uint32_t c = 0; c < n; ++c) {
        float acc = 0;
        for (uint32_t k = 0; k < n; ++k) acc += a[size_t{r} * n + k] * b[size_t{k} * n + c];
        want[size_t{r} * n + c] = acc;
      }
    }
    cts::Buffer da(a.size() * 4), db(b.size() * 4), dc(a.size() * 4);
    cts::upload(stream, da.get(), a);
    cts::upload(stream, db.get(), b);
    for (uint32_t tile : {1u, 3u, 8u, 16u, 32u}) {
      if (tile * tile > limit || tile > p.max_block_dims[0] || tile > p.max_block_dims[1]) {
        continue;
      }
      INFO("n " << n << ", tile " << tile);
      REQUIRE_OK(ohal_memset_async(stream, dc.get(), 0x7FC00000u, 4, a.size()));  // NaN
      const uint32_t g = cts::blocks_for(n, tile);
      REQUIRE_OK(
          cts::launch(stream, matmul, {g, g}, {tile, tile}, 0, da.get(), db.get(), dc.get(), n));
      CHECK_SAME(cts::download<float>(stream, dc.get(), a.size()), want);
    }
  }
}

TEST_CASE("launch: 32-bit atomics", "[launch]") {
  CTS_KERNEL(atomic32, "cts_atomic32");
  cts::Stream stream;
  const uint32_t n = 20000, block = cts::default_block();
  const std::vector<uint32_t> u0 = {10u, 0u, 0xFFFFFFFFu, 0u, 5u};
  const std::vector<int32_t> s0 = {0, INT32_MAX, INT32_MIN};
  cts::Buffer u(5 * 4), s(3 * 4), old(size_t{2} * n * 4);
  cts::upload(stream, u.get(), u0);
  cts::upload(stream, s.get(), s0);
  REQUIRE_OK(cts::launch(stream, atomic32, {cts::blocks_for(n, block)}, {block}, 0, n, u.get(),
                         s.get(), old.get()));
  const std::vector<uint32_t> gu = cts::download<uint32_t>(stream, u.get(), 5);
  const std::vector<int32_t> gs = cts::download<int32_t>(stream, s.get(), 3);
  std::vector<uint32_t> gold = cts::download<uint32_t>(stream, old.get(), size_t{2} * n);
  uint32_t hmax = 0, hmin = 0xFFFFFFFFu;
  int32_t smin = INT32_MAX, smax = INT32_MIN, sum = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t h = i * CTS_H32_MUL;
    hmax = std::max(hmax, h);
    hmin = std::min(hmin, h);
    smin = std::min(smin, static_cast<int32_t>(h));
    smax = std::max(smax, static_cast<int32_t>(h));
    sum += static_cast<int32_t>(i & 255u) - 128;
  }
  CHECK(gu[0] == 10u + n);
  CHECK(gu[1] == hmax);
  CHECK(gu[2] == hmin);
  CHECK(gu[4] == 5u + 3u * n);
  CHECK(gs[0] == sum);
  CHECK(gs[1] == smin);
  CHECK(gs[2] == smax);
  // add returned every old value exactly once.
  std::vector<uint32_t> adds(gold.begin(), gold.begin() + n);
  std::sort(adds.begin(), adds.end());
  std::vector<uint32_t> want_adds(n);
  std::iota(want_adds.begin(), want_adds.end(), 10u);
  CHECK_SAME(adds, want_adds);
  // exch: the returned values plus the final one are {0} and every written value.
  std::vector<uint32_t> exch(gold.begin() + n, gold.end());
  exch.push_back(gu[3]);
  std::sort(exch.begin(), exch.end());
  std::vector<uint32_t> want_exch(n + 1);
  std::iota(want_exch.begin(), want_exch.end(), 0u);
  CHECK_SAME(exch, want_exch);
}

TEST_CASE("launch: 64-bit atomics", "[launch]") {
  CTS_REQUIRE_CAP(OHAL_CAP_ATOMICS_64);
  CTS_KERNEL(atomic64, "cts_atomic64");
  cts::Stream stream;
  const uint32_t n = 20000, block = cts::default_block();
  const std::vector<uint64_t> u0 = {7, 0, ~uint64_t{0}, 0, 0xFFFFFFF0ull};
  const std::vector<int64_t> s0 = {-(int64_t{1} << 40), INT64_MAX, INT64_MIN};
  cts::Buffer u(5 * 8), s(3 * 8), old(size_t{2} * n * 8);
  cts::upload(stream, u.get(), u0);
  cts::upload(stream, s.get(), s0);
  REQUIRE_OK(cts::launch(stream, atomic64, {cts::blocks_for(n, block)}, {block}, 0, n, u.get(),
                         s.get(), old.get()));
  const std::vector<uint64_t> gu = cts::download<uint64_t>(stream, u.get(), 5);
  const std::vector<int64_t> gs = cts::download<int64_t>(stream, s.get(), 3);
  std::vector<uint64_t> gold = cts::download<uint64_t>(stream, old.get(), size_t{2} * n);
  uint64_t hmax = 0, hmin = ~uint64_t{0};
  int64_t smin = INT64_MAX, smax = INT64_MIN, sum = s0[0];
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t h = uint64_t{i} * CTS_H64_MUL;
    hmax = std::max(hmax, h);
    hmin = std::min(hmin, h);
    smin = std::min(smin, static_cast<int64_t>(h));
    smax = std::max(smax, static_cast<int64_t>(h));
    sum += static_cast<int64_t>(i & 255u) - 128;
  }
  const uint64_t step = 0x100000001ull;
  CHECK(gu[0] == 7 + step * n);
  CHECK(gu[1] == hmax);
  CHECK(gu[2] == hmin);
  CHECK(gu[4] == 0xFFFFFFF0ull + 3ull * n);
  CHECK(gs[0] == sum);
  CHECK(gs[1] == smin);
  CHECK(gs[2] == smax);
  std::vector<uint64_t> adds(gold.begin(), gold.begin() + n);
  std::sort(adds.begin(), adds.end());
  size_t wrong = 0;
  for (uint32_t k = 0; k < n; ++k) wrong += adds[k] != 7 + step * k;
  CHECK(wrong == 0);
  std::vector<uint64_t> exch(gold.begin() + n, gold.end());
  exch.push_back(gu[3]);
  std::sort(exch.begin(), exch.end());
  wrong = exch[0] != 0;
  for (uint32_t k = 0; k < n; ++k) wrong += exch[k + 1] != uint64_t{k} + step;
  CHECK(wrong == 0);
}

TEST_CASE("launch: float atomic add", "[launch]") {
  CTS_KERNEL(atomic_f32, "cts_atomic_f32");
  cts::Stream stream;
  const uint32_t n = 30000, block = cts::default_block();
  cts::Buffer f(4);
  cts::upload(stream, f.get(), std::vector<float>{100.0f});
  REQUIRE_OK(cts::launch(stream, atomic_f32, {cts::blocks_for(n, block)}, {block}, 0, n, f.get()));
  CHECK(cts::download<float>(stream, f.get(), 1)[0] == 100.0f + 0.5f * n);
}

TEST_CASE("launch: config limits are enforced", "[launch][errors]") {
  CTS_KERNEL(fill, "cts_fill_u32");
  const ohal_device_properties_t& p = cts::props();
  cts::Stream stream;
  cts::Buffer out(4096);
  REQUIRE_OK(ohal_memset_async(stream, out.get(), 0x1234u, 4, 1024));
  const uint32_t n = 1024, v = 0xBADu;
  const auto want = OHAL_ERROR_INVALID_LAUNCH_CONFIG;
  auto try_launch = [&](cts::Dim3 grid, cts::Dim3 block, uint32_t shared) {
    return cts::launch(stream, fill, grid, block, shared, out.get(), n, v);
  };
  CHECK_RESULT(try_launch({0, 1, 1}, {1, 1, 1}, 0), want);
  CHECK_RESULT(try_launch({1, 0, 1}, {1, 1, 1}, 0), want);
  CHECK_RESULT(try_launch({1, 1, 0}, {1, 1, 1}, 0), want);
  CHECK_RESULT(try_launch({1, 1, 1}, {0, 1, 1}, 0), want);
  CHECK_RESULT(try_launch({1, 1, 1}, {1, 0, 1}, 0), want);
  CHECK_RESULT(try_launch({1, 1, 1}, {1, 1, 0}, 0), want);
  if (p.max_block_dims[0] < 0xFFFFFFFFu) {
    CHECK_RESULT(try_launch({1}, {p.max_block_dims[0] + 1, 1, 1}, 0), want);
  }
  if (p.max_block_dims[1] < 0xFFFFFFFFu) {
    CHECK_RESULT(try_launch({1}, {1, p.max_block_dims[1] + 1, 1}, 0), want);
  }
  if (p.max_block_dims[2] < 0xFFFFFFFFu) {
    CHECK_RESULT(try_launch({1}, {1, 1, p.max_block_dims[2] + 1}, 0), want);
  }
  // Each dimension within its limit, the product above max_threads_per_block.
  const uint32_t bx = std::min(p.max_block_dims[0], p.max_threads_per_block);
  const uint32_t by = p.max_threads_per_block / bx + 1;
  if (by <= p.max_block_dims[1]) CHECK_RESULT(try_launch({1}, {bx, by, 1}, 0), want);
  for (int d = 0; d < 3; ++d) {
    if (p.max_grid_dims[d] == 0xFFFFFFFFu) continue;
    cts::Dim3 grid;
    (d == 0 ? grid.x : d == 1 ? grid.y : grid.z) = p.max_grid_dims[d] + 1;
    INFO("grid dimension " << d);
    CHECK_RESULT(try_launch(grid, {1}, 0), want);
  }
  CHECK_RESULT(try_launch({1}, {1}, p.max_shared_bytes_per_block + 1), want);
  CHECK_RESULT(try_launch({1}, {1}, 0xFFFFFFFFu), want);
  // A kernel's own limit can be below the device's.
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(fill, &kp));
  if (kp.max_threads_per_block < std::min(p.max_threads_per_block, p.max_block_dims[0])) {
    CHECK_RESULT(try_launch({1}, {kp.max_threads_per_block + 1}, 0), want);
  }
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 1024),
             std::vector<uint32_t>(1024, 0x1234u));
}

TEST_CASE("launch: static plus dynamic shared memory above the limit is rejected",
          "[launch][errors]") {
  CTS_REQUIRE_CAP(OHAL_CAP_DYNAMIC_SHARED);
  CTS_KERNEL(reduce, "cts_reduce_static");
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(reduce, &kp));
  if (kp.static_shared_bytes == 0) CTS_SKIP("the backend reports no static shared size");
  const uint32_t max = cts::props().max_shared_bytes_per_block;
  cts::Stream stream;
  cts::Buffer in(64), out(64);
  const uint32_t n = 16;
  CHECK_RESULT(cts::launch(stream, reduce, {1}, {16}, max - kp.static_shared_bytes + 1, in.get(), n,
                           out.get()),
               OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK_OK(
      cts::launch(stream, reduce, {1}, {16}, max - kp.static_shared_bytes, in.get(), n, out.get()));
  CHECK_OK(ohal_stream_synchronize(stream));
}

TEST_CASE("launch: arguments are checked", "[launch][errors]") {
  CTS_KERNEL(fill, "cts_fill_u32");
  cts::Stream stream;
  cts::Buffer out(64 * 4);
  REQUIRE_OK(ohal_memset_async(stream, out.get(), 0x1234u, 4, 64));
  void* ptr = out.get();
  uint32_t n = 64, v = 0xBADu;
  uint64_t wide = 64;
  const ohal_launch_config_t c = cts::config({1}, {64});
  const ohal_kernel_arg_t good[] = {{&ptr, 8}, {&n, 4}, {&v, 4}};
  CHECK_RESULT(ohal_launch(stream, fill, nullptr, 3, good), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_launch(stream, fill, &c, 3, nullptr), OHAL_ERROR_NULL_POINTER);
  const ohal_kernel_arg_t null_value[] = {{&ptr, 8}, {nullptr, 4}, {&v, 4}};
  CHECK_RESULT(ohal_launch(stream, fill, &c, 3, null_value), OHAL_ERROR_NULL_POINTER);
  const ohal_kernel_arg_t zero_size[] = {{&ptr, 8}, {&n, 0}, {&v, 4}};
  CHECK_RESULT(ohal_launch(stream, fill, &c, 3, zero_size), OHAL_ERROR_INVALID_KERNEL_ARGS);
  std::vector<ohal_kernel_arg_t> too_many(OHAL_KERNEL_MAX_ARGS + 1, ohal_kernel_arg_t{&n, 4});
  CHECK_RESULT(ohal_launch(stream, fill, &c, OHAL_KERNEL_MAX_ARGS + 1, too_many.data()),
               OHAL_ERROR_INVALID_KERNEL_ARGS);
  ohal_launch_config_t bad_size = c;
  bad_size.struct_size = 0;
  CHECK_RESULT(ohal_launch(stream, fill, &bad_size, 3, good), OHAL_ERROR_STRUCT_SIZE);
  CHECK_RESULT(ohal_launch(stream, nullptr, &c, 3, good), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_launch(nullptr, fill, &c, 3, good), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_launch(stream, reinterpret_cast<ohal_kernel_t>(stream.get()), &c, 3, good),
               OHAL_ERROR_INVALID_HANDLE);
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(fill, &kp));
  if (kp.arg_count_known) {
    CHECK_RESULT(ohal_launch(stream, fill, &c, 2, good), OHAL_ERROR_INVALID_KERNEL_ARGS);
    const ohal_kernel_arg_t four[] = {{&ptr, 8}, {&n, 4}, {&v, 4}, {&v, 4}};
    CHECK_RESULT(ohal_launch(stream, fill, &c, 4, four), OHAL_ERROR_INVALID_KERNEL_ARGS);
    const ohal_kernel_arg_t wrong_size[] = {{&ptr, 8}, {&wide, 8}, {&v, 4}};
    CHECK_RESULT(ohal_launch(stream, fill, &c, 3, wrong_size), OHAL_ERROR_INVALID_KERNEL_ARGS);
    const ohal_kernel_arg_t short_ptr[] = {{&ptr, 4}, {&n, 4}, {&v, 4}};
    CHECK_RESULT(ohal_launch(stream, fill, &c, 3, short_ptr), OHAL_ERROR_INVALID_KERNEL_ARGS);
  }
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 64), std::vector<uint32_t>(64, 0x1234u));
  REQUIRE_OK(ohal_launch(stream, fill, &c, 3, good));  // the good call does run
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 64), std::vector<uint32_t>(64, 0xBADu));
}

TEST_CASE("launch: a kernel of another device is rejected", "[launch][errors][multi_device]") {
  CTS_REQUIRE_OTHER_DEVICE(other);
  CTS_KERNEL(fill, "cts_fill_u32");
  cts::Stream their_stream(other);
  cts::Buffer theirs(64 * 4, OHAL_MEM_KIND_DEVICE, other);
  REQUIRE_OK(ohal_memset_async(their_stream, theirs.get(), 7u, 4, 64));
  CHECK_RESULT(cts::launch(their_stream, fill, {1}, {64}, 0, theirs.get(), 64u, 1u),
               OHAL_ERROR_DEVICE_MISMATCH);
  CHECK_SAME(cts::download<uint32_t>(their_stream, theirs.get(), 64),
             std::vector<uint32_t>(64, 7u));
}
