// The CPU baseline's thread pool: an in-order task queue over one std::thread per core, the
// plain way a C++ programmer writes it without a HAL. Workers and waiters block on condition
// variables and never spin, so the baseline is straightforward code, not a tuned runtime.
#ifndef OHAL_BENCH_CPU_WORKERS_H
#define OHAL_BENCH_CPU_WORKERS_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ohal_bench {

class CpuWorkers {
 public:
  // Runs part `part` of `parts` of a task.
  using Fn = void (*)(void* context, uint32_t part, uint32_t parts);

  explicit CpuWorkers(uint32_t count);
  ~CpuWorkers();
  CpuWorkers(const CpuWorkers&) = delete;
  CpuWorkers& operator=(const CpuWorkers&) = delete;

  uint32_t size() const { return static_cast<uint32_t>(threads_.size()); }
  // Queues a task whose parts 0..parts-1 run in parallel on workers 0..parts-1, after every
  // task queued before it finished. parts is clamped to 1..size().
  void enqueue(Fn fn, void* context, uint32_t parts);
  // Blocks until every queued task finished.
  void wait();

 private:
  struct Task {
    Fn fn;
    void* context;
    uint32_t parts;
    uint64_t sequence;
  };
  void worker_main(uint32_t index);

  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::condition_variable idle_cv_;
  std::deque<Task> queue_;
  uint64_t next_sequence_ = 1;
  uint32_t finished_parts_ = 0;  // of queue_.front()
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ohal_bench

#endif  // OHAL_BENCH_CPU_WORKERS_H
