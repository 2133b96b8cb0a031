// ohal_init / ohal_shutdown, lazy initialization and struct_size checks.
#include <cstdlib>

#include "fixture.hpp"

using namespace ohal_test;
using Catch::Matchers::Contains;

TEST_CASE("lifecycle: lazy init, explicit init twice, shutdown and init again") {
  REQUIRE(ohal_shutdown() == OHAL_SUCCESS);
  uint32_t count = 0;
  CHECK(ohal_device_count(&count) == OHAL_ERROR_NOT_INITIALIZED);
  CHECK_THAT(last_error(), Contains("ohal_device_count"));
  CHECK(ohal_shutdown() == OHAL_SUCCESS);  // twice is fine

  reinit("cpu_ref");
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  CHECK(ohal_init(&desc) == OHAL_ERROR_ALREADY_INITIALIZED);
  CHECK(ohal_init(nullptr) == OHAL_SUCCESS);  // no descriptor: nothing to apply
  CHECK(ohal_device_count(&count) == OHAL_SUCCESS);
  CHECK(count == 1);
  CHECK(ohal_device_count(nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_backend_count(nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_device_get(0, nullptr) == OHAL_ERROR_NULL_POINTER);
}

TEST_CASE("lifecycle: a successful call clears the last error message") {
  reinit("cpu_ref");
  uint32_t count = 0;
  CHECK(ohal_device_count(nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK_THAT(last_error(), Contains("ohal_device_count: count is NULL"));
  CHECK(ohal_device_count(&count) == OHAL_SUCCESS);
  CHECK(last_error().empty());
}

TEST_CASE("lifecycle: struct_size and enum checks on init") {
  REQUIRE(ohal_shutdown() == OHAL_SUCCESS);
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.struct_size = 8;
  CHECK(ohal_init(&desc) == OHAL_ERROR_STRUCT_SIZE);
  desc = OHAL_INIT_DESC_INIT;
  desc.log_level = static_cast<ohal_log_level_t>(99);
  CHECK(ohal_init(&desc) == OHAL_ERROR_INVALID_VALUE);
  reinit("cpu_ref");
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  info.struct_size = 4;
  CHECK(ohal_backend_get_info(0, &info) == OHAL_ERROR_STRUCT_SIZE);
  CHECK(ohal_backend_get_info(0, nullptr) == OHAL_ERROR_NULL_POINTER);
  ohal_device_t device = nullptr;
  REQUIRE(ohal_device_get(0, &device) == OHAL_SUCCESS);
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  properties.struct_size = 16;
  CHECK(ohal_device_get_properties(device, &properties) == OHAL_ERROR_STRUCT_SIZE);
  CHECK(ohal_device_get_properties(device, nullptr) == OHAL_ERROR_NULL_POINTER);
}

TEST_CASE("lifecycle: shutdown releases objects the application left alive") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  ohal_event_t event = nullptr;
  void* buffer = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  REQUIRE(ohal_event_create(device, 0, &event) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_alloc(device, 1 << 20, OHAL_MEM_KIND_DEVICE, 0, &buffer) == OHAL_SUCCESS);
  REQUIRE(ohal_memset_async(stream, buffer, 7, 1, 1 << 20) == OHAL_SUCCESS);
  REQUIRE(ohal_event_record(event, stream) == OHAL_SUCCESS);
  REQUIRE(ohal_shutdown() == OHAL_SUCCESS);
  CHECK(ohal_mem_free(buffer) == OHAL_ERROR_NOT_INITIALIZED);
  reinit("cpu_ref");
  // The allocation went with the shutdown: its address is no longer HAL memory.
  ohal_pointer_attributes_t attributes = OHAL_POINTER_ATTRIBUTES_INIT;
  REQUIRE(ohal_pointer_get_attributes(buffer, &attributes) == OHAL_SUCCESS);
  CHECK(attributes.is_registered == 0);
  CHECK(ohal_mem_free(buffer) == OHAL_ERROR_INVALID_POINTER);
}
