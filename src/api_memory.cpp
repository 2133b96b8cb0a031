// Allocation, free and pointer queries, all through the allocation registry.
#include <cstring>

#include "registry.hpp"
#include "runtime.hpp"

using namespace ohal;

namespace {

ohal_device_t device_handle(const Device* device) {
  return reinterpret_cast<ohal_device_t>(static_cast<uintptr_t>(device->handle));
}

const char* kind_name(ohal_mem_kind_t kind) {
  switch (kind) {
    case OHAL_MEM_KIND_DEVICE:
      return "DEVICE";
    case OHAL_MEM_KIND_HOST:
      return "HOST";
    case OHAL_MEM_KIND_SHARED:
      return "SHARED";
    default:
      return "unknown";
  }
}

}  // namespace

extern "C" OHAL_API ohal_result_t ohal_mem_alloc(ohal_device_t device, size_t size,
                                                 ohal_mem_kind_t kind, uint32_t flags, void** ptr) {
  ApiCall call("ohal_mem_alloc");
  if (ptr == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "ptr is NULL");
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  if (size == 0) return fail(OHAL_ERROR_INVALID_VALUE, "size is 0");
  if (kind != OHAL_MEM_KIND_DEVICE && kind != OHAL_MEM_KIND_HOST && kind != OHAL_MEM_KIND_SHARED) {
    return failf(OHAL_ERROR_INVALID_VALUE, "kind {} is not an ohal_mem_kind_t",
                 static_cast<int>(kind));
  }
  if ((flags & ~OHAL_MEM_FLAG_ZERO) != 0) {
    return failf(OHAL_ERROR_INVALID_VALUE, "unknown flags 0x{:x}", flags);
  }
  const ohal_device_properties_t& props = dev->properties;
  if ((kind == OHAL_MEM_KIND_HOST && !(props.capabilities & OHAL_CAP_MEM_HOST)) ||
      (kind == OHAL_MEM_KIND_SHARED && !(props.capabilities & OHAL_CAP_MEM_SHARED))) {
    return failf(OHAL_ERROR_UNSUPPORTED, "device '{}' offers no {} memory", props.name,
                 kind_name(kind));
  }
  if (props.max_allocation_size != 0 && size > props.max_allocation_size) {
    return failf(OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
                 "size {} is above the device's max_allocation_size {}", size,
                 props.max_allocation_size);
  }
  ohal_balloc_t out{};
  const ohal_backend_t& backend = dev->backend();
  const ohal_result_t result = backend.mem_alloc(dev->backend_device, size, kind, flags, &out);
  if (result != OHAL_SUCCESS) return backend_result(result, dev.get());
  const Allocation allocation{
      reinterpret_cast<uintptr_t>(out.ptr), size, dev.get(), kind, out.alloc, out.device_ptr};
  bool inserted = false;
  try {
    inserted = Registry::instance().insert(allocation);
  } catch (...) {
    backend.mem_free(dev->backend_device, out.alloc);
    return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory registering the allocation");
  }
  if (!inserted) {
    backend.mem_free(dev->backend_device, out.alloc);
    return failf(OHAL_ERROR_BACKEND,
                 "{} returned address range [{}, +{}) that overlaps a live allocation",
                 dev->plugin->name, out.ptr, size);
  }
  *ptr = out.ptr;
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_mem_free(void* ptr) {
  ApiCall call("ohal_mem_free");
  if (ptr == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "ptr is NULL");
  if (!runtime_live()) return fail(OHAL_ERROR_NOT_INITIALIZED, "the library is not initialized");
  std::optional<Allocation> allocation = Registry::instance().remove(ptr);
  if (!allocation) {
    if (auto inside = Registry::instance().find(ptr)) {
      return failf(OHAL_ERROR_INVALID_POINTER,
                   "{} lies inside the allocation at {} but is not its base", ptr,
                   reinterpret_cast<void*>(inside->base));
    }
    return failf(OHAL_ERROR_INVALID_POINTER, "{} is not a live allocation", ptr);
  }
  Device* device = allocation->device;
  const ohal_backend_t& backend = device->backend();
  drain_device(device);  // work already queued may still use the memory
  return backend_result(backend.mem_free(device->backend_device, allocation->backend_alloc),
                        device);
}

extern "C" OHAL_API ohal_result_t ohal_mem_get_info(ohal_device_t device, uint64_t* free_bytes,
                                                    uint64_t* total_bytes) {
  ApiCall call("ohal_mem_get_info");
  if (free_bytes == nullptr || total_bytes == nullptr) {
    return fail(OHAL_ERROR_NULL_POINTER,
                free_bytes == nullptr ? "free_bytes is NULL" : "total_bytes is NULL");
  }
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  return backend_result(dev->backend().mem_get_info(dev->backend_device, free_bytes, total_bytes),
                        dev.get());
}

extern "C" OHAL_API ohal_result_t
ohal_pointer_get_attributes(const void* ptr, ohal_pointer_attributes_t* attributes) {
  ApiCall call("ohal_pointer_get_attributes");
  if (ptr == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "ptr is NULL");
  if (attributes == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "attributes is NULL");
  if (attributes->struct_size < sizeof(ohal_pointer_attributes_t)) {
    return failf(OHAL_ERROR_STRUCT_SIZE, "attributes->struct_size is {}, expected at least {}",
                 attributes->struct_size, sizeof(ohal_pointer_attributes_t));
  }
  if (!runtime_live() && runtime() == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  ohal_pointer_attributes_t out = OHAL_POINTER_ATTRIBUTES_INIT;
  if (std::optional<Allocation> allocation = Registry::instance().find(ptr)) {
    out.device = device_handle(allocation->device);
    out.kind = allocation->kind;
    out.base = reinterpret_cast<void*>(allocation->base);
    out.size = allocation->size;
    out.is_registered = 1;
  }
  std::memcpy(attributes, &out, sizeof(out));
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_mem_get_device_pointer(void* ptr, void** device_ptr) {
  ApiCall call("ohal_mem_get_device_pointer");
  if (ptr == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "ptr is NULL");
  if (device_ptr == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "device_ptr is NULL");
  if (!runtime_live()) return fail(OHAL_ERROR_NOT_INITIALIZED, "the library is not initialized");
  std::optional<Allocation> allocation = Registry::instance().find(ptr);
  if (!allocation || allocation->kind == OHAL_MEM_KIND_DEVICE) {
    return failf(OHAL_ERROR_INVALID_POINTER, "{} is not in a HOST or SHARED allocation", ptr);
  }
  const uintptr_t offset = reinterpret_cast<uintptr_t>(ptr) - allocation->base;
  *device_ptr = static_cast<char*>(allocation->device_ptr) + offset;
  return OHAL_SUCCESS;
}
