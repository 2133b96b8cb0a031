// CTS kernels 1-4 and 17: noop, fill, copy, saxpy and the non-atomic increment.
#include <vector>

#include "ocl_harness.hpp"

namespace {

constexpr uint32_t kSentinel = 0xDEADBEEFu;

// ceil(n / block) blocks, plus `extra` blocks past the end that must write nothing.
size_t blocks_for(uint32_t n, size_t block, size_t extra) {
  return (n + block - 1) / block + extra;
}

}  // namespace

TEST_CASE("basic: cts_noop launches with no arguments in any shape", "[opencl][basic]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_noop");
    cl_uint count = 99;
    OCL_REQUIRE(clGetKernelInfo(kernel.get(), CL_KERNEL_NUM_ARGS, sizeof(count), &count, nullptr));
    CHECK(count == 0);
    OCL_REQUIRE(kernel.launch(*e, {1, 1, 1}, {1, 1, 1}));
    OCL_REQUIRE(kernel.launch(*e, {3, 2, 2}, {4, 2, 1}));
  }
}

TEST_CASE("basic: cts_fill_u32 fills exactly n words", "[opencl][basic]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_fill_u32");
    for (const uint32_t n : {0u, 1u, 63u, 64u, 1000u}) {
      for (const size_t block : {size_t{1}, size_t{64}, size_t{100}}) {
        INFO("n " << n << ", block " << block);
        ocl::Buffer out(*e, std::vector<uint32_t>(n + 40, kSentinel));
        kernel.args(out, n, uint32_t{0x12345678u});
        OCL_REQUIRE(kernel.launch(*e, {blocks_for(n, block, 2)}, {block}));
        std::vector<uint32_t> expected(n + 40, kSentinel);
        std::fill(expected.begin(), expected.begin() + n, 0x12345678u);
        CHECK(out.read<uint32_t>() == expected);
      }
    }
  }
}

TEST_CASE("basic: cts_copy_u32 copies exactly n words", "[opencl][basic]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_copy_u32");
    const uint32_t n = 777;
    std::vector<uint32_t> src(n + 8);
    for (uint32_t i = 0; i < src.size(); ++i) src[i] = i * 2654435761u;
    ocl::Buffer in(*e, src);
    ocl::Buffer dst(*e, std::vector<uint32_t>(n + 8, kSentinel));
    kernel.args(dst, in, n);
    OCL_REQUIRE(kernel.launch(*e, {blocks_for(n, 32, 3)}, {32}));
    std::vector<uint32_t> expected(src.begin(), src.begin() + n);
    expected.resize(n + 8, kSentinel);
    CHECK(dst.read<uint32_t>() == expected);
  }
}

TEST_CASE("basic: cts_saxpy computes y = a * x + y for the first n elements", "[opencl][basic]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_saxpy");
    const uint32_t n = 1000;
    const float a = 2.5f;
    std::vector<float> x(n + 5), y(n + 5);
    for (uint32_t i = 0; i < x.size(); ++i) {
      x[i] = static_cast<float>(i);
      y[i] = 100.0f + 0.25f * static_cast<float>(i);  // every result is exact in binary32
    }
    ocl::Buffer xb(*e, x);
    ocl::Buffer yb(*e, y);
    kernel.args(n, a, xb, yb);
    OCL_REQUIRE(kernel.launch(*e, {blocks_for(n, 128, 1)}, {128}));
    std::vector<float> expected = y;
    for (uint32_t i = 0; i < n; ++i) expected[i] = a * x[i] + y[i];
    CHECK(yb.read<float>() == expected);
  }
}

TEST_CASE("basic: cts_inc adds one per launch, from the first thread only", "[opencl][basic]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_inc");
    ocl::Buffer counter(*e, std::vector<uint32_t>{41u, kSentinel});
    kernel.args(counter);
    for (int i = 0; i < 5; ++i) OCL_REQUIRE(kernel.launch(*e, {1}, {1}));
    // Many threads and blocks: still one increment per launch.
    for (int i = 0; i < 3; ++i) OCL_REQUIRE(kernel.launch(*e, {2, 3, 1}, {4, 2, 1}));
    CHECK(counter.read<uint32_t>() == std::vector<uint32_t>{49u, kSentinel});
  }
}
