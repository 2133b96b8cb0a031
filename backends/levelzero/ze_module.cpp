// Modules from SPIR-V (OpenCL flavour) with the driver's build log in failure messages, and
// kernels with their properties.
#include <algorithm>
#include <cstring>
#include <new>

#include "spirv_check.h"
#include "ze_entries.h"
#include "ze_errors.h"
#include "ze_state.h"

namespace ohal::ze {
namespace {

std::string build_log_text(ze_module_build_log_handle_t log) {
  const ZeApi& api = state().api;
  size_t size = 0;
  if (log == nullptr || api.zeModuleBuildLogGetString(log, &size, nullptr) != ZE_RESULT_SUCCESS ||
      size <= 1) {
    return {};
  }
  std::string text(size, '\0');
  if (api.zeModuleBuildLogGetString(log, &size, text.data()) != ZE_RESULT_SUCCESS) return {};
  while (!text.empty() && (text.back() == '\0' || text.back() == '\n')) text.pop_back();
  return text;
}

void copy_string(char* dst, size_t capacity, const std::string& src) {
  const size_t length = std::min(src.size(), capacity - 1);
  std::memcpy(dst, src.data(), length);
  dst[length] = '\0';
}

}  // namespace

ohal_result_t module_load(ohal_bdevice_t handle, const ohal_module_desc_t* desc,
                          ohal_bmodule_t* out) {
  Device& device = *from_handle<Device>(handle);
  const ZeApi& api = state().api;
  if (desc->format != OHAL_KERNEL_FORMAT_SPIRV_OPENCL) {
    return fail(OHAL_ERROR_UNSUPPORTED, "levelzero module_load: format " +
                                            std::to_string(static_cast<int>(desc->format)) +
                                            " is not SPIRV_OPENCL");
  }
  // spirvVersionSupported is ZE_MAKE_VERSION(major, minor); the SPIR-V header packs 0x00MMmm00.
  const uint32_t supported = device.module.spirvVersionSupported;
  const uint32_t max_version =
      (ZE_MAJOR_VERSION(supported) << 16) | ((ZE_MINOR_VERSION(supported) & 0xff) << 8);
  std::string error;
  if (check_spirv(desc->data, desc->size, max_version, error) != OHAL_SUCCESS) {
    return fail(OHAL_ERROR_INVALID_IMAGE, "levelzero module_load: " + error);
  }
  auto module = std::unique_ptr<Module>(new (std::nothrow) Module);
  if (!module) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "levelzero: out of host memory");
  module->device = &device;

  ze_module_desc_t module_desc{};
  module_desc.stype = ZE_STRUCTURE_TYPE_MODULE_DESC;
  module_desc.format = ZE_MODULE_FORMAT_IL_SPIRV;
  module_desc.inputSize = desc->size;
  module_desc.pInputModule = static_cast<const uint8_t*>(desc->data);
  module_desc.pBuildFlags = desc->options != nullptr ? desc->options : "";
  ze_module_build_log_handle_t log = nullptr;
  const ze_result_t created = api.zeModuleCreate(device.driver->context, device.handle,
                                                 &module_desc, &module->handle, &log);
  const std::string log_text = build_log_text(log);
  if (log != nullptr) (void)api.zeModuleBuildLogDestroy(log);
  if (created != ZE_RESULT_SUCCESS) {
    std::string message = format_ze_error("zeModuleCreate", static_cast<uint32_t>(created));
    if (!log_text.empty()) message += "\n" + log_text;
    ohal_result_t result = map_ze_result(static_cast<uint32_t>(created));
    // Anything but running out of memory means the driver did not accept the image.
    if (result != OHAL_ERROR_OUT_OF_HOST_MEMORY && result != OHAL_ERROR_OUT_OF_DEVICE_MEMORY &&
        result != OHAL_ERROR_DEVICE_LOST) {
      result = OHAL_ERROR_INVALID_IMAGE;
    }
    return fail(result, message);
  }
  *out = to_handle<ohal_bmodule_t>(module.release());
  return OHAL_SUCCESS;
}

ohal_result_t module_unload(ohal_bmodule_t handle) {
  std::unique_ptr<Module> module(from_handle<Module>(handle));
  const ZeApi& api = state().api;
  for (auto& [name, kernel] : module->kernels) (void)api.zeKernelDestroy(kernel->handle);
  module->kernels.clear();
  return check(api.zeModuleDestroy(module->handle), "zeModuleDestroy");
}

ohal_result_t module_get_kernel(ohal_bmodule_t handle, const char* name, ohal_bkernel_t* out) {
  Module& module = *from_handle<Module>(handle);
  const ZeApi& api = state().api;
  std::lock_guard lock(module.mutex);
  if (auto found = module.kernels.find(name); found != module.kernels.end()) {
    *out = to_handle<ohal_bkernel_t>(found->second.get());
    return OHAL_SUCCESS;
  }
  auto kernel = std::unique_ptr<Kernel>(new (std::nothrow) Kernel);
  if (!kernel) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "levelzero: out of host memory");
  kernel->module = &module;
  kernel->name = name;
  ze_kernel_desc_t desc{};
  desc.stype = ZE_STRUCTURE_TYPE_KERNEL_DESC;
  desc.pKernelName = name;
  const std::string call = std::string("zeKernelCreate(\"") + name + "\")";
  ohal_result_t result =
      check(api.zeKernelCreate(module.handle, &desc, &kernel->handle), call.c_str());
  if (result != OHAL_SUCCESS) return result;
  kernel->props.stype = ZE_STRUCTURE_TYPE_KERNEL_PROPERTIES;
  result =
      check(api.zeKernelGetProperties(kernel->handle, &kernel->props), "zeKernelGetProperties");
  if (result != OHAL_SUCCESS) {
    (void)api.zeKernelDestroy(kernel->handle);
    return result;
  }
  *out = to_handle<ohal_bkernel_t>(kernel.get());
  module.kernels.emplace(kernel->name, std::move(kernel));
  return OHAL_SUCCESS;
}

ohal_result_t kernel_get_properties(ohal_bkernel_t handle, ohal_kernel_properties_t* out) {
  const Kernel& kernel = *from_handle<Kernel>(handle);
  const Device& device = *kernel.module->device;
  const ze_kernel_properties_t& k = kernel.props;
  ohal_kernel_properties_t props{};
  const size_t size = std::min(out->struct_size, sizeof(props));
  std::memcpy(&props, out, size);
  copy_string(props.name, sizeof(props.name), kernel.name);
  props.max_threads_per_block = device.compute.maxTotalGroupSize;
  if (k.requiredGroupSizeX != 0 && k.requiredGroupSizeY != 0 && k.requiredGroupSizeZ != 0) {
    // reqd_work_group_size fixes the block size; the product is the only thread count it takes.
    props.max_threads_per_block =
        std::min(props.max_threads_per_block,
                 k.requiredGroupSizeX * k.requiredGroupSizeY * k.requiredGroupSizeZ);
  }
  props.static_shared_bytes = k.localMemSize;
  // Level Zero reports how many parameters a kernel has but not their sizes; the launch checks
  // the count (ze_args.h).
  props.arg_count_known = 0;
  props.arg_count = 0;
  std::memcpy(out, &props, size);
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
