// Shared helpers of the conformance tests: the device under test, RAII wrappers, skips, launch.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "../kernels/cts_types.h"
#include "openai_hal/ohal.h"

namespace Catch {
template <>
struct StringMaker<ohal_result_t> {
  static std::string convert(ohal_result_t r) { return ohal_result_string(r); }
};
}  // namespace Catch

// REQUIRE / CHECK that a call returns `expected`, showing the call's error message on failure.
#define CTS_EXPECT_IMPL(macro, call, expected)          \
  do {                                                  \
    const ohal_result_t cts_result_ = (call);           \
    INFO(#call << " -> " << ohal_last_error_message()); \
    macro(cts_result_ == (expected));                   \
  } while (0)
#define REQUIRE_OK(call) CTS_EXPECT_IMPL(REQUIRE, call, OHAL_SUCCESS)
#define CHECK_OK(call) CTS_EXPECT_IMPL(CHECK, call, OHAL_SUCCESS)
#define REQUIRE_RESULT(call, expected) CTS_EXPECT_IMPL(REQUIRE, call, expected)
#define CHECK_RESULT(call, expected) CTS_EXPECT_IMPL(CHECK, call, expected)

// Compares two vectors and shows only the number of differences and the first one (a failed
// comparison of megabytes would otherwise print them all).
#define CHECK_SAME(got, ...) CHECK(::cts::diff((got), (__VA_ARGS__)) == std::string())

// Skips: record the reason (the runner reports the test as skipped-unsupported) and return.
#define CTS_SKIP(reason) \
  do {                   \
    ::cts::skip(reason); \
    return;              \
  } while (0)
#define CTS_REQUIRE_CAP(cap)                                              \
  do {                                                                    \
    if ((::cts::props().capabilities & (cap)) == 0) CTS_SKIP("no " #cap); \
  } while (0)
// Declares `ohal_kernel_t var` for kernel `name`, or skips when the image lacks it.
#define CTS_KERNEL(var, name)                  \
  ohal_kernel_t var = nullptr;                 \
  do {                                         \
    std::string cts_why_;                      \
    var = ::cts::find_kernel(name, &cts_why_); \
    if (var == nullptr) CTS_SKIP(cts_why_);    \
  } while (0)
#define CTS_REQUIRE_OTHER_DEVICE(var)                                                  \
  ohal_device_t var = ::cts::other_device();                                           \
  do {                                                                                 \
    if (var == nullptr) CTS_SKIP("needs a second device (e.g. --backend X,cts_twin)"); \
  } while (0)

namespace cts {

// --- the device under test ----------------------------------------------------------------------
void set_device_index(uint32_t index);
uint32_t device_index();
ohal_device_t device();  // REQUIREs that the device exists
const ohal_device_properties_t& props();
bool has_cap(uint32_t cap);
bool accepts(ohal_kernel_format_t format);
// Another visible device (any backend), or nullptr.
ohal_device_t other_device();
// Initializes from the environment when needed (after a test shut the library down).
void ensure_initialized();
// Tests that shut down or re-initialize the library call this so that cached handles are dropped.
void forget_handles();

// --- the kernel bundle ---------------------------------------------------------------------------
void set_bundle_path(const std::string& path);
const std::string& bundle_path();
const std::vector<uint8_t>& bundle_bytes();  // REQUIREs that the file is readable
// The CTS module for the device under test (cached); nullptr with *why when it cannot load.
ohal_module_t module(std::string* why);
// A kernel of the CTS module; nullptr with *why when the module or the kernel is missing.
ohal_kernel_t find_kernel(const char* name, std::string* why);

// --- skips ---------------------------------------------------------------------------------------
void skip(const std::string& reason);
// The runner's listener reads and clears the reason of the test that just ended.
std::string take_skip_reason();

// --- RAII ----------------------------------------------------------------------------------------
class Stream {
 public:
  explicit Stream(ohal_device_t dev = nullptr);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  operator ohal_stream_t() const { return stream_; }
  ohal_stream_t get() const { return stream_; }
  // Destroys now and returns the result (the destructor then does nothing).
  ohal_result_t destroy();

 private:
  ohal_stream_t stream_ = nullptr;
};

class Event {
 public:
  explicit Event(ohal_device_t dev = nullptr, uint32_t flags = OHAL_EVENT_FLAG_NONE);
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  operator ohal_event_t() const { return event_; }
  ohal_event_t get() const { return event_; }
  ohal_result_t destroy();

 private:
  ohal_event_t event_ = nullptr;
};

class Buffer {
 public:
  explicit Buffer(size_t bytes, ohal_mem_kind_t kind = OHAL_MEM_KIND_DEVICE,
                  ohal_device_t dev = nullptr, uint32_t flags = OHAL_MEM_FLAG_NONE);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void* get() const { return ptr_; }
  template <class T>
  T* as() const {
    return static_cast<T*>(ptr_);
  }
  uint8_t* bytes() const { return static_cast<uint8_t*>(ptr_); }
  size_t size() const { return size_; }
  ohal_mem_kind_t kind() const { return kind_; }
  // The address kernels use: the pointer itself for DEVICE memory, else
  // ohal_mem_get_device_pointer.
  void* device_ptr() const;
  ohal_result_t free();

 private:
  void* ptr_ = nullptr;
  size_t size_ = 0;
  ohal_mem_kind_t kind_;
};

class Module {
 public:
  Module() = default;
  explicit Module(ohal_module_t m) : module_(m) {}
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  ohal_module_t* out() { return &module_; }
  operator ohal_module_t() const { return module_; }
  ohal_result_t unload();

 private:
  ohal_module_t module_ = nullptr;
};

// A host function that blocks its stream until release(): makes "work is pending" certain
// without timing. Tests end with CHECK_FALSE(gate.forced()). Its state outlives the object, so a
// test that fails early cannot leave the runtime thread waiting on freed memory; the destructor
// releases.
class Gate {
 public:
  Gate();
  ~Gate();
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;
  // Enqueues the blocking host function on the stream.
  ohal_result_t enqueue(ohal_stream_t stream);
  void release();
  bool entered() const;
  // True when the gate opened by itself after OHAL_CTS_GATE_SECONDS (default 10): some call
  // blocked on the held work, which a correct backend never does before release().
  bool forced() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// --- transfers (ordered on a stream, then synchronized) ---------------------------------------
void upload(ohal_stream_t stream, void* dst, const void* src, size_t bytes);
void download(ohal_stream_t stream, void* dst, const void* src, size_t bytes);
template <class T>
void upload(ohal_stream_t stream, void* dst, const std::vector<T>& src) {
  upload(stream, dst, src.data(), src.size() * sizeof(T));
}
template <class T>
std::vector<T> download(ohal_stream_t stream, const void* src, size_t count) {
  std::vector<T> out(count);
  download(stream, out.data(), src, count * sizeof(T));
  return out;
}

// --- comparison --------------------------------------------------------------------------------
template <class T>
std::string show(const T& v) {
  std::ostringstream os;
  if constexpr (std::is_integral_v<T>) {
    os << +v << " (0x" << std::hex << +v << ")";
  } else {
    os << v;
  }
  return os.str();
}

// Empty when equal; else how many elements differ and the first difference.
template <class T>
std::string diff(const std::vector<T>& got, const std::vector<T>& want) {
  if (got.size() != want.size()) {
    return "size " + std::to_string(got.size()) + ", want " + std::to_string(want.size());
  }
  size_t count = 0, first = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (got[i] == want[i]) continue;
    if (count++ == 0) first = i;
  }
  if (count == 0) return {};
  return std::to_string(count) + " of " + std::to_string(got.size()) +
         " elements differ; first at [" + std::to_string(first) + "]: got " + show(got[first]) +
         ", want " + show(want[first]);
}

// --- launch ----------------------------------------------------------------------------------
struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
};

inline ohal_launch_config_t config(Dim3 grid, Dim3 block, uint32_t shared_bytes = 0) {
  ohal_launch_config_t c = OHAL_LAUNCH_CONFIG_INIT;
  c.grid[0] = grid.x;
  c.grid[1] = grid.y;
  c.grid[2] = grid.z;
  c.block[0] = block.x;
  c.block[1] = block.y;
  c.block[2] = block.z;
  c.shared_bytes = shared_bytes;
  return c;
}

// Launches with each argument passed as {&arg, sizeof(arg)}.
template <class... Ts>
ohal_result_t launch(ohal_stream_t stream, ohal_kernel_t kernel, Dim3 grid, Dim3 block,
                     uint32_t shared_bytes, const Ts&... args) {
  const ohal_launch_config_t c = config(grid, block, shared_bytes);
  if constexpr (sizeof...(Ts) == 0) {
    return ohal_launch(stream, kernel, &c, 0, nullptr);
  } else {
    const ohal_kernel_arg_t list[] = {{static_cast<const void*>(&args), sizeof(Ts)}...};
    return ohal_launch(stream, kernel, &c, static_cast<uint32_t>(sizeof...(Ts)), list);
  }
}

inline uint32_t blocks_for(uint32_t n, uint32_t block) {
  return (n + block - 1) / block;
}

// The result of `iterations` steps of lcg() from x (README "Conventions"), in O(log n).
uint32_t lcg_power(uint32_t x, uint32_t iterations);

// A block size for 1-D launches that every device supports.
uint32_t default_block();

// Iterations of cts_spin that keep a device busy long enough for the ordering tests to see a
// reordering bug; correctness never depends on it.
uint32_t spin_iterations();

// Kinds of memory the device offers (DEVICE always, HOST / SHARED by capability).
std::vector<ohal_mem_kind_t> offered_kinds();
const char* kind_name(ohal_mem_kind_t kind);

}  // namespace cts
