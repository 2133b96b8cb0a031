// Modules from HSACO (a code object or an offload bundle) and from HIP source through hiprtc.
#include <algorithm>
#include <cstring>
#include <new>

#include "code_object.h"
#include "hip_entries.h"
#include "hip_rtc.h"
#include "hip_state.h"

namespace ohal::hip {
namespace {

void copy_string(char* dst, size_t capacity, const std::string& src) {
  const size_t length = std::min(src.size(), capacity - 1);
  std::memcpy(dst, src.data(), length);
  dst[length] = '\0';
}

// Hands a checked code object to the runtime; the module keeps its own copy of the bytes.
ohal_result_t load_code_object(Device& device, const void* image, size_t size,
                               ohal_bmodule_t* out) {
  CodeObjectView view;
  std::string error;
  if (select_code_object(image, size, device.target, view, error) != OHAL_SUCCESS) {
    return fail(OHAL_ERROR_INVALID_IMAGE, "hip module_load: " + error);
  }
  auto module = std::unique_ptr<Module>(new (std::nothrow) Module);
  if (!module) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "hip module_load: out of host memory");
  module->device = &device;
  module->image.assign(view.data, view.data + view.size);
  ohal_result_t result = bind(device);
  if (result != OHAL_SUCCESS) return result;
  result = check(state().api.hipModuleLoadData(&module->handle, module->image.data()),
                 "hipModuleLoadData");
  if (result != OHAL_SUCCESS) {
    // Whatever the runtime calls it, a code object it refuses is an image problem.
    return result == OHAL_ERROR_OUT_OF_DEVICE_MEMORY || result == OHAL_ERROR_OUT_OF_HOST_MEMORY
               ? result
               : OHAL_ERROR_INVALID_IMAGE;
  }
  *out = to_handle<ohal_bmodule_t>(module.release());
  return OHAL_SUCCESS;
}

}  // namespace

ohal_result_t module_load(ohal_bdevice_t handle, const ohal_module_desc_t* desc,
                          ohal_bmodule_t* out) {
  Device& device = *from_handle<Device>(handle);
  switch (desc->format) {
    case OHAL_KERNEL_FORMAT_HSACO:
      return load_code_object(device, desc->data, desc->size, out);
    case OHAL_KERNEL_FORMAT_HIP_SOURCE: {
      const RtcResult compiled = compile_hip_source(
          state().api, std::string_view(static_cast<const char*>(desc->data), desc->size),
          desc->options, device.target, builtin_rtc_headers());
      if (compiled.result != OHAL_SUCCESS) return fail(compiled.result, compiled.message);
      return load_code_object(device, compiled.code.data(), compiled.code.size(), out);
    }
    default:
      return fail(OHAL_ERROR_UNSUPPORTED, "hip module_load: format " +
                                              std::to_string(static_cast<int>(desc->format)) +
                                              " is not HSACO or HIP_SOURCE");
  }
}

ohal_result_t module_unload(ohal_bmodule_t handle) {
  std::unique_ptr<Module> module(from_handle<Module>(handle));
  const ohal_result_t bound = bind(*module->device);
  if (bound != OHAL_SUCCESS) return bound;
  return check(state().api.hipModuleUnload(module->handle), "hipModuleUnload");
}

ohal_result_t module_get_kernel(ohal_bmodule_t handle, const char* name, ohal_bkernel_t* out) {
  Module& module = *from_handle<Module>(handle);
  std::lock_guard lock(module.mutex);
  // The same name gives the same kernel: kernels live as long as their module.
  if (auto found = module.kernels.find(name); found != module.kernels.end()) {
    *out = to_handle<ohal_bkernel_t>(found->second.get());
    return OHAL_SUCCESS;
  }
  auto kernel = std::unique_ptr<Kernel>(new (std::nothrow) Kernel);
  if (!kernel) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "hip module_get_kernel: out of memory");
  kernel->module = &module;
  kernel->name = name;
  ohal_result_t result = bind(*module.device);
  if (result != OHAL_SUCCESS) return result;
  const std::string call = std::string("hipModuleGetFunction(\"") + name + "\")";
  result =
      check(state().api.hipModuleGetFunction(&kernel->function, module.handle, name), call.c_str());
  if (result != OHAL_SUCCESS) return result;
  *out = to_handle<ohal_bkernel_t>(kernel.get());
  module.kernels.emplace(kernel->name, std::move(kernel));
  return OHAL_SUCCESS;
}

ohal_result_t kernel_get_properties(ohal_bkernel_t handle, ohal_kernel_properties_t* out) {
  const Kernel& kernel = *from_handle<Kernel>(handle);
  const Device& device = *kernel.module->device;
  const HipApi& api = state().api;
  ohal_kernel_properties_t props{};
  const size_t size = std::min(out->struct_size, sizeof(props));
  std::memcpy(&props, out, size);
  copy_string(props.name, sizeof(props.name), kernel.name);
  int value = 0;
  props.max_threads_per_block = static_cast<uint32_t>(std::max(device.props.maxThreadsPerBlock, 1));
  if (api.hipFuncGetAttribute(&value, HIP_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK, kernel.function) ==
          hipSuccess &&
      value > 0) {
    props.max_threads_per_block = static_cast<uint32_t>(value);
  }
  props.static_shared_bytes = 0;
  if (api.hipFuncGetAttribute(&value, HIP_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES, kernel.function) ==
          hipSuccess &&
      value > 0) {
    props.static_shared_bytes = static_cast<uint32_t>(value);
  }
  // HIP has no argument query before 6.x; launches pass values and the runtime reads the
  // layout from the code object.
  props.arg_count_known = 0;
  props.arg_count = 0;
  std::memcpy(out, &props, size);
  return OHAL_SUCCESS;
}

}  // namespace ohal::hip
