// Argument validation in the front-end: every documented error of the memory, copy, fill,
// stream and event functions that needs no kernel.
#include <cstring>
#include <vector>

#include "fixture.hpp"

using namespace ohal_test;
using Catch::Matchers::Contains;

TEST_CASE("validation: ohal_mem_alloc errors") {
  ohal_device_t device = cpu_device();
  void* ptr = nullptr;
  CHECK(ohal_mem_alloc(device, 64, OHAL_MEM_KIND_DEVICE, 0, nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_mem_alloc(nullptr, 64, OHAL_MEM_KIND_DEVICE, 0, &ptr) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_mem_alloc(device, 0, OHAL_MEM_KIND_DEVICE, 0, &ptr) == OHAL_ERROR_INVALID_VALUE);
  CHECK_THAT(last_error(), Contains("size is 0"));
  CHECK(ohal_mem_alloc(device, 64, static_cast<ohal_mem_kind_t>(7), 0, &ptr) ==
        OHAL_ERROR_INVALID_VALUE);
  CHECK(ohal_mem_alloc(device, 64, OHAL_MEM_KIND_DEVICE, 0x80, &ptr) == OHAL_ERROR_INVALID_VALUE);
  CHECK(ohal_mem_alloc(device, SIZE_MAX, OHAL_MEM_KIND_DEVICE, 0, &ptr) ==
        OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(ptr == nullptr);  // outputs untouched on failure
}

TEST_CASE("validation: allocations are registered, zeroed on request, and freed once") {
  ohal_device_t device = cpu_device();
  for (ohal_mem_kind_t kind : {OHAL_MEM_KIND_DEVICE, OHAL_MEM_KIND_HOST, OHAL_MEM_KIND_SHARED}) {
    void* ptr = nullptr;
    REQUIRE(ohal_mem_alloc(device, 1000, kind, OHAL_MEM_FLAG_ZERO, &ptr) == OHAL_SUCCESS);
    ohal_pointer_attributes_t attributes = OHAL_POINTER_ATTRIBUTES_INIT;
    REQUIRE(ohal_pointer_get_attributes(static_cast<char*>(ptr) + 999, &attributes) ==
            OHAL_SUCCESS);
    CHECK(attributes.is_registered == 1);
    CHECK(attributes.device == device);
    CHECK(attributes.kind == kind);
    CHECK(attributes.base == ptr);
    CHECK(attributes.size == 1000);
    std::vector<unsigned char> host(1000, 0xff);
    REQUIRE(ohal_memcpy(host.data(), ptr, 1000) == OHAL_SUCCESS);
    CHECK(std::all_of(host.begin(), host.end(), [](unsigned char b) { return b == 0; }));
    void* device_ptr = nullptr;
    const ohal_result_t r = ohal_mem_get_device_pointer(static_cast<char*>(ptr) + 8, &device_ptr);
    if (kind == OHAL_MEM_KIND_DEVICE) {
      CHECK(r == OHAL_ERROR_INVALID_POINTER);
    } else {
      CHECK(r == OHAL_SUCCESS);
      CHECK(device_ptr == static_cast<char*>(ptr) + 8);  // cpu_ref: unified addressing
    }
    CHECK(ohal_mem_free(static_cast<char*>(ptr) + 1) == OHAL_ERROR_INVALID_POINTER);
    CHECK_THAT(last_error(), Contains("not its base"));
    REQUIRE(ohal_mem_free(ptr) == OHAL_SUCCESS);
    CHECK(ohal_mem_free(ptr) == OHAL_ERROR_INVALID_POINTER);
  }
  CHECK(ohal_mem_free(nullptr) == OHAL_ERROR_NULL_POINTER);
  int local = 0;
  ohal_pointer_attributes_t attributes = OHAL_POINTER_ATTRIBUTES_INIT;
  REQUIRE(ohal_pointer_get_attributes(&local, &attributes) == OHAL_SUCCESS);
  CHECK(attributes.is_registered == 0);
  CHECK(attributes.device == nullptr);
  CHECK(ohal_pointer_get_attributes(nullptr, &attributes) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_pointer_get_attributes(&local, nullptr) == OHAL_ERROR_NULL_POINTER);
  attributes.struct_size = 3;
  CHECK(ohal_pointer_get_attributes(&local, &attributes) == OHAL_ERROR_STRUCT_SIZE);
  void* device_ptr = nullptr;
  CHECK(ohal_mem_get_device_pointer(&local, &device_ptr) == OHAL_ERROR_INVALID_POINTER);
  CHECK(ohal_mem_get_device_pointer(nullptr, &device_ptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_mem_get_device_pointer(&local, nullptr) == OHAL_ERROR_NULL_POINTER);
  uint64_t free_bytes = 0, total_bytes = 0;
  CHECK(ohal_mem_get_info(device, &free_bytes, &total_bytes) == OHAL_SUCCESS);
  CHECK(total_bytes > 0);
  CHECK(free_bytes <= total_bytes);
  CHECK(ohal_mem_get_info(device, nullptr, &total_bytes) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_mem_get_info(device, &free_bytes, nullptr) == OHAL_ERROR_NULL_POINTER);
}

TEST_CASE("validation: copies past an allocation's end are rejected and change nothing") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  char* buffer = nullptr;
  REQUIRE(ohal_mem_alloc(device, 256, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO,
                         reinterpret_cast<void**>(&buffer)) == OHAL_SUCCESS);
  std::vector<char> source(512, 'x');
  CHECK(ohal_memcpy_async(stream, buffer, source.data(), 257) == OHAL_ERROR_OUT_OF_BOUNDS);
  CHECK_THAT(last_error(), Contains("runs 1 bytes past the end of its 256-byte allocation"));
  CHECK(ohal_memcpy_async(stream, buffer + 200, source.data(), 57) == OHAL_ERROR_OUT_OF_BOUNDS);
  CHECK(ohal_memcpy_async(stream, source.data(), buffer + 1, 256) == OHAL_ERROR_OUT_OF_BOUNDS);
  CHECK(ohal_memset_async(stream, buffer + 4, 1, 4, 64) == OHAL_ERROR_OUT_OF_BOUNDS);
  // A host range that runs into HAL memory is out of bounds too.
  CHECK(ohal_memcpy(buffer - 16, source.data(), 32) == OHAL_ERROR_OUT_OF_BOUNDS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  std::vector<char> check(256, 'y');
  REQUIRE(ohal_memcpy(check.data(), buffer, 256) == OHAL_SUCCESS);
  CHECK(std::all_of(check.begin(), check.end(), [](char c) { return c == 0; }));
  // The exact fit is fine.
  REQUIRE(ohal_memcpy_async(stream, buffer + 200, source.data(), 56) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_free(buffer) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
}

TEST_CASE("validation: copy and fill argument errors") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  char* buffer = nullptr;
  REQUIRE(ohal_mem_alloc(device, 256, OHAL_MEM_KIND_DEVICE, 0, reinterpret_cast<void**>(&buffer)) ==
          OHAL_SUCCESS);
  char host[64] = {};
  CHECK(ohal_memcpy_async(stream, nullptr, host, 4) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_memcpy_async(stream, buffer, nullptr, 4) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_memcpy_async(nullptr, buffer, host, 4) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_memcpy_async(stream, buffer, host, 0) == OHAL_SUCCESS);
  CHECK(ohal_memcpy_async(stream, buffer, buffer + 8, 16) == OHAL_ERROR_INVALID_VALUE);
  CHECK_THAT(last_error(), Contains("overlap"));
  CHECK(ohal_memset_async(stream, buffer, 0, 3, 4) == OHAL_ERROR_INVALID_VALUE);
  CHECK(ohal_memset_async(stream, buffer + 1, 0, 4, 4) == OHAL_ERROR_INVALID_VALUE);
  CHECK_THAT(last_error(), Contains("not aligned"));
  CHECK(ohal_memset_async(stream, nullptr, 0, 4, 4) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_memset_async(nullptr, buffer, 0, 4, 4) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_memset_async(stream, buffer, 0, 4, SIZE_MAX / 2) == OHAL_ERROR_OUT_OF_BOUNDS);
  CHECK(ohal_memset(host, 0, 1, 4) == OHAL_ERROR_INVALID_POINTER);
  CHECK(ohal_memset(nullptr, 0, 1, 4) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_memcpy(nullptr, host, 4) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_memcpy(host, nullptr, 4) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_memcpy(host, host + 2, 8) == OHAL_ERROR_INVALID_VALUE);
  REQUIRE(ohal_mem_free(buffer) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
}

TEST_CASE("validation: fills of every element size land exactly") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  unsigned char* buffer = nullptr;
  REQUIRE(ohal_mem_alloc(device, 64, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO,
                         reinterpret_cast<void**>(&buffer)) == OHAL_SUCCESS);
  REQUIRE(ohal_memset_async(stream, buffer + 1, 0x1ab, 1, 3) == OHAL_SUCCESS);
  REQUIRE(ohal_memset_async(stream, buffer + 8, 0xbeef, 2, 2) == OHAL_SUCCESS);
  REQUIRE(ohal_memset_async(stream, buffer + 16, 0x01020304, 4, 2) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  unsigned char host[64];
  REQUIRE(ohal_memcpy(host, buffer, 64) == OHAL_SUCCESS);
  const unsigned char expected_prefix[] = {0,    0xab, 0xab, 0xab, 0, 0, 0, 0, 0xef,
                                           0xbe, 0xef, 0xbe, 0,    0, 0, 0, 4, 3,
                                           2,    1,    4,    3,    2, 1, 0};
  CHECK(std::memcmp(host, expected_prefix, sizeof(expected_prefix)) == 0);
  REQUIRE(ohal_mem_free(buffer) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
}

TEST_CASE("validation: stream and event argument errors") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  ohal_event_t event = nullptr, other = nullptr;
  CHECK(ohal_stream_create(device, 0, nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_stream_create(nullptr, 0, &stream) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_stream_create(device, 0x10, &stream) == OHAL_ERROR_INVALID_VALUE);
  CHECK(ohal_event_create(device, 0, nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_event_create(nullptr, 0, &event) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_event_create(device, 0x10, &event) == OHAL_ERROR_INVALID_VALUE);
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  REQUIRE(ohal_event_create(device, 0, &event) == OHAL_SUCCESS);
  REQUIRE(ohal_event_create(device, OHAL_EVENT_FLAG_DISABLE_TIMING, &other) == OHAL_SUCCESS);
  float ms = 0;
  CHECK(ohal_event_elapsed_time(event, event, nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_event_elapsed_time(event, event, &ms) == OHAL_ERROR_INVALID_VALUE);  // never recorded
  CHECK(ohal_event_query(event) == OHAL_SUCCESS);  // never recorded: complete
  CHECK(ohal_event_synchronize(event) == OHAL_SUCCESS);
  REQUIRE(ohal_event_record(event, stream) == OHAL_SUCCESS);
  REQUIRE(ohal_event_record(other, stream) == OHAL_SUCCESS);
  CHECK(ohal_event_elapsed_time(event, other, &ms) == OHAL_ERROR_UNSUPPORTED);
  CHECK_THAT(last_error(), Contains("DISABLE_TIMING"));
  CHECK(ohal_event_record(nullptr, stream) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_event_record(event, nullptr) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_stream_wait_event(stream, nullptr) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_stream_wait_event(nullptr, event) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_stream_launch_host_func(stream, nullptr, nullptr) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_stream_launch_host_func(nullptr, nullptr, nullptr) == OHAL_ERROR_INVALID_HANDLE);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  CHECK(ohal_event_elapsed_time(event, event, &ms) == OHAL_SUCCESS);
  CHECK(ms == 0.0f);
  REQUIRE(ohal_event_destroy(event) == OHAL_SUCCESS);
  REQUIRE(ohal_event_destroy(other) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
  CHECK(ohal_device_synchronize(device) == OHAL_SUCCESS);
  CHECK(ohal_device_synchronize(nullptr) == OHAL_ERROR_INVALID_HANDLE);
}
