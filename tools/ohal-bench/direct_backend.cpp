#include "direct_backend.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ohal_bench {
namespace {

// The stub host services: messages from set_error are kept for the next BenchError.
thread_local std::string g_last_error;

void stub_log(ohal_log_level_t level, const char* backend_name, const char* message) {
  if (level <= OHAL_LOG_LEVEL_WARN) {
    std::fprintf(stderr, "ohal-bench: [%s, direct] %s\n", backend_name ? backend_name : "?",
                 message ? message : "");
  }
}
ohal_log_level_t stub_log_level() {
  return OHAL_LOG_LEVEL_WARN;
}
ohal_result_t stub_set_error(ohal_result_t result, const char* message) {
  g_last_error = message ? message : "";
  return result;
}

const ohal_host_services_t kStubHost = {sizeof(ohal_host_services_t), OHAL_BACKEND_ABI_VERSION,
                                        stub_log, stub_log_level, stub_set_error};

std::string errno_text(const char* call, int error) {
  return fmt::format("{}: {} ({})", call, std::strerror(error), error);
}

// Copies the plugin into a memfd: dlopen of the original path would return the front-end's
// instance (same file), whose entry and init must not run twice.
int copy_to_memfd(const std::string& path) {
  const int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) throw BenchError(errno_text(("open " + path).c_str(), errno));
  const int out = ::memfd_create("ohal-bench-direct-plugin", MFD_CLOEXEC);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    throw BenchError(errno_text("memfd_create", error));
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(in, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    const bool read_failed = n < 0;
    if (read_failed || ::write(out, buffer, static_cast<size_t>(n)) != n) {
      const int error = errno;
      ::close(in);
      ::close(out);
      throw BenchError(errno_text(read_failed ? ("read " + path).c_str() : "write memfd", error));
    }
  }
  ::close(in);
  return out;
}

class StreamQuery final : public Op {
 public:
  explicit StreamQuery(DirectBackend& backend) : table_(backend.table()) {
    check_direct(table_.stream_create(backend.device(), 0, &stream_), "stream_create");
  }
  ~StreamQuery() override {
    table_.stream_synchronize(stream_);
    table_.stream_destroy(stream_);
  }
  void run(uint64_t iterations) override {
    const auto query = table_.stream_query;
    for (uint64_t i = 0; i < iterations; ++i) {
      const ohal_result_t r = query(stream_);
      if (r != OHAL_SUCCESS) [[unlikely]]
        check_direct(r, "stream_query (idle stream)");
    }
  }
  std::string verify() override { return {}; }

 private:
  const ohal_backend_t& table_;
  ohal_bstream_t stream_ = nullptr;
};

class EventQuery final : public Op {
 public:
  explicit EventQuery(DirectBackend& backend) : table_(backend.table()) {
    check_direct(table_.stream_create(backend.device(), 0, &stream_), "stream_create");
    check_direct(table_.event_create(backend.device(), 0, &event_), "event_create");
    check_direct(table_.event_record(event_, stream_), "event_record");
    check_direct(table_.event_synchronize(event_), "event_synchronize");
  }
  ~EventQuery() override {
    table_.event_destroy(event_);
    table_.stream_synchronize(stream_);
    table_.stream_destroy(stream_);
  }
  void run(uint64_t iterations) override {
    const auto query = table_.event_query;
    for (uint64_t i = 0; i < iterations; ++i) {
      const ohal_result_t r = query(event_);
      if (r != OHAL_SUCCESS) [[unlikely]]
        check_direct(r, "event_query (completed event)");
    }
  }
  std::string verify() override { return {}; }

 private:
  const ohal_backend_t& table_;
  ohal_bstream_t stream_ = nullptr;
  ohal_bevent_t event_ = nullptr;
};

}  // namespace

void check_direct(ohal_result_t r, const char* call) {
  if (r == OHAL_SUCCESS) return;
  throw BenchError(fmt::format("plugin table {}: {}: {}", call, ohal_result_string(r),
                               g_last_error.empty() ? "(no message)" : g_last_error));
}

std::unique_ptr<DirectBackend> DirectBackend::load(const std::string& path, uint32_t device_index) {
  const int fd = copy_to_memfd(path);
  const std::string fd_path = fmt::format("/proc/self/fd/{}", fd);
  void* handle = ::dlopen(fd_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  ::close(fd);  // the mapping keeps the file alive
  if (!handle) throw BenchError(fmt::format("dlopen (copy of {}): {}", path, ::dlerror()));
  // The library stays mapped for the life of the process: a plugin thread that outlives
  // shutdown() must never find its code unmapped.
  const auto entry =
      reinterpret_cast<ohal_backend_entry_fn>(::dlsym(handle, OHAL_BACKEND_ENTRY_SYMBOL));
  if (!entry) throw BenchError(fmt::format("dlsym {}: {}", OHAL_BACKEND_ENTRY_SYMBOL, path));

  std::unique_ptr<DirectBackend> backend(new DirectBackend());
  g_last_error.clear();
  check_direct(entry(OHAL_BACKEND_ABI_VERSION, &kStubHost, &backend->table_),
               OHAL_BACKEND_ENTRY_SYMBOL);
  const ohal_backend_t* t = backend->table_;
  if (!t || t->struct_size < OHAL_BACKEND_MIN_STRUCT_SIZE ||
      OHAL_BACKEND_ABI_MAJOR(t->abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    throw BenchError("the plugin's table is missing or of another ABI version: " + path);
  }
  if (!t->init || !t->shutdown || !t->device_count || !t->device_get || !t->stream_create ||
      !t->stream_destroy || !t->stream_synchronize || !t->stream_query || !t->event_create ||
      !t->event_destroy || !t->event_record || !t->event_synchronize || !t->event_query) {
    throw BenchError("the plugin's table lacks a required entry: " + path);
  }
  check_direct(t->init(), "init");
  backend->initialized_ = true;
  uint32_t count = 0;
  check_direct(t->device_count(&count), "device_count");
  if (device_index >= count) {
    throw BenchError(
        fmt::format("the plugin reports {} devices, no device {}", count, device_index));
  }
  check_direct(t->device_get(device_index, &backend->device_), "device_get");
  return backend;
}

DirectBackend::~DirectBackend() {
  if (initialized_) table_->shutdown();
}

std::unique_ptr<Op> direct_stream_query(DirectBackend& backend) {
  return std::make_unique<StreamQuery>(backend);
}

std::unique_ptr<Op> direct_event_query(DirectBackend& backend) {
  return std::make_unique<EventQuery>(backend);
}

}  // namespace ohal_bench
