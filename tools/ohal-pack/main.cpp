// ohal-pack: writes several kernel images into one bundle (include/openai_hal/bundle.h).
//   ohal-pack -o OUT FORMAT[@TARGET]=FILE ...
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "openai_hal/bundle.h"
#include "openai_hal/ohal.h"

namespace {

struct Input {
  ohal_kernel_format_t format;
  std::string target;
  std::string path;
  std::vector<char> bytes;
};

const char* const kFormatNames[] = {"native_so",  "ptx",          "cubin",
                                    "fatbin",     "cuda_source",  "hsaco",
                                    "hip_source", "spirv_opencl", "spirv_vulkan"};

int usage() {
  std::fprintf(
      stderr,
      "usage: ohal-pack -o OUT FORMAT[@TARGET]=FILE ...\n"
      "  FORMAT: native_so ptx cubin fatbin cuda_source hsaco hip_source spirv_opencl "
      "spirv_vulkan\n"
      "  TARGET: free text under %d bytes naming the chip or ABI (sm_90, gfx90a, x86_64)\n",
      OHAL_BUNDLE_TARGET_MAX);
  return 2;
}

bool parse_input(const std::string& spec, Input& input) {
  const size_t equals = spec.find('=');
  if (equals == std::string::npos) return false;
  std::string format = spec.substr(0, equals);
  input.path = spec.substr(equals + 1);
  const size_t at = format.find('@');
  if (at != std::string::npos) {
    input.target = format.substr(at + 1);
    format.resize(at);
  }
  if (input.target.size() >= OHAL_BUNDLE_TARGET_MAX) return false;
  for (uint32_t i = 0; i < OHAL_KERNEL_FORMAT_COUNT_; ++i) {
    if (format == kFormatNames[i]) {
      input.format = static_cast<ohal_kernel_format_t>(i);
      return !input.path.empty();
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string output;
  std::vector<Input> inputs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-o" && i + 1 < argc) {
      output = argv[++i];
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else {
      Input input{};
      if (!parse_input(arg, input)) {
        std::fprintf(stderr, "ohal-pack: bad image spec '%s'\n", arg.c_str());
        return usage();
      }
      inputs.push_back(std::move(input));
    }
  }
  if (output.empty() || inputs.empty() || inputs.size() > OHAL_BUNDLE_MAX_ENTRIES) return usage();

  for (Input& input : inputs) {
    std::ifstream file(input.path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "ohal-pack: cannot read %s: %s\n", input.path.c_str(),
                   std::strerror(errno));
      return 1;
    }
    input.bytes.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    if (input.bytes.empty()) {
      std::fprintf(stderr, "ohal-pack: %s is empty\n", input.path.c_str());
      return 1;
    }
  }

  ohal_bundle_header_t header{};
  std::memcpy(header.magic, OHAL_BUNDLE_MAGIC, sizeof(header.magic));
  header.version = OHAL_BUNDLE_VERSION;
  header.entry_count = static_cast<uint32_t>(inputs.size());
  uint64_t offset = sizeof(header) + inputs.size() * sizeof(ohal_bundle_entry_t);
  std::vector<ohal_bundle_entry_t> entries;
  for (const Input& input : inputs) {
    offset = (offset + 15) & ~uint64_t{15};  // images 16-byte aligned
    ohal_bundle_entry_t entry{};
    entry.format = static_cast<uint32_t>(input.format);
    std::memcpy(entry.target, input.target.data(), input.target.size());
    entry.offset = offset;
    entry.size = input.bytes.size();
    entries.push_back(entry);
    offset += input.bytes.size();
  }
  header.total_size = offset;

  std::vector<char> bundle(offset, 0);
  std::memcpy(bundle.data(), &header, sizeof(header));
  std::memcpy(bundle.data() + sizeof(header), entries.data(),
              entries.size() * sizeof(ohal_bundle_entry_t));
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::memcpy(bundle.data() + entries[i].offset, inputs[i].bytes.data(), inputs[i].bytes.size());
  }
  const std::string temporary = output + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file.write(bundle.data(), static_cast<std::streamsize>(bundle.size()));
    if (!file) {
      std::fprintf(stderr, "ohal-pack: cannot write %s\n", temporary.c_str());
      return 1;
    }
  }
  if (std::rename(temporary.c_str(), output.c_str()) != 0) {
    std::fprintf(stderr, "ohal-pack: cannot rename to %s: %s\n", output.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::printf("ohal-pack: %s: %zu images, %llu bytes\n", output.c_str(), inputs.size(),
              static_cast<unsigned long long>(offset));
  return 0;
}
