// Backend-wide state of the Level Zero plugin and the objects behind its handles.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "openai_hal/backend.h"
#include "ze_event_pool.h"
#include "ze_loader.h"

namespace ohal::ze {

class HostFuncWorker;

// The real seam under EventAllocator: event pools of one context.
class ZeEventPoolDriver final : public EventPoolDriver {
 public:
  ZeEventPoolDriver(ze_context_handle_t context, bool timestamps)
      : context_(context), timestamps_(timestamps) {}
  ohal_result_t create_pool(uint32_t capacity, void** pool) override;
  ohal_result_t create_event(void* pool, uint32_t index, void** event) override;
  ohal_result_t reset_event(void* event) override;
  void destroy_event(void* event) noexcept override;
  void destroy_pool(void* pool) noexcept override;

 private:
  ze_context_handle_t context_;
  bool timestamps_;
};

// One context per driver; its devices share the event pools.
struct Driver {
  ze_driver_handle_t handle = nullptr;
  ze_context_handle_t context = nullptr;
  ze_api_version_t api_version = ZE_API_VERSION_1_0;
  std::unique_ptr<ZeEventPoolDriver> plain_pools;
  std::unique_ptr<ZeEventPoolDriver> timing_pools;
  std::unique_ptr<EventAllocator> plain_events;   // markers, host-function handshakes
  std::unique_ptr<EventAllocator> timing_events;  // kernel-timestamp events for timed ohal events
};

struct Stream;

struct Device {
  Driver* driver = nullptr;
  ze_device_handle_t handle = nullptr;
  ze_device_properties_t props{};
  ze_device_compute_properties_t compute{};
  ze_device_module_properties_t module{};
  ze_device_memory_access_properties_t access{};
  uint64_t total_memory = 0;
  std::atomic<uint64_t> allocated{0};  // bytes of DEVICE allocations made through the backend
  uint32_t compute_ordinal = 0;        // command queue group that takes kernels
  uint32_t pci[4] = {UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX};

  // Every live stream, for device_synchronize, which syncs copies of these references without
  // the lock (a host function may create streams meanwhile); a stream destroyed during such a
  // sync lives on until the sync lets go of it.
  std::mutex streams_mutex;
  std::vector<std::shared_ptr<Stream>> streams;
  std::mutex internal_mutex;  // the stream used for OHAL_MEM_FLAG_ZERO fills
  Stream* internal_stream = nullptr;
  std::mutex worker_mutex;
  std::unique_ptr<HostFuncWorker> worker;  // runs host functions; started on first use

  Device();
  ~Device();
};

// A slot a stream keeps alive until the device has passed the command that uses it. Markers are
// slots the stream itself signals (barriers), so a signaled marker proves everything before it
// finished, and with it every hold up to it can go.
struct Hold {
  EventSlot* slot;
  EventAllocator* allocator;
  bool marker;
  uint64_t seq;  // Stream::appended when the hold was made
};

struct Stream {
  Stream() = default;
  ~Stream();  // releases the remaining holds and destroys the command list
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  Device* device = nullptr;
  ze_command_list_handle_t list = nullptr;  // in-order by barriers (spec 1.4 has no IN_ORDER)
  std::mutex mutex;                         // guards the list, holds and sticky state
  std::deque<Hold> holds;
  uint64_t appended = 0;  // commands appended, markers and ordering barriers excluded
  // Fill patterns with the `appended` of their fill, kept until a marker after them signals:
  // the spec does not say the driver copies the pattern during the call. A deque keeps the
  // addresses of its elements when pushing at the back and popping at the front.
  std::deque<std::pair<uint64_t, uint32_t>> fill_patterns;
  bool work_since_barrier = false;  // a command since the last barrier: order the next one
  ohal_result_t sticky = OHAL_SUCCESS;
  std::string sticky_message;
};

struct Event {
  Device* device = nullptr;
  uint32_t flags = 0;
  std::mutex mutex;
  EventSlot* slot = nullptr;  // the last record's slot (one reference); nullptr: never recorded
  EventAllocator* allocator = nullptr;
};

struct Allocation {
  Device* device = nullptr;
  void* ptr = nullptr;
  size_t size = 0;
  ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE;
};

struct Module;

struct Kernel {
  Module* module = nullptr;
  ze_kernel_handle_t handle = nullptr;
  std::string name;
  ze_kernel_properties_t props{};
  std::mutex mutex;  // argument and group-size state lives in the kernel object until the append
};

struct Module {
  Device* device = nullptr;
  ze_module_handle_t handle = nullptr;
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<Kernel>, std::less<>> kernels;
};

struct State {
  const ohal_host_services_t* host = nullptr;
  ZeApi api;
  std::vector<std::unique_ptr<Driver>> drivers;
  std::vector<std::unique_ptr<Device>> devices;
};

State& state();
ohal_result_t fail(ohal_result_t result, const std::string& message);
// ZE_RESULT_SUCCESS -> OHAL_SUCCESS, ZE_RESULT_NOT_READY -> OHAL_NOT_READY, else the mapped
// error with "call: ZE_RESULT_... (0x...)".
ohal_result_t check(ze_result_t result, const char* call);
void log(ohal_log_level_t level, const std::string& message);

// Stream internals shared by the files that append work (ze_stream.cpp). All take the stream's
// mutex as held unless they say otherwise.
ohal_result_t stream_sticky_locked(Stream& stream);
// Checks a native result of work on the stream; device loss becomes the stream's sticky error.
ohal_result_t stream_check_locked(Stream& stream, ze_result_t result, const char* call);
// Orders the next command after everything before it (a barrier when work is pending), then
// counts it as appended; call before each append of work.
ohal_result_t stream_order_locked(Stream& stream);
// A slot from `allocator`, reaping the stream's finished holds when the pool is full.
ohal_result_t stream_acquire_slot_locked(Stream& stream, EventAllocator& allocator,
                                         EventSlot** slot);
// Appends a barrier signaling a new slot of `allocator`, held by the stream as a marker; *slot
// gets an extra reference for the caller.
ohal_result_t stream_append_marker_locked(Stream& stream, EventAllocator& allocator,
                                          EventSlot** slot);
// Releases the holds the device has passed.
void stream_reap_locked(Stream& stream);
// Blocks until the stream's work so far finished (takes the mutex itself).
ohal_result_t stream_sync(Stream& stream);
// Creates and destroys streams (also used for a device's internal stream).
ohal_result_t create_stream(Device& device, Stream** out);
void destroy_stream(Stream* stream);

template <typename T, typename H>
T* from_handle(H handle) noexcept {
  return reinterpret_cast<T*>(handle);
}
template <typename H, typename T>
H to_handle(T* object) noexcept {
  return reinterpret_cast<H>(object);
}

}  // namespace ohal::ze
