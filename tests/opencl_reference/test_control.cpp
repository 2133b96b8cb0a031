// CTS kernel 14: the long-running LCG loop, written by the first thread only.
#include <vector>

#include "cts_types.h"
#include "ocl_harness.hpp"

TEST_CASE("control: cts_spin runs every LCG step and writes out[0..1] once", "[opencl][control]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_spin");
    for (const uint32_t iterations : {0u, 1u, 2u, 1000u, 1000003u}) {
      for (const auto& [grid, block] :
           {std::pair<ocl::Dim3, ocl::Dim3>{{1}, {1}}, {{3, 1, 2}, {4, 2, 1}}}) {
        INFO("iterations " << iterations << ", grid " << grid.x << "x" << grid.y << "x" << grid.z);
        const uint32_t value = 0x9E3779B9u;
        uint32_t x = value;
        for (uint32_t k = 0; k < iterations; ++k) x = x * CTS_LCG_MUL + CTS_LCG_ADD;
        ocl::Buffer out(*e, std::vector<uint32_t>(6, 0xDEADBEEFu));
        kernel.args(out, iterations, value);
        OCL_REQUIRE(kernel.launch(*e, grid, block));
        CHECK(out.read<uint32_t>() ==
              std::vector<uint32_t>{value, x, 0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu, 0xDEADBEEFu});
      }
    }
  }
}
