#include "spirv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace ohal::vk::spirv {

namespace {

// Opcodes, decorations and enumerants used here (SPIR-V unified spec).
enum Op : uint32_t {
  kOpName = 5,
  kOpMemberName = 6,
  kOpExtension = 10,
  kOpEntryPoint = 15,
  kOpExecutionMode = 16,
  kOpCapability = 17,
  kOpTypeBool = 20,
  kOpTypeInt = 21,
  kOpTypeFloat = 22,
  kOpTypeVector = 23,
  kOpTypeMatrix = 24,
  kOpTypeArray = 28,
  kOpTypeRuntimeArray = 29,
  kOpTypeStruct = 30,
  kOpTypePointer = 32,
  kOpConstant = 43,
  kOpConstantComposite = 44,
  kOpSpecConstant = 50,
  kOpSpecConstantComposite = 51,
  kOpSpecConstantOp = 52,
  kOpFunction = 54,
  kOpFunctionEnd = 56,
  kOpFunctionCall = 57,
  kOpVariable = 59,
  kOpDecorate = 71,
  kOpMemberDecorate = 72,
  kOpGroupDecorate = 74,
  kOpGroupMemberDecorate = 75,
  kOpExecutionModeId = 331,
  kOpDecorateId = 332,
  kOpDecorateString = 5632,
};
constexpr uint32_t kDecorationSpecId = 1, kDecorationBlock = 2, kDecorationArrayStride = 6,
                   kDecorationNonWritable = 24, kDecorationBuiltIn = 11, kDecorationOffset = 35;
constexpr uint32_t kBuiltInWorkgroupSize = 25;
constexpr uint32_t kStorageWorkgroup = 4, kStoragePushConstant = 9,
                   kStoragePhysicalStorageBuffer = 5349;
constexpr uint32_t kModelGLCompute = 5;
constexpr uint32_t kModeLocalSize = 17, kModeLocalSizeId = 38;
constexpr int kMaxTypeDepth = 64;

struct Instruction {
  const uint32_t* words;
  uint32_t count;
  uint32_t opcode() const { return words[0] & 0xffffu; }
};

struct Constant {
  uint32_t opcode = 0;
  uint64_t value = 0;  // literal, or the spec constant's default
  const uint32_t* words = nullptr;
  uint32_t count = 0;
};

struct Variable {
  uint32_t type = 0;
  uint32_t storage = 0;
};

struct Function {
  std::vector<uint32_t> callees;
  std::unordered_set<uint32_t> globals;
};

struct Size {
  bool known = false;
  bool spec_dependent = false;    // an array length is a specialization constant
  bool uses_shared_spec = false;  // ... that depends on SpecId 3
  uint64_t bytes = 0;
  uint32_t align = 1;
};

class Reader {
 public:
  Reader(const uint32_t* words, size_t count) : words_(words), count_(count) {}

  bool run(Module& module, std::string& error) {
    if (!header(module, error)) return false;
    if (!scan(module, error)) return false;
    return reflect(module, error);
  }

 private:
  bool header(Module& module, std::string& error) {
    if (count_ < 5) {
      error = fmt::format("{} bytes is too short for a SPIR-V header (20 bytes)", count_ * 4);
      return false;
    }
    if (words_[0] != kMagic) {
      error =
          words_[0] == 0x03022307u
              ? std::string("SPIR-V module in big-endian byte order")
              : fmt::format("bad SPIR-V magic number {:#010x} (expected 0x07230203)", words_[0]);
      return false;
    }
    module.version = words_[1];
    const uint32_t major = (module.version >> 16) & 0xffu, minor = (module.version >> 8) & 0xffu;
    if ((module.version & 0xff0000ffu) != 0 || major != 1 || minor > 6) {
      error = fmt::format("unsupported SPIR-V version word {:#010x}", module.version);
      return false;
    }
    module.bound = words_[3];
    if (module.bound == 0 || module.bound > (1u << 22)) {
      error = fmt::format("SPIR-V id bound {} is out of range", module.bound);
      return false;
    }
    if (words_[4] != 0) {
      error = fmt::format("SPIR-V schema word {} is not 0", words_[4]);
      return false;
    }
    return true;
  }

  bool check_id(uint32_t id, uint32_t bound, size_t at, std::string& error) const {
    if (id != 0 && id < bound) return true;
    error = fmt::format("id {} at word {} is outside the bound {}", id, at, bound);
    return false;
  }

  // A literal string starting at word `first` of ins; `next` is the word after it.
  static bool read_string(const Instruction& ins, uint32_t first, std::string& out,
                          uint32_t& next) {
    out.clear();
    for (uint32_t w = first; w < ins.count; ++w) {
      for (int b = 0; b < 4; ++b) {
        const char c = static_cast<char>((ins.words[w] >> (8 * b)) & 0xffu);
        if (c == '\0') {
          next = w + 1;
          return true;
        }
        out.push_back(c);
      }
    }
    return false;
  }

  bool scan(Module& module, std::string& error) {
    const uint32_t bound = module.bound;
    uint32_t current_function = 0;
    size_t at = 5;
    while (at < count_) {
      const uint32_t word_count = words_[at] >> 16;
      if (word_count == 0) {
        error = fmt::format("instruction at word {} has a word count of 0", at);
        return false;
      }
      if (word_count > count_ - at) {
        error = fmt::format("instruction at word {} (opcode {}) runs {} words past the end", at,
                            words_[at] & 0xffffu, word_count - (count_ - at));
        return false;
      }
      const Instruction ins{words_ + at, word_count};
      const uint32_t op = ins.opcode();
      auto need = [&](uint32_t n) {
        if (ins.count >= n) return true;
        error = fmt::format("opcode {} at word {} has {} words, needs at least {}", op, at,
                            ins.count, n);
        return false;
      };
      std::string text;
      uint32_t next = 0;
      switch (op) {
        case kOpCapability:
          if (!need(2)) return false;
          module.capabilities.push_back(ins.words[1]);
          break;
        case kOpExtension:
          if (!need(2) || !string_at(ins, 1, text, next, at, error)) return false;
          module.extensions.push_back(text);
          break;
        case kOpEntryPoint: {
          if (!need(4) || !string_at(ins, 3, text, next, at, error)) return false;
          if (!check_id(ins.words[2], bound, at + 2, error)) return false;
          if (ins.words[1] != kModelGLCompute) {
            ++module.other_entry_points;
            break;
          }
          RawEntry entry;
          entry.name = text;
          entry.function = ins.words[2];
          for (uint32_t w = next; w < ins.count; ++w) entry.interface.push_back(ins.words[w]);
          entries_.push_back(std::move(entry));
          break;
        }
        case kOpExecutionMode:
          if (!need(3)) return false;
          if (ins.words[2] == kModeLocalSize) {
            if (!need(6)) return false;
            local_size_[ins.words[1]] = {ins.words[3], ins.words[4], ins.words[5]};
          }
          break;
        case kOpExecutionModeId:
          if (!need(3)) return false;
          if (ins.words[2] == kModeLocalSizeId) {
            if (ins.count != 6) {
              error = fmt::format("LocalSizeId at word {} has {} words, not 6", at, ins.count);
              return false;
            }
            local_size_id_[ins.words[1]] = {ins.words[3], ins.words[4], ins.words[5]};
            module.local_size_id_sites.push_back({at, ins.words[1]});
          }
          break;
        case kOpDecorate:
          if (!need(3)) return false;
          if (ins.words[2] == kDecorationSpecId && need(4)) spec_ids_[ins.words[1]] = ins.words[3];
          if (ins.words[2] == kDecorationBuiltIn && need(4) &&
              ins.words[3] == kBuiltInWorkgroupSize) {
            workgroup_size_builtins_.push_back(ins.words[1]);
          }
          if (ins.words[2] == kDecorationBlock) blocks_.insert(ins.words[1]);
          if (ins.words[2] == kDecorationArrayStride && need(4))
            array_strides_[ins.words[1]] = ins.words[3];
          break;
        case kOpMemberDecorate:
          if (!need(4)) return false;
          if (ins.words[3] == kDecorationNonWritable)
            non_writable_.insert(key(ins.words[1], ins.words[2]));
          if (ins.words[3] == kDecorationOffset) {
            if (!need(5)) return false;
            member_offsets_[key(ins.words[1], ins.words[2])] = ins.words[4];
          }
          break;
        case kOpTypeBool:
        case kOpTypeInt:
        case kOpTypeFloat:
        case kOpTypeVector:
        case kOpTypeMatrix:
        case kOpTypeArray:
        case kOpTypeRuntimeArray:
        case kOpTypeStruct:
        case kOpTypePointer:
          if (!need(2) || !check_id(ins.words[1], bound, at + 1, error)) return false;
          types_[ins.words[1]] = ins;
          break;
        case kOpConstant:
        case kOpSpecConstant:
        case kOpConstantComposite:
        case kOpSpecConstantComposite:
        case kOpSpecConstantOp: {
          if (!need(3) || !check_id(ins.words[2], bound, at + 2, error)) return false;
          Constant c;
          c.opcode = op;
          c.words = ins.words;
          c.count = ins.count;
          if ((op == kOpConstant || op == kOpSpecConstant) && ins.count >= 4) {
            c.value = ins.words[3];
            if (ins.count >= 5) c.value |= uint64_t{ins.words[4]} << 32;
          }
          constants_[ins.words[2]] = c;
          break;
        }
        case kOpVariable:
          if (!need(4) || !check_id(ins.words[2], bound, at + 2, error)) return false;
          if (current_function == 0) globals_[ins.words[2]] = Variable{ins.words[1], ins.words[3]};
          break;
        case kOpFunction:
          if (!need(5) || !check_id(ins.words[2], bound, at + 2, error)) return false;
          if (current_function != 0) {
            error = fmt::format("OpFunction at word {} inside another function", at);
            return false;
          }
          current_function = ins.words[2];
          functions_[current_function];
          break;
        case kOpFunctionEnd:
          if (current_function == 0) {
            error = fmt::format("OpFunctionEnd at word {} outside a function", at);
            return false;
          }
          current_function = 0;
          break;
        default:
          break;
      }
      if (current_function != 0 && op != kOpFunction) {
        Function& fn = functions_[current_function];
        if (op == kOpFunctionCall && ins.count >= 4) fn.callees.push_back(ins.words[3]);
        // Any operand naming a global variable counts as a use (cheap and conservative).
        for (uint32_t w = 1; w < ins.count; ++w) {
          if (globals_.count(ins.words[w]) != 0) fn.globals.insert(ins.words[w]);
        }
      }
      at += word_count;
    }
    if (current_function != 0) {
      error = "the module ends inside a function (no OpFunctionEnd)";
      return false;
    }
    return true;
  }

  bool string_at(const Instruction& ins, uint32_t first, std::string& out, uint32_t& next,
                 size_t at, std::string& error) const {
    if (read_string(ins, first, out, next)) return true;
    error = fmt::format("string operand of opcode {} at word {} is not NUL-terminated",
                        ins.opcode(), at);
    return false;
  }

  static uint64_t key(uint32_t a, uint32_t b) { return (uint64_t{a} << 32) | b; }

  // Whether constant id is (or is computed from) a specialization constant; `shared` is set
  // when SpecId 3 is among them.
  void spec_dependency(uint32_t id, bool& spec, bool& shared, int depth) const {
    if (depth > kMaxTypeDepth) return;
    auto it = constants_.find(id);
    if (it == constants_.end()) return;
    const Constant& c = it->second;
    if (c.opcode == kOpSpecConstant) {
      spec = true;
      auto sid = spec_ids_.find(id);
      if (sid != spec_ids_.end() && sid->second == kSpecSharedBytes) shared = true;
    } else if (c.opcode == kOpSpecConstantOp) {
      spec = true;
      for (uint32_t w = 4; w < c.count; ++w) spec_dependency(c.words[w], spec, shared, depth + 1);
    }
  }

  Size size_of(uint32_t type, int depth) const {
    Size s;
    if (depth > kMaxTypeDepth) return s;
    auto it = types_.find(type);
    if (it == types_.end()) return s;
    const Instruction& t = it->second;
    switch (t.opcode()) {
      case kOpTypeInt:
      case kOpTypeFloat:
        if (t.count < 3 || t.words[2] % 8 != 0 || t.words[2] == 0 || t.words[2] > 64) return s;
        s.known = true;
        s.bytes = t.words[2] / 8;
        s.align = t.words[2] / 8;
        return s;
      case kOpTypeVector:
      case kOpTypeMatrix: {
        if (t.count < 4) return s;
        Size e = size_of(t.words[2], depth + 1);
        if (!e.known) return s;
        s = e;
        s.bytes = e.bytes * t.words[3];
        return s;
      }
      case kOpTypeArray: {
        if (t.count < 4) return s;
        Size e = size_of(t.words[2], depth + 1);
        auto len = constants_.find(t.words[3]);
        if (!e.known || len == constants_.end()) return s;
        s = e;
        spec_dependency(t.words[3], s.spec_dependent, s.uses_shared_spec, 0);
        auto stride = array_strides_.find(type);
        const uint64_t elem = stride != array_strides_.end() ? stride->second : e.bytes;
        s.bytes = s.spec_dependent ? 0 : elem * len->second.value;
        return s;
      }
      case kOpTypeStruct: {
        s.known = true;
        uint64_t running = 0;
        for (uint32_t m = 2; m < t.count; ++m) {
          Size e = size_of(t.words[m], depth + 1);
          if (!e.known || e.spec_dependent) return Size{};
          s.align = std::max(s.align, e.align);
          auto off = member_offsets_.find(key(type, m - 2));
          uint64_t offset = off != member_offsets_.end()
                                ? off->second
                                : (running + e.align - 1) / e.align * e.align;
          running = offset + e.bytes;
          s.bytes = std::max(s.bytes, running);
        }
        s.bytes = (s.bytes + s.align - 1) / s.align * s.align;
        return s;
      }
      case kOpTypePointer:
        if (t.count < 4 || t.words[2] != kStoragePhysicalStorageBuffer) return s;
        s.known = true;
        s.bytes = 8;
        s.align = 8;
        return s;
      default:
        return s;
    }
  }

  // The struct a pointer type points to, or 0.
  uint32_t pointee_struct(uint32_t pointer_type, uint32_t storage) const {
    auto it = types_.find(pointer_type);
    if (it == types_.end() || it->second.opcode() != kOpTypePointer || it->second.count < 4)
      return 0;
    if (it->second.words[2] != storage) return 0;
    auto st = types_.find(it->second.words[3]);
    if (st == types_.end() || st->second.opcode() != kOpTypeStruct) return 0;
    return it->second.words[3];
  }

  // The argument block a push-constant block points to, or 0: the push-constant block's only
  // member is a PhysicalStorageBuffer pointer to a Block whose members are all NonWritable
  // (declared readonly) and none a runtime array (docs/VULKAN_KERNELS.md).
  uint32_t indirect_args_block(uint32_t push_block) const {
    const Instruction& t = types_.at(push_block);
    if (t.count != 3) return 0;
    const uint32_t target = pointee_struct(t.words[2], kStoragePhysicalStorageBuffer);
    if (target == 0 || blocks_.count(target) == 0) return 0;
    const Instruction& args = types_.at(target);
    if (args.count < 3) return 0;
    for (uint32_t m = 2; m < args.count; ++m) {
      if (non_writable_.count(key(target, m - 2)) == 0) return 0;
      auto member = types_.find(args.words[m]);
      if (member != types_.end() && member->second.opcode() == kOpTypeRuntimeArray) return 0;
    }
    return target;
  }

  // Arguments = the members of struct `type`, in declaration order.
  void members_as_args(uint32_t type, EntryPoint& entry) const {
    const Instruction& t = types_.at(type);
    entry.args.clear();
    entry.args_known = t.count - 2 <= 64;
    uint64_t end = 0;
    for (uint32_t m = 2; m < t.count; ++m) {
      Arg arg;
      Size e = size_of(t.words[m], 0);
      auto off = member_offsets_.find(key(type, m - 2));
      if (!e.known || e.spec_dependent || off == member_offsets_.end() || e.bytes > UINT32_MAX) {
        entry.args_known = false;
      } else {
        arg.offset = off->second;
        arg.size = static_cast<uint32_t>(e.bytes);
        end = std::max(end, uint64_t{arg.offset} + arg.size);
      }
      entry.args.push_back(arg);
    }
    entry.args_bytes = static_cast<uint32_t>(std::min<uint64_t>(end, UINT32_MAX));
  }

  LocalSizeDim dim_from_constant(uint32_t id) const {
    LocalSizeDim d;
    auto c = constants_.find(id);
    if (c != constants_.end()) d.value = static_cast<uint32_t>(c->second.value);
    auto sid = spec_ids_.find(id);
    if (c != constants_.end() && c->second.opcode == kOpSpecConstant && sid != spec_ids_.end()) {
      d.specialized = true;
      d.spec_id = sid->second;
    }
    return d;
  }

  // The WorkgroupSize built-in's dimensions; false when absent or not a 3-component constant.
  bool builtin_dims(uint32_t id, LocalSizeDim dims[3]) const {
    auto c = constants_.find(id);
    if (c == constants_.end() || c->second.count != 6 ||
        (c->second.opcode != kOpConstantComposite && c->second.opcode != kOpSpecConstantComposite))
      return false;
    for (int d = 0; d < 3; ++d) dims[d] = dim_from_constant(c->second.words[3 + d]);
    return true;
  }

  static bool same(const LocalSizeDim& a, const LocalSizeDim& b) {
    return a.specialized == b.specialized &&
           (a.specialized ? a.spec_id == b.spec_id : a.value == b.value);
  }

  bool reflect(Module& module, std::string& error) {
    const bool interface_lists_globals = module.version >= 0x00010400u;
    // The built-in applies to every entry point of the module: several that disagree (kernels
    // linked as glslc wrote them) leave the sizes undefined.
    bool has_builtin = false;
    LocalSizeDim builtin[3];
    for (uint32_t id : workgroup_size_builtins_) {
      LocalSizeDim dims[3];
      if (!builtin_dims(id, dims)) {
        error = fmt::format("the WorkgroupSize built-in {} is not a 3-component constant", id);
        return false;
      }
      if (has_builtin &&
          !(same(dims[0], builtin[0]) && same(dims[1], builtin[1]) && same(dims[2], builtin[2]))) {
        error =
            "several WorkgroupSize built-ins with different sizes (kernels linked without "
            "ohal-spirv-entry, see docs/VULKAN_KERNELS.md)";
        return false;
      }
      has_builtin = true;
      for (int d = 0; d < 3; ++d) builtin[d] = dims[d];
    }
    for (const RawEntry& raw : entries_) {
      EntryPoint entry;
      entry.name = raw.name;
      entry.function_id = raw.function;
      if (functions_.count(raw.function) == 0) {
        error = fmt::format("entry point '{}' names function {}, which is not defined", raw.name,
                            raw.function);
        return false;
      }
      // Work-group size: the WorkgroupSize built-in wins over the execution modes.
      auto id_mode = local_size_id_.find(raw.function);
      auto mode = local_size_.find(raw.function);
      if (has_builtin) {
        for (int d = 0; d < 3; ++d) entry.local_size[d] = builtin[d];
      } else if (id_mode != local_size_id_.end()) {
        entry.local_size_id = true;
        for (int d = 0; d < 3; ++d) entry.local_size[d] = dim_from_constant(id_mode->second[d]);
      } else if (mode != local_size_.end()) {
        for (int d = 0; d < 3; ++d) entry.local_size[d].value = mode->second[d];
      }
      // Globals the entry point uses.
      std::unordered_set<uint32_t> used;
      if (interface_lists_globals) {
        used.insert(raw.interface.begin(), raw.interface.end());
      } else {
        std::vector<uint32_t> work{raw.function};
        std::unordered_set<uint32_t> seen{raw.function};
        while (!work.empty()) {
          const uint32_t f = work.back();
          work.pop_back();
          auto fn = functions_.find(f);
          if (fn == functions_.end()) continue;
          used.insert(fn->second.globals.begin(), fn->second.globals.end());
          for (uint32_t callee : fn->second.callees)
            if (seen.insert(callee).second) work.push_back(callee);
        }
      }
      entry.args_known = true;  // no push constants: no arguments
      for (uint32_t id : used) {
        auto var = globals_.find(id);
        if (var == globals_.end()) continue;
        if (var->second.storage == kStoragePushConstant) {
          const uint32_t block = pointee_struct(var->second.type, kStoragePushConstant);
          if (block == 0) {
            entry.args_known = false;
            continue;
          }
          entry.has_push_constants = true;
          members_as_args(block, entry);
          entry.push_constant_bytes = entry.args_bytes;
          const uint32_t target = indirect_args_block(block);
          if (target != 0) {
            entry.args_indirect = true;
            entry.push_constant_bytes = 8;
            members_as_args(target, entry);
          }
        } else if (var->second.storage == kStorageWorkgroup) {
          auto pointer = types_.find(var->second.type);
          if (pointer == types_.end() || pointer->second.count < 4) continue;
          Size s = size_of(pointer->second.words[3], 0);
          if (s.uses_shared_spec) entry.uses_dynamic_shared = true;
          if (s.known && !s.spec_dependent) {
            entry.static_shared_bytes = static_cast<uint32_t>(
                std::min<uint64_t>(uint64_t{entry.static_shared_bytes} + s.bytes, UINT32_MAX));
          }
        }
      }
      module.entry_points.push_back(std::move(entry));
    }
    return true;
  }

  struct RawEntry {
    std::string name;
    uint32_t function = 0;
    std::vector<uint32_t> interface;
  };

  const uint32_t* words_;
  size_t count_;
  std::vector<RawEntry> entries_;
  std::unordered_set<uint32_t> blocks_;
  std::unordered_set<uint64_t> non_writable_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> local_size_, local_size_id_;
  std::unordered_map<uint32_t, uint32_t> spec_ids_, array_strides_;
  std::unordered_map<uint64_t, uint32_t> member_offsets_;
  std::unordered_map<uint32_t, Instruction> types_;
  std::unordered_map<uint32_t, Constant> constants_;
  std::unordered_map<uint32_t, Variable> globals_;
  std::unordered_map<uint32_t, Function> functions_;
  std::vector<uint32_t> workgroup_size_builtins_;
};

}  // namespace

bool parse(const uint32_t* words, size_t count, Module& module, std::string& error) {
  module = Module{};
  Reader reader(words, count);
  return reader.run(module, error);
}

namespace {

// The word of an instruction's result id inside a function, or 0 when it has none. Value
// instructions are <result type> <result id> ...; a wrong guess only names a global id, which
// keep_entry_point never drops.
uint32_t result_word(uint32_t op, uint32_t count) {
  switch (op) {
    case 248:  // OpLabel
      return count >= 2 ? 1 : 0;
    case 8:    // OpLine
    case 62:   // OpStore
    case 63:   // OpCopyMemory
    case 224:  // OpControlBarrier
    case 225:  // OpMemoryBarrier
    case 246:  // OpLoopMerge
    case 247:  // OpSelectionMerge
    case 249:  // OpBranch
    case 250:  // OpBranchConditional
    case 251:  // OpSwitch
    case 254:  // OpReturnValue
    case 317:  // OpNoLine
      return 0;
    default:
      return count >= 3 ? 2 : 0;
  }
}

// Debug and annotation instructions: they name ids, they define none.
bool names_only(uint32_t op) {
  switch (op) {
    case 3:  // OpSource
    case 4:  // OpSourceExtension
    case kOpName:
    case kOpMemberName:
    case 8:  // OpLine
    case kOpEntryPoint:
    case kOpExecutionMode:
    case kOpDecorate:
    case kOpMemberDecorate:
    case kOpGroupDecorate:
    case kOpGroupMemberDecorate:
    case 330:  // OpModuleProcessed
    case kOpExecutionModeId:
    case kOpDecorateId:
    case kOpDecorateString:
    case 5633:  // OpMemberDecorateString
      return true;
    default:
      return false;
  }
}

}  // namespace

bool keep_entry_point(const std::vector<uint32_t>& words, uint32_t function,
                      std::vector<uint32_t>& out) {
  const size_t count = words.size();
  if (count < 5) return false;
  struct Range {
    size_t begin = 0, end = 0;
    std::vector<uint32_t> callees;
    std::vector<uint32_t> ids;  // result ids defined inside (see result_word)
  };
  std::unordered_map<uint32_t, Range> functions;
  std::unordered_set<uint32_t> global_ids;  // ids the module defines outside functions
  std::unordered_set<uint32_t> workgroup_vars;
  bool found_entry = false;
  uint32_t current = 0;
  for (size_t at = 5; at < count;) {
    const uint32_t n = words[at] >> 16, op = words[at] & 0xffffu;
    if (n == 0 || n > count - at) return false;
    if (op == kOpEntryPoint && n >= 3 && words[at + 2] == function) found_entry = true;
    if (op == kOpFunction) {
      if (current != 0 || n < 3) return false;
      current = words[at + 2];
      functions[current].begin = at;
    }
    if (current != 0) {
      Range& f = functions[current];
      if (const uint32_t w = result_word(op, n); w != 0) f.ids.push_back(words[at + w]);
      if (op == kOpFunctionCall && n >= 4) f.callees.push_back(words[at + 3]);
    } else if (!names_only(op)) {
      // Types define word 1, constants and variables word 2: take both (a superset).
      if (n >= 2) global_ids.insert(words[at + 1]);
      if (n >= 3) global_ids.insert(words[at + 2]);
      if (op == kOpVariable && n >= 4 && words[at + 3] == kStorageWorkgroup)
        workgroup_vars.insert(words[at + 2]);
    }
    if (op == kOpFunctionEnd) {
      if (current == 0) return false;
      functions[current].end = at + n;
      current = 0;
    }
    at += n;
  }
  if (!found_entry || current != 0 || functions.count(function) == 0) return false;

  // Functions the entry point reaches.
  std::unordered_set<uint32_t> reached{function};
  std::vector<uint32_t> work{function};
  while (!work.empty()) {
    auto f = functions.find(work.back());
    work.pop_back();
    if (f == functions.end()) return false;
    for (uint32_t callee : f->second.callees)
      if (reached.insert(callee).second) work.push_back(callee);
  }
  // Workgroup variables those functions name (any operand: conservative), and their ids.
  std::unordered_set<uint32_t> kept_ids, used_vars;
  for (uint32_t id : reached) {
    const Range& f = functions.at(id);
    kept_ids.insert(f.ids.begin(), f.ids.end());
    for (size_t at = f.begin; at < f.end; at += words[at] >> 16) {
      const uint32_t n = words[at] >> 16;
      for (uint32_t w = 1; w < n; ++w)
        if (workgroup_vars.count(words[at + w]) != 0) used_vars.insert(words[at + w]);
    }
  }
  std::unordered_set<uint32_t> dropped;
  for (const auto& [id, range] : functions) {
    if (reached.count(id) != 0) continue;
    for (uint32_t r : range.ids)
      if (global_ids.count(r) == 0 && kept_ids.count(r) == 0) dropped.insert(r);
    dropped.insert(id);
  }
  for (uint32_t id : workgroup_vars)
    if (used_vars.count(id) == 0) dropped.insert(id);

  std::vector<uint32_t> result(words.begin(), words.begin() + 5);
  result.reserve(count);
  for (size_t at = 5; at < count;) {
    const uint32_t n = words[at] >> 16, op = words[at] & 0xffffu;
    bool keep = true;
    switch (op) {
      case kOpEntryPoint:
      case kOpExecutionMode:
      case kOpExecutionModeId:
        keep = words[at + (op == kOpEntryPoint ? 2 : 1)] == function;
        break;
      case kOpName:
      case kOpMemberName:
      case kOpDecorate:
      case kOpMemberDecorate:
      case kOpDecorateId:
      case kOpDecorateString:
      case 5633:  // OpMemberDecorateString
        keep = n < 2 || dropped.count(words[at + 1]) == 0;
        break;
      case kOpGroupDecorate:
      case kOpGroupMemberDecorate:
        return false;  // decoration groups: not produced by glslc, not handled here
      case kOpVariable:
        keep = n < 3 || dropped.count(words[at + 2]) == 0;
        break;
      case kOpFunction: {
        const uint32_t id = words[at + 2];
        if (reached.count(id) == 0) {
          at = functions.at(id).end;
          continue;
        }
        break;
      }
      default:
        break;
    }
    if (keep)
      result.insert(result.end(), words.begin() + static_cast<std::ptrdiff_t>(at),
                    words.begin() + static_cast<std::ptrdiff_t>(at + n));
    at += n;
  }
  out = std::move(result);
  return true;
}

const char* capability_name(uint32_t capability) {
  switch (capability) {
    case 1:
      return "Shader";
    case 9:
      return "Float16";
    case 10:
      return "Float64";
    case 11:
      return "Int64";
    case 12:
      return "Int64Atomics";
    case 22:
      return "Int16";
    case 39:
      return "Int8";
    case 61:
      return "GroupNonUniform";
    case 62:
      return "GroupNonUniformVote";
    case 63:
      return "GroupNonUniformArithmetic";
    case 64:
      return "GroupNonUniformBallot";
    case 65:
      return "GroupNonUniformShuffle";
    case 66:
      return "GroupNonUniformShuffleRelative";
    case 67:
      return "GroupNonUniformClustered";
    case 68:
      return "GroupNonUniformQuad";
    case 4433:
      return "StorageBuffer16BitAccess";
    case 4434:
      return "UniformAndStorageBuffer16BitAccess";
    case 4435:
      return "StoragePushConstant16";
    case 4448:
      return "StorageBuffer8BitAccess";
    case 4449:
      return "UniformAndStorageBuffer8BitAccess";
    case 4450:
      return "StoragePushConstant8";
    case 5345:
      return "VulkanMemoryModel";
    case 5346:
      return "VulkanMemoryModelDeviceScope";
    case 5347:
      return "PhysicalStorageBufferAddresses";
    case 6033:
      return "AtomicFloat32AddEXT";
    case 6034:
      return "AtomicFloat64AddEXT";
    default:
      return nullptr;
  }
}

}  // namespace ohal::vk::spirv
