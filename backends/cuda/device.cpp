// Devices: enumeration, properties from cuDeviceGetAttribute, synchronization.
#include <cstdio>
#include <cstring>

#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

uint32_t attribute(const Device& device, CUdevice_attribute attribute) {
  int value = 0;
  if (drv().cuDeviceGetAttribute(&value, attribute, device.device) != CUDA_SUCCESS || value < 0) {
    return 0;
  }
  return static_cast<uint32_t>(value);
}

// cuMemAlloc's documented minimum alignment; host and managed allocations are page-aligned.
constexpr uint32_t kMemoryAlignment = 256;

}  // namespace

ohal_result_t device_count(uint32_t* count) {
  *count = static_cast<uint32_t>(state().devices.size());
  return OHAL_SUCCESS;
}

ohal_result_t device_get(uint32_t index, ohal_bdevice_t* device) {
  State& s = state();
  if (index >= s.devices.size()) {
    return set_error(OHAL_ERROR_NO_DEVICE, "cuda: device index " + std::to_string(index) +
                                               " out of range (" +
                                               std::to_string(s.devices.size()) + " devices)");
  }
  *device = to_handle<ohal_bdevice_t>(s.devices[index].get());
  return OHAL_SUCCESS;
}

ohal_result_t device_get_properties(ohal_bdevice_t handle, ohal_device_properties_t* p) {
  Device& device = *from_handle<Device>(handle);
  const Driver& d = drv();

  char name[sizeof(p->name)] = {};
  if (const CUresult r = d.cuDeviceGetName(name, static_cast<int>(sizeof(name)), device.device);
      r != CUDA_SUCCESS) {
    return cu_fail("cuDeviceGetName", r);
  }
  size_t total = 0;
  if (const CUresult r = d.cuDeviceTotalMem(&total, device.device); r != CUDA_SUCCESS) {
    return cu_fail("cuDeviceTotalMem", r);
  }
  // Free memory needs a context: this retains the primary context on first use.
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  size_t free_bytes = 0;
  size_t total_bytes = 0;
  if (const CUresult r = d.cuMemGetInfo(&free_bytes, &total_bytes); r != CUDA_SUCCESS) {
    return cu_fail("cuMemGetInfo", r);
  }
  CUuuid uuid{};
  if (const CUresult r = d.cuDeviceGetUuid(&uuid, device.device); r != CUDA_SUCCESS) {
    return cu_fail("cuDeviceGetUuid", r);
  }

  std::memcpy(p->name, name, sizeof(p->name));
  p->name[sizeof(p->name) - 1] = '\0';
  std::snprintf(p->vendor, sizeof(p->vendor), "NVIDIA");
  p->type = attribute(device, CU_DEVICE_ATTRIBUTE_INTEGRATED) != 0 ? OHAL_DEVICE_TYPE_INTEGRATED_GPU
                                                                   : OHAL_DEVICE_TYPE_GPU;
  p->total_memory = total;
  p->free_memory = free_bytes;
  p->max_allocation_size = total;
  p->max_block_dims[0] = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_X);
  p->max_block_dims[1] = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Y);
  p->max_block_dims[2] = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_BLOCK_DIM_Z);
  p->max_threads_per_block = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
  p->max_grid_dims[0] = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_X);
  p->max_grid_dims[1] = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Y);
  p->max_grid_dims[2] = attribute(device, CU_DEVICE_ATTRIBUTE_MAX_GRID_DIM_Z);
  // Static + dynamic: the opt-in limit; launch.cpp raises a kernel's dynamic limit on demand.
  p->max_shared_bytes_per_block =
      device.shared_optin > 0 ? static_cast<uint32_t>(device.shared_optin)
                              : attribute(device, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK);
  // CUDA 12.1 raised the parameter space from 4 KiB to 32764 bytes on Volta and newer.
  p->max_kernel_arg_bytes = (d.version >= 12010 && device.cc >= 70) ? 32764u : 4096u;
  p->subgroup_size = attribute(device, CU_DEVICE_ATTRIBUTE_WARP_SIZE);
  p->compute_units = attribute(device, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  p->kernel_formats = OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_PTX) |
                      OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_CUBIN) |
                      OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_FATBIN);
  if (state().nvrtc.loaded()) p->kernel_formats |= OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_CUDA_SOURCE);
  static_assert(sizeof(uuid.bytes) == OHAL_UUID_SIZE);
  std::memcpy(p->uuid, uuid.bytes, OHAL_UUID_SIZE);

  p->pci_domain = attribute(device, CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID);
  p->pci_bus = attribute(device, CU_DEVICE_ATTRIBUTE_PCI_BUS_ID);
  p->pci_device = attribute(device, CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID);
  p->pci_function = 0;
  char bus_id[32] = {};
  unsigned domain = 0, bus = 0, dev = 0, function = 0;
  if (d.cuDeviceGetPCIBusId(bus_id, static_cast<int>(sizeof(bus_id)), device.device) ==
          CUDA_SUCCESS &&
      std::sscanf(bus_id, "%x:%x:%x.%x", &domain, &bus, &dev, &function) == 4) {
    p->pci_function = function;  // the attributes have no function number
  }

  uint32_t caps =
      OHAL_CAP_ATOMICS_64 | OHAL_CAP_EVENT_TIMING | OHAL_CAP_HOST_FUNC | OHAL_CAP_DYNAMIC_SHARED;
  if (device.unified_addressing != 0) caps |= OHAL_CAP_UNIFIED_ADDRESSING;
  if (device.can_map_host != 0) caps |= OHAL_CAP_MEM_HOST;
  if (device.managed != 0) caps |= OHAL_CAP_MEM_SHARED;
  if (d.cuFuncGetParamInfo_opt != nullptr) caps |= OHAL_CAP_KERNEL_ARG_SIZES;
  p->capabilities = caps;
  p->memory_alignment = kMemoryAlignment;
  return OHAL_SUCCESS;
}

ohal_result_t device_synchronize(ohal_bdevice_t handle) {
  Device& device = *from_handle<Device>(handle);
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  if (const CUresult r = drv().cuCtxSynchronize(); r != CUDA_SUCCESS) {
    return cu_fail("cuCtxSynchronize", r,
                   fault_detail(device.last_kernel.load(std::memory_order_relaxed), r));
  }
  return OHAL_SUCCESS;
}

}  // namespace ohal::cuda
