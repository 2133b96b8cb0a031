// Launch geometry, argument packing, atomics and kernel properties.
#include <cstring>
#include <set>

#include "fixture.h"
#include "kernels/atomic_counters.h"

using namespace cpu_ref_test;

TEST_CASE("cpu_ref: 3-D grids and blocks see their indices", "[cpu_ref][launch]") {
  Stream s;
  const Dim3 grid{3, 2, 5}, block{4, 3, 2};
  const uint32_t blocks = grid.x * grid.y * grid.z, threads = block.x * block.y * block.z;
  Buffer d(size_t{blocks} * threads * 16, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  OHAL_OK(launch(s, kernel("index_3d"), grid, block, 0, d.as<uint32_t>()));
  OHAL_OK(ohal_stream_synchronize(s));
  const auto v = download<uint32_t>(d.get(), size_t{blocks} * threads * 4);
  for (uint32_t bz = 0; bz < grid.z; ++bz)
    for (uint32_t by = 0; by < grid.y; ++by)
      for (uint32_t bx = 0; bx < grid.x; ++bx)
        for (uint32_t tz = 0; tz < block.z; ++tz)
          for (uint32_t ty = 0; ty < block.y; ++ty)
            for (uint32_t tx = 0; tx < block.x; ++tx) {
              const uint32_t b = bx + grid.x * (by + grid.y * bz);
              const uint32_t t = tx + block.x * (ty + block.y * tz);
              const uint32_t* o = &v[4 * (b * threads + t)];
              INFO("block " << bx << "," << by << "," << bz << " thread " << tx << "," << ty << ","
                            << tz);
              REQUIRE(o[0] == (tx | ty << 8 | tz << 16));
              REQUIRE(o[1] == (bx | by << 8 | bz << 16));
              REQUIRE(o[2] == (block.x | block.y << 8 | block.z << 16));
              REQUIRE(o[3] == (grid.x | grid.y << 8 | grid.z << 16));
            }
}

TEST_CASE("cpu_ref: arguments of every size arrive intact", "[cpu_ref][launch]") {
  struct Big {
    uint8_t bytes[61];
  } big;
  uint64_t expected_sum = 0;
  for (int i = 0; i < 61; ++i) {
    big.bytes[i] = static_cast<uint8_t>(200 + i);
    expected_sum += uint64_t{big.bytes[i]} * static_cast<uint64_t>(i + 1);
  }
  Stream s;
  Buffer d(64, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO);
  const uint8_t a = 0xa5;
  const uint16_t b = 0xbeef;
  const uint32_t c = 0xdeadbeefu;
  const uint64_t dd = 0x0123456789abcdefull;
  const float f = 2.5f;
  const double g = 3.25;
  const uint8_t h = 0x5a;
  OHAL_OK(launch(s, kernel("args_mix"), {1}, {1}, 0, a, b, c, dd, big, f, g, h, d.as<uint64_t>()));
  OHAL_OK(ohal_stream_synchronize(s));
  const uint64_t* o = d.as<uint64_t>();
  CHECK(o[0] == a);
  CHECK(o[1] == b);
  CHECK(o[2] == c);
  CHECK(o[3] == dd);
  CHECK(o[4] == expected_sum);
  CHECK(o[5] == 10);
  CHECK(o[6] == 26);
  CHECK(o[7] == h);

  ohal_kernel_properties_t p = OHAL_KERNEL_PROPERTIES_INIT;
  OHAL_OK(ohal_kernel_get_properties(kernel("args_mix"), &p));
  CHECK(std::string(p.name) == "args_mix");
  CHECK(p.arg_count_known == 1);
  REQUIRE(p.arg_count == 9);
  const uint32_t sizes[9] = {1, 2, 4, 8, 61, 4, 8, 1, 8};
  for (int i = 0; i < 9; ++i) CHECK(p.arg_sizes[i] == sizes[i]);
  CHECK(p.max_threads_per_block == 1024);
}

TEST_CASE("cpu_ref: atomics are exact", "[cpu_ref][launch][atomics]") {
  const uint32_t blocks = 37, threads = 255, total = blocks * threads;
  Stream s;
  Buffer c(sizeof(AtomicCounters), OHAL_MEM_KIND_SHARED, OHAL_MEM_FLAG_ZERO);
  Buffer tickets(total * 4 * 3, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  AtomicCounters init{};
  init.i32_max = INT32_MIN;
  init.u32_min = UINT32_MAX;
  init.i64_max = INT64_MIN;
  init.u64_min = UINT64_MAX;
  std::memcpy(c.get(), &init, sizeof init);
  for (int round = 0; round < 3; ++round) {
    OHAL_OK(launch(s, kernel("atomics"), {blocks}, {threads}, 0, c.as<AtomicCounters>(),
                   tickets.as<uint32_t>()));
  }
  OHAL_OK(ohal_stream_synchronize(s));
  AtomicCounters r;
  std::memcpy(&r, c.get(), sizeof r);
  const uint64_t launches = 3;
  CHECK(r.i32_sum == -static_cast<int32_t>(total * launches));
  CHECK(r.u32_sum == 2 * total * launches);
  CHECK(r.i64_sum == -3000000000ll * static_cast<int64_t>(total * launches));
  CHECK(r.u64_sum == 5000000000ull * total * launches);
  CHECK(r.f32_sum == static_cast<float>(total * launches));
  CHECK(r.i32_min == -static_cast<int32_t>(total - 1));
  CHECK(r.u32_max == 3 * (total - 1));
  CHECK(r.i64_min == -static_cast<int64_t>(total - 1) * 4000000000ll);
  CHECK(r.u64_max == static_cast<uint64_t>(total - 1) * 5000000000ull);
  CHECK(r.i32_max == static_cast<int32_t>(total - 1) - 100);
  CHECK(r.u32_min == 7u);
  CHECK(r.i64_max == static_cast<int64_t>(total - 1) - 100);
  CHECK(r.u64_min == 9u);
  CHECK(r.cas32 == total * launches);
  CHECK(r.cas64 == total * launches);
  CHECK(r.exch32 < total);
  CHECK(r.exch64 < total);
  CHECK(r.exch_i32 <= 0);
  CHECK(r.exch_i32 > -static_cast<int32_t>(total));
  CHECK(r.exch_i64 <= 0);
  // ohal_atomic_add on u32_sum returned each old value 0, 2, 4, ... exactly once.
  const auto t = download<uint32_t>(tickets.get(), total * launches);
  CHECK(std::count(t.begin(), t.end(), 1u) == static_cast<long>(total * launches));
}
