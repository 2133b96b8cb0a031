#include "ze_loader.h"

#include <dlfcn.h>

#include <mutex>

namespace ohal::ze {
namespace {

template <typename Fn>
bool resolve(void* library, const char* name, Fn& out) {
  void* symbol = dlsym(library, name);
  out = reinterpret_cast<Fn>(symbol);
  return symbol != nullptr;
}

}  // namespace

bool load_ze_api(ZeApi& api, std::string& reason, const char* soname) {
  static std::mutex mutex;  // dlerror is process-wide
  std::lock_guard lock(mutex);
  if (api.library != nullptr) return true;
  void* library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* error = dlerror();
    reason = error != nullptr ? error : std::string(soname) + ": dlopen failed";
    return false;
  }
  ZeApi loaded;
  loaded.library = library;
#define OHAL_ZE_RESOLVE(name)                                        \
  if (!resolve(library, #name, loaded.name)) {                       \
    reason = std::string(soname) + ": missing entry point " + #name; \
    return false;                                                    \
  }
  OHAL_ZE_REQUIRED_ENTRIES(OHAL_ZE_RESOLVE)
#undef OHAL_ZE_RESOLVE
#define OHAL_ZE_RESOLVE(name) resolve(library, #name, loaded.name);
  OHAL_ZE_OPTIONAL_ENTRIES(OHAL_ZE_RESOLVE)
#undef OHAL_ZE_RESOLVE
  api = loaded;
  return true;
}

}  // namespace ohal::ze
