// The plugin as the front-end sees it: dlopen, ohal_backend_entry with a host-services stub,
// init. No AMD GPU exists here, so init must end in "0 devices" (runtime installed) or a failure
// naming libamdhip64.so.5 (runtime missing) — never a crash.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include "hip_api.h"
#include "host_stub.h"

using ohal::test::HostStub;

namespace {

const ohal_backend_t* open_plugin() {
  static void* library = dlopen(OHAL_HIP_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(library != nullptr);
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
  REQUIRE(entry != nullptr);
  const ohal_backend_t* table = nullptr;
  REQUIRE(entry(OHAL_BACKEND_ABI_VERSION, HostStub::services(), &table) == OHAL_SUCCESS);
  REQUIRE(table != nullptr);
  return table;
}

bool runtime_installed() {
  void* runtime = dlopen("libamdhip64.so.5", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (runtime == nullptr) runtime = dlopen("libamdhip64.so.5", RTLD_NOW | RTLD_LOCAL);
  return runtime != nullptr;
}

}  // namespace

TEST_CASE("the HIP plugin exports a complete table", "[hip][plugin]") {
  const ohal_backend_t* table = open_plugin();
  CHECK(table->struct_size >= OHAL_BACKEND_MIN_STRUCT_SIZE);
  CHECK(OHAL_BACKEND_ABI_MAJOR(table->abi_version) == OHAL_BACKEND_ABI_VERSION_MAJOR);
  CHECK(std::string(table->name) == "hip");
  CHECK_THAT(table->version, Catch::Contains("HIP 5"));
  const void* required[] = {reinterpret_cast<const void*>(table->init),
                            reinterpret_cast<const void*>(table->shutdown),
                            reinterpret_cast<const void*>(table->device_count),
                            reinterpret_cast<const void*>(table->device_get),
                            reinterpret_cast<const void*>(table->device_get_properties),
                            reinterpret_cast<const void*>(table->device_synchronize),
                            reinterpret_cast<const void*>(table->mem_alloc),
                            reinterpret_cast<const void*>(table->mem_free),
                            reinterpret_cast<const void*>(table->mem_get_info),
                            reinterpret_cast<const void*>(table->stream_create),
                            reinterpret_cast<const void*>(table->stream_destroy),
                            reinterpret_cast<const void*>(table->stream_synchronize),
                            reinterpret_cast<const void*>(table->stream_query),
                            reinterpret_cast<const void*>(table->stream_wait_event),
                            reinterpret_cast<const void*>(table->event_create),
                            reinterpret_cast<const void*>(table->event_destroy),
                            reinterpret_cast<const void*>(table->event_record),
                            reinterpret_cast<const void*>(table->event_synchronize),
                            reinterpret_cast<const void*>(table->event_query),
                            reinterpret_cast<const void*>(table->module_load),
                            reinterpret_cast<const void*>(table->module_unload),
                            reinterpret_cast<const void*>(table->module_get_kernel),
                            reinterpret_cast<const void*>(table->kernel_get_properties),
                            reinterpret_cast<const void*>(table->launch),
                            reinterpret_cast<const void*>(table->memcpy_async),
                            reinterpret_cast<const void*>(table->memset_async),
                            reinterpret_cast<const void*>(table->stream_launch_host_func),
                            reinterpret_cast<const void*>(table->event_elapsed_time)};
  for (const void* entry : required) CHECK(entry != nullptr);
}

TEST_CASE("the HIP plugin refuses bad entry arguments", "[hip][plugin]") {
  void* library = dlopen(OHAL_HIP_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(library != nullptr);
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
  REQUIRE(entry != nullptr);
  const ohal_backend_t* table = nullptr;
  CHECK(entry((OHAL_BACKEND_ABI_VERSION_MAJOR + 1) << 16, HostStub::services(), &table) ==
        OHAL_ERROR_UNSUPPORTED);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, nullptr, &table) == OHAL_ERROR_NULL_POINTER);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, HostStub::services(), nullptr) == OHAL_ERROR_NULL_POINTER);
  ohal_host_services_t small = *HostStub::services();
  small.struct_size = sizeof(size_t);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, &small, &table) == OHAL_ERROR_STRUCT_SIZE);
  dlclose(library);
}

TEST_CASE("without an AMD GPU the HIP plugin reports 0 devices or why it failed", "[hip][plugin]") {
  const ohal_backend_t* table = open_plugin();
  for (int round = 0; round < 2; ++round) {  // init again after shutdown, as ohal_init may
    HostStub::reset();
    const ohal_result_t result = table->init();
    if (runtime_installed()) {
      INFO(HostStub::last_message);
      REQUIRE(result == OHAL_SUCCESS);
      uint32_t count = 99;
      REQUIRE(table->device_count(&count) == OHAL_SUCCESS);
      CHECK(count == 0);
      // The reason is logged for OHAL_LOG=info.
      bool logged = false;
      for (const auto& line : HostStub::logs) {
        if (line.find("hipGetDeviceCount: hipErrorNoDevice (100)") != std::string::npos) {
          logged = true;
        }
      }
      CHECK(logged);
      ohal_bdevice_t device = nullptr;
      CHECK(table->device_get(0, &device) == OHAL_ERROR_NO_DEVICE);
      CHECK_THAT(HostStub::last_message, Catch::Contains("out of range (0 devices)"));
      table->shutdown();
    } else {
      CHECK(result == OHAL_ERROR_BACKEND);
      CHECK_THAT(HostStub::last_message, Catch::Contains("libamdhip64.so.5"));
    }
  }
}

TEST_CASE("a missing HIP runtime is reported with the dlerror text", "[hip][plugin]") {
  ohal::hip::HipApi api;
  std::string reason;
  CHECK_FALSE(ohal::hip::load_hip_api(api, reason, "libamdhip64_absent.so.5"));
  CHECK_THAT(reason, Catch::StartsWith("libamdhip64_absent.so.5: cannot open shared object file"));
  CHECK(api.library == nullptr);
}
