// Not a mutant: cts_fault, the fault-injection backend (cts_fault.h). cpu_ref's table with every
// result-returning entry behind a check of the armed fault.
#include "cts_fault.h"

#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "wrap_reference.hpp"

namespace {

// Entries by how a lost device treats them: kWork fails, kRelease still releases, kInfo answers.
enum class Kind { kWork, kRelease, kInfo };

// clang-format off
#define CTS_FAULT_ENTRIES(X) \
  X(device_get_properties, kInfo) \
  X(device_synchronize, kWork) \
  X(mem_alloc, kWork) \
  X(mem_free, kRelease) \
  X(mem_get_info, kInfo) \
  X(stream_create, kWork) \
  X(stream_destroy, kRelease) \
  X(stream_synchronize, kWork) \
  X(stream_query, kWork) \
  X(stream_wait_event, kWork) \
  X(event_create, kWork) \
  X(event_destroy, kRelease) \
  X(event_record, kWork) \
  X(event_synchronize, kWork) \
  X(event_query, kWork) \
  X(module_load, kWork) \
  X(module_unload, kRelease) \
  X(module_get_kernel, kInfo) \
  X(kernel_get_properties, kInfo) \
  X(launch, kWork) \
  X(memcpy_async, kWork) \
  X(memset_async, kWork) \
  X(stream_launch_host_func, kWork) \
  X(event_elapsed_time, kWork)
// clang-format on

enum class Entry : int {
#define CTS_FAULT_ENUM(name, kind) name,
  CTS_FAULT_ENTRIES(CTS_FAULT_ENUM)
#undef CTS_FAULT_ENUM
      kCount
};

struct EntryInfo {
  const char* name;
  Kind kind;
};

constexpr EntryInfo kEntries[] = {
#define CTS_FAULT_INFO(name, kind) {#name, Kind::kind},
    CTS_FAULT_ENTRIES(CTS_FAULT_INFO)
#undef CTS_FAULT_INFO
};

const ohal_host_services_t* g_host = nullptr;
const ohal_backend_t* g_real = nullptr;
ohal_backend_t g_table;

struct Faults {
  std::mutex mutex;
  int armed_entry = -1;
  ohal_result_t armed_result = OHAL_SUCCESS;
  bool armed_message = false;
  bool alias_next_alloc = false;
  bool lost = false;
  std::vector<std::pair<void*, void*>> live;  // (alloc token, address), oldest first
};

Faults& faults() {
  static Faults f;
  return f;
}

// The injected result for a call of `entry`, or OHAL_SUCCESS to call cpu_ref.
ohal_result_t injected(Entry entry) {
  Faults& f = faults();
  std::lock_guard<std::mutex> lock(f.mutex);
  const EntryInfo& info = kEntries[static_cast<int>(entry)];
  if (f.armed_entry == static_cast<int>(entry)) {
    f.armed_entry = -1;
    if (!f.armed_message) return f.armed_result;
    const std::string message = "cts_fault: injected result " +
                                std::to_string(static_cast<int32_t>(f.armed_result)) + " into " +
                                info.name;
    return g_host->set_error(f.armed_result, message.c_str());
  }
  if (f.lost && info.kind == Kind::kWork) {
    return g_host->set_error(OHAL_ERROR_DEVICE_LOST, "cts_fault: the device is lost");
  }
  return OHAL_SUCCESS;
}

template <Entry E, auto Member, typename Fn>
struct Faulty;

template <Entry E, auto Member, typename... Args>
struct Faulty<E, Member, ohal_result_t (*)(Args...)> {
  static ohal_result_t call(Args... args) {
    const ohal_result_t fault = injected(E);
    if (fault != OHAL_SUCCESS) return fault;
    return (g_real->*Member)(args...);
  }
};

// mem_alloc and mem_free also keep the live allocations, for cts_fault_alias_next_alloc.
ohal_result_t tracked_alloc(ohal_bdevice_t device, size_t size, ohal_mem_kind_t kind,
                            uint32_t flags, ohal_balloc_t* out) {
  const ohal_result_t fault = injected(Entry::mem_alloc);
  if (fault != OHAL_SUCCESS) return fault;
  const ohal_result_t r = g_real->mem_alloc(device, size, kind, flags, out);
  if (r != OHAL_SUCCESS) return r;
  Faults& f = faults();
  std::lock_guard<std::mutex> lock(f.mutex);
  if (f.alias_next_alloc && !f.live.empty()) {
    // A new allocation reported at an older one's address: the token is the new one's, so the
    // front-end frees the right memory when it refuses the range.
    f.alias_next_alloc = false;
    out->ptr = f.live.back().second;
    return OHAL_SUCCESS;
  }
  f.live.emplace_back(out->alloc, out->ptr);
  return OHAL_SUCCESS;
}

ohal_result_t tracked_free(ohal_bdevice_t device, void* alloc) {
  const ohal_result_t fault = injected(Entry::mem_free);
  if (fault != OHAL_SUCCESS) return fault;
  {
    Faults& f = faults();
    std::lock_guard<std::mutex> lock(f.mutex);
    for (auto it = f.live.begin(); it != f.live.end(); ++it) {
      if (it->first == alloc) {
        f.live.erase(it);
        break;
      }
    }
  }
  return g_real->mem_free(device, alloc);
}

}  // namespace

extern "C" OHAL_BACKEND_EXPORT int cts_fault_fail_next(const char* entry, int32_t result,
                                                       int message) {
  if (entry == nullptr) return -1;
  for (int i = 0; i < static_cast<int>(Entry::kCount); ++i) {
    if (std::strcmp(kEntries[i].name, entry) != 0) continue;
    Faults& f = faults();
    std::lock_guard<std::mutex> lock(f.mutex);
    f.armed_entry = i;
    f.armed_result = static_cast<ohal_result_t>(result);
    f.armed_message = message != 0;
    return 0;
  }
  return -1;
}

extern "C" OHAL_BACKEND_EXPORT int cts_fault_alias_next_alloc(void) {
  Faults& f = faults();
  std::lock_guard<std::mutex> lock(f.mutex);
  if (f.live.empty()) return -1;
  f.alias_next_alloc = true;
  return 0;
}

extern "C" OHAL_BACKEND_EXPORT void cts_fault_lose_device(int lost) {
  Faults& f = faults();
  std::lock_guard<std::mutex> lock(f.mutex);
  f.lost = lost != 0;
}

extern "C" OHAL_BACKEND_EXPORT void cts_fault_reset(void) {
  Faults& f = faults();
  std::lock_guard<std::mutex> lock(f.mutex);
  f.armed_entry = -1;
  f.alias_next_alloc = false;
  f.lost = false;
}

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  const ohal_result_t r =
      cts_mutant::wrap_reference(abi_version, host, "cts_fault", &g_table, &g_real);
  if (r != OHAL_SUCCESS) return r;
  g_host = host;
#define CTS_FAULT_WRAP(name, kind)                                                        \
  if (g_real->name != nullptr) {                                                          \
    g_table.name =                                                                        \
        Faulty<Entry::name, &ohal_backend_t::name, decltype(ohal_backend_t::name)>::call; \
  }
  CTS_FAULT_ENTRIES(CTS_FAULT_WRAP)
#undef CTS_FAULT_WRAP
  g_table.mem_alloc = tracked_alloc;
  g_table.mem_free = tracked_free;
  *out = &g_table;
  return OHAL_SUCCESS;
}
