// A bounds-checked SPIR-V reader: validates the container and reflects what the backend needs
// (GLCompute entry points, their work-group size, push-constant argument block, shared memory).
// Pure code on words: it never trusts a count or an id it has not checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ohal::vk::spirv {

constexpr uint32_t kMagic = 0x07230203u;
// SpecIds of the launch conventions (docs/VULKAN_KERNELS.md).
constexpr uint32_t kSpecBlockX = 0, kSpecBlockY = 1, kSpecBlockZ = 2, kSpecSharedBytes = 3;

struct Arg {
  uint32_t offset = 0;  // byte offset in the argument block
  uint32_t size = 0;    // bytes; 0 when the type's size is not known
};

// One dimension of the work-group size.
struct LocalSizeDim {
  bool specialized = false;  // set through specialization constant spec_id
  uint32_t spec_id = 0;
  uint32_t value = 1;  // the literal (or the spec constant's default)
};

struct EntryPoint {
  std::string name;
  uint32_t function_id = 0;
  LocalSizeDim local_size[3];
  bool local_size_id = false;  // given by OpExecutionModeId LocalSizeId
  // Arguments: members of the push-constant block, or of the block it points to (indirect).
  bool has_push_constants = false;
  bool args_known = false;  // every argument's offset and size are known
  // The push constants hold only a pointer to a readonly argument block (no runtime array).
  bool args_indirect = false;
  std::vector<Arg> args;
  uint32_t push_constant_bytes = 0;  // size of the push-constant block itself
  uint32_t args_bytes = 0;           // size of the argument block
  uint32_t static_shared_bytes = 0;  // Workgroup variables of fixed size
  bool uses_dynamic_shared = false;  // a Workgroup variable sized by SpecId 3
};

// Where an OpExecutionModeId LocalSizeId instruction (6 words) sits in the module.
struct LocalSizeIdSite {
  size_t word = 0;
  uint32_t function = 0;
};

struct Module {
  uint32_t version = 0;  // 0x00MMmm00
  uint32_t bound = 0;
  std::vector<uint32_t> capabilities;
  std::vector<std::string> extensions;
  std::vector<EntryPoint> entry_points;  // GLCompute ones only
  uint32_t other_entry_points = 0;       // entry points of other execution models
  std::vector<LocalSizeIdSite> local_size_id_sites;
};

// Parses words[0..count). Returns false with `error` describing the first defect.
bool parse(const uint32_t* words, size_t count, Module& module, std::string& error);

// A copy of a valid module (one `parse` accepted) that keeps only the entry point whose function
// is `function`: other entry points, their execution modes, the functions only they reach and
// the Workgroup variables only those used are dropped, with the names and decorations of what
// was dropped. Drivers and tools that judge a module as a whole (Khronos validation sums every
// Workgroup variable of the module against maxComputeSharedMemorySize) then see one kernel.
// Returns false (out untouched) when the module is not as expected.
bool keep_entry_point(const std::vector<uint32_t>& words, uint32_t function,
                      std::vector<uint32_t>& out);

// Capability names for messages ("Float64"); nullptr for ones this table does not know.
const char* capability_name(uint32_t capability);

}  // namespace ohal::vk::spirv
