// What every GPU plugin's tests check through its one export on a machine without that GPU: the
// table, the entry's refusals, and init ending in 0 devices or a failure naming the runtime.
#pragma once

#include <catch2/catch.hpp>

#include <dlfcn.h>

#include <string>

#include "host_stub.h"
#include "openai_hal/backend.h"
#include "plugin_table.hpp"

namespace ohal::test {

// The plugin under test and what it should say about itself here.
struct PluginFacts {
  const char* path;           // the built libohal_<name>.so
  const char* name;           // ohal_backend_t::name
  const char* version_part;   // text ohal_backend_t::version contains
  const char* runtime;        // the vendor library init opens
  const char* no_device_log;  // the log line that says why there are 0 devices
};

inline bool library_loads(const char* soname) {
  return dlopen(soname, RTLD_NOW | RTLD_LOCAL) != nullptr;
}

// The plugin's ohal_backend_entry. The library stays loaded: the tables it hands out point into it.
inline ohal_backend_entry_fn plugin_entry(const char* path) {
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  REQUIRE(library != nullptr);
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
  REQUIRE(entry != nullptr);
  return entry;
}

// The table the plugin hands the host stub.
inline const ohal_backend_t* open_plugin(const char* path) {
  const ohal_backend_t* table = nullptr;
  REQUIRE(plugin_entry(path)(OHAL_BACKEND_ABI_VERSION, HostStub::services(), &table) ==
          OHAL_SUCCESS);
  REQUIRE(table != nullptr);
  return table;
}

inline void check_table(const PluginFacts& plugin) {
  const ohal_backend_t* table = open_plugin(plugin.path);
  CHECK(table->struct_size >= OHAL_BACKEND_MIN_STRUCT_SIZE);
  CHECK(OHAL_BACKEND_ABI_MAJOR(table->abi_version) == OHAL_BACKEND_ABI_VERSION_MAJOR);
  CHECK(std::string(table->name) == plugin.name);
  CHECK_THAT(table->version, Catch::Contains(plugin.version_part));
  // The GPU plugins implement the optional entries too.
#define OHAL_TEST_CHECK_ENTRY(entry) CHECK(table->entry != nullptr);
  OHAL_BACKEND_ENTRIES(OHAL_TEST_CHECK_ENTRY)
#undef OHAL_TEST_CHECK_ENTRY
}

inline void check_entry_refusals(const PluginFacts& plugin) {
  const ohal_backend_entry_fn entry = plugin_entry(plugin.path);
  const ohal_backend_t* table = nullptr;
  CHECK(entry((OHAL_BACKEND_ABI_VERSION_MAJOR + 1) << 16, HostStub::services(), &table) ==
        OHAL_ERROR_UNSUPPORTED);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, nullptr, &table) == OHAL_ERROR_NULL_POINTER);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, HostStub::services(), nullptr) == OHAL_ERROR_NULL_POINTER);
  ohal_host_services_t small = *HostStub::services();
  small.struct_size = sizeof(size_t);
  CHECK(entry(OHAL_BACKEND_ABI_VERSION, &small, &table) == OHAL_ERROR_STRUCT_SIZE);
}

// Never a crash: 0 devices with the reason logged (runtime installed) or a failure that names the
// runtime (runtime missing).
inline void check_init_without_device(const PluginFacts& plugin) {
  const ohal_backend_t* table = open_plugin(plugin.path);
  for (int round = 0; round < 2; ++round) {  // init again after shutdown, as ohal_init may
    HostStub::reset();
    const ohal_result_t result = table->init();
    if (library_loads(plugin.runtime)) {
      INFO(HostStub::last_message);
      REQUIRE(result == OHAL_SUCCESS);
      uint32_t count = 99;
      REQUIRE(table->device_count(&count) == OHAL_SUCCESS);
      CHECK(count == 0);
      CHECK(HostStub::logged(plugin.no_device_log));  // shown with OHAL_LOG=info
      ohal_bdevice_t device = nullptr;
      CHECK(table->device_get(0, &device) == OHAL_ERROR_NO_DEVICE);
      CHECK_THAT(HostStub::last_message, Catch::Contains("out of range (0 devices)"));
      table->shutdown();
    } else {
      CHECK(result == OHAL_ERROR_BACKEND);
      CHECK_THAT(HostStub::last_message, Catch::Contains(plugin.runtime));
    }
  }
}

// The three checks above as sections of the caller's test case.
inline void check_plugin(const PluginFacts& plugin) {
  SECTION("it exports a complete table") {
    check_table(plugin);
  }
  SECTION("it refuses bad entry arguments") {
    check_entry_refusals(plugin);
  }
  SECTION("without a device it reports 0 devices or why it failed") {
    check_init_without_device(plugin);
  }
}

// The backend's loader, pointed at a library that does not exist, fails with dlerror's text and
// keeps nothing.
template <typename Api>
void check_missing_library(bool (*load)(Api&, std::string&, const char*), const char* absent) {
  Api api;
  std::string reason;
  CHECK_FALSE(load(api, reason, absent));
  CHECK_THAT(reason, Catch::StartsWith(std::string(absent) + ": cannot open shared object file"));
  CHECK(api.library == nullptr);
}

}  // namespace ohal::test
