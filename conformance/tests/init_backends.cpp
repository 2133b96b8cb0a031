// Init, shutdown and backend enumeration.
#include <cstdlib>
#include <string>

#include "cts.hpp"

namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

// Shuts down; the next cts::device() re-initializes from the environment.
void shut_down() {
  REQUIRE_OK(ohal_shutdown());
  cts::forget_handles();
}

}  // namespace

TEST_CASE("init: a second init with a descriptor is ALREADY_INITIALIZED", "[init]") {
  cts::ensure_initialized();
  CHECK_OK(ohal_init(nullptr));
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  CHECK_RESULT(ohal_init(&desc), OHAL_ERROR_ALREADY_INITIALIZED);
  // The library keeps working.
  uint32_t count = 0;
  REQUIRE_OK(ohal_device_count(&count));
  CHECK(count > cts::device_index());
}

TEST_CASE("init: shutdown invalidates handles and init works again", "[init]") {
  ohal_device_t dev = cts::device();
  const ohal_device_properties_t before = cts::props();
  uint32_t count_before = 0;
  REQUIRE_OK(ohal_device_count(&count_before));
  ohal_stream_t stream = nullptr;
  REQUIRE_OK(ohal_stream_create(dev, 0, &stream));
  void* mem = nullptr;
  REQUIRE_OK(ohal_mem_alloc(dev, 256, OHAL_MEM_KIND_DEVICE, 0, &mem));

  shut_down();
  CHECK_OK(ohal_shutdown());  // twice is fine
  uint32_t count = 0;
  CHECK_RESULT(ohal_device_count(&count), OHAL_ERROR_NOT_INITIALIZED);
  CHECK(std::string(ohal_result_string(OHAL_ERROR_NOT_INITIALIZED)) ==
        "OHAL_ERROR_NOT_INITIALIZED");

  REQUIRE_OK(ohal_init(nullptr));
  REQUIRE_OK(ohal_device_count(&count));
  CHECK(count == count_before);
  ohal_device_properties_t after = OHAL_DEVICE_PROPERTIES_INIT;
  // Handles from before the shutdown are invalid (a device handle may come back equal).
  if (cts::device() != dev) {
    CHECK_RESULT(ohal_device_get_properties(dev, &after), OHAL_ERROR_INVALID_HANDLE);
  }
  CHECK_RESULT(ohal_stream_synchronize(stream), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_mem_free(mem), OHAL_ERROR_INVALID_POINTER);
  // The same device comes back at the same index.
  REQUIRE_OK(ohal_device_get_properties(cts::device(), &after));
  CHECK(std::string(after.name) == before.name);
  CHECK(std::string(after.backend) == before.backend);
  CHECK(after.backend_device_index == before.backend_device_index);
}

TEST_CASE("init: every function returns NOT_INITIALIZED after shutdown", "[init][errors]") {
  ohal_device_t dev = cts::device();
  cts::Stream stream_holder;
  cts::Event event_holder;
  ohal_stream_t stream = stream_holder.get();
  ohal_event_t event = event_holder.get();
  std::string why;
  ohal_kernel_t kernel = cts::find_kernel("cts_noop", &why);
  ohal_module_t module = cts::module(&why);
  shut_down();

  uint32_t u32 = 0;
  uint64_t u64a = 0, u64b = 0;
  float ms = 0;
  void* ptr = nullptr;
  char host[64] = {};
  ohal_backend_info_t binfo = OHAL_BACKEND_INFO_INIT;
  ohal_device_properties_t dprops = OHAL_DEVICE_PROPERTIES_INIT;
  ohal_pointer_attributes_t attrs = OHAL_POINTER_ATTRIBUTES_INIT;
  ohal_kernel_properties_t kprops = OHAL_KERNEL_PROPERTIES_INIT;
  ohal_module_desc_t mdesc = OHAL_MODULE_DESC_INIT;
  mdesc.data = host;
  mdesc.size = sizeof(host);
  const ohal_launch_config_t lc = OHAL_LAUNCH_CONFIG_INIT;
  ohal_device_t dev_out = nullptr;
  ohal_stream_t stream_out = nullptr;
  ohal_event_t event_out = nullptr;
  ohal_module_t module_out = nullptr;
  ohal_kernel_t kernel_out = nullptr;
  const ohal_result_t want = OHAL_ERROR_NOT_INITIALIZED;

  CHECK_RESULT(ohal_backend_count(&u32), want);
  CHECK_RESULT(ohal_backend_get_info(0, &binfo), want);
  CHECK_RESULT(ohal_device_count(&u32), want);
  CHECK_RESULT(ohal_device_get(0, &dev_out), want);
  CHECK_RESULT(ohal_device_get_properties(dev, &dprops), want);
  CHECK_RESULT(ohal_device_synchronize(dev), want);
  CHECK_RESULT(ohal_mem_alloc(dev, 64, OHAL_MEM_KIND_DEVICE, 0, &ptr), want);
  CHECK_RESULT(ohal_mem_free(host), want);
  CHECK_RESULT(ohal_mem_get_info(dev, &u64a, &u64b), want);
  CHECK_RESULT(ohal_pointer_get_attributes(host, &attrs), want);
  CHECK_RESULT(ohal_mem_get_device_pointer(host, &ptr), want);
  CHECK_RESULT(ohal_stream_create(dev, 0, &stream_out), want);
  CHECK_RESULT(ohal_stream_synchronize(stream), want);
  CHECK_RESULT(ohal_stream_query(stream), want);
  CHECK_RESULT(ohal_stream_wait_event(stream, event), want);
  CHECK_RESULT(ohal_stream_launch_host_func(
                   stream, [](void*) {}, nullptr),
               want);
  CHECK_RESULT(ohal_stream_destroy(stream), want);
  CHECK_RESULT(ohal_event_create(dev, 0, &event_out), want);
  CHECK_RESULT(ohal_event_record(event, stream), want);
  CHECK_RESULT(ohal_event_synchronize(event), want);
  CHECK_RESULT(ohal_event_query(event), want);
  CHECK_RESULT(ohal_event_elapsed_time(event, event, &ms), want);
  CHECK_RESULT(ohal_event_destroy(event), want);
  CHECK_RESULT(ohal_module_load(dev, &mdesc, &module_out), want);
  CHECK_RESULT(ohal_module_load_bundle(dev, host, sizeof(host), nullptr, &module_out), want);
  CHECK_RESULT(ohal_module_get_kernel(module, "cts_noop", &kernel_out), want);
  CHECK_RESULT(ohal_kernel_get_properties(kernel, &kprops), want);
  CHECK_RESULT(ohal_module_unload(module), want);
  CHECK_RESULT(ohal_launch(stream, kernel, &lc, 0, nullptr), want);
  CHECK_RESULT(ohal_memcpy_async(stream, host, host + 32, 16), want);
  CHECK_RESULT(ohal_memset_async(stream, host, 0, 1, 16), want);
  CHECK_RESULT(ohal_memcpy(host, host + 32, 16), want);
  CHECK_RESULT(ohal_memset(host, 0, 1, 16), want);
  // The string getters keep working.
  CHECK(ohal_last_error_message() != nullptr);
  CHECK(std::string(ohal_result_string(OHAL_SUCCESS)) == "OHAL_SUCCESS");

  REQUIRE_OK(ohal_init(nullptr));
  cts::forget_handles();
}

TEST_CASE("init: descriptor struct_size and log_level are checked", "[init][errors]") {
  cts::ensure_initialized();
  shut_down();
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.struct_size = 1;
  CHECK_RESULT(ohal_init(&desc), OHAL_ERROR_STRUCT_SIZE);
  desc = OHAL_INIT_DESC_INIT;
  desc.log_level = static_cast<ohal_log_level_t>(77);
  CHECK_RESULT(ohal_init(&desc), OHAL_ERROR_INVALID_VALUE);
  // The failed calls did not initialize.
  uint32_t count = 0;
  CHECK_RESULT(ohal_device_count(&count), OHAL_ERROR_NOT_INITIALIZED);
  desc = OHAL_INIT_DESC_INIT;
  desc.log_level = OHAL_LOG_LEVEL_ERROR;
  REQUIRE_OK(ohal_init(&desc));
  REQUIRE_OK(ohal_device_count(&count));
  CHECK(count > cts::device_index());
}

TEST_CASE("init: descriptor selects backends and visible devices", "[init]") {
  const ohal_device_properties_t p = cts::props();
  shut_down();
  const std::string backend = p.backend;
  const std::string visible = backend + ":" + std::to_string(p.backend_device_index);
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = backend.c_str();
  desc.visible_devices = visible.c_str();
  const std::string path = env_or_empty("OHAL_BACKEND_PATH");
  desc.backend_path = path.empty() ? nullptr : path.c_str();
  REQUIRE_OK(ohal_init(&desc));
  uint32_t count = 0;
  REQUIRE_OK(ohal_device_count(&count));
  REQUIRE(count == 1);
  ohal_device_t dev = nullptr;
  REQUIRE_OK(ohal_device_get(0, &dev));
  ohal_device_properties_t q = OHAL_DEVICE_PROPERTIES_INIT;
  REQUIRE_OK(ohal_device_get_properties(dev, &q));
  CHECK(std::string(q.backend) == backend);
  CHECK(q.backend_device_index == p.backend_device_index);
  CHECK(std::string(q.name) == p.name);

  // A filter that matches nothing leaves no device, and is not an error.
  shut_down();
  desc.visible_devices = "cts_no_such_backend:0";
  REQUIRE_OK(ohal_init(&desc));
  REQUIRE_OK(ohal_device_count(&count));
  CHECK(count == 0);
  ohal_device_t none = nullptr;
  CHECK_RESULT(ohal_device_get(0, &none), OHAL_ERROR_NO_DEVICE);
  shut_down();
  REQUIRE_OK(ohal_init(nullptr));
}

TEST_CASE("init: an unknown plugin name is reported as failed without failing init", "[init]") {
  const ohal_device_properties_t p = cts::props();
  shut_down();
  const std::string backends = std::string(p.backend) + ",cts_no_such_backend";
  ohal_init_desc_t desc = OHAL_INIT_DESC_INIT;
  desc.backends = backends.c_str();
  REQUIRE_OK(ohal_init(&desc));
  uint32_t count = 0;
  REQUIRE_OK(ohal_backend_count(&count));
  bool found_ours = false, found_missing = false;
  for (uint32_t i = 0; i < count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE_OK(ohal_backend_get_info(i, &info));
    const std::string name = info.name;
    if (name == p.backend) {
      found_ours = true;
      CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
    }
    if (name == "cts_no_such_backend") {
      found_missing = true;
      CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
      CHECK(std::string(info.status_reason).size() > 0);
    }
  }
  CHECK(found_ours);
  CHECK(found_missing);
  uint32_t devices = 0;
  REQUIRE_OK(ohal_device_count(&devices));
  CHECK(devices >= 1);
  shut_down();
  REQUIRE_OK(ohal_init(nullptr));
}

TEST_CASE("backends: count and info describe the loaded plugins", "[init]") {
  const ohal_device_properties_t p = cts::props();
  uint32_t count = 0;
  REQUIRE_OK(ohal_backend_count(&count));
  REQUIRE(count >= 1);
  uint32_t reported_devices = 0;
  bool found = false;
  for (uint32_t i = 0; i < count; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    REQUIRE_OK(ohal_backend_get_info(i, &info));
    INFO("backend " << i << ": " << info.name << " " << info.status_reason);
    CHECK(std::string(info.name).size() > 0);
    CHECK(info.struct_size == sizeof(ohal_backend_info_t));
    if (info.status == OHAL_BACKEND_STATUS_LOADED) {
      if (info.device_count > 0) CHECK(info.status_reason[0] == '\0');  // else: why none
      CHECK(std::string(info.path).size() > 0);
      CHECK((info.abi_version >> 16) == 1u);
      reported_devices += info.device_count;
    } else {
      CHECK(info.status == OHAL_BACKEND_STATUS_FAILED);
      CHECK(std::string(info.status_reason).size() > 0);
    }
    if (std::string(info.name) == p.backend) {
      found = true;
      CHECK(info.status == OHAL_BACKEND_STATUS_LOADED);
      CHECK(info.device_count > p.backend_device_index);
    }
  }
  CHECK(found);
  uint32_t devices = 0;
  REQUIRE_OK(ohal_device_count(&devices));
  CHECK(reported_devices >= devices);
}

TEST_CASE("backends: get_info checks its arguments", "[init][errors]") {
  cts::ensure_initialized();
  uint32_t count = 0;
  CHECK_RESULT(ohal_backend_count(nullptr), OHAL_ERROR_NULL_POINTER);
  REQUIRE_OK(ohal_backend_count(&count));
  ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
  CHECK_RESULT(ohal_backend_get_info(0, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_backend_get_info(count, &info), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_backend_get_info(0xffffffffu, &info), OHAL_ERROR_INVALID_VALUE);
  info.struct_size = 0;
  CHECK_RESULT(ohal_backend_get_info(0, &info), OHAL_ERROR_STRUCT_SIZE);
}
