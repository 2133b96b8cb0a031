// VkResult -> ohal_result_t, the messages that go with them, and the plugin's logging.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "loader.hpp"
#include "openai_hal/backend.h"

namespace ohal::vk {

// The front-end's services, set by ohal_backend_entry.
void set_host(const ohal_host_services_t* host) noexcept;

// "VK_ERROR_OUT_OF_DEVICE_MEMORY"; "VK_RESULT_<code>" for codes the table does not know.
std::string vk_result_name(VkResult result);

// The HAL code for a VkResult (VK_NOT_READY -> OHAL_NOT_READY, VK_SUCCESS -> OHAL_SUCCESS).
ohal_result_t map_vk_result(VkResult result);

// "call: VK_ERROR_DEVICE_LOST (-4)" plus "; detail" when detail is not empty.
std::string format_vk_error(std::string_view call, VkResult result, std::string_view detail = {});

// Attaches message to the thread's error and returns code.
ohal_result_t fail(ohal_result_t code, const std::string& message) noexcept;

template <typename... Args>
ohal_result_t failf(ohal_result_t code, fmt::format_string<Args...> format, Args&&... args) {
  return fail(code, fmt::format(format, std::forward<Args>(args)...));
}

// For a failed native call: maps the result and attaches format_vk_error's message.
ohal_result_t fail_vk(std::string_view call, VkResult result, std::string_view detail = {});

bool log_enabled(ohal_log_level_t level) noexcept;
void log(ohal_log_level_t level, const std::string& message) noexcept;

template <typename... Args>
void logf(ohal_log_level_t level, fmt::format_string<Args...> format, Args&&... args) {
  if (log_enabled(level)) log(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace ohal::vk
