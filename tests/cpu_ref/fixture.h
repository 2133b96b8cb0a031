// Shared helpers of the cpu_ref tests: one initialized library (cpu_ref only) with the test
// kernels loaded, RAII wrappers and a launch helper. Everything goes through ohal.h.
#pragma once

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "openai_hal/ohal.h"

#define OHAL_OK(expr)                                                   \
  do {                                                                  \
    const ohal_result_t ohal_ok_result_ = (expr);                       \
    INFO(#expr << " -> " << ohal_result_string(ohal_ok_result_) << ": " \
               << ohal_last_error_message());                           \
    REQUIRE(ohal_ok_result_ == OHAL_SUCCESS);                           \
  } while (0)

namespace cpu_ref_test {

struct Env {
  ohal_device_t device = nullptr;
  ohal_module_t module = nullptr;
};

// Initializes the library with cpu_ref only and loads the test kernels, once.
Env& env();
// Unloads and shuts the library down; the next env() starts again (reads the environment anew).
void reset_env();

ohal_kernel_t kernel(const char* name);
std::vector<unsigned char> read_file(const std::string& path);
std::string kernel_image_path();
std::string not_kernels_image_path();

class Stream {
 public:
  Stream();
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  operator ohal_stream_t() const { return s_; }
  // Destroys now (for streams expected to be sticky); returns what ohal_stream_destroy did.
  ohal_result_t destroy();

 private:
  ohal_stream_t s_ = nullptr;
};

class Event {
 public:
  explicit Event(uint32_t flags = OHAL_EVENT_FLAG_NONE);
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  operator ohal_event_t() const { return e_; }

 private:
  ohal_event_t e_ = nullptr;
};

class Buffer {
 public:
  Buffer(size_t bytes, ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE, uint32_t flags = 0);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void* get() const { return p_; }
  template <class T>
  T* as() const {
    return static_cast<T*>(p_);
  }
  size_t size() const { return size_; }

 private:
  void* p_ = nullptr;
  size_t size_ = 0;
};

struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
};

template <class... A>
ohal_result_t launch(ohal_stream_t stream, ohal_kernel_t k, Dim3 grid, Dim3 block,
                     uint32_t shared_bytes, const A&... args) {
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  config.grid[0] = grid.x;
  config.grid[1] = grid.y;
  config.grid[2] = grid.z;
  config.block[0] = block.x;
  config.block[1] = block.y;
  config.block[2] = block.z;
  config.shared_bytes = shared_bytes;
  std::array<ohal_kernel_arg_t, sizeof...(A) + 1> list = {ohal_kernel_arg_t{&args, sizeof(A)}...,
                                                          ohal_kernel_arg_t{nullptr, 0}};
  return ohal_launch(stream, k, &config, static_cast<uint32_t>(sizeof...(A)),
                     sizeof...(A) > 0 ? list.data() : nullptr);
}

// Copies device memory back into a vector (blocking).
template <class T>
std::vector<T> download(const void* src, size_t count) {
  std::vector<T> out(count);
  const ohal_result_t r = ohal_memcpy(out.data(), src, count * sizeof(T));
  INFO("ohal_memcpy: " << ohal_last_error_message());
  REQUIRE(r == OHAL_SUCCESS);
  return out;
}

template <class T>
void upload(void* dst, const std::vector<T>& src) {
  const ohal_result_t r = ohal_memcpy(dst, src.data(), src.size() * sizeof(T));
  INFO("ohal_memcpy: " << ohal_last_error_message());
  REQUIRE(r == OHAL_SUCCESS);
}

// Busy-work iterations that take very roughly `ms` milliseconds in slow_fill.
uint64_t spin_iterations(double ms);

}  // namespace cpu_ref_test
