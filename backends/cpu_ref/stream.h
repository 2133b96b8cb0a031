// Streams: in-order queues of operations that the worker pool executes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "cpu_ref.h"
#include "thread_pool.h"

namespace ohal::cpu_ref {

class Device;
class Stream;

enum class Exec { kDone, kAsync };

// One operation of a stream.
class Op {
 public:
  virtual ~Op() = default;
  // Runs on a worker once every earlier operation of the stream finished. kAsync: the operation
  // continues elsewhere (a job, a wait) and calls stream.resume() when it finished.
  virtual Exec execute(Stream& stream, Worker& worker) = 0;
};

class Stream : public std::enable_shared_from_this<Stream> {
 public:
  explicit Stream(Device& device) : device_(device) {}
  Device& device() const { return device_; }

  // Appends op; its sequence number (1, 2, ...) goes to seq. A failed stream takes nothing and
  // returns its sticky error.
  ohal_result_t submit(std::unique_ptr<Op> op, uint64_t* seq = nullptr);
  // Blocks until operation seq finished.
  void wait_for(uint64_t seq);
  bool finished(uint64_t seq) const { return completed_.load() >= seq; }
  uint64_t submitted() const { return submitted_.load(); }

  ohal_result_t synchronize();
  ohal_result_t query();
  // The sticky error through set_error, or OHAL_SUCCESS.
  ohal_result_t sticky() const;
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  // Records the stream's first failure; later operations are skipped.
  void fail(ohal_result_t result, const std::string& message);
  // The sticky error and its message (OHAL_SUCCESS when none).
  ohal_result_t error(std::string* message) const;

  // Runs fn() on the calling thread as the stream's next operation, if the stream is idle (no
  // queued work, no worker on it): small copies then cost no hand-over to the pool. False when
  // the stream is busy or failed; the caller then submits an operation instead.
  template <class F>
  bool run_inline(F&& fn);

  // Worker side: executes operations in order until the queue is empty or one goes async.
  void run(Worker& worker);
  // An async operation finished: count it and continue with the next.
  void resume();

 private:
  enum class State { kIdle, kQueued, kRunning };
  void op_done();
  bool claim_idle();
  void release_claim();

  Device& device_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Op>> ops_;
  std::unique_ptr<Op> current_;  // touched only by the worker that runs or resumes it
  State state_ = State::kIdle;
  std::atomic<uint64_t> submitted_{0};
  std::atomic<uint64_t> completed_{0};
  std::atomic<uint32_t> sleepers_{0};
  std::atomic<bool> failed_{false};
  ohal_result_t error_ = OHAL_SUCCESS;  // under mu_
  std::string error_message_;           // under mu_
};

template <class F>
bool Stream::run_inline(F&& fn) {
  if (!claim_idle()) return false;
  fn();
  release_claim();
  return true;
}

// Queues func(user_data) on the stream; it runs on a worker in stream order.
ohal_result_t launch_host_func(Stream& stream, ohal_host_func_t func, void* user_data);

}  // namespace ohal::cpu_ref
