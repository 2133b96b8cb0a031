// ohal-spirv-entry: prepares one glslc output for linking into a multi-kernel module.
//
// glslc names every entry point "main", and for Vulkan 1.2 targets it gives the work-group
// size through a module-wide WorkgroupSize built-in, which would clash once several kernels
// share a module. This tool
//   1. renames the GLCompute entry point to the kernel's name, and
//   2. moves a WorkgroupSize built-in onto the entry point: LocalSizeId with the built-in's
//      specialization constants (local_size_*_id), or LocalSize with its literal sizes,
// so spirv-link can merge the results (docs/VULKAN_KERNELS.md, cmake/OhalVulkanKernels.cmake).
// The vulkan backend turns LocalSizeId back into literal sizes per pipeline, so modules made
// this way need no maintenance4.
//
//   ohal-spirv-entry <in.spv> <out.spv> <name> [<old name, default main>]
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace {

constexpr uint32_t kMagic = 0x07230203u;
constexpr uint32_t kOpName = 5, kOpEntryPoint = 15, kOpExecutionMode = 16, kOpConstant = 43,
                   kOpConstantComposite = 44, kOpSpecConstant = 50, kOpSpecConstantComposite = 51,
                   kOpDecorate = 71, kOpExecutionModeId = 331;
constexpr uint32_t kDecorationBuiltIn = 11, kBuiltInWorkgroupSize = 25, kModeLocalSize = 17,
                   kModeLocalSizeId = 38;

std::vector<uint32_t> encode(const std::string& text) {
  std::vector<uint32_t> words(text.size() / 4 + 1, 0);
  std::memcpy(words.data(), text.data(), text.size());
  return words;
}

// Decodes the literal string at words[first..end); false without a NUL.
bool decode(const std::vector<uint32_t>& words, size_t first, size_t end, std::string& out,
            size_t& next) {
  out.clear();
  for (size_t w = first; w < end; ++w) {
    for (int b = 0; b < 4; ++b) {
      const char c = static_cast<char>((words[w] >> (8 * b)) & 0xffu);
      if (c == '\0') {
        next = w + 1;
        return true;
      }
      out.push_back(c);
    }
  }
  return false;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "ohal-spirv-entry: %s\n", message.c_str());
  return 1;
}

struct Instruction {
  size_t at;
  uint32_t op, count;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: ohal-spirv-entry <in.spv> <out.spv> <name> [<old name>]\n");
    return 2;
  }
  const std::string new_name = argv[3];
  const std::string old_name = argc == 5 ? argv[4] : "main";
  if (new_name.empty()) return fail("the new name is empty");
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) return fail(std::string("cannot read ") + argv[1]);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() % 4 != 0 || bytes.size() < 20) return fail("not a SPIR-V module (size)");
  std::vector<uint32_t> words(bytes.size() / 4);
  std::memcpy(words.data(), bytes.data(), bytes.size());
  if (words[0] != kMagic) return fail("not a SPIR-V module (magic)");

  // Pass 1: the instructions, the entry point, the built-in and the constants.
  std::vector<Instruction> list;
  uint32_t entry_id = 0, builtin_id = 0;
  int entries = 0;
  std::map<uint32_t, size_t> definitions;  // result id of constants -> instruction index
  for (size_t at = 5; at < words.size();) {
    const uint32_t count = words[at] >> 16, op = words[at] & 0xffffu;
    if (count == 0 || count > words.size() - at) return fail("malformed instruction stream");
    std::string name;
    size_t next = 0;
    if (op == kOpEntryPoint && count >= 4 && decode(words, at + 3, at + count, name, next) &&
        name == old_name) {
      entry_id = words[at + 2];
      ++entries;
    }
    if (op == kOpDecorate && count >= 4 && words[at + 2] == kDecorationBuiltIn &&
        words[at + 3] == kBuiltInWorkgroupSize) {
      if (builtin_id != 0) return fail("more than one WorkgroupSize built-in");
      builtin_id = words[at + 1];
    }
    if ((op == kOpConstant || op == kOpSpecConstant || op == kOpConstantComposite ||
         op == kOpSpecConstantComposite) &&
        count >= 3)
      definitions[words[at + 2]] = list.size();
    list.push_back({at, op, count});
    at += count;
  }
  if (entries != 1) {
    return fail("expected one entry point named '" + old_name + "', found " +
                std::to_string(entries));
  }

  // The entry's work-group size, when a built-in gives it.
  std::vector<uint32_t> local_size;  // replacement execution-mode instruction
  if (builtin_id != 0) {
    auto def = definitions.find(builtin_id);
    if (def == definitions.end()) return fail("the WorkgroupSize built-in is not a constant");
    const Instruction& c = list[def->second];
    if ((c.op != kOpConstantComposite && c.op != kOpSpecConstantComposite) || c.count != 6)
      return fail("the WorkgroupSize built-in is not a 3-component composite");
    const uint32_t* parts = &words[c.at + 3];
    if (c.op == kOpSpecConstantComposite) {
      if (words[1] < 0x00010200u) return fail("LocalSizeId needs SPIR-V 1.2 or newer");
      local_size = {(6u << 16) | kOpExecutionModeId,
                    entry_id,
                    kModeLocalSizeId,
                    parts[0],
                    parts[1],
                    parts[2]};
    } else {
      local_size = {(6u << 16) | kOpExecutionMode, entry_id, kModeLocalSize, 0, 0, 0};
      for (int d = 0; d < 3; ++d) {
        auto part = definitions.find(parts[d]);
        if (part == definitions.end() || list[part->second].op != kOpConstant)
          return fail("a WorkgroupSize component is not a literal constant");
        local_size[3 + static_cast<size_t>(d)] = words[list[part->second].at + 3];
      }
    }
  }

  // Pass 2: write the module with the changes.
  std::vector<uint32_t> out(words.begin(), words.begin() + 5);
  bool mode_replaced = false;
  for (const Instruction& ins : list) {
    const auto first = words.begin() + static_cast<std::ptrdiff_t>(ins.at);
    const auto last = first + ins.count;
    std::string name;
    size_t next = 0;
    if (ins.op == kOpDecorate && builtin_id != 0 && words[ins.at + 1] == builtin_id &&
        words[ins.at + 2] == kDecorationBuiltIn)
      continue;  // the built-in becomes an execution mode
    if (!local_size.empty() && (ins.op == kOpExecutionMode || ins.op == kOpExecutionModeId) &&
        ins.count >= 3 && words[ins.at + 1] == entry_id &&
        (words[ins.at + 2] == kModeLocalSize || words[ins.at + 2] == kModeLocalSizeId)) {
      out.insert(out.end(), local_size.begin(), local_size.end());
      mode_replaced = true;
      continue;
    }
    const bool entry = ins.op == kOpEntryPoint && words[ins.at + 2] == entry_id &&
                       decode(words, ins.at + 3, ins.at + ins.count, name, next);
    const bool debug_name = ins.op == kOpName && ins.count >= 3 && words[ins.at + 1] == entry_id &&
                            decode(words, ins.at + 2, ins.at + ins.count, name, next);
    if (entry || debug_name) {
      const size_t head = entry ? 3 : 2;
      std::vector<uint32_t> renamed(first, first + static_cast<std::ptrdiff_t>(head));
      for (uint32_t w : encode(new_name)) renamed.push_back(w);
      renamed.insert(renamed.end(), words.begin() + static_cast<std::ptrdiff_t>(next), last);
      renamed[0] = static_cast<uint32_t>(renamed.size() << 16) | ins.op;
      out.insert(out.end(), renamed.begin(), renamed.end());
      continue;
    }
    out.insert(out.end(), first, last);
  }
  if (!local_size.empty() && !mode_replaced)
    return fail("the entry point has no LocalSize execution mode to replace");
  std::ofstream file(argv[2], std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(out.data()),
             static_cast<std::streamsize>(out.size() * 4));
  if (!file) return fail(std::string("cannot write ") + argv[2]);
  return 0;
}
