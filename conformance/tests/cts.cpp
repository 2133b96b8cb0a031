// Shared helpers of the conformance tests (see cts.hpp).
#include "cts.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace cts {
namespace {

struct State {
  uint32_t device_index = 0;
  std::string bundle_path;
  std::vector<uint8_t> bundle;
  bool bundle_loaded = false;
  // Cached per device handle; dropped by forget_handles().
  ohal_device_t props_device = nullptr;
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  ohal_device_t module_device = nullptr;
  ohal_module_t module = nullptr;
  std::string module_error;
  std::string skip_reason;
};

State& state() {
  static State s;
  return s;
}

}  // namespace

void set_device_index(uint32_t index) {
  state().device_index = index;
}
uint32_t device_index() {
  return state().device_index;
}

void ensure_initialized() {
  uint32_t count = 0;
  if (ohal_device_count(&count) == OHAL_ERROR_NOT_INITIALIZED) {
    forget_handles();
    REQUIRE_OK(ohal_init(nullptr));
  }
}

void forget_handles() {
  State& s = state();
  s.props_device = nullptr;
  s.module_device = nullptr;
  s.module = nullptr;
  s.module_error.clear();
}

ohal_device_t device() {
  ensure_initialized();
  ohal_device_t dev = nullptr;
  REQUIRE_OK(ohal_device_get(state().device_index, &dev));
  REQUIRE(dev != nullptr);
  return dev;
}

const ohal_device_properties_t& props() {
  State& s = state();
  ohal_device_t dev = device();
  if (s.props_device != dev) {
    ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
    REQUIRE_OK(ohal_device_get_properties(dev, &p));
    s.properties = p;
    s.props_device = dev;
  }
  return s.properties;
}

bool has_cap(uint32_t cap) {
  return (props().capabilities & cap) == cap;
}

bool accepts(ohal_kernel_format_t format) {
  return (props().kernel_formats & OHAL_FORMAT_BIT(format)) != 0;
}

ohal_device_t other_device() {
  ensure_initialized();
  uint32_t count = 0;
  REQUIRE_OK(ohal_device_count(&count));
  for (uint32_t i = 0; i < count; ++i) {
    if (i == state().device_index) continue;
    ohal_device_t dev = nullptr;
    REQUIRE_OK(ohal_device_get(i, &dev));
    return dev;
  }
  return nullptr;
}

void set_bundle_path(const std::string& path) {
  state().bundle_path = path;
  state().bundle_loaded = false;
}

const std::string& bundle_path() {
  return state().bundle_path;
}

const std::vector<uint8_t>& bundle_bytes() {
  State& s = state();
  if (!s.bundle_loaded) {
    std::ifstream file(s.bundle_path, std::ios::binary);
    INFO("CTS kernel bundle: " << s.bundle_path);
    REQUIRE(file.good());
    s.bundle.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    REQUIRE(!s.bundle.empty());
    s.bundle_loaded = true;
  }
  return s.bundle;
}

ohal_module_t module(std::string* why) {
  State& s = state();
  ohal_device_t dev = device();
  if (s.module_device != dev) {
    const std::vector<uint8_t>& bytes = bundle_bytes();
    ohal_module_t m = nullptr;
    const ohal_result_t r = ohal_module_load_bundle(dev, bytes.data(), bytes.size(), nullptr, &m);
    s.module_device = dev;
    s.module = r == OHAL_SUCCESS ? m : nullptr;
    s.module_error = r == OHAL_SUCCESS
                         ? std::string()
                         : std::string("CTS bundle has no usable image: ") + ohal_result_string(r) +
                               ": " + ohal_last_error_message();
    // A corrupt image of an accepted format is a failure, not a missing feature.
    if (r != OHAL_SUCCESS && r != OHAL_ERROR_UNSUPPORTED) {
      FAIL_CHECK("loading the CTS bundle failed: " << s.module_error);
    }
  }
  if (s.module == nullptr && why != nullptr) *why = s.module_error;
  return s.module;
}

ohal_kernel_t find_kernel(const char* name, std::string* why) {
  ohal_module_t m = module(why);
  if (m == nullptr) return nullptr;
  ohal_kernel_t kernel = nullptr;
  const ohal_result_t r = ohal_module_get_kernel(m, name, &kernel);
  if (r == OHAL_SUCCESS) return kernel;
  if (r != OHAL_ERROR_KERNEL_NOT_FOUND) {
    FAIL_CHECK("ohal_module_get_kernel(" << name << ") -> " << ohal_result_string(r) << ": "
                                         << ohal_last_error_message());
  }
  if (why != nullptr) *why = std::string("kernel ") + name + " not in this device's image";
  return nullptr;
}

void skip(const std::string& reason) {
  State& s = state();
  if (s.skip_reason.empty()) s.skip_reason = reason.empty() ? "unsupported" : reason;
}

std::string take_skip_reason() {
  std::string reason;
  std::swap(reason, state().skip_reason);
  return reason;
}

// --- RAII -------------------------------------------------------------------------------------

Stream::Stream(ohal_device_t dev) {
  REQUIRE_OK(ohal_stream_create(dev != nullptr ? dev : device(), OHAL_STREAM_FLAG_NONE, &stream_));
}

Stream::~Stream() {
  if (stream_ != nullptr) (void)ohal_stream_destroy(stream_);
}

ohal_result_t Stream::destroy() {
  const ohal_result_t r = ohal_stream_destroy(stream_);
  stream_ = nullptr;
  return r;
}

Event::Event(ohal_device_t dev, uint32_t flags) {
  REQUIRE_OK(ohal_event_create(dev != nullptr ? dev : device(), flags, &event_));
}

Event::~Event() {
  if (event_ != nullptr) (void)ohal_event_destroy(event_);
}

ohal_result_t Event::destroy() {
  const ohal_result_t r = ohal_event_destroy(event_);
  event_ = nullptr;
  return r;
}

Buffer::Buffer(size_t bytes, ohal_mem_kind_t kind, ohal_device_t dev, uint32_t flags)
    : size_(bytes), kind_(kind) {
  INFO("allocating " << bytes << " bytes of " << kind_name(kind));
  REQUIRE_OK(ohal_mem_alloc(dev != nullptr ? dev : device(), bytes, kind, flags, &ptr_));
  REQUIRE(ptr_ != nullptr);
}

Buffer::~Buffer() {
  if (ptr_ != nullptr) (void)ohal_mem_free(ptr_);
}

void* Buffer::device_ptr() const {
  if (kind_ == OHAL_MEM_KIND_DEVICE) return ptr_;
  void* dptr = nullptr;
  REQUIRE_OK(ohal_mem_get_device_pointer(ptr_, &dptr));
  return dptr;
}

ohal_result_t Buffer::free() {
  const ohal_result_t r = ohal_mem_free(ptr_);
  ptr_ = nullptr;
  return r;
}

Module::~Module() {
  if (module_ != nullptr) (void)ohal_module_unload(module_);
}

ohal_result_t Module::unload() {
  const ohal_result_t r = ohal_module_unload(module_);
  module_ = nullptr;
  return r;
}

struct Gate::State {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  bool entered = false;
  bool forced = false;
};

namespace {

// How long a gate holds its stream before it opens by itself: a call that blocks on work the
// test has not released yet would otherwise hang the suite.
std::chrono::seconds gate_limit() {
  if (const char* env = std::getenv("OHAL_CTS_GATE_SECONDS")) {
    return std::chrono::seconds(std::strtoul(env, nullptr, 10));
  }
  return std::chrono::seconds(10);
}

}  // namespace

Gate::Gate() : state_(std::make_shared<State>()) {}

Gate::~Gate() {
  release();
}

ohal_result_t Gate::enqueue(ohal_stream_t stream) {
  auto* keep = new std::shared_ptr<State>(state_);
  const ohal_result_t r = ohal_stream_launch_host_func(
      stream,
      [](void* user) {
        std::unique_ptr<std::shared_ptr<State>> owned(static_cast<std::shared_ptr<State>*>(user));
        State& s = **owned;
        std::unique_lock<std::mutex> lock(s.mutex);
        s.entered = true;
        if (!s.cv.wait_for(lock, gate_limit(), [&] { return s.open; })) s.forced = true;
      },
      keep);
  if (r != OHAL_SUCCESS) delete keep;
  return r;
}

void Gate::release() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->open = true;
  state_->cv.notify_all();
}

bool Gate::entered() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->entered;
}

bool Gate::forced() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->forced;
}

// --- transfers ---------------------------------------------------------------------------------

void upload(ohal_stream_t stream, void* dst, const void* src, size_t bytes) {
  REQUIRE_OK(ohal_memcpy_async(stream, dst, src, bytes));
  REQUIRE_OK(ohal_stream_synchronize(stream));
}

void download(ohal_stream_t stream, void* dst, const void* src, size_t bytes) {
  REQUIRE_OK(ohal_memcpy_async(stream, dst, src, bytes));
  REQUIRE_OK(ohal_stream_synchronize(stream));
}

// --- misc --------------------------------------------------------------------------------------

uint32_t lcg_power(uint32_t x, uint32_t iterations) {
  // x -> a*x + c composed n times, by squaring the affine map.
  uint32_t a = 1, c = 0;                        // accumulated map
  uint32_t pa = CTS_LCG_MUL, pc = CTS_LCG_ADD;  // map^(2^k)
  for (uint32_t n = iterations; n != 0; n >>= 1) {
    if (n & 1u) {
      c = pa * c + pc;
      a = pa * a;
    }
    pc = pa * pc + pc;
    pa = pa * pa;
  }
  return a * x + c;
}

uint32_t default_block() {
  const ohal_device_properties_t& p = props();
  return std::max(1u, std::min({64u, p.max_threads_per_block, p.max_block_dims[0]}));
}

uint32_t spin_iterations() {
  if (const char* env = std::getenv("OHAL_CTS_SPIN_ITERATIONS")) {
    return static_cast<uint32_t>(std::strtoul(env, nullptr, 10));
  }
  return 20u * 1000u * 1000u;
}

std::vector<ohal_mem_kind_t> offered_kinds() {
  std::vector<ohal_mem_kind_t> kinds{OHAL_MEM_KIND_DEVICE};
  if (has_cap(OHAL_CAP_MEM_HOST)) kinds.push_back(OHAL_MEM_KIND_HOST);
  if (has_cap(OHAL_CAP_MEM_SHARED)) kinds.push_back(OHAL_MEM_KIND_SHARED);
  return kinds;
}

const char* kind_name(ohal_mem_kind_t kind) {
  switch (kind) {
    case OHAL_MEM_KIND_DEVICE:
      return "DEVICE";
    case OHAL_MEM_KIND_HOST:
      return "HOST";
    case OHAL_MEM_KIND_SHARED:
      return "SHARED";
    default:
      return "UNKNOWN";
  }
}

}  // namespace cts
