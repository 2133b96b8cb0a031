#include "handles.hpp"

#include <new>
#include <thread>

namespace ohal {
namespace {

// Handle layout: [63:60] magic, [59:56] type, [55:32] generation (24 bits), [31:0] slot + 1.
constexpr uint64_t kMagic = 0xAull;
constexpr uint64_t kGenerationMask = 0xFFFFFFull;
constexpr uint64_t kLive = 1ull << 32;
constexpr uint64_t kRefMask = 0xFFFFFFFFull;

uint64_t encode(HandleType type, uint64_t generation, uint32_t index) noexcept {
  return (kMagic << 60) | (static_cast<uint64_t>(type) << 56) |
         ((generation & kGenerationMask) << 32) | (static_cast<uint64_t>(index) + 1);
}

uint64_t generation_of_state(uint64_t state) noexcept {
  return state >> 40;
}

}  // namespace

const char* handle_type_name(HandleType type) noexcept {
  switch (type) {
    case HandleType::kDevice:
      return "device";
    case HandleType::kStream:
      return "stream";
    case HandleType::kEvent:
      return "event";
    case HandleType::kModule:
      return "module";
    case HandleType::kKernel:
      return "kernel";
  }
  return "object";
}

HandleTable& HandleTable::instance() noexcept {
  // Never destroyed: handles may be checked during static destruction of other libraries.
  static HandleTable* table = new HandleTable();
  return *table;
}

HandleTable::Slot* HandleTable::slot(uint32_t index) const noexcept {
  const uint32_t chunk = index >> kChunkBits;
  if (chunk >= kMaxChunks) return nullptr;
  Slot* base = chunks_[chunk].load(std::memory_order_acquire);
  return base == nullptr ? nullptr : base + (index & (kChunkSize - 1));
}

uint64_t HandleTable::insert(HandleType type, Object* object) noexcept {
  uint32_t index = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      if (next_index_ >= kChunkSize * kMaxChunks) return 0;
      index = next_index_;
      const uint32_t chunk = index >> kChunkBits;
      if (chunks_[chunk].load(std::memory_order_relaxed) == nullptr) {
        Slot* fresh = new (std::nothrow) Slot[kChunkSize];
        if (fresh == nullptr) return 0;
        chunks_[chunk].store(fresh, std::memory_order_release);
      }
      ++next_index_;
    }
  }
  Slot* s = slot(index);
  const uint64_t generation = generation_of_state(s->state.load(std::memory_order_relaxed));
  s->object.store(object, std::memory_order_relaxed);
  s->type.store(type, std::memory_order_relaxed);
  s->state.store((generation << 40) | kLive, std::memory_order_release);
  return encode(type, generation, index);
}

Object* HandleTable::acquire(uint64_t handle, HandleType type) noexcept {
  if ((handle >> 60) != kMagic || ((handle >> 56) & 0xF) != static_cast<uint64_t>(type)) {
    return nullptr;
  }
  const uint64_t low = handle & 0xFFFFFFFFull;
  if (low == 0) return nullptr;
  Slot* s = slot(static_cast<uint32_t>(low - 1));
  if (s == nullptr) return nullptr;
  const uint64_t generation = (handle >> 32) & kGenerationMask;
  uint64_t state = s->state.load(std::memory_order_acquire);
  for (;;) {
    if ((state & kLive) == 0 || generation_of_state(state) != generation) return nullptr;
    if ((state & kRefMask) == kRefMask) return nullptr;  // cannot count more references
    if (s->state.compare_exchange_weak(state, state + 1, std::memory_order_acquire,
                                       std::memory_order_acquire)) {
      return s->object.load(std::memory_order_relaxed);
    }
  }
}

void HandleTable::release(uint64_t handle) noexcept {
  Slot* s = slot(static_cast<uint32_t>((handle & 0xFFFFFFFFull) - 1));
  s->state.fetch_sub(1, std::memory_order_release);
}

bool HandleTable::retire(uint64_t handle) noexcept {
  const uint32_t index = static_cast<uint32_t>((handle & 0xFFFFFFFFull) - 1);
  Slot* s = slot(index);
  uint64_t state = s->state.load(std::memory_order_acquire);
  do {
    if ((state & kLive) == 0) {  // another destroy won; drop our reference
      s->state.fetch_sub(1, std::memory_order_release);
      return false;
    }
  } while (!s->state.compare_exchange_weak(state, state & ~kLive, std::memory_order_acq_rel,
                                           std::memory_order_acquire));
  // Calls in flight finish quickly (or, like synchronize, when their work does).
  for (unsigned spins = 0; (s->state.load(std::memory_order_acquire) & kRefMask) != 1; ++spins) {
    if (spins > 64) std::this_thread::yield();
  }
  const uint64_t next_generation = (generation_of_state(state) + 1) & kGenerationMask;
  s->object.store(nullptr, std::memory_order_relaxed);
  s->state.store(next_generation << 40, std::memory_order_release);
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    free_.push_back(index);
  } catch (...) {
    // Out of memory: the slot is leaked, never reused, which is safe.
  }
  return true;
}

std::vector<uint64_t> HandleTable::live_handles() {
  std::vector<uint64_t> handles;
  uint32_t count = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    count = next_index_;
  }
  for (uint32_t index = 0; index < count; ++index) {
    Slot* s = slot(index);
    const uint64_t state = s->state.load(std::memory_order_acquire);
    Object* object = s->object.load(std::memory_order_relaxed);
    if ((state & kLive) == 0 || object == nullptr) continue;
    handles.push_back(
        encode(s->type.load(std::memory_order_relaxed), generation_of_state(state), index));
  }
  return handles;
}

}  // namespace ohal
