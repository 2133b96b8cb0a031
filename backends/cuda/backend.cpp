// Backend lifetime (init / shutdown), primary contexts, and the error and logging helpers.
#include <cstdio>

#include "cuda_backend.hpp"

namespace ohal::cuda {

const ohal_host_services_t* g_host = nullptr;

namespace {

State* g_state = nullptr;
std::atomic<uint64_t> g_generation{0};

// The context this thread made current last, and in which init cycle.
struct CurrentContext {
  CUcontext context = nullptr;
  uint64_t generation = 0;
};
thread_local CurrentContext t_current;

char g_version[96] = "0.1.0";

ohal_result_t retain_context(Device& device) {
  std::lock_guard<std::mutex> lock(device.context_mutex);
  if (device.context.load(std::memory_order_acquire) != nullptr) return OHAL_SUCCESS;
  CUcontext context = nullptr;
  const CUresult r = drv().cuDevicePrimaryCtxRetain(&context, device.device);
  if (r != CUDA_SUCCESS) {
    return cu_fail("cuDevicePrimaryCtxRetain", r, "device " + std::to_string(device.index));
  }
  device.context.store(context, std::memory_order_release);
  return OHAL_SUCCESS;
}

int attribute(CUdevice device, CUdevice_attribute attribute) {
  int value = 0;
  if (drv().cuDeviceGetAttribute(&value, attribute, device) != CUDA_SUCCESS) value = 0;
  return value;
}

ohal_result_t init_fail(ohal_result_t result, const std::string& message) {
  return set_error(result, "cuda: " + message);
}

}  // namespace

State& state() {
  return *g_state;
}

const std::string* intern_name(std::string_view name) {
  State& s = state();
  std::lock_guard<std::mutex> lock(s.names_mutex);
  std::string key(name);
  auto it = s.names.find(key);
  if (it == s.names.end()) {
    auto stored = std::make_unique<std::string>(key);
    it = s.names.emplace(std::move(key), std::move(stored)).first;
  }
  return it->second.get();
}

ohal_result_t set_error(ohal_result_t result, const std::string& message) {
  if (g_host != nullptr && g_host->set_error != nullptr) {
    return g_host->set_error(result, message.c_str());
  }
  return result;
}

ohal_result_t cu_fail_as(ohal_result_t result, std::string_view call, CUresult r,
                         std::string_view detail) {
  const Driver* driver = g_state != nullptr ? &g_state->driver : nullptr;
  return set_error(result, format_cu_error(call, r, driver, detail));
}

ohal_result_t cu_fail(std::string_view call, CUresult r, std::string_view detail) {
  return cu_fail_as(map_cu_result(r), call, r, detail);
}

std::string fault_detail(const std::string* last_kernel, CUresult r) {
  if (last_kernel == nullptr || !is_context_fatal(r)) return {};
  return "last kernel launched there: '" + *last_kernel + "'";
}

void log(ohal_log_level_t level, const std::string& message) {
  if (g_host == nullptr || g_host->log == nullptr) return;
  if (g_host->log_level != nullptr && g_host->log_level() < level) return;
  g_host->log(level, "cuda", message.c_str());
}

ohal_result_t make_current(Device& device) {
  CUcontext context = device.context.load(std::memory_order_acquire);
  if (context == nullptr) {
    if (const ohal_result_t r = retain_context(device); r != OHAL_SUCCESS) return r;
    context = device.context.load(std::memory_order_acquire);
  }
  const uint64_t generation = g_generation.load(std::memory_order_relaxed);
  // The cache assumes nothing else on this thread switches contexts behind our back; code that
  // mixes raw CUDA calls on the same thread must restore the context it found.
  if (t_current.context == context && t_current.generation == generation) return OHAL_SUCCESS;
  const CUresult r = drv().cuCtxSetCurrent(context);
  if (r != CUDA_SUCCESS) return cu_fail("cuCtxSetCurrent", r);
  t_current = {context, generation};
  return OHAL_SUCCESS;
}

const char* version_string() {
  return g_version;
}

// Loads the driver early (no cuInit) so that the version string, which the front-end reads
// before init, can name the driver.
void describe_version() {
  Driver probe;
  std::string error;
  int driver_version = 0;
  if (load_driver(probe, error)) {
    probe.cuDriverGetVersion(&driver_version);
    unload_driver(probe);
  }
  const int built = CUDA_VERSION;
  if (driver_version > 0) {
    std::snprintf(g_version, sizeof(g_version), "0.1.0 (CUDA driver %d.%d, built with CUDA %d.%d)",
                  driver_version / 1000, (driver_version % 1000) / 10, built / 1000,
                  (built % 1000) / 10);
  } else {
    std::snprintf(g_version, sizeof(g_version), "0.1.0 (no CUDA driver, built with CUDA %d.%d)",
                  built / 1000, (built % 1000) / 10);
  }
}

ohal_result_t init() {
  if (g_state != nullptr) return OHAL_SUCCESS;
  auto s = std::make_unique<State>();
  std::string error;
  if (!load_driver(s->driver, error)) return init_fail(OHAL_ERROR_BACKEND, error);
  Driver& d = s->driver;
  const CUresult initialized = d.cuInit(0);
  if (initialized != CUDA_SUCCESS && initialized != CUDA_ERROR_NO_DEVICE) {
    const ohal_result_t r = map_cu_result(initialized);
    return init_fail(r == OHAL_ERROR_NO_DEVICE ? r : OHAL_ERROR_BACKEND,
                     format_cu_error("cuInit", initialized, &d));
  }
  d.cuDriverGetVersion(&d.version);
  int count = 0;
  if (initialized == CUDA_SUCCESS) {
    if (const CUresult r = d.cuDeviceGetCount(&count); r != CUDA_SUCCESS) {
      return init_fail(map_cu_result(r), format_cu_error("cuDeviceGetCount", r, &d));
    }
  }
  g_state = s.release();  // the attribute queries below go through drv()
  for (int i = 0; i < count; ++i) {
    auto device = std::make_unique<Device>();
    device->index = static_cast<uint32_t>(i);
    if (const CUresult r = d.cuDeviceGet(&device->device, i); r != CUDA_SUCCESS) {
      log(OHAL_LOG_LEVEL_WARN, format_cu_error("cuDeviceGet", r, &d, "device skipped"));
      continue;
    }
    const CUdevice dev = device->device;
    device->cc = attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) * 10 +
                 attribute(dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    device->unified_addressing = attribute(dev, CU_DEVICE_ATTRIBUTE_UNIFIED_ADDRESSING);
    device->can_map_host = attribute(dev, CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY);
    // SHARED promises host access while kernels run, which needs concurrent managed access.
    device->managed = attribute(dev, CU_DEVICE_ATTRIBUTE_MANAGED_MEMORY) != 0 &&
                      attribute(dev, CU_DEVICE_ATTRIBUTE_CONCURRENT_MANAGED_ACCESS) != 0;
    device->shared_optin = attribute(dev, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
    device->index = static_cast<uint32_t>(g_state->devices.size());
    g_state->devices.push_back(std::move(device));
  }
  g_generation.fetch_add(1, std::memory_order_relaxed);

  if (!g_state->devices.empty()) {
    if (!load_nvrtc(g_state->nvrtc, d.version, g_state->nvrtc_error)) {
      log(OHAL_LOG_LEVEL_INFO,
          "NVRTC not found, CUDA_SOURCE modules unavailable: " + g_state->nvrtc_error);
    }
  }
  log(OHAL_LOG_LEVEL_INFO,
      "driver " + d.library_path + " version " + std::to_string(d.version) + ", " +
          std::to_string(g_state->devices.size()) + " device(s)" +
          (initialized == CUDA_ERROR_NO_DEVICE ? " (cuInit: CUDA_ERROR_NO_DEVICE)" : "") +
          (g_state->nvrtc.loaded()
               ? ", NVRTC " + std::to_string(g_state->nvrtc.major) + "." +
                     std::to_string(g_state->nvrtc.minor) + " from " + g_state->nvrtc.library_path
               : ""));
  if (g_state->devices.empty()) {
    // A driver without a usable GPU (none installed, or none visible to this container) is not
    // a failure; the reason travels with OHAL_SUCCESS and ohal-info shows it.
    const std::string why =
        initialized == CUDA_ERROR_NO_DEVICE
            ? format_cu_error("cuInit", initialized, &d)
            : "cuDeviceGetCount reported " + std::to_string(count) + " device(s), none usable";
    return set_error(OHAL_SUCCESS,
                     "cuda: no CUDA device: " + why + " (driver " + d.library_path + ")");
  }
  return OHAL_SUCCESS;
}

void shutdown() {
  if (g_state == nullptr) return;
  for (const auto& device : g_state->devices) {
    if (device->context.load() != nullptr) {
      drv().cuDevicePrimaryCtxRelease(device->device);
      device->context.store(nullptr);
    }
  }
  g_generation.fetch_add(1, std::memory_order_relaxed);
  unload_nvrtc(g_state->nvrtc);
  unload_driver(g_state->driver);
  delete g_state;
  g_state = nullptr;
}

}  // namespace ohal::cuda
