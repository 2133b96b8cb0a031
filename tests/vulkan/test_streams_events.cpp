// Stream order, events across streams, timing, host functions.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <mutex>
#include <thread>

#include "fixture.hpp"

namespace {

struct HostLog {
  std::mutex mutex;
  std::vector<int> order;
};

struct HostCall {
  HostLog* log;
  int id;
  const uint32_t* observe;  // HOST memory a kernel wrote before this function
  uint32_t seen = 0;
  uint32_t* write = nullptr;  // HOST memory later work copies
};

void record_call(void* user) {
  HostCall* c = static_cast<HostCall*>(user);
  if (c->observe != nullptr) c->seen = *c->observe;
  if (c->write != nullptr) *c->write = 1000u + static_cast<uint32_t>(c->id);
  std::lock_guard<std::mutex> lock(c->log->mutex);
  c->log->order.push_back(c->id);
}

}  // namespace

TEST_CASE("vulkan: a stream runs its operations in order", "[stream]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  const uint32_t n = 4096;
  vktest::Mem data(dev, n * 4, OHAL_MEM_KIND_DEVICE), copy(dev, n * 4, OHAL_MEM_KIND_DEVICE);
  void *dp = data.get(), *cp = copy.get();
  std::vector<uint32_t> zeros(n, 0), out(n), out_copy(n);
  // upload, 300 dependent kernels with copies and fills between, download: all asynchronous,
  // spanning several batches.
  REQUIRE_OK(ohal_memcpy_async(stream, dp, zeros.data(), n * 4));
  for (int i = 0; i < 300; ++i) {
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("add_one"), n / 64, 64,
                                {vktest::arg(dp), vktest::arg(n)}));
    if (i == 150) {
      REQUIRE_OK(ohal_memcpy_async(stream, cp, dp, n * 4));
      REQUIRE_OK(ohal_memset_async(stream, dp, 1000, 4, n));
    }
  }
  REQUIRE_OK(ohal_memcpy_async(stream, out.data(), dp, n * 4));
  REQUIRE_OK(ohal_memcpy_async(stream, out_copy.data(), cp, n * 4));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  REQUIRE_OK(ohal_stream_query(stream));
  CHECK(std::count(out.begin(), out.end(), 1149u) == n);
  CHECK(std::count(out_copy.begin(), out_copy.end(), 151u) == n);
}

TEST_CASE("vulkan: events order work across streams", "[stream][event]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream producer(dev), consumer(dev);
  const uint32_t n = 256, rounds = 20000;
  vktest::Mem data(dev, n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  vktest::Mem snapshot(dev, n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  void *dp = data.get(), *sp = snapshot.get();
  ohal_event_t done = nullptr;
  REQUIRE_OK(ohal_event_create(dev, 0, &done));
  // Slow work on the producer, then the consumer copies its result once the event completed.
  REQUIRE_OK(vktest::launch1d(producer, module.kernel("spin_add"), n / 64, 64,
                              {vktest::arg(dp), vktest::arg(n), vktest::arg(rounds)}));
  REQUIRE_OK(ohal_event_record(done, producer));
  REQUIRE_OK(ohal_stream_wait_event(consumer, done));
  REQUIRE_OK(ohal_memcpy_async(consumer, sp, dp, n * 4));
  REQUIRE_OK(ohal_stream_synchronize(consumer));
  REQUIRE_OK(ohal_event_query(done));  // the consumer could only finish after the event
  std::vector<uint32_t> out(n);
  REQUIRE_OK(ohal_memcpy(out.data(), sp, n * 4));
  CHECK(std::count(out.begin(), out.end(), rounds) == n);
  REQUIRE_OK(ohal_stream_synchronize(producer));
  REQUIRE_OK(ohal_event_destroy(done));
}

TEST_CASE("vulkan: event query, synchronize and elapsed time", "[event]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  ohal_event_t start = nullptr, end = nullptr, untimed = nullptr, never = nullptr;
  REQUIRE_OK(ohal_event_create(dev, 0, &start));
  REQUIRE_OK(ohal_event_create(dev, 0, &end));
  REQUIRE_OK(ohal_event_create(dev, OHAL_EVENT_FLAG_DISABLE_TIMING, &untimed));
  REQUIRE_OK(ohal_event_create(dev, 0, &never));
  // A never-recorded event is complete.
  REQUIRE_OK(ohal_event_query(never));
  REQUIRE_OK(ohal_event_synchronize(never));

  const uint32_t n = 64, rounds = 60000;  // llvmpipe caps loops at 65535 iterations
  vktest::Mem data(dev, n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  void* dp = data.get();
  REQUIRE_OK(ohal_event_record(start, stream));
  REQUIRE_OK(vktest::launch1d(stream, module.kernel("spin_add"), 1, 64,
                              {vktest::arg(dp), vktest::arg(n), vktest::arg(rounds)}));
  REQUIRE_OK(ohal_event_record(end, stream));
  REQUIRE_OK(ohal_event_record(untimed, stream));
  const ohal_result_t q = ohal_event_query(end);
  CHECK((q == OHAL_SUCCESS || q == OHAL_NOT_READY));
  REQUIRE_OK(ohal_event_synchronize(end));
  REQUIRE_OK(ohal_event_query(end));
  REQUIRE_OK(ohal_event_query(untimed));

  if ((vktest::properties().capabilities & OHAL_CAP_EVENT_TIMING) != 0) {
    float ms = -1.0f;
    REQUIRE_OK(ohal_event_elapsed_time(start, end, &ms));
    CHECK(std::isfinite(ms));
    CHECK(ms >= 0.0f);
    float back = 1.0f;
    REQUIRE_OK(ohal_event_elapsed_time(end, start, &back));
    CHECK(back == -ms);
    REQUIRE_RESULT(ohal_event_elapsed_time(start, untimed, &ms), OHAL_ERROR_UNSUPPORTED);
    REQUIRE_RESULT(ohal_event_elapsed_time(start, never, &ms), OHAL_ERROR_INVALID_VALUE);
    // Re-recording replaces the captured point.
    REQUIRE_OK(ohal_event_record(start, stream));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    REQUIRE_OK(ohal_event_elapsed_time(end, start, &ms));
    CHECK(ms >= 0.0f);
  } else {
    WARN("device lacks OHAL_CAP_EVENT_TIMING");
  }
  for (ohal_event_t e : {start, end, untimed, never}) REQUIRE_OK(ohal_event_destroy(e));
}

TEST_CASE("vulkan: an event destroyed while its recording is pending", "[event]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  const uint32_t n = 64, rounds = 60000;
  vktest::Mem data(dev, n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  void* dp = data.get();
  for (int i = 0; i < 10; ++i) {
    ohal_event_t e = nullptr;
    REQUIRE_OK(ohal_event_create(dev, 0, &e));
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("spin_add"), 1, 64,
                                {vktest::arg(dp), vktest::arg(n), vktest::arg(rounds)}));
    REQUIRE_OK(ohal_event_record(e, stream));
    REQUIRE_OK(ohal_event_destroy(e));
  }
  REQUIRE_OK(ohal_stream_synchronize(stream));
  REQUIRE_OK(ohal_device_synchronize(dev));
  std::vector<uint32_t> out(n);
  REQUIRE_OK(ohal_memcpy(out.data(), dp, n * 4));
  CHECK(out[0] == 10 * rounds);
}

TEST_CASE("vulkan: host functions run in stream order", "[stream][hostfunc]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  const uint32_t n = 64;
  vktest::Mem flag(dev, n * 4, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO);
  vktest::Mem written(dev, 4, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO);
  vktest::Mem device_copy(dev, 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  void* fp = nullptr;
  REQUIRE_OK(ohal_mem_get_device_pointer(flag.get(), &fp));
  HostLog log;
  std::vector<HostCall> calls;
  calls.reserve(8);
  const uint32_t rounds = 30000;
  for (int i = 0; i < 4; ++i) {
    // Kernel -> host function that sees the kernel's result and writes host memory -> a copy
    // of that memory, which must see the host function's write.
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("spin_add"), 1, 64,
                                {vktest::arg(fp), vktest::arg(n), vktest::arg(rounds)}));
    calls.push_back(HostCall{&log, i, flag.as<uint32_t>(), 0, written.as<uint32_t>()});
    REQUIRE_OK(ohal_stream_launch_host_func(stream, record_call, &calls.back()));
    REQUIRE_OK(ohal_memcpy_async(stream, device_copy.get(), written.get(), 4));
  }
  uint32_t last = 0;
  REQUIRE_OK(ohal_memcpy_async(stream, &last, device_copy.get(), 4));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  REQUIRE(log.order.size() == 4);
  for (int i = 0; i < 4; ++i) {
    CHECK(log.order[static_cast<size_t>(i)] == i);
    CHECK(calls[static_cast<size_t>(i)].seen == static_cast<uint32_t>(i + 1) * rounds);
  }
  CHECK(last == 1003u);
}

TEST_CASE("vulkan: a stream waiting on an event behind a host function", "[stream][hostfunc]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Stream a(dev), b(dev);
  std::atomic<bool> release{false};
  struct Gate {
    std::atomic<bool>* release;
    uint32_t* target;
  };
  vktest::Mem value(dev, 4, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO);
  Gate gate{&release, value.as<uint32_t>()};
  // Stream a: a host function that blocks until the test releases it, then writes 42.
  REQUIRE_OK(ohal_stream_launch_host_func(
      a,
      [](void* user) {
        Gate* g = static_cast<Gate*>(user);
        while (!g->release->load()) std::this_thread::yield();
        *g->target = 42;
      },
      &gate));
  ohal_event_t e = nullptr;
  REQUIRE_OK(ohal_event_create(dev, 0, &e));
  REQUIRE_OK(ohal_event_record(e, a));
  // Stream b waits for it, then copies the value.
  REQUIRE_OK(ohal_stream_wait_event(b, e));
  vktest::Mem copy(dev, 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  REQUIRE_OK(ohal_memcpy_async(b, copy.get(), value.get(), 4));
  CHECK(ohal_event_query(e) == OHAL_NOT_READY);
  CHECK(ohal_stream_query(b) == OHAL_NOT_READY);
  release = true;
  REQUIRE_OK(ohal_stream_synchronize(b));
  uint32_t out = 0;
  REQUIRE_OK(ohal_memcpy(&out, copy.get(), 4));
  CHECK(out == 42u);
  REQUIRE_OK(ohal_stream_synchronize(a));
  REQUIRE_OK(ohal_event_destroy(e));
}

TEST_CASE("vulkan: streams used from several threads at once", "[stream]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  const uint32_t n = 1024;
  const int threads = 4;
  std::vector<std::thread> workers;
  std::vector<int> ok(threads, 0);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      ohal_stream_t s = nullptr;
      if (ohal_stream_create(dev, 0, &s) != OHAL_SUCCESS) return;
      void* p = nullptr;
      if (ohal_mem_alloc(dev, n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO, &p) ==
          OHAL_SUCCESS) {
        ohal_kernel_t k = nullptr;
        ohal_module_get_kernel(module.get(), "add_one", &k);
        bool good = k != nullptr;
        for (int i = 0; i < 50 && good; ++i) {
          ohal_launch_config_t c = OHAL_LAUNCH_CONFIG_INIT;
          c.grid[0] = n / 64;
          c.block[0] = 64;
          ohal_kernel_arg_t args[] = {{&p, sizeof p}, {&n, sizeof n}};
          good = ohal_launch(s, k, &c, 2, args) == OHAL_SUCCESS;
        }
        std::vector<uint32_t> out(n);
        good = good && ohal_memcpy_async(s, out.data(), p, n * 4) == OHAL_SUCCESS &&
               ohal_stream_synchronize(s) == OHAL_SUCCESS;
        ok[static_cast<size_t>(t)] =
            good && std::count(out.begin(), out.end(), 50u) == static_cast<std::ptrdiff_t>(n);
        ohal_mem_free(p);
      }
      ohal_stream_destroy(s);
    });
  }
  for (auto& w : workers) w.join();
  for (int t = 0; t < threads; ++t) CHECK(ok[static_cast<size_t>(t)] == 1);
  REQUIRE_OK(ohal_device_synchronize(dev));
}

TEST_CASE("vulkan: a stream held by a host function does not stall other streams",
          "[stream][hostfunc]") {
  // Streams share the device's queues; work queued behind a running host function is held on
  // the host, never submitted to a queue where it would block other streams' work.
  VK_DEVICE_OR_SKIP(dev);
  vktest::Stream held(dev), other(dev);
  struct Gate {
    std::atomic<bool> release{false};
    std::atomic<bool> forced{false};
  } gate;
  REQUIRE_OK(ohal_stream_launch_host_func(
      held,
      [](void* user) {
        Gate* g = static_cast<Gate*>(user);
        // Opens by itself after 10 s, so a backend that stalls fails instead of hanging.
        for (int i = 0; i < 10000 && !g->release.load(); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (!g->release.load()) g->forced = true;
      },
      &gate));
  const uint32_t n = 1024;
  vktest::Mem a(dev, n * 4, OHAL_MEM_KIND_DEVICE), b(dev, n * 4, OHAL_MEM_KIND_DEVICE);
  ohal_event_t e = nullptr;
  REQUIRE_OK(ohal_event_create(dev, 0, &e));
  // Behind the gate: a fill, a copy and an event (a timestamp), all held.
  REQUIRE_OK(ohal_memset_async(held, a.get(), 7u, 4, n));
  REQUIRE_OK(ohal_memcpy_async(held, b.get(), a.get(), n * 4));
  REQUIRE_OK(ohal_event_record(e, held));
  CHECK(ohal_event_query(e) == OHAL_NOT_READY);
  // The other stream's work completes while the gate is closed.
  vktest::Mem c(dev, n * 4, OHAL_MEM_KIND_DEVICE);
  REQUIRE_OK(ohal_memset_async(other, c.get(), 9u, 4, n));
  REQUIRE_OK(ohal_event_record(e, other));  // re-recorded: now the other stream's point
  REQUIRE_OK(ohal_event_synchronize(e));
  std::vector<uint32_t> out(n);
  REQUIRE_OK(ohal_memcpy_async(other, out.data(), c.get(), n * 4));
  REQUIRE_OK(ohal_stream_synchronize(other));
  CHECK(std::count(out.begin(), out.end(), 9u) == static_cast<std::ptrdiff_t>(n));
  CHECK(ohal_stream_query(held) == OHAL_NOT_READY);
  gate.release = true;
  REQUIRE_OK(ohal_stream_synchronize(held));
  CHECK_FALSE(gate.forced.load());
  REQUIRE_OK(ohal_memcpy(out.data(), b.get(), n * 4));
  CHECK(std::count(out.begin(), out.end(), 7u) == static_cast<std::ptrdiff_t>(n));
  REQUIRE_OK(ohal_event_destroy(e));
}
