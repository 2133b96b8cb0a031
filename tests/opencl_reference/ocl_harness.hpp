// A small OpenCL host harness for test_opencl_reference: one shared context and queue on the
// first OpenCL device, the CTS kernel set built from its OpenCL C sources and, where the device
// allows, from the SPIR-V image; RAII buffers and kernels, and CUDA-style launches.
#pragma once

#include <CL/cl.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace ocl {

// "CL_INVALID_VALUE (-30)".
std::string error_name(cl_int code);

// One build of the kernel set: "source" (clBuildProgram from the .cl files), "spirv"
// (clCreateProgramWithIL from the Level Zero image) or "spirv-roundtrip" (that image translated
// back to SPIR bitcode by llvm-spirv -r, through cl_khr_spir).
struct Program {
  std::string origin;
  cl_program program = nullptr;
};

struct Env {
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  cl_context context = nullptr;
  cl_command_queue queue = nullptr;
  std::string platform_name;
  std::string device_name;
  std::string extensions;
  std::string il_version;  // CL_DEVICE_IL_VERSION, empty when the device takes no IL
  std::string il_status;   // what became of clCreateProgramWithIL, for the report
  std::vector<Program> programs;

  bool has_extension(const char* name) const;
};

// The shared environment, made on first use. nullptr (and `reason`) only when there is no
// OpenCL platform or device; any other failure (a build error, a failed native call) throws
// std::runtime_error naming the call, so the test fails with it.
Env* env(std::string& reason);

// Device memory initialised from `init`; read() copies it back (blocking).
class Buffer {
 public:
  template <class T>
  Buffer(const Env& e, const std::vector<T>& init)
      : Buffer(e, init.data(), init.size() * sizeof(T)) {}
  Buffer(const Env& e, const void* data, size_t bytes);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  cl_mem mem() const { return mem_; }
  template <class T>
  std::vector<T> read() const {
    std::vector<T> out(bytes_ / sizeof(T));
    read_into(out.data(), out.size() * sizeof(T));
    return out;
  }

 private:
  void read_into(void* out, size_t bytes) const;
  cl_command_queue queue_;
  cl_mem mem_ = nullptr;
  size_t bytes_;
};

// The trailing __local argument (dynamic shared memory) of `bytes`.
struct Local {
  size_t bytes;
};

struct Dim3 {
  size_t x = 1, y = 1, z = 1;
};

class Kernel {
 public:
  Kernel(const Program& program, const char* name);
  ~Kernel();
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  cl_kernel get() const { return kernel_; }

  // Sets every argument in order; each value's C type gives its size, as ohal_kernel_arg_t's.
  template <class... A>
  void args(const A&... values) {
    cl_uint index = 0;
    (set(index++, values), ...);
  }

  // grid blocks of block threads, as ohal_launch: global size = grid * block. Waits for the
  // kernel; returns the first failing call's code.
  cl_int launch(const Env& e, Dim3 grid, Dim3 block);

 private:
  void set_raw(cl_uint index, size_t size, const void* value);
  void set(cl_uint index, const Buffer& buffer) {
    const cl_mem mem = buffer.mem();
    set_raw(index, sizeof(mem), &mem);
  }
  void set(cl_uint index, const Local& local) { set_raw(index, local.bytes, nullptr); }
  template <class T>
  void set(cl_uint index, const T& value) {
    static_assert(std::is_trivially_copyable_v<T>, "kernel arguments are C values");
    set_raw(index, sizeof(T), &value);
  }

  std::string name_;
  cl_kernel kernel_ = nullptr;
};

}  // namespace ocl

// Binds the shared environment to `var`, or WARNs with the reason and leaves the test.
#define OCL_ENV(var)                           \
  std::string var##_skip_reason;               \
  ocl::Env* var = ocl::env(var##_skip_reason); \
  if (var == nullptr) {                        \
    WARN("skipped: " << var##_skip_reason);    \
    return;                                    \
  }

// A launch (or other call) that must succeed, printing the error's name when it does not.
#define OCL_REQUIRE(call)                                           \
  do {                                                              \
    const cl_int ocl_require_code_ = (call);                        \
    INFO(#call " returned " << ocl::error_name(ocl_require_code_)); \
    REQUIRE(ocl_require_code_ == CL_SUCCESS);                       \
  } while (0)
