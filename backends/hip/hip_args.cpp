#include "hip_args.h"

#include <limits>

namespace ohal::hip {

std::vector<void*> pack_kernel_params(uint32_t arg_count, const ohal_kernel_arg_t* args) {
  std::vector<void*> params(arg_count);
  for (uint32_t i = 0; i < arg_count; ++i) {
    // HIP's signature takes void** but only reads the values.
    params[i] = const_cast<void*>(args[i].value);
  }
  return params;
}

ohal_result_t check_dispatch_size(const ohal_launch_config_t& config, std::string& error) {
  static constexpr char kAxis[] = {'x', 'y', 'z'};
  for (int i = 0; i < 3; ++i) {
    const uint64_t work_items = uint64_t{config.grid[i]} * uint64_t{config.block[i]};
    if (work_items > std::numeric_limits<uint32_t>::max()) {
      error = std::string("grid ") + kAxis[i] + " of " + std::to_string(config.grid[i]) +
              " blocks of " + std::to_string(config.block[i]) + " threads is " +
              std::to_string(work_items) + " work-items; AMD dispatches at most 2^32-1 per axis";
      return OHAL_ERROR_INVALID_LAUNCH_CONFIG;
    }
  }
  return OHAL_SUCCESS;
}

std::vector<std::string> split_options(const char* options) {
  std::vector<std::string> words;
  if (options == nullptr) return words;
  std::string word;
  for (const char* p = options; *p != '\0'; ++p) {
    if (*p == ' ' || *p == '\t' || *p == '\n') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(*p);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace ohal::hip
