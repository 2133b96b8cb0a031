// The plugin through its one export, as the front-end loads it: on a machine without the NVIDIA
// driver init fails with dlerror()'s reason and nothing crashes.
#include <catch2/catch.hpp>

#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "openai_hal/backend.h"

namespace {

// A host-services stub that keeps the last message a backend attached.
thread_local std::string g_last_error;
ohal_result_t stub_set_error(ohal_result_t result, const char* message) {
  g_last_error = message != nullptr ? message : "";
  return result;
}
void stub_log(ohal_log_level_t, const char*, const char*) {}
ohal_log_level_t stub_log_level() {
  return OHAL_LOG_LEVEL_DEBUG;
}

const ohal_host_services_t kHost = {sizeof(ohal_host_services_t), OHAL_BACKEND_ABI_VERSION,
                                    stub_log, stub_log_level, stub_set_error};

struct Plugin {
  void* library = nullptr;
  ohal_backend_entry_fn entry = nullptr;
  Plugin() {
    library = dlopen(OHAL_CUDA_TEST_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    INFO((library == nullptr ? dlerror() : ""));
    REQUIRE(library != nullptr);
    entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
    REQUIRE(entry != nullptr);
  }
  ~Plugin() { dlclose(library); }
  const ohal_backend_t* table() {
    const ohal_backend_t* out = nullptr;
    REQUIRE(entry(OHAL_BACKEND_ABI_VERSION, &kHost, &out) == OHAL_SUCCESS);
    REQUIRE(out != nullptr);
    return out;
  }
};

// Runs fn in a child process and returns what it returned. For drivers that, once loaded, stay
// loaded (the plugin never unloads libcuda): the stub's soname is libcuda.so.1 too, and must not
// leak into the tests that expect no driver.
std::string in_child(const std::function<std::string()>& fn) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    const std::string out = fn();
    const ssize_t written = write(fds[1], out.data(), out.size());
    _exit(written == static_cast<ssize_t>(out.size()) ? 0 : 1);
  }
  close(fds[1]);
  std::string out;
  char buffer[512];
  ssize_t n = 0;
  while ((n = read(fds[0], buffer, sizeof(buffer))) > 0) out.append(buffer, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("child output: " << out);
  REQUIRE(WIFEXITED(status));  // no crash
  REQUIRE(WEXITSTATUS(status) == 0);
  return out;
}

// In a child: load the plugin with OHAL_CUDA_DRIVER_PATH=driver and report "<result> <message>".
std::string init_with_driver(const char* driver) {
  return in_child([driver] {
    setenv("OHAL_CUDA_DRIVER_PATH", driver, 1);
    void* library = dlopen(OHAL_CUDA_TEST_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    auto entry =
        library != nullptr
            ? reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL))
            : nullptr;
    const ohal_backend_t* t = nullptr;
    if (entry == nullptr || entry(OHAL_BACKEND_ABI_VERSION, &kHost, &t) != OHAL_SUCCESS) {
      return std::string("entry failed");
    }
    g_last_error.clear();
    const ohal_result_t r = t->init();
    const std::string out = std::to_string(static_cast<int>(r)) + " " + g_last_error;
    if (r == OHAL_SUCCESS) t->shutdown();
    return out;
  });
}

bool system_has_driver() {
  void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (driver == nullptr) return false;
  dlclose(driver);
  return true;
}

}  // namespace

TEST_CASE("the entry hands out a complete table", "[cuda][plugin]") {
  Plugin plugin;
  const ohal_backend_t* t = plugin.table();
  CHECK(t->struct_size == sizeof(ohal_backend_t));
  CHECK(OHAL_BACKEND_ABI_MAJOR(t->abi_version) == OHAL_BACKEND_ABI_VERSION_MAJOR);
  CHECK(std::string(t->name) == "cuda");
  CHECK(std::string(t->version).find("built with CUDA") != std::string::npos);
  const void* entries[] = {reinterpret_cast<const void*>(t->init),
                           reinterpret_cast<const void*>(t->shutdown),
                           reinterpret_cast<const void*>(t->device_count),
                           reinterpret_cast<const void*>(t->device_get),
                           reinterpret_cast<const void*>(t->device_get_properties),
                           reinterpret_cast<const void*>(t->device_synchronize),
                           reinterpret_cast<const void*>(t->mem_alloc),
                           reinterpret_cast<const void*>(t->mem_free),
                           reinterpret_cast<const void*>(t->mem_get_info),
                           reinterpret_cast<const void*>(t->stream_create),
                           reinterpret_cast<const void*>(t->stream_destroy),
                           reinterpret_cast<const void*>(t->stream_synchronize),
                           reinterpret_cast<const void*>(t->stream_query),
                           reinterpret_cast<const void*>(t->stream_wait_event),
                           reinterpret_cast<const void*>(t->event_create),
                           reinterpret_cast<const void*>(t->event_destroy),
                           reinterpret_cast<const void*>(t->event_record),
                           reinterpret_cast<const void*>(t->event_synchronize),
                           reinterpret_cast<const void*>(t->event_query),
                           reinterpret_cast<const void*>(t->module_load),
                           reinterpret_cast<const void*>(t->module_unload),
                           reinterpret_cast<const void*>(t->module_get_kernel),
                           reinterpret_cast<const void*>(t->kernel_get_properties),
                           reinterpret_cast<const void*>(t->launch),
                           reinterpret_cast<const void*>(t->memcpy_async),
                           reinterpret_cast<const void*>(t->memset_async),
                           reinterpret_cast<const void*>(t->stream_launch_host_func),
                           reinterpret_cast<const void*>(t->event_elapsed_time)};
  for (const void* e : entries) CHECK(e != nullptr);
}

TEST_CASE("the entry refuses another ABI major and null arguments", "[cuda][plugin]") {
  Plugin plugin;
  const ohal_backend_t* out = nullptr;
  g_last_error.clear();
  CHECK(plugin.entry((OHAL_BACKEND_ABI_VERSION_MAJOR + 1) << 16, &kHost, &out) ==
        OHAL_ERROR_UNSUPPORTED);
  CHECK(out == nullptr);
  CHECK(g_last_error.find("ABI") != std::string::npos);
  CHECK(plugin.entry(OHAL_BACKEND_ABI_VERSION, nullptr, &out) == OHAL_ERROR_NULL_POINTER);
  CHECK(plugin.entry(OHAL_BACKEND_ABI_VERSION, &kHost, nullptr) == OHAL_ERROR_NULL_POINTER);
}

TEST_CASE("without the driver, init fails with dlerror's reason", "[cuda][plugin]") {
  Plugin plugin;
  const ohal_backend_t* t = plugin.table();
  g_last_error.clear();
  const ohal_result_t r = t->init();
  if (system_has_driver()) {
    WARN("libcuda.so.1 is installed here: init " << r << " " << g_last_error);
    CHECK((r == OHAL_SUCCESS || !g_last_error.empty()));
  } else {
    CHECK(r == OHAL_ERROR_BACKEND);
    CHECK(g_last_error.rfind("cuda: libcuda.so.1: cannot open shared object file", 0) == 0);
    CHECK(std::string(t->version).find("no CUDA driver") != std::string::npos);
  }
  if (r == OHAL_SUCCESS) t->shutdown();
  t->shutdown();  // harmless without a successful init
}

TEST_CASE("every driver entry point resolves against the toolkit's stub libcuda",
          "[cuda][plugin]") {
  // The stub exports the real driver's symbol names and answers CUDA_ERROR_STUB_LIBRARY, so
  // reaching cuInit proves each versioned name (cuMemAlloc_v2, ...) exists.
  if (std::string(OHAL_CUDA_TEST_STUB_DRIVER).empty()) {
    WARN("the toolkit has no stubs/libcuda.so; skipped");
    return;
  }
  const std::string out = init_with_driver(OHAL_CUDA_TEST_STUB_DRIVER);
  const std::string expected =
      std::to_string(OHAL_ERROR_BACKEND) + " cuda: cuInit: CUDA_ERROR_STUB_LIBRARY (34)";
  CHECK(out.rfind(expected, 0) == 0);
  CHECK(out.find("missing symbol") == std::string::npos);
}

TEST_CASE("a library that is not the driver is refused by symbol", "[cuda][plugin]") {
  CHECK(init_with_driver("libm.so.6") == std::to_string(OHAL_ERROR_BACKEND) +
                                             " cuda: libm.so.6: missing symbol cuInit (driver "
                                             "too old?)");
  CHECK(init_with_driver("/nonexistent/libcuda.so.1") ==
        std::to_string(OHAL_ERROR_BACKEND) +
            " cuda: /nonexistent/libcuda.so.1: cannot open shared object file: No such file or "
            "directory");
}
