#include "launch.hpp"

#include <cstring>

namespace ohal::vk {

bool pack_c_layout(uint32_t arg_count, const ohal_kernel_arg_t* args, std::vector<uint8_t>& out,
                   size_t limit) {
  out.clear();
  size_t offset = 0;
  for (uint32_t i = 0; i < arg_count; ++i) {
    const size_t size = args[i].size;
    const bool scalar = size == 1 || size == 2 || size == 4 || size == 8;
    const size_t align = scalar ? size : 8;
    const size_t slot = scalar ? size : (size + 7) / 8 * 8;
    offset = (offset + align - 1) / align * align;
    if (size > limit || offset > limit - slot) return false;
    out.resize(offset + slot, 0);
    std::memcpy(out.data() + offset, args[i].value, size);
    offset += slot;
  }
  return true;
}

ohal_result_t launch(Stream& stream, Kernel& kernel, const ohal_launch_config_t& config,
                     uint32_t arg_count, const ohal_kernel_arg_t* args) {
  const spirv::EntryPoint& entry = kernel.entry;
  for (int d = 0; d < 3; ++d) {
    if (!kernel.flexible[d] && config.block[d] != entry.local_size[d].value) {
      return failf(OHAL_ERROR_INVALID_LAUNCH_CONFIG,
                   "kernel '{}' has a fixed work-group size {}x{}x{} (no local_size_*_id); block "
                   "{}x{}x{} was asked",
                   entry.name, entry.local_size[0].value, entry.local_size[1].value,
                   entry.local_size[2].value, config.block[0], config.block[1], config.block[2]);
    }
  }
  // The argument block, laid out as the kernel declares it when reflection tells.
  std::vector<uint8_t> block;
  if (entry.args_known) {
    if (arg_count != entry.args.size()) {
      return failf(OHAL_ERROR_INVALID_KERNEL_ARGS, "kernel '{}' takes {} arguments, {} given",
                   entry.name, entry.args.size(), arg_count);
    }
    block.assign(entry.args_bytes, 0);
    for (uint32_t i = 0; i < arg_count; ++i) {
      if (args[i].size != entry.args[i].size) {
        return failf(OHAL_ERROR_INVALID_KERNEL_ARGS,
                     "argument {} of kernel '{}' is {} bytes, {} given", i, entry.name,
                     entry.args[i].size, args[i].size);
      }
      std::memcpy(block.data() + entry.args[i].offset, args[i].value, args[i].size);
    }
  } else if (!pack_c_layout(arg_count, args, block, kMaxArgBytes)) {
    return failf(OHAL_ERROR_INVALID_KERNEL_ARGS, "the arguments exceed {} bytes", kMaxArgBytes);
  }
  if (!entry.args_indirect && block.size() > kernel.push_range) {
    return failf(OHAL_ERROR_INVALID_KERNEL_ARGS,
                 "{} bytes of arguments; kernel '{}' has room for {} in its push constants",
                 block.size(), entry.name, kernel.push_range);
  }
  block.resize((block.size() + 3) & ~size_t{3}, 0);

  VkPipeline pipeline = VK_NULL_HANDLE;
  if (ohal_result_t r = kernel.pipeline(config.block, config.shared_bytes, pipeline);
      r != OHAL_SUCCESS)
    return r;

  std::lock_guard<std::mutex> lock(stream.mutex);
  VkCommandBuffer cb = VK_NULL_HANDLE;
  if (ohal_result_t r = stream.begin_locked(kernel.label.c_str(), cb); r != OHAL_SUCCESS) return r;
  const DeviceFns& fn = stream.device.fn;
  fn.vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
  if (entry.args_indirect) {
    VkDeviceAddress address = 0;
    if (ohal_result_t r = stream.upload_locked(block.data(), block.size(), address);
        r != OHAL_SUCCESS)
      return r;
    fn.vkCmdPushConstants(cb, kernel.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof address,
                          &address);
  } else if (!block.empty()) {
    fn.vkCmdPushConstants(cb, kernel.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0,
                          static_cast<uint32_t>(block.size()), block.data());
  }
  fn.vkCmdDispatch(cb, config.grid[0], config.grid[1], config.grid[2]);
  return stream.end_locked();
}

}  // namespace ohal::vk
