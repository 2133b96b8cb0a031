// OHAL_LOG logging through fmt, shared with the backends via host services.
#pragma once

#include <atomic>
#include <string_view>

#include <fmt/format.h>

#include "openai_hal/ohal.h"

namespace ohal {

extern std::atomic<int> g_log_level;

// Level named by OHAL_LOG (error|warn|info|debug|off); warn when unset or unknown.
ohal_log_level_t log_level_from_env() noexcept;
void set_log_level(ohal_log_level_t level) noexcept;
ohal_log_level_t log_level() noexcept;

void log_write(ohal_log_level_t level, std::string_view source, std::string_view message) noexcept;

template <typename... Args>
void logf(ohal_log_level_t level, fmt::format_string<Args...> format, Args&&... args) noexcept {
  if (static_cast<int>(level) > g_log_level.load(std::memory_order_relaxed)) return;
  try {
    log_write(level, "ohal", fmt::format(format, std::forward<Args>(args)...));
  } catch (...) {
  }
}

}  // namespace ohal
