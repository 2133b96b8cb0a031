#include <catch2/catch.hpp>

#include <cstring>

#include "code_object.h"
#include "hip_rtc.h"

using namespace ohal::hip;

namespace {

// hiprtc needs no GPU, only the runtime library; without it these tests say so and pass.
const HipApi* rtc_api() {
  static HipApi api;
  static bool loaded = [] {
    std::string reason;
    if (!load_hip_api(api, reason)) {
      WARN("HIP runtime not installed, hiprtc tests skipped: " << reason);
      return false;
    }
    if (!api.rtc_loaded) WARN("hiprtc not available, tests skipped: " << api.rtc_reason);
    return api.rtc_loaded;
  }();
  return loaded ? &api : nullptr;
}

uint32_t mach_of(const std::vector<char>& code, const char* target) {
  CodeObjectView view;
  std::string error;
  REQUIRE(select_code_object(code.data(), code.size(), target, view, error) == OHAL_SUCCESS);
  uint32_t flags = 0;
  std::memcpy(&flags, view.data + 48, sizeof(flags));
  return flags & 0xff;
}

constexpr const char* kSaxpy =
    "extern \"C\" __global__ void saxpy(unsigned n, float a, const float* x, float* y) {\n"
    "  unsigned i = blockIdx.x * blockDim.x + threadIdx.x;\n"
    "  if (i < n) y[i] = a * x[i] + y[i] * SCALE;\n"
    "}\n";

}  // namespace

TEST_CASE("hiprtc compiles HIP source for the device's target", "[hip][rtc]") {
  const HipApi* api = rtc_api();
  if (api == nullptr) return;
  const RtcResult result = compile_hip_source(*api, kSaxpy, "-DSCALE=2.0f", "gfx1030", {});
  INFO(result.message);
  REQUIRE(result.result == OHAL_SUCCESS);
  CHECK(mach_of(result.code, "gfx1030") == 0x36);
  const std::string bytes(result.code.begin(), result.code.end());
  CHECK(bytes.find("saxpy") != std::string::npos);
}

TEST_CASE("an explicit architecture option wins over the device's", "[hip][rtc]") {
  const HipApi* api = rtc_api();
  if (api == nullptr) return;
  const RtcResult result =
      compile_hip_source(*api, kSaxpy, "-DSCALE=1.0f --gpu-architecture=gfx90a", "gfx1030", {});
  INFO(result.message);
  REQUIRE(result.result == OHAL_SUCCESS);
  CHECK(mach_of(result.code, "gfx90a") == 0x3f);
}

TEST_CASE("a compile error gives BUILD_FAILED with the log", "[hip][rtc]") {
  const HipApi* api = rtc_api();
  if (api == nullptr) return;
  // SCALE is not defined: the compiler must say so.
  const RtcResult result = compile_hip_source(*api, kSaxpy, nullptr, "gfx90a", {});
  CHECK(result.result == OHAL_ERROR_BUILD_FAILED);
  CHECK_THAT(result.message,
             Catch::StartsWith("hiprtcCompileProgram: HIPRTC_ERROR_COMPILATION (6)"));
  CHECK_THAT(result.message, Catch::Contains("SCALE"));
  CHECK(result.code.empty());
}

TEST_CASE("headers are served to #include without a file system", "[hip][rtc]") {
  const HipApi* api = rtc_api();
  if (api == nullptr) return;
  const RtcHeader header{"ohal_test/scale.h", "#define SCALE 3.0f\n"};
  const std::string source = std::string("#include \"ohal_test/scale.h\"\n") + kSaxpy;
  const RtcResult result = compile_hip_source(*api, source, nullptr, "gfx90a", {header});
  INFO(result.message);
  CHECK(result.result == OHAL_SUCCESS);
}

TEST_CASE("kernel.h, when built in, compiles under hiprtc", "[hip][rtc][kernel_h]") {
  const HipApi* api = rtc_api();
  if (api == nullptr) return;
  if (builtin_rtc_headers().empty()) {
    WARN("kernel.h was not found at configure time; nothing built in");
    return;
  }
  const char* source =
      "#include \"openai_hal/kernel.h\"\n"
      "OHAL_KERNEL(scale, uint32_t n, float a, float* y) {\n"
      "  const uint32_t i = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();\n"
      "  if (i < n) y[i] *= a;\n"
      "}\n";
  const RtcResult result =
      compile_hip_source(*api, source, nullptr, "gfx90a", builtin_rtc_headers());
  INFO(result.message);
  CHECK(result.result == OHAL_SUCCESS);
}
