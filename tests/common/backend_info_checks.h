// A GPU plugin through the public API on a machine without that GPU: the front-end finds it and
// shows it loaded with 0 devices (runtime installed) or failed with the reason.
#pragma once

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <string>

#include "openai_hal/ohal.h"

namespace ohal::test {

// backend: the plugin's name; runtime: the vendor library it opens; no_device_reason: text of
// the status reason when the runtime is there but finds no device.
inline void check_backend_info_without_device(const char* backend, const char* runtime,
                                              const char* no_device_reason) {
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = backend;
  desc.log_level = OHAL_LOG_LEVEL_OFF;
  REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
  uint32_t count = 0;
  REQUIRE(ohal_backend_count(&count) == OHAL_SUCCESS);
  REQUIRE(count == 1);
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  REQUIRE(ohal_backend_get_info(0, &info) == OHAL_SUCCESS);
  CHECK(std::string(info.name) == backend);
  CHECK_THAT(info.path, Catch::EndsWith("libohal_" + std::string(backend) + ".so"));
  if (dlopen(runtime, RTLD_NOW | RTLD_LOCAL) != nullptr) {
    CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
    CHECK(info.device_count == 0);
    CHECK_THAT(info.status_reason, Catch::Contains(no_device_reason));
  } else {
    CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
    CHECK_THAT(info.status_reason, Catch::Contains(runtime));
  }
  uint32_t devices = 99;
  REQUIRE(ohal_device_count(&devices) == OHAL_SUCCESS);
  CHECK(devices == 0);
  CHECK(ohal_shutdown() == OHAL_SUCCESS);
}

}  // namespace ohal::test
