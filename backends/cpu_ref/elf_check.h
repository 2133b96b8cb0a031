// Structural checks of a NATIVE_SO image before the dynamic loader sees it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ohal::cpu_ref {

// A PT_LOAD segment of a checked image.
struct LoadSegment {
  uint64_t vaddr;
  uint64_t memsz;
  bool executable;
};

// Checks that data is a 64-bit shared object for this host whose headers, segments, dynamic
// section, string and symbol tables, hash table, version needs and relocations all lie inside
// the image and its segments (glibc's loader trusts them). Returns an empty string when the
// image passes, else why it does not. Machine code itself cannot be checked: a NATIVE_SO image
// is native code and must come from a trusted compiler.
std::string check_elf_image(const unsigned char* data, size_t size,
                            std::vector<LoadSegment>* loads);

}  // namespace ohal::cpu_ref
