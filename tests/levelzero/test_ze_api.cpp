// The Level Zero plugin through the public API: the front-end finds it, and on a machine without an
// AMD GPU shows it loaded with 0 devices (loader installed, no driver) or failed with the reason.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstring>

#include "openai_hal/ohal.h"

TEST_CASE("ohal_backend_get_info shows the Level Zero plugin and why it has no device",
          "[ze][api]") {
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = "levelzero";
  desc.log_level = OHAL_LOG_LEVEL_OFF;
  REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
  uint32_t count = 0;
  REQUIRE(ohal_backend_count(&count) == OHAL_SUCCESS);
  REQUIRE(count == 1);
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  REQUIRE(ohal_backend_get_info(0, &info) == OHAL_SUCCESS);
  CHECK(std::string(info.name) == "levelzero");
  CHECK_THAT(info.path, Catch::EndsWith("libohal_levelzero.so"));
  const bool runtime = dlopen("libze_loader.so.1", RTLD_NOW | RTLD_LOCAL) != nullptr;
  if (runtime) {
    CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
    CHECK(info.device_count == 0);
    CHECK_THAT(info.status_reason, Catch::Contains("no Level Zero driver: zeInit"));
  } else {
    CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
    CHECK_THAT(info.status_reason, Catch::Contains("libze_loader.so.1"));
  }
  uint32_t devices = 99;
  REQUIRE(ohal_device_count(&devices) == OHAL_SUCCESS);
  CHECK(devices == 0);
  CHECK(ohal_shutdown() == OHAL_SUCCESS);
}
