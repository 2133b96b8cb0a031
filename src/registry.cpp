#include "registry.hpp"

#include <mutex>

namespace ohal {

Registry& Registry::instance() noexcept {
  static Registry* registry = new Registry();
  return *registry;
}

bool Registry::insert(const Allocation& allocation) {
  std::unique_lock lock(mutex_);
  auto next = by_base_.lower_bound(allocation.base);
  if (next != by_base_.end() && next->first < allocation.base + allocation.size) return false;
  if (next != by_base_.begin()) {
    const Allocation& previous = std::prev(next)->second;
    if (previous.base + previous.size > allocation.base) return false;
  }
  by_base_.emplace_hint(next, allocation.base, allocation);
  return true;
}

std::optional<Allocation> Registry::remove(const void* ptr) {
  std::unique_lock lock(mutex_);
  auto it = by_base_.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == by_base_.end()) return std::nullopt;
  Allocation allocation = it->second;
  by_base_.erase(it);
  return allocation;
}

std::optional<Allocation> Registry::find(const void* ptr) const {
  const uintptr_t address = reinterpret_cast<uintptr_t>(ptr);
  std::shared_lock lock(mutex_);
  auto it = by_base_.upper_bound(address);
  if (it == by_base_.begin()) return std::nullopt;
  const Allocation& allocation = std::prev(it)->second;
  if (address - allocation.base >= allocation.size) return std::nullopt;
  return allocation;
}

bool Registry::range_touches_allocation(const void* ptr, size_t size) const {
  const uintptr_t address = reinterpret_cast<uintptr_t>(ptr);
  std::shared_lock lock(mutex_);
  auto it = by_base_.upper_bound(address);
  return it != by_base_.end() && it->first - address < size;
}

std::vector<Allocation> Registry::remove_device(const Device* device) {
  std::vector<Allocation> removed;
  std::unique_lock lock(mutex_);
  for (auto it = by_base_.begin(); it != by_base_.end();) {
    if (it->second.device == device) {
      removed.push_back(it->second);
      it = by_base_.erase(it);
    } else {
      ++it;
    }
  }
  return removed;
}

}  // namespace ohal
