// CTS kernels 6 and 7: value arguments of every size and a 64-byte struct by value.
#include <cstring>
#include <vector>

#include "cts_types.h"
#include "ocl_harness.hpp"

namespace {

uint64_t float_bits(float f) {
  uint32_t u = 0;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

constexpr uint64_t kSentinel = 0xA5A5A5A5A5A5A5A5ull;

}  // namespace

TEST_CASE("arguments: cts_args_many receives sixteen values of mixed sizes",
          "[opencl][arguments]") {
  OCL_ENV(e);
  // Values with every byte set and the sign bits of the signed ones, so a wrong size, offset or
  // extension shows.
  const uint8_t a0 = 0xF1;
  const uint16_t a1 = 0xE2D3;
  const uint32_t a2 = 0xC4B5A697u;
  const uint64_t a3 = 0x8877665544332211ull;
  const int8_t a4 = -7;
  const int16_t a5 = -12345;
  const int32_t a6 = -1234567890;
  const int64_t a7 = -1234567890123456789ll;
  const float a8 = -3.140625f;
  const uint8_t a9 = 0x5A;
  const uint64_t a10 = 0xFEDCBA9876543210ull;
  const uint16_t a11 = 0x8001;
  const uint8_t a12 = 0x80;
  const uint32_t a13 = 0x80000001u;
  const int8_t a14 = 127;
  const uint64_t a15 = 0x0123456789ABCDEFull;
  std::vector<uint64_t> expected = {a0,
                                    a1,
                                    a2,
                                    a3,
                                    static_cast<uint64_t>(static_cast<int64_t>(a4)),
                                    static_cast<uint64_t>(static_cast<int64_t>(a5)),
                                    static_cast<uint64_t>(static_cast<int64_t>(a6)),
                                    static_cast<uint64_t>(a7),
                                    float_bits(a8),
                                    a9,
                                    a10,
                                    a11,
                                    a12,
                                    a13,
                                    static_cast<uint64_t>(static_cast<int64_t>(a14)),
                                    a15};
  expected.resize(20, kSentinel);  // nothing past out[15] is written
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_args_many");
    for (const auto& [grid, block] :
         {std::pair<ocl::Dim3, ocl::Dim3>{{1}, {1}}, {{3, 2, 1}, {4, 2, 2}}}) {
      ocl::Buffer out(*e, std::vector<uint64_t>(20, kSentinel));
      kernel.args(out, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
      OCL_REQUIRE(kernel.launch(*e, grid, block));
      CHECK(out.read<uint64_t>() == expected);
    }
  }
}

TEST_CASE("arguments: cts_args_struct receives a 64-byte struct by value", "[opencl][arguments]") {
  OCL_ENV(e);
  cts_struct64_t s{};
  for (uint32_t k = 0; k < 4; ++k) s.u32[k] = 0x11111111u * (k + 1) + 0x80000000u;
  for (uint32_t k = 0; k < 4; ++k) s.f32[k] = -1.5f * static_cast<float>(k + 1) + 0.125f;
  s.i64[0] = -0x123456789ABCDEFll;
  s.i64[1] = 0x7EDCBA9876543210ll;
  s.u64[0] = 0xF0E1D2C3B4A59687ull;
  s.u64[1] = 0x0011223344556677ull;
  const uint32_t tag = 0xCAFEF00Du;
  const uint8_t tail = 0xEE;
  std::vector<uint64_t> expected = {tag};
  for (uint32_t k = 0; k < 4; ++k) expected.push_back(s.u32[k]);
  for (uint32_t k = 0; k < 4; ++k) expected.push_back(float_bits(s.f32[k]));
  for (uint32_t k = 0; k < 2; ++k) expected.push_back(static_cast<uint64_t>(s.i64[k]));
  for (uint32_t k = 0; k < 2; ++k) expected.push_back(s.u64[k]);
  expected.push_back(tail);
  expected.resize(18, kSentinel);  // nothing past out[13] is written
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    ocl::Kernel kernel(program, "cts_args_struct");
    for (const auto& [grid, block] :
         {std::pair<ocl::Dim3, ocl::Dim3>{{1}, {1}}, {{2, 2, 1}, {8, 1, 1}}}) {
      ocl::Buffer out(*e, std::vector<uint64_t>(18, kSentinel));
      kernel.args(out, tag, s, tail);
      OCL_REQUIRE(kernel.launch(*e, grid, block));
      CHECK(out.read<uint64_t>() == expected);
    }
  }
}
