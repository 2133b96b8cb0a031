#include "ze_event_pool.h"

namespace ohal::ze {

EventAllocator::EventAllocator(EventPoolDriver& driver, uint32_t events_per_pool,
                               uint32_t max_pools)
    : driver_(driver),
      events_per_pool_(events_per_pool == 0 ? 1 : events_per_pool),
      max_pools_(max_pools == 0 ? 1 : max_pools) {}

EventAllocator::~EventAllocator() {
  for (const auto& slot : slots_) {
    if (slot->event != nullptr) driver_.destroy_event(slot->event);
  }
  for (void* pool : pools_) driver_.destroy_pool(pool);
}

ohal_result_t EventAllocator::acquire(EventSlot** out) {
  std::lock_guard lock(mutex_);
  if (free_.empty()) {
    if (pools_.size() >= max_pools_) return OHAL_ERROR_BUSY;
    void* pool = nullptr;
    const ohal_result_t created = driver_.create_pool(events_per_pool_, &pool);
    if (created != OHAL_SUCCESS) return created;
    const auto pool_index = static_cast<uint32_t>(pools_.size());
    pools_.push_back(pool);
    // Lowest index ends up last in free_, so slots are handed out in pool order.
    for (uint32_t i = events_per_pool_; i-- > 0;) {
      auto slot = std::make_unique<EventSlot>();
      slot->pool = pool_index;
      slot->index = i;
      free_.push_back(slot.get());
      slots_.push_back(std::move(slot));
    }
  }
  EventSlot* slot = free_.back();
  if (slot->event == nullptr) {
    // zeEventCreate must not run concurrently on one pool: the allocator's lock covers it.
    const ohal_result_t created =
        driver_.create_event(pools_[slot->pool], slot->index, &slot->event);
    if (created != OHAL_SUCCESS) {
      slot->event = nullptr;
      return created;
    }
  }
  free_.pop_back();
  slot->refs = 1;
  ++in_use_;
  *out = slot;
  return OHAL_SUCCESS;
}

void EventAllocator::retain(EventSlot* slot) {
  std::lock_guard lock(mutex_);
  ++slot->refs;
}

void EventAllocator::release(EventSlot* slot) {
  std::lock_guard lock(mutex_);
  if (slot->refs == 0) return;  // defensive: a double release must not corrupt the free list
  if (--slot->refs != 0) return;
  if (driver_.reset_event(slot->event) != OHAL_SUCCESS) {
    driver_.destroy_event(slot->event);
    slot->event = nullptr;
  }
  --in_use_;
  free_.push_back(slot);
}

uint32_t EventAllocator::pool_count() const {
  std::lock_guard lock(mutex_);
  return static_cast<uint32_t>(pools_.size());
}

uint32_t EventAllocator::slots_in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

}  // namespace ohal::ze
