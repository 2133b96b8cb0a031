// The plugin as the front-end sees it: dlopen, ohal_backend_entry with a host-services stub,
// init. No AMD GPU exists here, so init must end in "0 devices" (runtime installed) or a failure
// naming libamdhip64.so.5 (runtime missing) — never a crash.
#include <catch2/catch.hpp>

#include "hip_api.h"
#include "plugin_checks.h"

TEST_CASE("the HIP plugin without an AMD GPU", "[hip][plugin]") {
  ohal::test::check_plugin({OHAL_HIP_PLUGIN_PATH, "hip", "HIP 5", "libamdhip64.so.5",
                            "hipGetDeviceCount: hipErrorNoDevice (100)"});
}

TEST_CASE("a missing HIP runtime is reported with the dlerror text", "[hip][plugin]") {
  ohal::test::check_missing_library(ohal::hip::load_hip_api, "libamdhip64_absent.so.5");
}
