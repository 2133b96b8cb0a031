// Launch arguments for Level Zero: one zeKernelSetArgumentValue per argument, plus the launch's
// dynamic shared memory as a trailing OpenCL C `__local` pointer parameter (the convention for
// SPIRV_OPENCL kernels; docs/BACKENDS.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal::ze {

struct ArgBinding {
  uint32_t index;
  size_t size;
  const void* value;  // nullptr for the __local parameter: the driver allocates `size` bytes
};

// Plans the zeKernelSetArgumentValue calls for a kernel with `kernel_arg_count` parameters
// (zeKernelGetProperties' numKernelArgs) launched with `arg_count` values:
// - equal counts: one binding per value; shared_bytes > 0 is allowed and ignored, as in CUDA
//   for a kernel that declares no dynamic shared memory;
// - one more parameter than values: the last is the __local buffer of shared_bytes (at least 1
//   byte; drivers reject an empty local argument);
// - anything else: OHAL_ERROR_INVALID_KERNEL_ARGS with the reason in `error`.
ohal_result_t plan_kernel_args(const char* kernel_name, uint32_t kernel_arg_count,
                               uint32_t arg_count, const ohal_kernel_arg_t* args,
                               uint32_t shared_bytes, std::vector<ArgBinding>& out,
                               std::string& error);

}  // namespace ohal::ze
