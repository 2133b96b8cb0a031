// CUresult / nvrtcResult -> ohal_result_t, and the messages that go with them.
//
// Pure functions on integer codes, so they work (and are unit-tested) without a driver, and
// compile against any CUDA 12.x/13.x header: the tables use numeric codes, not enumerators
// that older headers lack.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "openai_hal/ohal.h"

namespace ohal::cuda {

struct Driver;

// The HAL code for a driver result. CUDA_ERROR_NOT_READY maps to OHAL_NOT_READY.
ohal_result_t map_cu_result(int cu_result);

// The HAL code for an NVRTC result (compile errors are OHAL_ERROR_BUILD_FAILED).
ohal_result_t map_nvrtc_result(int nvrtc_result);

// True for faults that poison the whole CUDA context (every later call in it fails).
bool is_context_fatal(int cu_result);

// "CUDA_ERROR_OUT_OF_MEMORY" from a built-in table (no driver needed); for codes newer than the
// table, the driver's cuGetErrorName when a driver is given, else "CUDA_ERROR_<code>".
std::string cu_error_name(int cu_result, const Driver* driver);

// "call: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory" - the description comes from the driver's
// cuGetErrorString when a driver is given. `detail`, when not empty, is appended after "; ".
std::string format_cu_error(std::string_view call, int cu_result, const Driver* driver,
                            std::string_view detail = {});

}  // namespace ohal::cuda
