// Streams. A stream is in the pool's ready queue at most once; the worker that takes it runs its
// operations in order. An operation that goes async (a launch spread over the workers, a wait
// on an event) leaves the stream with no worker until resume() puts it back, so no worker ever
// blocks on another stream's progress.
#include "stream.h"

#include "device.h"

namespace ohal::cpu_ref {

namespace {
constexpr int kBurst = 32;  // operations a worker runs before letting other streams in
}

ohal_result_t Stream::submit(std::unique_ptr<Op> op, uint64_t* seq) {
  bool kick = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (failed_.load(std::memory_order_relaxed)) {
      return set_error(error_, "the stream failed earlier: " + error_message_);
    }
    ops_.push_back(std::move(op));
    const uint64_t n = submitted_.fetch_add(1) + 1;
    if (seq != nullptr) *seq = n;
    if (state_ == State::kIdle) {
      state_ = State::kQueued;
      kick = true;
    }
  }
  if (kick) ThreadPool::instance().schedule(shared_from_this());
  return OHAL_SUCCESS;
}

void Stream::wait_for(uint64_t seq) {
  wait_until([this, seq] { return completed_.load() >= seq; }, mu_, cv_, sleepers_);
}

ohal_result_t Stream::synchronize() {
  wait_for(submitted_.load());
  return sticky();
}

ohal_result_t Stream::query() {
  if (ohal_result_t r = sticky(); r != OHAL_SUCCESS) return r;
  return completed_.load() >= submitted_.load() ? OHAL_SUCCESS : OHAL_NOT_READY;
}

ohal_result_t Stream::sticky() const {
  if (!failed()) return OHAL_SUCCESS;
  std::lock_guard<std::mutex> lock(mu_);
  return set_error(error_, "the stream failed earlier: " + error_message_);
}

ohal_result_t Stream::error(std::string* message) const {
  if (!failed()) return OHAL_SUCCESS;
  std::lock_guard<std::mutex> lock(mu_);
  if (message != nullptr) *message = error_message_;
  return error_;
}

void Stream::fail(ohal_result_t result, const std::string& message) {
  std::lock_guard<std::mutex> lock(mu_);
  if (failed_.load(std::memory_order_relaxed)) return;
  error_ = result;
  error_message_ = message;
  failed_.store(true, std::memory_order_release);
  log(OHAL_LOG_LEVEL_INFO, "stream failed: " + message);
}

bool Stream::claim_idle() {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_ != State::kIdle || !ops_.empty() || failed_.load(std::memory_order_relaxed)) {
    return false;
  }
  state_ = State::kRunning;  // submissions from other threads now queue behind this one
  submitted_.fetch_add(1);
  return true;
}

void Stream::release_claim() {
  op_done();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ops_.empty()) {
      state_ = State::kIdle;
      return;
    }
    state_ = State::kQueued;
  }
  ThreadPool::instance().schedule(shared_from_this());
}

void Stream::op_done() {
  completed_.fetch_add(1);
  wake_waiters(mu_, cv_, sleepers_);
}

void Stream::run(Worker& worker) {
  std::shared_ptr<Stream> self = shared_from_this();  // keeps the stream while ops run
  for (int n = 0; n < kBurst; ++n) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (ops_.empty()) {
        state_ = State::kIdle;
        return;
      }
      state_ = State::kRunning;
      current_ = std::move(ops_.front());
      ops_.pop_front();
    }
    if (current_->execute(*this, worker) == Exec::kAsync) return;
    current_.reset();
    op_done();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ops_.empty()) {
      state_ = State::kIdle;
      return;
    }
    state_ = State::kQueued;
  }
  ThreadPool::instance().schedule(std::move(self));
}

void Stream::resume() {
  std::shared_ptr<Stream> self = shared_from_this();
  current_.reset();
  op_done();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (ops_.empty()) {
      state_ = State::kIdle;
      return;
    }
    state_ = State::kQueued;
  }
  ThreadPool::instance().schedule(std::move(self));
}

namespace {

class HostFuncOp final : public Op {
 public:
  HostFuncOp(ohal_host_func_t func, void* user_data) : func_(func), user_data_(user_data) {}
  Exec execute(Stream& stream, Worker&) override {
    if (stream.failed()) return Exec::kDone;
    try {
      func_(user_data_);
    } catch (...) {  // a C++ callback must not take the worker down
      stream.fail(OHAL_ERROR_LAUNCH_FAILED, "a host function threw a C++ exception");
    }
    return Exec::kDone;
  }

 private:
  ohal_host_func_t func_;
  void* user_data_;
};

}  // namespace

ohal_result_t launch_host_func(Stream& stream, ohal_host_func_t func, void* user_data) {
  std::unique_ptr<Op> op;
  try {
    op = std::make_unique<HostFuncOp>(func, user_data);
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for a host function");
  }
  return stream.submit(std::move(op));
}

}  // namespace ohal::cpu_ref
