// zeInit, drivers (one context each), devices and their properties.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "ze_entries.h"
#include "ze_errors.h"
#include "ze_host_func.h"
#include "ze_state.h"

namespace ohal::ze {
namespace {

// Event pools: 256 events each, at most 64 pools per kind and driver. Slots are recycled, so
// this bounds events in flight, not events ever made.
constexpr uint32_t kEventsPerPool = 256;
constexpr uint32_t kMaxEventPools = 64;

void copy_string(char* dst, size_t capacity, const char* src) {
  const size_t length = strnlen(src, capacity - 1);
  std::memcpy(dst, src, length);
  dst[length] = '\0';
}

// Fills everything but the driver; false (logged) when the device cannot take compute work.
bool describe_device(Device& device) {
  const ZeApi& api = state().api;
  device.props.stype = ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES;  // timerResolution in ns
  device.compute.stype = ZE_STRUCTURE_TYPE_DEVICE_COMPUTE_PROPERTIES;
  device.module.stype = ZE_STRUCTURE_TYPE_DEVICE_MODULE_PROPERTIES;
  device.access.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_ACCESS_PROPERTIES;
  const char* call = nullptr;
  ze_result_t result = api.zeDeviceGetProperties(device.handle, &device.props);
  if (result != ZE_RESULT_SUCCESS) call = "zeDeviceGetProperties";
  if (call == nullptr) {
    result = api.zeDeviceGetComputeProperties(device.handle, &device.compute);
    if (result != ZE_RESULT_SUCCESS) call = "zeDeviceGetComputeProperties";
  }
  if (call == nullptr) {
    result = api.zeDeviceGetModuleProperties(device.handle, &device.module);
    if (result != ZE_RESULT_SUCCESS) call = "zeDeviceGetModuleProperties";
  }
  if (call == nullptr) {
    result = api.zeDeviceGetMemoryAccessProperties(device.handle, &device.access);
    if (result != ZE_RESULT_SUCCESS) call = "zeDeviceGetMemoryAccessProperties";
  }
  if (call != nullptr) {
    log(OHAL_LOG_LEVEL_WARN,
        "skipping Level Zero device: " + format_ze_error(call, static_cast<uint32_t>(result)));
    return false;
  }

  uint32_t count = 0;
  if (api.zeDeviceGetMemoryProperties(device.handle, &count, nullptr) == ZE_RESULT_SUCCESS) {
    std::vector<ze_device_memory_properties_t> memories(count);
    for (auto& memory : memories) {
      memory = {};
      memory.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES;
    }
    if (api.zeDeviceGetMemoryProperties(device.handle, &count, memories.data()) ==
        ZE_RESULT_SUCCESS) {
      for (uint32_t i = 0; i < count; ++i) device.total_memory += memories[i].totalSize;
    }
  }

  count = 0;
  bool have_compute = false;
  if (api.zeDeviceGetCommandQueueGroupProperties(device.handle, &count, nullptr) ==
      ZE_RESULT_SUCCESS) {
    std::vector<ze_command_queue_group_properties_t> groups(count);
    for (auto& group : groups) {
      group = {};
      group.stype = ZE_STRUCTURE_TYPE_COMMAND_QUEUE_GROUP_PROPERTIES;
    }
    if (api.zeDeviceGetCommandQueueGroupProperties(device.handle, &count, groups.data()) ==
        ZE_RESULT_SUCCESS) {
      for (uint32_t i = 0; i < count && !have_compute; ++i) {
        if ((groups[i].flags & ZE_COMMAND_QUEUE_GROUP_PROPERTY_FLAG_COMPUTE) != 0) {
          device.compute_ordinal = i;
          have_compute = true;
        }
      }
    }
  }
  if (!have_compute) {
    log(OHAL_LOG_LEVEL_WARN, std::string("skipping Level Zero device ") + device.props.name +
                                 ": no compute command queue group");
    return false;
  }

  if (api.zeDevicePciGetPropertiesExt != nullptr) {
    ze_pci_ext_properties_t pci{};
    pci.stype = ZE_STRUCTURE_TYPE_PCI_EXT_PROPERTIES;
    if (api.zeDevicePciGetPropertiesExt(device.handle, &pci) == ZE_RESULT_SUCCESS) {
      device.pci[0] = pci.address.domain;
      device.pci[1] = pci.address.bus;
      device.pci[2] = pci.address.device;
      device.pci[3] = pci.address.function;
    }
  }
  return true;
}

bool open_driver(ze_driver_handle_t handle) {
  State& s = state();
  const ZeApi& api = s.api;
  auto driver = std::make_unique<Driver>();
  driver->handle = handle;
  if (api.zeDriverGetApiVersion(handle, &driver->api_version) != ZE_RESULT_SUCCESS) {
    driver->api_version = ZE_API_VERSION_1_0;
  }
  ze_context_desc_t context_desc{};
  context_desc.stype = ZE_STRUCTURE_TYPE_CONTEXT_DESC;
  const ze_result_t created = api.zeContextCreate(handle, &context_desc, &driver->context);
  if (created != ZE_RESULT_SUCCESS) {
    log(OHAL_LOG_LEVEL_WARN,
        "skipping Level Zero driver: " +
            format_ze_error("zeContextCreate", static_cast<uint32_t>(created)));
    return false;
  }
  driver->plain_pools = std::make_unique<ZeEventPoolDriver>(driver->context, false);
  driver->timing_pools = std::make_unique<ZeEventPoolDriver>(driver->context, true);
  driver->plain_events =
      std::make_unique<EventAllocator>(*driver->plain_pools, kEventsPerPool, kMaxEventPools);
  driver->timing_events =
      std::make_unique<EventAllocator>(*driver->timing_pools, kEventsPerPool, kMaxEventPools);

  uint32_t count = 0;
  std::vector<ze_device_handle_t> handles;
  if (api.zeDeviceGet(handle, &count, nullptr) == ZE_RESULT_SUCCESS && count > 0) {
    handles.resize(count);
    if (api.zeDeviceGet(handle, &count, handles.data()) != ZE_RESULT_SUCCESS) count = 0;
  }
  size_t added = 0;
  for (uint32_t i = 0; i < count; ++i) {
    auto device = std::make_unique<Device>();
    device->driver = driver.get();
    device->handle = handles[i];
    if (!describe_device(*device)) continue;
    s.devices.push_back(std::move(device));
    ++added;
  }
  if (added == 0) {
    driver->plain_events.reset();
    driver->timing_events.reset();
    (void)api.zeContextDestroy(driver->context);
    return false;
  }
  s.drivers.push_back(std::move(driver));
  return true;
}

}  // namespace

ohal_result_t init() {
  State& s = state();
  shutdown();  // a second init after shutdown starts clean
  std::string reason;
  if (!load_ze_api(s.api, reason)) return fail(OHAL_ERROR_BACKEND, reason);

  const ze_result_t initialized = s.api.zeInit(ZE_INIT_FLAG_GPU_ONLY);
  if (initialized == ZE_RESULT_ERROR_UNINITIALIZED) {
    // The loader found no driver (no Intel GPU, or its runtime is not installed): 0 devices.
    const std::string why =
        "no Level Zero driver: " + format_ze_error("zeInit", static_cast<uint32_t>(initialized));
    log(OHAL_LOG_LEVEL_INFO, why);
    return fail(OHAL_SUCCESS, why);  // the front-end shows it as the plugin's reason
  }
  if (initialized != ZE_RESULT_SUCCESS) return check(initialized, "zeInit");

  uint32_t count = 0;
  const ze_result_t listed = s.api.zeDriverGet(&count, nullptr);
  if (listed == ZE_RESULT_ERROR_UNINITIALIZED || (listed == ZE_RESULT_SUCCESS && count == 0)) {
    const std::string why =
        "no Level Zero driver: " + format_ze_error("zeDriverGet", static_cast<uint32_t>(listed));
    log(OHAL_LOG_LEVEL_INFO, why);
    return fail(OHAL_SUCCESS, why);
  }
  if (listed != ZE_RESULT_SUCCESS) return check(listed, "zeDriverGet");
  std::vector<ze_driver_handle_t> drivers(count);
  const ohal_result_t got = check(s.api.zeDriverGet(&count, drivers.data()), "zeDriverGet");
  if (got != OHAL_SUCCESS) return got;
  for (uint32_t i = 0; i < count; ++i) open_driver(drivers[i]);
  return OHAL_SUCCESS;
}

void shutdown() {
  State& s = state();
  for (auto& device : s.devices) {
    device->worker.reset();  // joins after the queued host functions ran
    if (device->internal_stream != nullptr) {
      destroy_stream(device->internal_stream);
      device->internal_stream = nullptr;
    }
  }
  s.devices.clear();
  for (auto& driver : s.drivers) {
    driver->plain_events.reset();
    driver->timing_events.reset();
    (void)s.api.zeContextDestroy(driver->context);
  }
  s.drivers.clear();
}

ohal_result_t device_count(uint32_t* count) {
  *count = static_cast<uint32_t>(state().devices.size());
  return OHAL_SUCCESS;
}

ohal_result_t device_get(uint32_t index, ohal_bdevice_t* device) {
  State& s = state();
  if (index >= s.devices.size()) {
    return fail(OHAL_ERROR_NO_DEVICE, "Level Zero device index " + std::to_string(index) +
                                          " out of range (" + std::to_string(s.devices.size()) +
                                          " devices)");
  }
  *device = to_handle<ohal_bdevice_t>(s.devices[index].get());
  return OHAL_SUCCESS;
}

ohal_result_t device_get_properties(ohal_bdevice_t handle, ohal_device_properties_t* out) {
  const Device& device = *from_handle<Device>(handle);
  const ze_device_properties_t& p = device.props;
  const ze_device_compute_properties_t& c = device.compute;

  ohal_device_properties_t props{};  // full-size copy: never write past an older caller struct
  const size_t size = std::min(out->struct_size, sizeof(props));
  std::memcpy(&props, out, size);
  copy_string(props.name, sizeof(props.name), p.name);
  if (p.vendorId == 0x8086) {
    copy_string(props.vendor, sizeof(props.vendor), "Intel");
  } else {
    std::snprintf(props.vendor, sizeof(props.vendor), "PCI vendor 0x%04x", p.vendorId);
  }
  switch (p.type) {
    case ZE_DEVICE_TYPE_GPU:
      props.type = (p.flags & ZE_DEVICE_PROPERTY_FLAG_INTEGRATED) != 0
                       ? OHAL_DEVICE_TYPE_INTEGRATED_GPU
                       : OHAL_DEVICE_TYPE_GPU;
      break;
    case ZE_DEVICE_TYPE_CPU:
      props.type = OHAL_DEVICE_TYPE_CPU;
      break;
    case ZE_DEVICE_TYPE_FPGA:
    case ZE_DEVICE_TYPE_MCA:
    case ZE_DEVICE_TYPE_VPU:
      props.type = OHAL_DEVICE_TYPE_ACCELERATOR;
      break;
    default:
      props.type = OHAL_DEVICE_TYPE_OTHER;
      break;
  }
  // Level Zero core has no free-memory query (Sysman does, but needs ZES_ENABLE_SYSMAN at
  // zeInit): report what this backend has not allocated.
  const uint64_t allocated = device.allocated.load();
  props.total_memory = device.total_memory;
  props.free_memory = device.total_memory > allocated ? device.total_memory - allocated : 0;
  props.max_allocation_size = p.maxMemAllocSize;
  props.max_block_dims[0] = c.maxGroupSizeX;
  props.max_block_dims[1] = c.maxGroupSizeY;
  props.max_block_dims[2] = c.maxGroupSizeZ;
  props.max_threads_per_block = c.maxTotalGroupSize;
  props.max_grid_dims[0] = c.maxGroupCountX;
  props.max_grid_dims[1] = c.maxGroupCountY;
  props.max_grid_dims[2] = c.maxGroupCountZ;
  props.max_shared_bytes_per_block = c.maxSharedLocalMemory;
  // 1024 bytes is OpenCL's guaranteed minimum, for a driver that reports nothing.
  props.max_kernel_arg_bytes =
      device.module.maxArgumentsSize != 0 ? device.module.maxArgumentsSize : 1024;
  // The compiler picks a kernel's SIMD width; report the widest, as a warp-size upper bound.
  props.subgroup_size = p.physicalEUSimdWidth;
  for (uint32_t i = 0; i < c.numSubGroupSizes && i < ZE_SUBGROUPSIZE_COUNT; ++i) {
    props.subgroup_size = std::max(props.subgroup_size, c.subGroupSizes[i]);
  }
  props.compute_units = p.numSlices * p.numSubslicesPerSlice * p.numEUsPerSubslice;
  props.kernel_formats = OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_SPIRV_OPENCL);
  static_assert(ZE_MAX_DEVICE_UUID_SIZE == OHAL_UUID_SIZE);
  std::memcpy(props.uuid, p.uuid.id, OHAL_UUID_SIZE);
  props.pci_domain = device.pci[0];
  props.pci_bus = device.pci[1];
  props.pci_device = device.pci[2];
  props.pci_function = device.pci[3];
  // USM: host and shared allocations have one address on host and device.
  props.capabilities = OHAL_CAP_UNIFIED_ADDRESSING | OHAL_CAP_EVENT_TIMING | OHAL_CAP_HOST_FUNC |
                       OHAL_CAP_DYNAMIC_SHARED;
  if ((device.access.hostAllocCapabilities & ZE_MEMORY_ACCESS_CAP_FLAG_RW) != 0) {
    props.capabilities |= OHAL_CAP_MEM_HOST;
  }
  if ((device.access.sharedSingleDeviceAllocCapabilities & ZE_MEMORY_ACCESS_CAP_FLAG_RW) != 0) {
    props.capabilities |= OHAL_CAP_MEM_SHARED;
  }
  if ((device.module.flags & ZE_DEVICE_MODULE_FLAG_INT64_ATOMICS) != 0) {
    props.capabilities |= OHAL_CAP_ATOMICS_64;
  }
  props.memory_alignment = 256;  // what mem_alloc asks the driver for
  std::memcpy(out, &props, size);
  return OHAL_SUCCESS;
}

ohal_result_t device_synchronize(ohal_bdevice_t handle) {
  // Level Zero has no device-wide wait for immediate command lists: wait for each stream.
  Device& device = *from_handle<Device>(handle);
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::lock_guard lock(device.streams_mutex);
    streams = device.streams;
  }
  ohal_result_t first = OHAL_SUCCESS;
  for (const auto& stream : streams) {
    const ohal_result_t result = stream_sync(*stream);
    if (first == OHAL_SUCCESS && result != OHAL_SUCCESS) first = result;
  }
  if (first != OHAL_SUCCESS) {
    // Report the first failure again: later streams may have overwritten the thread's message.
    for (const auto& stream : streams) {
      std::lock_guard stream_lock(stream->mutex);
      if (stream->sticky != OHAL_SUCCESS) return fail(stream->sticky, stream->sticky_message);
    }
  }
  return first;
}

}  // namespace ohal::ze
