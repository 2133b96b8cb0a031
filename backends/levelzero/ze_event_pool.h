// Level Zero events come from fixed-size event pools. EventAllocator hands out reference-counted
// slots, creates pools on demand up to a fixed bound, and recycles a slot (host reset) once its
// last user drops it, so a long-running program reuses a few pools instead of growing.
//
// The driver side sits behind EventPoolDriver so the bookkeeping is unit-tested without Level
// Zero (tests/levelzero/test_event_pool.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal::ze {

// The seam: what the allocator asks of the driver. Failures set the thread's error message
// (through the backend's host services) and return the HAL result.
class EventPoolDriver {
 public:
  virtual ~EventPoolDriver() = default;
  virtual ohal_result_t create_pool(uint32_t capacity, void** pool) = 0;
  virtual ohal_result_t create_event(void* pool, uint32_t index, void** event) = 0;
  // Returns a signaled event to the unsignaled state (zeEventHostReset).
  virtual ohal_result_t reset_event(void* event) = 0;
  virtual void destroy_event(void* event) noexcept = 0;
  virtual void destroy_pool(void* pool) noexcept = 0;
};

struct EventSlot {
  void* event = nullptr;  // the driver's event; created on first use of the slot
  uint32_t pool = 0;      // which pool and index it lives at
  uint32_t index = 0;
  uint32_t refs = 0;  // guarded by the allocator's mutex
};

class EventAllocator {
 public:
  EventAllocator(EventPoolDriver& driver, uint32_t events_per_pool, uint32_t max_pools);
  ~EventAllocator();  // destroys every event and pool (users must be done with them)
  EventAllocator(const EventAllocator&) = delete;
  EventAllocator& operator=(const EventAllocator&) = delete;

  // A reset slot holding one reference. OHAL_ERROR_BUSY (message left to the caller) when every
  // slot of max_pools pools is referenced; driver failures pass through.
  ohal_result_t acquire(EventSlot** slot);
  void retain(EventSlot* slot);
  // Drops a reference; the last one resets the event and puts the slot back on the free list.
  // A slot whose reset fails is destroyed and its event made afresh on the next use.
  void release(EventSlot* slot);

  uint32_t pool_count() const;
  uint32_t slots_in_use() const;
  uint32_t capacity() const { return events_per_pool_ * max_pools_; }

 private:
  EventPoolDriver& driver_;
  const uint32_t events_per_pool_;
  const uint32_t max_pools_;
  mutable std::mutex mutex_;
  std::vector<void*> pools_;
  std::vector<std::unique_ptr<EventSlot>> slots_;  // every slot of every created pool
  std::vector<EventSlot*> free_;                   // slots with refs == 0, most recent last
  uint32_t in_use_ = 0;
};

}  // namespace ohal::ze
