// Through the public API: with OHAL_BACKENDS=cuda,cpu_ref on a machine without the NVIDIA driver,
// the cuda plugin shows as FAILED with the loader's reason and the front-end keeps working.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstdlib>
#include <string>

#include "openai_hal/ohal.h"

TEST_CASE("backend info shows cuda FAILED with the reason", "[cuda][api]") {
  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (driver != nullptr) {
    dlclose(driver);
    WARN("libcuda.so.1 is installed here; this test is for driverless machines");
    return;
  }
  setenv("OHAL_BACKENDS", "cuda,cpu_ref", 1);
  REQUIRE(ohal_init(nullptr) == OHAL_SUCCESS);
  uint32_t count = 0;
  REQUIRE(ohal_backend_count(&count) == OHAL_SUCCESS);
  bool found = false;
  for (uint32_t i = 0; i < count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE(ohal_backend_get_info(i, &info) == OHAL_SUCCESS);
    if (std::string(info.name) != "cuda") continue;
    found = true;
    INFO("status_reason: " << info.status_reason);
    CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
    CHECK(std::string(info.status_reason).find("libcuda.so.1") != std::string::npos);
    CHECK(std::string(info.status_reason).find("cannot open shared object file") !=
          std::string::npos);
    CHECK(info.device_count == 0);
  }
  CHECK(found);
  // No cuda device shows up; whatever cpu_ref offers still does.
  uint32_t devices = 0;
  CHECK(ohal_device_count(&devices) == OHAL_SUCCESS);
  for (uint32_t i = 0; i < devices; ++i) {
    ohal_device_t device = nullptr;
    REQUIRE(ohal_device_get(i, &device) == OHAL_SUCCESS);
    ohal_device_properties_t props = OHAL_DEVICE_PROPERTIES_INIT;
    REQUIRE(ohal_device_get_properties(device, &props) == OHAL_SUCCESS);
    CHECK(std::string(props.backend) != "cuda");
  }
  CHECK(ohal_shutdown() == OHAL_SUCCESS);
  unsetenv("OHAL_BACKENDS");
}
