// The CUDA backend's objects and shared state. One file per concept implements the entries
// declared at the bottom (device.cpp, memory.cpp, copy.cpp, stream.cpp, event.cpp, module.cpp,
// launch.cpp, backend.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "driver.hpp"
#include "errors.hpp"
#include "nvrtc.hpp"
#include "openai_hal/backend.h"

namespace ohal::cuda {

// Set by ohal_backend_entry; valid until shutdown.
extern const ohal_host_services_t* g_host;

struct Device {
  uint32_t index = 0;
  CUdevice device = 0;
  int cc = 0;  // compute capability, major*10+minor
  int unified_addressing = 0;
  int can_map_host = 0;
  int managed = 0;  // managed memory with concurrent host/device access
  int shared_optin = 0;
  std::mutex context_mutex;
  std::atomic<CUcontext> context{nullptr};  // primary context, retained on first use
  // The last kernel launched on any of the device's streams, named in fault messages.
  std::atomic<const std::string*> last_kernel{nullptr};
};

struct State {
  Driver driver;
  Nvrtc nvrtc;  // not loaded(): CUDA_SOURCE is not offered
  std::string nvrtc_error;
  std::vector<std::unique_ptr<Device>> devices;
  uint64_t generation = 0;  // distinguishes contexts across init/shutdown cycles

  std::mutex names_mutex;
  std::unordered_map<std::string, std::unique_ptr<std::string>> names;  // interned kernel names
};

// The live state: valid from a successful init until shutdown.
State& state();
inline const Driver& drv() {
  return state().driver;
}

// Interns a kernel name; the pointer stays valid until shutdown (faults name kernels whose
// module may be gone).
const std::string* intern_name(std::string_view name);

struct Allocation {
  Device* device = nullptr;
  CUdeviceptr device_ptr = 0;  // what kernels and copies use
  void* host_ptr = nullptr;    // HOST: the pinned host address
  size_t size = 0;
  ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE;
};

struct Stream {
  Device* device = nullptr;
  CUstream stream = nullptr;
  std::atomic<const std::string*> last_kernel{nullptr};
};

struct Event {
  Device* device = nullptr;
  CUevent event = nullptr;
  bool timing = true;
  std::atomic<const std::string*> last_kernel{nullptr};  // of the recording stream, at record
};

struct Kernel;

struct Module {
  Device* device = nullptr;
  CUmodule module = nullptr;
  std::mutex kernels_mutex;
  std::unordered_map<std::string, std::unique_ptr<Kernel>> kernels;  // one handle per name
};

struct Kernel {
  Module* module = nullptr;
  CUfunction function = nullptr;
  const std::string* name = nullptr;
  ohal_kernel_properties_t properties{};
  // The dynamic shared memory the function accepts now; raised on demand up to the opt-in limit.
  std::atomic<uint32_t> dynamic_shared_limit{0};
  std::mutex attribute_mutex;
};

// Handle casts: the backend's opaque handles are its objects.
template <typename T, typename H>
inline T* from_handle(H handle) {
  return reinterpret_cast<T*>(handle);
}
template <typename H, typename T>
inline H to_handle(T* object) {
  return reinterpret_cast<H>(object);
}

// Attaches message to the calling thread's error.
ohal_result_t set_error(ohal_result_t result, const std::string& message);

// set_error(map_cu_result(r), format_cu_error(call, r, driver, detail)).
ohal_result_t cu_fail(std::string_view call, CUresult r, std::string_view detail = {});

// As cu_fail, with the HAL code chosen by the caller.
ohal_result_t cu_fail_as(ohal_result_t result, std::string_view call, CUresult r,
                         std::string_view detail = {});

// For a fault (is_context_fatal) seen on a stream, event or device: names the last kernel
// launched there. Empty for other results.
std::string fault_detail(const std::string* last_kernel, CUresult r);

// Makes the device's primary context current on the calling thread, retaining it on first use.
// Cheap on the hot path: a thread-local comparison, cuCtxSetCurrent only on a change.
ohal_result_t make_current(Device& device);

void log(ohal_log_level_t level, const std::string& message);

// --- the entries of the ohal_backend_t table -----------------------------------------------
ohal_result_t init();
void shutdown();
const char* version_string();
// Probes the driver version (without cuInit) for version_string(); called by the entry.
void describe_version();

ohal_result_t device_count(uint32_t* count);
ohal_result_t device_get(uint32_t index, ohal_bdevice_t* device);
ohal_result_t device_get_properties(ohal_bdevice_t device, ohal_device_properties_t* props);
ohal_result_t device_synchronize(ohal_bdevice_t device);

ohal_result_t mem_alloc(ohal_bdevice_t device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out);
ohal_result_t mem_free(ohal_bdevice_t device, void* alloc);
ohal_result_t mem_get_info(ohal_bdevice_t device, uint64_t* free_bytes, uint64_t* total_bytes);

ohal_result_t memcpy_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst,
                           const ohal_bmem_ref_t* src, size_t size);
ohal_result_t memset_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count);

ohal_result_t stream_create(ohal_bdevice_t device, uint32_t flags, ohal_bstream_t* stream);
ohal_result_t stream_destroy(ohal_bstream_t stream);
ohal_result_t stream_synchronize(ohal_bstream_t stream);
ohal_result_t stream_query(ohal_bstream_t stream);
ohal_result_t stream_wait_event(ohal_bstream_t stream, ohal_bevent_t event);
ohal_result_t stream_launch_host_func(ohal_bstream_t stream, ohal_host_func_t func,
                                      void* user_data);

ohal_result_t event_create(ohal_bdevice_t device, uint32_t flags, ohal_bevent_t* event);
ohal_result_t event_destroy(ohal_bevent_t event);
ohal_result_t event_record(ohal_bevent_t event, ohal_bstream_t stream);
ohal_result_t event_synchronize(ohal_bevent_t event);
ohal_result_t event_query(ohal_bevent_t event);
ohal_result_t event_elapsed_time(ohal_bevent_t start, ohal_bevent_t end, float* milliseconds);

ohal_result_t module_load(ohal_bdevice_t device, const ohal_module_desc_t* desc,
                          ohal_bmodule_t* module);
ohal_result_t module_unload(ohal_bmodule_t module);
ohal_result_t module_get_kernel(ohal_bmodule_t module, const char* name, ohal_bkernel_t* kernel);
ohal_result_t kernel_get_properties(ohal_bkernel_t kernel, ohal_kernel_properties_t* properties);

ohal_result_t launch(ohal_bstream_t stream, ohal_bkernel_t kernel,
                     const ohal_launch_config_t* config, uint32_t arg_count,
                     const ohal_kernel_arg_t* args);

}  // namespace ohal::cuda
