// The kernel set as built: names, signatures, static local memory, the SPIR-V image's entry
// points and parameter sizes, and whether the device also builds the SPIR-V image.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string_view>

#include "cts_kernel_set.hpp"
#include "cts_types.h"
#include "ocl_harness.hpp"
#include "spirv_reader.hpp"

namespace {

// The one kernel with dynamic shared memory: a trailing __local parameter the launch omits.
bool has_trailing_local(const char* name) {
  return std::string_view(name) == "cts_dynamic_reverse";
}

// Every kernel the OpenCL port provides: the whole table but cts_trap (no trap in OpenCL C).
std::set<std::string> expected_names() {
  std::set<std::string> names;
  for (const auto& k : cts_spec::kernels()) {
    if (std::string_view(k.name) != "cts_trap") names.insert(k.name);
  }
  return names;
}

std::set<std::string> program_kernel_names(cl_program program) {
  size_t size = 0;
  OCL_REQUIRE(clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, 0, nullptr, &size));
  std::string text(size, '\0');
  OCL_REQUIRE(clGetProgramInfo(program, CL_PROGRAM_KERNEL_NAMES, size, text.data(), nullptr));
  text.resize(text.find('\0') == std::string::npos ? size : text.find('\0'));
  std::set<std::string> names;
  std::stringstream stream(text);
  for (std::string name; std::getline(stream, name, ';');) names.insert(name);
  return names;
}

std::string arg_string(cl_kernel kernel, cl_uint index, cl_kernel_arg_info what) {
  size_t size = 0;
  OCL_REQUIRE(clGetKernelArgInfo(kernel, index, what, 0, nullptr, &size));
  std::string text(size, '\0');
  OCL_REQUIRE(clGetKernelArgInfo(kernel, index, what, size, text.data(), nullptr));
  text.resize(text.find('\0') == std::string::npos ? size : text.find('\0'));
  return text;
}

// Byte size of an OpenCL C parameter type as the host passes it (pointers: device addresses).
size_t size_of_type_name(const std::string& type) {
  if (!type.empty() && type.back() == '*') return 8;
  static const std::pair<const char*, size_t> sizes[] = {{"uchar", 1},
                                                         {"char", 1},
                                                         {"uint8_t", 1},
                                                         {"int8_t", 1},
                                                         {"ushort", 2},
                                                         {"short", 2},
                                                         {"uint16_t", 2},
                                                         {"int16_t", 2},
                                                         {"uint", 4},
                                                         {"int", 4},
                                                         {"uint32_t", 4},
                                                         {"int32_t", 4},
                                                         {"float", 4},
                                                         {"ulong", 8},
                                                         {"long", 8},
                                                         {"uint64_t", 8},
                                                         {"int64_t", 8},
                                                         {"cts_struct64_t", 64},
                                                         {"struct cts_struct64", 64}};
  for (const auto& [name, size] : sizes) {
    if (type == name) return size;
  }
  return 0;
}

}  // namespace

TEST_CASE("kernel set: every kernel of the spec is built and cts_trap is absent",
          "[opencl][kernel_set]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    CHECK(program_kernel_names(program.program) == expected_names());
    cl_int code = CL_SUCCESS;
    cl_kernel trap = clCreateKernel(program.program, "cts_trap", &code);
    CHECK(trap == nullptr);
    CHECK(ocl::error_name(code) == ocl::error_name(CL_INVALID_KERNEL_NAME));
    if (trap != nullptr) clReleaseKernel(trap);
  }
}

TEST_CASE("kernel set: parameters match the spec's sizes and address spaces",
          "[opencl][kernel_set]") {
  OCL_ENV(e);
  const ocl::Program& source = e->programs.front();  // arg info: source builds only
  for (const auto& k : cts_spec::kernels()) {
    if (std::string_view(k.name) == "cts_trap") continue;
    INFO("kernel " << k.name);
    ocl::Kernel kernel(source, k.name);
    const bool local = has_trailing_local(k.name);
    cl_uint count = 0;
    OCL_REQUIRE(clGetKernelInfo(kernel.get(), CL_KERNEL_NUM_ARGS, sizeof(count), &count, nullptr));
    REQUIRE(count == k.arg_sizes.size() + (local ? 1 : 0));
    for (cl_uint i = 0; i < count; ++i) {
      const std::string type = arg_string(kernel.get(), i, CL_KERNEL_ARG_TYPE_NAME);
      INFO("parameter " << i << " of type " << type);
      cl_kernel_arg_address_qualifier space = 0;
      OCL_REQUIRE(clGetKernelArgInfo(kernel.get(), i, CL_KERNEL_ARG_ADDRESS_QUALIFIER,
                                     sizeof(space), &space, nullptr));
      if (i == k.arg_sizes.size()) {  // the trailing dynamic shared memory
        CHECK(space == CL_KERNEL_ARG_ADDRESS_LOCAL);
        continue;
      }
      const bool pointer = !type.empty() && type.back() == '*';
      CHECK(space == (pointer ? CL_KERNEL_ARG_ADDRESS_GLOBAL : CL_KERNEL_ARG_ADDRESS_PRIVATE));
      CHECK(size_of_type_name(type) == k.arg_sizes[i]);
    }
  }
}

TEST_CASE("kernel set: static local memory of the reduction and the tiled matmul",
          "[opencl][kernel_set]") {
  OCL_ENV(e);
  for (const auto& program : e->programs) {
    INFO("program built from " << program.origin);
    for (const auto& [name, bytes] : {std::pair<const char*, cl_ulong>{"cts_reduce_static", 4096},
                                      {"cts_matmul_tiled", 8192}}) {
      INFO("kernel " << name);
      ocl::Kernel kernel(program, name);
      cl_ulong local = 0;
      OCL_REQUIRE(clGetKernelWorkGroupInfo(kernel.get(), e->device, CL_KERNEL_LOCAL_MEM_SIZE,
                                           sizeof(local), &local, nullptr));
      CHECK(local >= bytes);
    }
  }
}

TEST_CASE("kernel set: clCreateProgramWithIL with the Level Zero SPIR-V image",
          "[opencl][kernel_set][spirv]") {
  OCL_ENV(e);
  WARN("device: " << e->device_name << " on " << e->platform_name
                  << "; SPIR-V image: " << e->il_status);
  const bool built = std::any_of(e->programs.begin(), e->programs.end(),
                                 [](const ocl::Program& p) { return p.origin == "spirv"; });
  // A device that claims SPIR-V must build the image (otherwise make_env already failed).
  CHECK(built == (e->il_version.find("SPIR-V") != std::string::npos));
}

#ifdef OHAL_CTS_OPENCL_SPIRV
namespace {

spirv::Module read_image() {
  std::ifstream file(OHAL_CTS_OPENCL_SPIRV, std::ios::binary);
  REQUIRE(file);
  const std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() % 4 == 0);
  std::vector<uint32_t> words(bytes.size() / 4);
  std::memcpy(words.data(), bytes.data(), bytes.size());
  spirv::Module module;
  std::string error;
  const bool read = spirv::read_module(words, module, error);
  INFO(error);
  REQUIRE(read);
  return module;
}

}  // namespace

TEST_CASE("kernel set: the SPIR-V image has every kernel with the spec's parameter sizes",
          "[opencl][kernel_set][spirv]") {
  const spirv::Module module = read_image();
  CHECK(module.version <= 0x00010200u);  // SPIR-V 1.2, what every Level Zero driver accepts
  const auto has_capability = [&](uint32_t c) {
    return std::find(module.capabilities.begin(), module.capabilities.end(), c) !=
           module.capabilities.end();
  };
  CHECK(has_capability(6));   // Kernel: an OpenCL module
  CHECK(!has_capability(1));  // not a Vulkan Shader module

  std::set<std::string> names;
  for (const auto& kernel : module.kernels) names.insert(kernel.name);
  CHECK(names == expected_names());
  for (const auto& k : cts_spec::kernels()) {
    const auto it = std::find_if(module.kernels.begin(), module.kernels.end(),
                                 [&](const spirv::Kernel& m) { return m.name == k.name; });
    if (it == module.kernels.end()) continue;
    INFO("kernel " << k.name);
    const bool local = has_trailing_local(k.name);
    REQUIRE(it->params.size() == k.arg_sizes.size() + (local ? 1 : 0));
    for (size_t i = 0; i < k.arg_sizes.size(); ++i) {
      INFO("parameter " << i);
      CHECK(it->params[i].size == k.arg_sizes[i]);
      CHECK(it->params[i].kind != spirv::ParamKind::other);
      CHECK(it->params[i].kind != spirv::ParamKind::local);
    }
    if (local) CHECK(it->params.back().kind == spirv::ParamKind::local);
  }
  // The struct travels by value with its C size, as zeKernelSetArgumentValue passes it.
  const auto args_struct =
      std::find_if(module.kernels.begin(), module.kernels.end(),
                   [](const spirv::Kernel& m) { return m.name == "cts_args_struct"; });
  REQUIRE(args_struct != module.kernels.end());
  CHECK(args_struct->params[2].kind == spirv::ParamKind::byval);
  CHECK(args_struct->params[2].size == sizeof(cts_struct64_t));
}

// What a CPU run cannot prove (PoCL serialises work-items and inserts barriers in loops itself):
// the image's atomics are device atomics with the spec's signedness, and its barriers are
// work-group barriers over local and global memory.
TEST_CASE("kernel set: the SPIR-V image uses device atomics and work-group barriers",
          "[opencl][kernel_set][spirv]") {
  const spirv::Module module = read_image();
  const auto kernel = [&](const char* name) -> const spirv::Kernel& {
    const auto it = std::find_if(module.kernels.begin(), module.kernels.end(),
                                 [&](const spirv::Kernel& k) { return k.name == name; });
    if (it == module.kernels.end()) FAIL("kernel " << name << " not in the image");
    return *it;
  };
  for (const char* name : {"cts_atomic32", "cts_atomic64"}) {
    INFO("kernel " << name);
    const spirv::Kernel& k = kernel(name);
    CHECK(k.count(spirv::kOpAtomicIAdd) == 3);  // add, the atomic read, the signed add
    CHECK(k.count(spirv::kOpAtomicUMax) == 1);
    CHECK(k.count(spirv::kOpAtomicUMin) == 1);
    CHECK(k.count(spirv::kOpAtomicSMin) == 1);
    CHECK(k.count(spirv::kOpAtomicSMax) == 1);
    CHECK(k.count(spirv::kOpAtomicExchange) == 1);
    CHECK(k.count(spirv::kOpAtomicCompareExchange) == 1);
  }
  CHECK(kernel("cts_atomic_f32").count(spirv::kOpAtomicCompareExchange) == 1);

  // Barriers: the reduction's two, the reversal's one, the matmul's two per tile.
  const std::pair<const char*, unsigned> barriers[] = {
      {"cts_reduce_static", 2}, {"cts_dynamic_reverse", 1}, {"cts_matmul_tiled", 2}};
  for (const auto& [name, count] : barriers) {
    INFO("kernel " << name);
    const spirv::Kernel& k = kernel(name);
    CHECK(k.count(spirv::kOpControlBarrier) == count);
    REQUIRE(k.barrier_semantics.size() == count);
    for (const uint64_t semantics : k.barrier_semantics) {
      CHECK((semantics & 0x100u) != 0);  // WorkgroupMemory
      CHECK((semantics & 0x200u) != 0);  // CrossWorkgroupMemory
    }
  }
  for (const auto& k : module.kernels) {
    if (std::string_view(k.name) == "cts_reduce_static" ||
        std::string_view(k.name) == "cts_dynamic_reverse" ||
        std::string_view(k.name) == "cts_matmul_tiled") {
      continue;
    }
    INFO("kernel " << k.name);
    CHECK(k.count(spirv::kOpControlBarrier) == 0);
  }
}
#else
TEST_CASE("kernel set: the SPIR-V image has every kernel with the spec's parameter sizes",
          "[opencl][kernel_set][spirv]") {
  WARN("skipped: the SPIR-V image was not built (clang-14, llvm-spirv-14 or spirv-val missing)");
}
#endif
