#include "ze_args.h"

namespace ohal::ze {

ohal_result_t plan_kernel_args(const char* kernel_name, uint32_t kernel_arg_count,
                               uint32_t arg_count, const ohal_kernel_arg_t* args,
                               uint32_t shared_bytes, std::vector<ArgBinding>& out,
                               std::string& error) {
  out.clear();
  const bool trailing_local = kernel_arg_count == arg_count + 1;
  if (kernel_arg_count != arg_count && !trailing_local) {
    error = std::string("kernel ") + kernel_name + " takes " + std::to_string(kernel_arg_count) +
            " arguments, the launch passed " + std::to_string(arg_count);
    return OHAL_ERROR_INVALID_KERNEL_ARGS;
  }
  out.reserve(kernel_arg_count);
  for (uint32_t i = 0; i < arg_count; ++i) {
    if (args[i].value == nullptr || args[i].size == 0) {
      error =
          std::string("kernel ") + kernel_name + " argument " + std::to_string(i) + " has no value";
      return OHAL_ERROR_INVALID_KERNEL_ARGS;
    }
    out.push_back({i, args[i].size, args[i].value});
  }
  if (trailing_local) out.push_back({arg_count, shared_bytes > 0 ? shared_bytes : 1u, nullptr});
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
