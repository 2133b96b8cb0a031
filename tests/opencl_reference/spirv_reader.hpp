// Reads what a Level Zero driver will see of the CTS SPIR-V image: the kernels (OpEntryPoint)
// with the size and kind of each parameter, and the declared capabilities. Level Zero does not
// report argument sizes, so this is where the image is checked against the spec's table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace spirv {

enum class ParamKind {
  value,   // a scalar passed by value
  byval,   // a struct passed by value (a Function pointer decorated FuncParamAttr ByVal)
  global,  // a CrossWorkgroup pointer: an 8-byte device address
  local,   // a Workgroup pointer: the dynamic shared memory, not passed by the launch
  other,
};

struct Param {
  ParamKind kind = ParamKind::other;
  size_t size = 0;  // bytes the launch passes; the pointee's size for byval
};

struct Kernel {
  std::string name;
  std::vector<Param> params;
  // Instructions of the kernel and every function it calls (llvm-spirv wraps each kernel in an
  // entry function that calls the body): opcode -> count, and each OpControlBarrier's memory
  // semantics.
  std::map<uint32_t, unsigned> opcodes;
  std::vector<uint64_t> barrier_semantics;

  unsigned count(uint32_t opcode) const {
    const auto it = opcodes.find(opcode);
    return it == opcodes.end() ? 0 : it->second;
  }
};

// Opcodes the tests look for (SPIR-V 1.2 specification).
enum Op : uint32_t {
  kOpControlBarrier = 224,
  kOpAtomicExchange = 229,
  kOpAtomicCompareExchange = 230,
  kOpAtomicIAdd = 234,
  kOpAtomicSMin = 236,
  kOpAtomicUMin = 237,
  kOpAtomicSMax = 238,
  kOpAtomicUMax = 239,
};

struct Module {
  uint32_t version = 0;  // 0x00MMmm00
  std::vector<uint32_t> capabilities;
  std::vector<Kernel> kernels;
};

// Parses a little-endian module; returns false with `error` on malformed input.
bool read_module(const std::vector<uint32_t>& words, Module& out, std::string& error);

}  // namespace spirv
