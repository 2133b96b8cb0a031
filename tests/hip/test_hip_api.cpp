// The HIP plugin through the public API: the front-end finds it, and on a machine without an AMD
// GPU shows it loaded with 0 devices (runtime installed) or failed with the reason.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstring>

#include "openai_hal/ohal.h"

TEST_CASE("ohal_backend_get_info shows the HIP plugin and why it has no device", "[hip][api]") {
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = "hip";
  desc.log_level = OHAL_LOG_LEVEL_OFF;
  REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
  uint32_t count = 0;
  REQUIRE(ohal_backend_count(&count) == OHAL_SUCCESS);
  REQUIRE(count == 1);
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  REQUIRE(ohal_backend_get_info(0, &info) == OHAL_SUCCESS);
  CHECK(std::string(info.name) == "hip");
  CHECK_THAT(info.path, Catch::EndsWith("libohal_hip.so"));
  const bool runtime = dlopen("libamdhip64.so.5", RTLD_NOW | RTLD_LOCAL) != nullptr;
  if (runtime) {
    CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
    CHECK(info.device_count == 0);
    CHECK_THAT(info.status_reason, Catch::Contains("no HIP device: hipGetDeviceCount"));
  } else {
    CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
    CHECK_THAT(info.status_reason, Catch::Contains("libamdhip64.so.5"));
  }
  uint32_t devices = 99;
  REQUIRE(ohal_device_count(&devices) == OHAL_SUCCESS);
  CHECK(devices == 0);
  CHECK(ohal_shutdown() == OHAL_SUCCESS);
}
