// CTS kernels 8-10: static __local memory with a tree reduction, dynamic __local memory (the
// trailing parameter), and a tiled matmul with two barriers per tile.
#include <vector>

#include "ocl_harness.hpp"

namespace {

// The largest work-group the device runs `kernel` with.
size_t max_block(const ocl::Env& e, const ocl::Kernel& kernel) {
  size_t size = 0;
  OCL_REQUIRE(clGetKernelWorkGroupInfo(kernel.get(), e.device, CL_KERNEL_WORK_GROUP_SIZE,
                                       sizeof(size), &size, nullptr));
  return size;
}

}  // namespace

TEST_CASE("shared memory: cts_reduce_static sums each block's strided elements",
          "[opencl][shared_memory]") {
  OCL_ENV(e);
  const uint32_t n = 10007;
  std::vector<uint32_t> in(n);
  for (uint32_t i = 0; i < n; ++i) in[i] = i * 2654435761u + 12345u;  // sums wrap
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_reduce_static");
    const size_t limit = max_block(*e, kernel);
    ocl::Buffer input(*e, in);
    // Powers of two and not, down to one thread and up to the spec's 1024.
    for (const size_t block : {1, 2, 3, 31, 64, 100, 256, 257, 1000, 1024}) {
      if (block > limit) {
        WARN("block " << block << " exceeds the kernel's work-group limit " << limit);
        continue;
      }
      for (const size_t grid : {1, 3, 7}) {
        INFO("block " << block << ", grid " << grid);
        ocl::Buffer out(*e, std::vector<uint32_t>(grid + 2, 0xDEADBEEFu));
        kernel.args(input, n, out);
        OCL_REQUIRE(kernel.launch(*e, {grid}, {block}));
        std::vector<uint32_t> expected(grid + 2, 0xDEADBEEFu);
        for (uint32_t b = 0; b < grid; ++b) expected[b] = 0;
        for (uint32_t i = 0; i < n; ++i) expected[(i % (grid * block)) / block] += in[i];
        CHECK(out.read<uint32_t>() == expected);
      }
    }
  }
}

TEST_CASE("shared memory: cts_dynamic_reverse reverses each block's words in dynamic memory",
          "[opencl][shared_memory]") {
  OCL_ENV(e);
  const uint32_t grid = 3;
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_dynamic_reverse");
    for (const uint32_t words : {1u, 5u, 256u, 1000u, 4096u}) {
      for (const size_t block : {1, 32, 100}) {
        // The launch's shared_bytes: exactly 4 * words, or more (the spec: at least).
        for (const size_t extra : {0, 60}) {
          INFO("words " << words << ", block " << block << ", shared bytes " << 4 * words + extra);
          std::vector<uint32_t> in(grid * words);
          for (uint32_t i = 0; i < in.size(); ++i) in[i] = i * 2246822519u + 7u;
          ocl::Buffer input(*e, in);
          ocl::Buffer out(*e, std::vector<uint32_t>(grid * words + 3, 0xDEADBEEFu));
          kernel.args(input, out, words, ocl::Local{4 * words + extra});
          OCL_REQUIRE(kernel.launch(*e, {grid}, {block}));
          std::vector<uint32_t> expected(grid * words + 3, 0xDEADBEEFu);
          for (uint32_t b = 0; b < grid; ++b) {
            for (uint32_t i = 0; i < words; ++i) {
              expected[b * words + i] = in[b * words + words - 1 - i];
            }
          }
          CHECK(out.read<uint32_t>() == expected);
        }
      }
    }
  }
}

TEST_CASE("shared memory: cts_matmul_tiled multiplies through 32x32 tiles with any tile size",
          "[opencl][shared_memory]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_matmul_tiled");
    const size_t limit = max_block(*e, kernel);
    for (const uint32_t n : {1u, 5u, 33u, 64u}) {
      // Small integers: every summation order gives the exact result.
      std::vector<float> a(n * n), b(n * n);
      for (uint32_t i = 0; i < n * n; ++i) {
        a[i] = static_cast<float>(static_cast<int>((i * 7u) % 5u) - 2);
        b[i] = static_cast<float>(static_cast<int>((i * 3u) % 7u) - 3);
      }
      std::vector<float> expected(n * n + 4, -1.0f);
      for (uint32_t r = 0; r < n; ++r) {
        for (uint32_t c = 0; c < n; ++c) {
          int sum = 0;
          for (uint32_t k = 0; k < n; ++k) {
            sum += static_cast<int>(a[r * n + k]) * static_cast<int>(b[k * n + c]);
          }
          expected[r * n + c] = static_cast<float>(sum);
        }
      }
      ocl::Buffer ab(*e, a);
      ocl::Buffer bb(*e, b);
      for (const size_t tile : {1, 4, 7, 16, 32}) {
        if (tile * tile > limit) {
          WARN("tile " << tile << " exceeds the kernel's work-group limit " << limit);
          continue;
        }
        INFO("n " << n << ", tile " << tile);
        ocl::Buffer cb(*e, std::vector<float>(n * n + 4, -1.0f));
        kernel.args(ab, bb, cb, n);
        const size_t groups = (n + tile - 1) / tile;
        OCL_REQUIRE(kernel.launch(*e, {groups, groups, 1}, {tile, tile, 1}));
        CHECK(cb.read<float>() == expected);
      }
    }
  }
}
