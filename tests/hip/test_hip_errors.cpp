#include <catch2/catch.hpp>

#include "hip_api.h"
#include "hip_errors.h"

using namespace ohal::hip;

TEST_CASE("hipError_t codes map to HAL results", "[hip][errors]") {
  CHECK(map_hip_error(hipSuccess) == OHAL_SUCCESS);
  CHECK(map_hip_error(hipErrorNotReady) == OHAL_NOT_READY);
  CHECK(map_hip_error(hipErrorOutOfMemory) == OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(map_hip_error(hipErrorInvalidImage) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_hip_error(hipErrorNoBinaryForGpu) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_hip_error(hipErrorInvalidKernelFile) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_hip_error(hipErrorNotFound) == OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK(map_hip_error(hipErrorIllegalAddress) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(map_hip_error(hipErrorLaunchFailure) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(map_hip_error(hipErrorAssert) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(map_hip_error(hipErrorLaunchOutOfResources) == OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK(map_hip_error(hipErrorInvalidConfiguration) == OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK(map_hip_error(hipErrorNoDevice) == OHAL_ERROR_NO_DEVICE);
  CHECK(map_hip_error(hipErrorNotSupported) == OHAL_ERROR_UNSUPPORTED);
  CHECK(map_hip_error(hipErrorInsufficientDriver) == OHAL_ERROR_BACKEND);
  CHECK(map_hip_error(123456) == OHAL_ERROR_BACKEND);
  CHECK(map_hip_error(-1) == OHAL_ERROR_BACKEND);
}

TEST_CASE("faults inside kernels are sticky, allocation failures are not", "[hip][errors]") {
  CHECK(is_sticky_hip_error(hipErrorIllegalAddress));
  CHECK(is_sticky_hip_error(hipErrorLaunchFailure));
  CHECK(is_sticky_hip_error(hipErrorContextIsDestroyed));
  CHECK_FALSE(is_sticky_hip_error(hipErrorOutOfMemory));
  CHECK_FALSE(is_sticky_hip_error(hipErrorNotReady));
  CHECK_FALSE(is_sticky_hip_error(hipSuccess));
}

// The table's names must be the header's enumerator names: a typo or a renumbered code in a new
// HIP release fails here.
#define OHAL_CHECK_NAME(code) CHECK(std::string(hip_error_name(code)) == #code)

TEST_CASE("the name table agrees with hip_runtime_api.h", "[hip][errors]") {
  OHAL_CHECK_NAME(hipSuccess);
  OHAL_CHECK_NAME(hipErrorInvalidValue);
  OHAL_CHECK_NAME(hipErrorOutOfMemory);
  OHAL_CHECK_NAME(hipErrorNotInitialized);
  OHAL_CHECK_NAME(hipErrorInvalidConfiguration);
  OHAL_CHECK_NAME(hipErrorInvalidDevicePointer);
  OHAL_CHECK_NAME(hipErrorInsufficientDriver);
  OHAL_CHECK_NAME(hipErrorInvalidDeviceFunction);
  OHAL_CHECK_NAME(hipErrorNoDevice);
  OHAL_CHECK_NAME(hipErrorInvalidImage);
  OHAL_CHECK_NAME(hipErrorNoBinaryForGpu);
  OHAL_CHECK_NAME(hipErrorInvalidKernelFile);
  OHAL_CHECK_NAME(hipErrorSharedObjectInitFailed);
  OHAL_CHECK_NAME(hipErrorInvalidHandle);
  OHAL_CHECK_NAME(hipErrorNotFound);
  OHAL_CHECK_NAME(hipErrorNotReady);
  OHAL_CHECK_NAME(hipErrorIllegalAddress);
  OHAL_CHECK_NAME(hipErrorLaunchOutOfResources);
  OHAL_CHECK_NAME(hipErrorLaunchFailure);
  OHAL_CHECK_NAME(hipErrorNotSupported);
  OHAL_CHECK_NAME(hipErrorUnknown);
  OHAL_CHECK_NAME(hipErrorRuntimeOther);
  CHECK(hip_error_name(4242) == nullptr);
}

TEST_CASE("HIP error messages name the call, the error and the code", "[hip][errors]") {
  CHECK(format_hip_error("hipMalloc", hipErrorOutOfMemory, nullptr) ==
        "hipMalloc: hipErrorOutOfMemory (2)");
  CHECK(format_hip_error("hipMalloc", hipErrorOutOfMemory, "hipErrorMemoryAllocation") ==
        "hipMalloc: hipErrorMemoryAllocation (2)");
  // The runtime's placeholder for codes it does not know loses to the table.
  CHECK(format_hip_error("hipModuleLoadData", hipErrorNoBinaryForGpu, "hipErrorUnknown") ==
        "hipModuleLoadData: hipErrorNoBinaryForGpu (209)");
  CHECK(format_hip_error("hipFoo", 4242, nullptr) == "hipFoo: unknown hipError_t (4242)");
}

TEST_CASE("the table agrees with the installed runtime's hipGetErrorName", "[hip][errors]") {
  HipApi api;
  std::string reason;
  if (!load_hip_api(api, reason)) {
    WARN("HIP runtime not installed, comparison skipped: " << reason);
    return;
  }
  const int codes[] = {hipErrorInvalidValue,   hipErrorOutOfMemory,   hipErrorNoDevice,
                       hipErrorInvalidImage,   hipErrorNotFound,      hipErrorNotReady,
                       hipErrorIllegalAddress, hipErrorLaunchFailure, hipErrorNotSupported};
  for (int code : codes) {
    INFO("code " << code);
    CHECK(std::string(api.hipGetErrorName(static_cast<hipError_t>(code))) == hip_error_name(code));
  }
}
