// NVRTC, loaded at run time: CUDA_SOURCE modules are compiled to PTX for the device's compute
// capability, then loaded like any PTX image. Independent of the driver, so it is usable (and
// tested) on machines without a GPU.
#pragma once

#include <nvrtc.h>

#include <string>
#include <string_view>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal::cuda {

struct Nvrtc {
  decltype(&::nvrtcVersion) nvrtcVersion = nullptr;
  decltype(&::nvrtcGetErrorString) nvrtcGetErrorString = nullptr;
  decltype(&::nvrtcCreateProgram) nvrtcCreateProgram = nullptr;
  decltype(&::nvrtcDestroyProgram) nvrtcDestroyProgram = nullptr;
  decltype(&::nvrtcCompileProgram) nvrtcCompileProgram = nullptr;
  decltype(&::nvrtcGetProgramLogSize) nvrtcGetProgramLogSize = nullptr;
  decltype(&::nvrtcGetProgramLog) nvrtcGetProgramLog = nullptr;
  decltype(&::nvrtcGetPTXSize) nvrtcGetPTXSize = nullptr;
  decltype(&::nvrtcGetPTX) nvrtcGetPTX = nullptr;
  // Optional (CUDA 11.2+): the architectures this NVRTC can target.
  decltype(&::nvrtcGetNumSupportedArchs) nvrtcGetNumSupportedArchs = nullptr;
  decltype(&::nvrtcGetSupportedArchs) nvrtcGetSupportedArchs = nullptr;

  void* library = nullptr;
  std::string library_path;
  int major = 0;
  int minor = 0;

  bool loaded() const { return library != nullptr; }
};

// The libraries tried, in order: $OHAL_CUDA_NVRTC_PATH, the build-time toolkit's libnvrtc.so,
// then the versioned sonames (newest first).
std::vector<std::string> nvrtc_candidates();

// Loads the first candidate whose major version the driver can JIT (NVRTC 13's PTX does not
// load on a 12.x driver); when none fits, the first that loads at all. driver_version is
// cuDriverGetVersion's value, 0 when unknown (no preference). On failure, `error` says what was
// tried and why each failed.
bool load_nvrtc(Nvrtc& nvrtc, int driver_version, std::string& error);
void unload_nvrtc(Nvrtc& nvrtc);

// The arch NVRTC is asked for: the highest it supports that is not above the device's compute
// capability (major*10+minor), since PTX for an older arch JIT-compiles forward. 0: none fits.
int pick_nvrtc_arch(const Nvrtc& nvrtc, int device_cc);

struct CompileResult {
  ohal_result_t result = OHAL_SUCCESS;
  std::string ptx;      // NUL-terminated PTX text on success (the NUL included in size())
  std::string message;  // for set_error on failure: the call, its error, the log
  std::string log;      // the compile log (warnings too)
  int arch = 0;         // the compute_XY used
};

// Compiles `source` (not NUL-terminated) with `options` (space separated, passed through to
// NVRTC; NULL for none). "-arch=compute_XY" for device_cc is added unless the options name an
// architecture. The source may #include "openai_hal/kernel.h", <stdint.h> and <stddef.h>
// (served from memory; NVRTC has no system headers).
CompileResult compile_to_ptx(const Nvrtc& nvrtc, std::string_view source, const char* options,
                             int device_cc, const char* program_name = "ohal_module.cu");

// True when the kernel.h dialect header was embedded at build time.
bool have_embedded_kernel_header();

}  // namespace ohal::cuda
