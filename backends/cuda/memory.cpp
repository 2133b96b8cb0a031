// Memory: DEVICE (cuMemAlloc), HOST (mapped, portable pinned memory), SHARED (managed).
#include <cstring>
#include <new>

#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

// Zero-fills device-visible memory before the allocation is handed out. The legacy default
// stream does not order with our non-blocking streams, so wait for the fill here.
ohal_result_t zero_fill(CUdeviceptr ptr, size_t size) {
  const Driver& d = drv();
  if (const CUresult r = d.cuMemsetD8Async(ptr, 0, size, nullptr); r != CUDA_SUCCESS) {
    return cu_fail("cuMemsetD8Async", r, "zero-filling a new allocation");
  }
  if (const CUresult r = d.cuStreamSynchronize(nullptr); r != CUDA_SUCCESS) {
    return cu_fail("cuStreamSynchronize", r, "zero-filling a new allocation");
  }
  return OHAL_SUCCESS;
}

std::string size_detail(size_t size) {
  return std::to_string(size) + " bytes";
}

}  // namespace

ohal_result_t mem_alloc(ohal_bdevice_t handle, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out) {
  Device& device = *from_handle<Device>(handle);
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  const Driver& d = drv();
  const bool zero = (flags & OHAL_MEM_FLAG_ZERO) != 0;

  auto* allocation = new (std::nothrow) Allocation;
  if (allocation == nullptr) return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cuda: out of memory");
  allocation->device = &device;
  allocation->size = size;
  allocation->kind = kind;

  ohal_result_t result = OHAL_SUCCESS;
  switch (kind) {
    case OHAL_MEM_KIND_DEVICE: {
      const CUresult r = d.cuMemAlloc(&allocation->device_ptr, size);
      if (r != CUDA_SUCCESS) {
        result = cu_fail("cuMemAlloc", r, size_detail(size));
      } else if (zero) {
        result = zero_fill(allocation->device_ptr, size);
        if (result != OHAL_SUCCESS) d.cuMemFree(allocation->device_ptr);
      }
      break;
    }
    case OHAL_MEM_KIND_HOST: {
      if (device.can_map_host == 0) {
        result = set_error(OHAL_ERROR_UNSUPPORTED, "cuda: the device cannot map host memory");
        break;
      }
      // PORTABLE: usable from every context; DEVICEMAP: kernels can address it.
      CUresult r = d.cuMemHostAlloc(&allocation->host_ptr, size,
                                    CU_MEMHOSTALLOC_PORTABLE | CU_MEMHOSTALLOC_DEVICEMAP);
      if (r != CUDA_SUCCESS) {
        result = cu_fail_as(
            r == CUDA_ERROR_OUT_OF_MEMORY ? OHAL_ERROR_OUT_OF_HOST_MEMORY : map_cu_result(r),
            "cuMemHostAlloc", r, size_detail(size));
        break;
      }
      r = d.cuMemHostGetDevicePointer(&allocation->device_ptr, allocation->host_ptr, 0);
      if (r != CUDA_SUCCESS) {
        result = cu_fail("cuMemHostGetDevicePointer", r);
        d.cuMemFreeHost(allocation->host_ptr);
        break;
      }
      if (zero) std::memset(allocation->host_ptr, 0, size);
      break;
    }
    case OHAL_MEM_KIND_SHARED: {
      if (device.managed == 0) {
        result = set_error(OHAL_ERROR_UNSUPPORTED,
                           "cuda: the device lacks concurrent managed memory access");
        break;
      }
      const CUresult r = d.cuMemAllocManaged(&allocation->device_ptr, size, CU_MEM_ATTACH_GLOBAL);
      if (r != CUDA_SUCCESS) {
        result = cu_fail("cuMemAllocManaged", r, size_detail(size));
      } else if (zero) {
        result = zero_fill(allocation->device_ptr, size);
        if (result != OHAL_SUCCESS) d.cuMemFree(allocation->device_ptr);
      }
      break;
    }
    default:
      result = set_error(OHAL_ERROR_INVALID_VALUE,
                         "cuda: unknown memory kind " + std::to_string(static_cast<int>(kind)));
      break;
  }
  if (result != OHAL_SUCCESS) {
    delete allocation;
    return result;
  }
  out->device_ptr = reinterpret_cast<void*>(allocation->device_ptr);
  out->ptr = kind == OHAL_MEM_KIND_HOST ? allocation->host_ptr : out->device_ptr;
  out->alloc = allocation;
  return OHAL_SUCCESS;
}

ohal_result_t mem_free(ohal_bdevice_t handle, void* alloc) {
  Device& device = *from_handle<Device>(handle);
  auto* allocation = static_cast<Allocation*>(alloc);
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  const Driver& d = drv();
  const CUresult r = allocation->kind == OHAL_MEM_KIND_HOST ? d.cuMemFreeHost(allocation->host_ptr)
                                                            : d.cuMemFree(allocation->device_ptr);
  const char* call = allocation->kind == OHAL_MEM_KIND_HOST ? "cuMemFreeHost" : "cuMemFree";
  // The HAL forgets the pointer either way; a failed free (dead context) cannot be retried.
  delete allocation;
  return r == CUDA_SUCCESS ? OHAL_SUCCESS : cu_fail(call, r);
}

ohal_result_t mem_get_info(ohal_bdevice_t handle, uint64_t* free_bytes, uint64_t* total_bytes) {
  Device& device = *from_handle<Device>(handle);
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  size_t free_now = 0;
  size_t total = 0;
  if (const CUresult r = drv().cuMemGetInfo(&free_now, &total); r != CUDA_SUCCESS) {
    return cu_fail("cuMemGetInfo", r);
  }
  *free_bytes = free_now;
  *total_bytes = total;
  return OHAL_SUCCESS;
}

}  // namespace ohal::cuda
