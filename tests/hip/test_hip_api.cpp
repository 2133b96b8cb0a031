// The HIP plugin through the public API: the front-end finds it, and on a machine without an AMD
// GPU shows it loaded with 0 devices (runtime installed) or failed with the reason.
#include <catch2/catch.hpp>

#include "backend_info_checks.h"

TEST_CASE("ohal_backend_get_info shows the HIP plugin and why it has no device", "[hip][api]") {
  ohal::test::check_backend_info_without_device("hip", "libamdhip64.so.5",
                                                "no HIP device: hipGetDeviceCount");
}
