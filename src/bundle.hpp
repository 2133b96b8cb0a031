// Parsing ohal-pack bundles (include/openai_hal/bundle.h) and choosing images for a device.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "openai_hal/bundle.h"
#include "openai_hal/ohal.h"

namespace ohal {

struct BundleImage {
  ohal_kernel_format_t format;
  std::string target;
  const void* data;
  size_t size;
};

// Parses a bundle; on a malformed one returns false with the reason in error.
bool parse_bundle(const void* data, size_t size, std::vector<BundleImage>& images,
                  std::string& error);

// The images a device accepting `formats` (OHAL_FORMAT_BIT mask) can load, best first:
// binaries for the exact chip before portable IR before source.
std::vector<BundleImage> rank_images(const std::vector<BundleImage>& images, uint32_t formats);

}  // namespace ohal
