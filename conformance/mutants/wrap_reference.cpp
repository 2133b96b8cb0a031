#include "wrap_reference.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace cts_mutant {

ohal_result_t wrap_reference(uint32_t abi_version, const ohal_host_services_t* host,
                             const char* name, ohal_backend_t* table, const ohal_backend_t** real) {
  Dl_info self{};
  if (dladdr(reinterpret_cast<const void*>(&wrap_reference), &self) == 0 ||
      self.dli_fname == nullptr) {
    return host->set_error(OHAL_ERROR_BACKEND, "dladdr: cannot find the wrapper's own folder");
  }
  std::string path(self.dli_fname);
  path = path.substr(0, path.rfind('/') + 1) + "libohal_cpu_ref.so";
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const std::string why = std::string("dlopen: ") + dlerror();
    return host->set_error(OHAL_ERROR_BACKEND, why.c_str());
  }
  auto entry = reinterpret_cast<ohal_backend_entry_fn>(dlsym(library, OHAL_BACKEND_ENTRY_SYMBOL));
  if (entry == nullptr) {
    return host->set_error(OHAL_ERROR_BACKEND, "dlsym: libohal_cpu_ref.so has no entry");
  }
  const ohal_backend_t* reference = nullptr;
  const ohal_result_t r = entry(abi_version, host, &reference);
  if (r != OHAL_SUCCESS) return r;
  if (reference == nullptr) {
    return host->set_error(OHAL_ERROR_BACKEND, "the reference backend returned no table");
  }
  std::memset(table, 0, sizeof(*table));
  std::memcpy(table, reference, std::min(reference->struct_size, sizeof(*table)));
  table->struct_size = std::min(reference->struct_size, sizeof(*table));
  table->name = name;
  *real = reference;
  return OHAL_SUCCESS;
}

}  // namespace cts_mutant
