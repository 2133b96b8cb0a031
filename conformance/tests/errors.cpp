// Result strings, error messages, and sticky asynchronous failures.
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cts.hpp"

TEST_CASE("errors: result_string names every result", "[errors]") {
  const std::vector<std::pair<ohal_result_t, const char*>> names = {
#define CTS_NAME(x) {x, #x}
      CTS_NAME(OHAL_SUCCESS),
      CTS_NAME(OHAL_NOT_READY),
      CTS_NAME(OHAL_ERROR_NULL_POINTER),
      CTS_NAME(OHAL_ERROR_INVALID_HANDLE),
      CTS_NAME(OHAL_ERROR_INVALID_VALUE),
      CTS_NAME(OHAL_ERROR_STRUCT_SIZE),
      CTS_NAME(OHAL_ERROR_NOT_INITIALIZED),
      CTS_NAME(OHAL_ERROR_ALREADY_INITIALIZED),
      CTS_NAME(OHAL_ERROR_DEVICE_MISMATCH),
      CTS_NAME(OHAL_ERROR_OUT_OF_BOUNDS),
      CTS_NAME(OHAL_ERROR_INVALID_POINTER),
      CTS_NAME(OHAL_ERROR_OUT_OF_DEVICE_MEMORY),
      CTS_NAME(OHAL_ERROR_OUT_OF_HOST_MEMORY),
      CTS_NAME(OHAL_ERROR_UNSUPPORTED),
      CTS_NAME(OHAL_ERROR_INVALID_IMAGE),
      CTS_NAME(OHAL_ERROR_BUILD_FAILED),
      CTS_NAME(OHAL_ERROR_KERNEL_NOT_FOUND),
      CTS_NAME(OHAL_ERROR_INVALID_KERNEL_ARGS),
      CTS_NAME(OHAL_ERROR_INVALID_LAUNCH_CONFIG),
      CTS_NAME(OHAL_ERROR_LAUNCH_FAILED),
      CTS_NAME(OHAL_ERROR_DEVICE_LOST),
      CTS_NAME(OHAL_ERROR_NO_DEVICE),
      CTS_NAME(OHAL_ERROR_BACKEND),
      CTS_NAME(OHAL_ERROR_BUSY),
      CTS_NAME(OHAL_ERROR_TIMEOUT),
#undef CTS_NAME
  };
  for (const auto& [result, name] : names) {
    CHECK(std::string(ohal_result_string(result)) == name);
  }
  for (int unknown : {2, 99, 123, 1000, -1, 0x7fffffff}) {
    const char* s = ohal_result_string(static_cast<ohal_result_t>(unknown));
    REQUIRE(s != nullptr);
    CHECK(std::string(s) == "OHAL_RESULT_UNKNOWN");
  }
}

TEST_CASE("errors: last_error_message names the failed call and clears on success", "[errors]") {
  void* ptr = nullptr;
  REQUIRE_RESULT(ohal_mem_alloc(cts::device(), 0, OHAL_MEM_KIND_DEVICE, 0, &ptr),
                 OHAL_ERROR_INVALID_VALUE);
  const std::string message = ohal_last_error_message();
  CHECK(message.find("ohal_mem_alloc") != std::string::npos);
  uint32_t count = 0;
  REQUIRE_OK(ohal_device_count(&count));
  CHECK(std::string(ohal_last_error_message()).empty());
  CHECK_RESULT(ohal_stream_synchronize(nullptr), OHAL_ERROR_INVALID_HANDLE);
  CHECK(std::string(ohal_last_error_message()).find("ohal_stream_synchronize") !=
        std::string::npos);
}

TEST_CASE("errors: last_error_message is per thread", "[errors]") {
  cts::ensure_initialized();
  ohal_device_t dev = cts::device();
  std::string other_message = "unset";
  void* ptr = nullptr;
  REQUIRE_RESULT(ohal_mem_alloc(dev, 0, OHAL_MEM_KIND_DEVICE, 0, &ptr), OHAL_ERROR_INVALID_VALUE);
  std::thread worker([&] {
    uint32_t count = 0;
    (void)ohal_device_count(&count);
    other_message = ohal_last_error_message();
    (void)ohal_stream_query(nullptr);  // fails on the worker thread only
  });
  worker.join();
  CHECK(other_message.empty());
  CHECK(std::string(ohal_last_error_message()).find("ohal_mem_alloc") != std::string::npos);
}

TEST_CASE("errors: a trapped kernel makes its stream sticky and spares the others",
          "[errors][launch]") {
  CTS_KERNEL(trap, "cts_trap");
  CTS_KERNEL(fill, "cts_fill_u32");
  ohal_stream_t bad = nullptr;
  REQUIRE_OK(ohal_stream_create(cts::device(), 0, &bad));
  cts::Stream good;
  cts::Buffer flags(64 * 4), out(256 * 4);
  REQUIRE_OK(ohal_memset_async(good, flags.get(), 0u, 4, 64));
  REQUIRE_OK(ohal_stream_synchronize(good));
  cts::Event before;
  REQUIRE_OK(ohal_event_record(before, bad));
  const uint32_t trap_block = 3;
  const ohal_result_t launched = cts::launch(bad, trap, {8}, {32}, 0, flags.get(), trap_block);
  CHECK((launched == OHAL_SUCCESS || launched == OHAL_ERROR_LAUNCH_FAILED));
  cts::Event after;
  const ohal_result_t recorded = ohal_event_record(after, bad);
  CHECK((recorded == OHAL_SUCCESS || recorded == OHAL_ERROR_LAUNCH_FAILED));

  REQUIRE_RESULT(ohal_stream_synchronize(bad), OHAL_ERROR_LAUNCH_FAILED);
  CHECK(std::string(ohal_last_error_message()).find("cts_trap") != std::string::npos);
  // Sticky: every later call on the stream reports it.
  CHECK_RESULT(ohal_stream_synchronize(bad), OHAL_ERROR_LAUNCH_FAILED);
  CHECK_RESULT(ohal_stream_query(bad), OHAL_ERROR_LAUNCH_FAILED);
  CHECK_RESULT(ohal_memset_async(bad, out.get(), 1u, 4, 16), OHAL_ERROR_LAUNCH_FAILED);
  std::vector<uint32_t> host(16, 0);
  CHECK_RESULT(ohal_memcpy_async(bad, host.data(), out.get(), 64), OHAL_ERROR_LAUNCH_FAILED);
  CHECK_RESULT(cts::launch(bad, fill, {1}, {1}, 0, out.get(), 1u, 1u), OHAL_ERROR_LAUNCH_FAILED);
  cts::Event later;
  CHECK_RESULT(ohal_event_record(later, bad), OHAL_ERROR_LAUNCH_FAILED);
  CHECK_RESULT(ohal_stream_wait_event(bad, later), OHAL_ERROR_LAUNCH_FAILED);
  if (cts::has_cap(OHAL_CAP_HOST_FUNC)) {
    CHECK_RESULT(ohal_stream_launch_host_func(
                     bad, [](void*) {}, nullptr),
                 OHAL_ERROR_LAUNCH_FAILED);
  }
  if (recorded == OHAL_SUCCESS) {
    CHECK_RESULT(ohal_event_synchronize(after), OHAL_ERROR_LAUNCH_FAILED);
    CHECK_RESULT(ohal_event_query(after), OHAL_ERROR_LAUNCH_FAILED);
    if (cts::has_cap(OHAL_CAP_EVENT_TIMING)) {
      float ms = 0;
      CHECK_RESULT(ohal_event_elapsed_time(before, after, &ms), OHAL_ERROR_LAUNCH_FAILED);
    }
  }
  CHECK_RESULT(ohal_device_synchronize(cts::device()), OHAL_ERROR_LAUNCH_FAILED);

  // Other streams keep working, and the blocks before the trap were not corrupted.
  const uint32_t n = 256;
  REQUIRE_OK(cts::launch(good, fill, {4}, {64}, 0, out.get(), n, 42u));
  CHECK_SAME(cts::download<uint32_t>(good, out.get(), n), std::vector<uint32_t>(n, 42u));
  const std::vector<uint32_t> f = cts::download<uint32_t>(good, flags.get(), 8);
  CHECK(f[trap_block] == 0u);

  // Destroy reports the error once more, then the device is healthy again.
  CHECK_RESULT(ohal_stream_destroy(bad), OHAL_ERROR_LAUNCH_FAILED);
  CHECK_RESULT(ohal_stream_query(bad), OHAL_ERROR_INVALID_HANDLE);
  CHECK_OK(ohal_device_synchronize(cts::device()));
}

TEST_CASE("errors: destroyed handles of every type are rejected", "[errors]") {
  std::string why;
  ohal_module_t probe = cts::module(&why);
  ohal_device_t dev = cts::device();
  ohal_stream_t s = nullptr;
  ohal_event_t e = nullptr;
  REQUIRE_OK(ohal_stream_create(dev, 0, &s));
  REQUIRE_OK(ohal_event_create(dev, 0, &e));
  REQUIRE_OK(ohal_stream_destroy(s));
  REQUIRE_OK(ohal_event_destroy(e));
  cts::Stream live_stream;
  cts::Event live_event;
  const auto want = OHAL_ERROR_INVALID_HANDLE;
  CHECK_RESULT(ohal_stream_wait_event(s, live_event), want);
  CHECK_RESULT(ohal_stream_wait_event(live_stream, e), want);
  CHECK_RESULT(ohal_event_record(live_event, s), want);
  CHECK_RESULT(ohal_event_record(e, live_stream), want);
  float ms = 0;
  CHECK_RESULT(ohal_event_elapsed_time(e, live_event, &ms), want);
  CHECK_RESULT(ohal_stream_launch_host_func(
                   s, [](void*) {}, nullptr),
               want);
  // Garbage that looks like nothing the library handed out.
  const auto garbage = reinterpret_cast<ohal_stream_t>(uintptr_t{0xA2000001FFFFFFF0ull});
  CHECK_RESULT(ohal_stream_query(garbage), want);
  CHECK_RESULT(ohal_event_query(reinterpret_cast<ohal_event_t>(uintptr_t{0x1234})), want);
  if (probe == nullptr) return;
  // A module unloaded, then its kernel and the module used again.
  const std::vector<uint8_t>& bundle = cts::bundle_bytes();
  ohal_module_t m = nullptr;
  REQUIRE_OK(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &m));
  ohal_kernel_t k = nullptr;
  REQUIRE_OK(ohal_module_get_kernel(m, "cts_noop", &k));
  REQUIRE_OK(ohal_module_unload(m));
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  CHECK_RESULT(ohal_kernel_get_properties(k, &kp), want);
  CHECK_RESULT(cts::launch(live_stream, k, {1}, {1}, 0), want);
  CHECK_RESULT(ohal_module_get_kernel(m, "cts_noop", &k), want);
  CHECK_RESULT(ohal_module_unload(m), want);
}
