// Handles: destroyed, stale, foreign, garbage and wrong-type handles are rejected, never used.
#include <atomic>
#include <thread>
#include <vector>

#include "fixture.hpp"

using namespace ohal_test;
using Catch::Matchers::Contains;

TEST_CASE("handles: a destroyed stream gives INVALID_HANDLE, not a crash") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
  CHECK(ohal_stream_synchronize(stream) == OHAL_ERROR_INVALID_HANDLE);
  CHECK_THAT(last_error(), Contains("ohal_stream_synchronize: stream is not a live stream"));
  CHECK(ohal_stream_destroy(stream) == OHAL_ERROR_INVALID_HANDLE);
  // The slot is reused by a new stream under a new generation: the old handle stays dead.
  ohal_stream_t reused = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &reused) == OHAL_SUCCESS);
  CHECK(reused != stream);
  CHECK(ohal_stream_query(stream) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_stream_query(reused) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(reused) == OHAL_SUCCESS);
}

TEST_CASE("handles: garbage, NULL and wrong-type handles are rejected") {
  ohal_device_t device = cpu_device();
  ohal_event_t event = nullptr;
  REQUIRE(ohal_event_create(device, 0, &event) == OHAL_SUCCESS);
  int local = 0;
  const uintptr_t garbage[] = {1, 0xdeadbeef, reinterpret_cast<uintptr_t>(&local), ~uintptr_t{0},
                               0xA100000000000001ull};
  for (uintptr_t value : garbage) {
    CHECK(ohal_stream_query(reinterpret_cast<ohal_stream_t>(value)) == OHAL_ERROR_INVALID_HANDLE);
    CHECK(ohal_event_query(reinterpret_cast<ohal_event_t>(value)) == OHAL_ERROR_INVALID_HANDLE);
  }
  CHECK(ohal_stream_query(nullptr) == OHAL_ERROR_INVALID_HANDLE);
  CHECK_THAT(last_error(), Contains("stream is NULL"));
  // An event handle is not a stream, and a device handle is not an event.
  CHECK(ohal_stream_query(reinterpret_cast<ohal_stream_t>(event)) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_event_query(reinterpret_cast<ohal_event_t>(device)) == OHAL_ERROR_INVALID_HANDLE);
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  CHECK(ohal_device_get_properties(reinterpret_cast<ohal_device_t>(event), &properties) ==
        OHAL_ERROR_INVALID_HANDLE);
  REQUIRE(ohal_event_destroy(event) == OHAL_SUCCESS);
  CHECK(ohal_event_destroy(event) == OHAL_ERROR_INVALID_HANDLE);
}

TEST_CASE("handles: handles from before a shutdown stay invalid after re-init") {
  ohal_device_t device = cpu_device();
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  REQUIRE(ohal_shutdown() == OHAL_SUCCESS);
  CHECK(ohal_stream_query(stream) == OHAL_ERROR_NOT_INITIALIZED);
  ohal_device_t fresh = cpu_device();
  CHECK(ohal_stream_query(stream) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(fresh != device);
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  CHECK(ohal_device_get_properties(device, &properties) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(ohal_device_get_properties(fresh, &properties) == OHAL_SUCCESS);
}

TEST_CASE("handles: racing destroys of one stream: exactly one wins") {
  ohal_device_t device = cpu_device();
  for (int round = 0; round < 50; ++round) {
    ohal_stream_t stream = nullptr;
    REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
    std::atomic<int> successes{0}, invalid{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        ohal_result_t r = ohal_stream_destroy(stream);
        if (r == OHAL_SUCCESS) ++successes;
        if (r == OHAL_ERROR_INVALID_HANDLE) ++invalid;
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(successes == 1);
    CHECK(invalid == 3);
  }
}

TEST_CASE("handles: queries racing a destroy never crash") {
  ohal_device_t device = cpu_device();
  for (int round = 0; round < 20; ++round) {
    ohal_stream_t stream = nullptr;
    REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0};
    std::thread querier([&] {
      while (!stop) {
        ohal_result_t r = ohal_stream_query(stream);
        if (r != OHAL_SUCCESS && r != OHAL_ERROR_INVALID_HANDLE) ++bad;
      }
    });
    std::this_thread::yield();
    CHECK(ohal_stream_destroy(stream) == OHAL_SUCCESS);
    stop = true;
    querier.join();
    CHECK(bad == 0);
  }
}
