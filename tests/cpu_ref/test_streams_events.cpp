// Stream order, events across streams, host functions and event timing.
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "fixture.h"

using namespace cpu_ref_test;

TEST_CASE("cpu_ref: a copy after a long kernel on the same stream sees its result",
          "[cpu_ref][stream]") {
  Stream s;
  const uint32_t n = 1 << 16;
  Buffer d(n * 4), host(n * 4, OHAL_MEM_KIND_HOST);
  OHAL_OK(ohal_memset_async(s, d.get(), 0, 4, n));
  OHAL_OK(launch(s, kernel("slow_fill"), {n / 128}, {128}, 0, spin_iterations(0.002), n, 42u,
                 d.as<uint32_t>()));
  OHAL_OK(ohal_memcpy_async(s, host.get(), d.get(), n * 4));
  OHAL_OK(ohal_stream_synchronize(s));
  const auto* h = host.as<uint32_t>();
  CHECK(std::count(h, h + n, 42u) == n);
  CHECK(ohal_stream_query(s) == OHAL_SUCCESS);
}

TEST_CASE("cpu_ref: two streams joined by an event are ordered", "[cpu_ref][stream][event]") {
  const uint32_t n = 1 << 16;
  Stream a, b;
  Event e;
  Buffer d(n * 4);
  for (int round = 0; round < 3; ++round) {
    OHAL_OK(launch(a, kernel("slow_fill"), {n / 256}, {256}, 0, spin_iterations(0.002), n,
                   100u * static_cast<uint32_t>(round), d.as<uint32_t>()));
    OHAL_OK(ohal_event_record(e, a));
    OHAL_OK(ohal_stream_wait_event(b, e));
    OHAL_OK(launch(b, kernel("add_one"), {n / 256}, {256}, 0, n, d.as<uint32_t>()));
    OHAL_OK(ohal_stream_synchronize(b));
    const auto v = download<uint32_t>(d.get(), n);
    CHECK(std::count(v.begin(), v.end(), 100u * static_cast<uint32_t>(round) + 1) == n);
  }
}

TEST_CASE("cpu_ref: a chain of 64 streams joined by events", "[cpu_ref][stream][event]") {
  // More streams than workers, each parked on the previous one's event before it ran.
  const uint32_t n = 4096;
  Buffer d(n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  std::vector<std::unique_ptr<Stream>> streams;
  std::vector<std::unique_ptr<Event>> events;
  for (int i = 0; i < 64; ++i) {
    streams.push_back(std::make_unique<Stream>());
    events.push_back(std::make_unique<Event>(OHAL_EVENT_FLAG_DISABLE_TIMING));
  }
  OHAL_OK(launch(*streams[0], kernel("slow_fill"), {n / 64}, {64}, 0, spin_iterations(0.02), n,
                 1000u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(*events[0], *streams[0]));
  for (int i = 1; i < 64; ++i) {
    OHAL_OK(ohal_stream_wait_event(*streams[i], *events[i - 1]));
    OHAL_OK(launch(*streams[i], kernel("add_one"), {n / 64}, {64}, 0, n, d.as<uint32_t>()));
    OHAL_OK(ohal_event_record(*events[i], *streams[i]));
  }
  OHAL_OK(ohal_event_synchronize(*events[63]));
  const auto v = download<uint32_t>(d.get(), n);
  CHECK(std::count(v.begin(), v.end(), 1063u) == n);
  OHAL_OK(ohal_device_synchronize(env().device));
}

namespace {
struct HostLog {
  std::mutex mu;
  std::vector<int> order;
  const uint32_t* watched = nullptr;
  uint32_t seen = 0;
};
void log_1(void* p) {
  auto* l = static_cast<HostLog*>(p);
  std::lock_guard<std::mutex> lock(l->mu);
  l->order.push_back(1);
}
void log_2(void* p) {
  auto* l = static_cast<HostLog*>(p);
  std::lock_guard<std::mutex> lock(l->mu);
  l->order.push_back(2);
  l->seen = l->watched[0];  // the kernel before this function finished
}
void log_3(void* p) {
  auto* l = static_cast<HostLog*>(p);
  std::lock_guard<std::mutex> lock(l->mu);
  l->order.push_back(3);
}
}  // namespace

TEST_CASE("cpu_ref: host functions run in stream order", "[cpu_ref][stream][host_func]") {
  Stream s;
  Buffer host(4096, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO);
  HostLog log;
  log.watched = host.as<uint32_t>();
  for (int round = 0; round < 20; ++round) {
    log.order.clear();
    OHAL_OK(ohal_stream_launch_host_func(s, log_1, &log));
    OHAL_OK(launch(s, kernel("slow_fill"), {1}, {64}, 0, spin_iterations(0.2), 1024u,
                   static_cast<uint32_t>(round + 5), host.as<uint32_t>()));
    OHAL_OK(ohal_stream_launch_host_func(s, log_2, &log));
    OHAL_OK(ohal_stream_launch_host_func(s, log_3, &log));
    OHAL_OK(ohal_stream_synchronize(s));
    REQUIRE(log.order == std::vector<int>{1, 2, 3});
    CHECK(log.seen == static_cast<uint32_t>(round + 5));
  }
}

namespace {
struct SyncFromHostFunc {
  ohal_stream_t other;
  std::atomic<int> result{-1};
};
void sync_other(void* p) {
  auto* s = static_cast<SyncFromHostFunc*>(p);
  s->result = ohal_stream_synchronize(s->other);
}
}  // namespace

TEST_CASE("cpu_ref: a host function may wait for other streams", "[cpu_ref][stream][host_func]") {
  // Several host functions block on other streams at once; the pool must still run them.
  const uint32_t n = 4096;
  std::vector<std::unique_ptr<Stream>> streams;
  std::vector<std::unique_ptr<SyncFromHostFunc>> syncs;
  Buffer d(n * 4 * 8);
  for (int i = 0; i < 8; ++i) streams.push_back(std::make_unique<Stream>());
  for (int i = 0; i < 4; ++i) {
    OHAL_OK(launch(*streams[4 + i], kernel("slow_fill"), {n / 64}, {64}, 0, spin_iterations(0.01),
                   n, 7u, d.as<uint32_t>() + n * i));
    syncs.push_back(std::make_unique<SyncFromHostFunc>());
    syncs.back()->other = *streams[4 + i];
    OHAL_OK(ohal_stream_launch_host_func(*streams[i], sync_other, syncs.back().get()));
  }
  OHAL_OK(ohal_device_synchronize(env().device));
  for (const auto& s : syncs) CHECK(s->result == OHAL_SUCCESS);
}

TEST_CASE("cpu_ref: event elapsed time is positive and grows with work", "[cpu_ref][event]") {
  Stream s;
  Event e0, e1, e2;
  Buffer d(4096);
  OHAL_OK(ohal_event_record(e0, s));
  OHAL_OK(
      launch(s, kernel("slow_fill"), {1}, {1}, 0, spin_iterations(2), 1u, 1u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(e1, s));
  OHAL_OK(
      launch(s, kernel("slow_fill"), {1}, {1}, 0, spin_iterations(40), 1u, 1u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(e2, s));
  OHAL_OK(ohal_event_synchronize(e2));
  CHECK(ohal_event_query(e2) == OHAL_SUCCESS);
  float short_ms = 0, long_ms = 0, total_ms = 0;
  OHAL_OK(ohal_event_elapsed_time(e0, e1, &short_ms));
  OHAL_OK(ohal_event_elapsed_time(e1, e2, &long_ms));
  OHAL_OK(ohal_event_elapsed_time(e0, e2, &total_ms));
  CHECK(short_ms > 0.0f);
  CHECK(long_ms > short_ms);
  CHECK(total_ms == Approx(short_ms + long_ms).epsilon(0.01));
  float backwards = 0;
  OHAL_OK(ohal_event_elapsed_time(e2, e0, &backwards));
  CHECK(backwards < 0.0f);

  // Re-recording moves the event to the stream's new end.
  OHAL_OK(
      launch(s, kernel("slow_fill"), {1}, {1}, 0, spin_iterations(2), 1u, 1u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(e0, s));
  OHAL_OK(ohal_stream_synchronize(s));
  float after = 0;
  OHAL_OK(ohal_event_elapsed_time(e2, e0, &after));
  CHECK(after > 0.0f);

  Event untimed(OHAL_EVENT_FLAG_DISABLE_TIMING);
  OHAL_OK(ohal_event_record(untimed, s));
  OHAL_OK(ohal_stream_synchronize(s));
  CHECK(ohal_event_elapsed_time(e0, untimed, &after) == OHAL_ERROR_UNSUPPORTED);
  Event never;
  CHECK(ohal_event_elapsed_time(e0, never, &after) == OHAL_ERROR_INVALID_VALUE);
  CHECK(ohal_event_query(never) == OHAL_SUCCESS);
  OHAL_OK(ohal_event_synchronize(never));
}

TEST_CASE("cpu_ref: queries report pending work", "[cpu_ref][stream][event]") {
  Stream s;
  Event e;
  Buffer d(4096);
  OHAL_OK(
      launch(s, kernel("slow_fill"), {1}, {1}, 0, spin_iterations(50), 1u, 1u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(e, s));
  CHECK(ohal_stream_query(s) == OHAL_NOT_READY);
  CHECK(ohal_event_query(e) == OHAL_NOT_READY);
  float ms = 0;
  CHECK(ohal_event_elapsed_time(e, e, &ms) == OHAL_NOT_READY);
  OHAL_OK(ohal_stream_synchronize(s));
  CHECK(ohal_stream_query(s) == OHAL_SUCCESS);
  CHECK(ohal_event_query(e) == OHAL_SUCCESS);
}

TEST_CASE("cpu_ref: many small launches on one stream", "[cpu_ref][stream]") {
  Stream s;
  const uint32_t n = 256;
  Buffer d(n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  for (int i = 0; i < 20000; ++i) {
    REQUIRE(launch(s, kernel("add_one"), {2}, {128}, 0, n, d.as<uint32_t>()) == OHAL_SUCCESS);
  }
  OHAL_OK(ohal_stream_synchronize(s));
  const auto v = download<uint32_t>(d.get(), n);
  CHECK(std::count(v.begin(), v.end(), 20000u) == n);
}
