// The Level Zero plugin through the public API: the front-end finds it, and on a machine without an
// Intel GPU shows it loaded with 0 devices (loader installed, no driver) or failed with the reason.
#include <catch2/catch.hpp>

#include "backend_info_checks.h"

TEST_CASE("ohal_backend_get_info shows the Level Zero plugin and why it has no device",
          "[ze][api]") {
  ohal::test::check_backend_info_without_device("levelzero", "libze_loader.so.1",
                                                "no Level Zero driver: zeInit");
}
