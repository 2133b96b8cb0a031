// Front-end objects and the process-wide runtime state (plugins, devices).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "errors.hpp"
#include "handles.hpp"
#include "openai_hal/backend.h"

namespace ohal {

struct Plugin {
  std::string name;
  std::string path;
  std::string version;
  ohal_backend_status_t status = OHAL_BACKEND_STATUS_FAILED;
  std::string reason;
  uint32_t device_count = 0;
  uint32_t abi_version = 0;
  void* library = nullptr;
  const ohal_backend_t* table = nullptr;  // &table_copy once loaded
  // The plugin's table widened to this front-end's size: entries a shorter (older) table lacks
  // read as NULL instead of past its end.
  ohal_backend_t table_copy{};
};

struct Device;

struct Object {
  HandleType type;
  Device* device;
  uint64_t handle = 0;
  Object(HandleType t, Device* d) noexcept : type(t), device(d) {}
};

struct Device : Object {
  Plugin* plugin;
  ohal_bdevice_t backend_device;
  uint32_t backend_index;
  ohal_device_properties_t properties;  // cached at init; free_memory refreshed on query
  std::mutex internal_stream_mutex;
  ohal_bstream_t internal_stream = nullptr;  // for the blocking copy forms, made on first use

  Device(Plugin* p, ohal_bdevice_t b, uint32_t index) noexcept
      : Object(HandleType::kDevice, this),
        plugin(p),
        backend_device(b),
        backend_index(index),
        properties{} {}
  const ohal_backend_t& backend() const noexcept { return *plugin->table; }
};

struct Stream : Object {
  ohal_bstream_t backend_stream;
  Stream(Device* d, ohal_bstream_t b) noexcept
      : Object(HandleType::kStream, d), backend_stream(b) {}
};

struct Event : Object {
  ohal_bevent_t backend_event;
  uint32_t flags;
  std::atomic<bool> recorded{false};
  Event(Device* d, ohal_bevent_t b, uint32_t f) noexcept
      : Object(HandleType::kEvent, d), backend_event(b), flags(f) {}
};

struct Kernel;

struct Module : Object {
  ohal_bmodule_t backend_module;
  std::mutex kernels_mutex;
  std::vector<Kernel*> kernels;  // owned; invalidated at unload
  Module(Device* d, ohal_bmodule_t b) noexcept
      : Object(HandleType::kModule, d), backend_module(b) {}
};

struct Kernel : Object {
  ohal_bkernel_t backend_kernel;
  Module* module;
  std::string name;
  ohal_kernel_properties_t properties;  // cached for launch checks
  Kernel(Device* d, ohal_bkernel_t b, Module* m) noexcept
      : Object(HandleType::kKernel, d), backend_kernel(b), module(m), properties{} {}
};

class Runtime {
 public:
  std::vector<std::unique_ptr<Plugin>> plugins;
  std::vector<std::unique_ptr<Device>> devices;  // visible devices, in API order
};

// The runtime, initializing it lazily from the environment. nullptr (with the thread's error
// set to NOT_INITIALIZED) after ohal_shutdown.
Runtime* runtime() noexcept;

// Whether the runtime is up (no lazy init: handles exist only after init).
bool runtime_live() noexcept;

// Checks a handle and takes a reference; sets the thread's error when it is not valid.
template <typename T>
Ref<T> acquire(const void* handle, HandleType type, const char* what) noexcept {
  if (!runtime_live()) {
    fail(OHAL_ERROR_NOT_INITIALIZED, "the library is not initialized (shut down)");
    return Ref<T>(OHAL_ERROR_NOT_INITIALIZED);
  }
  const uint64_t value = reinterpret_cast<uintptr_t>(handle);
  Object* object = HandleTable::instance().acquire(value, type);
  if (object == nullptr) {
    fail(OHAL_ERROR_INVALID_HANDLE,
         handle == nullptr
             ? std::string(what).append(" is NULL")
             : std::string(what).append(" is not a live ").append(handle_type_name(type)));
    return Ref<T>();
  }
  return Ref<T>(value, static_cast<T*>(object));
}

// Registers a new object and returns its API handle value (0: out of handles, error set).
uint64_t register_object(Object* object) noexcept;

// Called with the result of a backend entry: keeps the backend's message or names the result.
inline ohal_result_t backend_result(ohal_result_t result, const Device* device) noexcept {
  if (result == OHAL_SUCCESS || result == OHAL_NOT_READY) return result;
  return backend_failed(result, device->plugin->name);
}

// Waits for the device's queued work before a release. A failure (a lost device) does not stop
// the release, so it leaves no message behind.
inline void drain_device(const Device* device) noexcept {
  if (device->backend().device_synchronize(device->backend_device) != OHAL_SUCCESS) {
    clear_error_message();
  }
}

// Host services handed to every plugin.
const ohal_host_services_t* host_services() noexcept;

// Plugin discovery and loading (plugin_loader.cpp).
struct LoadSettings {
  std::string backends;      // comma-separated filter, empty: all
  std::string backend_path;  // extra folders
  std::string visible_devices;
};
void load_plugins(Runtime& rt, const LoadSettings& settings);
void unload_plugins(Runtime& rt) noexcept;

// OHAL_VISIBLE_DEVICES (device_filter.cpp): whether backend:index is visible.
class DeviceFilter {
 public:
  explicit DeviceFilter(const std::string& spec);
  bool visible(const std::string& backend, uint32_t index) const noexcept;

 private:
  struct Entry {
    std::string backend;  // empty: any backend
    int64_t index;        // -1: all
  };
  bool all_ = true;
  std::vector<Entry> entries_;
};

}  // namespace ohal
