// Device queries.
#include <cstring>

#include "runtime.hpp"

using namespace ohal;

extern "C" OHAL_API ohal_result_t ohal_device_count(uint32_t* count) {
  ApiCall call("ohal_device_count");
  if (count == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "count is NULL");
  Runtime* rt = runtime();
  if (rt == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  *count = static_cast<uint32_t>(rt->devices.size());
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_device_get(uint32_t index, ohal_device_t* device) {
  ApiCall call("ohal_device_get");
  if (device == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "device is NULL");
  Runtime* rt = runtime();
  if (rt == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  if (index >= rt->devices.size()) {
    return failf(OHAL_ERROR_NO_DEVICE, "device index {} is out of range: {} visible devices", index,
                 rt->devices.size());
  }
  *device = reinterpret_cast<ohal_device_t>(static_cast<uintptr_t>(rt->devices[index]->handle));
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_device_get_properties(ohal_device_t device,
                                                             ohal_device_properties_t* properties) {
  ApiCall call("ohal_device_get_properties");
  if (properties == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "properties is NULL");
  if (properties->struct_size < sizeof(ohal_device_properties_t)) {
    return failf(OHAL_ERROR_STRUCT_SIZE, "properties->struct_size is {}, expected at least {}",
                 properties->struct_size, sizeof(ohal_device_properties_t));
  }
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  ohal_device_properties_t out = dev->properties;
  uint64_t free_bytes = 0, total_bytes = 0;
  if (dev->backend().mem_get_info(dev->backend_device, &free_bytes, &total_bytes) == OHAL_SUCCESS) {
    out.free_memory = free_bytes;
  }
  std::memcpy(properties, &out, sizeof(out));
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_device_synchronize(ohal_device_t device) {
  ApiCall call("ohal_device_synchronize");
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  return backend_result(dev->backend().device_synchronize(dev->backend_device), dev.get());
}
