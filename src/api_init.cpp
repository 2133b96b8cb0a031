// ohal_init, ohal_shutdown and the backend queries.
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "log.hpp"
#include "registry.hpp"
#include "runtime.hpp"

namespace ohal {
namespace {

std::mutex g_init_mutex;
std::atomic<Runtime*> g_runtime{nullptr};
std::atomic<bool> g_shut_down{false};

std::string setting(const char* given, const char* env_name) {
  if (given != nullptr) return given;
  const char* value = std::getenv(env_name);
  return value != nullptr ? value : "";
}

Runtime* create_runtime(const ohal_init_desc_t* desc) {
  ohal_log_level_t level = OHAL_LOG_LEVEL_FROM_ENV;
  LoadSettings settings;
  settings.backends = setting(desc ? desc->backends : nullptr, "OHAL_BACKENDS");
  settings.backend_path = setting(desc ? desc->backend_path : nullptr, "OHAL_BACKEND_PATH");
  settings.visible_devices =
      setting(desc ? desc->visible_devices : nullptr, "OHAL_VISIBLE_DEVICES");
  if (desc != nullptr) level = desc->log_level;
  set_log_level(level == OHAL_LOG_LEVEL_FROM_ENV ? log_level_from_env() : level);
  auto rt = std::make_unique<Runtime>();
  load_plugins(*rt, settings);
  return rt.release();
}

template <typename T>
void destroy_object(uint64_t handle, T* object) noexcept {
  if (HandleTable::instance().retire(handle)) delete object;
}

// Releases whatever the application left alive, in dependency order.
void release_everything(Runtime& rt) noexcept {
  HandleTable& table = HandleTable::instance();
  std::vector<uint64_t> handles = table.live_handles();
  for (HandleType pass :
       {HandleType::kStream, HandleType::kEvent, HandleType::kKernel, HandleType::kModule}) {
    for (uint64_t handle : handles) {
      Object* object = table.acquire(handle, pass);
      if (object == nullptr) continue;
      const ohal_backend_t& backend = object->device->backend();
      switch (pass) {
        case HandleType::kStream: {
          auto* stream = static_cast<Stream*>(object);
          backend.stream_synchronize(stream->backend_stream);
          backend.stream_destroy(stream->backend_stream);
          destroy_object(handle, stream);
          break;
        }
        case HandleType::kEvent: {
          auto* event = static_cast<Event*>(object);
          backend.event_destroy(event->backend_event);
          destroy_object(handle, event);
          break;
        }
        case HandleType::kKernel:
          destroy_object(handle, static_cast<Kernel*>(object));
          break;
        case HandleType::kModule: {
          auto* module = static_cast<Module*>(object);
          backend.device_synchronize(module->device->backend_device);
          backend.module_unload(module->backend_module);
          destroy_object(handle, module);
          break;
        }
        case HandleType::kDevice:
          break;
      }
    }
  }
  for (auto& device : rt.devices) {
    const ohal_backend_t& backend = device->backend();
    backend.device_synchronize(device->backend_device);
    if (device->internal_stream != nullptr) backend.stream_destroy(device->internal_stream);
    for (const Allocation& allocation : Registry::instance().remove_device(device.get())) {
      backend.mem_free(device->backend_device, allocation.backend_alloc);
    }
    if (table.acquire(device->handle, HandleType::kDevice) != nullptr) table.retire(device->handle);
  }
  rt.devices.clear();
}

}  // namespace

bool runtime_live() noexcept {
  return g_runtime.load(std::memory_order_acquire) != nullptr;
}

Runtime* runtime() noexcept {
  Runtime* rt = g_runtime.load(std::memory_order_acquire);
  if (rt != nullptr) return rt;
  std::lock_guard<std::mutex> lock(g_init_mutex);
  rt = g_runtime.load(std::memory_order_acquire);
  if (rt != nullptr) return rt;
  if (g_shut_down.load()) {
    fail(OHAL_ERROR_NOT_INITIALIZED, "the library was shut down; call ohal_init first");
    return nullptr;
  }
  const char* caller = current_call();  // loading names its own steps; restore the caller's
  try {
    rt = create_runtime(nullptr);
  } catch (...) {
    ApiCall restore(caller);
    fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory while loading plugins");
    return nullptr;
  }
  ApiCall restore(caller);
  g_runtime.store(rt, std::memory_order_release);
  return rt;
}

}  // namespace ohal

using namespace ohal;

extern "C" OHAL_API ohal_result_t ohal_init(const ohal_init_desc_t* desc) {
  ApiCall call("ohal_init");
  if (desc != nullptr) {
    if (desc->struct_size < sizeof(ohal_init_desc_t)) {
      return failf(OHAL_ERROR_STRUCT_SIZE, "desc->struct_size is {}, expected at least {}",
                   desc->struct_size, sizeof(ohal_init_desc_t));
    }
    if (desc->log_level != OHAL_LOG_LEVEL_FROM_ENV &&
        (desc->log_level < OHAL_LOG_LEVEL_OFF || desc->log_level > OHAL_LOG_LEVEL_DEBUG)) {
      return failf(OHAL_ERROR_INVALID_VALUE, "desc->log_level {} is not an ohal_log_level_t",
                   static_cast<int>(desc->log_level));
    }
  }
  std::lock_guard<std::mutex> lock(g_init_mutex);
  if (g_runtime.load() != nullptr) {
    if (desc == nullptr) return OHAL_SUCCESS;
    return fail(OHAL_ERROR_ALREADY_INITIALIZED,
                "already initialized (explicitly or by an earlier call); call ohal_shutdown "
                "first to apply a new descriptor");
  }
  try {
    Runtime* rt = create_runtime(desc);
    ApiCall restore("ohal_init");
    g_runtime.store(rt, std::memory_order_release);
  } catch (...) {
    ApiCall restore("ohal_init");
    return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory while loading plugins");
  }
  g_shut_down.store(false);
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_shutdown(void) {
  ApiCall call("ohal_shutdown");
  std::lock_guard<std::mutex> lock(g_init_mutex);
  Runtime* rt = g_runtime.exchange(nullptr);
  g_shut_down.store(true);
  if (rt == nullptr) return OHAL_SUCCESS;
  release_everything(*rt);
  clear_error_message();  // a release that failed (a lost device) still released
  unload_plugins(*rt);
  delete rt;
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_backend_count(uint32_t* count) {
  ApiCall call("ohal_backend_count");
  if (count == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "count is NULL");
  Runtime* rt = runtime();
  if (rt == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  *count = static_cast<uint32_t>(rt->plugins.size());
  return OHAL_SUCCESS;
}

namespace {
void copy_string(char* out, size_t capacity, const std::string& value) {
  const size_t length = std::min(value.size(), capacity - 1);
  std::memcpy(out, value.data(), length);
  out[length] = '\0';
}
}  // namespace

extern "C" OHAL_API ohal_result_t ohal_backend_get_info(uint32_t index, ohal_backend_info_t* info) {
  ApiCall call("ohal_backend_get_info");
  if (info == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "info is NULL");
  if (info->struct_size < sizeof(ohal_backend_info_t)) {
    return failf(OHAL_ERROR_STRUCT_SIZE, "info->struct_size is {}, expected at least {}",
                 info->struct_size, sizeof(ohal_backend_info_t));
  }
  Runtime* rt = runtime();
  if (rt == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  if (index >= rt->plugins.size()) {
    return failf(OHAL_ERROR_INVALID_VALUE, "index {} is out of range: {} backends", index,
                 rt->plugins.size());
  }
  const Plugin& plugin = *rt->plugins[index];
  ohal_backend_info_t out = OHAL_BACKEND_INFO_INIT;
  copy_string(out.name, sizeof(out.name), plugin.name);
  copy_string(out.version, sizeof(out.version), plugin.version);
  copy_string(out.path, sizeof(out.path), plugin.path);
  out.status = plugin.status;
  copy_string(out.status_reason, sizeof(out.status_reason), plugin.reason);
  out.device_count = plugin.device_count;
  out.abi_version = plugin.abi_version;
  std::memcpy(info, &out, sizeof(out));  // struct_size >= ours: fields we don't know stay
  return OHAL_SUCCESS;
}
