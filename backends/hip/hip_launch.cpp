// Kernel launch through hipModuleLaunchKernel.
#include "hip_args.h"
#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {

ohal_result_t launch(ohal_bstream_t stream_handle, ohal_bkernel_t kernel_handle,
                     const ohal_launch_config_t* config, uint32_t arg_count,
                     const ohal_kernel_arg_t* args) {
  Stream& stream = *from_handle<Stream>(stream_handle);
  const Kernel& kernel = *from_handle<Kernel>(kernel_handle);
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  std::string error;
  if (check_dispatch_size(*config, error) != OHAL_SUCCESS) {
    return fail(OHAL_ERROR_INVALID_LAUNCH_CONFIG, "hip launch of " + kernel.name + ": " + error);
  }
  std::vector<void*> params = pack_kernel_params(arg_count, args);
  const std::string call = "hipModuleLaunchKernel(" + kernel.name + ")";
  return stream_check(
      stream,
      state().api.hipModuleLaunchKernel(kernel.function, config->grid[0], config->grid[1],
                                        config->grid[2], config->block[0], config->block[1],
                                        config->block[2], config->shared_bytes, stream.handle,
                                        params.empty() ? nullptr : params.data(), nullptr),
      call.c_str());
}

}  // namespace ohal::hip
