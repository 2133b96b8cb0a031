// Kernel launch: group size, one zeKernelSetArgumentValue per argument, then the append, all
// under the kernel's lock because arguments live in the kernel object until the append.
#include <string>
#include <vector>

#include "ze_args.h"
#include "ze_entries.h"
#include "ze_state.h"

namespace ohal::ze {

ohal_result_t launch(ohal_bstream_t stream_handle, ohal_bkernel_t kernel_handle,
                     const ohal_launch_config_t* config, uint32_t arg_count,
                     const ohal_kernel_arg_t* args) {
  Stream& stream = *from_handle<Stream>(stream_handle);
  Kernel& kernel = *from_handle<Kernel>(kernel_handle);
  const ZeApi& api = state().api;
  std::vector<ArgBinding> bindings;
  std::string error;
  if (plan_kernel_args(kernel.name.c_str(), kernel.props.numKernelArgs, arg_count, args,
                       config->shared_bytes, bindings, error) != OHAL_SUCCESS) {
    return fail(OHAL_ERROR_INVALID_KERNEL_ARGS, "levelzero launch: " + error);
  }
  // Lock order everywhere: stream, then kernel.
  std::lock_guard stream_lock(stream.mutex);
  ohal_result_t result = stream_sticky_locked(stream);
  if (result != OHAL_SUCCESS) return result;
  std::lock_guard kernel_lock(kernel.mutex);
  const std::string group_call = "zeKernelSetGroupSize(" + kernel.name + ")";
  result = check(
      api.zeKernelSetGroupSize(kernel.handle, config->block[0], config->block[1], config->block[2]),
      group_call.c_str());
  if (result != OHAL_SUCCESS) return result;
  for (const ArgBinding& binding : bindings) {
    const std::string call = "zeKernelSetArgumentValue(" + kernel.name + ", " +
                             std::to_string(binding.index) + ", " + std::to_string(binding.size) +
                             " bytes)";
    result = check(
        api.zeKernelSetArgumentValue(kernel.handle, binding.index, binding.size, binding.value),
        call.c_str());
    if (result != OHAL_SUCCESS) return result;
  }
  result = stream_order_locked(stream);
  if (result != OHAL_SUCCESS) return result;
  const ze_group_count_t groups{config->grid[0], config->grid[1], config->grid[2]};
  const std::string call = "zeCommandListAppendLaunchKernel(" + kernel.name + ")";
  return stream_check_locked(
      stream,
      api.zeCommandListAppendLaunchKernel(stream.list, kernel.handle, &groups, nullptr, 0, nullptr),
      call.c_str());
}

}  // namespace ohal::ze
