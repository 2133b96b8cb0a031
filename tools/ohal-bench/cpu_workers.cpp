#include "cpu_workers.h"

#include <algorithm>

namespace ohal_bench {

CpuWorkers::CpuWorkers(uint32_t count) {
  count = std::max<uint32_t>(count, 1);
  threads_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) threads_.emplace_back([this, i] { worker_main(i); });
}

CpuWorkers::~CpuWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void CpuWorkers::enqueue(Fn fn, void* context, uint32_t parts) {
  parts = std::clamp<uint32_t>(parts, 1, size());
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    was_empty = queue_.empty();
    queue_.push_back({fn, context, parts, next_sequence_++});
  }
  if (was_empty) work_cv_.notify_all();
}

void CpuWorkers::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_cv_.wait(lock, [this] { return queue_.empty(); });
}

void CpuWorkers::worker_main(uint32_t index) {
  uint64_t last_done = 0;  // sequence of the last task this worker ran its part of
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_cv_.wait(lock, [&] {
      return stop_ || (!queue_.empty() && queue_.front().sequence != last_done &&
                       index < queue_.front().parts);
    });
    if (stop_) return;
    const Task task = queue_.front();
    last_done = task.sequence;
    lock.unlock();
    task.fn(task.context, index, task.parts);
    lock.lock();
    if (++finished_parts_ == task.parts) {
      finished_parts_ = 0;
      queue_.pop_front();
      if (queue_.empty()) {
        idle_cv_.notify_all();
      } else {
        work_cv_.notify_all();
      }
    }
  }
}

}  // namespace ohal_bench
