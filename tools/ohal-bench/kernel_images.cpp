#include "kernel_images.h"

// Embeds a file built by CMake (the path arrives as a compile definition) as [sym, sym_end),
// followed by a NUL byte. CMake's OBJECT_DEPENDS rebuilds this file when the image changes.
#define OHAL_BENCH_INCBIN(sym, path)                                                   \
  __asm__(".pushsection .rodata\n.balign 64\n.globl " #sym "\n.hidden " #sym "\n" #sym \
          ":\n.incbin \"" path "\"\n.globl " #sym "_end\n.hidden " #sym "_end\n" #sym  \
          "_end:\n.byte 0\n.popsection\n")

#ifdef OHAL_BENCH_NATIVE_SO_PATH
OHAL_BENCH_INCBIN(ohal_bench_native_so, OHAL_BENCH_NATIVE_SO_PATH);
extern "C" const uint8_t ohal_bench_native_so[];
extern "C" const uint8_t ohal_bench_native_so_end[];
#endif
#ifdef OHAL_BENCH_CUBIN_PATH
OHAL_BENCH_INCBIN(ohal_bench_cubin, OHAL_BENCH_CUBIN_PATH);
extern "C" const uint8_t ohal_bench_cubin[];
extern "C" const uint8_t ohal_bench_cubin_end[];
#endif
#ifdef OHAL_BENCH_PTX_PATH
OHAL_BENCH_INCBIN(ohal_bench_ptx, OHAL_BENCH_PTX_PATH);
extern "C" const uint8_t ohal_bench_ptx[];
extern "C" const uint8_t ohal_bench_ptx_end[];
#endif

#ifdef OHAL_BENCH_SPIRV_VULKAN_PATH
OHAL_BENCH_INCBIN(ohal_bench_spirv_vulkan, OHAL_BENCH_SPIRV_VULKAN_PATH);
extern "C" const uint8_t ohal_bench_spirv_vulkan[];
extern "C" const uint8_t ohal_bench_spirv_vulkan_end[];
#endif

namespace ohal_bench {

const std::vector<KernelImage>& kernel_images() {
  static const std::vector<KernelImage> images = [] {
    std::vector<KernelImage> list;
#ifdef OHAL_BENCH_NATIVE_SO_PATH
    list.push_back({OHAL_KERNEL_FORMAT_NATIVE_SO, ohal_bench_native_so,
                    static_cast<size_t>(ohal_bench_native_so_end - ohal_bench_native_so),
                    "host C++ compiler (ohal_add_native_kernels)"});
#endif
#ifdef OHAL_BENCH_CUBIN_PATH
    // Before the PTX: a GPU of another architecture rejects it and the PTX is tried next.
    list.push_back({OHAL_KERNEL_FORMAT_CUBIN, ohal_bench_cubin,
                    static_cast<size_t>(ohal_bench_cubin_end - ohal_bench_cubin),
                    "nvcc -cubin " OHAL_BENCH_CUBIN_ARCH});
#endif
#ifdef OHAL_BENCH_PTX_PATH
    list.push_back({OHAL_KERNEL_FORMAT_PTX, ohal_bench_ptx,
                    static_cast<size_t>(ohal_bench_ptx_end - ohal_bench_ptx),
                    "nvcc -ptx " OHAL_BENCH_PTX_ARCH});
#endif
#ifdef OHAL_BENCH_SPIRV_VULKAN_PATH
    list.push_back({OHAL_KERNEL_FORMAT_SPIRV_VULKAN, ohal_bench_spirv_vulkan,
                    static_cast<size_t>(ohal_bench_spirv_vulkan_end - ohal_bench_spirv_vulkan),
                    "glslc (kernels/*.comp, ohal_vulkan_spirv_module)"});
#endif
    return list;
  }();
  return images;
}

const char* kernel_format_name(ohal_kernel_format_t format) {
  switch (format) {
    case OHAL_KERNEL_FORMAT_NATIVE_SO:
      return "NATIVE_SO";
    case OHAL_KERNEL_FORMAT_PTX:
      return "PTX";
    case OHAL_KERNEL_FORMAT_CUBIN:
      return "CUBIN";
    case OHAL_KERNEL_FORMAT_FATBIN:
      return "FATBIN";
    case OHAL_KERNEL_FORMAT_CUDA_SOURCE:
      return "CUDA_SOURCE";
    case OHAL_KERNEL_FORMAT_HSACO:
      return "HSACO";
    case OHAL_KERNEL_FORMAT_HIP_SOURCE:
      return "HIP_SOURCE";
    case OHAL_KERNEL_FORMAT_SPIRV_OPENCL:
      return "SPIRV_OPENCL";
    case OHAL_KERNEL_FORMAT_SPIRV_VULKAN:
      return "SPIRV_VULKAN";
    default:
      return "UNKNOWN";
  }
}

}  // namespace ohal_bench
