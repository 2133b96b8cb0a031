// Events. Recording queues an operation that completes a fresh timeline point; re-recording
// replaces the event's point, and waits already queued keep the point they captured.
#include "event.h"

#include "stream.h"
#include "thread_pool.h"

namespace ohal::cpu_ref {

void TimelinePoint::complete(ohal_result_t error, const std::string& message) {
  std::vector<std::shared_ptr<Stream>> waiters;
  {
    std::lock_guard<std::mutex> lock(mu_);
    time_ = std::chrono::steady_clock::now();
    error_ = error;
    message_ = message;
    done_.store(true);
    waiters.swap(waiters_);
  }
  wake_waiters(mu_, cv_, sleepers_);
  for (const auto& stream : waiters) stream->resume();
}

bool TimelinePoint::park(std::shared_ptr<Stream> stream) {
  std::lock_guard<std::mutex> lock(mu_);
  if (done_.load()) return false;
  waiters_.push_back(std::move(stream));
  return true;
}

void TimelinePoint::wait() {
  wait_until([this] { return done_.load(); }, mu_, cv_, sleepers_);
}

ohal_result_t TimelinePoint::error(std::string* message) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (message != nullptr) *message = message_;
  return error_;
}

std::shared_ptr<TimelinePoint> Event::point() const {
  std::lock_guard<std::mutex> lock(mu_);
  return point_;
}

void Event::set_point(std::shared_ptr<TimelinePoint> point) {
  std::lock_guard<std::mutex> lock(mu_);
  point_ = std::move(point);
}

namespace {

class RecordOp final : public Op {
 public:
  explicit RecordOp(std::shared_ptr<TimelinePoint> point) : point_(std::move(point)) {}
  Exec execute(Stream& stream, Worker&) override {
    std::string message;
    const ohal_result_t error = stream.error(&message);  // events after a failure carry it
    point_->complete(error, message);
    return Exec::kDone;
  }

 private:
  std::shared_ptr<TimelinePoint> point_;
};

class WaitOp final : public Op {
 public:
  explicit WaitOp(std::shared_ptr<TimelinePoint> point) : point_(std::move(point)) {}
  Exec execute(Stream& stream, Worker&) override {
    if (stream.failed()) return Exec::kDone;
    // Park the stream instead of the worker; complete() resumes it.
    return point_->park(stream.shared_from_this()) ? Exec::kAsync : Exec::kDone;
  }

 private:
  std::shared_ptr<TimelinePoint> point_;
};

ohal_result_t point_error(const TimelinePoint& point) {
  std::string message;
  const ohal_result_t error = point.error(&message);
  if (error == OHAL_SUCCESS) return OHAL_SUCCESS;
  return set_error(error, "the recording stream failed before the event: " + message);
}

}  // namespace

ohal_result_t record_event(Event& event, Stream& stream) {
  std::shared_ptr<TimelinePoint> point;
  std::unique_ptr<Op> op;
  try {
    point = std::make_shared<TimelinePoint>();
    op = std::make_unique<RecordOp>(point);
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for an event record");
  }
  if (ohal_result_t r = stream.sticky(); r != OHAL_SUCCESS) return r;
  // An idle stream has nothing before the event: it completes now, without a worker (which
  // may all be busy, e.g. in host functions).
  if (!stream.run_inline([&] { point->complete(OHAL_SUCCESS, std::string()); })) {
    if (ohal_result_t r = stream.submit(std::move(op)); r != OHAL_SUCCESS) return r;
  }
  event.set_point(std::move(point));
  return OHAL_SUCCESS;
}

ohal_result_t stream_wait_event(Stream& stream, const Event& event) {
  if (ohal_result_t r = stream.sticky(); r != OHAL_SUCCESS) return r;
  std::shared_ptr<TimelinePoint> point = event.point();
  if (!point || point->done()) return OHAL_SUCCESS;  // nothing left to wait for
  std::unique_ptr<Op> op;
  try {
    op = std::make_unique<WaitOp>(std::move(point));
  } catch (const std::bad_alloc&) {
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for an event wait");
  }
  return stream.submit(std::move(op));
}

ohal_result_t event_synchronize(const Event& event) {
  std::shared_ptr<TimelinePoint> point = event.point();
  if (!point) return OHAL_SUCCESS;
  point->wait();
  return point_error(*point);
}

ohal_result_t event_query(const Event& event) {
  std::shared_ptr<TimelinePoint> point = event.point();
  if (!point) return OHAL_SUCCESS;
  if (!point->done()) return OHAL_NOT_READY;
  return point_error(*point);
}

ohal_result_t event_elapsed_time(const Event& start, const Event& end, float* milliseconds) {
  if ((start.flags() | end.flags()) & OHAL_EVENT_FLAG_DISABLE_TIMING) {
    return set_error(OHAL_ERROR_UNSUPPORTED,
                     "an event was created with OHAL_EVENT_FLAG_DISABLE_TIMING");
  }
  std::shared_ptr<TimelinePoint> a = start.point();
  std::shared_ptr<TimelinePoint> b = end.point();
  if (!a || !b) {
    return set_error(OHAL_ERROR_INVALID_VALUE, !a ? "the start event was never recorded"
                                                  : "the end event was never recorded");
  }
  if (!a->done() || !b->done()) return OHAL_NOT_READY;
  if (ohal_result_t r = point_error(*a); r != OHAL_SUCCESS) return r;
  if (ohal_result_t r = point_error(*b); r != OHAL_SUCCESS) return r;
  *milliseconds = std::chrono::duration<float, std::milli>(b->time() - a->time()).count();
  return OHAL_SUCCESS;
}

}  // namespace ohal::cpu_ref
