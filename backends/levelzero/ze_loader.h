// The Level Zero entry points the backend uses, resolved from libze_loader.so.1 with dlopen so a
// machine without the loader shows the plugin as unavailable instead of failing to load it.
#pragma once

#include <level_zero/ze_api.h>

#include <string>

namespace ohal::ze {

#define OHAL_ZE_REQUIRED_ENTRIES(X)         \
  X(zeInit)                                 \
  X(zeDriverGet)                            \
  X(zeDriverGetApiVersion)                  \
  X(zeDriverGetProperties)                  \
  X(zeDeviceGet)                            \
  X(zeDeviceGetProperties)                  \
  X(zeDeviceGetComputeProperties)           \
  X(zeDeviceGetModuleProperties)            \
  X(zeDeviceGetMemoryProperties)            \
  X(zeDeviceGetMemoryAccessProperties)      \
  X(zeDeviceGetCommandQueueGroupProperties) \
  X(zeContextCreate)                        \
  X(zeContextDestroy)                       \
  X(zeCommandListCreateImmediate)           \
  X(zeCommandListDestroy)                   \
  X(zeCommandListAppendBarrier)             \
  X(zeCommandListAppendMemoryCopy)          \
  X(zeCommandListAppendMemoryFill)          \
  X(zeCommandListAppendWaitOnEvents)        \
  X(zeCommandListAppendLaunchKernel)        \
  X(zeEventPoolCreate)                      \
  X(zeEventPoolDestroy)                     \
  X(zeEventCreate)                          \
  X(zeEventDestroy)                         \
  X(zeEventHostSynchronize)                 \
  X(zeEventQueryStatus)                     \
  X(zeEventHostReset)                       \
  X(zeEventHostSignal)                      \
  X(zeEventQueryKernelTimestamp)            \
  X(zeMemAllocDevice)                       \
  X(zeMemAllocHost)                         \
  X(zeMemAllocShared)                       \
  X(zeMemFree)                              \
  X(zeModuleCreate)                         \
  X(zeModuleDestroy)                        \
  X(zeModuleBuildLogGetString)              \
  X(zeModuleBuildLogDestroy)                \
  X(zeKernelCreate)                         \
  X(zeKernelDestroy)                        \
  X(zeKernelSetGroupSize)                   \
  X(zeKernelSetArgumentValue)               \
  X(zeKernelGetProperties)

// Extensions a loader or driver may lack.
#define OHAL_ZE_OPTIONAL_ENTRIES(X) X(zeDevicePciGetPropertiesExt)

struct ZeApi {
  void* library = nullptr;
#define OHAL_ZE_DECLARE(name) decltype(&::name) name = nullptr;
  OHAL_ZE_REQUIRED_ENTRIES(OHAL_ZE_DECLARE)
  OHAL_ZE_OPTIONAL_ENTRIES(OHAL_ZE_DECLARE)
#undef OHAL_ZE_DECLARE
};

// Opens libze_loader.so.1 and resolves every entry; false with the dlerror text (or the missing
// symbol) in reason. The loader stays mapped for the process (drivers do not survive unloading).
// `loader` exists for tests of the failure path.
bool load_ze_api(ZeApi& api, std::string& reason, const char* loader = "libze_loader.so.1");

}  // namespace ohal::ze
