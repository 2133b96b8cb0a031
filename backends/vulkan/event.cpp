#include "event.hpp"

namespace ohal::vk {

ohal_result_t Event::create(Device& device, uint32_t flags, Event** out) {
  if (ohal_result_t lost = device.check_lost(); lost != OHAL_SUCCESS) return lost;
  const bool timing =
      (flags & OHAL_EVENT_FLAG_DISABLE_TIMING) == 0 && device.timestamp_valid_bits > 0;
  device.reap_deferred(false);
  *out = new Event(device, timing);
  return OHAL_SUCCESS;
}

Event::~Event() {
  for (Slot& slot : slots_) {
    ohal_result_t r = OHAL_SUCCESS;
    if (slot.timeline && slot.timeline->completed(r) < slot.value && r == OHAL_SUCCESS) {
      // A submitted batch still writes this query: destroy it once that batch finished.
      Device* d = &device;
      VkQueryPool pool = slot.pool;
      device.defer(slot.timeline, slot.value,
                   [d, pool] { d->fn.vkDestroyQueryPool(d->device, pool, nullptr); });
    } else {
      device.fn.vkDestroyQueryPool(device.device, slot.pool, nullptr);
    }
  }
}

ohal_result_t Event::destroy(Event* event) {
  delete event;
  return OHAL_SUCCESS;
}

ohal_result_t Event::free_slot(size_t& index) {
  for (size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    ohal_result_t r = OHAL_SUCCESS;
    if (!slot.timeline ||
        (slot.timeline->completed(r, slot.value) >= slot.value && r == OHAL_SUCCESS)) {
      index = i;
      return OHAL_SUCCESS;
    }
  }
  auto info = vk_struct<VkQueryPoolCreateInfo>(VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO);
  info.queryType = VK_QUERY_TYPE_TIMESTAMP;
  info.queryCount = 1;
  Slot slot;
  VkResult r = device.fn.vkCreateQueryPool(device.device, &info, nullptr, &slot.pool);
  if (r != VK_SUCCESS) return device.vk_fail("vkCreateQueryPool", r);
  slots_.push_back(slot);
  index = slots_.size() - 1;
  return OHAL_SUCCESS;
}

ohal_result_t Event::record(Stream& stream) {
  std::lock_guard<std::mutex> stream_lock(stream.mutex);
  if (ohal_result_t r = stream.sticky_locked(); r != OHAL_SUCCESS) return r;
  std::lock_guard<std::mutex> lock(mutex_);
  int slot = -1;
  if (timing) {
    size_t index = 0;
    if (ohal_result_t r = free_slot(index); r != OHAL_SUCCESS) return r;
    VkCommandBuffer cb = VK_NULL_HANDLE;
    // A timestamp writes no memory: no barrier before it.
    if (ohal_result_t r = stream.begin_locked("event record", cb, false); r != OHAL_SUCCESS)
      return r;
    // BOTTOM_OF_PIPE: the timestamp is taken once all earlier commands finished.
    device.fn.vkCmdResetQueryPool(cb, slots_[index].pool, 0, 1);
    device.fn.vkCmdWriteTimestamp(cb, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, slots_[index].pool, 0);
    slot = static_cast<int>(index);
  }
  if (ohal_result_t r = stream.flush_locked(); r != OHAL_SUCCESS) return r;
  timeline_ = stream.timeline;
  value_ = stream.last_value_locked();
  recorded_ = true;
  slot_ = slot;
  if (slot >= 0) {
    slots_[static_cast<size_t>(slot)].timeline = timeline_;
    slots_[static_cast<size_t>(slot)].value = value_;
  }
  return OHAL_SUCCESS;
}

void Event::point(std::shared_ptr<Timeline>& timeline, uint64_t& value) {
  std::lock_guard<std::mutex> lock(mutex_);
  timeline = timeline_;
  value = recorded_ ? value_ : 0;
}

ohal_result_t Event::synchronize() {
  std::shared_ptr<Timeline> t;
  uint64_t value = 0;
  point(t, value);
  if (!t || value == 0) return OHAL_SUCCESS;
  return t->wait(value);
}

ohal_result_t Event::query() {
  std::shared_ptr<Timeline> t;
  uint64_t value = 0;
  point(t, value);
  if (!t || value == 0) return OHAL_SUCCESS;
  ohal_result_t r = OHAL_SUCCESS;
  const uint64_t done = t->completed(r, value);
  if (r != OHAL_SUCCESS) return r;
  // A failed recording stream never reaches the value: report its error, not NOT_READY.
  if (ohal_result_t failed = t->failure_for(value); failed != OHAL_SUCCESS) return failed;
  return done < value ? OHAL_NOT_READY : OHAL_SUCCESS;
}

ohal_result_t Event::timestamp(int64_t& ticks) {
  std::shared_ptr<Timeline> t;
  uint64_t value = 0;
  VkQueryPool pool = VK_NULL_HANDLE;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!recorded_ || slot_ < 0) {
      return fail(OHAL_ERROR_INVALID_VALUE, "the event was never recorded");
    }
    t = timeline_;
    value = value_;
    pool = slots_[static_cast<size_t>(slot_)].pool;
  }
  ohal_result_t r = OHAL_SUCCESS;
  if (t->completed(r, value) < value) return r != OHAL_SUCCESS ? r : OHAL_NOT_READY;
  if (ohal_result_t failed = t->failure_for(value); failed != OHAL_SUCCESS) return failed;
  uint64_t raw = 0;
  VkResult vr = device.fn.vkGetQueryPoolResults(device.device, pool, 0, 1, sizeof raw, &raw,
                                                sizeof raw, VK_QUERY_RESULT_64_BIT);
  if (vr == VK_NOT_READY) return OHAL_NOT_READY;
  if (vr != VK_SUCCESS) return device.vk_fail("vkGetQueryPoolResults", vr);
  ticks = static_cast<int64_t>(raw);
  return OHAL_SUCCESS;
}

ohal_result_t Event::elapsed(Event& start, Event& end, float& milliseconds) {
  if (!start.timing || !end.timing) {
    return fail(OHAL_ERROR_UNSUPPORTED,
                start.device.timestamp_valid_bits == 0
                    ? "the device's compute queue has no timestamps (timestampValidBits 0)"
                    : "an event was created with OHAL_EVENT_FLAG_DISABLE_TIMING");
  }
  int64_t a = 0, b = 0;
  if (ohal_result_t r = start.timestamp(a); r != OHAL_SUCCESS) return r;
  if (ohal_result_t r = end.timestamp(b); r != OHAL_SUCCESS) return r;
  const uint32_t bits = start.device.timestamp_valid_bits;
  int64_t ticks = b - a;
  if (bits < 64) {
    // Timestamps wrap at validBits: take the difference modulo 2^bits, as a signed number.
    const uint64_t mask = (uint64_t{1} << bits) - 1;
    uint64_t d = (static_cast<uint64_t>(b) - static_cast<uint64_t>(a)) & mask;
    ticks = d > mask / 2 ? -static_cast<int64_t>((mask + 1) - d) : static_cast<int64_t>(d);
  }
  milliseconds =
      static_cast<float>(static_cast<double>(ticks) * start.device.timestamp_period / 1.0e6);
  return OHAL_SUCCESS;
}

}  // namespace ohal::vk
