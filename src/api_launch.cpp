// Kernel launch: every limit is checked here so a backend sees only launches that fit.
#include "runtime.hpp"

using namespace ohal;

namespace {

ohal_result_t check_config(const ohal_launch_config_t& config, const Device& device,
                           const Kernel& kernel) {
  const ohal_device_properties_t& props = device.properties;
  uint64_t threads = 1;
  for (int d = 0; d < 3; ++d) {
    if (config.grid[d] == 0 || config.block[d] == 0) {
      return failf(OHAL_ERROR_INVALID_LAUNCH_CONFIG,
                   "grid {}x{}x{} / block {}x{}x{} has a zero dimension", config.grid[0],
                   config.grid[1], config.grid[2], config.block[0], config.block[1],
                   config.block[2]);
    }
    if (config.block[d] > props.max_block_dims[d]) {
      return failf(OHAL_ERROR_INVALID_LAUNCH_CONFIG,
                   "block dimension {} is {}, the device allows {}", d, config.block[d],
                   props.max_block_dims[d]);
    }
    if (config.grid[d] > props.max_grid_dims[d]) {
      return failf(OHAL_ERROR_INVALID_LAUNCH_CONFIG,
                   "grid dimension {} is {}, the device allows {}", d, config.grid[d],
                   props.max_grid_dims[d]);
    }
    threads *= config.block[d];
  }
  const uint32_t max_threads =
      std::min(props.max_threads_per_block, kernel.properties.max_threads_per_block);
  if (threads > max_threads) {
    return failf(OHAL_ERROR_INVALID_LAUNCH_CONFIG,
                 "{} threads per block; kernel '{}' allows at most {} on this device", threads,
                 kernel.name, max_threads);
  }
  const uint64_t shared = uint64_t{config.shared_bytes} + kernel.properties.static_shared_bytes;
  if (shared > props.max_shared_bytes_per_block) {
    return failf(OHAL_ERROR_INVALID_LAUNCH_CONFIG,
                 "{} bytes of shared memory ({} dynamic + {} static); the device allows {}", shared,
                 config.shared_bytes, kernel.properties.static_shared_bytes,
                 props.max_shared_bytes_per_block);
  }
  return OHAL_SUCCESS;
}

ohal_result_t check_args(const Kernel& kernel, uint32_t arg_count, const ohal_kernel_arg_t* args) {
  if (arg_count > OHAL_KERNEL_MAX_ARGS) {
    return failf(OHAL_ERROR_INVALID_KERNEL_ARGS, "{} arguments; at most {} are allowed", arg_count,
                 OHAL_KERNEL_MAX_ARGS);
  }
  if (arg_count > 0 && args == nullptr) {
    return fail(OHAL_ERROR_NULL_POINTER, "args is NULL but arg_count is not 0");
  }
  const ohal_kernel_properties_t& props = kernel.properties;
  if (props.arg_count_known && arg_count != props.arg_count) {
    return failf(OHAL_ERROR_INVALID_KERNEL_ARGS, "kernel '{}' takes {} arguments, {} given",
                 kernel.name, props.arg_count, arg_count);
  }
  for (uint32_t i = 0; i < arg_count; ++i) {
    if (args[i].value == nullptr)
      return failf(OHAL_ERROR_NULL_POINTER, "args[{}].value is NULL", i);
    if (args[i].size == 0) return failf(OHAL_ERROR_INVALID_KERNEL_ARGS, "args[{}].size is 0", i);
    if (props.arg_count_known && props.arg_sizes[i] != OHAL_ARG_SIZE_UNKNOWN &&
        args[i].size != props.arg_sizes[i]) {
      return failf(OHAL_ERROR_INVALID_KERNEL_ARGS,
                   "argument {} of kernel '{}' is {} bytes, {} given", i, kernel.name,
                   props.arg_sizes[i], args[i].size);
    }
  }
  return OHAL_SUCCESS;
}

}  // namespace

extern "C" OHAL_API ohal_result_t ohal_launch(ohal_stream_t stream, ohal_kernel_t kernel,
                                              const ohal_launch_config_t* config,
                                              uint32_t arg_count, const ohal_kernel_arg_t* args) {
  ApiCall call("ohal_launch");
  if (config == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "config is NULL");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  Ref<Kernel> k = acquire<Kernel>(kernel, HandleType::kKernel, "kernel");
  if (!k) return k.error();
  if (config->struct_size < sizeof(ohal_launch_config_t)) {
    return failf(OHAL_ERROR_STRUCT_SIZE, "config->struct_size is {}, expected at least {}",
                 config->struct_size, sizeof(ohal_launch_config_t));
  }
  if (k->device != s->device) {
    return fail(OHAL_ERROR_DEVICE_MISMATCH,
                "the kernel was loaded for another device than the stream's");
  }
  if (ohal_result_t r = check_config(*config, *s->device, *k.get()); r != OHAL_SUCCESS) return r;
  if (ohal_result_t r = check_args(*k.get(), arg_count, args); r != OHAL_SUCCESS) return r;
  return backend_result(
      s->device->backend().launch(s->backend_stream, k->backend_kernel, config, arg_count, args),
      s->device);
}
