// NVRTC (dlopen'ed like the plugin does) compiles CUDA sources to PTX; no driver or GPU needed.
#include <catch2/catch.hpp>

#include <string>

#include "nvrtc.hpp"

using namespace ohal::cuda;

namespace {

const Nvrtc& nvrtc() {
  static Nvrtc loaded;
  static std::string error;
  static const bool ok = load_nvrtc(loaded, 0, error);
  INFO("load_nvrtc: " << error);
  REQUIRE(ok);
  return loaded;
}

constexpr int kHopper = 90;  // sm_90, the H100/H200 the device check runs on

// The CTS's saxpy in the kernel.h dialect.
constexpr const char kDialectSaxpy[] = R"(
#include "openai_hal/kernel.h"
OHAL_KERNEL(saxpy, uint32_t n, float a, const float* x, float* y) {
  uint32_t i = ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
  if (i < n) y[i] = a * x[i] + y[i];
}
)";

// The same kernel in plain CUDA, for builds that predate kernel.h.
constexpr const char kPlainSaxpy[] = R"(
#include <stdint.h>
extern "C" __global__ void saxpy(uint32_t n, float a, const float* x, float* y) {
  uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}
)";

}  // namespace

TEST_CASE("NVRTC loads from the toolkit or the system", "[cuda][nvrtc]") {
  const Nvrtc& n = nvrtc();
  CHECK(n.loaded());
  CHECK(n.major >= 11);
  CHECK_FALSE(n.library_path.empty());
  // Arch choice: the device's own when NVRTC supports it, else the newest below it.
  CHECK(pick_nvrtc_arch(n, kHopper) == kHopper);
  const int newest = pick_nvrtc_arch(n, 1000);
  CHECK(newest >= kHopper);
  CHECK(pick_nvrtc_arch(n, 10) == 0);  // sm_10 is long gone
}

TEST_CASE("a kernel.h source compiles to PTX for the device's arch", "[cuda][nvrtc]") {
  const Nvrtc& n = nvrtc();
  const bool dialect = have_embedded_kernel_header();
  if (!dialect) {
    // TODO(cuda): include/openai_hal/kernel.h was absent when this was built; once it exists a
    // re-configure embeds it and this test compiles kDialectSaxpy instead.
    WARN("openai_hal/kernel.h not embedded; compiling the plain CUDA kernel");
  }
  const std::string source = dialect ? kDialectSaxpy : kPlainSaxpy;
  const CompileResult out = compile_to_ptx(n, source, nullptr, kHopper);
  INFO(out.message);
  REQUIRE(out.result == OHAL_SUCCESS);
  CHECK(out.arch == kHopper);
  CHECK(out.ptx.find(".target sm_90") != std::string::npos);
  CHECK(out.ptx.find(".entry saxpy(") != std::string::npos);
  CHECK(out.ptx.back() == '\0');  // ready for cuModuleLoadDataEx
}

TEST_CASE("the whole kernel.h surface compiles under NVRTC", "[cuda][nvrtc]") {
  if (!have_embedded_kernel_header()) {
    WARN("openai_hal/kernel.h not embedded; skipped");
    return;
  }
  // <stdint.h> (the backend's shim) and kernel.h's own typedefs must agree.
  const std::string source = R"(
#include <stdint.h>
#include "openai_hal/kernel.h"
OHAL_DEVICE inline float twice(float v) { return 2.0f * v; }
OHAL_KERNEL(surface, uint32_t n, float* f, int32_t* i32, uint32_t* u32, int64_t* i64,
            uint64_t* u64) {
  OHAL_SHARED_ARRAY(float, tile, 256);
  OHAL_DYNAMIC_SHARED(uint32_t, scratch);
  const uint32_t t = ohal_thread_idx_x() + ohal_thread_idx_y() + ohal_thread_idx_z();
  const uint32_t b = ohal_block_idx_x() + ohal_block_idx_y() + ohal_block_idx_z();
  const uint32_t d = ohal_block_dim_x() * ohal_block_dim_y() * ohal_block_dim_z();
  const uint32_t g = ohal_grid_dim_x() * ohal_grid_dim_y() * ohal_grid_dim_z();
  tile[t % 256] = twice(static_cast<float>(b));
  scratch[t] = d + g;
  ohal_barrier();
  if (t >= n) ohal_trap();
  ohal_atomic_add(f, tile[0]);
  ohal_atomic_add(i32, 1);
  ohal_atomic_min(i32, -1);
  ohal_atomic_max(u32, scratch[0]);
  ohal_atomic_exch(u32, 7u);
  ohal_atomic_cas(u32, 7u, 8u);
  ohal_atomic_add(i64, (int64_t)-2);
  ohal_atomic_add(u64, (uint64_t)UINT64_C(3));
  ohal_atomic_min(u64, (uint64_t)1);
  ohal_atomic_max(i64, (int64_t)INT64_MAX);
  ohal_atomic_exch(i64, (int64_t)5);
  ohal_atomic_cas(u64, (uint64_t)1, (uint64_t)2);
}
)";
  const CompileResult out = compile_to_ptx(nvrtc(), source, nullptr, kHopper);
  INFO(out.message);
  REQUIRE(out.result == OHAL_SUCCESS);
  CHECK(out.ptx.find(".entry surface(") != std::string::npos);
  CHECK(out.ptx.find("bar.sync") != std::string::npos);
  CHECK(out.ptx.find("trap;") != std::string::npos);
}

TEST_CASE("options pass through to NVRTC", "[cuda][nvrtc]") {
  const Nvrtc& n = nvrtc();
  const std::string source = R"(
#include <stdint.h>
#if SCALE != 3
#error SCALE must be 3
#endif
extern "C" __global__ void scale(uint64_t* p) { *p *= SCALE; }
)";
  SECTION("a define reaches the preprocessor") {
    const CompileResult out = compile_to_ptx(n, source, "-DSCALE=3 -lineinfo", kHopper);
    INFO(out.message);
    REQUIRE(out.result == OHAL_SUCCESS);
    CHECK(out.ptx.find(".entry scale(") != std::string::npos);
  }
  SECTION("without it the #error fires, with the log in the message") {
    const CompileResult out = compile_to_ptx(n, source, nullptr, kHopper);
    CHECK(out.result == OHAL_ERROR_BUILD_FAILED);
    CHECK(out.message.find("nvrtcCompileProgram") != std::string::npos);
    CHECK(out.message.find("SCALE must be 3") != std::string::npos);
    CHECK(out.ptx.empty());
  }
  SECTION("an explicit arch wins over the device's") {
    const CompileResult out = compile_to_ptx(n, source, "-DSCALE=3 -arch=compute_80", kHopper);
    INFO(out.message);
    REQUIRE(out.result == OHAL_SUCCESS);
    CHECK(out.ptx.find(".target sm_80") != std::string::npos);
  }
  SECTION("an unknown option is a build failure naming it") {
    const CompileResult out = compile_to_ptx(n, source, "-DSCALE=3 --no-such-option", kHopper);
    CHECK(out.result == OHAL_ERROR_BUILD_FAILED);
    CHECK(out.message.find("--no-such-option") != std::string::npos);
  }
}

TEST_CASE("compile errors carry NVRTC's log", "[cuda][nvrtc]") {
  const Nvrtc& n = nvrtc();
  const CompileResult out =
      compile_to_ptx(n, "extern \"C\" __global__ void broken( { undeclared_name; }", nullptr,
                     kHopper, "broken.cu");
  CHECK(out.result == OHAL_ERROR_BUILD_FAILED);
  CHECK(out.message.rfind("nvrtcCompileProgram: NVRTC_ERROR_COMPILATION (6)", 0) == 0);
  CHECK(out.message.find("broken.cu") != std::string::npos);
  CHECK_FALSE(out.log.empty());
}

TEST_CASE("a device NVRTC cannot target is refused with a reason", "[cuda][nvrtc]") {
  const CompileResult out = compile_to_ptx(nvrtc(), kPlainSaxpy, nullptr, 10);
  CHECK(out.result == OHAL_ERROR_BUILD_FAILED);
  CHECK(out.message.find("compute capability 1.0") != std::string::npos);
}

TEST_CASE("compiling without NVRTC is unsupported, not a crash", "[cuda][nvrtc]") {
  const Nvrtc none;
  const CompileResult out = compile_to_ptx(none, kPlainSaxpy, nullptr, kHopper);
  CHECK(out.result == OHAL_ERROR_UNSUPPORTED);
}
