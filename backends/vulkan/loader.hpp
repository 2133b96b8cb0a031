// The Vulkan loader, opened with dlopen so a machine without libvulkan.so.1 shows the plugin as
// failed with the reason instead of failing to load it.
#pragma once

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <string>

namespace ohal::vk {

// Functions resolved from the loader library itself.
#define OHAL_VK_GLOBAL_FUNCS(X)             \
  X(vkEnumerateInstanceVersion)             \
  X(vkEnumerateInstanceExtensionProperties) \
  X(vkEnumerateInstanceLayerProperties)     \
  X(vkCreateInstance)

// Functions resolved per instance.
#define OHAL_VK_INSTANCE_FUNCS(X)             \
  X(vkDestroyInstance)                        \
  X(vkEnumeratePhysicalDevices)               \
  X(vkGetPhysicalDeviceProperties)            \
  X(vkGetPhysicalDeviceProperties2)           \
  X(vkGetPhysicalDeviceFeatures2)             \
  X(vkGetPhysicalDeviceQueueFamilyProperties) \
  X(vkGetPhysicalDeviceMemoryProperties)      \
  X(vkGetPhysicalDeviceMemoryProperties2)     \
  X(vkEnumerateDeviceExtensionProperties)     \
  X(vkCreateDevice)                           \
  X(vkGetDeviceProcAddr)

// Optional instance functions (extensions).
#define OHAL_VK_INSTANCE_OPTIONAL_FUNCS(X) \
  X(vkCreateDebugUtilsMessengerEXT)        \
  X(vkDestroyDebugUtilsMessengerEXT)

// Functions resolved per device.
#define OHAL_VK_DEVICE_FUNCS(X)    \
  X(vkDestroyDevice)               \
  X(vkGetDeviceQueue)              \
  X(vkDeviceWaitIdle)              \
  X(vkQueueSubmit)                 \
  X(vkAllocateMemory)              \
  X(vkFreeMemory)                  \
  X(vkMapMemory)                   \
  X(vkUnmapMemory)                 \
  X(vkCreateBuffer)                \
  X(vkDestroyBuffer)               \
  X(vkGetBufferMemoryRequirements) \
  X(vkBindBufferMemory)            \
  X(vkGetBufferDeviceAddress)      \
  X(vkCreateSemaphore)             \
  X(vkDestroySemaphore)            \
  X(vkGetSemaphoreCounterValue)    \
  X(vkWaitSemaphores)              \
  X(vkSignalSemaphore)             \
  X(vkCreateCommandPool)           \
  X(vkDestroyCommandPool)          \
  X(vkAllocateCommandBuffers)      \
  X(vkFreeCommandBuffers)          \
  X(vkBeginCommandBuffer)          \
  X(vkEndCommandBuffer)            \
  X(vkResetCommandBuffer)          \
  X(vkCmdPipelineBarrier)          \
  X(vkCmdCopyBuffer)               \
  X(vkCmdFillBuffer)               \
  X(vkCmdBindPipeline)             \
  X(vkCmdPushConstants)            \
  X(vkCmdDispatch)                 \
  X(vkCmdResetQueryPool)           \
  X(vkCmdWriteTimestamp)           \
  X(vkCreateQueryPool)             \
  X(vkDestroyQueryPool)            \
  X(vkGetQueryPoolResults)         \
  X(vkCreateShaderModule)          \
  X(vkDestroyShaderModule)         \
  X(vkCreatePipelineLayout)        \
  X(vkDestroyPipelineLayout)       \
  X(vkCreatePipelineCache)         \
  X(vkDestroyPipelineCache)        \
  X(vkCreateComputePipelines)      \
  X(vkDestroyPipeline)

#define OHAL_VK_DECLARE_FN(name) PFN_##name name = nullptr;

// A zeroed Vulkan struct with its sType set.
template <typename T>
T vk_struct(VkStructureType type) {
  T value{};
  value.sType = type;
  return value;
}

struct InstanceFns {
  OHAL_VK_INSTANCE_FUNCS(OHAL_VK_DECLARE_FN)
  OHAL_VK_INSTANCE_OPTIONAL_FUNCS(OHAL_VK_DECLARE_FN)
};

struct DeviceFns {
  OHAL_VK_DEVICE_FUNCS(OHAL_VK_DECLARE_FN)
};

// The opened loader library and its global entry points.
class Loader {
 public:
  // Opens libvulkan.so.1 (OHAL_VULKAN_LOADER overrides the file); false with `error` set when
  // the library or vkGetInstanceProcAddr is missing.
  bool open(std::string& error);
  void close() noexcept;
  bool is_open() const noexcept { return library_ != nullptr; }

  // The loader's instance version (VK_API_VERSION_1_0 when it predates 1.1).
  uint32_t instance_version() const noexcept;

  // Resolves the per-instance table; false with `error` naming the first missing function.
  bool load_instance(VkInstance instance, InstanceFns& fns, std::string& error) const;
  // Resolves a device's table through vkGetDeviceProcAddr.
  static bool load_device(const InstanceFns& ifns, VkDevice device, DeviceFns& fns,
                          std::string& error);

  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  OHAL_VK_GLOBAL_FUNCS(OHAL_VK_DECLARE_FN)

 private:
  void* library_ = nullptr;
};

}  // namespace ohal::vk
