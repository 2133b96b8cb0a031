// Backend-wide state of the HIP plugin and the objects behind its handles.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "hip_api.h"
#include "openai_hal/backend.h"

namespace ohal::hip {

struct Device {
  int ordinal = 0;
  hipDeviceProp_t props{};
  uint8_t uuid[OHAL_UUID_SIZE] = {};
  std::string target;  // target ID for code objects and hiprtc ("gfx90a:sramecc+:xnack-")
};

struct Allocation {
  Device* device = nullptr;
  void* ptr = nullptr;         // HAL pointer (host address for HOST and SHARED)
  void* device_ptr = nullptr;  // what kernels use
  size_t size = 0;
  ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE;
};

struct Stream {
  Device* device = nullptr;
  hipStream_t handle = nullptr;
  std::mutex mutex;                     // guards the sticky error
  ohal_result_t sticky = OHAL_SUCCESS;  // a fault seen on this stream, reported from then on
  std::string sticky_message;
};

struct Event {
  Device* device = nullptr;
  hipEvent_t handle = nullptr;
  uint32_t flags = 0;
};

struct Module;

struct Kernel {
  Module* module = nullptr;
  hipFunction_t function = nullptr;
  std::string name;
};

struct Module {
  Device* device = nullptr;
  hipModule_t handle = nullptr;
  std::vector<uint8_t> image;  // kept for the module's life: the runtime may refer to it
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<Kernel>, std::less<>> kernels;
};

struct State {
  const ohal_host_services_t* host = nullptr;
  HipApi api;
  std::vector<std::unique_ptr<Device>> devices;
};

State& state();

// Attaches message to the calling thread's error (through the front-end) and returns result.
ohal_result_t fail(ohal_result_t result, const std::string& message);
// Maps a HIP return code: hipSuccess -> OHAL_SUCCESS, hipErrorNotReady -> OHAL_NOT_READY, any
// other -> the mapped error with "call: hipErrorName (code)".
ohal_result_t check(hipError_t error, const char* call);
void log(ohal_log_level_t level, const std::string& message);

// Makes `device` current on the calling thread.
ohal_result_t bind(const Device& device);

// Stream helpers: the stream's sticky error if it has one; a failed HIP call on the stream,
// which becomes sticky when it reports a fault.
ohal_result_t stream_sticky(Stream& stream);
ohal_result_t stream_check(Stream& stream, hipError_t error, const char* call);

template <typename T, typename H>
T* from_handle(H handle) noexcept {
  return reinterpret_cast<T*>(handle);
}
template <typename H, typename T>
H to_handle(T* object) noexcept {
  return reinterpret_cast<H>(object);
}

}  // namespace ohal::hip
