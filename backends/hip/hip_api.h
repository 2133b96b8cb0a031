// The HIP runtime and hiprtc entry points the backend uses, resolved with dlopen/dlsym so that a
// machine without ROCm shows the plugin as unavailable instead of failing to load it.
#pragma once

#ifndef __HIP_PLATFORM_AMD__
#define __HIP_PLATFORM_AMD__ 1
#endif
#include <hip/hip_runtime_api.h>
#include <hip/hiprtc.h>

#include <string>

namespace ohal::hip {

// Explicit C signatures: the C++ header overloads several of these with templates, so
// decltype(&hipMalloc) would be ambiguous.
#define OHAL_HIP_REQUIRED_ENTRIES(X)                                                           \
  X(hipGetDeviceCount, hipError_t, (int*))                                                     \
  X(hipGetErrorName, const char*, (hipError_t))                                                \
  X(hipRuntimeGetVersion, hipError_t, (int*))                                                  \
  X(hipGetDeviceProperties, hipError_t, (hipDeviceProp_t*, int))                               \
  X(hipSetDevice, hipError_t, (int))                                                           \
  X(hipDeviceSynchronize, hipError_t, ())                                                      \
  X(hipMemGetInfo, hipError_t, (size_t*, size_t*))                                             \
  X(hipMalloc, hipError_t, (void**, size_t))                                                   \
  X(hipFree, hipError_t, (void*))                                                              \
  X(hipHostMalloc, hipError_t, (void**, size_t, unsigned int))                                 \
  X(hipHostFree, hipError_t, (void*))                                                          \
  X(hipHostGetDevicePointer, hipError_t, (void**, void*, unsigned int))                        \
  X(hipMallocManaged, hipError_t, (void**, size_t, unsigned int))                              \
  X(hipMemset, hipError_t, (void*, int, size_t))                                               \
  X(hipStreamCreateWithFlags, hipError_t, (hipStream_t*, unsigned int))                        \
  X(hipStreamDestroy, hipError_t, (hipStream_t))                                               \
  X(hipStreamSynchronize, hipError_t, (hipStream_t))                                           \
  X(hipStreamQuery, hipError_t, (hipStream_t))                                                 \
  X(hipStreamWaitEvent, hipError_t, (hipStream_t, hipEvent_t, unsigned int))                   \
  X(hipStreamAddCallback, hipError_t, (hipStream_t, hipStreamCallback_t, void*, unsigned int)) \
  X(hipEventCreateWithFlags, hipError_t, (hipEvent_t*, unsigned int))                          \
  X(hipEventDestroy, hipError_t, (hipEvent_t))                                                 \
  X(hipEventRecord, hipError_t, (hipEvent_t, hipStream_t))                                     \
  X(hipEventSynchronize, hipError_t, (hipEvent_t))                                             \
  X(hipEventQuery, hipError_t, (hipEvent_t))                                                   \
  X(hipEventElapsedTime, hipError_t, (float*, hipEvent_t, hipEvent_t))                         \
  X(hipMemcpyAsync, hipError_t, (void*, const void*, size_t, hipMemcpyKind, hipStream_t))      \
  X(hipMemsetD8Async, hipError_t, (hipDeviceptr_t, unsigned char, size_t, hipStream_t))        \
  X(hipMemsetD16Async, hipError_t, (hipDeviceptr_t, unsigned short, size_t, hipStream_t))      \
  X(hipMemsetD32Async, hipError_t, (hipDeviceptr_t, int, size_t, hipStream_t))                 \
  X(hipModuleLoadData, hipError_t, (hipModule_t*, const void*))                                \
  X(hipModuleUnload, hipError_t, (hipModule_t))                                                \
  X(hipModuleGetFunction, hipError_t, (hipFunction_t*, hipModule_t, const char*))              \
  X(hipFuncGetAttribute, hipError_t, (int*, hipFunction_attribute, hipFunction_t))             \
  X(hipModuleLaunchKernel, hipError_t,                                                         \
    (hipFunction_t, unsigned int, unsigned int, unsigned int, unsigned int, unsigned int,      \
     unsigned int, unsigned int, hipStream_t, void**, void**))

// Entries that older runtimes lack (HIP 5.2 declares hipLaunchHostFunc but does not export it).
#define OHAL_HIP_OPTIONAL_ENTRIES(X)                                  \
  X(hipLaunchHostFunc, hipError_t, (hipStream_t, hipHostFn_t, void*)) \
  X(hipDeviceGetUuid, hipError_t, (hipUUID*, hipDevice_t))

#define OHAL_HIPRTC_ENTRIES(X)                                                   \
  X(hiprtcCreateProgram, hiprtcResult,                                           \
    (hiprtcProgram*, const char*, const char*, int, const char**, const char**)) \
  X(hiprtcCompileProgram, hiprtcResult, (hiprtcProgram, int, const char**))      \
  X(hiprtcGetProgramLogSize, hiprtcResult, (hiprtcProgram, size_t*))             \
  X(hiprtcGetProgramLog, hiprtcResult, (hiprtcProgram, char*))                   \
  X(hiprtcGetCodeSize, hiprtcResult, (hiprtcProgram, size_t*))                   \
  X(hiprtcGetCode, hiprtcResult, (hiprtcProgram, char*))                         \
  X(hiprtcDestroyProgram, hiprtcResult, (hiprtcProgram*))                        \
  X(hiprtcGetErrorString, const char*, (hiprtcResult))

struct HipApi {
  void* library = nullptr;      // libamdhip64
  void* rtc_library = nullptr;  // libhiprtc, or the HIP library itself (HIP 5.2 bundles hiprtc)
  bool rtc_loaded = false;      // every hiprtc entry resolved
  std::string library_name;     // the soname that loaded
  std::string rtc_reason;       // why hiprtc is missing, when it is

#define OHAL_HIP_DECLARE(name, ret, params) ret(*name) params = nullptr;
  OHAL_HIP_REQUIRED_ENTRIES(OHAL_HIP_DECLARE)
  OHAL_HIP_OPTIONAL_ENTRIES(OHAL_HIP_DECLARE)
  OHAL_HIPRTC_ENTRIES(OHAL_HIP_DECLARE)
#undef OHAL_HIP_DECLARE
};

// Opens the HIP runtime (libamdhip64.so.5) and hiprtc and resolves every entry. Returns false
// with the dlerror text (or the missing symbol) in reason; a missing hiprtc is not a failure
// (rtc_loaded stays false and rtc_reason says why). The libraries stay mapped for the process:
// ROCm's runtime does not survive being unloaded.
// `library` exists for tests of the failure path.
bool load_hip_api(HipApi& api, std::string& reason, const char* library = "libamdhip64.so.5");

}  // namespace ohal::hip
