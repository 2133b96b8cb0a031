#include "hal_ops.h"

#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "test_data.h"

namespace ohal_bench {
namespace {

[[noreturn]] void fail(ohal_result_t r, const char* call) {
  check(r, call);
  throw BenchError(fmt::format("{}: unexpected success", call));
}

class StreamQuery final : public Op {
 public:
  explicit StreamQuery(HalSession& session) : stream_(session.stream()) {
    check(ohal_stream_synchronize(stream_), "ohal_stream_synchronize");
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      const ohal_result_t r = ohal_stream_query(stream_);
      if (r != OHAL_SUCCESS) [[unlikely]]
        fail(r, "ohal_stream_query (idle stream)");
    }
  }
  std::string verify() override { return {}; }

 private:
  ohal_stream_t stream_;
};

class EventQuery final : public Op {
 public:
  explicit EventQuery(HalSession& session) {
    check(ohal_event_create(session.device(), OHAL_EVENT_FLAG_NONE, &event_), "ohal_event_create");
    check(ohal_event_record(event_, session.stream()), "ohal_event_record");
    check(ohal_event_synchronize(event_), "ohal_event_synchronize");
  }
  ~EventQuery() override { ohal_event_destroy(event_); }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      const ohal_result_t r = ohal_event_query(event_);
      if (r != OHAL_SUCCESS) [[unlikely]]
        fail(r, "ohal_event_query (completed event)");
    }
  }
  std::string verify() override { return {}; }

 private:
  ohal_event_t event_ = nullptr;
};

// A launch whose arguments are packed once, so the timed loop is the API call alone.
class Launcher {
 public:
  Launcher(HalSession& session, const char* kernel, uint32_t grid, uint32_t block)
      : stream_(session.stream()), kernel_(session.kernel(kernel)) {
    config_.grid[0] = grid;
    config_.block[0] = block;
  }
  // `value` must outlive the launcher.
  template <typename T>
  void arg(const T& value) {
    args_.push_back({&value, sizeof(T)});
  }
  void launch() {
    const ohal_result_t r =
        ohal_launch(stream_, kernel_, &config_, static_cast<uint32_t>(args_.size()), args_.data());
    if (r != OHAL_SUCCESS) [[unlikely]]
      fail(r, "ohal_launch");
  }
  void synchronize() {
    const ohal_result_t r = ohal_stream_synchronize(stream_);
    if (r != OHAL_SUCCESS) [[unlikely]]
      fail(r, "ohal_stream_synchronize");
  }

 private:
  ohal_stream_t stream_;
  ohal_kernel_t kernel_;
  ohal_launch_config_t config_ = OHAL_LAUNCH_CONFIG_INIT;
  std::vector<ohal_kernel_arg_t> args_;
};

class LaunchLatency final : public Op {
 public:
  explicit LaunchLatency(HalSession& session) : launcher_(session, "ohal_bench_empty", 1, 1) {
    launcher_.arg(unused_);
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      launcher_.launch();
      launcher_.synchronize();
    }
  }
  std::string verify() override { return {}; }

 private:
  uint32_t unused_ = 0;
  Launcher launcher_;
};

class LaunchThroughput final : public Op {
 public:
  explicit LaunchThroughput(HalSession& session) : launcher_(session, "ohal_bench_empty", 1, 1) {
    launcher_.arg(unused_);
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) launcher_.launch();
    launcher_.synchronize();
  }
  std::string verify() override { return {}; }

 private:
  uint32_t unused_ = 0;
  Launcher launcher_;
};

// The host side of a copy is pageable (a std::vector) or pinned (an OHAL_MEM_KIND_HOST
// allocation, which the CPU addresses directly).
class Memcpy final : public Op {
 public:
  Memcpy(HalSession& session, CopyKind kind, uint64_t bytes, bool pinned_host)
      : stream_(session.stream()),
        bytes_(bytes),
        salt_(static_cast<uint32_t>(kind) + (pinned_host ? 11u : 1u)) {
    std::vector<uint8_t> pattern = copy_pattern(bytes, salt_);
    uint8_t* host = nullptr;
    if (kind != CopyKind::kDeviceToDevice) {
      if (pinned_host) {
        void* p = nullptr;
        const ohal_result_t r =
            ohal_mem_alloc(session.device(), bytes, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_NONE, &p);
        if (r == OHAL_ERROR_UNSUPPORTED) {
          throw BenchUnsupported(fmt::format("no HOST memory: {}", ohal_last_error_message()));
        }
        check(r, "ohal_mem_alloc (HOST)");
        pinned_.reset(static_cast<uint8_t*>(p));
        host = pinned_.get();
      } else {
        host_.assign(bytes, 0);  // touched now, so no page fault is timed
        host = host_.data();
      }
      host_ptr_ = host;
    }
    switch (kind) {
      case CopyKind::kHostToDevice:
        std::memcpy(host, pattern.data(), bytes);
        device_dst_ = std::make_unique<DeviceBuffer>(session, bytes);
        src_ = host;
        dst_ = device_dst_->get();
        break;
      case CopyKind::kDeviceToHost:
        device_src_ = std::make_unique<DeviceBuffer>(session, bytes);
        check(ohal_memcpy(device_src_->get(), pattern.data(), bytes), "ohal_memcpy (upload)");
        std::memset(host, 0, bytes);
        src_ = device_src_->get();
        dst_ = host;
        break;
      case CopyKind::kDeviceToDevice:
        device_src_ = std::make_unique<DeviceBuffer>(session, bytes);
        device_dst_ = std::make_unique<DeviceBuffer>(session, bytes);
        check(ohal_memcpy(device_src_->get(), pattern.data(), bytes), "ohal_memcpy (upload)");
        src_ = device_src_->get();
        dst_ = device_dst_->get();
        break;
    }
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      ohal_result_t r = ohal_memcpy_async(stream_, dst_, src_, bytes_);
      if (r != OHAL_SUCCESS) [[unlikely]]
        fail(r, "ohal_memcpy_async");
      r = ohal_stream_synchronize(stream_);
      if (r != OHAL_SUCCESS) [[unlikely]]
        fail(r, "ohal_stream_synchronize");
    }
  }
  std::string verify() override {
    if (!device_dst_) return check_copy(host_ptr_, bytes_, salt_);
    std::vector<uint8_t> result(bytes_);
    check(ohal_memcpy(result.data(), device_dst_->get(), bytes_), "ohal_memcpy (download)");
    return check_copy(result.data(), bytes_, salt_);
  }

 private:
  struct FreeHost {
    void operator()(uint8_t* p) const { ohal_mem_free(p); }
  };
  ohal_stream_t stream_;
  uint64_t bytes_;
  uint32_t salt_;
  std::vector<uint8_t> host_;                  // the pageable side, if any
  std::unique_ptr<uint8_t, FreeHost> pinned_;  // the pinned side, if any
  const uint8_t* host_ptr_ = nullptr;          // whichever of the two there is
  std::unique_ptr<DeviceBuffer> device_src_, device_dst_;
  const void* src_ = nullptr;
  void* dst_ = nullptr;
};

std::unique_ptr<DeviceBuffer> upload(HalSession& session, const std::vector<float>& values) {
  auto buffer = std::make_unique<DeviceBuffer>(session, values.size() * sizeof(float));
  check(ohal_memcpy(buffer->get(), values.data(), values.size() * sizeof(float)),
        "ohal_memcpy (upload)");
  return buffer;
}

std::vector<float> download(const DeviceBuffer& buffer, size_t count) {
  std::vector<float> values(count);
  check(ohal_memcpy(values.data(), buffer.get(), count * sizeof(float)), "ohal_memcpy (download)");
  return values;
}

class Saxpy final : public Op {
 public:
  Saxpy(HalSession& session, uint32_t n)
      : n_(n),
        x_(upload(session, saxpy_x_values(n))),
        y_(upload(session, saxpy_y0_values(n))),
        x_ptr_(x_->get()),
        y_ptr_(y_->get()),
        launcher_(session, "ohal_bench_saxpy", (n + 255) / 256, 256) {
    launcher_.arg(n_);
    launcher_.arg(a_);
    launcher_.arg(x_ptr_);
    launcher_.arg(y_ptr_);
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      launcher_.launch();
      launcher_.synchronize();
    }
    updates_ += iterations;
  }
  std::string verify() override { return check_saxpy(download(*y_, n_).data(), n_, updates_); }

 private:
  uint32_t n_;
  float a_ = kSaxpyA;
  std::unique_ptr<DeviceBuffer> x_, y_;
  const void* x_ptr_;
  void* y_ptr_;
  Launcher launcher_;
  uint64_t updates_ = 0;
};

class BlockReduce final : public Op {
 public:
  BlockReduce(HalSession& session, uint32_t n, uint32_t block, uint32_t items)
      : n_(n),
        items_(items),
        blocks_(reduce_block_count(n, block, items)),
        x_(upload(session, reduce_input_values(n))),
        partial_(std::make_unique<DeviceBuffer>(session, size_t{blocks_} * sizeof(float))),
        x_ptr_(x_->get()),
        partial_ptr_(partial_->get()),
        launcher_(session, "ohal_bench_block_reduce", blocks_, block),
        expected_(reduce_expected(n, block, items)) {
    launcher_.arg(n_);
    launcher_.arg(items_);
    launcher_.arg(x_ptr_);
    launcher_.arg(partial_ptr_);
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      launcher_.launch();
      launcher_.synchronize();
    }
  }
  std::string verify() override {
    return check_reduce(download(*partial_, blocks_).data(), expected_);
  }

 private:
  uint32_t n_, items_, blocks_;
  std::unique_ptr<DeviceBuffer> x_, partial_;
  const void* x_ptr_;
  void* partial_ptr_;
  Launcher launcher_;
  std::vector<float> expected_;
};

}  // namespace

std::unique_ptr<Op> hal_stream_query(HalSession& session) {
  return std::make_unique<StreamQuery>(session);
}
std::unique_ptr<Op> hal_event_query(HalSession& session) {
  return std::make_unique<EventQuery>(session);
}
std::unique_ptr<Op> hal_launch_latency(HalSession& session) {
  return std::make_unique<LaunchLatency>(session);
}
std::unique_ptr<Op> hal_launch_throughput(HalSession& session) {
  return std::make_unique<LaunchThroughput>(session);
}
std::unique_ptr<Op> hal_memcpy(HalSession& session, CopyKind kind, uint64_t bytes,
                               bool pinned_host) {
  return std::make_unique<Memcpy>(session, kind, bytes, pinned_host);
}
std::unique_ptr<Op> hal_saxpy(HalSession& session, uint32_t n) {
  return std::make_unique<Saxpy>(session, n);
}
std::unique_ptr<Op> hal_block_reduce(HalSession& session, uint32_t n, uint32_t block,
                                     uint32_t items) {
  return std::make_unique<BlockReduce>(session, n, block, items);
}

}  // namespace ohal_bench
