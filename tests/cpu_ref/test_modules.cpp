// NATIVE_SO modules: loading from memory, rejecting corrupt images, leaving nothing behind.
#include <dirent.h>
#include <elf.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

#include "fixture.h"

using namespace cpu_ref_test;

namespace {

ohal_result_t load(const std::vector<unsigned char>& image, ohal_module_t* m) {
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  desc.format = OHAL_KERNEL_FORMAT_NATIVE_SO;
  desc.data = image.data();
  desc.size = image.size();
  return ohal_module_load(env().device, &desc, m);
}

// Open descriptors and mappings of cpu_ref's memfds.
int memfd_traces() {
  int found = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(dir)) {
      char link[PATH_MAX] = {};
      const std::string path = std::string("/proc/self/fd/") + e->d_name;
      if (readlink(path.c_str(), link, sizeof link - 1) > 0 &&
          std::strstr(link, "ohal_cpu_ref_module") != nullptr) {
        ++found;
      }
    }
    closedir(dir);
  }
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("ohal_cpu_ref_module") != std::string::npos) ++found;
  }
  return found;
}

void expect_invalid(const std::vector<unsigned char>& image, const char* what) {
  ohal_module_t m = nullptr;
  const ohal_result_t r = load(image, &m);
  INFO(what << ": " << ohal_result_string(r) << ": " << ohal_last_error_message());
  CHECK(r == OHAL_ERROR_INVALID_IMAGE);
  CHECK(std::string(ohal_last_error_message()).size() > 0);
  if (r == OHAL_SUCCESS) ohal_module_unload(m);
}

// File ranges the dynamic loader parses: ELF and program headers, dynamic tags, hash, string
// and version tables and relocation types. Where tables and code are (dynamic values), where a
// relocation writes, which symbol it names and what it adds are the image's own data, like its
// code: a NATIVE_SO image is native code from a trusted compiler.
std::vector<std::pair<uint64_t, uint64_t>> loader_tables(const std::vector<unsigned char>& image) {
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  Elf64_Ehdr eh;
  std::memcpy(&eh, image.data(), sizeof eh);
  ranges.emplace_back(0, sizeof eh);
  ranges.emplace_back(eh.e_phoff, uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr));
  std::vector<Elf64_Shdr> sections(eh.e_shnum);
  std::memcpy(sections.data(), image.data() + eh.e_shoff, eh.e_shnum * sizeof(Elf64_Shdr));
  const char* names =
      reinterpret_cast<const char*>(image.data()) + sections.at(eh.e_shstrndx).sh_offset;
  for (const auto& sh : sections) {
    const std::string name = names + sh.sh_name;
    if (name == ".dynamic") {
      // The tags; values that locate tables or code are the image's own business.
      for (uint64_t e = 0; e < sh.sh_size; e += sizeof(Elf64_Dyn)) {
        ranges.emplace_back(sh.sh_offset + e, sizeof(Elf64_Sxword));
      }
    } else if (name == ".gnu.hash" || name == ".dynstr" || name == ".gnu.version" ||
               name == ".gnu.version_r") {
      ranges.emplace_back(sh.sh_offset, sh.sh_size);
    } else if (name == ".rela.dyn" || name == ".rela.plt") {
      for (uint64_t e = 0; e < sh.sh_size; e += sizeof(Elf64_Rela)) {
        ranges.emplace_back(sh.sh_offset + e + 8, 4);  // the type in r_info
      }
    }
  }
  return ranges;
}

}  // namespace

TEST_CASE("cpu_ref: modules load from memory and leave nothing behind", "[cpu_ref][module]") {
  const auto image = read_file(kernel_image_path());
  env();  // its own module stays loaded
  const int before = memfd_traces();
  for (int i = 0; i < 20; ++i) {
    ohal_module_t a = nullptr, b = nullptr;
    OHAL_OK(load(image, &a));
    OHAL_OK(load(image, &b));  // the same image twice: two independent modules
    ohal_kernel_t ka = nullptr, kb = nullptr;
    OHAL_OK(ohal_module_get_kernel(a, "add_one", &ka));
    OHAL_OK(ohal_module_get_kernel(b, "add_one", &kb));
    CHECK(ka != kb);
    Stream s;
    Buffer d(16 * 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
    OHAL_OK(launch(s, ka, {1}, {16}, 0, 16u, d.as<uint32_t>()));
    OHAL_OK(launch(s, kb, {1}, {16}, 0, 16u, d.as<uint32_t>()));
    OHAL_OK(ohal_stream_synchronize(s));
    const auto v = download<uint32_t>(d.get(), 16);
    CHECK(std::count(v.begin(), v.end(), 2u) == 16);
    OHAL_OK(ohal_module_unload(a));
    OHAL_OK(ohal_module_unload(b));
  }
  CHECK(memfd_traces() == before);
}

TEST_CASE("cpu_ref: corrupt NATIVE_SO images are rejected", "[cpu_ref][module]") {
  const auto image = read_file(kernel_image_path());
  REQUIRE(image.size() > 4096);
  env();  // its own module stays loaded
  const int before = memfd_traces();

  for (size_t keep : {size_t{10}, size_t{63}, size_t{64}, size_t{200}, image.size() / 3,
                      image.size() / 2, image.size() - 1}) {
    expect_invalid(std::vector<unsigned char>(image.begin(), image.begin() + keep), "truncated");
  }

  // OHAL_TEST_FUZZ_SEED picks other corruptions (the default keeps runs reproducible).
  const char* seed = std::getenv("OHAL_TEST_FUZZ_SEED");
  std::mt19937 rng(seed != nullptr ? static_cast<unsigned>(std::strtoul(seed, nullptr, 10)) : 7u);
  std::vector<unsigned char> noise(8192);
  for (int i = 0; i < 20; ++i) {
    for (auto& c : noise) c = static_cast<unsigned char>(rng());
    expect_invalid(noise, "random bytes");
    // Random bytes behind a valid ELF identification.
    std::memcpy(noise.data(), image.data(), 16);
    expect_invalid(noise, "random bytes behind an ELF header");
  }

  // Corruption of what the dynamic loader parses is caught before dlopen or by it.
  for (const auto& [offset, bytes] : loader_tables(image)) {
    for (int trial = 0; trial < (bytes > 16 ? 40 : 6); ++trial) {
      std::vector<unsigned char> corrupt = image;
      const uint64_t at = offset + rng() % bytes;
      corrupt[at] = static_cast<unsigned char>(corrupt[at] ^ (1u + rng() % 255));
      if (seed != nullptr) {  // exploring other seeds: say what is tried before a crash can
        std::fprintf(stderr, "corrupting byte %llu: %02x -> %02x\n",
                     static_cast<unsigned long long>(at), image[at], corrupt[at]);
      }
      ohal_module_t m = nullptr;
      const ohal_result_t r = load(corrupt, &m);
      INFO("byte " << at << ": " << ohal_result_string(r) << ": " << ohal_last_error_message());
      CHECK((r == OHAL_SUCCESS || r == OHAL_ERROR_INVALID_IMAGE));
      if (r == OHAL_SUCCESS) ohal_module_unload(m);
      REQUIRE(memfd_traces() == before);  // unloaded for good
    }
  }

  auto patched = [&](size_t at, std::vector<unsigned char> bytes) {
    std::vector<unsigned char> copy = image;
    std::memcpy(copy.data() + at, bytes.data(), bytes.size());
    return copy;
  };
  expect_invalid(patched(18, {183, 0}), "wrong machine (aarch64)");
  expect_invalid(patched(18, {3, 0}), "wrong machine (i386)");
  expect_invalid(patched(4, {1}), "32-bit class");
  expect_invalid(patched(5, {2}), "big-endian");
  expect_invalid(patched(16, {2, 0}), "ET_EXEC");
  expect_invalid(patched(0, {0x7f, 'E', 'L', 'G'}), "bad magic");

  expect_invalid(read_file(not_kernels_image_path()), "a shared object without kernels");
  CHECK(std::string(ohal_last_error_message()).find("ohal_cpu_kernel_table") != std::string::npos);

  CHECK(memfd_traces() == before);
  // The good image still loads.
  ohal_module_t m = nullptr;
  OHAL_OK(load(image, &m));
  OHAL_OK(ohal_module_unload(m));
}

TEST_CASE("cpu_ref: kernel lookup", "[cpu_ref][module]") {
  ohal_kernel_t k = nullptr;
  CHECK(ohal_module_get_kernel(env().module, "no_such_kernel", &k) == OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK(ohal_module_get_kernel(env().module, "add_on", &k) == OHAL_ERROR_KERNEL_NOT_FOUND);
  OHAL_OK(ohal_module_get_kernel(env().module, "empty", &k));
  ohal_kernel_properties_t p = OHAL_KERNEL_PROPERTIES_INIT;
  OHAL_OK(ohal_kernel_get_properties(k, &p));
  CHECK(p.arg_count_known == 1);
  CHECK(p.arg_count == 0);
  Stream s;
  OHAL_OK(launch(s, k, {7, 3, 2}, {5, 3, 1}, 0));
  OHAL_OK(ohal_stream_synchronize(s));
}
