// The plugin as the front-end sees it. No Intel GPU (and no Level Zero driver) exists here, so
// init must end in "0 devices" (loader installed, no driver) or a failure naming
// libze_loader.so.1 (loader missing) — never a crash.
#include <catch2/catch.hpp>

#include "plugin_checks.h"
#include "ze_loader.h"

TEST_CASE("the Level Zero plugin without an Intel GPU", "[ze][plugin]") {
  ohal::test::check_plugin({OHAL_LEVELZERO_PLUGIN_PATH, "levelzero", "Level Zero loader",
                            "libze_loader.so.1",
                            "no Level Zero driver: zeInit: ZE_RESULT_ERROR_UNINITIALIZED"});
}

TEST_CASE("a missing Level Zero loader is reported with the dlerror text", "[ze][plugin]") {
  ohal::test::check_missing_library(ohal::ze::load_ze_api, "libze_loader_absent.so.1");
}
