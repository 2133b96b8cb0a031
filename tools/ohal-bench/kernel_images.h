// The bench kernels (kernels/bench_kernels.cpp), compiled at build time for every format a
// compiler was found for and embedded in the executable, so ohal-bench runs from anywhere.
#ifndef OHAL_BENCH_KERNEL_IMAGES_H
#define OHAL_BENCH_KERNEL_IMAGES_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal_bench {

struct KernelImage {
  ohal_kernel_format_t format;
  const uint8_t* data;  // followed by a NUL byte, for text formats (PTX)
  size_t size;          // without that NUL
  const char* origin;   // how it was built, for the report
};

// In order of preference; a raw baseline may load the image of its own format too.
const std::vector<KernelImage>& kernel_images();

const char* kernel_format_name(ohal_kernel_format_t format);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_KERNEL_IMAGES_H
