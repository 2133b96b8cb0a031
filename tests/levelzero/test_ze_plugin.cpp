// The plugin as the front-end sees it. No Intel GPU (and no Level Zero driver) exists here, so
// init must end in "0 devices" (loader installed, no driver) or a failure naming
// libze_loader.so.1 (loader missing) — never a crash.
#include <catch2/catch.hpp>

#include <dlfcn.h>

#include "host_stub.h"
#include "ze_loader.h"

using ohal::test::HostStub;

namespace {

const ohal_backend_t* open_plugin() {
  static void* library = dlopen(OHAL_LEVELZERO_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(library != nullptr);
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
  REQUIRE(entry != nullptr);
  const ohal_backend_t* table = nullptr;
  REQUIRE(entry(OHAL_BACKEND_ABI_VERSION, HostStub::services(), &table) == OHAL_SUCCESS);
  REQUIRE(table != nullptr);
  return table;
}

bool loader_installed() {
  return dlopen("libze_loader.so.1", RTLD_NOW | RTLD_LOCAL) != nullptr;
}

}  // namespace

TEST_CASE("the Level Zero plugin exports a complete table", "[ze][plugin]") {
  const ohal_backend_t* table = open_plugin();
  CHECK(table->struct_size >= OHAL_BACKEND_MIN_STRUCT_SIZE);
  CHECK(std::string(table->name) == "levelzero");
  CHECK(table->init != nullptr);
  CHECK(table->launch != nullptr);
  CHECK(table->memset_async != nullptr);
  CHECK(table->stream_launch_host_func != nullptr);
  CHECK(table->event_elapsed_time != nullptr);
}

TEST_CASE("the Level Zero plugin refuses a foreign ABI major", "[ze][plugin]") {
  void* library = dlopen(OHAL_LEVELZERO_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(library != nullptr);
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
  const ohal_backend_t* table = nullptr;
  CHECK(entry((OHAL_BACKEND_ABI_VERSION_MAJOR + 1) << 16, HostStub::services(), &table) ==
        OHAL_ERROR_UNSUPPORTED);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, nullptr, &table) == OHAL_ERROR_NULL_POINTER);
  dlclose(library);
}

TEST_CASE("without an Intel GPU the Level Zero plugin reports 0 devices or why it failed",
          "[ze][plugin]") {
  const ohal_backend_t* table = open_plugin();
  for (int round = 0; round < 2; ++round) {  // init again after shutdown, as ohal_init may
    HostStub::reset();
    const ohal_result_t result = table->init();
    if (loader_installed()) {
      INFO(HostStub::last_message);
      REQUIRE(result == OHAL_SUCCESS);
      uint32_t count = 99;
      REQUIRE(table->device_count(&count) == OHAL_SUCCESS);
      CHECK(count == 0);
      bool logged = false;
      for (const auto& line : HostStub::logs) {
        if (line.find("no Level Zero driver: zeInit: ZE_RESULT_ERROR_UNINITIALIZED") !=
            std::string::npos) {
          logged = true;
        }
      }
      CHECK(logged);
      ohal_bdevice_t device = nullptr;
      CHECK(table->device_get(0, &device) == OHAL_ERROR_NO_DEVICE);
      table->shutdown();
    } else {
      CHECK(result == OHAL_ERROR_BACKEND);
      CHECK_THAT(HostStub::last_message, Catch::Contains("libze_loader.so.1"));
    }
  }
}

TEST_CASE("a missing Level Zero loader is reported with the dlerror text", "[ze][plugin]") {
  ohal::ze::ZeApi api;
  std::string reason;
  CHECK_FALSE(ohal::ze::load_ze_api(api, reason, "libze_loader_absent.so.1"));
  CHECK_THAT(reason, Catch::StartsWith("libze_loader_absent.so.1: cannot open shared object file"));
  CHECK(api.library == nullptr);
}
