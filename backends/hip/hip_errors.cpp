#include "hip_errors.h"

#include <string_view>

#include "code_table.hpp"

namespace ohal::hip {
namespace {

// Codes from HIP 5.2's hip_runtime_api.h. Kept as plain numbers so the table (and its unit
// test) needs no HIP header; deprecated aliases share a code and are listed once.
constexpr plugin::CodeEntry<int> kErrors[] = {
    {0, "hipSuccess", OHAL_SUCCESS},
    {1, "hipErrorInvalidValue", OHAL_ERROR_INVALID_VALUE},
    {2, "hipErrorOutOfMemory", OHAL_ERROR_OUT_OF_DEVICE_MEMORY},
    {3, "hipErrorNotInitialized", OHAL_ERROR_BACKEND},
    {4, "hipErrorDeinitialized", OHAL_ERROR_DEVICE_LOST},
    {5, "hipErrorProfilerDisabled", OHAL_ERROR_BACKEND},
    {6, "hipErrorProfilerNotInitialized", OHAL_ERROR_BACKEND},
    {7, "hipErrorProfilerAlreadyStarted", OHAL_ERROR_BACKEND},
    {8, "hipErrorProfilerAlreadyStopped", OHAL_ERROR_BACKEND},
    {9, "hipErrorInvalidConfiguration", OHAL_ERROR_INVALID_LAUNCH_CONFIG},
    {12, "hipErrorInvalidPitchValue", OHAL_ERROR_INVALID_VALUE},
    {13, "hipErrorInvalidSymbol", OHAL_ERROR_KERNEL_NOT_FOUND},
    {17, "hipErrorInvalidDevicePointer", OHAL_ERROR_INVALID_POINTER},
    {21, "hipErrorInvalidMemcpyDirection", OHAL_ERROR_INVALID_VALUE},
    {35, "hipErrorInsufficientDriver", OHAL_ERROR_BACKEND},
    {52, "hipErrorMissingConfiguration", OHAL_ERROR_INVALID_LAUNCH_CONFIG},
    {53, "hipErrorPriorLaunchFailure", OHAL_ERROR_LAUNCH_FAILED},
    {98, "hipErrorInvalidDeviceFunction", OHAL_ERROR_KERNEL_NOT_FOUND},
    {100, "hipErrorNoDevice", OHAL_ERROR_NO_DEVICE},
    {101, "hipErrorInvalidDevice", OHAL_ERROR_NO_DEVICE},
    {200, "hipErrorInvalidImage", OHAL_ERROR_INVALID_IMAGE},
    {201, "hipErrorInvalidContext", OHAL_ERROR_BACKEND},
    {202, "hipErrorContextAlreadyCurrent", OHAL_ERROR_BACKEND},
    {205, "hipErrorMapFailed", OHAL_ERROR_BACKEND},
    {206, "hipErrorUnmapFailed", OHAL_ERROR_BACKEND},
    {207, "hipErrorArrayIsMapped", OHAL_ERROR_BACKEND},
    {208, "hipErrorAlreadyMapped", OHAL_ERROR_BACKEND},
    {209, "hipErrorNoBinaryForGpu", OHAL_ERROR_INVALID_IMAGE},
    {210, "hipErrorAlreadyAcquired", OHAL_ERROR_BACKEND},
    {211, "hipErrorNotMapped", OHAL_ERROR_BACKEND},
    {212, "hipErrorNotMappedAsArray", OHAL_ERROR_BACKEND},
    {213, "hipErrorNotMappedAsPointer", OHAL_ERROR_BACKEND},
    {214, "hipErrorECCNotCorrectable", OHAL_ERROR_DEVICE_LOST},
    {215, "hipErrorUnsupportedLimit", OHAL_ERROR_UNSUPPORTED},
    {216, "hipErrorContextAlreadyInUse", OHAL_ERROR_BUSY},
    {217, "hipErrorPeerAccessUnsupported", OHAL_ERROR_UNSUPPORTED},
    {218, "hipErrorInvalidKernelFile", OHAL_ERROR_INVALID_IMAGE},
    {219, "hipErrorInvalidGraphicsContext", OHAL_ERROR_BACKEND},
    {300, "hipErrorInvalidSource", OHAL_ERROR_BUILD_FAILED},
    {301, "hipErrorFileNotFound", OHAL_ERROR_INVALID_IMAGE},
    {302, "hipErrorSharedObjectSymbolNotFound", OHAL_ERROR_KERNEL_NOT_FOUND},
    {303, "hipErrorSharedObjectInitFailed", OHAL_ERROR_INVALID_IMAGE},
    {304, "hipErrorOperatingSystem", OHAL_ERROR_BACKEND},
    {400, "hipErrorInvalidHandle", OHAL_ERROR_INVALID_HANDLE},
    {401, "hipErrorIllegalState", OHAL_ERROR_BACKEND},
    {500, "hipErrorNotFound", OHAL_ERROR_KERNEL_NOT_FOUND},
    {600, "hipErrorNotReady", OHAL_NOT_READY},
    {700, "hipErrorIllegalAddress", OHAL_ERROR_LAUNCH_FAILED},
    {701, "hipErrorLaunchOutOfResources", OHAL_ERROR_INVALID_LAUNCH_CONFIG},
    {702, "hipErrorLaunchTimeOut", OHAL_ERROR_LAUNCH_FAILED},
    {704, "hipErrorPeerAccessAlreadyEnabled", OHAL_ERROR_BACKEND},
    {705, "hipErrorPeerAccessNotEnabled", OHAL_ERROR_BACKEND},
    {708, "hipErrorSetOnActiveProcess", OHAL_ERROR_BACKEND},
    {709, "hipErrorContextIsDestroyed", OHAL_ERROR_DEVICE_LOST},
    {710, "hipErrorAssert", OHAL_ERROR_LAUNCH_FAILED},
    {712, "hipErrorHostMemoryAlreadyRegistered", OHAL_ERROR_BACKEND},
    {713, "hipErrorHostMemoryNotRegistered", OHAL_ERROR_BACKEND},
    {719, "hipErrorLaunchFailure", OHAL_ERROR_LAUNCH_FAILED},
    {720, "hipErrorCooperativeLaunchTooLarge", OHAL_ERROR_INVALID_LAUNCH_CONFIG},
    {801, "hipErrorNotSupported", OHAL_ERROR_UNSUPPORTED},
    {900, "hipErrorStreamCaptureUnsupported", OHAL_ERROR_UNSUPPORTED},
    {901, "hipErrorStreamCaptureInvalidated", OHAL_ERROR_BACKEND},
    {902, "hipErrorStreamCaptureMerge", OHAL_ERROR_BACKEND},
    {903, "hipErrorStreamCaptureUnmatched", OHAL_ERROR_BACKEND},
    {904, "hipErrorStreamCaptureUnjoined", OHAL_ERROR_BACKEND},
    {905, "hipErrorStreamCaptureIsolation", OHAL_ERROR_BACKEND},
    {906, "hipErrorStreamCaptureImplicit", OHAL_ERROR_BACKEND},
    {907, "hipErrorCapturedEvent", OHAL_ERROR_BACKEND},
    {908, "hipErrorStreamCaptureWrongThread", OHAL_ERROR_BACKEND},
    {910, "hipErrorGraphExecUpdateFailure", OHAL_ERROR_BACKEND},
    {999, "hipErrorUnknown", OHAL_ERROR_BACKEND},
    {1052, "hipErrorRuntimeMemory", OHAL_ERROR_BACKEND},
    {1053, "hipErrorRuntimeOther", OHAL_ERROR_BACKEND},
};

}  // namespace

ohal_result_t map_hip_error(int code) noexcept {
  return plugin::map_code(kErrors, code);
}

const char* hip_error_name(int code) noexcept {
  return plugin::code_name(kErrors, code);
}

bool is_sticky_hip_error(int code) noexcept {
  const ohal_result_t result = map_hip_error(code);
  return result == OHAL_ERROR_LAUNCH_FAILED || result == OHAL_ERROR_DEVICE_LOST;
}

std::string format_hip_error(const char* call, int code, const char* runtime_name) {
  const char* name = runtime_name;
  // HIP answers unknown codes with a placeholder; the table knows better when it has the code.
  if (name == nullptr || std::string_view(name).empty() ||
      std::string_view(name) == "hipErrorUnknown") {
    const char* table_name = hip_error_name(code);
    name = table_name != nullptr ? table_name : "unknown hipError_t";
  }
  return std::string(call) + ": " + name + " (" + std::to_string(code) + ")";
}

}  // namespace ohal::hip
