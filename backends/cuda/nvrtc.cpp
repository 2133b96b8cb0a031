// NVRTC loading and CUDA_SOURCE -> PTX compilation.
#include "nvrtc.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "errors.hpp"

// Generated at build time from include/openai_hal/kernel.h (size 0 when it was absent).
extern "C" const unsigned char ohal_cuda_embedded_kernel_h[];
extern "C" const size_t ohal_cuda_embedded_kernel_h_size;

namespace ohal::cuda {
namespace {

// NVRTC ships no C library headers; kernels only need the fixed-width types. The 64-bit ones
// are long long, as kernel.h declares them under NVRTC (the same typedef twice is legal).
constexpr const char kStdintShim[] = R"(#pragma once
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
typedef long long int64_t;
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long long uint64_t;
typedef long intptr_t;
typedef unsigned long uintptr_t;
typedef long intmax_t;
typedef unsigned long uintmax_t;
#define INT8_MIN (-128)
#define INT16_MIN (-32767 - 1)
#define INT32_MIN (-2147483647 - 1)
#define INT64_MIN (-9223372036854775807LL - 1)
#define INT8_MAX 127
#define INT16_MAX 32767
#define INT32_MAX 2147483647
#define INT64_MAX 9223372036854775807LL
#define UINT8_MAX 255
#define UINT16_MAX 65535
#define UINT32_MAX 4294967295U
#define UINT64_MAX 18446744073709551615ULL
#define SIZE_MAX UINT64_MAX
#define INT32_C(c) c
#define UINT32_C(c) c##U
#define INT64_C(c) c##LL
#define UINT64_C(c) c##ULL
)";

// size_t and ptrdiff_t are NVRTC built-ins.
constexpr const char kStddefShim[] = R"(#pragma once
#ifndef NULL
#define NULL 0
#endif
)";

constexpr size_t kMaxLogInMessage = 16 * 1024;

#define OHAL_NVRTC_RESOLVE(lib, table, name, required)                    \
  table.name = reinterpret_cast<decltype(table.name)>(dlsym(lib, #name)); \
  if (required && table.name == nullptr) {                                \
    why = std::string("missing symbol ") + #name;                         \
    return false;                                                         \
  }

bool resolve_all(void* lib, Nvrtc& n, std::string& why) {
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcVersion, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetErrorString, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcCreateProgram, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcDestroyProgram, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcCompileProgram, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetProgramLogSize, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetProgramLog, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetPTXSize, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetPTX, true)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetNumSupportedArchs, false)
  OHAL_NVRTC_RESOLVE(lib, n, nvrtcGetSupportedArchs, false)
  if (n.nvrtcVersion(&n.major, &n.minor) != NVRTC_SUCCESS) {
    why = "nvrtcVersion failed";
    return false;
  }
  return true;
}

std::vector<std::string> split_options(const char* options) {
  std::vector<std::string> out;
  if (options == nullptr) return out;
  std::istringstream in(options);
  std::string token;
  while (in >> token) out.push_back(token);
  return out;
}

bool names_arch(const std::string& option) {
  return option.rfind("-arch", 0) == 0 || option.rfind("--gpu-architecture", 0) == 0;
}

std::string nvrtc_error(const Nvrtc& n, const char* call, nvrtcResult r) {
  const char* text = n.nvrtcGetErrorString != nullptr ? n.nvrtcGetErrorString(r) : nullptr;
  return std::string(call) + ": " + (text != nullptr ? text : "NVRTC_ERROR") + " (" +
         std::to_string(static_cast<int>(r)) + ")";
}

// Owns an nvrtcProgram so that every exit path destroys it.
struct Program {
  const Nvrtc& n;
  nvrtcProgram handle = nullptr;
  ~Program() {
    if (handle != nullptr) n.nvrtcDestroyProgram(&handle);
  }
};

}  // namespace

std::vector<std::string> nvrtc_candidates() {
  std::vector<std::string> out;
  if (const char* env = std::getenv("OHAL_CUDA_NVRTC_PATH"); env != nullptr && env[0] != '\0') {
    out.emplace_back(env);
  }
#ifdef OHAL_CUDA_TOOLKIT_LIBDIR
  out.emplace_back(OHAL_CUDA_TOOLKIT_LIBDIR "/libnvrtc.so");
#endif
  for (const char* soname :
       {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"}) {
    out.emplace_back(soname);
  }
  return out;
}

bool load_nvrtc(Nvrtc& nvrtc, int driver_version, std::string& error) {
  unload_nvrtc(nvrtc);
  error.clear();
  std::vector<Nvrtc> loaded;
  for (const std::string& path : nvrtc_candidates()) {
    dlerror();
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      const char* why = dlerror();
      error += (error.empty() ? "" : "; ") + std::string(why != nullptr ? why : path.c_str());
      continue;
    }
    Nvrtc candidate;
    std::string why;
    if (!resolve_all(lib, candidate, why)) {
      error += (error.empty() ? "" : "; ") + path + ": " + why;
      dlclose(lib);
      continue;
    }
    candidate.library = lib;
    candidate.library_path = path;
    loaded.push_back(candidate);
    if (driver_version == 0) break;  // no preference: the first that loads
  }
  if (loaded.empty()) return false;
  // The driver JIT-compiles PTX only up to its own version, so prefer the newest NVRTC not newer
  // than the driver; without one, the oldest (the likeliest to fit). Ties keep the earlier
  // candidate (the environment's, then the build's toolkit).
  auto version = [](const Nvrtc& c) { return c.major * 1000 + c.minor * 10; };
  size_t best = 0;
  bool best_fits = false;
  for (size_t i = 0; i < loaded.size(); ++i) {
    const bool fits = driver_version == 0 || version(loaded[i]) <= driver_version;
    const bool better = i == 0 || (fits && !best_fits) ||
                        (fits == best_fits && (fits ? version(loaded[i]) > version(loaded[best])
                                                    : version(loaded[i]) < version(loaded[best])));
    if (better) {
      best = i;
      best_fits = fits;
    }
  }
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (i != best) dlclose(loaded[i].library);
  }
  nvrtc = loaded[best];
  return true;
}

void unload_nvrtc(Nvrtc& nvrtc) {
  if (nvrtc.library != nullptr) dlclose(nvrtc.library);
  nvrtc = Nvrtc{};
}

int pick_nvrtc_arch(const Nvrtc& nvrtc, int device_cc) {
  if (nvrtc.nvrtcGetNumSupportedArchs == nullptr || nvrtc.nvrtcGetSupportedArchs == nullptr) {
    return device_cc;  // old NVRTC: trust the device
  }
  int count = 0;
  if (nvrtc.nvrtcGetNumSupportedArchs(&count) != NVRTC_SUCCESS || count <= 0) return device_cc;
  std::vector<int> archs(static_cast<size_t>(count));
  if (nvrtc.nvrtcGetSupportedArchs(archs.data()) != NVRTC_SUCCESS) return device_cc;
  int best = 0;
  for (int arch : archs) {
    if (arch <= device_cc) best = std::max(best, arch);
  }
  return best;
}

bool have_embedded_kernel_header() {
  return ohal_cuda_embedded_kernel_h_size > 0;
}

CompileResult compile_to_ptx(const Nvrtc& n, std::string_view source, const char* options,
                             int device_cc, const char* program_name) {
  CompileResult out;
  if (!n.loaded()) {
    out.result = OHAL_ERROR_UNSUPPORTED;
    out.message = "CUDA_SOURCE: NVRTC is not loaded";
    return out;
  }
  std::vector<std::string> args = split_options(options);
  if (std::none_of(args.begin(), args.end(), names_arch)) {
    out.arch = pick_nvrtc_arch(n, device_cc);
    if (out.arch == 0) {
      out.result = OHAL_ERROR_BUILD_FAILED;
      out.message = "nvrtc " + std::to_string(n.major) + "." + std::to_string(n.minor) +
                    " cannot target compute capability " + std::to_string(device_cc / 10) + "." +
                    std::to_string(device_cc % 10);
      return out;
    }
    args.push_back("-arch=compute_" + std::to_string(out.arch));
  }

  // The source is not NUL-terminated; NVRTC wants a C string.
  const std::string text(source);
  const std::string kernel_h(reinterpret_cast<const char*>(ohal_cuda_embedded_kernel_h),
                             ohal_cuda_embedded_kernel_h_size);
  std::vector<const char*> header_text = {kStdintShim, kStdintShim, kStddefShim, kStddefShim};
  std::vector<const char*> header_names = {"stdint.h", "cstdint", "stddef.h", "cstddef"};
  if (!kernel_h.empty()) {
    header_text.push_back(kernel_h.c_str());
    header_names.push_back("openai_hal/kernel.h");
  }

  Program program{n};
  nvrtcResult r = n.nvrtcCreateProgram(&program.handle, text.c_str(), program_name,
                                       static_cast<int>(header_text.size()), header_text.data(),
                                       header_names.data());
  if (r != NVRTC_SUCCESS) {
    out.result = map_nvrtc_result(r);
    out.message = nvrtc_error(n, "nvrtcCreateProgram", r);
    return out;
  }
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const std::string& a : args) argv.push_back(a.c_str());
  const nvrtcResult compiled =
      n.nvrtcCompileProgram(program.handle, static_cast<int>(argv.size()), argv.data());

  size_t log_size = 0;
  if (n.nvrtcGetProgramLogSize(program.handle, &log_size) == NVRTC_SUCCESS && log_size > 1) {
    out.log.resize(log_size);
    if (n.nvrtcGetProgramLog(program.handle, out.log.data()) != NVRTC_SUCCESS) out.log.clear();
    while (!out.log.empty() && (out.log.back() == '\0' || out.log.back() == '\n')) {
      out.log.pop_back();
    }
  }
  if (compiled != NVRTC_SUCCESS) {
    out.result = map_nvrtc_result(compiled);
    out.message = nvrtc_error(n, "nvrtcCompileProgram", compiled);
    out.message += " [options:";
    for (const std::string& a : args) out.message += " " + a;
    out.message += "]";
    if (!out.log.empty()) {
      out.message += "\n";
      out.message += out.log.size() > kMaxLogInMessage
                         ? out.log.substr(0, kMaxLogInMessage) + "\n... (log truncated)"
                         : out.log;
    }
    return out;
  }
  size_t ptx_size = 0;
  r = n.nvrtcGetPTXSize(program.handle, &ptx_size);
  if (r == NVRTC_SUCCESS && ptx_size > 0) {
    out.ptx.resize(ptx_size);
    r = n.nvrtcGetPTX(program.handle, out.ptx.data());
  }
  if (r != NVRTC_SUCCESS || ptx_size == 0) {
    out.result = r != NVRTC_SUCCESS ? map_nvrtc_result(r) : OHAL_ERROR_BACKEND;
    out.message = nvrtc_error(n, "nvrtcGetPTX", r);
    out.ptx.clear();
    return out;
  }
  return out;
}

}  // namespace ohal::cuda
