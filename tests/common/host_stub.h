// A minimal ohal_host_services_t for calling a plugin without the front-end: it records the last
// error and every log line so tests can assert on them.
#pragma once

#include <string>
#include <vector>

#include "openai_hal/backend.h"

namespace ohal::test {

struct HostStub {
  static inline ohal_result_t last_result = OHAL_SUCCESS;
  static inline std::string last_message;
  static inline std::vector<std::string> logs;

  static void log(ohal_log_level_t, const char* backend, const char* message) {
    logs.push_back(std::string(backend) + ": " + message);
  }
  static ohal_log_level_t level() { return OHAL_LOG_LEVEL_DEBUG; }
  static ohal_result_t set_error(ohal_result_t result, const char* message) {
    last_result = result;
    last_message = message != nullptr ? message : "";
    return result;
  }
  // Whether a log line contains text.
  static bool logged(const std::string& text) {
    for (const std::string& line : logs) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }
  static void reset() {
    last_result = OHAL_SUCCESS;
    last_message.clear();
    logs.clear();
  }
  static const ohal_host_services_t* services() {
    static const ohal_host_services_t host = {sizeof(ohal_host_services_t),
                                              OHAL_BACKEND_ABI_VERSION, log, level, set_error};
    return &host;
  }
};

}  // namespace ohal::test
