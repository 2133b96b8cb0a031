#include "ocl_harness.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

namespace ocl {
namespace {

std::string name_of(cl_int code) {
  switch (code) {
#define OCL_CASE(x) \
  case x:           \
    return #x;
    OCL_CASE(CL_SUCCESS)
    OCL_CASE(CL_DEVICE_NOT_FOUND)
    OCL_CASE(CL_DEVICE_NOT_AVAILABLE)
    OCL_CASE(CL_COMPILER_NOT_AVAILABLE)
    OCL_CASE(CL_MEM_OBJECT_ALLOCATION_FAILURE)
    OCL_CASE(CL_OUT_OF_RESOURCES)
    OCL_CASE(CL_OUT_OF_HOST_MEMORY)
    OCL_CASE(CL_BUILD_PROGRAM_FAILURE)
    OCL_CASE(CL_LINK_PROGRAM_FAILURE)
    OCL_CASE(CL_KERNEL_ARG_INFO_NOT_AVAILABLE)
    OCL_CASE(CL_INVALID_VALUE)
    OCL_CASE(CL_INVALID_PLATFORM)
    OCL_CASE(CL_INVALID_DEVICE)
    OCL_CASE(CL_INVALID_CONTEXT)
    OCL_CASE(CL_INVALID_COMMAND_QUEUE)
    OCL_CASE(CL_INVALID_MEM_OBJECT)
    OCL_CASE(CL_INVALID_BINARY)
    OCL_CASE(CL_INVALID_BUILD_OPTIONS)
    OCL_CASE(CL_INVALID_PROGRAM)
    OCL_CASE(CL_INVALID_PROGRAM_EXECUTABLE)
    OCL_CASE(CL_INVALID_KERNEL_NAME)
    OCL_CASE(CL_INVALID_KERNEL_DEFINITION)
    OCL_CASE(CL_INVALID_KERNEL)
    OCL_CASE(CL_INVALID_ARG_INDEX)
    OCL_CASE(CL_INVALID_ARG_VALUE)
    OCL_CASE(CL_INVALID_ARG_SIZE)
    OCL_CASE(CL_INVALID_KERNEL_ARGS)
    OCL_CASE(CL_INVALID_WORK_DIMENSION)
    OCL_CASE(CL_INVALID_WORK_GROUP_SIZE)
    OCL_CASE(CL_INVALID_WORK_ITEM_SIZE)
    OCL_CASE(CL_INVALID_GLOBAL_OFFSET)
    OCL_CASE(CL_INVALID_EVENT)
    OCL_CASE(CL_INVALID_OPERATION)
    OCL_CASE(CL_INVALID_BUFFER_SIZE)
    OCL_CASE(CL_INVALID_GLOBAL_WORK_SIZE)
    OCL_CASE(CL_INVALID_COMPILER_OPTIONS)
    OCL_CASE(CL_INVALID_LINKER_OPTIONS)
#undef OCL_CASE
    case -1001:
      return "CL_PLATFORM_NOT_FOUND_KHR";  // the ICD loader found no platform
    default:
      return "CL_?";
  }
}

[[noreturn]] void fail(const std::string& call, cl_int code, const std::string& detail = {}) {
  throw std::runtime_error(call + " failed: " + error_name(code) +
                           (detail.empty() ? "" : "\n" + detail));
}

void check(cl_int code, const char* call) {
  if (code != CL_SUCCESS) fail(call, code);
}

std::string device_string(cl_device_id device, cl_device_info what) {
  size_t size = 0;
  if (clGetDeviceInfo(device, what, 0, nullptr, &size) != CL_SUCCESS || size == 0) return {};
  std::string text(size, '\0');
  if (clGetDeviceInfo(device, what, size, text.data(), nullptr) != CL_SUCCESS) return {};
  text.resize(text.find('\0') == std::string::npos ? size : text.find('\0'));
  return text;
}

std::string platform_string(cl_platform_id platform, cl_platform_info what) {
  size_t size = 0;
  if (clGetPlatformInfo(platform, what, 0, nullptr, &size) != CL_SUCCESS || size == 0) return {};
  std::string text(size, '\0');
  if (clGetPlatformInfo(platform, what, size, text.data(), nullptr) != CL_SUCCESS) return {};
  text.resize(text.find('\0') == std::string::npos ? size : text.find('\0'));
  return text;
}

std::string read_file(const char* path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error(std::string("cannot read ") + path);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

std::string build_log(cl_program program, cl_device_id device) {
  size_t size = 0;
  clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size);
  std::string log(size, '\0');
  if (size > 0) {
    clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr);
  }
  return log;
}

void build(cl_program program, cl_device_id device, const std::string& options, const char* what) {
  const cl_int code = clBuildProgram(program, 1, &device, options.c_str(), nullptr, nullptr);
  if (code != CL_SUCCESS) {
    const std::string log = build_log(program, device);
    clReleaseProgram(program);
    fail(std::string("clBuildProgram (") + what + ")", code, log);
  }
}

// The kernel set as one translation unit, as in the SPIR-V image. -Werror keeps the sources
// free of warnings on this compiler too; arg info lets the tests check the signatures.
cl_program build_from_source(const Env& e) {
  const std::string source = read_file(OHAL_CTS_OPENCL_UNITY);
  const char* text = source.c_str();
  const size_t length = source.size();
  cl_int code = CL_SUCCESS;
  cl_program program = clCreateProgramWithSource(e.context, 1, &text, &length, &code);
  check(code, "clCreateProgramWithSource");
  build(program, e.device,
        "-cl-std=CL1.2 -cl-kernel-arg-info -Werror -I " OHAL_CTS_OPENCL_INCLUDE_DIR, "source");
  return program;
}

#ifdef OHAL_CTS_OPENCL_SPIRV
// "OpenCL 3.0 ..." -> 300; 0 when unreadable.
int platform_version(const std::string& version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "OpenCL %d.%d", &major, &minor) != 2) return 0;
  return major * 100 + minor * 10;
}

// The Level Zero image itself, where the device consumes SPIR-V.
cl_program build_from_spirv(Env& e) {
  if (e.il_version.find("SPIR-V") == std::string::npos) {
    e.il_status =
        "the device reports no SPIR-V support (CL_DEVICE_IL_VERSION '" + e.il_version + "')";
    // What the call answers then (OpenCL 2.1+ platforms only: older ICDs lack the entry).
    if (platform_version(e.platform_name) >= 210) {
      const std::string image = read_file(OHAL_CTS_OPENCL_SPIRV);
      cl_int code = CL_SUCCESS;
      cl_program program = clCreateProgramWithIL(e.context, image.data(), image.size(), &code);
      e.il_status += "; clCreateProgramWithIL returned " + error_name(code);
      if (program != nullptr) clReleaseProgram(program);
    }
    return nullptr;
  }
  const std::string image = read_file(OHAL_CTS_OPENCL_SPIRV);
  cl_int code = CL_SUCCESS;
  cl_program program = clCreateProgramWithIL(e.context, image.data(), image.size(), &code);
  check(code, "clCreateProgramWithIL");
  build(program, e.device, "", "SPIR-V");
  e.il_status = "built from the SPIR-V image (" + e.il_version + ")";
  return program;
}

// The SPIR-V image translated back to SPIR bitcode: the module's own code, on a device that
// consumes SPIR (cl_khr_spir) but not SPIR-V. Best effort: a runtime whose LLVM cannot read
// this bitcode is reported, not failed (the source build still runs every test).
cl_program build_from_spir_roundtrip(Env& e) {
  if (!e.has_extension("cl_khr_spir")) return nullptr;
  const std::string bitcode = read_file(OHAL_CTS_OPENCL_SPIR_ROUNDTRIP);
  const auto* bytes = reinterpret_cast<const unsigned char*>(bitcode.data());
  const size_t size = bitcode.size();
  cl_int status = CL_SUCCESS;
  cl_int code = CL_SUCCESS;
  cl_program program =
      clCreateProgramWithBinary(e.context, 1, &e.device, &size, &bytes, &status, &code);
  if (code == CL_SUCCESS) code = status;
  if (code == CL_SUCCESS) {
    code = clBuildProgram(program, 1, &e.device, "-x spir -spir-std=1.2", nullptr, nullptr);
    if (code == CL_SUCCESS) {
      e.il_status += "; the image ran through cl_khr_spir after llvm-spirv -r instead";
      return program;
    }
  }
  e.il_status += "; cl_khr_spir did not take the image after llvm-spirv -r: " + error_name(code);
  if (program != nullptr) {
    e.il_status += " " + build_log(program, e.device);
    clReleaseProgram(program);
  }
  return nullptr;
}
#endif

struct EnvHolder {
  std::unique_ptr<Env> env;
  std::string reason;
  std::string error;
  bool done = false;
  ~EnvHolder() {
    if (!env) return;
    for (auto& p : env->programs) clReleaseProgram(p.program);
    if (env->queue != nullptr) clReleaseCommandQueue(env->queue);
    if (env->context != nullptr) clReleaseContext(env->context);
  }
};

void make_env(EnvHolder& holder) {
  cl_uint platform_count = 0;
  cl_int code = clGetPlatformIDs(0, nullptr, &platform_count);
  if (code != CL_SUCCESS || platform_count == 0) {
    holder.reason = "no OpenCL platform (clGetPlatformIDs: " + error_name(code) + ", " +
                    std::to_string(platform_count) + " platforms)";
    return;
  }
  std::vector<cl_platform_id> platforms(platform_count);
  check(clGetPlatformIDs(platform_count, platforms.data(), nullptr), "clGetPlatformIDs");
  auto e = std::make_unique<Env>();
  for (cl_platform_id platform : platforms) {
    cl_device_id device = nullptr;
    if (clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, nullptr) == CL_SUCCESS) {
      e->platform = platform;
      e->device = device;
      break;
    }
  }
  if (e->device == nullptr) {
    holder.reason =
        "no device on any of the " + std::to_string(platform_count) + " OpenCL platforms";
    return;
  }
  e->platform_name = platform_string(e->platform, CL_PLATFORM_VERSION);
  e->device_name = device_string(e->device, CL_DEVICE_NAME);
  e->extensions = device_string(e->device, CL_DEVICE_EXTENSIONS);
  e->il_version = device_string(e->device, CL_DEVICE_IL_VERSION);
  e->context = clCreateContext(nullptr, 1, &e->device, nullptr, nullptr, &code);
  check(code, "clCreateContext");
  holder.env = std::move(e);  // released by the holder from here on
  Env& env = *holder.env;
  env.queue = clCreateCommandQueue(env.context, env.device, 0, &code);
  check(code, "clCreateCommandQueue");
  env.programs.push_back({"source", build_from_source(env)});
#ifdef OHAL_CTS_OPENCL_SPIRV
  if (cl_program program = build_from_spirv(env)) env.programs.push_back({"spirv", program});
  if (cl_program program = build_from_spir_roundtrip(env)) {
    env.programs.push_back({"spirv-roundtrip", program});
  }
#else
  env.il_status = "the SPIR-V image was not built (clang-14, llvm-spirv-14 or spirv-val missing)";
#endif
}

}  // namespace

std::string error_name(cl_int code) {
  return name_of(code) + " (" + std::to_string(code) + ")";
}

bool Env::has_extension(const char* name) const {
  const std::string padded = " " + extensions + " ";
  return padded.find(std::string(" ") + name + " ") != std::string::npos;
}

Env* env(std::string& reason) {
  static EnvHolder holder;
  if (!holder.done) {
    holder.done = true;
    try {
      make_env(holder);
    } catch (const std::exception& ex) {
      holder.error = ex.what();
    }
  }
  if (!holder.error.empty()) throw std::runtime_error(holder.error);  // every test fails with it
  reason = holder.reason;
  return holder.reason.empty() ? holder.env.get() : nullptr;
}

Buffer::Buffer(const Env& e, const void* data, size_t bytes) : queue_(e.queue), bytes_(bytes) {
  cl_int code = CL_SUCCESS;
  // Never empty: a zero-sized buffer is an error in OpenCL.
  std::vector<unsigned char> zero(bytes == 0 ? 1 : 0);
  mem_ = clCreateBuffer(e.context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, bytes == 0 ? 1 : bytes,
                        bytes == 0 ? zero.data() : const_cast<void*>(data), &code);
  check(code, "clCreateBuffer");
}

Buffer::~Buffer() {
  if (mem_ != nullptr) clReleaseMemObject(mem_);
}

void Buffer::read_into(void* out, size_t bytes) const {
  if (bytes == 0) return;
  check(clEnqueueReadBuffer(queue_, mem_, CL_TRUE, 0, bytes, out, 0, nullptr, nullptr),
        "clEnqueueReadBuffer");
}

Kernel::Kernel(const Program& program, const char* name) : name_(name) {
  cl_int code = CL_SUCCESS;
  kernel_ = clCreateKernel(program.program, name, &code);
  if (code != CL_SUCCESS) fail(std::string("clCreateKernel(") + name + ")", code);
}

Kernel::~Kernel() {
  if (kernel_ != nullptr) clReleaseKernel(kernel_);
}

void Kernel::set_raw(cl_uint index, size_t size, const void* value) {
  const cl_int code = clSetKernelArg(kernel_, index, size, value);
  if (code != CL_SUCCESS) {
    fail("clSetKernelArg(" + name_ + ", " + std::to_string(index) + ", " + std::to_string(size) +
             " bytes)",
         code);
  }
}

cl_int Kernel::launch(const Env& e, Dim3 grid, Dim3 block) {
  const size_t global[3] = {grid.x * block.x, grid.y * block.y, grid.z * block.z};
  const size_t local[3] = {block.x, block.y, block.z};
  const cl_int code =
      clEnqueueNDRangeKernel(e.queue, kernel_, 3, nullptr, global, local, 0, nullptr, nullptr);
  if (code != CL_SUCCESS) return code;
  return clFinish(e.queue);
}

}  // namespace ocl
