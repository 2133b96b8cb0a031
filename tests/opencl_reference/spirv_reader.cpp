#include "spirv_reader.hpp"

#include <set>

namespace spirv {
namespace {

// Opcodes, storage classes and decorations used here (SPIR-V 1.2 specification).
enum : uint32_t {
  kOpName = 5,
  kOpEntryPoint = 15,
  kOpCapability = 17,
  kOpTypeInt = 21,
  kOpTypeFloat = 22,
  kOpTypeArray = 28,
  kOpTypeStruct = 30,
  kOpTypePointer = 32,
  kOpConstant = 43,
  kOpFunction = 54,
  kOpFunctionParameter = 55,
  kOpFunctionEnd = 56,
  kOpFunctionCall = 57,
  kOpDecorate = 71,
  kStorageWorkgroup = 4,
  kStorageCrossWorkgroup = 5,
  kStorageFunction = 7,
  kDecorationFuncParamAttr = 38,
  kFuncParamAttrByVal = 2,
};

struct Type {
  uint32_t opcode = 0;
  std::vector<uint32_t> operands;  // the words after the result id
};

struct Reader {
  std::map<uint32_t, Type> types;
  std::map<uint32_t, uint64_t> constants;
  std::map<uint32_t, bool> byval;

  // Size in bytes of a type as C lays it out (arrays and structs of the kernel set: no padding
  // is needed since every member is naturally aligned; the tests compare with sizeof).
  size_t size_of(uint32_t id, int depth = 0) const {
    const auto it = types.find(id);
    if (it == types.end() || depth > 16) return 0;
    const Type& t = it->second;
    switch (t.opcode) {
      case kOpTypeInt:
      case kOpTypeFloat:
        return t.operands.empty() ? 0 : t.operands[0] / 8;
      case kOpTypePointer:
        return 8;  // Physical64 addressing
      case kOpTypeArray: {
        if (t.operands.size() < 2) return 0;
        const auto length = constants.find(t.operands[1]);
        if (length == constants.end()) return 0;
        return size_of(t.operands[0], depth + 1) * length->second;
      }
      case kOpTypeStruct: {
        size_t total = 0;
        for (uint32_t member : t.operands) total += size_of(member, depth + 1);
        return total;
      }
      default:
        return 0;
    }
  }

  Param param(uint32_t type_id, uint32_t param_id) const {
    Param p;
    const auto it = types.find(type_id);
    if (it == types.end()) return p;
    const Type& t = it->second;
    if (t.opcode != kOpTypePointer) {
      p.kind = ParamKind::value;
      p.size = size_of(type_id);
      return p;
    }
    if (t.operands.size() < 2) return p;
    const uint32_t storage = t.operands[0];
    const auto by = byval.find(param_id);
    if (storage == kStorageFunction && by != byval.end() && by->second) {
      p.kind = ParamKind::byval;
      p.size = size_of(t.operands[1]);
    } else if (storage == kStorageCrossWorkgroup) {
      p.kind = ParamKind::global;
      p.size = 8;
    } else if (storage == kStorageWorkgroup) {
      p.kind = ParamKind::local;
      p.size = 8;
    }
    return p;
  }
};

// What one function's body contains, before following its calls.
struct Body {
  std::vector<std::pair<uint32_t, uint32_t>> params;  // (type id, parameter id)
  std::map<uint32_t, unsigned> opcodes;
  std::vector<uint32_t> barrier_semantics;  // constant ids
  std::vector<uint32_t> callees;
};

// Adds `function`'s body and, once each, the bodies of everything it calls.
void collect(const std::map<uint32_t, Body>& bodies, const Reader& reader, uint32_t function,
             std::set<uint32_t>& seen, Kernel& kernel) {
  if (!seen.insert(function).second) return;
  const auto it = bodies.find(function);
  if (it == bodies.end()) return;
  for (const auto& [opcode, n] : it->second.opcodes) kernel.opcodes[opcode] += n;
  for (uint32_t id : it->second.barrier_semantics) {
    const auto c = reader.constants.find(id);
    kernel.barrier_semantics.push_back(c == reader.constants.end() ? ~0ull : c->second);
  }
  for (uint32_t callee : it->second.callees) collect(bodies, reader, callee, seen, kernel);
}

std::string literal_string(const std::vector<uint32_t>& words, size_t first, size_t end) {
  std::string text;
  for (size_t i = first; i < end; ++i) {
    for (int b = 0; b < 4; ++b) {
      const char c = static_cast<char>((words[i] >> (8 * b)) & 0xffu);
      if (c == '\0') return text;
      text.push_back(c);
    }
  }
  return text;
}

}  // namespace

bool read_module(const std::vector<uint32_t>& words, Module& out, std::string& error) {
  out = Module{};
  if (words.size() < 5 || words[0] != 0x07230203u) {
    error = "not a little-endian SPIR-V module";
    return false;
  }
  out.version = words[1];
  Reader reader;
  std::map<uint32_t, std::string> entry_names;  // function id -> kernel name
  std::map<uint32_t, Body> bodies;
  uint32_t current_function = 0;
  for (size_t i = 5; i < words.size();) {
    const uint32_t count = words[i] >> 16;
    const uint32_t opcode = words[i] & 0xffffu;
    if (count == 0 || i + count > words.size()) {
      error = "instruction at word " + std::to_string(i) + " overruns the module";
      return false;
    }
    const size_t end = i + count;
    switch (opcode) {
      case kOpCapability:
        if (count >= 2) out.capabilities.push_back(words[i + 1]);
        break;
      case kOpEntryPoint:
        if (count >= 4) entry_names[words[i + 2]] = literal_string(words, i + 3, end);
        break;
      case kOpTypeInt:
      case kOpTypeFloat:
      case kOpTypeArray:
      case kOpTypeStruct:
      case kOpTypePointer:
        if (count >= 2) {
          reader.types[words[i + 1]] = {
              opcode,
              {words.begin() + static_cast<long>(i) + 2, words.begin() + static_cast<long>(end)}};
        }
        break;
      case kOpConstant:
        // result type, result id, value (one word, or two for 64-bit: low word first)
        if (count >= 4) {
          uint64_t value = words[i + 3];
          if (count >= 5) value |= static_cast<uint64_t>(words[i + 4]) << 32;
          reader.constants[words[i + 2]] = value;
        }
        break;
      case kOpDecorate:
        if (count >= 4 && words[i + 2] == kDecorationFuncParamAttr &&
            words[i + 3] == kFuncParamAttrByVal) {
          reader.byval[words[i + 1]] = true;
        }
        break;
      case kOpFunction:
        current_function = count >= 3 ? words[i + 2] : 0;
        break;
      case kOpFunctionEnd:
        current_function = 0;
        break;
      case kOpFunctionParameter:
        if (count >= 3) bodies[current_function].params.emplace_back(words[i + 1], words[i + 2]);
        break;
      case kOpFunctionCall:  // result type, result id, function, arguments...
        if (count >= 4) bodies[current_function].callees.push_back(words[i + 3]);
        break;
      case kOpControlBarrier:  // execution scope, memory scope, semantics (ids)
        if (count >= 4) bodies[current_function].barrier_semantics.push_back(words[i + 3]);
        break;
      default:
        break;
    }
    if (current_function != 0) ++bodies[current_function].opcodes[opcode];
    i = end;
  }
  for (const auto& [function, name] : entry_names) {
    Kernel kernel;
    kernel.name = name;
    for (const auto& [type, id] : bodies[function].params) {
      kernel.params.push_back(reader.param(type, id));
    }
    std::set<uint32_t> seen;
    collect(bodies, reader, function, seen, kernel);
    out.kernels.push_back(std::move(kernel));
  }
  return true;
}

}  // namespace spirv
