// EventAllocator through its seam: a driver stand-in that counts pools and events and records
// resets, so recycling and the growth bound are checked without Level Zero.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "ze_event_pool.h"

using namespace ohal::ze;

namespace {

class CountingDriver final : public EventPoolDriver {
 public:
  int pools_created = 0;
  int pools_destroyed = 0;
  int events_created = 0;
  int events_destroyed = 0;
  int resets = 0;
  bool fail_pool = false;
  bool fail_reset = false;
  int violations = 0;  // driver misuse seen (counted, not asserted: threads call in here)
  std::set<std::pair<void*, uint32_t>> created;  // (pool, index): each at most once alive

  ohal_result_t create_pool(uint32_t capacity, void** pool) override {
    if (fail_pool) return OHAL_ERROR_OUT_OF_DEVICE_MEMORY;
    if (capacity != 4) ++violations;
    *pool = reinterpret_cast<void*>(static_cast<uintptr_t>(0x1000 * ++pools_created));
    return OHAL_SUCCESS;
  }
  ohal_result_t create_event(void* pool, uint32_t index, void** event) override {
    if (index >= 4 || !created.insert({pool, index}).second) ++violations;
    ++events_created;
    *event = static_cast<char*>(pool) + index + 1;
    return OHAL_SUCCESS;
  }
  ohal_result_t reset_event(void*) override {
    ++resets;
    return fail_reset ? OHAL_ERROR_DEVICE_LOST : OHAL_SUCCESS;
  }
  void destroy_event(void* event) noexcept override {
    ++events_destroyed;
    auto address = reinterpret_cast<uintptr_t>(event);
    created.erase({reinterpret_cast<void*>(address & ~uintptr_t{0xfff}),
                   static_cast<uint32_t>((address & 0xfff) - 1)});
  }
  void destroy_pool(void*) noexcept override { ++pools_destroyed; }
};

}  // namespace

TEST_CASE("released events are reset and reused instead of growing pools", "[ze][pool]") {
  CountingDriver driver;
  {
    EventAllocator allocator(driver, 4, 2);
    for (int i = 0; i < 1000; ++i) {
      EventSlot* slot = nullptr;
      REQUIRE(allocator.acquire(&slot) == OHAL_SUCCESS);
      allocator.release(slot);
    }
    CHECK(allocator.pool_count() == 1);
    CHECK(driver.events_created == 1);  // the same slot every time
    CHECK(driver.resets == 1000);
    CHECK(allocator.slots_in_use() == 0);
  }
  CHECK(driver.pools_destroyed == 1);
  CHECK(driver.events_destroyed == 1);
  CHECK(driver.violations == 0);
}

TEST_CASE("pools grow up to the bound, then acquire reports BUSY", "[ze][pool]") {
  CountingDriver driver;
  EventAllocator allocator(driver, 4, 2);
  CHECK(allocator.capacity() == 8);
  std::vector<EventSlot*> held;
  std::set<void*> events;
  for (int i = 0; i < 8; ++i) {
    EventSlot* slot = nullptr;
    REQUIRE(allocator.acquire(&slot) == OHAL_SUCCESS);
    CHECK(slot->refs == 1);
    events.insert(slot->event);
    held.push_back(slot);
  }
  CHECK(events.size() == 8);  // every live slot is a distinct event
  CHECK(allocator.pool_count() == 2);
  EventSlot* extra = nullptr;
  CHECK(allocator.acquire(&extra) == OHAL_ERROR_BUSY);
  CHECK(allocator.pool_count() == 2);

  allocator.release(held[5]);
  REQUIRE(allocator.acquire(&extra) == OHAL_SUCCESS);
  CHECK(extra == held[5]);  // the freed slot comes back
  CHECK(driver.pools_created == 2);
  held[5] = extra;
  for (EventSlot* slot : held) allocator.release(slot);
  CHECK(allocator.slots_in_use() == 0);
  CHECK(driver.violations == 0);
}

TEST_CASE("a slot is recycled only after its last reference", "[ze][pool]") {
  CountingDriver driver;
  EventAllocator allocator(driver, 4, 1);
  EventSlot* slot = nullptr;
  REQUIRE(allocator.acquire(&slot) == OHAL_SUCCESS);
  allocator.retain(slot);  // e.g. a stream waiting on it
  allocator.retain(slot);  // e.g. a host-function job
  allocator.release(slot);
  allocator.release(slot);
  CHECK(driver.resets == 0);
  CHECK(allocator.slots_in_use() == 1);
  allocator.release(slot);
  CHECK(driver.resets == 1);
  CHECK(allocator.slots_in_use() == 0);
  allocator.release(slot);  // a stray extra release must not free it twice
  CHECK(driver.resets == 1);
  EventSlot* a = nullptr;
  EventSlot* b = nullptr;
  REQUIRE(allocator.acquire(&a) == OHAL_SUCCESS);
  REQUIRE(allocator.acquire(&b) == OHAL_SUCCESS);
  CHECK(a != b);
}

TEST_CASE("a slot whose reset fails gets a fresh event", "[ze][pool]") {
  CountingDriver driver;
  EventAllocator allocator(driver, 4, 1);
  EventSlot* slot = nullptr;
  REQUIRE(allocator.acquire(&slot) == OHAL_SUCCESS);
  driver.fail_reset = true;
  allocator.release(slot);
  CHECK(driver.events_destroyed == 1);
  driver.fail_reset = false;
  REQUIRE(allocator.acquire(&slot) == OHAL_SUCCESS);
  CHECK(slot->event != nullptr);
  CHECK(driver.events_created == 2);
  allocator.release(slot);
}

TEST_CASE("driver failures pass through and leave the allocator usable", "[ze][pool]") {
  CountingDriver driver;
  EventAllocator allocator(driver, 4, 2);
  driver.fail_pool = true;
  EventSlot* slot = nullptr;
  CHECK(allocator.acquire(&slot) == OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(allocator.pool_count() == 0);
  driver.fail_pool = false;
  CHECK(allocator.acquire(&slot) == OHAL_SUCCESS);
  allocator.release(slot);
}

TEST_CASE("threads acquiring and releasing never share a live slot", "[ze][pool]") {
  CountingDriver driver;
  EventAllocator allocator(driver, 4, 4);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  std::mutex live_mutex;
  std::set<EventSlot*> live;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        EventSlot* slot = nullptr;
        if (allocator.acquire(&slot) != OHAL_SUCCESS) {
          ++failures;
          continue;
        }
        {
          std::lock_guard lock(live_mutex);
          if (!live.insert(slot).second) ++failures;
        }
        {
          std::lock_guard lock(live_mutex);
          live.erase(slot);
        }
        allocator.release(slot);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  CHECK(allocator.slots_in_use() == 0);
  CHECK(allocator.pool_count() == 1);  // at most 4 live at once: one pool of 4 suffices
  CHECK(driver.violations == 0);
}
