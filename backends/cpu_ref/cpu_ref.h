// cpu_ref: the reference backend. Shared declarations of the plugin's files.
#pragma once

#include <string>

#include "openai_hal/backend.h"

namespace ohal::cpu_ref {

inline constexpr const char* kName = "cpu_ref";
inline constexpr const char* kVersion = "0.1.0 (host CPU, Boost.Context fibers)";

// Limits the device reports and the launch path enforces.
inline constexpr uint32_t kMaxThreadsPerBlock = 1024;
inline constexpr uint32_t kMaxBlockDims[3] = {1024, 1024, 64};
inline constexpr uint32_t kMaxGridDims[3] = {0x7fffffffu, 65535, 65535};
inline constexpr uint32_t kMaxSharedBytes = 64 * 1024;
inline constexpr uint32_t kMaxKernelArgBytes = 4096;
inline constexpr uint32_t kMemoryAlignment = 256;

// The front-end's services, set by ohal_backend_entry.
extern const ohal_host_services_t* g_host;

// Attaches message to the calling thread's error (when a front-end is there) and returns result.
ohal_result_t set_error(ohal_result_t result, const std::string& message);

// "<call>: <name> (<code>)" for a failed libc call, from errno's value.
std::string errno_message(const char* call, int error);

void log(ohal_log_level_t level, const std::string& message);

// Backend handles are pointers to the plugin's objects, cast.
template <class To, class From>
To* from_handle(From* handle) {
  return reinterpret_cast<To*>(handle);
}
template <class To, class From>
To to_handle(From* object) {
  return reinterpret_cast<To>(object);
}

}  // namespace ohal::cpu_ref
