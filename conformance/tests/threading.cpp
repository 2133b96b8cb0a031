// Thread safety: many threads sharing one device. Catch2 assertions are not thread-safe, so
// worker threads collect failures and the test thread asserts on them.
#include <atomic>
#include <barrier>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cts.hpp"

namespace {

constexpr uint32_t kThreads = 8;

// Failures seen by worker threads.
class Failures {
 public:
  // Records a failed call; returns false so callers can write `if (!ok(...)) ...`.
  bool ok(ohal_result_t r, const char* what, ohal_result_t want = OHAL_SUCCESS) {
    if (r == want) return true;
    add(std::string(what) + " -> " + ohal_result_string(r) + ": " + ohal_last_error_message());
    return false;
  }
  void add(const std::string& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (messages_.size() < 20) messages_.push_back(message);
    ++count_;
  }
  size_t count() const { return count_; }
  std::string summary() const {
    std::string all;
    for (const auto& m : messages_) all += m + "\n";
    return all;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> messages_;
  std::atomic<size_t> count_{0};
};

uint32_t value_of(uint32_t thread, uint32_t round) {
  return (thread + 1) * 0x01000193u ^ round;
}

}  // namespace

TEST_CASE("threading: eight threads with their own streams and events crossing threads",
          "[threading]") {
  CTS_KERNEL(fill, "cts_fill_u32");
  ohal_device_t dev = cts::device();
  const uint32_t n = 4096, block = cts::default_block(), rounds = 20;
  Failures failures;
  std::vector<ohal_event_t> events(kThreads, nullptr);
  std::vector<void*> buffers(kThreads, nullptr);
  std::barrier sync(kThreads);
  auto worker = [&](uint32_t t) {
    ohal_stream_t stream = nullptr;
    void* check = nullptr;
    bool broken =
        !failures.ok(ohal_stream_create(dev, 0, &stream), "stream_create") ||
        !failures.ok(ohal_event_create(dev, 0, &events[t]), "event_create") ||
        !failures.ok(ohal_mem_alloc(dev, n * 4, OHAL_MEM_KIND_DEVICE, 0, &buffers[t]),
                     "mem_alloc") ||
        !failures.ok(ohal_mem_alloc(dev, n * 4, OHAL_MEM_KIND_DEVICE, 0, &check), "mem_alloc");
    std::vector<uint32_t> host(n);
    sync.arrive_and_wait();
    for (uint32_t r = 0; r < rounds; ++r) {
      // Produce: this thread's buffer gets its round value; the event marks it.
      if (!broken) {
        const uint32_t v = value_of(t, r);
        broken = !failures.ok(cts::launch(stream, fill, {cts::blocks_for(n, block)}, {block}, 0,
                                          buffers[t], n, v),
                              "launch fill") ||
                 !failures.ok(ohal_event_record(events[t], stream), "event_record");
      }
      sync.arrive_and_wait();
      // Consume the neighbour's buffer, ordered by the neighbour's event only.
      const uint32_t next = (t + 1) % kThreads;
      if (!broken) {
        broken = !failures.ok(ohal_stream_wait_event(stream, events[next]), "wait_event") ||
                 !failures.ok(ohal_memcpy_async(stream, check, buffers[next], n * 4), "copy") ||
                 !failures.ok(ohal_memcpy_async(stream, host.data(), check, n * 4), "copy") ||
                 !failures.ok(ohal_stream_synchronize(stream), "synchronize");
        if (!broken) {
          const uint32_t want = value_of(next, r);
          uint64_t sum = 0;
          for (uint32_t x : host) sum += x;
          if (sum != uint64_t{want} * n) {
            failures.add("thread " + std::to_string(t) + " round " + std::to_string(r) +
                         ": neighbour's checksum wrong");
          }
        }
      }
      sync.arrive_and_wait();  // the neighbour may overwrite its buffer only after we read it
    }
    if (stream != nullptr) failures.ok(ohal_stream_destroy(stream), "stream_destroy");
    if (check != nullptr) failures.ok(ohal_mem_free(check), "mem_free");
  };
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (auto& th : threads) th.join();
  for (uint32_t t = 0; t < kThreads; ++t) {
    if (events[t] != nullptr) CHECK_OK(ohal_event_destroy(events[t]));
    if (buffers[t] != nullptr) CHECK_OK(ohal_mem_free(buffers[t]));
  }
  INFO(failures.summary());
  CHECK(failures.count() == 0);
}

TEST_CASE("threading: concurrent create and destroy of every object type", "[threading]") {
  ohal_device_t dev = cts::device();
  const std::vector<ohal_mem_kind_t> kinds = cts::offered_kinds();
  std::string why;
  const bool have_module = cts::module(&why) != nullptr;
  const std::vector<uint8_t>& bundle = cts::bundle_bytes();
  Failures failures;
  auto worker = [&](uint32_t t) {
    std::mt19937 rng(t);
    for (uint32_t i = 0; i < 200; ++i) {
      ohal_stream_t s = nullptr;
      ohal_event_t e = nullptr;
      void* mem = nullptr;
      const ohal_mem_kind_t kind = kinds[i % kinds.size()];
      const size_t size = 1 + rng() % 100000;
      if (!failures.ok(ohal_stream_create(dev, 0, &s), "stream_create")) return;
      if (!failures.ok(ohal_event_create(dev, 0, &e), "event_create")) return;
      if (!failures.ok(ohal_mem_alloc(dev, size, kind, 0, &mem), "mem_alloc")) return;
      failures.ok(ohal_memset_async(s, mem, t, 1, size), "memset_async");
      failures.ok(ohal_event_record(e, s), "event_record");
      ohal_pointer_attributes_t a = OHAL_POINTER_ATTRIBUTES_INIT;
      if (failures.ok(ohal_pointer_get_attributes(static_cast<uint8_t*>(mem) + size - 1, &a),
                      "pointer_get_attributes") &&
          (a.base != mem || a.size != size || a.is_registered != 1u)) {
        failures.add("pointer attributes describe another allocation");
      }
      failures.ok(ohal_event_synchronize(e), "event_synchronize");
      if (have_module && i % 20 == 0) {
        ohal_module_t m = nullptr;
        ohal_kernel_t k = nullptr;
        if (failures.ok(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &m),
                        "module_load_bundle")) {
          if (failures.ok(ohal_module_get_kernel(m, "cts_noop", &k), "get_kernel")) {
            failures.ok(cts::launch(s, k, {2}, {2}, 0), "launch noop");
          }
          failures.ok(ohal_module_unload(m), "module_unload");
        }
      }
      failures.ok(ohal_event_destroy(e), "event_destroy");
      failures.ok(ohal_stream_destroy(s), "stream_destroy");
      failures.ok(ohal_mem_free(mem), "mem_free");
    }
  };
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (auto& th : threads) th.join();
  INFO(failures.summary());
  CHECK(failures.count() == 0);
}

TEST_CASE("threading: eight threads launching on one shared stream", "[threading]") {
  CTS_KERNEL(inc, "cts_inc");
  cts::Stream stream;
  cts::Buffer counter(4);
  REQUIRE_OK(ohal_memset_async(stream, counter.get(), 0u, 4, 1));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  const uint32_t per_thread = 2000;
  Failures failures;
  ohal_stream_t shared = stream.get();
  void* ptr = counter.get();
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (uint32_t i = 0; i < per_thread; ++i) {
        if (!failures.ok(cts::launch(shared, inc, {1}, {1}, 0, ptr), "launch inc")) return;
      }
    });
  }
  for (auto& th : threads) th.join();
  INFO(failures.summary());
  CHECK(failures.count() == 0);
  CHECK(cts::download<uint32_t>(stream, counter.get(), 1)[0] == per_thread * kThreads);
}

TEST_CASE("threading: queries racing with destroy never crash", "[threading]") {
  ohal_device_t dev = cts::device();
  const uint32_t count = 2000;
  std::vector<ohal_event_t> events(count, nullptr);
  std::vector<ohal_stream_t> streams(count / 10, nullptr);
  for (auto& e : events) REQUIRE_OK(ohal_event_create(dev, 0, &e));
  for (auto& s : streams) REQUIRE_OK(ohal_stream_create(dev, 0, &s));
  Failures failures;
  std::atomic<bool> done{false};
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      while (!done.load()) {
        const ohal_result_t r = ohal_event_query(events[rng() % count]);
        if (r != OHAL_SUCCESS && r != OHAL_ERROR_INVALID_HANDLE) failures.ok(r, "event_query");
        const ohal_result_t q = ohal_stream_query(streams[rng() % streams.size()]);
        if (q != OHAL_SUCCESS && q != OHAL_ERROR_INVALID_HANDLE) failures.ok(q, "stream_query");
      }
    });
  }
  for (auto& e : events) failures.ok(ohal_event_destroy(e), "event_destroy");
  for (auto& s : streams) failures.ok(ohal_stream_destroy(s), "stream_destroy");
  done = true;
  for (auto& th : threads) th.join();
  INFO(failures.summary());
  CHECK(failures.count() == 0);
}
