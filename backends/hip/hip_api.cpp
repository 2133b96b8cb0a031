#include "hip_api.h"

#include <dlfcn.h>

#include <mutex>

namespace ohal::hip {
namespace {

// HIP 5.3+ ships hiprtc on its own; 5.2 (Debian bookworm) exports it from libamdhip64.
constexpr const char* kRtcLibrary = "libhiprtc.so.5";

template <typename Fn>
bool resolve(void* library, const char* name, Fn& out) {
  void* symbol = dlsym(library, name);
  out = reinterpret_cast<Fn>(symbol);
  return symbol != nullptr;
}

bool load_rtc(HipApi& api) {
  void* rtc = dlopen(kRtcLibrary, RTLD_NOW | RTLD_LOCAL);
  std::string rtc_error;
  if (rtc == nullptr) {
    const char* error = dlerror();
    rtc_error = error != nullptr ? error : kRtcLibrary;
    rtc = api.library;
  }
  std::string missing;
#define OHAL_HIP_RESOLVE(name, ret, params) \
  if (!resolve(rtc, #name, api.name)) missing = #name;
  OHAL_HIPRTC_ENTRIES(OHAL_HIP_RESOLVE)
#undef OHAL_HIP_RESOLVE
  if (!missing.empty()) {
    api.rtc_reason = rtc_error.empty() ? missing + " not found" : rtc_error;
    return false;
  }
  api.rtc_library = rtc;
  return true;
}

}  // namespace

// HIP 5.x only (the default library): hipDeviceProp_t and several entry points changed their ABI
// in HIP 6.
bool load_hip_api(HipApi& api, std::string& reason, const char* soname) {
  // dlerror is process-wide state: keep concurrent loads (tests, re-init) from mixing messages.
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  if (api.library != nullptr) return true;
  void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* error = dlerror();
    reason = error != nullptr ? error : std::string(soname) + ": dlopen failed";
    return false;
  }
  HipApi loaded;
  loaded.library = library;
  loaded.library_name = soname;
#define OHAL_HIP_RESOLVE(name, ret, params)                          \
  if (!resolve(library, #name, loaded.name)) {                       \
    reason = std::string(soname) + ": missing entry point " + #name; \
    return false;                                                    \
  }
  OHAL_HIP_REQUIRED_ENTRIES(OHAL_HIP_RESOLVE)
#undef OHAL_HIP_RESOLVE
#define OHAL_HIP_RESOLVE(name, ret, params) resolve(library, #name, loaded.name);
  OHAL_HIP_OPTIONAL_ENTRIES(OHAL_HIP_RESOLVE)
#undef OHAL_HIP_RESOLVE
  loaded.rtc_loaded = load_rtc(loaded);
  api = loaded;
  return true;
}

}  // namespace ohal::hip
