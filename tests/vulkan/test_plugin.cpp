// The plugin table directly (as the front-end sees it), and the plugin on machines without a
// Vulkan driver or loader (child processes with a broken environment).
#include <dlfcn.h>

#include <cstring>
#include <string>

#include "fixture.hpp"
#include "openai_hal/backend.h"

namespace {

thread_local std::string g_error;
int g_log_errors = 0;

ohal_result_t stub_set_error(ohal_result_t result, const char* message) {
  g_error = message != nullptr ? message : "";
  return result;
}
void stub_log(ohal_log_level_t level, const char*, const char* message) {
  if (level <= OHAL_LOG_LEVEL_ERROR) ++g_log_errors;
  UNSCOPED_INFO("log: " << message);
}
ohal_log_level_t stub_level() {
  return OHAL_LOG_LEVEL_WARN;
}

const ohal_host_services_t g_host = {sizeof(ohal_host_services_t), OHAL_BACKEND_ABI_VERSION,
                                     stub_log, stub_level, stub_set_error};

ohal_backend_entry_fn open_plugin() {
  void* lib = dlopen(OHAL_VK_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  INFO(dlerror());
  REQUIRE(lib != nullptr);
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(lib, OHAL_BACKEND_ENTRY_SYMBOL));
  REQUIRE(entry != nullptr);
  return entry;
}

#define REQUIRE_B(expr)                                                 \
  do {                                                                  \
    const ohal_result_t r_ = (expr);                                    \
    INFO(#expr << " -> " << ohal_result_string(r_) << ": " << g_error); \
    REQUIRE(r_ == OHAL_SUCCESS);                                        \
  } while (0)

}  // namespace

// Run by the "vulkan_plugin" test in its own process: the front-end must not share the plugin.
TEST_CASE("plugin: the table is complete and refuses another ABI major", "[.plugin]") {
  ohal_backend_entry_fn entry = open_plugin();
  const ohal_backend_t* table = nullptr;
  CHECK(entry(OHAL_BACKEND_ABI_VERSION + (1u << 16), &g_host, &table) == OHAL_ERROR_UNSUPPORTED);
  CHECK(g_error.find("ABI") != std::string::npos);
  REQUIRE_B(entry(OHAL_BACKEND_ABI_VERSION, &g_host, &table));
  REQUIRE(table != nullptr);
  CHECK(table->struct_size >= OHAL_BACKEND_MIN_STRUCT_SIZE);
  CHECK(OHAL_BACKEND_ABI_MAJOR(table->abi_version) == OHAL_BACKEND_ABI_VERSION_MAJOR);
  CHECK(std::string(table->name) == "vulkan");
  const void* const* fns = reinterpret_cast<const void* const*>(&table->init);
  const size_t count = (sizeof(ohal_backend_t) - offsetof(ohal_backend_t, init)) / sizeof(void*);
  for (size_t i = 0; i < count; ++i) {
    INFO("entry " << i);
    CHECK(fns[i] != nullptr);
  }
}

TEST_CASE("plugin: init, a copy round trip and shutdown, twice", "[.plugin]") {
  ohal_backend_entry_fn entry = open_plugin();
  const ohal_backend_t* t = nullptr;
  REQUIRE_B(entry(OHAL_BACKEND_ABI_VERSION, &g_host, &t));
  for (int cycle = 0; cycle < 2; ++cycle) {
    REQUIRE_B(t->init());
    uint32_t count = 0;
    REQUIRE_B(t->device_count(&count));
    if (count == 0) {
      WARN("no Vulkan device");
      t->shutdown();
      return;
    }
    ohal_bdevice_t dev = nullptr;
    REQUIRE_B(t->device_get(0, &dev));
    CHECK(t->device_get(count, &dev) == OHAL_ERROR_NO_DEVICE);
    ohal_device_properties_t props = OHAL_DEVICE_PROPERTIES_INIT;
    REQUIRE_B(t->device_get_properties(dev, &props));
    CHECK(props.kernel_formats == OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_SPIRV_VULKAN));

    const size_t n = 1000;
    ohal_balloc_t a{}, h{};
    REQUIRE_B(t->mem_alloc(dev, n, OHAL_MEM_KIND_DEVICE, 0, &a));
    REQUIRE_B(t->mem_alloc(dev, n, OHAL_MEM_KIND_HOST, 0, &h));
    CHECK(h.device_ptr != nullptr);
    ohal_bstream_t s = nullptr;
    REQUIRE_B(t->stream_create(dev, 0, &s));
    std::vector<unsigned char> in(n), out(n, 0);
    for (size_t i = 0; i < n; ++i) in[i] = static_cast<unsigned char>(i * 7);
    ohal_bmem_ref_t dref{a.ptr, a.alloc, 0, OHAL_MEM_KIND_DEVICE};
    ohal_bmem_ref_t href{h.ptr, h.alloc, 0, OHAL_MEM_KIND_HOST};
    ohal_bmem_ref_t in_ref{in.data(), nullptr, 0, OHAL_MEM_KIND_DEVICE};
    ohal_bmem_ref_t out_ref{out.data(), nullptr, 0, OHAL_MEM_KIND_DEVICE};
    REQUIRE_B(t->memcpy_async(s, &dref, &in_ref, n));
    REQUIRE_B(t->memcpy_async(s, &href, &dref, n));
    ohal_bmem_ref_t dref_mid{static_cast<char*>(a.ptr) + 3, a.alloc, 3, OHAL_MEM_KIND_DEVICE};
    REQUIRE_B(t->memset_async(s, &dref_mid, 0xee, 1, 5));
    REQUIRE_B(t->memcpy_async(s, &out_ref, &dref, n));
    REQUIRE_B(t->stream_synchronize(s));
    CHECK(std::memcmp(h.ptr, in.data(), n) == 0);
    std::vector<unsigned char> expect = in;
    std::memset(expect.data() + 3, 0xee, 5);
    CHECK(out == expect);
    REQUIRE_B(t->stream_destroy(s));
    REQUIRE_B(t->device_synchronize(dev));
    REQUIRE_B(t->mem_free(dev, a.alloc));
    REQUIRE_B(t->mem_free(dev, h.alloc));
    t->shutdown();
  }
  CHECK(g_log_errors == 0);
}

// --- no driver / no loader --------------------------------------------------------------------

namespace {

// In a child: the vulkan plugin is loaded with 0 devices or failed with a reason, and cpu_ref
// (when built) still works.
void check_vulkan_absent(const char* reason_part) {
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = "cpu_ref,vulkan";
  REQUIRE_OK(ohal_init(&desc));
  uint32_t count = 0;
  REQUIRE_OK(ohal_backend_count(&count));
  bool vulkan_seen = false;
  for (uint32_t i = 0; i < count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE_OK(ohal_backend_get_info(i, &info));
    INFO(info.name << ": status " << info.status << " '" << info.status_reason << "' devices "
                   << info.device_count);
    if (std::string(info.name) == "vulkan") {
      vulkan_seen = true;
      if (info.status == OHAL_BACKEND_STATUS_LOADED) {
        CHECK(info.device_count == 0);
      } else {
        CHECK(std::string(info.status_reason).find(reason_part) != std::string::npos);
      }
    }
    if (std::string(info.name) == "cpu_ref" && info.status == OHAL_BACKEND_STATUS_LOADED) {
      // The other plugin is unaffected: a copy on its device works.
      uint32_t devices = 0;
      REQUIRE_OK(ohal_device_count(&devices));
      REQUIRE(devices >= 1);
      ohal_device_t d = nullptr;
      REQUIRE_OK(ohal_device_get(0, &d));
      ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
      REQUIRE_OK(ohal_device_get_properties(d, &p));
      CHECK(std::string(p.backend) == "cpu_ref");
      void* mem = nullptr;
      REQUIRE_OK(ohal_mem_alloc(d, 64, OHAL_MEM_KIND_DEVICE, 0, &mem));
      const char text[] = "still works";
      char back[sizeof text] = {};
      REQUIRE_OK(ohal_memcpy(mem, text, sizeof text));
      REQUIRE_OK(ohal_memcpy(back, mem, sizeof text));
      CHECK(std::string(back) == text);
      REQUIRE_OK(ohal_mem_free(mem));
    }
  }
  CHECK(vulkan_seen);
}

}  // namespace

TEST_CASE("child: no Vulkan driver", "[.no_driver_child]") {
  check_vulkan_absent("Vulkan");
}

TEST_CASE("child: no Vulkan loader", "[.no_loader_child]") {
  check_vulkan_absent("libvulkan");
}

TEST_CASE("vulkan: without a driver the plugin reports 0 devices or why it failed",
          "[plugin][no_validation]") {
  const std::string missing = "/nonexistent/ohal_missing_icd.json";
  CHECK(vktest::run_self(
            "[.no_driver_child]",
            {"VK_ICD_FILENAMES=" + missing, "VK_DRIVER_FILES=" + missing, "OHAL_LOG=off"}) == 0);
}

TEST_CASE("vulkan: without the loader library the plugin fails with the reason",
          "[plugin][no_validation]") {
  CHECK(vktest::run_self("[.no_loader_child]",
                         {"OHAL_VULKAN_LOADER=/nonexistent/libvulkan.so.1", "OHAL_LOG=off"}) == 0);
}
