#include "loader.hpp"

#include <dlfcn.h>

#include <cstdlib>

namespace ohal::vk {

bool Loader::open(std::string& error) {
  if (library_ != nullptr) return true;
  const char* override_path = std::getenv("OHAL_VULKAN_LOADER");
  const char* path =
      override_path != nullptr && *override_path != '\0' ? override_path : "libvulkan.so.1";
  // RTLD_LOCAL: the loader's symbols must not leak into other plugins' lookups.
  library_ = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library_ == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : std::string(path) + ": dlopen failed";
    return false;
  }
  vkGetInstanceProcAddr =
      reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(library_, "vkGetInstanceProcAddr"));
  if (vkGetInstanceProcAddr == nullptr) {
    error = std::string(path) + ": no vkGetInstanceProcAddr symbol";
    close();
    return false;
  }
#define OHAL_VK_LOAD_GLOBAL(name) \
  name = reinterpret_cast<PFN_##name>(vkGetInstanceProcAddr(VK_NULL_HANDLE, #name));
  OHAL_VK_GLOBAL_FUNCS(OHAL_VK_LOAD_GLOBAL)
#undef OHAL_VK_LOAD_GLOBAL
  if (vkCreateInstance == nullptr || vkEnumerateInstanceExtensionProperties == nullptr ||
      vkEnumerateInstanceLayerProperties == nullptr) {
    error = std::string(path) + ": vkGetInstanceProcAddr does not resolve vkCreateInstance";
    close();
    return false;
  }
  return true;
}

void Loader::close() noexcept {
  if (library_ != nullptr) dlclose(library_);
  library_ = nullptr;
  vkGetInstanceProcAddr = nullptr;
#define OHAL_VK_CLEAR(name) name = nullptr;
  OHAL_VK_GLOBAL_FUNCS(OHAL_VK_CLEAR)
#undef OHAL_VK_CLEAR
}

uint32_t Loader::instance_version() const noexcept {
  uint32_t version = VK_API_VERSION_1_0;
  // Absent in 1.0 loaders.
  if (vkEnumerateInstanceVersion != nullptr && vkEnumerateInstanceVersion(&version) != VK_SUCCESS)
    version = VK_API_VERSION_1_0;
  return version;
}

bool Loader::load_instance(VkInstance instance, InstanceFns& fns, std::string& error) const {
#define OHAL_VK_LOAD_INSTANCE(name)                                                \
  fns.name = reinterpret_cast<PFN_##name>(vkGetInstanceProcAddr(instance, #name)); \
  if (fns.name == nullptr) {                                                       \
    error = "vkGetInstanceProcAddr(" #name ") returned NULL";                      \
    return false;                                                                  \
  }
  OHAL_VK_INSTANCE_FUNCS(OHAL_VK_LOAD_INSTANCE)
#undef OHAL_VK_LOAD_INSTANCE
#define OHAL_VK_LOAD_OPTIONAL(name) \
  fns.name = reinterpret_cast<PFN_##name>(vkGetInstanceProcAddr(instance, #name));
  OHAL_VK_INSTANCE_OPTIONAL_FUNCS(OHAL_VK_LOAD_OPTIONAL)
#undef OHAL_VK_LOAD_OPTIONAL
  return true;
}

bool Loader::load_device(const InstanceFns& ifns, VkDevice device, DeviceFns& fns,
                         std::string& error) {
#define OHAL_VK_LOAD_DEVICE(name)                                                   \
  fns.name = reinterpret_cast<PFN_##name>(ifns.vkGetDeviceProcAddr(device, #name)); \
  if (fns.name == nullptr) {                                                        \
    error = "vkGetDeviceProcAddr(" #name ") returned NULL";                         \
    return false;                                                                   \
  }
  OHAL_VK_DEVICE_FUNCS(OHAL_VK_LOAD_DEVICE)
#undef OHAL_VK_LOAD_DEVICE
  return true;
}

}  // namespace ohal::vk
