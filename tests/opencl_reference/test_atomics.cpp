// CTS kernels 11-13: 32- and 64-bit integer atomics (returned old values included) and float
// atomic add, under contention from every work-item.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <vector>

#include "cts_types.h"
#include "ocl_harness.hpp"

namespace {

constexpr size_t kBlock = 64;

// Enough blocks for n threads, plus one spare block whose threads must do nothing.
size_t grid_for(uint32_t n) {
  return (n + kBlock - 1) / kBlock + 1;
}

}  // namespace

TEST_CASE("atomics: cts_atomic32 add max min exch cas on unsigned and signed words",
          "[opencl][atomics]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_atomic32");
    for (const uint32_t n : {1u, 1000u, 4099u, 262147u}) {
      INFO("n " << n);
      const std::vector<uint32_t> u0 = {5u, 3u, 0xFFFFFFF0u, 1000000u, 7u};
      const std::vector<int32_t> s0 = {-1000, INT32_MAX, INT32_MIN};
      ocl::Buffer u(*e, u0);
      ocl::Buffer s(*e, s0);
      ocl::Buffer old(*e, std::vector<uint32_t>(2 * n + 2, 0xDEADBEEFu));
      kernel.args(n, u, s, old);
      OCL_REQUIRE(kernel.launch(*e, {grid_for(n)}, {kBlock}));

      uint32_t umax = u0[1], umin = u0[2];
      int32_t smin = s0[1], smax = s0[2], sum = s0[0];
      for (uint32_t i = 0; i < n; ++i) {
        const uint32_t h = i * CTS_H32_MUL;
        umax = std::max(umax, h);
        umin = std::min(umin, h);
        smin = std::min(smin, static_cast<int32_t>(h));
        smax = std::max(smax, static_cast<int32_t>(h));
        sum += static_cast<int32_t>(i & 255u) - 128;
      }
      const auto ur = u.read<uint32_t>();
      const auto sr = s.read<int32_t>();
      const auto oldr = old.read<uint32_t>();
      CHECK(ur[0] == u0[0] + n);
      CHECK(ur[1] == umax);
      CHECK(ur[2] == umin);
      CHECK(ur[4] == u0[4] + 3u * n);
      CHECK(sr == std::vector<int32_t>{sum, smin, smax});

      // Each add returned a distinct value before it: 5, 6, ... 5 + n - 1 in some order.
      std::vector<uint32_t> adds(oldr.begin(), oldr.begin() + n);
      std::sort(adds.begin(), adds.end());
      std::vector<uint32_t> expected_adds(n);
      for (uint32_t i = 0; i < n; ++i) expected_adds[i] = u0[0] + i;
      CHECK(adds == expected_adds);
      // The exchanges form one chain: the old values and the final word are the initial word
      // and every i + 1, each once.
      std::vector<uint32_t> chain(oldr.begin() + n, oldr.begin() + 2 * n);
      chain.push_back(ur[3]);
      std::sort(chain.begin(), chain.end());
      std::vector<uint32_t> expected_chain(n);
      for (uint32_t i = 0; i < n; ++i) expected_chain[i] = i + 1;
      expected_chain.push_back(u0[3]);
      std::sort(expected_chain.begin(), expected_chain.end());
      CHECK(chain == expected_chain);
      CHECK(oldr[2 * n] == 0xDEADBEEFu);  // threads past n did nothing
      CHECK(oldr[2 * n + 1] == 0xDEADBEEFu);
    }
  }
}

TEST_CASE("atomics: cts_atomic64 add max min exch cas on 64-bit words", "[opencl][atomics]") {
  OCL_ENV(e);
  // The spec requires the kernel only where the device has 64-bit atomics.
  if (!e->has_extension("cl_khr_int64_base_atomics") ||
      !e->has_extension("cl_khr_int64_extended_atomics")) {
    WARN("skipped: the device has no cl_khr_int64_base/extended_atomics");
    return;
  }
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_atomic64");
    for (const uint32_t n : {1u, 1000u, 4099u, 262147u}) {
      INFO("n " << n);
      const uint64_t step = 0x100000001ull;
      const std::vector<uint64_t> u0 = {0xFFFFFFF0FFFFFFF0ull, 1ull, ~0ull, 0x5555ull, 9ull};
      const std::vector<int64_t> s0 = {5, INT64_MAX, INT64_MIN};
      ocl::Buffer u(*e, u0);
      ocl::Buffer s(*e, s0);
      ocl::Buffer old(*e, std::vector<uint64_t>(2 * n + 2, 0xDEADBEEFull));
      kernel.args(n, u, s, old);
      OCL_REQUIRE(kernel.launch(*e, {grid_for(n)}, {kBlock}));

      uint64_t umax = u0[1], umin = u0[2];
      int64_t smin = s0[1], smax = s0[2], sum = s0[0];
      for (uint32_t i = 0; i < n; ++i) {
        const uint64_t h = static_cast<uint64_t>(i) * CTS_H64_MUL;
        umax = std::max(umax, h);
        umin = std::min(umin, h);
        smin = std::min(smin, static_cast<int64_t>(h));
        smax = std::max(smax, static_cast<int64_t>(h));
        sum += static_cast<int64_t>(i & 255u) - 128;
      }
      const auto ur = u.read<uint64_t>();
      const auto sr = s.read<int64_t>();
      const auto oldr = old.read<uint64_t>();
      CHECK(ur[0] == u0[0] + step * n);  // carries across the 32-bit halves
      CHECK(ur[1] == umax);
      CHECK(ur[2] == umin);
      CHECK(ur[4] == u0[4] + 3ull * n);
      CHECK(sr == std::vector<int64_t>{sum, smin, smax});

      std::vector<uint64_t> adds(oldr.begin(), oldr.begin() + n);
      std::sort(adds.begin(), adds.end());
      std::vector<uint64_t> expected_adds(n);
      for (uint32_t i = 0; i < n; ++i) expected_adds[i] = u0[0] + step * i;
      std::sort(expected_adds.begin(), expected_adds.end());  // the sum wraps past 2^64
      CHECK(adds == expected_adds);
      std::vector<uint64_t> chain(oldr.begin() + n, oldr.begin() + 2 * n);
      chain.push_back(ur[3]);
      std::sort(chain.begin(), chain.end());
      std::vector<uint64_t> expected_chain(n);
      for (uint32_t i = 0; i < n; ++i) expected_chain[i] = i + step;
      expected_chain.push_back(u0[3]);
      std::sort(expected_chain.begin(), expected_chain.end());
      CHECK(chain == expected_chain);
      CHECK(oldr[2 * n] == 0xDEADBEEFull);
      CHECK(oldr[2 * n + 1] == 0xDEADBEEFull);
    }
  }
}

TEST_CASE("atomics: cts_atomic_f32 adds 0.5 once per thread below n", "[opencl][atomics]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_atomic_f32");
    for (const uint32_t n : {0u, 1u, 1000u, 4099u, 262147u}) {
      INFO("n " << n);
      ocl::Buffer f(*e, std::vector<float>{1.0f, -7.0f});
      kernel.args(n, f);
      OCL_REQUIRE(kernel.launch(*e, {grid_for(n)}, {kBlock}));
      // 1 + n / 2 is exact in binary32 for these n, whatever the order of the additions.
      CHECK(f.read<float>() == std::vector<float>{1.0f + 0.5f * static_cast<float>(n), -7.0f});
    }
  }
}
