#include "hip_rtc.h"

#include "hip_args.h"

#if OHAL_HIP_EMBED_KERNEL_H
#include "kernel_h_embedded.inc"  // generated: const char kKernelHeaderText[]
#endif

namespace ohal::hip {
namespace {

std::string rtc_error(const HipApi& api, const char* call, hiprtcResult code) {
  const char* name = api.hiprtcGetErrorString != nullptr ? api.hiprtcGetErrorString(code) : nullptr;
  return std::string(call) + ": " + (name != nullptr ? name : "hiprtcResult") + " (" +
         std::to_string(static_cast<int>(code)) + ")";
}

std::string program_log(const HipApi& api, hiprtcProgram program) {
  size_t size = 0;
  if (api.hiprtcGetProgramLogSize(program, &size) != HIPRTC_SUCCESS || size <= 1) return {};
  std::string log(size, '\0');
  if (api.hiprtcGetProgramLog(program, log.data()) != HIPRTC_SUCCESS) return {};
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

}  // namespace

const std::vector<RtcHeader>& builtin_rtc_headers() {
  static const std::vector<RtcHeader> headers = {
#if OHAL_HIP_EMBED_KERNEL_H
    {"openai_hal/kernel.h", kKernelHeaderText},
#endif
  };
  return headers;
}

RtcResult compile_hip_source(const HipApi& api, std::string_view source, const char* options,
                             std::string_view target, const std::vector<RtcHeader>& headers) {
  RtcResult out;
  if (!api.rtc_loaded) {
    out.result = OHAL_ERROR_UNSUPPORTED;
    out.message = "hiprtc is not available: " + api.rtc_reason;
    return out;
  }
  // hiprtc wants NUL-terminated text; the API's source is a sized buffer.
  const std::string text(source);
  std::vector<const char*> header_texts;
  std::vector<const char*> header_names;
  for (const RtcHeader& header : headers) {
    header_texts.push_back(header.text);
    header_names.push_back(header.include_name);
  }
  hiprtcProgram program = nullptr;
  hiprtcResult rc = api.hiprtcCreateProgram(&program, text.c_str(), "ohal_module.hip",
                                            static_cast<int>(headers.size()),
                                            header_texts.empty() ? nullptr : header_texts.data(),
                                            header_names.empty() ? nullptr : header_names.data());
  if (rc != HIPRTC_SUCCESS) {
    out.result =
        rc == HIPRTC_ERROR_OUT_OF_MEMORY ? OHAL_ERROR_OUT_OF_HOST_MEMORY : OHAL_ERROR_BACKEND;
    out.message = rtc_error(api, "hiprtcCreateProgram", rc);
    return out;
  }
  std::vector<std::string> words = split_options(options);
  bool has_arch = false;
  for (const std::string& word : words) {
    if (word.rfind("--gpu-architecture", 0) == 0 || word.rfind("--offload-arch", 0) == 0) {
      has_arch = true;
    }
  }
  if (!has_arch) words.push_back("--gpu-architecture=" + std::string(target));
  std::vector<const char*> argv;
  for (const std::string& word : words) argv.push_back(word.c_str());

  rc = api.hiprtcCompileProgram(program, static_cast<int>(argv.size()), argv.data());
  if (rc != HIPRTC_SUCCESS) {
    out.result = (rc == HIPRTC_ERROR_COMPILATION || rc == HIPRTC_ERROR_INVALID_OPTION)
                     ? OHAL_ERROR_BUILD_FAILED
                     : OHAL_ERROR_BACKEND;
    out.message = rtc_error(api, "hiprtcCompileProgram", rc);
    const std::string log = program_log(api, program);
    if (!log.empty()) out.message += "\n" + log;
    api.hiprtcDestroyProgram(&program);
    return out;
  }
  size_t code_size = 0;
  rc = api.hiprtcGetCodeSize(program, &code_size);
  if (rc == HIPRTC_SUCCESS && code_size == 0) {
    out.result = OHAL_ERROR_BUILD_FAILED;
    out.message = "hiprtcGetCodeSize: compilation produced no code";
  } else if (rc != HIPRTC_SUCCESS) {
    out.result = OHAL_ERROR_BACKEND;
    out.message = rtc_error(api, "hiprtcGetCodeSize", rc);
  } else {
    out.code.resize(code_size);
    rc = api.hiprtcGetCode(program, out.code.data());
    if (rc != HIPRTC_SUCCESS) {
      out.result = OHAL_ERROR_BACKEND;
      out.message = rtc_error(api, "hiprtcGetCode", rc);
      out.code.clear();
    }
  }
  api.hiprtcDestroyProgram(&program);
  return out;
}

}  // namespace ohal::hip
