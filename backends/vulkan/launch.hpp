// Kernel launch: argument packing (push constants or an uploaded block) and dispatch.
#pragma once

#include <cstdint>
#include <vector>

#include "module.hpp"
#include "stream.hpp"

namespace ohal::vk {

// Most bytes of arguments a launch may pass (a block passed through ohal_args).
constexpr uint32_t kMaxArgBytes = 4096;

// Packs args with C struct layout: each argument aligned to its size (up to 8); other sizes
// (structs) rounded up to 8 and 8-aligned. Returns false when they exceed `limit` bytes.
bool pack_c_layout(uint32_t arg_count, const ohal_kernel_arg_t* args, std::vector<uint8_t>& out,
                   size_t limit);

ohal_result_t launch(Stream& stream, Kernel& kernel, const ohal_launch_config_t& config,
                     uint32_t arg_count, const ohal_kernel_arg_t* args);

}  // namespace ohal::vk
