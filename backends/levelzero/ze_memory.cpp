// USM allocations: DEVICE (zeMemAllocDevice), HOST (zeMemAllocHost), SHARED (zeMemAllocShared).
#include <cstring>
#include <new>

#include "ze_entries.h"
#include "ze_state.h"

namespace ohal::ze {
namespace {

constexpr size_t kAlignment = 256;  // reported as memory_alignment

// Zeroes device memory through the device's internal stream and waits for it.
ohal_result_t zero_device_memory(Device& device, void* ptr, size_t size) {
  std::lock_guard lock(device.internal_mutex);
  if (device.internal_stream == nullptr) {
    const ohal_result_t created = create_stream(device, &device.internal_stream);
    if (created != OHAL_SUCCESS) return created;
  }
  Stream& stream = *device.internal_stream;
  {
    std::lock_guard stream_lock(stream.mutex);
    ohal_result_t result = stream_sticky_locked(stream);
    if (result == OHAL_SUCCESS) result = stream_order_locked(stream);
    if (result != OHAL_SUCCESS) return result;
    const uint8_t zero = 0;
    result = stream_check_locked(stream,
                                 state().api.zeCommandListAppendMemoryFill(
                                     stream.list, ptr, &zero, 1, size, nullptr, 0, nullptr),
                                 "zeCommandListAppendMemoryFill");
    if (result != OHAL_SUCCESS) return result;
  }
  return stream_sync(stream);
}

}  // namespace

ohal_result_t mem_alloc(ohal_bdevice_t handle, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out) {
  Device& device = *from_handle<Device>(handle);
  const ZeApi& api = state().api;
  auto allocation = std::unique_ptr<Allocation>(new (std::nothrow) Allocation);
  if (!allocation) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "levelzero mem_alloc: out of memory");
  allocation->device = &device;
  allocation->size = size;
  allocation->kind = kind;

  ze_device_mem_alloc_desc_t device_desc{};
  device_desc.stype = ZE_STRUCTURE_TYPE_DEVICE_MEM_ALLOC_DESC;
  device_desc.ordinal = 0;
  ze_host_mem_alloc_desc_t host_desc{};
  host_desc.stype = ZE_STRUCTURE_TYPE_HOST_MEM_ALLOC_DESC;
  const ze_context_handle_t context = device.driver->context;
  ohal_result_t result = OHAL_SUCCESS;
  switch (kind) {
    case OHAL_MEM_KIND_DEVICE:
      result = check(api.zeMemAllocDevice(context, &device_desc, size, kAlignment, device.handle,
                                          &allocation->ptr),
                     "zeMemAllocDevice");
      break;
    case OHAL_MEM_KIND_HOST:
      result = check(api.zeMemAllocHost(context, &host_desc, size, kAlignment, &allocation->ptr),
                     "zeMemAllocHost");
      if (result == OHAL_ERROR_OUT_OF_DEVICE_MEMORY) result = OHAL_ERROR_OUT_OF_HOST_MEMORY;
      break;
    case OHAL_MEM_KIND_SHARED:
      result = check(api.zeMemAllocShared(context, &device_desc, &host_desc, size, kAlignment,
                                          device.handle, &allocation->ptr),
                     "zeMemAllocShared");
      break;
    default:
      return fail(OHAL_ERROR_INVALID_VALUE, "levelzero mem_alloc: unknown memory kind");
  }
  if (result != OHAL_SUCCESS) return result;

  if ((flags & OHAL_MEM_FLAG_ZERO) != 0) {
    if (kind == OHAL_MEM_KIND_DEVICE) {
      result = zero_device_memory(device, allocation->ptr, size);
      if (result != OHAL_SUCCESS) {
        (void)api.zeMemFree(context, allocation->ptr);
        return result;
      }
    } else {
      std::memset(allocation->ptr, 0, size);  // host and shared memory are host-writable
    }
  }
  if (kind == OHAL_MEM_KIND_DEVICE) device.allocated += size;
  out->ptr = allocation->ptr;
  out->device_ptr = allocation->ptr;  // USM: one address on host and device
  out->alloc = allocation.release();
  return OHAL_SUCCESS;
}

ohal_result_t mem_free(ohal_bdevice_t handle, void* alloc) {
  Device& device = *from_handle<Device>(handle);
  std::unique_ptr<Allocation> allocation(static_cast<Allocation*>(alloc));
  const ohal_result_t result =
      check(state().api.zeMemFree(device.driver->context, allocation->ptr), "zeMemFree");
  if (result == OHAL_SUCCESS && allocation->kind == OHAL_MEM_KIND_DEVICE) {
    device.allocated -= allocation->size;
  }
  return result;
}

ohal_result_t mem_get_info(ohal_bdevice_t handle, uint64_t* free_bytes, uint64_t* total_bytes) {
  const Device& device = *from_handle<Device>(handle);
  const uint64_t allocated = device.allocated.load();
  *total_bytes = device.total_memory;
  *free_bytes = device.total_memory > allocated ? device.total_memory - allocated : 0;
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
