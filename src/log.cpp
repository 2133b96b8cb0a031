#include "log.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace ohal {

std::atomic<int> g_log_level{OHAL_LOG_LEVEL_WARN};

ohal_log_level_t log_level_from_env() noexcept {
  const char* value = std::getenv("OHAL_LOG");
  if (value == nullptr) return OHAL_LOG_LEVEL_WARN;
  const std::string_view name(value);
  if (name == "off") return OHAL_LOG_LEVEL_OFF;
  if (name == "error") return OHAL_LOG_LEVEL_ERROR;
  if (name == "info") return OHAL_LOG_LEVEL_INFO;
  if (name == "debug") return OHAL_LOG_LEVEL_DEBUG;
  return OHAL_LOG_LEVEL_WARN;
}

void set_log_level(ohal_log_level_t level) noexcept {
  g_log_level.store(static_cast<int>(level), std::memory_order_relaxed);
}

ohal_log_level_t log_level() noexcept {
  return static_cast<ohal_log_level_t>(g_log_level.load(std::memory_order_relaxed));
}

void log_write(ohal_log_level_t level, std::string_view source, std::string_view message) noexcept {
  if (static_cast<int>(level) > g_log_level.load(std::memory_order_relaxed)) return;
  static const char* const kNames[] = {"off", "error", "warn", "info", "debug"};
  const int index = static_cast<int>(level);
  const char* name = (index >= 0 && index <= 4) ? kNames[index] : "log";
  // One fprintf per line keeps lines from different threads whole.
  std::fprintf(stderr, "[ohal:%s] %.*s: %.*s\n", name, static_cast<int>(source.size()),
               source.data(), static_cast<int>(message.size()), message.data());
}

}  // namespace ohal
