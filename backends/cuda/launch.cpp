// Launch: cuLaunchKernel with the arguments passed by address (the driver copies them).
#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

// Dynamic shared memory above the function's current limit (48 KiB minus static by default)
// needs an opt-in per function; raised once, never lowered.
ohal_result_t allow_dynamic_shared(Kernel& kernel, uint32_t bytes) {
  std::lock_guard<std::mutex> lock(kernel.attribute_mutex);
  if (bytes <= kernel.dynamic_shared_limit.load(std::memory_order_relaxed)) return OHAL_SUCCESS;
  const CUresult r = drv().cuFuncSetAttribute(
      kernel.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, static_cast<int>(bytes));
  if (r != CUDA_SUCCESS) {
    const Device& device = *kernel.module->device;
    return cu_fail_as(
        OHAL_ERROR_INVALID_LAUNCH_CONFIG, "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)", r,
        "kernel '" + *kernel.name + "' asks " + std::to_string(bytes) +
            " bytes of dynamic shared memory with " +
            std::to_string(kernel.properties.static_shared_bytes) + " static; the device allows " +
            std::to_string(device.shared_optin) + " in all");
  }
  kernel.dynamic_shared_limit.store(bytes, std::memory_order_relaxed);
  return OHAL_SUCCESS;
}

std::string describe(const Kernel& kernel, const ohal_launch_config_t& c) {
  return "kernel '" + *kernel.name + "', grid " + std::to_string(c.grid[0]) + "x" +
         std::to_string(c.grid[1]) + "x" + std::to_string(c.grid[2]) + ", block " +
         std::to_string(c.block[0]) + "x" + std::to_string(c.block[1]) + "x" +
         std::to_string(c.block[2]) + ", " + std::to_string(c.shared_bytes) +
         " bytes dynamic shared";
}

}  // namespace

ohal_result_t launch(ohal_bstream_t stream_handle, ohal_bkernel_t kernel_handle,
                     const ohal_launch_config_t* config, uint32_t arg_count,
                     const ohal_kernel_arg_t* args) {
  Stream& stream = *from_handle<Stream>(stream_handle);
  Kernel& kernel = *from_handle<Kernel>(kernel_handle);
  const ohal_kernel_properties_t& p = kernel.properties;
  // The front-end checks these too; a mismatch here must not let the driver read past args.
  if (arg_count > OHAL_KERNEL_MAX_ARGS || (p.arg_count_known != 0 && arg_count != p.arg_count)) {
    return set_error(OHAL_ERROR_INVALID_KERNEL_ARGS,
                     "cuda: kernel '" + *kernel.name + "' takes " +
                         (p.arg_count_known != 0 ? std::to_string(p.arg_count) : "?") +
                         " arguments, " + std::to_string(arg_count) + " given");
  }
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  if (config->shared_bytes > kernel.dynamic_shared_limit.load(std::memory_order_relaxed)) {
    if (const ohal_result_t r = allow_dynamic_shared(kernel, config->shared_bytes);
        r != OHAL_SUCCESS) {
      return r;
    }
  }
  void* params[OHAL_KERNEL_MAX_ARGS];
  for (uint32_t i = 0; i < arg_count; ++i) params[i] = const_cast<void*>(args[i].value);

  const CUresult r = drv().cuLaunchKernel(kernel.function, config->grid[0], config->grid[1],
                                          config->grid[2], config->block[0], config->block[1],
                                          config->block[2], config->shared_bytes, stream.stream,
                                          arg_count > 0 ? params : nullptr, nullptr);
  if (r != CUDA_SUCCESS) {
    // At launch, INVALID_VALUE means dimensions or shared memory the device refuses.
    std::string detail = describe(kernel, *config);
    const std::string fault = fault_detail(stream.last_kernel.load(std::memory_order_relaxed), r);
    if (!fault.empty()) detail += "; " + fault;
    return cu_fail_as(
        r == CUDA_ERROR_INVALID_VALUE ? OHAL_ERROR_INVALID_LAUNCH_CONFIG : map_cu_result(r),
        "cuLaunchKernel", r, detail);
  }
  stream.last_kernel.store(kernel.name, std::memory_order_relaxed);
  stream.device->last_kernel.store(kernel.name, std::memory_order_relaxed);
  return OHAL_SUCCESS;
}

}  // namespace ohal::cuda
