// CTS kernels 5 and 15: thread and block indices of 3-D launches.
#include <vector>

#include "ocl_harness.hpp"

TEST_CASE("indexing: cts_index_3d writes every thread's indices and dimensions",
          "[opencl][indexing]") {
  OCL_ENV(e);
  const std::vector<std::pair<ocl::Dim3, ocl::Dim3>> shapes = {
      {{1, 1, 1}, {1, 1, 1}}, {{5, 1, 1}, {7, 1, 1}}, {{3, 2, 2}, {4, 3, 2}},
      {{2, 3, 4}, {1, 1, 1}}, {{1, 1, 3}, {2, 5, 3}}, {{4, 3, 1}, {8, 8, 1}}};
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_index_3d");
    for (const auto& [grid, block] : shapes) {
      INFO("grid " << grid.x << "x" << grid.y << "x" << grid.z << ", block " << block.x << "x"
                   << block.y << "x" << block.z);
      const size_t wx = grid.x * block.x, wy = grid.y * block.y, wz = grid.z * block.z;
      ocl::Buffer out(*e, std::vector<uint32_t>(12 * wx * wy * wz + 12, 0xDEADBEEFu));
      kernel.args(out);
      OCL_REQUIRE(kernel.launch(*e, grid, block));
      std::vector<uint32_t> expected(12 * wx * wy * wz + 12, 0xDEADBEEFu);
      for (size_t gz = 0; gz < wz; ++gz) {
        for (size_t gy = 0; gy < wy; ++gy) {
          for (size_t gx = 0; gx < wx; ++gx) {
            const size_t g = (gz * wy + gy) * wx + gx;
            const size_t record[12] = {gx % block.x, gy % block.y, gz % block.z, gx / block.x,
                                       gy / block.y, gz / block.z, block.x,      block.y,
                                       block.z,      grid.x,       grid.y,       grid.z};
            for (size_t k = 0; k < 12; ++k) expected[12 * g + k] = static_cast<uint32_t>(record[k]);
          }
        }
      }
      CHECK(out.read<uint32_t>() == expected);
    }
  }
}

TEST_CASE("indexing: cts_block_id writes each block's linear index once", "[opencl][indexing]") {
  OCL_ENV(e);
  const std::vector<std::pair<ocl::Dim3, ocl::Dim3>> shapes = {{{1, 1, 1}, {1, 1, 1}},
                                                               {{37, 1, 1}, {3, 1, 1}},
                                                               {{3, 4, 5}, {2, 2, 2}},
                                                               {{1, 9, 2}, {1, 4, 1}}};
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_block_id");
    for (const auto& [grid, block] : shapes) {
      INFO("grid " << grid.x << "x" << grid.y << "x" << grid.z << ", block " << block.x << "x"
                   << block.y << "x" << block.z);
      const size_t blocks = grid.x * grid.y * grid.z;
      ocl::Buffer out(*e, std::vector<uint32_t>(blocks + 4, 0xDEADBEEFu));
      kernel.args(out);
      OCL_REQUIRE(kernel.launch(*e, grid, block));
      std::vector<uint32_t> expected(blocks + 4, 0xDEADBEEFu);
      for (uint32_t b = 0; b < blocks; ++b) expected[b] = b;
      CHECK(out.read<uint32_t>() == expected);
    }
  }
}
