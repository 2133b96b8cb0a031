// hipError_t -> ohal_result_t mapping and the message format every HIP failure uses.
#pragma once

#include <string>

#include "openai_hal/ohal.h"

namespace ohal::hip {

// The HAL result for a HIP error code (hipSuccess -> OHAL_SUCCESS, hipErrorNotReady ->
// OHAL_NOT_READY, unknown codes -> OHAL_ERROR_BACKEND).
ohal_result_t map_hip_error(int code) noexcept;

// The enumerator name of a HIP error code ("hipErrorOutOfMemory"), or nullptr when unknown.
// Used when the runtime's hipGetErrorName is not available.
const char* hip_error_name(int code) noexcept;

// Whether the error leaves the stream unusable (sticky): faults inside kernels, lost devices.
bool is_sticky_hip_error(int code) noexcept;

// "hipMalloc: hipErrorOutOfMemory (2)"; runtime_name, when not NULL, wins over the table.
std::string format_hip_error(const char* call, int code, const char* runtime_name);

}  // namespace ohal::hip
