// Plugin faults: every broken plugin is skipped with its reason, and cpu_ref keeps working.
#include <cstring>
#include <vector>

#include "fixture.hpp"

using namespace ohal_test;
using Catch::Matchers::Contains;

namespace {

void check_cpu_ref_works() {
  ohal_backend_info_t cpu = backend_info("cpu_ref");
  REQUIRE(cpu.status == OHAL_BACKEND_STATUS_LOADED);
  uint32_t count = 0;
  REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
  REQUIRE(count == cpu.device_count);
  ohal_device_t device = nullptr;
  REQUIRE(ohal_device_get(0, &device) == OHAL_SUCCESS);
  void* buffer = nullptr;
  REQUIRE(ohal_mem_alloc(device, 4096, OHAL_MEM_KIND_DEVICE, 0, &buffer) == OHAL_SUCCESS);
  REQUIRE(ohal_memset(buffer, 0xabcd1234u, 4, 1024) == OHAL_SUCCESS);
  std::vector<uint32_t> host(1024, 0);
  REQUIRE(ohal_memcpy(host.data(), buffer, 4096) == OHAL_SUCCESS);
  CHECK(host.front() == 0xabcd1234u);
  CHECK(host.back() == 0xabcd1234u);
  REQUIRE(ohal_mem_free(buffer) == OHAL_SUCCESS);
}

}  // namespace

TEST_CASE("loader: broken plugins are skipped with their reason") {
  reinit(
      "no_entry,wrong_abi,init_fails,missing_entries,missing_library,entry_fails,absent,cpu_ref");
  struct Expectation {
    const char* name;
    const char* reason;
  };
  const Expectation expectations[] = {
      {"no_entry", "no ohal_backend_entry symbol"},
      {"wrong_abi", "backend ABI major version 2"},
      {"init_fails", "vendorInit: VENDOR_ERROR_NO_DRIVER (7)"},
      {"missing_entries", "required backend entries missing: device_count"},
      {"missing_library", "libohal_absent_dependency.so: cannot open shared object file"},
      {"entry_fails", "faulty: refuses this front-end"},
      {"absent", "libohal_absent.so not found"},
  };
  for (const Expectation& e : expectations) {
    INFO("plugin " << e.name);
    const ohal_backend_info_t info = backend_info(e.name);
    CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
    CHECK_THAT(std::string(info.status_reason), Contains(e.reason));
    CHECK(info.device_count == 0);
  }
  check_cpu_ref_works();
}

TEST_CASE("loader: plugins are listed in the order OHAL_BACKENDS names them") {
  reinit("init_fails,cpu_ref,no_entry");
  uint32_t count = 0;
  REQUIRE(ohal_backend_count(&count) == OHAL_SUCCESS);
  REQUIRE(count == 3);
  const char* expected[] = {"init_fails", "cpu_ref", "no_entry"};
  for (uint32_t i = 0; i < 3; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE(ohal_backend_get_info(i, &info) == OHAL_SUCCESS);
    CHECK(std::string(info.name) == expected[i]);
  }
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  CHECK(ohal_backend_get_info(3, &info) == OHAL_ERROR_INVALID_VALUE);
  CHECK_THAT(last_error(), Contains("out of range"));
  check_cpu_ref_works();
}

TEST_CASE("loader: plugins are found in the install folder without any environment") {
  REQUIRE(ohal_shutdown() == OHAL_SUCCESS);
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = "";  // all, overriding OHAL_BACKENDS
  desc.backend_path = "";
  desc.log_level = OHAL_LOG_LEVEL_OFF;
  REQUIRE(ohal_init(&desc) == OHAL_SUCCESS);
  const ohal_backend_info_t cpu = backend_info("cpu_ref");
  CHECK(cpu.status == OHAL_BACKEND_STATUS_LOADED);
  CHECK_THAT(std::string(cpu.path), Contains("openai_hal/libohal_cpu_ref.so"));
  CHECK(cpu.abi_version >> 16 == 1);
}

TEST_CASE("loader: OHAL_VISIBLE_DEVICES filters devices") {
  uint32_t count = 0;
  reinit("cpu_ref", "cpu_ref:0");
  REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
  CHECK(count == 1);
  reinit("cpu_ref", "cpu_ref:*");
  REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
  CHECK(count == 1);
  reinit("cpu_ref", "cpu_ref:1");
  REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
  CHECK(count == 0);
  reinit("cpu_ref", "vulkan:*");
  REQUIRE(ohal_device_count(&count) == OHAL_SUCCESS);
  CHECK(count == 0);
  ohal_device_t device = nullptr;
  CHECK(ohal_device_get(0, &device) == OHAL_ERROR_NO_DEVICE);
  CHECK_THAT(last_error(), Contains("0 visible devices"));
  // The plugin still reports its devices before filtering.
  CHECK(backend_info("cpu_ref").device_count == 1);
}

TEST_CASE("loader: a plugin without devices says why") {
  reinit("levelzero,cpu_ref");
  const ohal_backend_info_t info = backend_info("levelzero");
  if (info.status != OHAL_BACKEND_STATUS_LOADED || info.device_count != 0) {
    SUCCEED("levelzero is not built here, or found a device: nothing to show");
    return;
  }
  // The backend explained itself with set_error(OHAL_SUCCESS, ...) while initializing.
  CHECK_THAT(std::string(info.status_reason), Contains("no Level Zero driver: zeInit"));
  CHECK(backend_info("cpu_ref").status_reason[0] == '\0');
}
