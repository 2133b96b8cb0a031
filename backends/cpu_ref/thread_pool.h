// The process-wide worker pool: one worker per core executes every stream's operations and
// spreads launches and large copies over all workers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cpu_ref.h"
#include "fibers.h"

namespace ohal::cpu_ref {

class Stream;

// What a worker owns to run blocks: its kernel stacks and fibers and the block-shared memory.
struct Worker {
  explicit Worker(uint32_t worker_index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  uint32_t index;
  FiberSet fibers;
  unsigned char* static_shared;   // kMaxSharedBytes, 64-byte aligned
  unsigned char* dynamic_shared;  // kMaxSharedBytes, 64-byte aligned
};

// Items [0, total) handed out to workers in chunks.
class Job {
 public:
  Job(uint64_t total, uint64_t chunk) : total_(total), chunk_(chunk > 0 ? chunk : 1) {}
  virtual ~Job() = default;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  // Runs items [begin, end) on worker.
  virtual void run(uint64_t begin, uint64_t end, Worker& worker) = 0;
  // Every item ran; called once, on the worker that finished the last one.
  virtual void complete() = 0;

  uint64_t total() const { return total_; }

 private:
  friend class ThreadPool;
  const uint64_t total_;
  const uint64_t chunk_;
  alignas(64) std::atomic<uint64_t> next_{0};
  alignas(64) std::atomic<uint64_t> done_{0};
};

class ThreadPool {
 public:
  static ThreadPool& instance();

  // Starts the workers (OHAL_CPU_REF_THREADS, else one per core the process may use).
  ohal_result_t start();
  // Joins the workers; their stacks and shared memory go with them.
  void stop();
  uint32_t size() const { return static_cast<uint32_t>(workers_.size()); }

  // Queues a stream that has work and no worker on it.
  void schedule(std::shared_ptr<Stream> stream);
  // Publishes job to every worker and works on it from the calling worker until its items are
  // all handed out. The job's complete() runs on whichever worker finishes last.
  void run_job(const std::shared_ptr<Job>& job, Worker& self);

  // The calling thread's worker; nullptr on other threads.
  static Worker* current();
  // Runs one piece of pending work on the calling worker; false when there was none. Workers
  // that wait (a host function synchronizing) call it so that waits cannot starve the pool.
  bool help_once(Worker& self);

  // Spins for a short while until done() holds; true if it did.
  template <class Pred>
  static bool spin_until(Pred done, int microseconds);

 private:
  ThreadPool() = default;
  void worker_main(Worker* worker);
  bool try_job(Worker& self);
  std::shared_ptr<Stream> pop_stream();
  void work_on(const std::shared_ptr<Job>& job, Worker& self);
  void retire(const std::shared_ptr<Job>& job);
  bool has_work() const {
    return ready_count_.load(std::memory_order_acquire) > 0 ||
           open_jobs_.load(std::memory_order_acquire) > 0;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Stream>> ready_;
  std::vector<std::shared_ptr<Job>> jobs_;
  std::atomic<uint32_t> ready_count_{0};
  std::atomic<uint32_t> open_jobs_{0};
  uint32_t sleepers_ = 0;
  bool stop_ = false;
  std::vector<std::unique_ptr<Worker>> worker_state_;
  std::vector<std::thread> workers_;
};

void cpu_relax();

template <class Pred>
bool ThreadPool::spin_until(Pred done, int microseconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::microseconds(microseconds);
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= end) return done();
  }
}

// Blocks the calling thread until done() holds. Spins briefly first (short waits stay off the
// scheduler); on a worker it runs pending work instead of sleeping; elsewhere it sleeps on cv
// (notified under m by whoever makes done() true).
template <class Pred>
void wait_until(Pred done, std::mutex& m, std::condition_variable& cv,
                std::atomic<uint32_t>& sleepers) {
  if (ThreadPool::spin_until(done, 20)) return;
  if (Worker* self = ThreadPool::current()) {
    while (!done()) {
      if (!ThreadPool::instance().help_once(*self)) {
        std::this_thread::sleep_for(std::chrono::microseconds(20));
      }
    }
    return;
  }
  std::unique_lock<std::mutex> lock(m);
  sleepers.fetch_add(1, std::memory_order_seq_cst);
  cv.wait(lock, done);
  sleepers.fetch_sub(1, std::memory_order_relaxed);
}

// The waker's half of wait_until: call after making done() true.
inline void wake_waiters(std::mutex& m, std::condition_variable& cv,
                         std::atomic<uint32_t>& sleepers) {
  if (sleepers.load(std::memory_order_seq_cst) == 0) return;
  std::lock_guard<std::mutex> lock(m);
  cv.notify_all();
}

}  // namespace ohal::cpu_ref
