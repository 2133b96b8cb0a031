// Runtime start-up, device enumeration and device properties.
#include <algorithm>
#include <cstring>

#include "hip_entries.h"
#include "hip_errors.h"
#include "hip_state.h"

namespace ohal::hip {
namespace {

void copy_string(char* dst, size_t capacity, const char* src) {
  const size_t length = strnlen(src, capacity - 1);
  std::memcpy(dst, src, length);
  dst[length] = '\0';
}

uint32_t clamp_u32(long long value) {
  return static_cast<uint32_t>(std::clamp<long long>(value, 0, UINT32_MAX));
}

}  // namespace

ohal_result_t init() {
  State& s = state();
  s.devices.clear();
  std::string reason;
  if (!load_hip_api(s.api, reason)) return fail(OHAL_ERROR_BACKEND, reason);
  if (!s.api.rtc_loaded) log(OHAL_LOG_LEVEL_INFO, "HIP_SOURCE unavailable: " + s.api.rtc_reason);

  int count = 0;
  const hipError_t counted = s.api.hipGetDeviceCount(&count);
  if (counted == hipErrorNoDevice || (counted == hipSuccess && count <= 0)) {
    // A runtime without a GPU (no /dev/kfd, no AMD card) is not a failure: 0 devices.
    const std::string why = "no HIP device: " + format_hip_error("hipGetDeviceCount", counted,
                                                                 s.api.hipGetErrorName(counted));
    log(OHAL_LOG_LEVEL_INFO, why);
    return fail(OHAL_SUCCESS, why);  // the front-end shows it as the plugin's reason
  }
  if (counted != hipSuccess) return check(counted, "hipGetDeviceCount");

  for (int ordinal = 0; ordinal < count; ++ordinal) {
    auto device = std::make_unique<Device>();
    device->ordinal = ordinal;
    const hipError_t queried = s.api.hipGetDeviceProperties(&device->props, ordinal);
    if (queried != hipSuccess) {
      // One broken device must not hide the others.
      log(OHAL_LOG_LEVEL_WARN,
          "skipping HIP device " + std::to_string(ordinal) + ": " +
              format_hip_error("hipGetDeviceProperties", queried, s.api.hipGetErrorName(queried)));
      continue;
    }
    if (s.api.hipDeviceGetUuid != nullptr) {
      hipUUID uuid{};
      if (s.api.hipDeviceGetUuid(&uuid, ordinal) == hipSuccess) {
        static_assert(sizeof(uuid.bytes) == OHAL_UUID_SIZE);
        std::memcpy(device->uuid, uuid.bytes, OHAL_UUID_SIZE);
      }
    }
    device->props.gcnArchName[sizeof(device->props.gcnArchName) - 1] = '\0';
    device->target = device->props.gcnArchName[0] != '\0'
                         ? std::string(device->props.gcnArchName)
                         : "gfx" + std::to_string(device->props.gcnArch);
    s.devices.push_back(std::move(device));
  }
  return OHAL_SUCCESS;
}

void shutdown() {
  // The front-end destroyed every object already; the runtime stays loaded (see hip_api.h).
  state().devices.clear();
}

ohal_result_t device_count(uint32_t* count) {
  *count = static_cast<uint32_t>(state().devices.size());
  return OHAL_SUCCESS;
}

ohal_result_t device_get(uint32_t index, ohal_bdevice_t* device) {
  State& s = state();
  if (index >= s.devices.size()) {
    return fail(OHAL_ERROR_NO_DEVICE, "HIP device index " + std::to_string(index) +
                                          " out of range (" + std::to_string(s.devices.size()) +
                                          " devices)");
  }
  *device = to_handle<ohal_bdevice_t>(s.devices[index].get());
  return OHAL_SUCCESS;
}

ohal_result_t device_get_properties(ohal_bdevice_t handle, ohal_device_properties_t* out) {
  const Device& device = *from_handle<Device>(handle);
  const hipDeviceProp_t& p = device.props;
  const HipApi& api = state().api;

  // Works on a full-size copy so an older, smaller caller struct is never written past its end.
  ohal_device_properties_t props{};
  const size_t size = std::min(out->struct_size, sizeof(props));
  std::memcpy(&props, out, size);
  copy_string(props.name, sizeof(props.name), p.name[0] != '\0' ? p.name : device.target.c_str());
  copy_string(props.vendor, sizeof(props.vendor), "AMD");
  props.type = p.integrated != 0 ? OHAL_DEVICE_TYPE_INTEGRATED_GPU : OHAL_DEVICE_TYPE_GPU;
  props.total_memory = p.totalGlobalMem;
  props.free_memory = p.totalGlobalMem;
  if (bind(device) == OHAL_SUCCESS) {
    size_t free_bytes = 0;
    size_t total_bytes = 0;
    if (api.hipMemGetInfo(&free_bytes, &total_bytes) == hipSuccess) props.free_memory = free_bytes;
  }
  // HIP 5.2 has no query for the largest single allocation; ROCm allows all of VRAM.
  props.max_allocation_size = p.totalGlobalMem;
  for (int i = 0; i < 3; ++i) {
    props.max_block_dims[i] = clamp_u32(p.maxThreadsDim[i]);
    props.max_grid_dims[i] = clamp_u32(p.maxGridSize[i]);
  }
  props.max_threads_per_block = clamp_u32(p.maxThreadsPerBlock);
  props.max_shared_bytes_per_block = clamp_u32(static_cast<long long>(p.sharedMemPerBlock));
  props.max_kernel_arg_bytes = 4096;  // HIP's documented kernel argument limit
  props.subgroup_size = clamp_u32(p.warpSize);
  props.compute_units = clamp_u32(p.multiProcessorCount);
  props.kernel_formats = OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_HSACO);
  if (api.rtc_loaded) props.kernel_formats |= OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_HIP_SOURCE);
  std::memcpy(props.uuid, device.uuid, OHAL_UUID_SIZE);
  props.pci_domain = clamp_u32(p.pciDomainID);
  props.pci_bus = clamp_u32(p.pciBusID);
  props.pci_device = clamp_u32(p.pciDeviceID);
  props.pci_function = 0;  // HIP does not report it; ROCm GPUs are function 0
  // ROCm maps pinned host memory at the same virtual address on the GPU.
  props.capabilities = OHAL_CAP_UNIFIED_ADDRESSING | OHAL_CAP_ATOMICS_64 | OHAL_CAP_EVENT_TIMING |
                       OHAL_CAP_HOST_FUNC | OHAL_CAP_DYNAMIC_SHARED;
  if (p.canMapHostMemory != 0) props.capabilities |= OHAL_CAP_MEM_HOST;
  if (p.managedMemory != 0) props.capabilities |= OHAL_CAP_MEM_SHARED;
  props.memory_alignment = 256;
  std::memcpy(out, &props, size);
  return OHAL_SUCCESS;
}

ohal_result_t device_synchronize(ohal_bdevice_t handle) {
  const Device& device = *from_handle<Device>(handle);
  const ohal_result_t bound = bind(device);
  if (bound != OHAL_SUCCESS) return bound;
  return check(state().api.hipDeviceSynchronize(), "hipDeviceSynchronize");
}

}  // namespace ohal::hip
