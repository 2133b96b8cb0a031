#include "memory.hpp"

#include <cstring>
#include <memory>
#include <vector>

#include "address_space.hpp"
#include "copy.hpp"
#include "device.hpp"

namespace ohal::vk {

namespace {
// Device-address collisions with host memory are retried this many times with the colliding
// buffers held, so the driver hands out other addresses.
constexpr int kCollisionRetries = 8;
}  // namespace

ohal_result_t create_buffer(Device& device, uint64_t size, MemoryUse use, bool map, Buffer& out) {
  if (size == 0) size = 1;
  // Whole words, so fills and the partial-word shader never reach past the buffer.
  const uint64_t buffer_size = (size + 15) & ~uint64_t{15};
  if (buffer_size < size || buffer_size > device.max_buffer_size) {
    return failf(OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
                 "{} bytes is above the device's largest buffer ({} bytes)", size,
                 device.max_buffer_size);
  }
  const DeviceFns& fn = device.fn;
  Buffer b;
  b.size = buffer_size;
  auto info = vk_struct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
  info.size = buffer_size;
  info.usage = Device::kBufferUsage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkResult r = fn.vkCreateBuffer(device.device, &info, nullptr, &b.buffer);
  if (r != VK_SUCCESS) return device.vk_fail("vkCreateBuffer", r, fmt::format("{} bytes", size));
  VkMemoryRequirements req{};
  fn.vkGetBufferMemoryRequirements(device.device, b.buffer, &req);
  const std::vector<uint32_t> types = device.memory_types(req.memoryTypeBits, use);
  if (types.empty()) {
    fn.vkDestroyBuffer(device.device, b.buffer, nullptr);
    return fail(OHAL_ERROR_UNSUPPORTED, "no memory type of the device suits this allocation kind");
  }
  auto flags = vk_struct<VkMemoryAllocateFlagsInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO);
  flags.flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT;
  auto dedicated =
      vk_struct<VkMemoryDedicatedAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO);
  dedicated.buffer = b.buffer;
  dedicated.pNext = &flags;
  auto alloc = vk_struct<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
  alloc.pNext = &dedicated;
  alloc.allocationSize = req.size;
  // The best type first; on exhaustion fall back to the next (e.g. a full resizable-BAR heap).
  // Each heap's size is enforced here: drivers of host-memory devices (lavapipe) overcommit,
  // and an allocation beyond what the device reports would never fail.
  r = VK_ERROR_OUT_OF_DEVICE_MEMORY;
  bool heap_full = false;
  uint32_t full_heap = 0;
  for (uint32_t type : types) {
    const uint32_t heap = device.memory_props.memoryTypes[type].heapIndex;
    if (!device.reserve_heap(heap, req.size)) {
      heap_full = true;
      full_heap = heap;
      continue;
    }
    alloc.memoryTypeIndex = type;
    r = fn.vkAllocateMemory(device.device, &alloc, nullptr, &b.memory);
    if (r == VK_SUCCESS) {
      b.heap = heap;
      b.allocated = req.size;
      b.memory_flags = device.memory_props.memoryTypes[type].propertyFlags;
      break;
    }
    device.release_heap(heap, req.size);
    if (r != VK_ERROR_OUT_OF_DEVICE_MEMORY && r != VK_ERROR_OUT_OF_HOST_MEMORY) break;
  }
  if (r != VK_SUCCESS) {
    fn.vkDestroyBuffer(device.device, b.buffer, nullptr);
    if (heap_full && r == VK_ERROR_OUT_OF_DEVICE_MEMORY) {
      return failf(OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
                   "vkAllocateMemory not called: {} bytes do not fit in memory heap {} ({} of "
                   "{} bytes in use)",
                   req.size, full_heap, device.heap_used[full_heap].load(),
                   device.memory_props.memoryHeaps[full_heap].size);
    }
    return device.vk_fail("vkAllocateMemory", r, fmt::format("{} bytes", req.size));
  }
  r = fn.vkBindBufferMemory(device.device, b.buffer, b.memory, 0);
  if (r != VK_SUCCESS) {
    destroy_buffer(device, b);
    return device.vk_fail("vkBindBufferMemory", r);
  }
  auto address = vk_struct<VkBufferDeviceAddressInfo>(VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO);
  address.buffer = b.buffer;
  b.address = fn.vkGetBufferDeviceAddress(device.device, &address);
  if (map && (b.memory_flags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) != 0) {
    r = fn.vkMapMemory(device.device, b.memory, 0, VK_WHOLE_SIZE, 0, &b.map);
    if (r != VK_SUCCESS) {
      b.map = nullptr;
      destroy_buffer(device, b);
      return device.vk_fail("vkMapMemory", r);
    }
  }
  b.size = buffer_size;
  out = b;
  return OHAL_SUCCESS;
}

void destroy_buffer(Device& device, Buffer& b) noexcept {
  if (b.map != nullptr) device.fn.vkUnmapMemory(device.device, b.memory);
  if (b.buffer != VK_NULL_HANDLE) device.fn.vkDestroyBuffer(device.device, b.buffer, nullptr);
  if (b.memory != VK_NULL_HANDLE) {
    device.fn.vkFreeMemory(device.device, b.memory, nullptr);
    device.release_heap(b.heap, b.allocated);
  }
  b = Buffer{};
}

namespace {

MemoryUse use_of(ohal_mem_kind_t kind) {
  switch (kind) {
    case OHAL_MEM_KIND_HOST:
      return MemoryUse::kHost;
    case OHAL_MEM_KIND_SHARED:
      return MemoryUse::kShared;
    default:
      return MemoryUse::kDevice;
  }
}

// Makes a DEVICE allocation's address safe as a process-unique HAL pointer.
AddressSpace::Outcome claim_address(Allocation& a, std::string& detail) {
  // Where the device address is this process's own mapping of the memory (CPU devices such as
  // lavapipe), it is already host memory nobody else can get.
  if (a.buffer.map != nullptr && reinterpret_cast<uintptr_t>(a.buffer.map) == a.buffer.address) {
    return AddressSpace::Outcome::kOutsideUser;
  }
  AddressSpace::Outcome outcome =
      AddressSpace::instance().reserve(a.buffer.address, a.buffer.size, detail);
  a.reserved = outcome == AddressSpace::Outcome::kReserved;
  return outcome;
}

}  // namespace

ohal_result_t mem_alloc(Device& device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out) {
  if (ohal_result_t lost = device.check_lost(); lost != OHAL_SUCCESS) return lost;
  if (size > device.hal_props.max_allocation_size) {
    return failf(OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
                 "{} bytes is above the device's max_allocation_size ({} bytes)", size,
                 device.hal_props.max_allocation_size);
  }
  auto a = std::make_unique<Allocation>();
  a->device = &device;
  a->kind = kind;
  a->size = size;
  const MemoryUse use = use_of(kind);
  // Map DEVICE memory too where it is host-visible: on CPU devices the mapping is the address.
  std::vector<Buffer> collided;
  ohal_result_t result = OHAL_SUCCESS;
  for (int attempt = 0;; ++attempt) {
    result = create_buffer(device, size, use, true, a->buffer);
    if (result != OHAL_SUCCESS) break;
    if (kind != OHAL_MEM_KIND_DEVICE) break;
    std::string detail;
    if (claim_address(*a, detail) != AddressSpace::Outcome::kCollision) break;
    logf(OHAL_LOG_LEVEL_INFO, "device address {:#x} (+{}) collides with host memory ({}); retrying",
         a->buffer.address, a->buffer.size, detail);
    collided.push_back(a->buffer);
    a->buffer = Buffer{};
    if (attempt + 1 >= kCollisionRetries) {
      result = failf(OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
                     "every device address the driver gave for {} bytes overlaps host memory of "
                     "this process ({})",
                     size, detail);
      break;
    }
  }
  for (Buffer& b : collided) destroy_buffer(device, b);
  if (result != OHAL_SUCCESS) return result;

  if ((flags & OHAL_MEM_FLAG_ZERO) != 0) {
    if (a->buffer.map != nullptr) {
      std::memset(a->buffer.map, 0, a->buffer.size);
    } else {
      result = zero_fill(device, a->buffer);
      if (result != OHAL_SUCCESS) {
        if (a->reserved) AddressSpace::instance().release(a->buffer.address, a->buffer.size);
        destroy_buffer(device, a->buffer);
        return result;
      }
    }
  }
  out->ptr =
      kind == OHAL_MEM_KIND_DEVICE ? reinterpret_cast<void*>(a->buffer.address) : a->buffer.map;
  out->device_ptr = reinterpret_cast<void*>(a->buffer.address);
  out->alloc = a.get();
  if (out->ptr == nullptr) {
    if (a->reserved) AddressSpace::instance().release(a->buffer.address, a->buffer.size);
    destroy_buffer(device, a->buffer);
    return fail(OHAL_ERROR_BACKEND, "host-visible memory could not be mapped");
  }
  a.release();
  return OHAL_SUCCESS;
}

ohal_result_t mem_free(Device& device, Allocation* a) {
  if (a == nullptr) return fail(OHAL_ERROR_INVALID_POINTER, "no allocation");
  if (a->reserved) AddressSpace::instance().release(a->buffer.address, a->buffer.size);
  destroy_buffer(device, a->buffer);
  delete a;
  return OHAL_SUCCESS;
}

}  // namespace ohal::vk
