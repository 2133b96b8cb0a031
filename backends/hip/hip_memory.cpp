// Allocations of the three kinds: DEVICE (hipMalloc), HOST (pinned, mapped hipHostMalloc) and
// SHARED (hipMallocManaged).
#include <cstring>
#include <new>

#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {
namespace {

ohal_result_t release(const Allocation& allocation) {
  const HipApi& api = state().api;
  if (allocation.kind == OHAL_MEM_KIND_HOST) {
    return check(api.hipHostFree(allocation.ptr), "hipHostFree");
  }
  return check(api.hipFree(allocation.ptr), "hipFree");
}

}  // namespace

ohal_result_t mem_alloc(ohal_bdevice_t handle, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out) {
  Device& device = *from_handle<Device>(handle);
  const HipApi& api = state().api;
  ohal_result_t result = bind(device);
  if (result != OHAL_SUCCESS) return result;

  auto allocation = std::unique_ptr<Allocation>(new (std::nothrow) Allocation);
  if (!allocation) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "hip mem_alloc: out of host memory");
  allocation->device = &device;
  allocation->size = size;
  allocation->kind = kind;
  switch (kind) {
    case OHAL_MEM_KIND_DEVICE:
      result = check(api.hipMalloc(&allocation->ptr, size), "hipMalloc");
      allocation->device_ptr = allocation->ptr;
      break;
    case OHAL_MEM_KIND_HOST:
      result = check(
          api.hipHostMalloc(&allocation->ptr, size, hipHostMallocMapped | hipHostMallocPortable),
          "hipHostMalloc");
      if (result == OHAL_SUCCESS) {
        result = check(api.hipHostGetDevicePointer(&allocation->device_ptr, allocation->ptr, 0),
                       "hipHostGetDevicePointer");
        if (result != OHAL_SUCCESS) (void)api.hipHostFree(allocation->ptr);
      }
      if (result == OHAL_ERROR_OUT_OF_DEVICE_MEMORY) result = OHAL_ERROR_OUT_OF_HOST_MEMORY;
      break;
    case OHAL_MEM_KIND_SHARED:
      result = check(api.hipMallocManaged(&allocation->ptr, size, hipMemAttachGlobal),
                     "hipMallocManaged");
      allocation->device_ptr = allocation->ptr;
      break;
    default:
      return fail(OHAL_ERROR_INVALID_VALUE, "hip mem_alloc: unknown memory kind");
  }
  if (result != OHAL_SUCCESS) return result;

  if ((flags & OHAL_MEM_FLAG_ZERO) != 0) {
    if (kind == OHAL_MEM_KIND_HOST) {
      std::memset(allocation->ptr, 0, size);
    } else {
      // hipMemset may return before the fill lands; wait so the caller sees zeros.
      result = check(api.hipMemset(allocation->ptr, 0, size), "hipMemset");
      if (result == OHAL_SUCCESS) {
        result = check(api.hipDeviceSynchronize(), "hipDeviceSynchronize");
      }
      if (result != OHAL_SUCCESS) {
        (void)release(*allocation);
        return result;
      }
    }
  }
  out->ptr = allocation->ptr;
  out->device_ptr = allocation->device_ptr;
  out->alloc = allocation.release();
  return OHAL_SUCCESS;
}

ohal_result_t mem_free(ohal_bdevice_t handle, void* alloc) {
  Device& device = *from_handle<Device>(handle);
  std::unique_ptr<Allocation> allocation(static_cast<Allocation*>(alloc));
  const ohal_result_t bound = bind(device);
  if (bound != OHAL_SUCCESS) return bound;
  return release(*allocation);
}

ohal_result_t mem_get_info(ohal_bdevice_t handle, uint64_t* free_bytes, uint64_t* total_bytes) {
  Device& device = *from_handle<Device>(handle);
  const ohal_result_t bound = bind(device);
  if (bound != OHAL_SUCCESS) return bound;
  size_t free_size = 0;
  size_t total_size = 0;
  const ohal_result_t result =
      check(state().api.hipMemGetInfo(&free_size, &total_size), "hipMemGetInfo");
  if (result != OHAL_SUCCESS) return result;
  *free_bytes = free_size;
  *total_bytes = total_size;
  return OHAL_SUCCESS;
}

}  // namespace ohal::hip
