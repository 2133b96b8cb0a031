#include "staging.hpp"

#include <bit>

#include "device.hpp"

namespace ohal::vk {

ohal_result_t StagingPool::acquire(uint64_t size, Buffer& out) {
  const uint64_t want = std::bit_ceil(std::max(size, kMinSize));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.lower_bound(want);
    // Take an idle buffer up to twice the size class, so big ones are not wasted on small copies.
    if (it != free_.end() && it->first <= want * 2) {
      out = it->second;
      cached_bytes_ -= it->first;
      free_.erase(it);
      return OHAL_SUCCESS;
    }
  }
  return create_buffer(device_, want, MemoryUse::kStaging, true, out);
}

void StagingPool::release(Buffer& buffer) noexcept {
  if (buffer.buffer == VK_NULL_HANDLE) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cached_bytes_ + buffer.size <= kMaxCachedBytes) {
      cached_bytes_ += buffer.size;
      free_.emplace(buffer.size, buffer);
      buffer = Buffer{};
      return;
    }
  }
  destroy_buffer(device_, buffer);
}

void StagingPool::clear() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [size, buffer] : free_) destroy_buffer(device_, buffer);
  free_.clear();
  cached_bytes_ = 0;
}

}  // namespace ohal::vk
