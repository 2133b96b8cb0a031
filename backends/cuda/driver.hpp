// The CUDA driver API, loaded at run time: the plugin never links libcuda, so a machine without
// the NVIDIA driver just reports the backend as unavailable (with dlerror's text) instead of
// failing to load it.
#pragma once

#include <cuda.h>

#include <string>

#if defined(CUDA_API_PER_THREAD_DEFAULT_STREAM)
#error "the cuda backend resolves the legacy-stream entry points; do not define this"
#endif

namespace ohal::cuda {

// Every entry point the backend calls. Each member is typed by the header's own declaration, and
// the symbol resolved is the one the header's versioning macros name (cuMemAlloc ->
// "cuMemAlloc_v2"), so type and ABI always agree.
#define OHAL_CUDA_DRIVER_FUNCTIONS(X) \
  X(cuInit)                           \
  X(cuDriverGetVersion)               \
  X(cuGetErrorName)                   \
  X(cuGetErrorString)                 \
  X(cuDeviceGetCount)                 \
  X(cuDeviceGet)                      \
  X(cuDeviceGetName)                  \
  X(cuDeviceGetAttribute)             \
  X(cuDeviceTotalMem)                 \
  X(cuDeviceGetPCIBusId)              \
  X(cuDeviceGetUuid)                  \
  X(cuDevicePrimaryCtxRetain)         \
  X(cuDevicePrimaryCtxRelease)        \
  X(cuCtxSetCurrent)                  \
  X(cuCtxSynchronize)                 \
  X(cuMemAlloc)                       \
  X(cuMemFree)                        \
  X(cuMemHostAlloc)                   \
  X(cuMemFreeHost)                    \
  X(cuMemHostGetDevicePointer)        \
  X(cuMemAllocManaged)                \
  X(cuMemGetInfo)                     \
  X(cuMemcpyAsync)                    \
  X(cuMemsetD8Async)                  \
  X(cuMemsetD16Async)                 \
  X(cuMemsetD32Async)                 \
  X(cuStreamCreate)                   \
  X(cuStreamDestroy)                  \
  X(cuStreamSynchronize)              \
  X(cuStreamQuery)                    \
  X(cuStreamWaitEvent)                \
  X(cuLaunchHostFunc)                 \
  X(cuEventCreate)                    \
  X(cuEventDestroy)                   \
  X(cuEventRecord)                    \
  X(cuEventSynchronize)               \
  X(cuEventQuery)                     \
  X(cuEventElapsedTime)               \
  X(cuModuleLoadDataEx)               \
  X(cuModuleUnload)                   \
  X(cuModuleGetFunction)              \
  X(cuFuncGetAttribute)               \
  X(cuFuncSetAttribute)               \
  X(cuLaunchKernel)

// cuFuncGetParamInfo appeared in CUDA 12.4 (header and driver); typed here so that older
// headers build, and resolved optionally.
using PFN_ohalFuncGetParamInfo = CUresult(CUDAAPI*)(CUfunction func, size_t param_index,
                                                    size_t* param_offset, size_t* param_size);

struct Driver {
#define OHAL_CUDA_DRIVER_MEMBER(name) decltype(&::name) name = nullptr;
  OHAL_CUDA_DRIVER_FUNCTIONS(OHAL_CUDA_DRIVER_MEMBER)
#undef OHAL_CUDA_DRIVER_MEMBER

  PFN_ohalFuncGetParamInfo cuFuncGetParamInfo_opt = nullptr;  // NULL before CUDA 12.4

  void* library = nullptr;
  std::string library_path;  // what was dlopen'ed
  int version = 0;           // cuDriverGetVersion: 12040 for 12.4
};

// Where the driver is looked for: $OHAL_CUDA_DRIVER_PATH when set (a file or a soname), else
// "libcuda.so.1" through the dynamic loader's search.
std::string driver_library_name();

// dlopen()s the driver and resolves every entry point. On failure returns false with `error` set
// to dlerror()'s text ("libcuda.so.1: cannot open shared object file: No such file or
// directory") or "<library>: missing symbol <name>"; nothing stays loaded. cuInit is not called.
bool load_driver(Driver& driver, std::string& error);

// Clears every pointer; the library itself stays loaded (see driver.cpp).
void unload_driver(Driver& driver);

}  // namespace ohal::cuda
