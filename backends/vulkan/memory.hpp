// Buffers with their own VkDeviceMemory, and the HAL allocations built on them.
#pragma once

#include <cstdint>

#include "loader.hpp"
#include "openai_hal/backend.h"

namespace ohal::vk {

class Device;
enum class MemoryUse;

// A VkBuffer bound at offset 0 of a dedicated VkDeviceMemory, with its device address.
struct Buffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkDeviceAddress address = 0;
  void* map = nullptr;     // host mapping when host-visible and mapped, else nullptr
  uint64_t size = 0;       // bytes of the VkBuffer
  uint64_t allocated = 0;  // bytes of the VkDeviceMemory, counted in Device::heap_used
  uint32_t heap = 0;
  uint32_t memory_flags = 0;  // VkMemoryPropertyFlags of the chosen type
};

// Creates a buffer of at least `size` bytes in the best memory type for `use` that has room;
// maps it when `map` and the type is host-visible. Error set on failure.
ohal_result_t create_buffer(Device& device, uint64_t size, MemoryUse use, bool map, Buffer& out);
void destroy_buffer(Device& device, Buffer& buffer) noexcept;

// A HAL allocation (ohal_balloc_t.alloc).
struct Allocation {
  Device* device = nullptr;
  ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE;
  uint64_t size = 0;  // bytes the caller asked for
  Buffer buffer;
  bool reserved = false;  // the device address range is reserved in AddressSpace
};

ohal_result_t mem_alloc(Device& device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out);
ohal_result_t mem_free(Device& device, Allocation* allocation);

inline Allocation* to_allocation(void* alloc) {
  return static_cast<Allocation*>(alloc);
}

}  // namespace ohal::vk
