#include "spirv_check.h"

#include <cstring>

namespace ohal::ze {
namespace {

constexpr uint32_t kMagic = 0x07230203;

uint32_t byteswap(uint32_t v) {
  return (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
}

std::string version_text(uint32_t version) {
  return std::to_string((version >> 16) & 0xff) + "." + std::to_string((version >> 8) & 0xff);
}

}  // namespace

ohal_result_t check_spirv(const void* data, size_t size, uint32_t max_version, std::string& error) {
  if (data == nullptr || size < 20) {
    error = "SPIR-V module of " + std::to_string(size) + " bytes is shorter than its header";
    return OHAL_ERROR_INVALID_IMAGE;
  }
  if (size % 4 != 0) {
    error = "SPIR-V module size " + std::to_string(size) + " is not a multiple of 4";
    return OHAL_ERROR_INVALID_IMAGE;
  }
  uint32_t words[2];
  std::memcpy(words, data, sizeof(words));
  if (words[0] == byteswap(kMagic)) {
    words[1] = byteswap(words[1]);
  } else if (words[0] != kMagic) {
    error = "not a SPIR-V module (bad magic number)";
    return OHAL_ERROR_INVALID_IMAGE;
  }
  const uint32_t version = words[1] & 0x00ffff00u;
  if (max_version != 0 && version > max_version) {
    error = "SPIR-V " + version_text(version) + " is newer than the device's " +
            version_text(max_version);
    return OHAL_ERROR_INVALID_IMAGE;
  }
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
