// Raw baseline for cpu_ref: the same workloads in plain C++ (std::memcpy, loops over the cores on
// a hand-written std::thread pool). cpu_ref's DEVICE memory is host memory, so every copy
// direction is a memcpy between two pageable buffers.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "baseline.h"
#include "cpu_workers.h"
#include "test_data.h"

namespace ohal_bench {
namespace {

void empty_part(void*, uint32_t, uint32_t) {}

// Part `part` of `parts` of [0, n): contiguous ranges, one per worker.
struct Range {
  uint64_t begin, end;
};
Range split(uint64_t n, uint32_t part, uint32_t parts) {
  return {n * part / parts, n * (part + 1) / parts};
}

class LaunchLatency final : public Op {
 public:
  explicit LaunchLatency(CpuWorkers& workers) : workers_(workers) {}
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      workers_.enqueue(empty_part, nullptr, 1);
      workers_.wait();
    }
  }
  std::string verify() override { return {}; }

 private:
  CpuWorkers& workers_;
};

class LaunchThroughput final : public Op {
 public:
  explicit LaunchThroughput(CpuWorkers& workers) : workers_(workers) {}
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) workers_.enqueue(empty_part, nullptr, 1);
    workers_.wait();
  }
  std::string verify() override { return {}; }

 private:
  CpuWorkers& workers_;
};

class Memcpy final : public Op {
 public:
  Memcpy(uint64_t bytes, uint32_t salt)
      : bytes_(bytes), salt_(salt), src_(copy_pattern(bytes, salt)), dst_(bytes) {}
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) std::memcpy(dst_.data(), src_.data(), bytes_);
  }
  std::string verify() override { return check_copy(dst_.data(), bytes_, salt_); }

 private:
  uint64_t bytes_;
  uint32_t salt_;
  std::vector<uint8_t> src_, dst_;
};

class Saxpy final : public Op {
 public:
  Saxpy(CpuWorkers& workers, uint32_t n)
      : workers_(workers), n_(n), x_(saxpy_x_values(n)), y_(saxpy_y0_values(n)) {}
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      workers_.enqueue(part, this, workers_.size());
      workers_.wait();
    }
    updates_ += iterations;
  }
  std::string verify() override { return check_saxpy(y_.data(), n_, updates_); }

 private:
  static void part(void* context, uint32_t p, uint32_t parts) {
    auto* self = static_cast<Saxpy*>(context);
    const Range r = split(self->n_, p, parts);
    const float* x = self->x_.data();
    float* y = self->y_.data();
    for (uint64_t i = r.begin; i < r.end; ++i) y[i] = kSaxpyA * x[i] + y[i];
  }
  CpuWorkers& workers_;
  uint32_t n_;
  std::vector<float> x_, y_;
  uint64_t updates_ = 0;
};

class BlockReduce final : public Op {
 public:
  BlockReduce(CpuWorkers& workers, uint32_t n, uint32_t block, uint32_t items)
      : workers_(workers),
        n_(n),
        chunk_(uint64_t{block} * items),
        x_(reduce_input_values(n)),
        partial_(reduce_block_count(n, block, items)),
        expected_(reduce_expected(n, block, items)) {}
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) {
      workers_.enqueue(part, this, workers_.size());
      workers_.wait();
    }
  }
  std::string verify() override { return check_reduce(partial_.data(), expected_); }

 private:
  // The plain loop: one running sum per block.
  static void part(void* context, uint32_t p, uint32_t parts) {
    auto* self = static_cast<BlockReduce*>(context);
    const Range blocks = split(self->partial_.size(), p, parts);
    const float* x = self->x_.data();
    for (uint64_t b = blocks.begin; b < blocks.end; ++b) {
      const uint64_t end = std::min<uint64_t>((b + 1) * self->chunk_, self->n_);
      float sum = 0.0f;
      for (uint64_t i = b * self->chunk_; i < end; ++i) sum += x[i];
      self->partial_[b] = sum;
    }
  }
  CpuWorkers& workers_;
  uint32_t n_;
  uint64_t chunk_;
  std::vector<float> x_, partial_, expected_;
};

class CpuBaseline final : public RawBaseline {
 public:
  explicit CpuBaseline(uint32_t threads) : workers_(threads) {}
  std::string describe() const override {
    return fmt::format(
        "plain C++: std::memcpy on the calling thread; loops split over {} std::threads "
        "(mutex + condition_variable task queue)",
        workers_.size());
  }
  std::unique_ptr<Op> launch_latency() override {
    return std::make_unique<LaunchLatency>(workers_);
  }
  std::unique_ptr<Op> launch_throughput() override {
    return std::make_unique<LaunchThroughput>(workers_);
  }
  std::unique_ptr<Op> memcpy(CopyKind kind, uint64_t bytes) override {
    return std::make_unique<Memcpy>(bytes, static_cast<uint32_t>(kind) + 1);
  }
  std::unique_ptr<Op> saxpy(uint32_t n) override { return std::make_unique<Saxpy>(workers_, n); }
  std::unique_ptr<Op> block_reduce(uint32_t n, uint32_t block, uint32_t items) override {
    return std::make_unique<BlockReduce>(workers_, n, block, items);
  }

 private:
  CpuWorkers workers_;
};

std::unique_ptr<RawBaseline> make_cpu_baseline(const BaselineTarget& target, std::string*) {
  // As many threads as the device has compute units (cpu_ref: one worker per core).
  uint32_t threads = target.properties.compute_units;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  return std::make_unique<CpuBaseline>(threads);
}

}  // namespace

OHAL_BENCH_REGISTER_BASELINE("cpu_ref", make_cpu_baseline);

}  // namespace ohal_bench
