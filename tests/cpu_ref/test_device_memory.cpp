// Device properties, allocations, copies and fills.
#include <cstdlib>
#include <cstring>
#include <numeric>

#include "fixture.h"

using namespace cpu_ref_test;

TEST_CASE("cpu_ref: device properties", "[cpu_ref][device]") {
  ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
  OHAL_OK(ohal_device_get_properties(env().device, &p));
  CHECK(std::string(p.backend) == "cpu_ref");
  CHECK(p.type == OHAL_DEVICE_TYPE_CPU);
  CHECK(std::strlen(p.name) > 0);
  CHECK(p.total_memory > 0);
  CHECK(p.free_memory <= p.total_memory);
  CHECK(p.max_threads_per_block == 1024);
  CHECK(p.max_block_dims[0] == 1024);
  CHECK(p.max_block_dims[1] == 1024);
  CHECK(p.max_block_dims[2] == 64);
  CHECK(p.max_grid_dims[0] == 0x7fffffffu);
  CHECK(p.max_grid_dims[1] == 65535);
  CHECK(p.max_grid_dims[2] == 65535);
  CHECK(p.max_shared_bytes_per_block == 64 * 1024);
  CHECK(p.kernel_formats == OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_NATIVE_SO));
  const uint32_t caps = OHAL_CAP_UNIFIED_ADDRESSING | OHAL_CAP_MEM_HOST | OHAL_CAP_MEM_SHARED |
                        OHAL_CAP_ATOMICS_64 | OHAL_CAP_EVENT_TIMING | OHAL_CAP_HOST_FUNC |
                        OHAL_CAP_DYNAMIC_SHARED | OHAL_CAP_KERNEL_ARG_SIZES;
  CHECK((p.capabilities & caps) == caps);
  CHECK(p.memory_alignment >= 256);
  CHECK(p.compute_units >= 1);
  CHECK(p.pci_domain == 0xffffffffu);
  CHECK(p.pci_bus == 0xffffffffu);
  CHECK(p.pci_device == 0xffffffffu);
  CHECK(p.pci_function == 0xffffffffu);
  const uint8_t zero[OHAL_UUID_SIZE] = {};
  CHECK(std::memcmp(p.uuid, zero, sizeof zero) != 0);

  // The UUID is the same after a restart (deterministic).
  uint8_t uuid[OHAL_UUID_SIZE];
  std::memcpy(uuid, p.uuid, sizeof uuid);
  reset_env();
  ohal_device_properties_t again = OHAL_DEVICE_PROPERTIES_INIT;
  OHAL_OK(ohal_device_get_properties(env().device, &again));
  CHECK(std::memcmp(uuid, again.uuid, sizeof uuid) == 0);
}

TEST_CASE("cpu_ref: every memory kind is host-addressable and aligned", "[cpu_ref][memory]") {
  ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
  OHAL_OK(ohal_device_get_properties(env().device, &p));
  for (ohal_mem_kind_t kind : {OHAL_MEM_KIND_DEVICE, OHAL_MEM_KIND_HOST, OHAL_MEM_KIND_SHARED}) {
    for (size_t bytes : {size_t{1}, size_t{1000}, size_t{300000}, size_t{5} << 20}) {
      Buffer b(bytes, kind, OHAL_MEM_FLAG_ZERO);
      CHECK(reinterpret_cast<uintptr_t>(b.get()) % p.memory_alignment == 0);
      const auto* bytes_seen = b.as<unsigned char>();
      CHECK(std::all_of(bytes_seen, bytes_seen + bytes, [](unsigned char c) { return c == 0; }));
      if (kind != OHAL_MEM_KIND_DEVICE) {
        void* device_ptr = nullptr;
        OHAL_OK(ohal_mem_get_device_pointer(b.get(), &device_ptr));
        CHECK(device_ptr == b.get());
      }
    }
  }
}

TEST_CASE("cpu_ref: copies and fills, small and split over workers", "[cpu_ref][memory]") {
  Stream s;
  for (size_t bytes : {size_t{4096}, size_t{64} << 20}) {  // 64 MiB takes the parallel path
    Buffer a(bytes), b(bytes), host(bytes, OHAL_MEM_KIND_HOST);
    std::vector<uint32_t> pattern(bytes / 4);
    std::iota(pattern.begin(), pattern.end(), 12345u);
    upload(a.get(), pattern);
    OHAL_OK(ohal_memcpy_async(s, b.get(), a.get(), bytes));     // device to device
    OHAL_OK(ohal_memcpy_async(s, host.get(), b.get(), bytes));  // device to host memory
    OHAL_OK(ohal_stream_synchronize(s));
    CHECK(std::memcmp(host.get(), pattern.data(), bytes) == 0);

    OHAL_OK(ohal_memset_async(s, a.get(), 0xab, 1, bytes - 3));
    OHAL_OK(ohal_memset_async(s, b.get(), 0xbeef, 2, bytes / 2 - 1));
    OHAL_OK(ohal_memset_async(s, host.get(), 0xdeadbeefu, 4, bytes / 4 - 1));
    OHAL_OK(ohal_stream_synchronize(s));
    const auto a8 = download<uint8_t>(a.get(), bytes);
    const auto b16 = download<uint16_t>(b.get(), bytes / 2);
    const auto* h32 = host.as<uint32_t>();
    CHECK(std::count(a8.begin(), a8.end() - 3, uint8_t{0xab}) == static_cast<long>(bytes - 3));
    CHECK(a8[bytes - 1] == static_cast<uint8_t>(pattern.back() >> 24));  // untouched tail
    CHECK(std::count(b16.begin(), b16.end() - 1, uint16_t{0xbeef}) ==
          static_cast<long>(bytes / 2 - 1));
    CHECK(b16.back() == static_cast<uint16_t>(pattern.back() >> 16));
    CHECK(std::count(h32, h32 + bytes / 4 - 1, 0xdeadbeefu) == static_cast<long>(bytes / 4 - 1));
    CHECK(h32[bytes / 4 - 1] == pattern.back());
  }
}

TEST_CASE("cpu_ref: pageable memory is done with when the call returns", "[cpu_ref][memory]") {
  Stream s;
  Buffer d(1 << 20);
  // A slow kernel first, so that the copies below queue behind it.
  const uint32_t n = 1 << 18;
  OHAL_OK(launch(s, kernel("slow_fill"), {n / 256}, {256}, 0, spin_iterations(0.0005), n, 7u,
                 d.as<uint32_t>()));
  std::vector<uint32_t> src(n, 99u);
  OHAL_OK(ohal_memcpy_async(s, d.get(), src.data(), 64));  // small: staged
  std::fill(src.begin(), src.end(), 0u);                   // the caller may reuse it at once
  std::vector<uint32_t> dst(n, 1u);
  OHAL_OK(ohal_memcpy_async(s, dst.data(), d.get(), n * 4));  // pageable destination: waits
  CHECK(dst[0] == 99u);
  CHECK(dst[15] == 99u);
  CHECK(dst[16] == 7u);
  CHECK(dst[n - 1] == 7u);
}

TEST_CASE("cpu_ref: OHAL_CPU_REF_MEMORY_LIMIT caps device memory", "[cpu_ref][memory]") {
  reset_env();
  REQUIRE(setenv("OHAL_CPU_REF_MEMORY_LIMIT", "67108864", 1) == 0);
  uint64_t free_bytes = 0, total = 0;
  OHAL_OK(ohal_mem_get_info(env().device, &free_bytes, &total));
  CHECK(total == 64u << 20);
  std::vector<void*> blocks;
  ohal_result_t r = OHAL_SUCCESS;
  while (blocks.size() < 100) {
    void* p = nullptr;
    r = ohal_mem_alloc(env().device, 10u << 20, OHAL_MEM_KIND_DEVICE, 0, &p);
    if (r != OHAL_SUCCESS) break;
    blocks.push_back(p);
  }
  CHECK(r == OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(blocks.size() == 6);
  {
    Buffer host(32u << 20, OHAL_MEM_KIND_HOST);  // HOST memory is not device memory
    OHAL_OK(ohal_mem_get_info(env().device, &free_bytes, &total));
    CHECK(free_bytes == (64u << 20) - 6 * (10u << 20));
  }
  for (void* p : blocks) OHAL_OK(ohal_mem_free(p));
  void* p = nullptr;
  OHAL_OK(ohal_mem_alloc(env().device, 60u << 20, OHAL_MEM_KIND_SHARED, 0, &p));
  OHAL_OK(ohal_mem_free(p));
  unsetenv("OHAL_CPU_REF_MEMORY_LIMIT");
  reset_env();
}
