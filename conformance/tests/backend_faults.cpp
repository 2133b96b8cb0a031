// Hidden tests ([.]) of the results only a failing backend produces: run against cts_fault, the
// fault-injection backend (mutants/cts_fault.h), by the cts_backend_faults ctest
// (--backend cts_fault --filter [backend_faults]). On any other backend they skip.
#include <dlfcn.h>

#include <string>
#include <vector>

#include "../mutants/cts_fault.h"
#include "cts.hpp"

namespace {

// The control functions of the device's own plugin; a test ends with every fault disarmed.
class Faults {
 public:
  // Empty when the plugin exports the controls; else why not.
  std::string find() {
    const std::string backend = cts::props().backend;
    uint32_t count = 0;
    if (ohal_backend_count(&count) != OHAL_SUCCESS) return "ohal_backend_count failed";
    std::string path;
    for (uint32_t i = 0; i < count; ++i) {
      ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
      if (ohal_backend_get_info(i, &info) == OHAL_SUCCESS && backend == info.name) path = info.path;
    }
    if (path.empty()) return "no plugin file for backend " + backend;
    // The front-end already loaded it: RTLD_NOLOAD only finds it (and never runs its code).
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (library == nullptr) return "cannot find the loaded plugin " + path;
    fail_next = reinterpret_cast<cts_fault_fail_next_fn>(dlsym(library, CTS_FAULT_FAIL_NEXT));
    alias_next_alloc =
        reinterpret_cast<cts_fault_alias_next_alloc_fn>(dlsym(library, CTS_FAULT_ALIAS_NEXT_ALLOC));
    lose_device = reinterpret_cast<cts_fault_lose_device_fn>(dlsym(library, CTS_FAULT_LOSE_DEVICE));
    reset_ = reinterpret_cast<cts_fault_reset_fn>(dlsym(library, CTS_FAULT_RESET));
    dlclose(library);  // balances the dlopen; the front-end keeps the plugin loaded
    if (!fail_next || !alias_next_alloc || !lose_device || !reset_) {
      return "backend " + backend + " has no fault injection (run with --backend cts_fault)";
    }
    reset_();
    return {};
  }
  ~Faults() {
    if (reset_ != nullptr) reset_();
  }

  cts_fault_fail_next_fn fail_next = nullptr;
  cts_fault_alias_next_alloc_fn alias_next_alloc = nullptr;
  cts_fault_lose_device_fn lose_device = nullptr;

 private:
  cts_fault_reset_fn reset_ = nullptr;
};

#define CTS_REQUIRE_FAULTS(var)                \
  Faults var;                                  \
  do {                                         \
    const std::string cts_why_ = var.find();   \
    if (!cts_why_.empty()) CTS_SKIP(cts_why_); \
  } while (0)

bool message_has(const std::string& part) {
  const std::string message = ohal_last_error_message();
  UNSCOPED_INFO("message: " << message);
  return message.find(part) != std::string::npos;
}

// The message an injected result with a message carries, after the call's name.
std::string injected(const char* call, int32_t result, const char* entry) {
  return std::string(call) + ": cts_fault: injected result " + std::to_string(result) + " into " +
         entry;
}

std::vector<uint8_t> some_bytes() {
  return std::vector<uint8_t>(64, 0xAB);
}

ohal_module_desc_t desc_for(const std::vector<uint8_t>& bytes) {
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  for (uint32_t f = 0; f < OHAL_KERNEL_FORMAT_COUNT_; ++f) {
    if (cts::accepts(static_cast<ohal_kernel_format_t>(f))) {
      desc.format = static_cast<ohal_kernel_format_t>(f);
      break;
    }
  }
  desc.data = bytes.data();
  desc.size = bytes.size();
  return desc;
}

void host_noop(void*) {}

}  // namespace

TEST_CASE("backend faults: a failed create returns the backend's result and no handle",
          "[.][backend_faults][errors]") {
  CTS_REQUIRE_FAULTS(faults);
  const ohal_device_t dev = cts::device();

  const auto no_stream = reinterpret_cast<ohal_stream_t>(uintptr_t{0x5a5a});
  ohal_stream_t stream = no_stream;
  REQUIRE(faults.fail_next("stream_create", OHAL_ERROR_OUT_OF_HOST_MEMORY, 1) == 0);
  CHECK_RESULT(ohal_stream_create(dev, 0, &stream), OHAL_ERROR_OUT_OF_HOST_MEMORY);
  CHECK(
      message_has(injected("ohal_stream_create", OHAL_ERROR_OUT_OF_HOST_MEMORY, "stream_create")));
  CHECK(stream == no_stream);
  REQUIRE(faults.fail_next("stream_create", OHAL_ERROR_BACKEND, 1) == 0);
  CHECK_RESULT(ohal_stream_create(dev, 0, &stream), OHAL_ERROR_BACKEND);
  CHECK(message_has(injected("ohal_stream_create", OHAL_ERROR_BACKEND, "stream_create")));
  CHECK(stream == no_stream);
  REQUIRE_OK(ohal_stream_create(dev, 0, &stream));  // the fault fired once
  REQUIRE_OK(ohal_stream_destroy(stream));

  const auto no_event = reinterpret_cast<ohal_event_t>(uintptr_t{0x5a5a});
  ohal_event_t event = no_event;
  REQUIRE(faults.fail_next("event_create", OHAL_ERROR_OUT_OF_HOST_MEMORY, 1) == 0);
  CHECK_RESULT(ohal_event_create(dev, 0, &event), OHAL_ERROR_OUT_OF_HOST_MEMORY);
  CHECK(message_has(injected("ohal_event_create", OHAL_ERROR_OUT_OF_HOST_MEMORY, "event_create")));
  CHECK(event == no_event);
  REQUIRE(faults.fail_next("event_create", OHAL_ERROR_BACKEND, 1) == 0);
  CHECK_RESULT(ohal_event_create(dev, 0, &event), OHAL_ERROR_BACKEND);
  CHECK(event == no_event);
  REQUIRE_OK(ohal_event_create(dev, 0, &event));
  REQUIRE_OK(ohal_event_destroy(event));

  uint64_t free_before = 0, free_after = 0, total = 0;
  REQUIRE_OK(ohal_mem_get_info(dev, &free_before, &total));
  void* const no_ptr = reinterpret_cast<void*>(uintptr_t{0x5a5a});
  void* ptr = no_ptr;
  REQUIRE(faults.fail_next("mem_alloc", OHAL_ERROR_OUT_OF_HOST_MEMORY, 1) == 0);
  CHECK_RESULT(ohal_mem_alloc(dev, 4096, OHAL_MEM_KIND_DEVICE, 0, &ptr),
               OHAL_ERROR_OUT_OF_HOST_MEMORY);
  CHECK(message_has(injected("ohal_mem_alloc", OHAL_ERROR_OUT_OF_HOST_MEMORY, "mem_alloc")));
  CHECK(ptr == no_ptr);
  ohal_pointer_attributes_t attributes = OHAL_POINTER_ATTRIBUTES_INIT;
  REQUIRE_OK(ohal_pointer_get_attributes(no_ptr, &attributes));
  CHECK(attributes.is_registered == 0);
  REQUIRE_OK(ohal_mem_get_info(dev, &free_after, &total));
  CHECK(free_after == free_before);

  const std::vector<uint8_t> bytes = some_bytes();
  const ohal_module_desc_t desc = desc_for(bytes);
  const auto no_module = reinterpret_cast<ohal_module_t>(uintptr_t{0x5a5a});
  ohal_module_t module = no_module;
  REQUIRE(faults.fail_next("module_load", OHAL_ERROR_OUT_OF_HOST_MEMORY, 1) == 0);
  CHECK_RESULT(ohal_module_load(dev, &desc, &module), OHAL_ERROR_OUT_OF_HOST_MEMORY);
  CHECK(message_has(injected("ohal_module_load", OHAL_ERROR_OUT_OF_HOST_MEMORY, "module_load")));
  CHECK(module == no_module);
  const std::vector<uint8_t>& bundle = cts::bundle_bytes();
  REQUIRE(faults.fail_next("module_load", OHAL_ERROR_OUT_OF_HOST_MEMORY, 1) == 0);
  CHECK_RESULT(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &module),
               OHAL_ERROR_OUT_OF_HOST_MEMORY);
  CHECK(message_has("cts_fault: injected result " + std::to_string(OHAL_ERROR_OUT_OF_HOST_MEMORY) +
                    " into module_load"));
  CHECK(module == no_module);
  // The fault is spent: the bundle loads.
  REQUIRE_OK(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &module));
  REQUIRE_OK(ohal_module_unload(module));
}

TEST_CASE("backend faults: a failure without a message names the backend and the result",
          "[.][backend_faults][errors]") {
  CTS_REQUIRE_FAULTS(faults);
  cts::Stream stream;
  // Read before the call: cts::props() calls the library, which clears the message.
  const std::string want = std::string("ohal_stream_query: ") + cts::props().backend +
                           " backend returned OHAL_ERROR_BACKEND";
  REQUIRE(faults.fail_next("stream_query", OHAL_ERROR_BACKEND, 0) == 0);
  CHECK_RESULT(ohal_stream_query(stream), OHAL_ERROR_BACKEND);
  CHECK(message_has(want));
  CHECK_OK(ohal_stream_query(stream));
  CHECK(std::string(ohal_last_error_message()).empty());
}

TEST_CASE("backend faults: an undefined result from a backend becomes OHAL_ERROR_BACKEND",
          "[.][backend_faults][errors]") {
  CTS_REQUIRE_FAULTS(faults);
  cts::Stream stream;
  REQUIRE(faults.fail_next("stream_synchronize", 4242, 1) == 0);
  CHECK_RESULT(ohal_stream_synchronize(stream), OHAL_ERROR_BACKEND);
  CHECK(message_has("undefined result 4242"));
  CHECK(message_has("cts_fault: injected result 4242 into stream_synchronize"));
  REQUIRE(faults.fail_next("stream_query", 2, 0) == 0);  // between the defined codes
  CHECK_RESULT(ohal_stream_query(stream), OHAL_ERROR_BACKEND);
  CHECK(message_has("undefined result 2"));
  ohal_event_t event = nullptr;
  // (A negative value is outside ohal_result_t's range: no C++ caller could even hold it.)
  REQUIRE(faults.fail_next("event_create", 0x40000000, 0) == 0);
  CHECK_RESULT(ohal_event_create(cts::device(), 0, &event), OHAL_ERROR_BACKEND);
  CHECK(event == nullptr);
  CHECK_OK(ohal_stream_synchronize(stream));
}

TEST_CASE("backend faults: an allocation overlapping a live one is refused and released",
          "[.][backend_faults][errors]") {
  CTS_REQUIRE_FAULTS(faults);
  const ohal_device_t dev = cts::device();
  cts::Stream stream;
  cts::Buffer live(4096);
  uint64_t free_before = 0, free_after = 0, total = 0;
  REQUIRE_OK(ohal_mem_get_info(dev, &free_before, &total));
  REQUIRE(faults.alias_next_alloc() == 0);
  void* ptr = nullptr;
  CHECK_RESULT(ohal_mem_alloc(dev, 4096, OHAL_MEM_KIND_DEVICE, 0, &ptr), OHAL_ERROR_BACKEND);
  CHECK(message_has("overlaps a live allocation"));
  CHECK(ptr == nullptr);
  REQUIRE_OK(ohal_mem_get_info(dev, &free_after, &total));
  CHECK(free_after == free_before);  // the refused allocation was freed
  // The live allocation is untouched and still registered as itself.
  REQUIRE_OK(ohal_memset_async(stream, live.get(), 0x5eedf00d, 4, 1024));
  CHECK_SAME(cts::download<uint32_t>(stream, live.get(), 1024),
             std::vector<uint32_t>(1024, 0x5eedf00d));
  ohal_pointer_attributes_t attributes = OHAL_POINTER_ATTRIBUTES_INIT;
  REQUIRE_OK(ohal_pointer_get_attributes(live.get(), &attributes));
  CHECK(attributes.base == live.get());
  CHECK(attributes.size == 4096);
  CHECK_OK(live.free());
}

TEST_CASE("backend faults: on a lost device every call returns OHAL_ERROR_DEVICE_LOST",
          "[.][backend_faults][errors]") {
  CTS_REQUIRE_FAULTS(faults);
  const ohal_device_t dev = cts::device();
  CTS_KERNEL(noop, "cts_noop");
  ohal_stream_t stream = nullptr;
  REQUIRE_OK(ohal_stream_create(dev, 0, &stream));
  cts::Event start, end;
  cts::Buffer buffer(4096);
  std::vector<uint8_t> host(4096, 1);
  REQUIRE_OK(ohal_event_record(start, stream));
  REQUIRE_OK(ohal_event_record(end, stream));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  const std::vector<uint8_t>& bundle = cts::bundle_bytes();
  ohal_module_t module = nullptr;
  REQUIRE_OK(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &module));

  faults.lose_device(1);
  const char* const lost = "cts_fault: the device is lost";
  CHECK_RESULT(ohal_stream_synchronize(stream), OHAL_ERROR_DEVICE_LOST);
  CHECK(message_has(std::string("ohal_stream_synchronize: ") + lost));
  CHECK_RESULT(ohal_stream_query(stream), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_stream_wait_event(stream, start), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_stream_launch_host_func(stream, host_noop, nullptr), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_event_record(start, stream), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_event_synchronize(start), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_event_query(start), OHAL_ERROR_DEVICE_LOST);
  if (cts::has_cap(OHAL_CAP_EVENT_TIMING)) {
    float ms = -1.0f;
    CHECK_RESULT(ohal_event_elapsed_time(start, end, &ms), OHAL_ERROR_DEVICE_LOST);
    CHECK(ms == -1.0f);
  }
  CHECK_RESULT(cts::launch(stream, noop, {1}, {1}, 0), OHAL_ERROR_DEVICE_LOST);
  CHECK(message_has(std::string("ohal_launch: ") + lost));
  CHECK_RESULT(ohal_memcpy_async(stream, buffer.get(), host.data(), host.size()),
               OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_memset_async(stream, buffer.get(), 0, 1, 4096), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_memcpy(buffer.get(), host.data(), host.size()), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_memset(buffer.get(), 0, 1, 4096), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_device_synchronize(dev), OHAL_ERROR_DEVICE_LOST);

  // Nothing new can be made on it.
  void* ptr = nullptr;
  CHECK_RESULT(ohal_mem_alloc(dev, 4096, OHAL_MEM_KIND_DEVICE, 0, &ptr), OHAL_ERROR_DEVICE_LOST);
  CHECK(ptr == nullptr);
  ohal_stream_t other = nullptr;
  CHECK_RESULT(ohal_stream_create(dev, 0, &other), OHAL_ERROR_DEVICE_LOST);
  CHECK(other == nullptr);
  ohal_event_t event = nullptr;
  CHECK_RESULT(ohal_event_create(dev, 0, &event), OHAL_ERROR_DEVICE_LOST);
  CHECK(event == nullptr);
  const std::vector<uint8_t> bytes = some_bytes();
  const ohal_module_desc_t desc = desc_for(bytes);
  ohal_module_t other_module = nullptr;
  CHECK_RESULT(ohal_module_load(dev, &desc, &other_module), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &other_module),
               OHAL_ERROR_DEVICE_LOST);
  CHECK(other_module == nullptr);

  // What it holds can still be released: the handles go, and no stale message stays behind.
  CHECK_RESULT(ohal_stream_destroy(stream), OHAL_ERROR_DEVICE_LOST);
  CHECK_RESULT(ohal_stream_query(stream), OHAL_ERROR_INVALID_HANDLE);
  CHECK_OK(ohal_module_unload(module));
  CHECK(std::string(ohal_last_error_message()).empty());
  CHECK_OK(buffer.free());
  CHECK(std::string(ohal_last_error_message()).empty());
  CHECK_OK(start.destroy());
  CHECK_OK(end.destroy());

  // The device answers again (cts_fault's recovery): work on it is correct.
  faults.lose_device(0);
  cts::Stream fresh;
  cts::Buffer again(4096);
  REQUIRE_OK(ohal_memset_async(fresh, again.get(), 0x01020304, 4, 1024));
  CHECK_SAME(cts::download<uint32_t>(fresh, again.get(), 1024),
             std::vector<uint32_t>(1024, 0x01020304));
}

TEST_CASE("backend faults: shutdown completes with a lost device", "[.][backend_faults][init]") {
  CTS_REQUIRE_FAULTS(faults);
  // Left for shutdown to release.
  ohal_stream_t stream = nullptr;
  REQUIRE_OK(ohal_stream_create(cts::device(), 0, &stream));
  void* ptr = nullptr;
  REQUIRE_OK(ohal_mem_alloc(cts::device(), 4096, OHAL_MEM_KIND_DEVICE, 0, &ptr));
  faults.lose_device(1);
  cts::forget_handles();
  CHECK_OK(ohal_shutdown());
  CHECK(std::string(ohal_last_error_message()).empty());  // failed releases leave no message
  faults.lose_device(0);
  cts::ensure_initialized();
  uint32_t count = 0;
  REQUIRE_OK(ohal_device_count(&count));
  CHECK(count >= 1);
  CHECK_RESULT(ohal_stream_query(stream), OHAL_ERROR_INVALID_HANDLE);
}
