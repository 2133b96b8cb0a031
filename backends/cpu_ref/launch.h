// Kernel launches: the blocks of a grid spread over the worker pool.
#pragma once

#include "cpu_ref.h"

namespace ohal::cpu_ref {

class Stream;
struct Kernel;

ohal_result_t launch(Stream& stream, Kernel& kernel, const ohal_launch_config_t* config,
                     uint32_t arg_count, const ohal_kernel_arg_t* args);

}  // namespace ohal::cpu_ref
