// HIP_SOURCE modules: hiprtc compiles the caller's source for the device's target ID.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hip_api.h"
#include "openai_hal/ohal.h"

namespace ohal::hip {

// A header hiprtc resolves for #include without a file system ("openai_hal/kernel.h").
struct RtcHeader {
  const char* include_name;
  const char* text;
};

struct RtcResult {
  ohal_result_t result = OHAL_SUCCESS;
  std::string message;     // on failure: the hiprtc call, its error name and code, then the log
  std::vector<char> code;  // on success: the code object
};

// The headers built into the plugin (kernel.h when the build found it).
const std::vector<RtcHeader>& builtin_rtc_headers();

// Compiles `source` with the space-separated `options`, adding --gpu-architecture=<target>
// unless the options choose one. A compile error gives OHAL_ERROR_BUILD_FAILED with the log.
RtcResult compile_hip_source(const HipApi& api, std::string_view source, const char* options,
                             std::string_view target, const std::vector<RtcHeader>& headers);

}  // namespace ohal::hip
