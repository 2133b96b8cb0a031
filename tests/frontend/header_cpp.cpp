// The public headers compile as C++ (this file is built with the project's -Werror flags).
#include "openai_hal/backend.h"
#include "openai_hal/bundle.h"
#include "openai_hal/ohal.h"

#include <catch2/catch.hpp>

extern "C" int ohal_test_c99_result_name_length(void);

TEST_CASE("headers: C99 translation unit links and calls the API") {
  // "OHAL_ERROR_OUT_OF_BOUNDS" has 24 characters; block[0] defaults to 1.
  CHECK(ohal_test_c99_result_name_length() == 24);
}

TEST_CASE("headers: enums are 32-bit and _INIT macros set struct_size") {
  STATIC_REQUIRE(sizeof(ohal_result_t) == 4);
  STATIC_REQUIRE(sizeof(ohal_mem_kind_t) == 4);
  STATIC_REQUIRE(sizeof(ohal_kernel_format_t) == 4);
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  CHECK(properties.struct_size == sizeof(properties));
  CHECK(config.struct_size == sizeof(config));
  CHECK(config.grid[2] == 1);
  CHECK(config.shared_bytes == 0);
}

TEST_CASE("headers: every result has a name") {
  CHECK(std::string(ohal_result_string(OHAL_SUCCESS)) == "OHAL_SUCCESS");
  CHECK(std::string(ohal_result_string(OHAL_ERROR_TIMEOUT)) == "OHAL_ERROR_TIMEOUT");
  CHECK(std::string(ohal_result_string(static_cast<ohal_result_t>(12345))) ==
        "OHAL_RESULT_UNKNOWN");
}
