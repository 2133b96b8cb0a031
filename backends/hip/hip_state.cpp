#include "hip_state.h"

#include "hip_errors.h"

namespace ohal::hip {
State& state() {
  static State instance;
  return instance;
}

ohal_result_t fail(ohal_result_t result, const std::string& message) {
  const ohal_host_services_t* host = state().host;
  if (host == nullptr || host->set_error == nullptr) return result;
  return host->set_error(result, message.c_str());
}

ohal_result_t check(hipError_t error, const char* call) {
  if (error == hipSuccess) return OHAL_SUCCESS;
  if (error == hipErrorNotReady) return OHAL_NOT_READY;
  const HipApi& api = state().api;
  const char* name = api.hipGetErrorName != nullptr ? api.hipGetErrorName(error) : nullptr;
  return fail(map_hip_error(error), format_hip_error(call, error, name));
}

void log(ohal_log_level_t level, const std::string& message) {
  const ohal_host_services_t* host = state().host;
  if (host == nullptr || host->log == nullptr) return;
  if (host->log_level != nullptr && host->log_level() < level) return;
  host->log(level, "hip", message.c_str());
}

ohal_result_t bind(const Device& device) {
  // Not cached: hipSetDevice only sets a thread-local in the runtime, and the application may
  // change the current device behind our back. Only allocation, module and device-wide calls
  // need it; stream work carries its device.
  return check(state().api.hipSetDevice(device.ordinal), "hipSetDevice");
}

ohal_result_t stream_sticky(Stream& stream) {
  std::lock_guard lock(stream.mutex);
  if (stream.sticky == OHAL_SUCCESS) return OHAL_SUCCESS;
  return fail(stream.sticky, stream.sticky_message);
}

ohal_result_t stream_check(Stream& stream, hipError_t error, const char* call) {
  const ohal_result_t result = check(error, call);
  if (result == OHAL_SUCCESS || result == OHAL_NOT_READY || !is_sticky_hip_error(error)) {
    return result;
  }
  const HipApi& api = state().api;
  const std::string message =
      "stream failed: " + format_hip_error(call, error, api.hipGetErrorName(error));
  std::lock_guard lock(stream.mutex);
  if (stream.sticky == OHAL_SUCCESS) {
    stream.sticky = result;
    stream.sticky_message = message;
  }
  return fail(stream.sticky, stream.sticky_message);
}

}  // namespace ohal::hip
