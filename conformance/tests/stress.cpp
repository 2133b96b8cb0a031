// Stress: many objects, many launches, memory exhaustion and recovery.
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "cts.hpp"

TEST_CASE("stress: 10000 streams and 10000 events created and destroyed", "[stress]") {
  ohal_device_t dev = cts::device();
  std::vector<ohal_event_t> events(10000, nullptr);
  for (auto& e : events) REQUIRE_OK(ohal_event_create(dev, 0, &e));
  // Streams in batches of 1000 alive at once, each used once.
  for (uint32_t batch = 0; batch < 10; ++batch) {
    std::vector<ohal_stream_t> streams(1000, nullptr);
    for (size_t i = 0; i < streams.size(); ++i) {
      REQUIRE_OK(ohal_stream_create(dev, 0, &streams[i]));
      REQUIRE_OK(ohal_event_record(events[batch * 1000 + i], streams[i]));
    }
    for (ohal_stream_t s : streams) REQUIRE_OK(ohal_stream_destroy(s));
  }
  for (ohal_event_t e : events) REQUIRE_OK(ohal_event_synchronize(e));
  for (ohal_event_t e : events) REQUIRE_OK(ohal_event_destroy(e));
  for (ohal_event_t e : {events.front(), events.back()}) {
    CHECK_RESULT(ohal_event_query(e), OHAL_ERROR_INVALID_HANDLE);
  }
}

TEST_CASE("stress: 100000 small launches on one stream", "[stress]") {
  CTS_KERNEL(inc, "cts_inc");
  cts::Stream stream;
  cts::Buffer counter(4);
  REQUIRE_OK(ohal_memset_async(stream, counter.get(), 0u, 4, 1));
  void* ptr = counter.get();
  const ohal_kernel_arg_t args[] = {{&ptr, sizeof(ptr)}};
  const ohal_launch_config_t c = cts::config({1}, {1});
  const uint32_t launches = 100000;
  for (uint32_t i = 0; i < launches; ++i) {
    const ohal_result_t r = ohal_launch(stream, inc, &c, 1, args);
    if (r != OHAL_SUCCESS) REQUIRE_OK(r);
  }
  CHECK(cts::download<uint32_t>(stream, counter.get(), 1)[0] == launches);
}

TEST_CASE("stress: allocate until OUT_OF_DEVICE_MEMORY then recover", "[stress][memory]") {
  const ohal_device_properties_t& p = cts::props();
  const uint64_t cap = uint64_t{4} << 30;
  if (p.total_memory > cap) {
    CTS_SKIP("total memory " + std::to_string(p.total_memory >> 20) +
             " MiB is above the 4 GiB this test exhausts (cpu_ref: OHAL_CPU_REF_MEMORY_LIMIT)");
  }
  ohal_device_t dev = cts::device();
  const size_t chunk = static_cast<size_t>(
      std::min<uint64_t>(std::max<uint64_t>(p.total_memory / 16, 1u << 20), p.max_allocation_size));
  // Stop at twice the reported memory: a backend that never says "exhausted" fails here
  // instead of handing out unbounded address space.
  const size_t attempts = static_cast<size_t>(2 * p.total_memory / chunk) + 4;
  std::vector<void*> held;
  ohal_result_t last = OHAL_SUCCESS;
  while (held.size() < attempts) {
    void* ptr = nullptr;
    last = ohal_mem_alloc(dev, chunk, OHAL_MEM_KIND_DEVICE, 0, &ptr);
    if (last != OHAL_SUCCESS) break;
    held.push_back(ptr);
  }
  INFO(held.size() << " chunks of " << chunk << " bytes; total memory " << p.total_memory);
  CHECK_RESULT(last, OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(uint64_t{held.size()} * chunk <= p.total_memory);
  REQUIRE(!held.empty());
  // Freed memory can be allocated again.
  const size_t count = held.size();
  REQUIRE_OK(ohal_mem_free(held.back()));
  held.pop_back();
  void* again = nullptr;
  REQUIRE_OK(ohal_mem_alloc(dev, chunk, OHAL_MEM_KIND_DEVICE, 0, &again));
  held.push_back(again);
  for (void* ptr : held) REQUIRE_OK(ohal_mem_free(ptr));
  held.clear();
  for (size_t i = 0; i < count; ++i) {
    void* ptr = nullptr;
    REQUIRE_OK(ohal_mem_alloc(dev, chunk, OHAL_MEM_KIND_DEVICE, 0, &ptr));
    held.push_back(ptr);
  }
  for (void* ptr : held) REQUIRE_OK(ohal_mem_free(ptr));
  // And the device still works.
  cts::Stream stream;
  cts::Buffer b(4096);
  REQUIRE_OK(ohal_memset_async(stream, b.get(), 0x77u, 4, 1024));
  CHECK_SAME(cts::download<uint32_t>(stream, b.get(), 1024), std::vector<uint32_t>(1024, 0x77u));
}

TEST_CASE("stress: 10000 allocations freed in random order", "[stress][memory]") {
  ohal_device_t dev = cts::device();
  const std::vector<ohal_mem_kind_t> kinds = cts::offered_kinds();
  std::mt19937 rng(5);
  struct Allocation {
    void* ptr;
    size_t size;
  };
  std::vector<Allocation> allocations;
  for (uint32_t i = 0; i < 10000; ++i) {
    const size_t size = 1 + rng() % 5000;
    void* ptr = nullptr;
    REQUIRE_OK(ohal_mem_alloc(dev, size, kinds[i % kinds.size()], 0, &ptr));
    allocations.push_back({ptr, size});
  }
  std::shuffle(allocations.begin(), allocations.end(), rng);
  size_t wrong = 0;
  for (size_t i = 0; i < allocations.size(); ++i) {
    const Allocation& a = allocations[i];
    if (i % 10 == 0) {
      ohal_pointer_attributes_t attr = OHAL_POINTER_ATTRIBUTES_INIT;
      REQUIRE_OK(ohal_pointer_get_attributes(static_cast<uint8_t*>(a.ptr) + a.size - 1, &attr));
      wrong += attr.base != a.ptr || attr.size != a.size;
    }
    REQUIRE_OK(ohal_mem_free(a.ptr));
  }
  CHECK(wrong == 0);
}
