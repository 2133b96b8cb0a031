// Events: record, query, synchronize, re-record, elapsed time, destroy.
#include <vector>

#include "cts.hpp"

TEST_CASE("event: a never-recorded event is complete", "[event]") {
  cts::Event e;
  CHECK_OK(ohal_event_query(e));
  CHECK_OK(ohal_event_synchronize(e));
}

TEST_CASE("event: record captures the work submitted so far", "[event]") {
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream stream;
  cts::Event e;
  cts::Buffer out(8);
  const uint32_t iterations = cts::spin_iterations();
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, out.get(), iterations, 5u));
  REQUIRE_OK(ohal_event_record(e, stream));
  REQUIRE_OK(ohal_event_synchronize(e));
  CHECK_OK(ohal_event_query(e));
  std::vector<uint32_t> host(2, 0);
  // Host memory read through a blocking copy: the event alone must have made the result final.
  REQUIRE_OK(ohal_memcpy(host.data(), out.get(), 8));
  CHECK_SAME(host, std::vector<uint32_t>{5u, cts::lcg_power(5u, iterations)});
}

TEST_CASE("event: query is NOT_READY until the captured work finished", "[event]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  cts::Stream stream;
  cts::Event e;
  cts::Gate gate;
  REQUIRE_OK(gate.enqueue(stream));
  REQUIRE_OK(ohal_event_record(e, stream));
  CHECK_RESULT(ohal_event_query(e), OHAL_NOT_READY);
  gate.release();
  CHECK_FALSE(gate.forced());
  REQUIRE_OK(ohal_event_synchronize(e));
  CHECK_OK(ohal_event_query(e));
}

TEST_CASE("event: recording again replaces the captured point", "[event]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  cts::Stream held, idle;
  cts::Event e;
  cts::Gate gate;
  REQUIRE_OK(gate.enqueue(held));
  REQUIRE_OK(ohal_event_record(e, held));
  CHECK_RESULT(ohal_event_query(e), OHAL_NOT_READY);
  REQUIRE_OK(ohal_event_record(e, idle));  // now it captures the idle stream only
  REQUIRE_OK(ohal_event_synchronize(e));
  CHECK_OK(ohal_event_query(e));
  CHECK_RESULT(ohal_stream_query(held), OHAL_NOT_READY);
  gate.release();
  CHECK_FALSE(gate.forced());
  REQUIRE_OK(ohal_stream_synchronize(held));
}

TEST_CASE("event: destroying an event leaves pending work intact", "[event]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  cts::Stream producer, consumer;
  cts::Buffer data(256), result(256);
  cts::Gate gate;
  ohal_event_t e = nullptr;
  REQUIRE_OK(ohal_event_create(cts::device(), 0, &e));
  REQUIRE_OK(gate.enqueue(producer));
  REQUIRE_OK(ohal_memset_async(producer, data.get(), 0xABCDu, 4, 64));
  REQUIRE_OK(ohal_event_record(e, producer));
  REQUIRE_OK(ohal_stream_wait_event(consumer, e));
  REQUIRE_OK(ohal_memcpy_async(consumer, result.get(), data.get(), 256));
  REQUIRE_OK(ohal_event_destroy(e));
  CHECK_RESULT(ohal_event_query(e), OHAL_ERROR_INVALID_HANDLE);
  gate.release();
  CHECK_FALSE(gate.forced());
  REQUIRE_OK(ohal_stream_synchronize(consumer));
  REQUIRE_OK(ohal_stream_synchronize(producer));
  CHECK_SAME(cts::download<uint32_t>(consumer, result.get(), 64),
             std::vector<uint32_t>(64, 0xABCDu));
}

TEST_CASE("event: elapsed time over a kernel is positive", "[event]") {
  CTS_REQUIRE_CAP(OHAL_CAP_EVENT_TIMING);
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream stream;
  cts::Event start, end;
  cts::Buffer out(8);
  REQUIRE_OK(ohal_event_record(start, stream));
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, out.get(), cts::spin_iterations(), 1u));
  REQUIRE_OK(ohal_event_record(end, stream));
  REQUIRE_OK(ohal_event_synchronize(end));
  float forward = 0, backward = 0;
  REQUIRE_OK(ohal_event_elapsed_time(start, end, &forward));
  REQUIRE_OK(ohal_event_elapsed_time(end, start, &backward));
  CHECK(forward > 0.0f);
  CHECK(backward < 0.0f);
  float same = -1;
  REQUIRE_OK(ohal_event_elapsed_time(start, start, &same));
  CHECK(same == 0.0f);
}

TEST_CASE("event: elapsed time checks its arguments", "[event][errors]") {
  cts::Stream stream;
  cts::Event a, b, never;
  REQUIRE_OK(ohal_event_record(a, stream));
  REQUIRE_OK(ohal_event_record(b, stream));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  float ms = 0;
  if (!cts::has_cap(OHAL_CAP_EVENT_TIMING)) {
    CHECK_RESULT(ohal_event_elapsed_time(a, b, &ms), OHAL_ERROR_UNSUPPORTED);
    return;
  }
  CHECK_RESULT(ohal_event_elapsed_time(a, b, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_event_elapsed_time(nullptr, b, &ms), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_elapsed_time(a, nullptr, &ms), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_elapsed_time(a, never, &ms), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_event_elapsed_time(never, b, &ms), OHAL_ERROR_INVALID_VALUE);
  cts::Event untimed(nullptr, OHAL_EVENT_FLAG_DISABLE_TIMING);
  REQUIRE_OK(ohal_event_record(untimed, stream));
  REQUIRE_OK(ohal_event_synchronize(untimed));
  CHECK_RESULT(ohal_event_elapsed_time(a, untimed, &ms), OHAL_ERROR_UNSUPPORTED);
  CHECK_RESULT(ohal_event_elapsed_time(untimed, b, &ms), OHAL_ERROR_UNSUPPORTED);
  if (cts::has_cap(OHAL_CAP_HOST_FUNC)) {
    cts::Event pending;
    cts::Gate gate;
    REQUIRE_OK(gate.enqueue(stream));
    REQUIRE_OK(ohal_event_record(pending, stream));
    CHECK_RESULT(ohal_event_elapsed_time(a, pending, &ms), OHAL_NOT_READY);
    gate.release();
    CHECK_FALSE(gate.forced());
    REQUIRE_OK(ohal_event_synchronize(pending));
    CHECK_OK(ohal_event_elapsed_time(a, pending, &ms));
    CHECK(ms >= 0.0f);
  }
}

TEST_CASE("event: create record and destroy check their arguments", "[event][errors]") {
  ohal_event_t e = nullptr;
  CHECK_RESULT(ohal_event_create(cts::device(), 0, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_event_create(nullptr, 0, &e), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_create(cts::device(), 1u << 8, &e), OHAL_ERROR_INVALID_VALUE);
  CHECK(e == nullptr);
  cts::Stream stream;
  cts::Event ok;
  CHECK_RESULT(ohal_event_record(nullptr, stream), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_record(ok, nullptr), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_record(reinterpret_cast<ohal_event_t>(stream.get()), stream),
               OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_synchronize(nullptr), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_query(nullptr), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_destroy(nullptr), OHAL_ERROR_INVALID_HANDLE);
  REQUIRE_OK(ohal_event_create(cts::device(), OHAL_EVENT_FLAG_DISABLE_TIMING, &e));
  REQUIRE_OK(ohal_event_destroy(e));
  CHECK_RESULT(ohal_event_destroy(e), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_record(e, stream), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_synchronize(e), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_event_query(e), OHAL_ERROR_INVALID_HANDLE);
  ohal_stream_t dead = nullptr;
  REQUIRE_OK(ohal_stream_create(cts::device(), 0, &dead));
  REQUIRE_OK(ohal_stream_destroy(dead));
  CHECK_RESULT(ohal_event_record(ok, dead), OHAL_ERROR_INVALID_HANDLE);
}

TEST_CASE("event: objects of another device are rejected", "[event][errors][multi_device]") {
  CTS_REQUIRE_OTHER_DEVICE(other);
  cts::Stream mine;
  cts::Stream theirs_stream(other);
  cts::Event mine_event, theirs(other);
  CHECK_RESULT(ohal_event_record(theirs, mine), OHAL_ERROR_DEVICE_MISMATCH);
  CHECK_RESULT(ohal_event_record(mine_event, theirs_stream), OHAL_ERROR_DEVICE_MISMATCH);
  REQUIRE_OK(ohal_event_record(mine_event, mine));
  REQUIRE_OK(ohal_event_record(theirs, theirs_stream));
  REQUIRE_OK(ohal_device_synchronize(other));
  REQUIRE_OK(ohal_stream_synchronize(mine));
  float ms = 0;
  CHECK_RESULT(ohal_event_elapsed_time(mine_event, theirs, &ms), OHAL_ERROR_DEVICE_MISMATCH);
}
