// Modules: PTX, CUBIN and FATBIN through cuModuleLoadDataEx (JIT error log in the message);
// CUDA_SOURCE through NVRTC to PTX first. Kernels: cuModuleGetFunction + their attributes.
#include <elf.h>

#include <cstdio>
#include <cstring>
#include <new>
#include <sstream>
#include <vector>

#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

constexpr size_t kJitLogSize = 16 * 1024;
constexpr uint32_t kFatbinMagic = 0xBA55ED50u;
constexpr uint32_t kFatbinWrapperMagic = 0x466243B1u;  // __fatBinC_Wrapper_t, in-process only

template <typename T>
T read_at(const unsigned char* data, size_t offset) {
  T value;
  std::memcpy(&value, data + offset, sizeof(T));
  return value;
}

bool range_ok(uint64_t offset, uint64_t length, size_t size) {
  return offset <= size && length <= size - offset;
}

// cuModuleLoadDataEx takes no size: an image whose headers point past `size` would make the
// driver read beyond the caller's buffer, so the headers are checked first.
std::string check_cubin(const unsigned char* data, size_t size) {
  if (size < sizeof(Elf64_Ehdr) || std::memcmp(data, ELFMAG, SELFMAG) != 0) {
    return "not an ELF file";
  }
  if (data[EI_CLASS] != ELFCLASS64) return "not a 64-bit ELF file";
  const auto eh = read_at<Elf64_Ehdr>(data, 0);
  if (eh.e_shnum > 0 && eh.e_shentsize < sizeof(Elf64_Shdr)) return "bad section header size";
  if (!range_ok(eh.e_shoff, uint64_t{eh.e_shnum} * eh.e_shentsize, size) ||
      !range_ok(eh.e_phoff, uint64_t{eh.e_phnum} * eh.e_phentsize, size)) {
    return "ELF headers run past the end of the image";
  }
  for (uint32_t i = 0; i < eh.e_shnum; ++i) {
    const auto sh = read_at<Elf64_Shdr>(data, eh.e_shoff + uint64_t{i} * eh.e_shentsize);
    if (sh.sh_type != SHT_NOBITS && !range_ok(sh.sh_offset, sh.sh_size, size)) {
      return "section " + std::to_string(i) + " runs past the end of the image";
    }
  }
  return {};
}

std::string check_fatbin(const unsigned char* data, size_t size) {
  // magic u32, version u16, header size u16, payload size u64
  if (size < 16 || read_at<uint32_t>(data, 0) != kFatbinMagic) {
    return "not a fatbin (magic 0xBA55ED50 expected)";
  }
  const uint64_t header = read_at<uint16_t>(data, 6);
  const uint64_t payload = read_at<uint64_t>(data, 8);
  if (header < 16 || !range_ok(header, payload, size)) {
    return "fatbin payload runs past the end of the image";
  }
  return {};
}

// The driver sniffs the image's kind from its first bytes whatever the format says, so a
// binary image passed as PTX would be parsed as one, without a size.
std::string check_ptx(const unsigned char* data, size_t size) {
  if (size >= SELFMAG && std::memcmp(data, ELFMAG, SELFMAG) == 0) {
    return "an ELF image is not PTX text (load it as CUBIN)";
  }
  if (size >= 4 && (read_at<uint32_t>(data, 0) == kFatbinMagic ||
                    read_at<uint32_t>(data, 0) == kFatbinWrapperMagic)) {
    return "a fatbin is not PTX text (load it as FATBIN)";
  }
  return {};
}

struct JitOptions {
  std::vector<CUjit_option> keys;
  std::vector<void*> values;
  void add(CUjit_option key, uintptr_t value) {
    keys.push_back(key);
    values.push_back(reinterpret_cast<void*>(value));
  }
};

// The caller's options for PTX/CUBIN/FATBIN, as cuModuleLoadDataEx JIT options.
ohal_result_t parse_jit_options(const char* options, JitOptions& jit) {
  if (options == nullptr) return OHAL_SUCCESS;
  std::istringstream in(options);
  std::string token;
  while (in >> token) {
    unsigned value = 0;
    char tail = 0;
    if (std::sscanf(token.c_str(), "-O%u%c", &value, &tail) == 1 && value <= 4) {
      jit.add(CU_JIT_OPTIMIZATION_LEVEL, value);
    } else if ((std::sscanf(token.c_str(), "-maxrregcount=%u%c", &value, &tail) == 1 ||
                std::sscanf(token.c_str(), "--maxrregcount=%u%c", &value, &tail) == 1) &&
               value > 0) {
      jit.add(CU_JIT_MAX_REGISTERS, value);
    } else if (token == "-lineinfo" || token == "--generate-line-info") {
      jit.add(CU_JIT_GENERATE_LINE_INFO, 1);
    } else if (token == "-G" || token == "--device-debug") {
      jit.add(CU_JIT_GENERATE_DEBUG_INFO, 1);
    } else {
      return set_error(OHAL_ERROR_INVALID_VALUE,
                       "cuda: unknown JIT option '" + token +
                           "' (accepted: -O0..-O4, -maxrregcount=N, -lineinfo, -G)");
    }
  }
  return OHAL_SUCCESS;
}

const char* format_name(ohal_kernel_format_t format) {
  switch (format) {
    case OHAL_KERNEL_FORMAT_PTX:
      return "PTX";
    case OHAL_KERNEL_FORMAT_CUBIN:
      return "CUBIN";
    case OHAL_KERNEL_FORMAT_FATBIN:
      return "FATBIN";
    case OHAL_KERNEL_FORMAT_CUDA_SOURCE:
      return "CUDA_SOURCE";
    default:
      return "?";
  }
}

uint32_t function_attribute(CUfunction function, CUfunction_attribute attribute) {
  int value = 0;
  if (drv().cuFuncGetAttribute(&value, attribute, function) != CUDA_SUCCESS || value < 0) {
    return 0;
  }
  return static_cast<uint32_t>(value);
}

// Argument count and sizes from cuFuncGetParamInfo (CUDA 12.4+); unknown without it.
void describe_arguments(CUfunction function, ohal_kernel_properties_t& p) {
  const auto get = drv().cuFuncGetParamInfo_opt;
  p.arg_count_known = 0;
  p.arg_count = 0;
  if (get == nullptr) return;
  constexpr size_t kMaxParams = 4096;  // far above any real kernel
  for (size_t i = 0; i < kMaxParams; ++i) {
    size_t offset = 0;
    size_t size = 0;
    const CUresult r = get(function, i, &offset, &size);
    if (r == CUDA_ERROR_INVALID_VALUE) {  // past the last parameter
      p.arg_count_known = 1;
      p.arg_count = static_cast<uint32_t>(i);
      return;
    }
    if (r != CUDA_SUCCESS) {
      p.arg_count = 0;
      return;
    }
    if (i < OHAL_KERNEL_MAX_ARGS) p.arg_sizes[i] = static_cast<uint32_t>(size);
  }
}

}  // namespace

ohal_result_t module_load(ohal_bdevice_t device_handle, const ohal_module_desc_t* desc,
                          ohal_bmodule_t* out) {
  Device& device = *from_handle<Device>(device_handle);
  const auto* bytes = static_cast<const unsigned char*>(desc->data);
  JitOptions jit;
  std::string ptx;               // PTX text, NUL-terminated
  std::vector<uint64_t> binary;  // an aligned copy of a CUBIN/FATBIN image
  const void* image = nullptr;
  std::string from_nvrtc;  // for messages: which NVRTC made the PTX

  switch (desc->format) {
    case OHAL_KERNEL_FORMAT_PTX:
      if (const ohal_result_t r = parse_jit_options(desc->options, jit); r != OHAL_SUCCESS) {
        return r;
      }
      if (const std::string problem = check_ptx(bytes, desc->size); !problem.empty()) {
        return set_error(OHAL_ERROR_INVALID_IMAGE, "cuda: PTX: " + problem);
      }
      ptx.assign(reinterpret_cast<const char*>(bytes), desc->size);
      image = ptx.c_str();
      break;
    case OHAL_KERNEL_FORMAT_CUBIN:
    case OHAL_KERNEL_FORMAT_FATBIN: {
      if (const ohal_result_t r = parse_jit_options(desc->options, jit); r != OHAL_SUCCESS) {
        return r;
      }
      const std::string problem = desc->format == OHAL_KERNEL_FORMAT_CUBIN
                                      ? check_cubin(bytes, desc->size)
                                      : check_fatbin(bytes, desc->size);
      if (!problem.empty()) {
        return set_error(OHAL_ERROR_INVALID_IMAGE,
                         std::string("cuda: ") + format_name(desc->format) + ": " + problem);
      }
      binary.resize((desc->size + sizeof(uint64_t) - 1) / sizeof(uint64_t));
      std::memcpy(binary.data(), bytes, desc->size);
      image = binary.data();
      break;
    }
    case OHAL_KERNEL_FORMAT_CUDA_SOURCE: {
      const State& s = state();
      if (!s.nvrtc.loaded()) {
        return set_error(OHAL_ERROR_UNSUPPORTED,
                         "cuda: CUDA_SOURCE needs NVRTC, which was not found: " + s.nvrtc_error);
      }
      CompileResult compiled = compile_to_ptx(
          s.nvrtc, std::string_view(reinterpret_cast<const char*>(bytes), desc->size),
          desc->options, device.cc);
      if (compiled.result != OHAL_SUCCESS) return set_error(compiled.result, compiled.message);
      if (!compiled.log.empty()) log(OHAL_LOG_LEVEL_DEBUG, "NVRTC log:\n" + compiled.log);
      ptx = std::move(compiled.ptx);
      image = ptx.c_str();
      from_nvrtc = "PTX from NVRTC " + std::to_string(s.nvrtc.major) + "." +
                   std::to_string(s.nvrtc.minor) + " (" + s.nvrtc.library_path + ")";
      break;
    }
    default:
      return set_error(OHAL_ERROR_UNSUPPORTED, "cuda: kernel format " +
                                                   std::to_string(static_cast<int>(desc->format)) +
                                                   " is not PTX, CUBIN, FATBIN or CUDA_SOURCE");
  }

  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  std::vector<char> error_log(kJitLogSize, '\0');
  jit.add(CU_JIT_ERROR_LOG_BUFFER, reinterpret_cast<uintptr_t>(error_log.data()));
  jit.add(CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, error_log.size());

  auto* module = new (std::nothrow) Module;
  if (module == nullptr) return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cuda: out of memory");
  module->device = &device;
  const CUresult r =
      drv().cuModuleLoadDataEx(&module->module, image, static_cast<unsigned>(jit.keys.size()),
                               jit.keys.data(), jit.values.data());
  if (r != CUDA_SUCCESS) {
    delete module;
    error_log.back() = '\0';
    std::string detail = std::string("format ") + format_name(desc->format);
    if (!from_nvrtc.empty()) detail += ", " + from_nvrtc;
    if (r == CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
      detail += "; the PTX is newer than driver " + std::to_string(drv().version) +
                " can JIT (use an older NVRTC/nvcc, e.g. OHAL_CUDA_NVRTC_PATH, or a CUBIN)";
    }
    if (error_log[0] != '\0') detail += "; JIT log:\n" + std::string(error_log.data());
    // A JIT failure of our own NVRTC output is a build failure of the caller's source.
    const ohal_result_t mapped = map_cu_result(r);
    const bool source = desc->format == OHAL_KERNEL_FORMAT_CUDA_SOURCE;
    return cu_fail_as(
        source && mapped == OHAL_ERROR_INVALID_IMAGE ? OHAL_ERROR_BUILD_FAILED : mapped,
        "cuModuleLoadDataEx", r, detail);
  }
  *out = to_handle<ohal_bmodule_t>(module);
  return OHAL_SUCCESS;
}

ohal_result_t module_unload(ohal_bmodule_t handle) {
  Module* module = from_handle<Module>(handle);
  ohal_result_t result = make_current(*module->device);
  if (result == OHAL_SUCCESS) {
    if (const CUresult r = drv().cuModuleUnload(module->module); r != CUDA_SUCCESS) {
      result = cu_fail("cuModuleUnload", r);
    }
  }
  delete module;  // and its kernels
  return result;
}

ohal_result_t module_get_kernel(ohal_bmodule_t handle, const char* name, ohal_bkernel_t* out) {
  Module& module = *from_handle<Module>(handle);
  std::lock_guard<std::mutex> lock(module.kernels_mutex);
  if (auto it = module.kernels.find(name); it != module.kernels.end()) {
    *out = to_handle<ohal_bkernel_t>(it->second.get());
    return OHAL_SUCCESS;
  }
  if (const ohal_result_t r = make_current(*module.device); r != OHAL_SUCCESS) return r;
  CUfunction function = nullptr;
  if (const CUresult r = drv().cuModuleGetFunction(&function, module.module, name);
      r != CUDA_SUCCESS) {
    return cu_fail(std::string("cuModuleGetFunction('") + name + "')", r);
  }
  auto kernel = std::unique_ptr<Kernel>(new (std::nothrow) Kernel);
  if (kernel == nullptr) return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cuda: out of memory");
  kernel->module = &module;
  kernel->function = function;
  kernel->name = intern_name(name);
  ohal_kernel_properties_t& p = kernel->properties;
  p.struct_size = sizeof(p);
  std::snprintf(p.name, sizeof(p.name), "%s", name);
  p.max_threads_per_block = function_attribute(function, CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
  p.static_shared_bytes = function_attribute(function, CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES);
  describe_arguments(function, p);
  kernel->dynamic_shared_limit.store(
      function_attribute(function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES),
      std::memory_order_relaxed);
  *out = to_handle<ohal_bkernel_t>(kernel.get());
  module.kernels.emplace(name, std::move(kernel));
  return OHAL_SUCCESS;
}

ohal_result_t kernel_get_properties(ohal_bkernel_t handle, ohal_kernel_properties_t* out) {
  const Kernel& kernel = *from_handle<Kernel>(handle);
  const ohal_kernel_properties_t& p = kernel.properties;
  std::memcpy(out->name, p.name, sizeof(out->name));
  out->max_threads_per_block = p.max_threads_per_block;
  out->static_shared_bytes = p.static_shared_bytes;
  out->arg_count_known = p.arg_count_known;
  out->arg_count = p.arg_count;
  std::memcpy(out->arg_sizes, p.arg_sizes, sizeof(out->arg_sizes));
  return OHAL_SUCCESS;
}

}  // namespace ohal::cuda
