#include "test_data.h"

#include <fmt/format.h>

namespace ohal_bench {

std::vector<float> saxpy_x_values(uint32_t n) {
  std::vector<float> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = saxpy_x(i);
  return v;
}

std::vector<float> saxpy_y0_values(uint32_t n) {
  std::vector<float> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = saxpy_y0(i);
  return v;
}

std::vector<float> reduce_input_values(uint32_t n) {
  std::vector<float> v(n);
  for (uint32_t i = 0; i < n; ++i) v[i] = reduce_input(i);
  return v;
}

std::vector<uint8_t> copy_pattern(uint64_t bytes, uint32_t salt) {
  std::vector<uint8_t> v(bytes);
  for (uint64_t i = 0; i < bytes; ++i) v[i] = copy_byte(i, salt);
  return v;
}

uint32_t reduce_block_count(uint32_t n, uint32_t block, uint32_t items) {
  const uint64_t chunk = uint64_t{block} * items;
  return static_cast<uint32_t>((uint64_t{n} + chunk - 1) / chunk);
}

std::vector<float> reduce_expected(uint32_t n, uint32_t block, uint32_t items) {
  const uint64_t chunk = uint64_t{block} * items;
  std::vector<float> sums(reduce_block_count(n, block, items));
  for (size_t b = 0; b < sums.size(); ++b) {
    // Integer sum: the exact value every summation order must reproduce.
    int64_t sum = 0;
    for (uint64_t i = b * chunk; i < (b + 1) * chunk && i < n; ++i) {
      sum += static_cast<int64_t>(i % 11) - 5;
    }
    sums[b] = static_cast<float>(sum);
  }
  return sums;
}

std::string check_saxpy(const float* y, uint32_t n, uint64_t updates) {
  // Exact while |y| < 2^24: y grows by at most 12 per update, so for a million updates.
  const float scale = static_cast<float>(updates) * kSaxpyA;
  for (uint32_t i = 0; i < n; ++i) {
    const float expected = saxpy_y0(i) + scale * saxpy_x(i);
    if (y[i] != expected) {
      return fmt::format("saxpy y[{}] = {} after {} updates, expected {}", i, y[i], updates,
                         expected);
    }
  }
  return {};
}

std::string check_reduce(const float* partial, const std::vector<float>& expected) {
  for (size_t b = 0; b < expected.size(); ++b) {
    if (partial[b] != expected[b]) {
      return fmt::format("block sum [{}] = {}, expected {}", b, partial[b], expected[b]);
    }
  }
  return {};
}

std::string check_copy(const uint8_t* data, uint64_t bytes, uint32_t salt) {
  for (uint64_t i = 0; i < bytes; ++i) {
    if (data[i] != copy_byte(i, salt)) {
      return fmt::format("copied byte {} = {:#04x}, expected {:#04x}", i, data[i],
                         copy_byte(i, salt));
    }
  }
  return {};
}

}  // namespace ohal_bench
