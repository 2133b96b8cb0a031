// Allocation, free, zeroed memory, host access and device pointers.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "cts.hpp"

namespace {

std::vector<uint8_t> pattern_bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed;
  for (auto& b : v) {
    x = x * CTS_LCG_MUL + CTS_LCG_ADD;
    b = static_cast<uint8_t>(x >> 24);
  }
  return v;
}

}  // namespace

TEST_CASE("memory: every offered kind allocates aligned distinct usable ranges", "[memory]") {
  const uint32_t alignment = cts::props().memory_alignment;
  cts::Stream stream;
  for (ohal_mem_kind_t kind : cts::offered_kinds()) {
    INFO("kind " << cts::kind_name(kind));
    std::vector<std::unique_ptr<cts::Buffer>> buffers;
    for (size_t size : {size_t{1}, size_t{3}, size_t{4096}, size_t{(1u << 20) + 7}}) {
      buffers.push_back(std::make_unique<cts::Buffer>(size, kind));
      const cts::Buffer& b = *buffers.back();
      CHECK(reinterpret_cast<uintptr_t>(b.get()) % alignment == 0);
      const std::vector<uint8_t> data = pattern_bytes(size, static_cast<uint32_t>(size));
      cts::upload(stream, b.get(), data);
      CHECK_SAME(cts::download<uint8_t>(stream, b.get(), size), data);
    }
    std::vector<std::pair<uintptr_t, size_t>> ranges;
    for (const auto& b : buffers)
      ranges.emplace_back(reinterpret_cast<uintptr_t>(b->get()), b->size());
    std::sort(ranges.begin(), ranges.end());
    for (size_t i = 1; i < ranges.size(); ++i) {
      CHECK(ranges[i - 1].first + ranges[i - 1].second <= ranges[i].first);
    }
  }
}

TEST_CASE("memory: OHAL_MEM_FLAG_ZERO returns zeroed memory", "[memory]") {
  cts::Stream stream;
  const size_t size = (1u << 20) + 5;
  for (ohal_mem_kind_t kind : cts::offered_kinds()) {
    INFO("kind " << cts::kind_name(kind));
    {
      // Dirty memory first, so that a recycled block would show.
      cts::Buffer dirty(size, kind);
      REQUIRE_OK(ohal_memset_async(stream, dirty.get(), 0xAB, 1, size));
      REQUIRE_OK(ohal_stream_synchronize(stream));
    }
    cts::Buffer zeroed(size, kind, nullptr, OHAL_MEM_FLAG_ZERO);
    const std::vector<uint8_t> back = cts::download<uint8_t>(stream, zeroed.get(), size);
    CHECK(std::count(back.begin(), back.end(), uint8_t{0}) == static_cast<ptrdiff_t>(size));
  }
}

TEST_CASE("memory: HOST and SHARED memory is host accessible and kernels see it", "[memory]") {
  std::vector<ohal_mem_kind_t> kinds;
  if (cts::has_cap(OHAL_CAP_MEM_HOST)) kinds.push_back(OHAL_MEM_KIND_HOST);
  if (cts::has_cap(OHAL_CAP_MEM_SHARED)) kinds.push_back(OHAL_MEM_KIND_SHARED);
  if (kinds.empty()) CTS_SKIP("no OHAL_CAP_MEM_HOST or OHAL_CAP_MEM_SHARED");
  CTS_KERNEL(copy, "cts_copy_u32");
  CTS_KERNEL(fill, "cts_fill_u32");
  cts::Stream stream;
  const uint32_t n = 1000, block = cts::default_block();
  for (ohal_mem_kind_t kind : kinds) {
    INFO("kind " << cts::kind_name(kind));
    cts::Buffer host(n * 4, kind);
    cts::Buffer dev(n * 4);
    uint32_t* h = host.as<uint32_t>();
    for (uint32_t i = 0; i < n; ++i) h[i] = i * 3u + 1u;  // written by the CPU directly
    REQUIRE_OK(cts::launch(stream, copy, {cts::blocks_for(n, block)}, {block}, 0, dev.get(),
                           host.device_ptr(), n));
    std::vector<uint32_t> got = cts::download<uint32_t>(stream, dev.get(), n);
    for (uint32_t i = 0; i < n; ++i) REQUIRE(got[i] == i * 3u + 1u);
    REQUIRE_OK(cts::launch(stream, fill, {cts::blocks_for(n, block)}, {block}, 0, host.device_ptr(),
                           n, 0xC0FFEEu));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    CHECK(std::count(h, h + n, 0xC0FFEEu) == n);  // read by the CPU directly
  }
}

TEST_CASE("memory: free waits for work that uses the allocation", "[memory]") {
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream stream;
  void* out = nullptr;
  REQUIRE_OK(ohal_mem_alloc(cts::device(), 8, OHAL_MEM_KIND_DEVICE, 0, &out));
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, out, cts::spin_iterations(), 5u));
  REQUIRE_OK(ohal_mem_free(out));
  // ohal_mem_free synchronized the device, so the kernel has finished.
  CHECK_OK(ohal_stream_query(stream));
}

TEST_CASE("memory: alloc checks its arguments", "[memory][errors]") {
  ohal_device_t dev = cts::device();
  const ohal_device_properties_t& p = cts::props();
  void* ptr = nullptr;
  CHECK_RESULT(ohal_mem_alloc(dev, 0, OHAL_MEM_KIND_DEVICE, 0, &ptr), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_mem_alloc(dev, 64, static_cast<ohal_mem_kind_t>(3), 0, &ptr),
               OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_mem_alloc(dev, 64, OHAL_MEM_KIND_FORCE32, 0, &ptr), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_mem_alloc(dev, 64, OHAL_MEM_KIND_DEVICE, 1u << 7, &ptr),
               OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_mem_alloc(dev, 64, OHAL_MEM_KIND_DEVICE, 0, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_mem_alloc(nullptr, 64, OHAL_MEM_KIND_DEVICE, 0, &ptr),
               OHAL_ERROR_INVALID_HANDLE);
  cts::Stream stream;
  CHECK_RESULT(ohal_mem_alloc(reinterpret_cast<ohal_device_t>(stream.get()), 64,
                              OHAL_MEM_KIND_DEVICE, 0, &ptr),
               OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(
      ohal_mem_alloc(dev, std::numeric_limits<size_t>::max(), OHAL_MEM_KIND_DEVICE, 0, &ptr),
      OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  if (p.max_allocation_size < std::numeric_limits<size_t>::max()) {
    CHECK_RESULT(ohal_mem_alloc(dev, static_cast<size_t>(p.max_allocation_size) + 1,
                                OHAL_MEM_KIND_DEVICE, 0, &ptr),
                 OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  }
  if (!cts::has_cap(OHAL_CAP_MEM_HOST)) {
    CHECK_RESULT(ohal_mem_alloc(dev, 64, OHAL_MEM_KIND_HOST, 0, &ptr), OHAL_ERROR_UNSUPPORTED);
  }
  if (!cts::has_cap(OHAL_CAP_MEM_SHARED)) {
    CHECK_RESULT(ohal_mem_alloc(dev, 64, OHAL_MEM_KIND_SHARED, 0, &ptr), OHAL_ERROR_UNSUPPORTED);
  }
  CHECK(ptr == nullptr);  // never written by a failing call
}

TEST_CASE("memory: free checks its argument", "[memory][errors]") {
  CHECK_RESULT(ohal_mem_free(nullptr), OHAL_ERROR_NULL_POINTER);
  int local = 0;
  CHECK_RESULT(ohal_mem_free(&local), OHAL_ERROR_INVALID_POINTER);
  auto heap = std::make_unique<uint64_t[]>(16);
  CHECK_RESULT(ohal_mem_free(heap.get()), OHAL_ERROR_INVALID_POINTER);
  void* ptr = nullptr;
  REQUIRE_OK(ohal_mem_alloc(cts::device(), 256, OHAL_MEM_KIND_DEVICE, 0, &ptr));
  CHECK_RESULT(ohal_mem_free(static_cast<uint8_t*>(ptr) + 1), OHAL_ERROR_INVALID_POINTER);
  CHECK_RESULT(ohal_mem_free(static_cast<uint8_t*>(ptr) + 128), OHAL_ERROR_INVALID_POINTER);
  REQUIRE_OK(ohal_mem_free(ptr));
  CHECK_RESULT(ohal_mem_free(ptr), OHAL_ERROR_INVALID_POINTER);  // double free
}

TEST_CASE("memory: get_device_pointer maps HOST and SHARED memory", "[memory]") {
  const bool unified = cts::has_cap(OHAL_CAP_UNIFIED_ADDRESSING);
  for (ohal_mem_kind_t kind : cts::offered_kinds()) {
    if (kind == OHAL_MEM_KIND_DEVICE) continue;
    INFO("kind " << cts::kind_name(kind));
    cts::Buffer b(4096, kind);
    void* base = nullptr;
    void* inner = nullptr;
    REQUIRE_OK(ohal_mem_get_device_pointer(b.get(), &base));
    REQUIRE_OK(ohal_mem_get_device_pointer(b.bytes() + 100, &inner));
    CHECK(base != nullptr);
    CHECK(static_cast<uint8_t*>(inner) == static_cast<uint8_t*>(base) + 100);
    if (unified) CHECK(base == b.get());
  }
}

TEST_CASE("memory: get_device_pointer checks its arguments", "[memory][errors]") {
  cts::Buffer dev(256);
  void* out = nullptr;
  CHECK_RESULT(ohal_mem_get_device_pointer(dev.get(), &out), OHAL_ERROR_INVALID_POINTER);
  int local = 0;
  CHECK_RESULT(ohal_mem_get_device_pointer(&local, &out), OHAL_ERROR_INVALID_POINTER);
  CHECK_RESULT(ohal_mem_get_device_pointer(nullptr, &out), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_mem_get_device_pointer(dev.get(), nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK(out == nullptr);
}
