#include "fixture.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace cpu_ref_test {

namespace {
Env* g_env = nullptr;
}

Env& env() {
  if (g_env != nullptr) return *g_env;
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = "cpu_ref";
  OHAL_OK(ohal_init(&desc));
  uint32_t count = 0;
  OHAL_OK(ohal_device_count(&count));
  REQUIRE(count == 1);
  auto* e = new Env();
  OHAL_OK(ohal_device_get(0, &e->device));
  const std::vector<unsigned char> image = read_file(kernel_image_path());
  ohal_module_desc_t m = OHAL_MODULE_DESC_INIT;
  m.format = OHAL_KERNEL_FORMAT_NATIVE_SO;
  m.data = image.data();
  m.size = image.size();
  OHAL_OK(ohal_module_load(e->device, &m, &e->module));
  g_env = e;
  return *g_env;
}

void reset_env() {
  if (g_env != nullptr) {
    ohal_module_unload(g_env->module);
    delete g_env;
    g_env = nullptr;
  }
  ohal_shutdown();
}

ohal_kernel_t kernel(const char* name) {
  ohal_kernel_t k = nullptr;
  OHAL_OK(ohal_module_get_kernel(env().module, name, &k));
  return k;
}

std::vector<unsigned char> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO("reading " << path);
  REQUIRE(in.good());
  return std::vector<unsigned char>(std::istreambuf_iterator<char>(in), {});
}

std::string kernel_image_path() {
  return OHAL_TEST_CPU_REF_KERNELS;
}
std::string not_kernels_image_path() {
  return OHAL_TEST_CPU_REF_NOT_KERNELS;
}

Stream::Stream() {
  OHAL_OK(ohal_stream_create(env().device, OHAL_STREAM_FLAG_NONE, &s_));
}
Stream::~Stream() {
  if (s_ != nullptr) ohal_stream_destroy(s_);
}
ohal_result_t Stream::destroy() {
  const ohal_result_t r = ohal_stream_destroy(s_);
  s_ = nullptr;
  return r;
}

Event::Event(uint32_t flags) {
  OHAL_OK(ohal_event_create(env().device, flags, &e_));
}
Event::~Event() {
  ohal_event_destroy(e_);
}

Buffer::Buffer(size_t bytes, ohal_mem_kind_t kind, uint32_t flags) : size_(bytes) {
  OHAL_OK(ohal_mem_alloc(env().device, bytes, kind, flags, &p_));
}
Buffer::~Buffer() {
  ohal_mem_free(p_);
}

uint64_t spin_iterations(double ms) {
  static double per_ms = 0;
  if (per_ms == 0) {
    // The same LCG as the kernel's spin(), timed here.
    const uint64_t n = 20000000;
    const auto t0 = std::chrono::steady_clock::now();
    volatile uint64_t sink = 0;
    uint64_t x = 1;
    for (uint64_t i = 0; i < n; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
    sink = x;
    (void)sink;
    const double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    per_ms = static_cast<double>(n) / (elapsed > 0.01 ? elapsed : 0.01);
  }
  return static_cast<uint64_t>(per_ms * ms);
}

}  // namespace cpu_ref_test
