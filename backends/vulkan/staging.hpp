// Host-visible staging buffers for pageable copies and kernel argument blocks, reused by
// power-of-two size class.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>

#include "memory.hpp"

namespace ohal::vk {

class StagingPool {
 public:
  static constexpr uint64_t kMinSize = 64u << 10;
  static constexpr uint64_t kMaxCachedBytes = 256u << 20;

  explicit StagingPool(Device& device) : device_(device) {}
  ~StagingPool() { clear(); }
  StagingPool(const StagingPool&) = delete;
  StagingPool& operator=(const StagingPool&) = delete;

  // A mapped buffer of at least `size` bytes (error set on failure).
  ohal_result_t acquire(uint64_t size, Buffer& out);
  // Returns a buffer whose GPU use finished; frees it when the pool holds enough.
  void release(Buffer& buffer) noexcept;
  void clear() noexcept;

 private:
  Device& device_;
  std::mutex mutex_;
  std::multimap<uint64_t, Buffer> free_;
  uint64_t cached_bytes_ = 0;
};

}  // namespace ohal::vk
