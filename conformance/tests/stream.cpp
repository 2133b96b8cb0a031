// Streams: in-order execution, query, synchronize, destroy, joins through events.
#include <vector>

#include "cts.hpp"

TEST_CASE("stream: create query synchronize destroy", "[stream]") {
  ohal_stream_t s = nullptr;
  REQUIRE_OK(ohal_stream_create(cts::device(), OHAL_STREAM_FLAG_NONE, &s));
  CHECK_OK(ohal_stream_query(s));  // nothing submitted
  CHECK_OK(ohal_stream_synchronize(s));
  CHECK_OK(ohal_stream_destroy(s));
  CHECK_RESULT(ohal_stream_query(s), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_synchronize(s), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_destroy(s), OHAL_ERROR_INVALID_HANDLE);
}

TEST_CASE("stream: create and use check their arguments", "[stream][errors]") {
  ohal_stream_t s = nullptr;
  CHECK_RESULT(ohal_stream_create(cts::device(), 0, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_stream_create(nullptr, 0, &s), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_create(cts::device(), 1u << 5, &s), OHAL_ERROR_INVALID_VALUE);
  CHECK(s == nullptr);
  cts::Event event;
  // An event handle is not a stream handle, and the other way round.
  ohal_stream_t wrong = reinterpret_cast<ohal_stream_t>(event.get());
  CHECK_RESULT(ohal_stream_synchronize(wrong), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_query(wrong), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_destroy(wrong), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_wait_event(nullptr, event), OHAL_ERROR_INVALID_HANDLE);
  cts::Stream stream;
  CHECK_RESULT(ohal_stream_wait_event(stream, nullptr), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_stream_wait_event(stream, reinterpret_cast<ohal_event_t>(stream.get())),
               OHAL_ERROR_INVALID_HANDLE);
  CHECK_OK(ohal_event_query(event));  // the event survived being misused as a stream
}

TEST_CASE("stream: work runs in submission order", "[stream]") {
  CTS_KERNEL(spin, "cts_spin");
  CTS_KERNEL(fill, "cts_fill_u32");
  cts::Stream stream;
  const uint32_t iterations = cts::spin_iterations();
  cts::Buffer out(8), copy(8), a(4096), b(4096), c(4096);
  std::vector<uint32_t> host(2, 0);

  // A long kernel, then a copy of its output: the copy must see the result.
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, out.get(), iterations, 77u));
  REQUIRE_OK(ohal_memcpy_async(stream, copy.get(), out.get(), 8));
  REQUIRE_OK(ohal_memcpy_async(stream, host.data(), copy.get(), 8));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(host, std::vector<uint32_t>{77u, cts::lcg_power(77u, iterations)});

  // fill / copy / fill / copy chains: each copy sees the fill just before it.
  const uint32_t n = 1024, block = cts::default_block();
  REQUIRE_OK(cts::launch(stream, fill, {cts::blocks_for(n, block)}, {block}, 0, a.get(), n, 1u));
  REQUIRE_OK(ohal_memcpy_async(stream, b.get(), a.get(), 4096));
  REQUIRE_OK(ohal_memset_async(stream, a.get(), 2u, 4, n));
  REQUIRE_OK(ohal_memcpy_async(stream, c.get(), a.get(), 4096));
  REQUIRE_OK(cts::launch(stream, fill, {cts::blocks_for(n, block)}, {block}, 0, a.get(), n, 3u));
  CHECK_SAME(cts::download<uint32_t>(stream, b.get(), n), std::vector<uint32_t>(n, 1u));
  CHECK_SAME(cts::download<uint32_t>(stream, c.get(), n), std::vector<uint32_t>(n, 2u));
  CHECK_SAME(cts::download<uint32_t>(stream, a.get(), n), std::vector<uint32_t>(n, 3u));
}

TEST_CASE("stream: query reports NOT_READY while work is pending", "[stream]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  cts::Stream stream;
  cts::Buffer a(64);
  cts::Gate gate;
  REQUIRE_OK(gate.enqueue(stream));
  REQUIRE_OK(ohal_memset_async(stream, a.get(), 9u, 4, 16));
  CHECK_RESULT(ohal_stream_query(stream), OHAL_NOT_READY);
  gate.release();
  CHECK_FALSE(gate.forced());
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_OK(ohal_stream_query(stream));
  CHECK_SAME(cts::download<uint32_t>(stream, a.get(), 16), std::vector<uint32_t>(16, 9u));
}

TEST_CASE("stream: destroy waits for submitted work", "[stream]") {
  CTS_KERNEL(spin, "cts_spin");
  cts::Buffer out(8);
  ohal_stream_t s = nullptr;
  REQUIRE_OK(ohal_stream_create(cts::device(), 0, &s));
  const uint32_t iterations = cts::spin_iterations();
  REQUIRE_OK(cts::launch(s, spin, {}, {}, 0, out.get(), iterations, 123u));
  REQUIRE_OK(ohal_stream_destroy(s));
  cts::Stream reader;
  CHECK_SAME(cts::download<uint32_t>(reader, out.get(), 2),
             std::vector<uint32_t>{123u, cts::lcg_power(123u, iterations)});
}

TEST_CASE("stream: wait_event orders work across streams", "[stream][event]") {
  CTS_REQUIRE_CAP(OHAL_CAP_HOST_FUNC);
  cts::Stream producer, consumer;
  cts::Event ready;
  cts::Buffer data(4096), result(4096);
  REQUIRE_OK(ohal_memset_async(consumer, result.get(), 0u, 4, 1024));
  REQUIRE_OK(ohal_stream_synchronize(consumer));
  cts::Gate gate;
  REQUIRE_OK(gate.enqueue(producer));
  REQUIRE_OK(ohal_memset_async(producer, data.get(), 0x5151u, 4, 1024));
  REQUIRE_OK(ohal_event_record(ready, producer));
  REQUIRE_OK(ohal_stream_wait_event(consumer, ready));
  REQUIRE_OK(ohal_memcpy_async(consumer, result.get(), data.get(), 4096));
  // The consumer cannot finish while the producer is held.
  CHECK_RESULT(ohal_stream_query(consumer), OHAL_NOT_READY);
  CHECK_RESULT(ohal_event_query(ready), OHAL_NOT_READY);
  gate.release();
  CHECK_FALSE(gate.forced());
  REQUIRE_OK(ohal_stream_synchronize(consumer));
  CHECK_SAME(cts::download<uint32_t>(consumer, result.get(), 1024),
             std::vector<uint32_t>(1024, 0x5151u));
}

TEST_CASE("stream: wait_event joins a long kernel on another stream", "[stream][event]") {
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream producer, consumer;
  cts::Event done;
  cts::Buffer out(8), copy(8);
  const uint32_t iterations = cts::spin_iterations();
  REQUIRE_OK(cts::launch(producer, spin, {}, {}, 0, out.get(), iterations, 31u));
  REQUIRE_OK(ohal_event_record(done, producer));
  REQUIRE_OK(ohal_stream_wait_event(consumer, done));
  REQUIRE_OK(ohal_memcpy_async(consumer, copy.get(), out.get(), 8));
  CHECK_SAME(cts::download<uint32_t>(consumer, copy.get(), 2),
             std::vector<uint32_t>{31u, cts::lcg_power(31u, iterations)});
}

TEST_CASE("stream: waiting on a never-recorded event is a no-op", "[stream][event]") {
  cts::Stream stream;
  cts::Event never;
  cts::Buffer a(64);
  REQUIRE_OK(ohal_stream_wait_event(stream, never));
  REQUIRE_OK(ohal_memset_async(stream, a.get(), 4u, 4, 16));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint32_t>(stream, a.get(), 16), std::vector<uint32_t>(16, 4u));
}

TEST_CASE("stream: wait_event rejects an event of another device",
          "[stream][errors][multi_device]") {
  CTS_REQUIRE_OTHER_DEVICE(other);
  cts::Stream stream;
  cts::Event theirs(other);
  cts::Stream their_stream(other);
  REQUIRE_OK(ohal_event_record(theirs, their_stream));
  CHECK_RESULT(ohal_stream_wait_event(stream, theirs), OHAL_ERROR_DEVICE_MISMATCH);
  CHECK_OK(ohal_stream_synchronize(stream));
}

TEST_CASE("stream: sixteen streams work independently", "[stream]") {
  CTS_KERNEL(fill, "cts_fill_u32");
  const uint32_t n = 10000, block = cts::default_block();
  std::vector<std::unique_ptr<cts::Stream>> streams;
  std::vector<std::unique_ptr<cts::Buffer>> buffers;
  for (uint32_t i = 0; i < 16; ++i) {
    streams.push_back(std::make_unique<cts::Stream>());
    buffers.push_back(std::make_unique<cts::Buffer>(n * 4));
    REQUIRE_OK(cts::launch(*streams.back(), fill, {cts::blocks_for(n, block)}, {block}, 0,
                           buffers.back()->get(), n, i * 1000u + 7u));
  }
  for (uint32_t i = 0; i < 16; ++i) {
    CHECK_SAME(cts::download<uint32_t>(*streams[i], buffers[i]->get(), n),
               std::vector<uint32_t>(n, i * 1000u + 7u));
  }
}
