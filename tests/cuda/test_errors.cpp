// The CUresult / nvrtcResult mapping table and the message format; no driver needed.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include <cuda.h>
#include <nvrtc.h>

#include "errors.hpp"

using namespace ohal::cuda;

TEST_CASE("CUresult codes map to the HAL's", "[cuda][errors]") {
  CHECK(map_cu_result(CUDA_SUCCESS) == OHAL_SUCCESS);
  CHECK(map_cu_result(CUDA_ERROR_NOT_READY) == OHAL_NOT_READY);
  CHECK(map_cu_result(CUDA_ERROR_OUT_OF_MEMORY) == OHAL_ERROR_OUT_OF_DEVICE_MEMORY);
  CHECK(map_cu_result(CUDA_ERROR_INVALID_VALUE) == OHAL_ERROR_INVALID_VALUE);
  CHECK(map_cu_result(CUDA_ERROR_INVALID_IMAGE) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_cu_result(CUDA_ERROR_NO_BINARY_FOR_GPU) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_cu_result(CUDA_ERROR_INVALID_PTX) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_cu_result(CUDA_ERROR_UNSUPPORTED_PTX_VERSION) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(map_cu_result(CUDA_ERROR_NOT_FOUND) == OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK(map_cu_result(CUDA_ERROR_INVALID_HANDLE) == OHAL_ERROR_INVALID_HANDLE);
  CHECK(map_cu_result(CUDA_ERROR_NO_DEVICE) == OHAL_ERROR_NO_DEVICE);
  CHECK(map_cu_result(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES) == OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK(map_cu_result(CUDA_ERROR_NOT_SUPPORTED) == OHAL_ERROR_UNSUPPORTED);
  CHECK(map_cu_result(CUDA_ERROR_TIMEOUT) == OHAL_ERROR_TIMEOUT);
  CHECK(map_cu_result(CUDA_ERROR_ECC_UNCORRECTABLE) == OHAL_ERROR_DEVICE_LOST);
  CHECK(map_cu_result(CUDA_ERROR_STUB_LIBRARY) == OHAL_ERROR_BACKEND);
  CHECK(map_cu_result(CUDA_ERROR_UNKNOWN) == OHAL_ERROR_BACKEND);
  CHECK(map_cu_result(123456) == OHAL_ERROR_BACKEND);  // newer than the table
}

TEST_CASE("device faults are sticky launch failures", "[cuda][errors]") {
  for (CUresult fault : {CUDA_ERROR_ILLEGAL_ADDRESS, CUDA_ERROR_LAUNCH_FAILED,
                         CUDA_ERROR_HARDWARE_STACK_ERROR, CUDA_ERROR_ILLEGAL_INSTRUCTION,
                         CUDA_ERROR_MISALIGNED_ADDRESS, CUDA_ERROR_INVALID_ADDRESS_SPACE,
                         CUDA_ERROR_INVALID_PC, CUDA_ERROR_ASSERT, CUDA_ERROR_LAUNCH_TIMEOUT}) {
    INFO("CUresult " << static_cast<int>(fault));
    CHECK(map_cu_result(fault) == OHAL_ERROR_LAUNCH_FAILED);
    CHECK(is_context_fatal(fault));
  }
  CHECK_FALSE(is_context_fatal(CUDA_ERROR_OUT_OF_MEMORY));
  CHECK_FALSE(is_context_fatal(CUDA_ERROR_NOT_READY));
  CHECK_FALSE(is_context_fatal(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES));
}

TEST_CASE("messages name the call, the error and its code", "[cuda][errors]") {
  CHECK(format_cu_error("cuMemAlloc", CUDA_ERROR_OUT_OF_MEMORY, nullptr) ==
        "cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (2)");
  CHECK(format_cu_error("cuModuleGetFunction('k')", CUDA_ERROR_NOT_FOUND, nullptr, "extra") ==
        "cuModuleGetFunction('k'): CUDA_ERROR_NOT_FOUND (500); extra");
  CHECK(cu_error_name(98765, nullptr) == "CUDA_ERROR_98765");
  const std::string fault =
      format_cu_error("cuStreamSynchronize", CUDA_ERROR_ILLEGAL_ADDRESS, nullptr);
  CHECK(fault.rfind("cuStreamSynchronize: CUDA_ERROR_ILLEGAL_ADDRESS (700)", 0) == 0);
  CHECK(fault.find("unusable") != std::string::npos);
}

TEST_CASE("the name table agrees with cuda.h", "[cuda][errors]") {
  // Every CUresult enumerator of the header the backend was built against: a code the table has
  // must carry the enumerator's name; codes newer than the table are only reported.
  std::ifstream in(OHAL_CUDA_TEST_CUDA_H);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string header = text.str();
  const size_t begin = header.find("typedef enum cudaError_enum");
  const size_t end = header.find("} CUresult;", begin);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string body = header.substr(begin, end - begin);
  const std::regex entry(R"((CUDA_(?:SUCCESS|ERROR_[A-Z0-9_]+))\s*=\s*(\d+))");
  int checked = 0;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), entry);
       it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1];
    const int code = std::stoi((*it)[2]);
    const std::string ours = cu_error_name(code, nullptr);
    if (ours == "CUDA_ERROR_" + std::to_string(code)) {
      WARN(name << " (" << code << ") is newer than the table in errors.cpp");
      continue;
    }
    INFO(name << " = " << code);
    CHECK(ours == name);
    ++checked;
  }
  CHECK(checked > 90);
}

TEST_CASE("nvrtcResult codes map to the HAL's", "[cuda][errors]") {
  CHECK(map_nvrtc_result(NVRTC_SUCCESS) == OHAL_SUCCESS);
  CHECK(map_nvrtc_result(NVRTC_ERROR_COMPILATION) == OHAL_ERROR_BUILD_FAILED);
  CHECK(map_nvrtc_result(NVRTC_ERROR_INVALID_OPTION) == OHAL_ERROR_BUILD_FAILED);
  CHECK(map_nvrtc_result(NVRTC_ERROR_OUT_OF_MEMORY) == OHAL_ERROR_OUT_OF_HOST_MEMORY);
  CHECK(map_nvrtc_result(NVRTC_ERROR_INTERNAL_ERROR) == OHAL_ERROR_BACKEND);
}
