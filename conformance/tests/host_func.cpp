// ohal_stream_launch_host_func: ordering with device work, threads, errors.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "cts.hpp"

namespace {

struct Recorder {
  std::mutex mutex;
  std::vector<int> order;
  std::vector<std::thread::id> threads;
};

struct Call {
  Recorder* recorder;
  int id;
};

void record_call(void* user) {
  auto* call = static_cast<Call*>(user);
  std::lock_guard<std::mutex> lock(call->recorder->mutex);
  call->recorder->order.push_back(call->id);
  call->recorder->threads.push_back(std::this_thread::get_id());
}

}  // namespace

TEST_CASE("host func: runs once each in stream order on a runtime thread", "[hostfunc]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  cts::Stream stream;
  cts::Buffer a(4096);
  Recorder recorder;
  std::vector<Call> calls;
  calls.reserve(1000);
  for (int i = 0; i < 1000; ++i) calls.push_back({&recorder, i});
  for (int i = 0; i < 1000; ++i) {
    REQUIRE_OK(ohal_stream_launch_host_func(stream, record_call, &calls[i]));
    if (i % 100 == 0)
      REQUIRE_OK(ohal_memset_async(stream, a.get(), static_cast<uint32_t>(i), 4, 1024));
  }
  REQUIRE_OK(ohal_stream_synchronize(stream));
  std::vector<int> expected(1000);
  for (int i = 0; i < 1000; ++i) expected[i] = i;
  CHECK_SAME(recorder.order, expected);
  for (const auto& id : recorder.threads) CHECK(id != std::this_thread::get_id());
}

TEST_CASE("host func: later device work waits for the function to return", "[hostfunc]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  if (!cts::has_cap(OHAL_CAP_MEM_HOST)) CTS_SKIP("no OHAL_CAP_MEM_HOST");
  CTS_KERNEL(copy, "cts_copy_u32");
  cts::Stream stream;
  const uint32_t n = 4096;
  cts::Buffer host(n * 4, OHAL_MEM_KIND_HOST), dev(n * 4), dev2(n * 4);
  uint32_t* h = host.as<uint32_t>();
  for (uint32_t i = 0; i < n; ++i) h[i] = 0;
  struct Fill {
    uint32_t* data;
    uint32_t n;
  } fill{h, n};
  // The host function writes the HOST buffer; the copy and the kernel after it must see it.
  REQUIRE_OK(ohal_stream_launch_host_func(
      stream,
      [](void* user) {
        auto* f = static_cast<Fill*>(user);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        for (uint32_t i = 0; i < f->n; ++i) f->data[i] = i ^ 0x5A5A5A5Au;
      },
      &fill));
  REQUIRE_OK(ohal_memcpy_async(stream, dev.get(), host.get(), n * 4));
  const uint32_t block = cts::default_block();
  REQUIRE_OK(cts::launch(stream, copy, {cts::blocks_for(n, block)}, {block}, 0, dev2.get(),
                         host.device_ptr(), n));
  const std::vector<uint32_t> got = cts::download<uint32_t>(stream, dev.get(), n);
  const std::vector<uint32_t> got2 = cts::download<uint32_t>(stream, dev2.get(), n);
  size_t wrong = 0;
  for (uint32_t i = 0; i < n; ++i)
    wrong += (got[i] != (i ^ 0x5A5A5A5Au)) + (got2[i] != (i ^ 0x5A5A5A5Au));
  CHECK(wrong == 0);
}

TEST_CASE("host func: runs after the device work before it", "[hostfunc]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream stream;
  cts::Event before;
  cts::Buffer out(8);
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, out.get(), cts::spin_iterations(), 3u));
  REQUIRE_OK(ohal_event_record(before, stream));
  struct Probe {
    ohal_event_t event;
    std::atomic<int> seen{-1};
  } probe{before.get()};
  REQUIRE_OK(ohal_stream_launch_host_func(
      stream,
      [](void* user) {
        auto* p = static_cast<Probe*>(user);
        // Only a query: a host function must not wait on its own stream.
        p->seen = static_cast<int>(ohal_event_query(p->event));
      },
      &probe));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK(probe.seen.load() == static_cast<int>(OHAL_SUCCESS));
}

TEST_CASE("host func: checks its arguments", "[hostfunc][errors]") {
  cts::Stream stream;
  int dummy = 0;
  if (!cts::has_cap(OHAL_CAP_HOST_FUNC)) {
    CHECK_RESULT(ohal_stream_launch_host_func(stream, record_call, &dummy), OHAL_ERROR_UNSUPPORTED);
    return;
  }
  CHECK_RESULT(ohal_stream_launch_host_func(stream, nullptr, &dummy), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_stream_launch_host_func(nullptr, record_call, &dummy),
               OHAL_ERROR_INVALID_HANDLE);
  ohal_stream_t dead = nullptr;
  REQUIRE_OK(ohal_stream_create(cts::device(), 0, &dead));
  REQUIRE_OK(ohal_stream_destroy(dead));
  CHECK_RESULT(ohal_stream_launch_host_func(dead, record_call, &dummy), OHAL_ERROR_INVALID_HANDLE);
  // user_data may be NULL.
  std::atomic<int> ran{0};
  static std::atomic<int>* counter = nullptr;
  counter = &ran;
  REQUIRE_OK(ohal_stream_launch_host_func(
      stream, [](void*) { counter->fetch_add(1); }, nullptr));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK(ran.load() == 1);
}
