// Inputs and expected results shared by the HAL ops and every raw baseline. Values are small
// integers so that float sums are exact in any order: results are compared for equality.
#ifndef OHAL_BENCH_TEST_DATA_H
#define OHAL_BENCH_TEST_DATA_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ohal_bench {

inline constexpr float kSaxpyA = 2.0f;
inline constexpr uint32_t kReduceBlock = 256;  // OHAL_BENCH_REDUCE_BLOCK in the kernels

inline float saxpy_x(uint64_t i) {
  return static_cast<float>(static_cast<int>(i % 13) - 6);
}
inline float saxpy_y0(uint64_t i) {
  return static_cast<float>(static_cast<int>(i % 7));
}
inline float reduce_input(uint64_t i) {
  return static_cast<float>(static_cast<int>(i % 11) - 5);
}
// Byte i of a copy's source; `salt` tells copies of different sizes apart.
inline uint8_t copy_byte(uint64_t i, uint32_t salt) {
  return static_cast<uint8_t>((i * 2654435761u + salt) >> 13);
}

std::vector<float> saxpy_x_values(uint32_t n);
std::vector<float> saxpy_y0_values(uint32_t n);
std::vector<float> reduce_input_values(uint32_t n);
std::vector<uint8_t> copy_pattern(uint64_t bytes, uint32_t salt);

// Number of blocks and per-block sums for a reduction of n elements in chunks of block * items.
uint32_t reduce_block_count(uint32_t n, uint32_t block, uint32_t items);
std::vector<float> reduce_expected(uint32_t n, uint32_t block, uint32_t items);

// Empty when y holds y0 + updates * a * x for every element, else the first mismatch.
std::string check_saxpy(const float* y, uint32_t n, uint64_t updates);
// Empty when partial equals reduce_expected, else the first mismatch.
std::string check_reduce(const float* partial, const std::vector<float>& expected);
// Empty when data equals copy_pattern(bytes, salt), else the first mismatch.
std::string check_copy(const uint8_t* data, uint64_t bytes, uint32_t salt);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_TEST_DATA_H
