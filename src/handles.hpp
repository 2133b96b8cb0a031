// Handle table: API handles encode (magic, type, generation, slot) and are checked against the
// table, so a destroyed, stale, foreign or garbage handle is rejected without ever being
// dereferenced. Each call holds a reference on the object it uses; destroy retires the slot
// (new lookups fail) and waits for the calls in flight to drop their references.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal {

enum class HandleType : uint32_t { kDevice = 1, kStream = 2, kEvent = 3, kModule = 4, kKernel = 5 };

const char* handle_type_name(HandleType type) noexcept;

struct Object;

class HandleTable {
 public:
  static HandleTable& instance() noexcept;

  // Registers object and returns its encoded handle value (0 when out of memory or slots).
  uint64_t insert(HandleType type, Object* object) noexcept;

  // Takes a reference on the live object behind handle, or returns nullptr.
  Object* acquire(uint64_t handle, HandleType type) noexcept;
  void release(uint64_t handle) noexcept;

  // Retires the slot so that no new acquire succeeds, waits until the caller's reference is the
  // last, and frees the slot for reuse under a new generation. The caller must hold a reference
  // (from acquire) and must not release it afterwards. Returns false if another thread retired
  // the handle first (then the caller's reference was dropped).
  bool retire(uint64_t handle) noexcept;

  // Handles of every live object (for ohal_shutdown).
  std::vector<uint64_t> live_handles();

 private:
  static constexpr uint32_t kChunkBits = 12;
  static constexpr uint32_t kChunkSize = 1u << kChunkBits;
  static constexpr uint32_t kMaxChunks = 4096;  // 16M live handles

  struct Slot {
    // [63:40] generation, [32] live, [31:0] references.
    std::atomic<uint64_t> state{0};
    std::atomic<Object*> object{nullptr};
    std::atomic<HandleType> type{HandleType::kDevice};
  };

  Slot* slot(uint32_t index) const noexcept;

  std::atomic<Slot*> chunks_[kMaxChunks] = {};
  std::mutex mutex_;  // guards free_ and chunk creation
  std::vector<uint32_t> free_;
  uint32_t next_index_ = 0;
};

// A reference on a live object of type T for the duration of an API call.
template <typename T>
class Ref {
 public:
  Ref() = default;
  explicit Ref(ohal_result_t error) noexcept : error_(error) {}
  Ref(uint64_t handle, T* object) noexcept : handle_(handle), object_(object) {}
  Ref(Ref&& other) noexcept : handle_(other.handle_), object_(other.object_) {
    other.object_ = nullptr;
  }
  Ref& operator=(Ref&&) = delete;
  Ref(const Ref&) = delete;
  ~Ref() {
    if (object_ != nullptr) HandleTable::instance().release(handle_);
  }
  T* operator->() const noexcept { return object_; }
  T* get() const noexcept { return object_; }
  explicit operator bool() const noexcept { return object_ != nullptr; }
  uint64_t handle() const noexcept { return handle_; }
  // Why acquiring failed (INVALID_HANDLE or NOT_INITIALIZED).
  ohal_result_t error() const noexcept { return error_; }
  // Gives up the reference without releasing it (HandleTable::retire took it over).
  void forget() noexcept { object_ = nullptr; }

 private:
  uint64_t handle_ = 0;
  T* object_ = nullptr;
  ohal_result_t error_ = OHAL_ERROR_INVALID_HANDLE;
};

}  // namespace ohal
