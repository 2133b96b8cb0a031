// Shared helpers for the front-end tests: (re)initialize with a chosen set of plugins.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "openai_hal/ohal.h"

namespace ohal_test {

// Shuts down and initializes again with exactly these plugins, searching the test plugins too.
inline void reinit(const char* backends, const char* visible = "") {
  REQUIRE(ohal_shutdown() == OHAL_SUCCESS);
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = backends;
  desc.backend_path = OHAL_TEST_PLUGIN_DIR;
  desc.visible_devices = visible;
  desc.log_level = OHAL_LOG_LEVEL_OFF;
  REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
}

inline ohal_backend_info_t backend_info(const std::string& name) {
  uint32_t count = 0;
  REQUIRE(ohal_backend_count(&count) == OHAL_SUCCESS);
  for (uint32_t i = 0; i < count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE(ohal_backend_get_info(i, &info) == OHAL_SUCCESS);
    if (name == info.name) return info;
  }
  FAIL("backend " << name << " is not listed");
  return {};
}

// The first cpu_ref device, after reinit("cpu_ref").
inline ohal_device_t cpu_device() {
  reinit("cpu_ref");
  uint32_t count = 0;
  REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
  REQUIRE(count >= 1);
  ohal_device_t device = nullptr;
  REQUIRE(ohal_device_get(0, &device) == OHAL_SUCCESS);
  return device;
}

inline std::string last_error() {
  return ohal_last_error_message();
}

}  // namespace ohal_test
