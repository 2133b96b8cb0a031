// The allocation registry: every live HAL allocation by address range, so that copies find
// their direction and bounds, and pointer attributes can be answered for any address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "openai_hal/backend.h"

namespace ohal {

struct Device;

struct Allocation {
  uintptr_t base;
  size_t size;
  Device* device;
  ohal_mem_kind_t kind;
  void* backend_alloc;
  void* device_ptr;
};

class Registry {
 public:
  static Registry& instance() noexcept;

  // False when [base, base + size) overlaps a live allocation (a backend broke uniqueness).
  bool insert(const Allocation& allocation);
  // Removes the allocation whose base is exactly ptr.
  std::optional<Allocation> remove(const void* ptr);
  // The allocation containing ptr.
  std::optional<Allocation> find(const void* ptr) const;
  // True when some allocation begins inside (ptr, ptr + size): a pageable range that runs into
  // HAL memory.
  bool range_touches_allocation(const void* ptr, size_t size) const;
  // Removes and returns every allocation of device.
  std::vector<Allocation> remove_device(const Device* device);

 private:
  mutable std::shared_mutex mutex_;
  std::map<uintptr_t, Allocation> by_base_;
};

}  // namespace ohal
