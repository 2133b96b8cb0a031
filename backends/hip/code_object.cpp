#include "code_object.h"

#include <cstring>

namespace ohal::hip {
namespace {

constexpr std::string_view kBundleMagic = "__CLANG_OFFLOAD_BUNDLE__";
constexpr std::string_view kCompressedMagic = "CCOB";
constexpr uint16_t kElfMachineAmdgpu = 224;  // EM_AMDGPU
constexpr uint64_t kMaxBundleEntries = 4096;

uint64_t read_u64(const uint8_t* p) noexcept {
  uint64_t value = 0;
  std::memcpy(&value, p, sizeof(value));  // bundles are little-endian, like every AMD host
  return value;
}

bool is_amdgpu_elf(const uint8_t* data, size_t size, std::string& error) {
  if (size < 64 || std::memcmp(data,
                               "\x7f"
                               "ELF",
                               4) != 0) {
    error = "not an ELF file or clang offload bundle";
    return false;
  }
  if (data[4] != 2 /* ELFCLASS64 */ || data[5] != 1 /* little-endian */) {
    error = "ELF image is not 64-bit little-endian";
    return false;
  }
  uint16_t machine = 0;
  std::memcpy(&machine, data + 18, sizeof(machine));
  if (machine != kElfMachineAmdgpu) {
    error = "ELF image is not an AMDGPU code object (e_machine " + std::to_string(machine) + ")";
    return false;
  }
  return true;
}

struct Feature {
  std::string_view name;
  char setting;  // '+' or '-'
};

// "gfx90a:sramecc+:xnack-" -> processor "gfx90a", features {sramecc +, xnack -}.
std::string_view split_target(std::string_view target, std::vector<Feature>& features) {
  const size_t colon = target.find(':');
  const std::string_view processor = target.substr(0, colon);
  features.clear();
  std::string_view rest =
      colon == std::string_view::npos ? std::string_view() : target.substr(colon + 1);
  while (!rest.empty()) {
    const size_t next = rest.find(':');
    const std::string_view item = rest.substr(0, next);
    if (item.size() >= 2 && (item.back() == '+' || item.back() == '-')) {
      features.push_back({item.substr(0, item.size() - 1), item.back()});
    }
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
  }
  return processor;
}

// The target ID of a bundle entry triple: "hipv4-amdgcn-amd-amdhsa--gfx90a:xnack-" and the older
// "hip-amdgcn-amd-amdhsa-gfx906" both end with it; host and other entries give "". Features end
// in '-', so the ID is what follows the OS and environment fields, not the last '-'.
std::string_view triple_target(std::string_view triple) {
  if (triple.rfind("hip", 0) != 0) return {};
  constexpr std::string_view kOs = "-amdgcn-amd-amdhsa-";
  const size_t os = triple.find(kOs);
  if (os == std::string_view::npos) return {};
  std::string_view rest = triple.substr(os + kOs.size());
  const size_t dash = rest.substr(0, rest.find(':')).rfind('-');  // after the environment field
  if (dash != std::string_view::npos) rest = rest.substr(dash + 1);
  return rest;
}

struct Entry {
  std::string_view triple;
  uint64_t offset;
  uint64_t size;
};

bool parse_bundle(const uint8_t* data, size_t size, std::vector<Entry>& entries,
                  std::string& error) {
  size_t pos = kBundleMagic.size();
  if (size < pos + 8) {
    error = "offload bundle truncated in its header";
    return false;
  }
  const uint64_t count = read_u64(data + pos);
  pos += 8;
  if (count == 0 || count > kMaxBundleEntries) {
    error = "offload bundle has " + std::to_string(count) + " entries";
    return false;
  }
  entries.clear();
  for (uint64_t i = 0; i < count; ++i) {
    if (size - pos < 24) {
      error = "offload bundle truncated in entry " + std::to_string(i);
      return false;
    }
    const uint64_t offset = read_u64(data + pos);
    const uint64_t length = read_u64(data + pos + 8);
    const uint64_t triple_size = read_u64(data + pos + 16);
    pos += 24;
    if (triple_size > size - pos) {
      error = "offload bundle entry " + std::to_string(i) + " has a triple past the end";
      return false;
    }
    const std::string_view triple(reinterpret_cast<const char*>(data + pos), triple_size);
    pos += triple_size;
    if (offset > size || length > size - offset) {
      error = "offload bundle entry " + std::string(triple) + " lies past the end of the image";
      return false;
    }
    entries.push_back({triple, offset, length});
  }
  return true;
}

}  // namespace

bool target_compatible(std::string_view code, std::string_view device) noexcept {
  std::vector<Feature> code_features;
  std::vector<Feature> device_features;
  if (split_target(code, code_features) != split_target(device, device_features)) return false;
  for (const Feature& wanted : code_features) {
    for (const Feature& have : device_features) {
      if (have.name == wanted.name && have.setting != wanted.setting) return false;
    }
  }
  return true;
}

std::vector<std::string> bundle_targets(const void* image, size_t size) {
  std::vector<std::string> targets;
  const auto* data = static_cast<const uint8_t*>(image);
  if (data == nullptr || size < kBundleMagic.size() ||
      std::memcmp(data, kBundleMagic.data(), kBundleMagic.size()) != 0) {
    return targets;
  }
  std::vector<Entry> entries;
  std::string error;
  if (!parse_bundle(data, size, entries, error)) return targets;
  for (const Entry& entry : entries) {
    const std::string_view target = triple_target(entry.triple);
    if (!target.empty()) targets.emplace_back(target);
  }
  return targets;
}

ohal_result_t select_code_object(const void* image, size_t size, std::string_view device_target,
                                 CodeObjectView& out, std::string& error) {
  const auto* data = static_cast<const uint8_t*>(image);
  if (data == nullptr || size == 0) {
    error = "empty image";
    return OHAL_ERROR_INVALID_IMAGE;
  }
  if (size >= kCompressedMagic.size() &&
      std::memcmp(data, kCompressedMagic.data(), kCompressedMagic.size()) == 0) {
    error = "compressed offload bundle (CCOB) is not supported; build with --no-offload-compress";
    return OHAL_ERROR_INVALID_IMAGE;
  }
  const bool bundle = size >= kBundleMagic.size() &&
                      std::memcmp(data, kBundleMagic.data(), kBundleMagic.size()) == 0;
  if (!bundle) {
    if (!is_amdgpu_elf(data, size, error)) return OHAL_ERROR_INVALID_IMAGE;
    out = {data, size};
    return OHAL_SUCCESS;
  }
  std::vector<Entry> entries;
  if (!parse_bundle(data, size, entries, error)) return OHAL_ERROR_INVALID_IMAGE;
  const Entry* best = nullptr;
  size_t best_score = 0;
  std::string available;
  std::vector<Feature> features;
  for (const Entry& entry : entries) {
    const std::string_view target = triple_target(entry.triple);
    if (target.empty()) continue;
    available.append(available.empty() ? "" : ", ").append(target);
    if (!target_compatible(target, device_target)) continue;
    split_target(target, features);
    if (best == nullptr || features.size() > best_score) {
      best = &entry;
      best_score = features.size();
    }
  }
  if (best == nullptr) {
    error = "offload bundle has no code object for " + std::string(device_target) +
            " (has: " + (available.empty() ? std::string("none") : available) + ")";
    return OHAL_ERROR_INVALID_IMAGE;
  }
  const uint8_t* object = data + best->offset;
  if (!is_amdgpu_elf(object, static_cast<size_t>(best->size), error)) {
    error = "offload bundle entry " + std::string(best->triple) + ": " + error;
    return OHAL_ERROR_INVALID_IMAGE;
  }
  out = {object, static_cast<size_t>(best->size)};
  return OHAL_SUCCESS;
}

}  // namespace ohal::hip
