// Shared helpers for the Vulkan backend tests: the first Vulkan device, kernel modules, and
// assertions that print the HAL's error message.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "openai_hal/ohal.h"

#define REQUIRE_OK(expr)                                                                       \
  do {                                                                                         \
    const ohal_result_t ohal_r_ = (expr);                                                      \
    INFO(#expr << " -> " << ohal_result_string(ohal_r_) << ": " << ohal_last_error_message()); \
    REQUIRE(ohal_r_ == OHAL_SUCCESS);                                                          \
  } while (0)

#define REQUIRE_RESULT(expr, expected)                                                         \
  do {                                                                                         \
    const ohal_result_t ohal_r_ = (expr);                                                      \
    INFO(#expr << " -> " << ohal_result_string(ohal_r_) << ": " << ohal_last_error_message()); \
    REQUIRE(ohal_r_ == (expected));                                                            \
  } while (0)

namespace vktest {

// Initializes the library with only the vulkan plugin (once) and returns its first device,
// or nullptr when there is none (the caller skips with a warning).
ohal_device_t device();
const ohal_device_properties_t& properties();

std::vector<char> read_file(const std::string& path);

// A loaded module, unloaded at scope exit.
class Module {
 public:
  Module(ohal_device_t device, const std::string& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  ohal_kernel_t kernel(const char* name) const;
  ohal_module_t get() const { return module_; }

 private:
  ohal_module_t module_ = nullptr;
};

// An allocation freed at scope exit.
class Mem {
 public:
  Mem(ohal_device_t device, size_t size, ohal_mem_kind_t kind, uint32_t flags = 0);
  ~Mem();
  Mem(const Mem&) = delete;
  Mem& operator=(const Mem&) = delete;
  void* get() const { return ptr_; }
  template <typename T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }

 private:
  void* ptr_ = nullptr;
};

// A stream destroyed at scope exit.
class Stream {
 public:
  explicit Stream(ohal_device_t device);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ohal_stream_t get() const { return stream_; }
  operator ohal_stream_t() const { return stream_; }

 private:
  ohal_stream_t stream_ = nullptr;
};

// Launches with a 1-D config.
ohal_result_t launch1d(ohal_stream_t stream, ohal_kernel_t kernel, uint32_t grid, uint32_t block,
                       std::vector<ohal_kernel_arg_t> args, uint32_t shared_bytes = 0);

template <typename T>
ohal_kernel_arg_t arg(const T& value) {
  return ohal_kernel_arg_t{&value, sizeof(T)};
}

// Runs this executable again with `filter` as its only argument and `env` ("NAME=value")
// added to the environment; returns the child's exit status (-1 when it did not exit).
int run_self(const std::string& filter, const std::vector<std::string>& env);

}  // namespace vktest

#define VK_DEVICE_OR_SKIP(dev)                               \
  ohal_device_t dev = vktest::device();                      \
  if (dev == nullptr) {                                      \
    WARN("no Vulkan device: " << ohal_last_error_message()); \
    return;                                                  \
  }
