#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <iterator>

#include "code_object.h"

using namespace ohal::hip;

namespace {

// EF_AMDGPU_MACH values from LLVM's ELF.h.
constexpr uint32_t kMachGfx90a = 0x3f;
constexpr uint32_t kMachGfx1030 = 0x36;

// A 64-byte ELF header that passes the backend's checks; e_flags carries `mach`.
std::vector<uint8_t> make_elf(uint32_t mach, uint16_t machine = 224) {
  std::vector<uint8_t> elf(64, 0);
  std::memcpy(elf.data(),
              "\x7f"
              "ELF",
              4);
  elf[4] = 2;  // ELFCLASS64
  elf[5] = 1;  // little-endian
  std::memcpy(elf.data() + 18, &machine, sizeof(machine));
  std::memcpy(elf.data() + 48, &mach, sizeof(mach));
  return elf;
}

uint32_t elf_mach(const CodeObjectView& view) {
  uint32_t flags = 0;
  std::memcpy(&flags, view.data + 48, sizeof(flags));
  return flags & 0xff;
}

void put_u64(std::vector<uint8_t>& out, uint64_t value) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
  out.insert(out.end(), bytes, bytes + 8);
}

struct BundleEntry {
  std::string triple;
  std::vector<uint8_t> bytes;
};

// The clang offload bundle layout: magic, count, then (offset, size, triple size, triple) per
// entry, then the entries' bytes.
std::vector<uint8_t> make_bundle(const std::vector<BundleEntry>& entries) {
  std::vector<uint8_t> header(24);
  std::memcpy(header.data(), "__CLANG_OFFLOAD_BUNDLE__", 24);
  put_u64(header, entries.size());
  size_t header_size = header.size();
  for (const auto& entry : entries) header_size += 24 + entry.triple.size();
  uint64_t offset = header_size;
  for (const auto& entry : entries) {
    put_u64(header, offset);
    put_u64(header, entry.bytes.size());
    put_u64(header, entry.triple.size());
    header.insert(header.end(), entry.triple.begin(), entry.triple.end());
    offset += entry.bytes.size();
  }
  for (const auto& entry : entries)
    header.insert(header.end(), entry.bytes.begin(), entry.bytes.end());
  return header;
}

}  // namespace

TEST_CASE("target IDs match by processor and fixed features", "[hip][code_object]") {
  CHECK(target_compatible("gfx90a", "gfx90a:sramecc+:xnack-"));
  CHECK(target_compatible("gfx90a:xnack-", "gfx90a:sramecc+:xnack-"));
  CHECK(target_compatible("gfx90a:sramecc+:xnack-", "gfx90a:sramecc+:xnack-"));
  CHECK_FALSE(target_compatible("gfx90a:xnack+", "gfx90a:sramecc+:xnack-"));
  CHECK_FALSE(target_compatible("gfx908", "gfx90a:sramecc+:xnack-"));
  CHECK_FALSE(target_compatible("gfx90", "gfx90a"));
  CHECK(target_compatible("gfx1030", "gfx1030"));
}

TEST_CASE("a plain AMDGPU ELF is used as is", "[hip][code_object]") {
  const auto elf = make_elf(kMachGfx90a);
  CodeObjectView view;
  std::string error;
  REQUIRE(select_code_object(elf.data(), elf.size(), "gfx90a", view, error) == OHAL_SUCCESS);
  CHECK(view.data == elf.data());
  CHECK(view.size == elf.size());
}

TEST_CASE("images that are not AMDGPU code are rejected with a reason", "[hip][code_object]") {
  CodeObjectView view;
  std::string error;
  const std::string garbage = "this is not a code object, not even close to one; 64 bytes+";
  CHECK(select_code_object(garbage.data(), garbage.size(), "gfx90a", view, error) ==
        OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("not an ELF"));

  const auto x86 = make_elf(0, 62 /* EM_X86_64 */);
  CHECK(select_code_object(x86.data(), x86.size(), "gfx90a", view, error) ==
        OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("e_machine 62"));

  const std::string compressed = "CCOB and then some compressed bytes";
  CHECK(select_code_object(compressed.data(), compressed.size(), "gfx90a", view, error) ==
        OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("--no-offload-compress"));

  CHECK(select_code_object(nullptr, 0, "gfx90a", view, error) == OHAL_ERROR_INVALID_IMAGE);
}

TEST_CASE("the bundle entry for the device is picked", "[hip][code_object]") {
  const auto bundle = make_bundle({{"host-x86_64-unknown-linux", {}},
                                   {"hipv4-amdgcn-amd-amdhsa--gfx90a", make_elf(kMachGfx90a)},
                                   {"hipv4-amdgcn-amd-amdhsa--gfx1030", make_elf(kMachGfx1030)}});
  CHECK(bundle_targets(bundle.data(), bundle.size()) ==
        std::vector<std::string>{"gfx90a", "gfx1030"});
  CodeObjectView view;
  std::string error;
  REQUIRE(select_code_object(bundle.data(), bundle.size(), "gfx1030", view, error) == OHAL_SUCCESS);
  CHECK(elf_mach(view) == kMachGfx1030);
  REQUIRE(select_code_object(bundle.data(), bundle.size(), "gfx90a:sramecc+:xnack-", view, error) ==
          OHAL_SUCCESS);
  CHECK(elf_mach(view) == kMachGfx90a);

  CHECK(select_code_object(bundle.data(), bundle.size(), "gfx942:sramecc+:xnack-", view, error) ==
        OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(error, Catch::Contains("no code object for gfx942") &&
                        Catch::Contains("has: gfx90a, gfx1030"));
}

TEST_CASE("the most specific compatible entry wins", "[hip][code_object]") {
  auto generic = make_elf(kMachGfx90a);
  auto xnack_off = make_elf(kMachGfx90a);
  xnack_off[60] = 1;  // a marker byte to tell the two apart
  auto xnack_on = make_elf(kMachGfx90a);
  xnack_on[60] = 2;
  const auto bundle = make_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx90a", generic},
                                   {"hipv4-amdgcn-amd-amdhsa--gfx90a:xnack+", xnack_on},
                                   {"hipv4-amdgcn-amd-amdhsa--gfx90a:xnack-", xnack_off}});
  CodeObjectView view;
  std::string error;
  REQUIRE(select_code_object(bundle.data(), bundle.size(), "gfx90a:sramecc+:xnack-", view, error) ==
          OHAL_SUCCESS);
  CHECK(view.data[60] == 1);
  REQUIRE(select_code_object(bundle.data(), bundle.size(), "gfx90a:sramecc+:xnack+", view, error) ==
          OHAL_SUCCESS);
  CHECK(view.data[60] == 2);
  // The older "hip-" triple spelling is understood too.
  const auto old_style = make_bundle({{"hip-amdgcn-amd-amdhsa-gfx906", make_elf(0x2f)}});
  CHECK(select_code_object(old_style.data(), old_style.size(), "gfx906:sramecc-:xnack-", view,
                           error) == OHAL_SUCCESS);
}

TEST_CASE("corrupt bundles are rejected, never read past their end", "[hip][code_object]") {
  auto bundle = make_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx90a", make_elf(kMachGfx90a)}});
  CodeObjectView view;
  std::string error;
  SECTION("truncated inside an entry's code") {
    bundle.resize(bundle.size() - 10);
    CHECK(select_code_object(bundle.data(), bundle.size(), "gfx90a", view, error) ==
          OHAL_ERROR_INVALID_IMAGE);
    CHECK_THAT(error, Catch::Contains("past the end"));
  }
  SECTION("truncated in the header") {
    CHECK(select_code_object(bundle.data(), 30, "gfx90a", view, error) == OHAL_ERROR_INVALID_IMAGE);
  }
  SECTION("absurd entry count") {
    const uint64_t count = 1ull << 40;
    std::memcpy(bundle.data() + 24, &count, sizeof(count));
    CHECK(select_code_object(bundle.data(), bundle.size(), "gfx90a", view, error) ==
          OHAL_ERROR_INVALID_IMAGE);
  }
  SECTION("triple size past the end") {
    const uint64_t size = 1ull << 62;
    std::memcpy(bundle.data() + 32 + 16, &size, sizeof(size));
    CHECK(select_code_object(bundle.data(), bundle.size(), "gfx90a", view, error) ==
          OHAL_ERROR_INVALID_IMAGE);
  }
  SECTION("entry that is not ELF") {
    auto bad = make_bundle({{"hipv4-amdgcn-amd-amdhsa--gfx90a", std::vector<uint8_t>(80, 7)}});
    CHECK(select_code_object(bad.data(), bad.size(), "gfx90a", view, error) ==
          OHAL_ERROR_INVALID_IMAGE);
    CHECK_THAT(error, Catch::Contains("hipv4-amdgcn-amd-amdhsa--gfx90a"));
  }
}

#ifdef OHAL_TEST_SAMPLE_HSACO
TEST_CASE("hipcc's two-architecture bundle resolves per device", "[hip][code_object][hipcc]") {
  std::ifstream file(OHAL_TEST_SAMPLE_HSACO, std::ios::binary);
  REQUIRE(file);
  const std::vector<uint8_t> image((std::istreambuf_iterator<char>(file)),
                                   std::istreambuf_iterator<char>());
  const auto targets = bundle_targets(image.data(), image.size());
  CHECK(std::find(targets.begin(), targets.end(), "gfx90a") != targets.end());
  CHECK(std::find(targets.begin(), targets.end(), "gfx1030") != targets.end());
  CodeObjectView view;
  std::string error;
  REQUIRE(select_code_object(image.data(), image.size(), "gfx1030", view, error) == OHAL_SUCCESS);
  CHECK(elf_mach(view) == kMachGfx1030);
  REQUIRE(select_code_object(image.data(), image.size(), "gfx90a:sramecc+:xnack-", view, error) ==
          OHAL_SUCCESS);
  CHECK(elf_mach(view) == kMachGfx90a);
  // The kernel's name is in the code object's symbol table.
  const std::string bytes(reinterpret_cast<const char*>(view.data), view.size);
  CHECK(bytes.find("saxpy") != std::string::npos);
  CHECK(select_code_object(image.data(), image.size(), "gfx908:sramecc+:xnack-", view, error) ==
        OHAL_ERROR_INVALID_IMAGE);
}
#endif
