// The HAL side of a run: initialization, the selected device, a stream, the bench kernels.
#ifndef OHAL_BENCH_HAL_SESSION_H
#define OHAL_BENCH_HAL_SESSION_H

#include <memory>
#include <string>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal_bench {

// Throws BenchError naming the call, the result and ohal_last_error_message() unless r is
// OHAL_SUCCESS.
void check(ohal_result_t r, const char* call);

class HalSession {
 public:
  // Initializes the HAL with only `backend` loaded (all plugins when empty) and opens device
  // `device`: its index among that backend's visible devices, or among all visible devices when
  // backend is empty. Throws BenchError, whose message lists the plugins and why they failed.
  static std::unique_ptr<HalSession> open(const std::string& backend, uint32_t device);
  ~HalSession();
  HalSession(const HalSession&) = delete;
  HalSession& operator=(const HalSession&) = delete;

  ohal_device_t device() const { return device_; }
  ohal_stream_t stream() const { return stream_; }
  const ohal_device_properties_t& properties() const { return properties_; }
  const ohal_backend_info_t& backend_info() const { return backend_info_; }
  // One line per plugin: name, version, loaded or why not.
  const std::vector<std::string>& plugin_lines() const { return plugin_lines_; }
  // "NATIVE_SO (host C++ compiler ...)" or why no bench kernel image could be loaded.
  const std::string& kernel_image_description() const { return kernel_description_; }

  // A bench kernel; throws BenchError when no image loaded for this device.
  ohal_kernel_t kernel(const char* name);

 private:
  HalSession() = default;
  void load_kernels();

  ohal_device_t device_ = nullptr;
  ohal_stream_t stream_ = nullptr;
  ohal_module_t module_ = nullptr;
  ohal_device_properties_t properties_ = OHAL_DEVICE_PROPERTIES_INIT;
  ohal_backend_info_t backend_info_ = OHAL_BACKEND_INFO_INIT;
  std::vector<std::string> plugin_lines_;
  std::string kernel_description_;
  std::string kernel_error_;
};

// A HAL allocation freed on scope exit.
class DeviceBuffer {
 public:
  DeviceBuffer(HalSession& session, size_t bytes, ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* get() const { return ptr_; }

 private:
  void* ptr_ = nullptr;
};

}  // namespace ohal_bench

#endif  // OHAL_BENCH_HAL_SESSION_H
