// The backend end to end through the public API, on the mock driver (mock_driver.cpp) instead
// of libcuda: what the plugin asks of the driver and what it makes of the answers. Real kernels
// come from NVRTC; the mock "runs" them with host implementations.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "openai_hal/ohal.h"

namespace {

struct MockCudaStats {
  int set_current_calls;
  int context_refs;
  int live_allocations;
  int live_streams;
};

MockCudaStats mock_stats() {
  void* mock = dlopen(OHAL_CUDA_TEST_MOCK_DRIVER, RTLD_NOW | RTLD_NOLOAD);
  REQUIRE(mock != nullptr);
  auto stats = reinterpret_cast<MockCudaStats (*)()>(dlsym(mock, "mock_cuda_stats"));
  REQUIRE(stats != nullptr);
  const MockCudaStats s = stats();
  dlclose(mock);
  return s;
}

void mock_reset_fault() {
  void* mock = dlopen(OHAL_CUDA_TEST_MOCK_DRIVER, RTLD_NOW | RTLD_NOLOAD);
  if (mock == nullptr) return;  // not loaded yet
  if (auto reset = reinterpret_cast<void (*)()>(dlsym(mock, "mock_cuda_reset_fault"))) reset();
  dlclose(mock);
}

// ohal_init with only the cuda plugin, on the mock driver; ohal_shutdown at scope exit.
struct MockSession {
  ohal_device_t device = nullptr;
  MockSession() {
    mock_reset_fault();
    setenv("OHAL_CUDA_DRIVER_PATH", OHAL_CUDA_TEST_MOCK_DRIVER, 1);
    ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
    desc.backends = "cuda";
    desc.visible_devices = "cuda:*";
    REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
    uint32_t count = 0;
    REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
    INFO(backend_reason());
    REQUIRE(count == 1);
    REQUIRE(ohal_device_get(0, &device) == OHAL_SUCCESS);
  }
  ~MockSession() {
    ohal_shutdown();
    unsetenv("OHAL_CUDA_DRIVER_PATH");
  }
  static std::string backend_reason() {
    uint32_t n = 0;
    ohal_backend_count(&n);
    for (uint32_t i = 0; i < n; ++i) {
      ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
      if (ohal_backend_get_info(i, &info) == OHAL_SUCCESS) return info.status_reason;
    }
    return "no backend";
  }
};

std::string last_error() {
  return ohal_last_error_message();
}

constexpr const char kSaxpy[] = R"(
#include "openai_hal/kernel.h"
OHAL_KERNEL(saxpy, uint32_t n, float a, const float* x, float* y) {
  uint32_t i = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
  if (i < n) y[i] = a * x[i] + y[i];
}
)";

ohal_module_t load(ohal_device_t device, ohal_kernel_format_t format, const std::string& data,
                   const char* options = nullptr, ohal_result_t expect = OHAL_SUCCESS) {
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  desc.format = format;
  desc.data = data.data();
  desc.size = data.size();
  desc.options = options;
  ohal_module_t module = nullptr;
  const ohal_result_t r = ohal_module_load(device, &desc, &module);
  INFO(last_error());
  REQUIRE(r == expect);
  return module;
}

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("mock: the backend loads and reports the device", "[cuda][mock]") {
  MockSession session;
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  REQUIRE(ohal_backend_get_info(0, &info) == OHAL_SUCCESS);
  CHECK(std::string(info.name) == "cuda");
  CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
  CHECK(info.device_count == 1);
  CHECK(std::string(info.version).find("CUDA driver 12.8") != std::string::npos);

  ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
  REQUIRE(ohal_device_get_properties(session.device, &p) == OHAL_SUCCESS);
  CHECK(std::string(p.name) == "Mock CUDA Device");
  CHECK(std::string(p.vendor) == "NVIDIA");
  CHECK(std::string(p.backend) == "cuda");
  CHECK(p.type == OHAL_DEVICE_TYPE_GPU);
  CHECK(p.total_memory == (uint64_t{1} << 30));
  CHECK(p.free_memory <= p.total_memory);
  CHECK(p.max_block_dims[0] == 1024);
  CHECK(p.max_block_dims[2] == 64);
  CHECK(p.max_threads_per_block == 1024);
  CHECK(p.max_grid_dims[0] == 2147483647u);
  CHECK(p.max_shared_bytes_per_block == 227u * 1024u);
  CHECK(p.max_kernel_arg_bytes == 32764u);
  CHECK(p.subgroup_size == 32);
  CHECK(p.compute_units == 4);
  const uint32_t formats =
      OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_PTX) | OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_CUBIN) |
      OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_FATBIN) | OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_CUDA_SOURCE);
  CHECK(p.kernel_formats == formats);
  CHECK(p.uuid[0] == 0xa0);
  CHECK(p.uuid[15] == 0xaf);
  CHECK(p.pci_bus == 0x17);
  CHECK(p.pci_function == 3);
  const uint32_t caps = OHAL_CAP_UNIFIED_ADDRESSING | OHAL_CAP_MEM_HOST | OHAL_CAP_MEM_SHARED |
                        OHAL_CAP_ATOMICS_64 | OHAL_CAP_EVENT_TIMING | OHAL_CAP_HOST_FUNC |
                        OHAL_CAP_DYNAMIC_SHARED | OHAL_CAP_KERNEL_ARG_SIZES;
  CHECK(p.capabilities == caps);
  CHECK(p.memory_alignment == 256);
}

TEST_CASE("mock: a driver without a GPU loads with 0 devices and says why", "[cuda][mock]") {
  setenv("OHAL_CUDA_DRIVER_PATH", OHAL_CUDA_TEST_MOCK_DRIVER, 1);
  setenv("OHAL_CUDA_MOCK_NO_DEVICE", "1", 1);
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = "cuda";
  REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  REQUIRE(ohal_backend_get_info(0, &info) == OHAL_SUCCESS);
  INFO("status_reason: " << info.status_reason);
  CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
  CHECK(info.device_count == 0);
  CHECK(
      std::string(info.status_reason).find("no CUDA device: cuInit: CUDA_ERROR_NO_DEVICE (100)") !=
      std::string::npos);
  uint32_t devices = 1;
  CHECK(ohal_device_count(&devices) == OHAL_SUCCESS);
  CHECK(devices == 0);
  CHECK(ohal_shutdown() == OHAL_SUCCESS);
  unsetenv("OHAL_CUDA_MOCK_NO_DEVICE");
  unsetenv("OHAL_CUDA_DRIVER_PATH");
}

TEST_CASE("mock: memory kinds, zero fill, copies and fills", "[cuda][mock]") {
  MockSession session;
  const size_t n = 1000;
  std::vector<uint32_t> host(n, 0);

  void* device = nullptr;
  REQUIRE(ohal_mem_alloc(session.device, n * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO,
                         &device) == OHAL_SUCCESS);
  host.assign(n, 0xffffffffu);
  REQUIRE(ohal_memcpy(host.data(), device, n * 4) == OHAL_SUCCESS);  // device -> pageable
  CHECK(host == std::vector<uint32_t>(n, 0u));                       // the mock returns 0xcd

  void* pinned = nullptr;
  REQUIRE(ohal_mem_alloc(session.device, n * 4, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO, &pinned) ==
          OHAL_SUCCESS);
  CHECK(static_cast<uint32_t*>(pinned)[n - 1] == 0u);
  void* pinned_device = nullptr;
  REQUIRE(ohal_mem_get_device_pointer(pinned, &pinned_device) == OHAL_SUCCESS);
  CHECK(pinned_device == pinned);  // unified addressing

  void* shared = nullptr;
  REQUIRE(ohal_mem_alloc(session.device, n * 4, OHAL_MEM_KIND_SHARED, OHAL_MEM_FLAG_ZERO,
                         &shared) == OHAL_SUCCESS);
  CHECK(static_cast<uint32_t*>(shared)[17] == 0u);

  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(session.device, OHAL_STREAM_FLAG_NONE, &stream) == OHAL_SUCCESS);
  // 32-bit fill on the device, copied device -> pinned host, then pinned -> pageable (CPU path).
  REQUIRE(ohal_memset_async(stream, device, 0x12345678u, 4, n) == OHAL_SUCCESS);
  REQUIRE(ohal_memcpy_async(stream, pinned, device, n * 4) == OHAL_SUCCESS);
  host.assign(n, 0);
  REQUIRE(ohal_memcpy_async(stream, host.data(), pinned, n * 4) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  CHECK(host == std::vector<uint32_t>(n, 0x12345678u));

  // 16-bit fill of pageable memory runs on the CPU; 8-bit fill of managed memory on the device.
  std::vector<uint16_t> halves(n, 0);
  REQUIRE(ohal_memset_async(stream, halves.data(), 0xbeefu, 2, n) == OHAL_SUCCESS);
  REQUIRE(ohal_memset_async(stream, shared, 0x5au, 1, n * 4) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  CHECK(halves == std::vector<uint16_t>(n, 0xbeefu));
  CHECK(static_cast<uint32_t*>(shared)[n - 1] == 0x5a5a5a5au);

  // pageable -> device at an offset, back again.
  std::vector<uint32_t> pattern(10);
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint32_t>(i * 3);
  void* offset = static_cast<char*>(device) + 40;
  REQUIRE(ohal_memcpy_async(stream, offset, pattern.data(), 40) == OHAL_SUCCESS);
  std::vector<uint32_t> back(10, 0);
  REQUIRE(ohal_memcpy_async(stream, back.data(), offset, 40) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  CHECK(back == pattern);

  uint64_t free_bytes = 0, total = 0;
  REQUIRE(ohal_mem_get_info(session.device, &free_bytes, &total) == OHAL_SUCCESS);
  CHECK(total == (uint64_t{1} << 30));
  CHECK(free_bytes <= total - 3 * n * 4);

  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_free(device) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_free(pinned) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_free(shared) == OHAL_SUCCESS);
  CHECK(mock_stats().live_allocations == 0);
}

TEST_CASE("mock: device memory exhaustion", "[cuda][mock]") {
  MockSession session;
  void* p = nullptr;
  // Within max_allocation_size (1 GiB) but above what is free once something is allocated.
  void* first = nullptr;
  REQUIRE(ohal_mem_alloc(session.device, 4096, OHAL_MEM_KIND_DEVICE, 0, &first) == OHAL_SUCCESS);
  const ohal_result_t r =
      ohal_mem_alloc(session.device, (size_t{1} << 30) + 1, OHAL_MEM_KIND_DEVICE, 0, &p);
  CHECK(r == OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK_FALSE(last_error().empty());
  REQUIRE(ohal_mem_free(first) == OHAL_SUCCESS);
}

TEST_CASE("mock: events time, host functions run in order", "[cuda][mock]") {
  MockSession session;
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(session.device, 0, &stream) == OHAL_SUCCESS);
  ohal_event_t start = nullptr, end = nullptr, untimed = nullptr;
  REQUIRE(ohal_event_create(session.device, 0, &start) == OHAL_SUCCESS);
  REQUIRE(ohal_event_create(session.device, 0, &end) == OHAL_SUCCESS);
  REQUIRE(ohal_event_create(session.device, OHAL_EVENT_FLAG_DISABLE_TIMING, &untimed) ==
          OHAL_SUCCESS);
  CHECK(ohal_event_query(start) == OHAL_SUCCESS);  // never recorded: complete
  REQUIRE(ohal_event_record(start, stream) == OHAL_SUCCESS);
  int calls = 0;
  REQUIRE(ohal_stream_launch_host_func(
              stream, [](void* user) { ++*static_cast<int*>(user); }, &calls) == OHAL_SUCCESS);
  REQUIRE(ohal_event_record(end, stream) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_wait_event(stream, end) == OHAL_SUCCESS);
  REQUIRE(ohal_event_synchronize(end) == OHAL_SUCCESS);
  CHECK(calls == 1);
  float ms = -1.0f;
  REQUIRE(ohal_event_elapsed_time(start, end, &ms) == OHAL_SUCCESS);
  CHECK(ms == 1.0f);  // the mock's clock ticks once per record
  REQUIRE(ohal_event_record(untimed, stream) == OHAL_SUCCESS);
  CHECK(ohal_event_elapsed_time(start, untimed, &ms) == OHAL_ERROR_UNSUPPORTED);
  CHECK(ohal_stream_query(stream) == OHAL_SUCCESS);
  CHECK(ohal_event_destroy(start) == OHAL_SUCCESS);
  CHECK(ohal_event_destroy(end) == OHAL_SUCCESS);
  CHECK(ohal_event_destroy(untimed) == OHAL_SUCCESS);
  CHECK(ohal_stream_destroy(stream) == OHAL_SUCCESS);
}

TEST_CASE("mock: CUDA_SOURCE through NVRTC, arguments from cuFuncGetParamInfo, launch",
          "[cuda][mock]") {
  MockSession session;
  ohal_module_t module = load(session.device, OHAL_KERNEL_FORMAT_CUDA_SOURCE, kSaxpy);
  ohal_kernel_t kernel = nullptr;
  REQUIRE(ohal_module_get_kernel(module, "saxpy", &kernel) == OHAL_SUCCESS);
  ohal_kernel_t again = nullptr;
  REQUIRE(ohal_module_get_kernel(module, "saxpy", &again) == OHAL_SUCCESS);
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE(ohal_kernel_get_properties(kernel, &kp) == OHAL_SUCCESS);
  CHECK(std::string(kp.name) == "saxpy");
  CHECK(kp.max_threads_per_block == 1024);
  CHECK(kp.arg_count_known == 1);
  REQUIRE(kp.arg_count == 4);
  CHECK(kp.arg_sizes[0] == 4);
  CHECK(kp.arg_sizes[1] == 4);
  CHECK(kp.arg_sizes[2] == 8);
  CHECK(kp.arg_sizes[3] == 8);

  const uint32_t n = 1000;
  std::vector<float> x(n), y(n);
  for (uint32_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 1.0f;
  }
  void *dx = nullptr, *dy = nullptr;
  REQUIRE(ohal_mem_alloc(session.device, n * 4, OHAL_MEM_KIND_DEVICE, 0, &dx) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_alloc(session.device, n * 4, OHAL_MEM_KIND_DEVICE, 0, &dy) == OHAL_SUCCESS);
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(session.device, 0, &stream) == OHAL_SUCCESS);
  REQUIRE(ohal_memcpy_async(stream, dx, x.data(), n * 4) == OHAL_SUCCESS);
  REQUIRE(ohal_memcpy_async(stream, dy, y.data(), n * 4) == OHAL_SUCCESS);
  const float a = 2.0f;
  const ohal_kernel_arg_t args[] = {{&n, 4}, {&a, 4}, {&dx, 8}, {&dy, 8}};
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  config.grid[0] = (n + 255) / 256;
  config.block[0] = 256;
  const int switches_before = mock_stats().set_current_calls;
  for (int i = 0; i < 100; ++i) {
    REQUIRE(ohal_launch(stream, kernel, &config, 4, args) == OHAL_SUCCESS);
  }
  // The thread's context is cached: no cuCtxSetCurrent per launch.
  CHECK(mock_stats().set_current_calls - switches_before <= 1);
  REQUIRE(ohal_memcpy_async(stream, y.data(), dy, n * 4) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  for (uint32_t i = 0; i < n; i += 37) {
    INFO("i = " << i);
    CHECK(y[i] == 1.0f + 100.0f * 2.0f * static_cast<float>(i));
  }

  // Dynamic shared memory above 48 KiB is opted into; above the device's limit it is refused.
  config.shared_bytes = 100 * 1024;
  CHECK(ohal_launch(stream, kernel, &config, 4, args) == OHAL_SUCCESS);
  config.shared_bytes = 228 * 1024;
  CHECK(ohal_launch(stream, kernel, &config, 4, args) == OHAL_ERROR_INVALID_LAUNCH_CONFIG);

  ohal_kernel_t missing = nullptr;
  CHECK(ohal_module_get_kernel(module, "nope", &missing) == OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK(last_error().find("cuModuleGetFunction('nope'): CUDA_ERROR_NOT_FOUND (500)") !=
        std::string::npos);

  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_free(dx) == OHAL_SUCCESS);
  REQUIRE(ohal_mem_free(dy) == OHAL_SUCCESS);
  REQUIRE(ohal_module_unload(module) == OHAL_SUCCESS);
}

TEST_CASE("mock: module errors carry the JIT or NVRTC log", "[cuda][mock]") {
  MockSession session;
  SECTION("PTX the JIT rejects") {
    const std::string ptx =
        ".version 8.0\n.target sm_90\n.visible .entry k(\n)\n{ call mock_invalid; }\n";
    load(session.device, OHAL_KERNEL_FORMAT_PTX, ptx, nullptr, OHAL_ERROR_INVALID_IMAGE);
    CHECK(last_error().find("cuModuleLoadDataEx: CUDA_ERROR_INVALID_PTX (218)") !=
          std::string::npos);
    CHECK(last_error().find("JIT log:\nptxas fatal   : mock: Unresolved extern function") !=
          std::string::npos);
  }
  SECTION("PTX with JIT options") {
    const std::string ptx = ".version 8.0\n.target sm_90\n.visible .entry k(\n)\n{ ret; }\n";
    ohal_module_t m = load(session.device, OHAL_KERNEL_FORMAT_PTX, ptx, "-O3 -lineinfo");
    CHECK(ohal_module_unload(m) == OHAL_SUCCESS);
    load(session.device, OHAL_KERNEL_FORMAT_PTX, ptx, "-Ofast", OHAL_ERROR_INVALID_VALUE);
    CHECK(last_error().find("unknown JIT option '-Ofast'") != std::string::npos);
  }
  SECTION("CUDA source that does not compile") {
    load(session.device, OHAL_KERNEL_FORMAT_CUDA_SOURCE, "OHAL_KERNEL(broken) { nope(); }", nullptr,
         OHAL_ERROR_BUILD_FAILED);
    CHECK(last_error().find("nvrtcCompileProgram: NVRTC_ERROR_COMPILATION (6)") !=
          std::string::npos);
  }
  SECTION("a CUBIN whose headers point past its end never reaches the driver") {
    std::string elf(64, '\0');
    std::memcpy(elf.data(),
                "\x7f"
                "ELF\x02\x01\x01",
                7);
    const uint64_t shoff = 1u << 20;  // section headers 1 MiB into a 64-byte image
    std::memcpy(elf.data() + 0x28, &shoff, 8);
    const uint16_t shentsize = 64, shnum = 3;
    std::memcpy(elf.data() + 0x3a, &shentsize, 2);
    std::memcpy(elf.data() + 0x3c, &shnum, 2);
    load(session.device, OHAL_KERNEL_FORMAT_CUBIN, elf, nullptr, OHAL_ERROR_INVALID_IMAGE);
    CHECK(last_error().find("CUBIN: ELF headers run past the end of the image") !=
          std::string::npos);
    load(session.device, OHAL_KERNEL_FORMAT_CUBIN, "not an elf", nullptr, OHAL_ERROR_INVALID_IMAGE);
    load(session.device, OHAL_KERNEL_FORMAT_FATBIN, "not a fatbin at all", nullptr,
         OHAL_ERROR_INVALID_IMAGE);
  }
  SECTION("nvcc's CUBIN and FATBIN pass the checks, truncated ones do not") {
    const std::string cubin = read_file(OHAL_CUDA_TEST_CUBIN);
    const std::string fatbin = read_file(OHAL_CUDA_TEST_FATBIN);
    if (cubin.empty() || fatbin.empty()) {
      WARN("nvcc outputs missing; skipped");
      return;
    }
    CHECK(ohal_module_unload(load(session.device, OHAL_KERNEL_FORMAT_CUBIN, cubin)) ==
          OHAL_SUCCESS);
    CHECK(ohal_module_unload(load(session.device, OHAL_KERNEL_FORMAT_FATBIN, fatbin)) ==
          OHAL_SUCCESS);
    load(session.device, OHAL_KERNEL_FORMAT_CUBIN, cubin.substr(0, cubin.size() / 2), nullptr,
         OHAL_ERROR_INVALID_IMAGE);
    load(session.device, OHAL_KERNEL_FORMAT_FATBIN, fatbin.substr(0, fatbin.size() - 1), nullptr,
         OHAL_ERROR_INVALID_IMAGE);
  }
}

TEST_CASE("mock: a device fault is sticky and names the kernel", "[cuda][mock]") {
  MockSession session;
  const std::string ptx =
      ".version 8.0\n.target sm_90\n.visible .entry mock_fault(\n\t.param .u64 p\n)\n{ ret; }\n";
  ohal_module_t module = load(session.device, OHAL_KERNEL_FORMAT_PTX, ptx);
  ohal_kernel_t kernel = nullptr;
  REQUIRE(ohal_module_get_kernel(module, "mock_fault", &kernel) == OHAL_SUCCESS);
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(session.device, 0, &stream) == OHAL_SUCCESS);
  const uint64_t address = 0xdead;
  const ohal_kernel_arg_t args[] = {{&address, 8}};
  const ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  REQUIRE(ohal_launch(stream, kernel, &config, 1, args) == OHAL_SUCCESS);
  CHECK(ohal_stream_synchronize(stream) == OHAL_ERROR_LAUNCH_FAILED);
  const std::string message = last_error();
  CHECK(message.find("CUDA_ERROR_ILLEGAL_ADDRESS (700)") != std::string::npos);
  CHECK(message.find("'mock_fault'") != std::string::npos);
  CHECK(ohal_stream_synchronize(stream) == OHAL_ERROR_LAUNCH_FAILED);  // sticky
  ohal_stream_destroy(stream);
  ohal_module_unload(module);
}

TEST_CASE("mock: shutdown releases the primary context and every stream", "[cuda][mock]") {
  {
    MockSession session;
    void* p = nullptr;
    REQUIRE(ohal_mem_alloc(session.device, 64, OHAL_MEM_KIND_DEVICE, 0, &p) == OHAL_SUCCESS);
    CHECK(mock_stats().context_refs == 1);
    REQUIRE(ohal_memset(p, 0, 1, 64) == OHAL_SUCCESS);  // the front-end's internal stream
    REQUIRE(ohal_mem_free(p) == OHAL_SUCCESS);
  }
  const MockCudaStats stats = mock_stats();
  CHECK(stats.context_refs == 0);
  CHECK(stats.live_streams == 0);
  CHECK(stats.live_allocations == 0);
}
