// Launch argument handling for hipModuleLaunchKernel: the kernelParams array and the checks the
// front-end cannot make because they are specific to AMD's dispatch packet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal::hip {

// kernelParams for hipModuleLaunchKernel: one pointer per argument to its value. HIP reads the
// sizes and offsets from the code object's metadata and copies the values during the call, so
// the array only has to live until the launch returns.
std::vector<void*> pack_kernel_params(uint32_t arg_count, const ohal_kernel_arg_t* args);

// AMD's dispatch packet holds the grid in work-items as 32-bit values: grid[i] * block[i] must
// fit in uint32_t. Returns OHAL_SUCCESS or OHAL_ERROR_INVALID_LAUNCH_CONFIG with the reason.
ohal_result_t check_dispatch_size(const ohal_launch_config_t& config, std::string& error);

// Splits a space-separated option string ("-O3 -DN=4") into words; NULL or blank gives none.
std::vector<std::string> split_options(const char* options);

}  // namespace ohal::hip
