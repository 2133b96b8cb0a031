// Device properties and the three memory kinds.
#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "fixture.hpp"

TEST_CASE("vulkan: device properties come from the Vulkan limits", "[device]") {
  VK_DEVICE_OR_SKIP(dev);
  const ohal_device_properties_t& p = vktest::properties();
  CHECK(std::string(p.backend) == "vulkan");
  CHECK(std::strlen(p.name) > 0);
  CHECK(std::strlen(p.vendor) > 0);
  CHECK(p.kernel_formats == OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_SPIRV_VULKAN));
  CHECK(p.max_threads_per_block >= 128);  // Vulkan's minimum maxComputeWorkGroupInvocations
  for (int d = 0; d < 3; ++d) {
    CHECK(p.max_block_dims[d] >= 1);
    CHECK(p.max_grid_dims[d] >= 65535);  // minimum maxComputeWorkGroupCount
  }
  CHECK(p.max_shared_bytes_per_block >= 16384);
  CHECK(p.subgroup_size >= 1);
  CHECK(p.total_memory > 0);
  CHECK(p.free_memory <= p.total_memory);
  CHECK(p.max_allocation_size > 0);
  CHECK(p.memory_alignment >= 16);
  CHECK((p.memory_alignment & (p.memory_alignment - 1)) == 0);
  // Honest capabilities: never unified addressing; host functions and dynamic shared always.
  CHECK((p.capabilities & OHAL_CAP_UNIFIED_ADDRESSING) == 0);
  CHECK((p.capabilities & OHAL_CAP_HOST_FUNC) != 0);
  CHECK((p.capabilities & OHAL_CAP_DYNAMIC_SHARED) != 0);
  CHECK((p.capabilities & OHAL_CAP_MEM_HOST) != 0);
  CHECK((p.capabilities & OHAL_CAP_MEM_SHARED) != 0);
  bool uuid_set = false;
  for (uint8_t b : p.uuid) uuid_set |= b != 0;
  CHECK(uuid_set);
  // PCI location: all known or all 0xffffffff.
  const bool pci_unknown = p.pci_domain == 0xffffffffu;
  CHECK((p.pci_bus == 0xffffffffu) == pci_unknown);

  uint64_t free_bytes = 0, total_bytes = 0;
  REQUIRE_OK(ohal_mem_get_info(dev, &free_bytes, &total_bytes));
  CHECK(total_bytes == p.total_memory);
  CHECK(free_bytes <= total_bytes);

  // The backend's version string names the Vulkan loader.
  uint32_t count = 0;
  REQUIRE_OK(ohal_backend_count(&count));
  bool found = false;
  for (uint32_t i = 0; i < count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE_OK(ohal_backend_get_info(i, &info));
    if (std::string(info.name) != "vulkan") continue;
    found = true;
    CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
    CHECK(info.device_count >= 1);
    CHECK(std::string(info.version).find("Vulkan loader") != std::string::npos);
  }
  CHECK(found);
}

TEST_CASE("vulkan: allocations of all kinds are unique, aligned and described", "[memory]") {
  VK_DEVICE_OR_SKIP(dev);
  const uint32_t alignment = vktest::properties().memory_alignment;
  std::set<uintptr_t> bases;
  std::vector<std::unique_ptr<vktest::Mem>> mems;
  for (ohal_mem_kind_t kind : {OHAL_MEM_KIND_DEVICE, OHAL_MEM_KIND_HOST, OHAL_MEM_KIND_SHARED}) {
    for (size_t size : {size_t{1}, size_t{4097}, size_t{1} << 20}) {
      INFO("kind " << kind << " size " << size);
      mems.push_back(std::make_unique<vktest::Mem>(dev, size, kind));
      void* p = mems.back()->get();
      REQUIRE(p != nullptr);
      CHECK(reinterpret_cast<uintptr_t>(p) % alignment == 0);
      // Ranges never overlap one another.
      for (const auto& other : mems) {
        if (other.get() == mems.back().get()) continue;
        ohal_pointer_attributes_t attr = OHAL_POINTER_ATTRIBUTES_INIT;
        REQUIRE_OK(ohal_pointer_get_attributes(other->get(), &attr));
        const uintptr_t a = reinterpret_cast<uintptr_t>(p),
                        b = reinterpret_cast<uintptr_t>(attr.base);
        CHECK((a + size <= b || b + attr.size <= a));
      }
      CHECK(bases.insert(reinterpret_cast<uintptr_t>(p)).second);
      ohal_pointer_attributes_t attr = OHAL_POINTER_ATTRIBUTES_INIT;
      REQUIRE_OK(ohal_pointer_get_attributes(static_cast<char*>(p) + size - 1, &attr));
      CHECK(attr.is_registered == 1);
      CHECK(attr.kind == kind);
      CHECK(attr.base == p);
      CHECK(attr.size == size);
      void* device_ptr = nullptr;
      if (kind == OHAL_MEM_KIND_DEVICE) {
        CHECK(ohal_mem_get_device_pointer(p, &device_ptr) == OHAL_ERROR_INVALID_POINTER);
      } else {
        REQUIRE_OK(ohal_mem_get_device_pointer(p, &device_ptr));
        CHECK(device_ptr != nullptr);
        // Host memory is usable from the host directly.
        std::memset(p, 0x5a, size);
        CHECK(static_cast<unsigned char*>(p)[size - 1] == 0x5a);
      }
    }
  }
}

TEST_CASE("vulkan: OHAL_MEM_FLAG_ZERO zeroes every kind", "[memory]") {
  VK_DEVICE_OR_SKIP(dev);
  const size_t size = (3u << 20) + 5;
  for (ohal_mem_kind_t kind : {OHAL_MEM_KIND_DEVICE, OHAL_MEM_KIND_HOST, OHAL_MEM_KIND_SHARED}) {
    INFO("kind " << kind);
    // Dirty memory first so that a reused block would show.
    {
      vktest::Mem dirty(dev, size, kind);
      REQUIRE_OK(ohal_memset(dirty.get(), 0xff, 1, size));
    }
    vktest::Mem zeroed(dev, size, kind, OHAL_MEM_FLAG_ZERO);
    std::vector<unsigned char> out(size, 0xee);
    REQUIRE_OK(ohal_memcpy(out.data(), zeroed.get(), size));
    CHECK(std::count(out.begin(), out.end(), 0) == static_cast<std::ptrdiff_t>(size));
  }
}

TEST_CASE("vulkan: allocations above the limit fail with OUT_OF_DEVICE_MEMORY", "[memory]") {
  VK_DEVICE_OR_SKIP(dev);
  const uint64_t max = vktest::properties().max_allocation_size;
  void* p = nullptr;
  REQUIRE_RESULT(ohal_mem_alloc(dev, static_cast<size_t>(max) + 1, OHAL_MEM_KIND_DEVICE, 0, &p),
                 OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(std::strlen(ohal_last_error_message()) > 0);
}

TEST_CASE("vulkan: allocations stop at the heap's size and recover after frees", "[memory]") {
  VK_DEVICE_OR_SKIP(dev);
  const ohal_device_properties_t& p = vktest::properties();
  if (p.total_memory > (uint64_t{4} << 30)) {
    WARN("heap above 4 GiB: not exhausted here");
    return;
  }
  const size_t chunk =
      static_cast<size_t>(std::min<uint64_t>(p.total_memory / 8, p.max_allocation_size));
  std::vector<void*> held;
  ohal_result_t last = OHAL_SUCCESS;
  while (held.size() < 32) {
    void* ptr = nullptr;
    last = ohal_mem_alloc(dev, chunk, OHAL_MEM_KIND_DEVICE, 0, &ptr);
    if (last != OHAL_SUCCESS) break;
    held.push_back(ptr);
  }
  CHECK(last == OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(std::string(ohal_last_error_message()).find("heap") != std::string::npos);
  CHECK(uint64_t{held.size()} * chunk <= p.total_memory);
  CHECK(held.size() >= 6);  // the rest of the heap was there to take
  REQUIRE(!held.empty());
  REQUIRE_OK(ohal_mem_free(held.back()));
  held.pop_back();
  void* again = nullptr;
  REQUIRE_OK(ohal_mem_alloc(dev, chunk, OHAL_MEM_KIND_DEVICE, 0, &again));
  held.push_back(again);
  for (void* ptr : held) REQUIRE_OK(ohal_mem_free(ptr));
}
