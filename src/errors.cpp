#include "errors.hpp"

namespace ohal {
namespace {

struct ThreadError {
  const char* call = "";
  bool has_message = false;
  std::string message;
};

ThreadError& thread_error() noexcept {
  static thread_local ThreadError error;
  return error;
}

}  // namespace

ApiCall::ApiCall(const char* function) noexcept {
  ThreadError& error = thread_error();
  error.call = function;
  error.has_message = false;
}

const char* current_call() noexcept {
  return thread_error().call;
}

ohal_result_t fail(ohal_result_t result, std::string_view message) noexcept {
  ThreadError& error = thread_error();
  try {
    error.message.assign(error.call);
    error.message.append(": ");
    error.message.append(message);
  } catch (...) {
    error.message.clear();  // out of memory: the result code alone still tells the cause
  }
  error.has_message = true;
  return result;
}

ohal_result_t backend_failed(ohal_result_t result, std::string_view backend_name) noexcept {
  try {
    if (!is_defined_result(result)) {
      // Keep what the backend said, without the call's name that fail() put in front.
      std::string said = has_error_message() ? error_message() : "";
      const std::string prefix = std::string(current_call()) + ": ";
      if (said.compare(0, prefix.size(), prefix) == 0) said.erase(0, prefix.size());
      return failf(OHAL_ERROR_BACKEND, "{} backend returned an undefined result {}{}{}",
                   backend_name, static_cast<int32_t>(result), said.empty() ? "" : ": ", said);
    }
    if (has_error_message()) return result;
    return failf(result, "{} backend returned {}", backend_name, ohal_result_string(result));
  } catch (...) {
    return is_defined_result(result) ? result : OHAL_ERROR_BACKEND;
  }
}

void clear_error_message() noexcept {
  thread_error().has_message = false;
}

bool is_defined_result(ohal_result_t result) noexcept {
  return std::string_view(ohal_result_string(result)) != "OHAL_RESULT_UNKNOWN";
}

bool has_error_message() noexcept {
  return thread_error().has_message;
}

const char* error_message() noexcept {
  const ThreadError& error = thread_error();
  return error.has_message ? error.message.c_str() : "";
}

}  // namespace ohal

extern "C" OHAL_API const char* ohal_last_error_message(void) {
  return ohal::error_message();
}

extern "C" OHAL_API const char* ohal_result_string(ohal_result_t result) {
  switch (result) {
#define OHAL_CASE(name) \
  case name:            \
    return #name;
    OHAL_CASE(OHAL_SUCCESS)
    OHAL_CASE(OHAL_NOT_READY)
    OHAL_CASE(OHAL_ERROR_NULL_POINTER)
    OHAL_CASE(OHAL_ERROR_INVALID_HANDLE)
    OHAL_CASE(OHAL_ERROR_INVALID_VALUE)
    OHAL_CASE(OHAL_ERROR_STRUCT_SIZE)
    OHAL_CASE(OHAL_ERROR_NOT_INITIALIZED)
    OHAL_CASE(OHAL_ERROR_ALREADY_INITIALIZED)
    OHAL_CASE(OHAL_ERROR_DEVICE_MISMATCH)
    OHAL_CASE(OHAL_ERROR_OUT_OF_BOUNDS)
    OHAL_CASE(OHAL_ERROR_INVALID_POINTER)
    OHAL_CASE(OHAL_ERROR_OUT_OF_DEVICE_MEMORY)
    OHAL_CASE(OHAL_ERROR_OUT_OF_HOST_MEMORY)
    OHAL_CASE(OHAL_ERROR_UNSUPPORTED)
    OHAL_CASE(OHAL_ERROR_INVALID_IMAGE)
    OHAL_CASE(OHAL_ERROR_BUILD_FAILED)
    OHAL_CASE(OHAL_ERROR_KERNEL_NOT_FOUND)
    OHAL_CASE(OHAL_ERROR_INVALID_KERNEL_ARGS)
    OHAL_CASE(OHAL_ERROR_INVALID_LAUNCH_CONFIG)
    OHAL_CASE(OHAL_ERROR_LAUNCH_FAILED)
    OHAL_CASE(OHAL_ERROR_DEVICE_LOST)
    OHAL_CASE(OHAL_ERROR_NO_DEVICE)
    OHAL_CASE(OHAL_ERROR_BACKEND)
    OHAL_CASE(OHAL_ERROR_BUSY)
    OHAL_CASE(OHAL_ERROR_TIMEOUT)
#undef OHAL_CASE
    default:
      return "OHAL_RESULT_UNKNOWN";
  }
}
