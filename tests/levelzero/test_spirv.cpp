#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>

#include "spirv_check.h"

using namespace ohal::ze;

namespace {

std::vector<uint32_t> header(uint32_t magic, uint32_t version) {
  return {magic, version, 0x00070000 /* generator */, 10 /* bound */, 0 /* schema */};
}

// OpEntryPoint names: proves the module holds the kernels, not only a valid header.
std::vector<std::string> entry_points(const std::vector<uint32_t>& words) {
  std::vector<std::string> names;
  for (size_t i = 5; i < words.size();) {
    const uint32_t count = words[i] >> 16;
    const uint32_t opcode = words[i] & 0xffff;
    if (count == 0 || i + count > words.size()) break;
    if (opcode == 15 /* OpEntryPoint */ && count > 3) {
      names.emplace_back(reinterpret_cast<const char*>(&words[i + 3]));
    }
    i += count;
  }
  return names;
}

}  // namespace

TEST_CASE("SPIR-V headers are checked before the driver sees them", "[ze][spirv]") {
  std::string error;
  auto module = header(0x07230203, 0x00010200);
  CHECK(check_spirv(module.data(), module.size() * 4, 0x00010200, error) == OHAL_SUCCESS);
  CHECK(check_spirv(module.data(), module.size() * 4, 0, error) == OHAL_SUCCESS);

  auto swapped = header(0x03022307, 0x00020100);  // big-endian module of version 1.2
  CHECK(check_spirv(swapped.data(), swapped.size() * 4, 0x00010200, error) == OHAL_SUCCESS);

  CHECK(check_spirv(module.data(), 19, 0, error) == OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("shorter than its header"));
  module.push_back(0);
  CHECK(check_spirv(module.data(), module.size() * 4 - 2, 0, error) == OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("multiple of 4"));

  auto wrong = header(0x12345678, 0x00010200);
  CHECK(check_spirv(wrong.data(), wrong.size() * 4, 0, error) == OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("bad magic"));

  auto newer = header(0x07230203, 0x00010500);
  CHECK(check_spirv(newer.data(), newer.size() * 4, 0x00010200, error) == OHAL_ERROR_INVALID_IMAGE);
  CHECK(error == "SPIR-V 1.5 is newer than the device's 1.2");
  CHECK(check_spirv(nullptr, 0, 0, error) == OHAL_ERROR_INVALID_IMAGE);
}

#ifdef OHAL_TEST_SAMPLE_SPIRV
TEST_CASE("ohal_add_spirv_opencl builds a valid OpenCL SPIR-V module", "[ze][spirv][clang]") {
  std::ifstream file(OHAL_TEST_SAMPLE_SPIRV, std::ios::binary);
  REQUIRE(file);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
  std::string error;
  REQUIRE(check_spirv(bytes.data(), bytes.size(), 0x00010200, error) == OHAL_SUCCESS);
  std::vector<uint32_t> words(bytes.size() / 4);
  std::memcpy(words.data(), bytes.data(), words.size() * 4);
  CHECK(words[1] <= 0x00010200);  // --spirv-max-version=1.2
  const auto names = entry_points(words);
  CHECK(std::find(names.begin(), names.end(), "saxpy") != names.end());
  CHECK(std::find(names.begin(), names.end(), "block_sum") != names.end());
  // OpCapability Kernel (6): an OpenCL module, not a Vulkan shader.
  bool kernel_capability = false;
  for (size_t i = 5; i + 1 < words.size() && (words[i] & 0xffff) == 17; i += words[i] >> 16) {
    if (words[i + 1] == 6) kernel_capability = true;
  }
  CHECK(kernel_capability);
}
#endif
