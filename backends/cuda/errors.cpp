// Error mapping: one table of CUresult codes with their names and HAL codes.
#include "errors.hpp"

#include "driver.hpp"

namespace ohal::cuda {
namespace {

struct CuError {
  int code;
  const char* name;
  ohal_result_t result;
  bool context_fatal;  // the context is unusable afterwards
};

// Codes as numbers so the table builds with any 12.x/13.x header; names as in cuda.h 13.0.
constexpr CuError kCuErrors[] = {
    {0, "CUDA_SUCCESS", OHAL_SUCCESS, false},
    {1, "CUDA_ERROR_INVALID_VALUE", OHAL_ERROR_INVALID_VALUE, false},
    {2, "CUDA_ERROR_OUT_OF_MEMORY", OHAL_ERROR_OUT_OF_DEVICE_MEMORY, false},
    {3, "CUDA_ERROR_NOT_INITIALIZED", OHAL_ERROR_BACKEND, false},
    {4, "CUDA_ERROR_DEINITIALIZED", OHAL_ERROR_BACKEND, false},
    {5, "CUDA_ERROR_PROFILER_DISABLED", OHAL_ERROR_BACKEND, false},
    {6, "CUDA_ERROR_PROFILER_NOT_INITIALIZED", OHAL_ERROR_BACKEND, false},
    {7, "CUDA_ERROR_PROFILER_ALREADY_STARTED", OHAL_ERROR_BACKEND, false},
    {8, "CUDA_ERROR_PROFILER_ALREADY_STOPPED", OHAL_ERROR_BACKEND, false},
    {34, "CUDA_ERROR_STUB_LIBRARY", OHAL_ERROR_BACKEND, false},
    {36, "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER", OHAL_ERROR_UNSUPPORTED, false},
    {46, "CUDA_ERROR_DEVICE_UNAVAILABLE", OHAL_ERROR_BUSY, false},
    {100, "CUDA_ERROR_NO_DEVICE", OHAL_ERROR_NO_DEVICE, false},
    {101, "CUDA_ERROR_INVALID_DEVICE", OHAL_ERROR_NO_DEVICE, false},
    {102, "CUDA_ERROR_DEVICE_NOT_LICENSED", OHAL_ERROR_NO_DEVICE, false},
    {200, "CUDA_ERROR_INVALID_IMAGE", OHAL_ERROR_INVALID_IMAGE, false},
    {201, "CUDA_ERROR_INVALID_CONTEXT", OHAL_ERROR_INVALID_HANDLE, false},
    {202, "CUDA_ERROR_CONTEXT_ALREADY_CURRENT", OHAL_ERROR_BACKEND, false},
    {205, "CUDA_ERROR_MAP_FAILED", OHAL_ERROR_BACKEND, false},
    {206, "CUDA_ERROR_UNMAP_FAILED", OHAL_ERROR_BACKEND, false},
    {207, "CUDA_ERROR_ARRAY_IS_MAPPED", OHAL_ERROR_BACKEND, false},
    {208, "CUDA_ERROR_ALREADY_MAPPED", OHAL_ERROR_BACKEND, false},
    {209, "CUDA_ERROR_NO_BINARY_FOR_GPU", OHAL_ERROR_INVALID_IMAGE, false},
    {210, "CUDA_ERROR_ALREADY_ACQUIRED", OHAL_ERROR_BACKEND, false},
    {211, "CUDA_ERROR_NOT_MAPPED", OHAL_ERROR_BACKEND, false},
    {212, "CUDA_ERROR_NOT_MAPPED_AS_ARRAY", OHAL_ERROR_BACKEND, false},
    {213, "CUDA_ERROR_NOT_MAPPED_AS_POINTER", OHAL_ERROR_BACKEND, false},
    {214, "CUDA_ERROR_ECC_UNCORRECTABLE", OHAL_ERROR_DEVICE_LOST, true},
    {215, "CUDA_ERROR_UNSUPPORTED_LIMIT", OHAL_ERROR_UNSUPPORTED, false},
    {216, "CUDA_ERROR_CONTEXT_ALREADY_IN_USE", OHAL_ERROR_BUSY, false},
    {217, "CUDA_ERROR_PEER_ACCESS_UNSUPPORTED", OHAL_ERROR_UNSUPPORTED, false},
    {218, "CUDA_ERROR_INVALID_PTX", OHAL_ERROR_INVALID_IMAGE, false},
    {219, "CUDA_ERROR_INVALID_GRAPHICS_CONTEXT", OHAL_ERROR_BACKEND, false},
    {220, "CUDA_ERROR_NVLINK_UNCORRECTABLE", OHAL_ERROR_DEVICE_LOST, true},
    {221, "CUDA_ERROR_JIT_COMPILER_NOT_FOUND", OHAL_ERROR_UNSUPPORTED, false},
    {222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", OHAL_ERROR_INVALID_IMAGE, false},
    {223, "CUDA_ERROR_JIT_COMPILATION_DISABLED", OHAL_ERROR_UNSUPPORTED, false},
    {224, "CUDA_ERROR_UNSUPPORTED_EXEC_AFFINITY", OHAL_ERROR_UNSUPPORTED, false},
    {225, "CUDA_ERROR_UNSUPPORTED_DEVSIDE_SYNC", OHAL_ERROR_INVALID_IMAGE, false},
    {226, "CUDA_ERROR_CONTAINED", OHAL_ERROR_LAUNCH_FAILED, true},
    {300, "CUDA_ERROR_INVALID_SOURCE", OHAL_ERROR_INVALID_IMAGE, false},
    {301, "CUDA_ERROR_FILE_NOT_FOUND", OHAL_ERROR_INVALID_IMAGE, false},
    {302, "CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND", OHAL_ERROR_INVALID_IMAGE, false},
    {303, "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED", OHAL_ERROR_INVALID_IMAGE, false},
    {304, "CUDA_ERROR_OPERATING_SYSTEM", OHAL_ERROR_BACKEND, false},
    {400, "CUDA_ERROR_INVALID_HANDLE", OHAL_ERROR_INVALID_HANDLE, false},
    {401, "CUDA_ERROR_ILLEGAL_STATE", OHAL_ERROR_BACKEND, false},
    {402, "CUDA_ERROR_LOSSY_QUERY", OHAL_ERROR_BACKEND, false},
    {500, "CUDA_ERROR_NOT_FOUND", OHAL_ERROR_KERNEL_NOT_FOUND, false},
    {600, "CUDA_ERROR_NOT_READY", OHAL_NOT_READY, false},
    {700, "CUDA_ERROR_ILLEGAL_ADDRESS", OHAL_ERROR_LAUNCH_FAILED, true},
    {701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", OHAL_ERROR_INVALID_LAUNCH_CONFIG, false},
    {702, "CUDA_ERROR_LAUNCH_TIMEOUT", OHAL_ERROR_LAUNCH_FAILED, true},
    {703, "CUDA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING", OHAL_ERROR_LAUNCH_FAILED, false},
    {704, "CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED", OHAL_ERROR_BACKEND, false},
    {705, "CUDA_ERROR_PEER_ACCESS_NOT_ENABLED", OHAL_ERROR_BACKEND, false},
    {708, "CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE", OHAL_ERROR_BACKEND, false},
    {709, "CUDA_ERROR_CONTEXT_IS_DESTROYED", OHAL_ERROR_INVALID_HANDLE, false},
    {710, "CUDA_ERROR_ASSERT", OHAL_ERROR_LAUNCH_FAILED, true},
    {711, "CUDA_ERROR_TOO_MANY_PEERS", OHAL_ERROR_BACKEND, false},
    {712, "CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED", OHAL_ERROR_BACKEND, false},
    {713, "CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED", OHAL_ERROR_BACKEND, false},
    {714, "CUDA_ERROR_HARDWARE_STACK_ERROR", OHAL_ERROR_LAUNCH_FAILED, true},
    {715, "CUDA_ERROR_ILLEGAL_INSTRUCTION", OHAL_ERROR_LAUNCH_FAILED, true},
    {716, "CUDA_ERROR_MISALIGNED_ADDRESS", OHAL_ERROR_LAUNCH_FAILED, true},
    {717, "CUDA_ERROR_INVALID_ADDRESS_SPACE", OHAL_ERROR_LAUNCH_FAILED, true},
    {718, "CUDA_ERROR_INVALID_PC", OHAL_ERROR_LAUNCH_FAILED, true},
    {719, "CUDA_ERROR_LAUNCH_FAILED", OHAL_ERROR_LAUNCH_FAILED, true},
    {720, "CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE", OHAL_ERROR_INVALID_LAUNCH_CONFIG, false},
    {721, "CUDA_ERROR_TENSOR_MEMORY_LEAK", OHAL_ERROR_LAUNCH_FAILED, true},
    {800, "CUDA_ERROR_NOT_PERMITTED", OHAL_ERROR_UNSUPPORTED, false},
    {801, "CUDA_ERROR_NOT_SUPPORTED", OHAL_ERROR_UNSUPPORTED, false},
    {802, "CUDA_ERROR_SYSTEM_NOT_READY", OHAL_ERROR_BACKEND, false},
    {803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", OHAL_ERROR_BACKEND, false},
    {804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE", OHAL_ERROR_BACKEND, false},
    {805, "CUDA_ERROR_MPS_CONNECTION_FAILED", OHAL_ERROR_BACKEND, false},
    {806, "CUDA_ERROR_MPS_RPC_FAILURE", OHAL_ERROR_BACKEND, false},
    {807, "CUDA_ERROR_MPS_SERVER_NOT_READY", OHAL_ERROR_BACKEND, false},
    {808, "CUDA_ERROR_MPS_MAX_CLIENTS_REACHED", OHAL_ERROR_BUSY, false},
    {809, "CUDA_ERROR_MPS_MAX_CONNECTIONS_REACHED", OHAL_ERROR_BUSY, false},
    {810, "CUDA_ERROR_MPS_CLIENT_TERMINATED", OHAL_ERROR_DEVICE_LOST, true},
    {811, "CUDA_ERROR_CDP_NOT_SUPPORTED", OHAL_ERROR_UNSUPPORTED, false},
    {812, "CUDA_ERROR_CDP_VERSION_MISMATCH", OHAL_ERROR_INVALID_IMAGE, false},
    {900, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED", OHAL_ERROR_BACKEND, false},
    {901, "CUDA_ERROR_STREAM_CAPTURE_INVALIDATED", OHAL_ERROR_BACKEND, false},
    {902, "CUDA_ERROR_STREAM_CAPTURE_MERGE", OHAL_ERROR_BACKEND, false},
    {903, "CUDA_ERROR_STREAM_CAPTURE_UNMATCHED", OHAL_ERROR_BACKEND, false},
    {904, "CUDA_ERROR_STREAM_CAPTURE_UNJOINED", OHAL_ERROR_BACKEND, false},
    {905, "CUDA_ERROR_STREAM_CAPTURE_ISOLATION", OHAL_ERROR_BACKEND, false},
    {906, "CUDA_ERROR_STREAM_CAPTURE_IMPLICIT", OHAL_ERROR_BACKEND, false},
    {907, "CUDA_ERROR_CAPTURED_EVENT", OHAL_ERROR_BACKEND, false},
    {908, "CUDA_ERROR_STREAM_CAPTURE_WRONG_THREAD", OHAL_ERROR_BACKEND, false},
    {909, "CUDA_ERROR_TIMEOUT", OHAL_ERROR_TIMEOUT, false},
    {910, "CUDA_ERROR_GRAPH_EXEC_UPDATE_FAILURE", OHAL_ERROR_BACKEND, false},
    {911, "CUDA_ERROR_EXTERNAL_DEVICE", OHAL_ERROR_DEVICE_LOST, true},
    {912, "CUDA_ERROR_INVALID_CLUSTER_SIZE", OHAL_ERROR_INVALID_LAUNCH_CONFIG, false},
    {913, "CUDA_ERROR_FUNCTION_NOT_LOADED", OHAL_ERROR_KERNEL_NOT_FOUND, false},
    {914, "CUDA_ERROR_INVALID_RESOURCE_TYPE", OHAL_ERROR_BACKEND, false},
    {915, "CUDA_ERROR_INVALID_RESOURCE_CONFIGURATION", OHAL_ERROR_BACKEND, false},
    {916, "CUDA_ERROR_KEY_ROTATION", OHAL_ERROR_DEVICE_LOST, true},
    {999, "CUDA_ERROR_UNKNOWN", OHAL_ERROR_BACKEND, false},
};

const CuError* find(int code) {
  for (const CuError& e : kCuErrors) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

}  // namespace

ohal_result_t map_cu_result(int cu_result) {
  const CuError* e = find(cu_result);
  return e != nullptr ? e->result : OHAL_ERROR_BACKEND;
}

bool is_context_fatal(int cu_result) {
  const CuError* e = find(cu_result);
  return e != nullptr && e->context_fatal;
}

ohal_result_t map_nvrtc_result(int nvrtc_result) {
  switch (nvrtc_result) {
    case 0:  // NVRTC_SUCCESS
      return OHAL_SUCCESS;
    case 1:  // NVRTC_ERROR_OUT_OF_MEMORY
      return OHAL_ERROR_OUT_OF_HOST_MEMORY;
    case 5:  // NVRTC_ERROR_INVALID_OPTION: a caller's option; the log names it
    case 6:  // NVRTC_ERROR_COMPILATION
      return OHAL_ERROR_BUILD_FAILED;
    default:
      return OHAL_ERROR_BACKEND;
  }
}

std::string cu_error_name(int cu_result, const Driver* driver) {
  if (const CuError* e = find(cu_result)) return e->name;
  if (driver != nullptr && driver->cuGetErrorName != nullptr) {
    const char* name = nullptr;
    if (driver->cuGetErrorName(static_cast<CUresult>(cu_result), &name) == CUDA_SUCCESS &&
        name != nullptr) {
      return name;
    }
  }
  return "CUDA_ERROR_" + std::to_string(cu_result);
}

std::string format_cu_error(std::string_view call, int cu_result, const Driver* driver,
                            std::string_view detail) {
  std::string message(call);
  message += ": ";
  message += cu_error_name(cu_result, driver);
  message += " (" + std::to_string(cu_result) + ")";
  if (driver != nullptr && driver->cuGetErrorString != nullptr) {
    const char* text = nullptr;
    if (driver->cuGetErrorString(static_cast<CUresult>(cu_result), &text) == CUDA_SUCCESS &&
        text != nullptr && text[0] != '\0') {
      message += ": ";
      message += text;
    }
  }
  if (!detail.empty()) {
    message += "; ";
    message += detail;
  }
  if (is_context_fatal(cu_result)) {
    message += "; the CUDA context is unusable from now on (every later call on this device fails)";
  }
  return message;
}

}  // namespace ohal::cuda
