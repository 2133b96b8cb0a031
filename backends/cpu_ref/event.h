// Events: a recorded event is a point on a stream's timeline that completes, with a timestamp,
// when the stream's work before it finished.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cpu_ref.h"

namespace ohal::cpu_ref {

class Stream;

class TimelinePoint {
 public:
  // The stream reached the point: stamp it, carry the stream's sticky error, wake waiters
  // (parked streams resume, synchronizing threads return).
  void complete(ohal_result_t error, const std::string& message);
  bool done() const { return done_.load(); }
  // Parks stream until the point completes; false when it already did.
  bool park(std::shared_ptr<Stream> stream);
  void wait();
  // Valid once done().
  std::chrono::steady_clock::time_point time() const { return time_; }
  ohal_result_t error(std::string* message) const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<uint32_t> sleepers_{0};
  std::atomic<bool> done_{false};
  std::chrono::steady_clock::time_point time_{};
  ohal_result_t error_ = OHAL_SUCCESS;
  std::string message_;
  std::vector<std::shared_ptr<Stream>> waiters_;
};

class Event {
 public:
  explicit Event(uint32_t flags) : flags_(flags) {}
  uint32_t flags() const { return flags_; }
  // The point of the latest record; nullptr when never recorded.
  std::shared_ptr<TimelinePoint> point() const;
  void set_point(std::shared_ptr<TimelinePoint> point);

 private:
  const uint32_t flags_;
  mutable std::mutex mu_;
  std::shared_ptr<TimelinePoint> point_;
};

// Stream operations of events.
ohal_result_t record_event(Event& event, Stream& stream);
ohal_result_t stream_wait_event(Stream& stream, const Event& event);
ohal_result_t event_synchronize(const Event& event);
ohal_result_t event_query(const Event& event);
ohal_result_t event_elapsed_time(const Event& start, const Event& end, float* milliseconds);

}  // namespace ohal::cpu_ref
