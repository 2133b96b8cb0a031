// Driver loading: dlopen libcuda.so.1 and resolve each entry point by its versioned name.
#include "driver.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

namespace ohal::cuda {
namespace {

#define OHAL_CUDA_STR(x) #x
#define OHAL_CUDA_XSTR(x) OHAL_CUDA_STR(x)

// Newer headers map these to _v2 symbols with the same signature and only refined semantics;
// drivers older than those headers export only the first version, which is good enough.
struct Fallback {
  const char* versioned;
  const char* original;
};
constexpr Fallback kFallbacks[] = {
    {"cuEventElapsedTime_v2", "cuEventElapsedTime"},  // _v2: CUDA 12.8
    {"cuDeviceGetUuid_v2", "cuDeviceGetUuid"},        // _v2: CUDA 11.4
};

void* resolve(void* library, const char* symbol) {
  if (void* fn = dlsym(library, symbol)) return fn;
  for (const Fallback& f : kFallbacks) {
    if (std::strcmp(f.versioned, symbol) == 0) return dlsym(library, f.original);
  }
  return nullptr;
}

}  // namespace

std::string driver_library_name() {
  const char* env = std::getenv("OHAL_CUDA_DRIVER_PATH");
  return (env != nullptr && env[0] != '\0') ? std::string(env) : std::string("libcuda.so.1");
}

bool load_driver(Driver& driver, std::string& error) {
  unload_driver(driver);
  const std::string name = driver_library_name();
  dlerror();
  void* library = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : name + ": cannot be loaded";
    return false;
  }
  Driver loaded;
  loaded.library = library;
  loaded.library_path = name;
#define OHAL_CUDA_DRIVER_RESOLVE(fn)                                                       \
  loaded.fn = reinterpret_cast<decltype(loaded.fn)>(resolve(library, OHAL_CUDA_XSTR(fn))); \
  if (loaded.fn == nullptr) {                                                              \
    error = name + ": missing symbol " OHAL_CUDA_XSTR(fn) " (driver too old?)";            \
    dlclose(library);                                                                      \
    return false;                                                                          \
  }
  OHAL_CUDA_DRIVER_FUNCTIONS(OHAL_CUDA_DRIVER_RESOLVE)
#undef OHAL_CUDA_DRIVER_RESOLVE
  loaded.cuFuncGetParamInfo_opt =
      reinterpret_cast<PFN_ohalFuncGetParamInfo>(dlsym(library, "cuFuncGetParamInfo"));
  driver = loaded;
  return true;
}

void unload_driver(Driver& driver) {
  // No dlclose: once cuInit ran, libcuda owns threads and exit handlers that must not outlive
  // its code, so it stays mapped for the life of the process (as the CUDA runtime does).
  driver = Driver{};
}

}  // namespace ohal::cuda
