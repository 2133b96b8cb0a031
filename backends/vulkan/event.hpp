// Events: a point on a stream's timeline, plus a timestamp query when timing is enabled.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "stream.hpp"

namespace ohal::vk {

class Event {
 public:
  static ohal_result_t create(Device& device, uint32_t flags, Event** out);
  static ohal_result_t destroy(Event* event);

  ohal_result_t record(Stream& stream);
  ohal_result_t synchronize();
  ohal_result_t query();
  // The recorded point, for stream_wait_event (value 0: never recorded).
  void point(std::shared_ptr<Timeline>& timeline, uint64_t& value);
  static ohal_result_t elapsed(Event& start, Event& end, float& milliseconds);

  Device& device;
  const bool timing;

 private:
  Event(Device& d, bool t) : device(d), timing(t) {}
  ~Event();

  // A one-query pool, reusable once the recording that wrote it completed.
  struct Slot {
    VkQueryPool pool = VK_NULL_HANDLE;
    std::shared_ptr<Timeline> timeline;
    uint64_t value = 0;
  };
  ohal_result_t free_slot(size_t& index);
  ohal_result_t timestamp(int64_t& ticks);

  std::mutex mutex_;
  std::shared_ptr<Timeline> timeline_;
  uint64_t value_ = 0;
  bool recorded_ = false;
  int slot_ = -1;
  std::vector<Slot> slots_;
};

inline Event* to_event(ohal_bevent_t handle) {
  return reinterpret_cast<Event*>(handle);
}
inline ohal_bevent_t to_handle(Event* event) {
  return reinterpret_cast<ohal_bevent_t>(event);
}

}  // namespace ohal::vk
