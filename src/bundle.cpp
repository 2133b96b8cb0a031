#include "bundle.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace ohal {

bool parse_bundle(const void* data, size_t size, std::vector<BundleImage>& images,
                  std::string& error) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  ohal_bundle_header_t header;
  if (size < sizeof(header)) {
    error = fmt::format("{} bytes is too small for a bundle header", size);
    return false;
  }
  std::memcpy(&header, bytes, sizeof(header));
  if (std::memcmp(header.magic, OHAL_BUNDLE_MAGIC, sizeof(header.magic)) != 0) {
    error = "not an ohal bundle (bad magic)";
    return false;
  }
  if (header.version != OHAL_BUNDLE_VERSION) {
    error = fmt::format("bundle version {} is not supported (this library reads {})",
                        header.version, OHAL_BUNDLE_VERSION);
    return false;
  }
  if (header.total_size != size) {
    error = fmt::format("bundle says {} bytes but {} were given", header.total_size, size);
    return false;
  }
  if (header.entry_count == 0 || header.entry_count > OHAL_BUNDLE_MAX_ENTRIES) {
    error =
        fmt::format("entry_count {} is outside 1..{}", header.entry_count, OHAL_BUNDLE_MAX_ENTRIES);
    return false;
  }
  const size_t table_end =
      sizeof(header) + size_t{header.entry_count} * sizeof(ohal_bundle_entry_t);
  if (table_end > size) {
    error = "the entry table runs past the end of the bundle";
    return false;
  }
  images.clear();
  for (uint32_t i = 0; i < header.entry_count; ++i) {
    ohal_bundle_entry_t entry;
    std::memcpy(&entry, bytes + sizeof(header) + i * sizeof(entry), sizeof(entry));
    if (entry.format >= OHAL_KERNEL_FORMAT_COUNT_) {
      error = fmt::format("entry {} has unknown format {}", i, entry.format);
      return false;
    }
    if (std::memchr(entry.target, '\0', sizeof(entry.target)) == nullptr) {
      error = fmt::format("entry {} target is not NUL-terminated", i);
      return false;
    }
    if (entry.size == 0 || entry.offset < table_end || entry.offset > size ||
        entry.size > size - entry.offset) {
      error = fmt::format("entry {} image [{}, +{}) lies outside the bundle's {} bytes", i,
                          entry.offset, entry.size, size);
      return false;
    }
    images.push_back({static_cast<ohal_kernel_format_t>(entry.format), entry.target,
                      bytes + entry.offset, static_cast<size_t>(entry.size)});
  }
  return true;
}

std::vector<BundleImage> rank_images(const std::vector<BundleImage>& images, uint32_t formats) {
  static const ohal_kernel_format_t kPreference[] = {
      OHAL_KERNEL_FORMAT_CUBIN,        OHAL_KERNEL_FORMAT_FATBIN,
      OHAL_KERNEL_FORMAT_HSACO,        OHAL_KERNEL_FORMAT_SPIRV_VULKAN,
      OHAL_KERNEL_FORMAT_SPIRV_OPENCL, OHAL_KERNEL_FORMAT_NATIVE_SO,
      OHAL_KERNEL_FORMAT_PTX,          OHAL_KERNEL_FORMAT_CUDA_SOURCE,
      OHAL_KERNEL_FORMAT_HIP_SOURCE};
  std::vector<BundleImage> ranked;
  for (ohal_kernel_format_t format : kPreference) {
    if (!(formats & OHAL_FORMAT_BIT(format))) continue;
    for (const BundleImage& image : images) {
      if (image.format == format) ranked.push_back(image);
    }
  }
  return ranked;
}

}  // namespace ohal
