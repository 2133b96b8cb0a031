// Thread-local error state and the helpers every API entry uses to report failures.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "openai_hal/ohal.h"

namespace ohal {

// Marks the start of an API call: clears the thread's message and names the call, so that
// failures (the front-end's and the backend's) are reported as "ohal_launch: ...".
class ApiCall {
 public:
  explicit ApiCall(const char* function) noexcept;
  ApiCall(const ApiCall&) = delete;
  ApiCall& operator=(const ApiCall&) = delete;
};

// The name of the API call in progress on this thread ("" outside a call).
const char* current_call() noexcept;

// Records message for the current call and returns result.
ohal_result_t fail(ohal_result_t result, std::string_view message) noexcept;

template <typename... Args>
ohal_result_t failf(ohal_result_t result, fmt::format_string<Args...> format, Args&&... args) {
  return fail(result, fmt::format(format, std::forward<Args>(args)...));
}

// A backend failure: keeps the backend's message when it set one, else names the result. A
// result ohal.h does not define becomes OHAL_ERROR_BACKEND, so callers only ever see defined codes.
ohal_result_t backend_failed(ohal_result_t result, std::string_view backend_name) noexcept;

// Whether a message was recorded since the current call began.
bool has_error_message() noexcept;
const char* error_message() noexcept;
// Drops the current call's message (after a backend failure the call deliberately ignores).
void clear_error_message() noexcept;

// Whether ohal.h defines `result`.
bool is_defined_result(ohal_result_t result) noexcept;

}  // namespace ohal
