// Modules: NATIVE_SO images (shared objects built from kernel.h sources), loaded from memory.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cpu_ref.h"
#include "kernel_abi.h"

namespace ohal::cpu_ref {

class Module;

struct Kernel {
  Module* module;
  const ohal_cpu_kernel_desc_t* desc;
  std::string name;
  // Its OHAL_SHARED_ARRAYs laid out as the kernel side allocates them.
  uint32_t static_shared_bytes = 0;
};

class Module {
 public:
  Module(void* handle, int fd) : handle_(handle), fd_(fd) {}
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  Kernel* find(const char* name) const;
  std::vector<std::unique_ptr<Kernel>>& kernels() { return kernels_; }
  // dlclose and close the memfd.
  ohal_result_t unload();

 private:
  void* handle_;
  int fd_;
  std::vector<std::unique_ptr<Kernel>> kernels_;
};

ohal_result_t module_load(const ohal_module_desc_t* desc, Module** out);
void kernel_get_properties(const Kernel& kernel, ohal_kernel_properties_t* properties);

}  // namespace ohal::cpu_ref
