// Bundles: malformed ones are rejected with INVALID_IMAGE, the best loadable image is chosen,
// and a broken image falls back to the next one.
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <vector>

#include "fixture.hpp"
#include "openai_hal/bundle.h"

using namespace ohal_test;
using Catch::Matchers::Contains;

namespace {

struct Image {
  ohal_kernel_format_t format;
  std::vector<char> bytes;
};

std::vector<char> make_bundle(const std::vector<Image>& images) {
  ohal_bundle_header_t header{};
  std::memcpy(header.magic, OHAL_BUNDLE_MAGIC, 8);
  header.version = OHAL_BUNDLE_VERSION;
  header.entry_count = static_cast<uint32_t>(images.size());
  size_t offset = sizeof(header) + images.size() * sizeof(ohal_bundle_entry_t);
  std::vector<ohal_bundle_entry_t> entries;
  for (const Image& image : images) {
    ohal_bundle_entry_t entry{};
    entry.format = image.format;
    std::strcpy(entry.target, "test");
    entry.offset = offset;
    entry.size = image.bytes.size();
    offset += image.bytes.size();
    entries.push_back(entry);
  }
  header.total_size = offset;
  std::vector<char> out(offset);
  std::memcpy(out.data(), &header, sizeof(header));
  std::memcpy(out.data() + sizeof(header), entries.data(), entries.size() * sizeof(entries[0]));
  for (size_t i = 0; i < images.size(); ++i) {
    std::memcpy(out.data() + entries[i].offset, images[i].bytes.data(), images[i].bytes.size());
  }
  return out;
}

std::vector<char> read_file(const char* path) {
  std::ifstream file(path, std::ios::binary);
  REQUIRE(file.good());
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

ohal_result_t load(ohal_device_t device, const std::vector<char>& bundle, ohal_module_t* module) {
  return ohal_module_load_bundle(device, bundle.data(), bundle.size(), nullptr, module);
}

void check_module_runs(ohal_device_t device, ohal_module_t module) {
  ohal_kernel_t kernel = nullptr;
  REQUIRE(ohal_module_get_kernel(module, "write_block_index", &kernel) == OHAL_SUCCESS);
  ohal_stream_t stream = nullptr;
  REQUIRE(ohal_stream_create(device, 0, &stream) == OHAL_SUCCESS);
  uint32_t* out = nullptr;
  REQUIRE(ohal_mem_alloc(device, 5 * sizeof(uint32_t), OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO,
                         reinterpret_cast<void**>(&out)) == OHAL_SUCCESS);
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  config.grid[0] = 5;
  config.block[0] = 3;
  ohal_kernel_arg_t arg = {&out, sizeof(out)};
  REQUIRE(ohal_launch(stream, kernel, &config, 1, &arg) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_synchronize(stream) == OHAL_SUCCESS);
  uint32_t host[5] = {};
  REQUIRE(ohal_memcpy(host, out, sizeof(host)) == OHAL_SUCCESS);
  for (uint32_t i = 0; i < 5; ++i) CHECK(host[i] == i + 1);
  REQUIRE(ohal_mem_free(out) == OHAL_SUCCESS);
  REQUIRE(ohal_stream_destroy(stream) == OHAL_SUCCESS);
}

}  // namespace

TEST_CASE("bundle: malformed bundles give INVALID_IMAGE") {
  ohal_device_t device = cpu_device();
  const std::vector<char> good =
      make_bundle({{OHAL_KERNEL_FORMAT_NATIVE_SO, read_file(OHAL_TEST_KERNEL_IMAGE)}});
  ohal_module_t module = nullptr;
  struct Corruption {
    const char* what;
    std::function<void(std::vector<char>&)> apply;
    const char* message;
  };
  const std::vector<Corruption> corruptions = {
      {"magic", [](std::vector<char>& b) { b[0] = 'X'; }, "bad magic"},
      {"version", [](std::vector<char>& b) { b[8] = 9; }, "version 9"},
      {"truncated", [](std::vector<char>& b) { b.resize(b.size() - 1); }, "were given"},
      {"tiny", [](std::vector<char>& b) { b.resize(10); }, "too small"},
      {"entry count",
       [](std::vector<char>& b) {
         uint32_t count = 100000;
         std::memcpy(b.data() + 12, &count, 4);
       },
       "entry_count"},
      {"image offset",
       [](std::vector<char>& b) {
         uint64_t offset = 1ull << 62;
         std::memcpy(
             b.data() + sizeof(ohal_bundle_header_t) + offsetof(ohal_bundle_entry_t, offset),
             &offset, 8);
       },
       "outside the bundle"},
      {"image size",
       [](std::vector<char>& b) {
         uint64_t size = ~0ull;
         std::memcpy(b.data() + sizeof(ohal_bundle_header_t) + offsetof(ohal_bundle_entry_t, size),
                     &size, 8);
       },
       "outside the bundle"},
      {"format",
       [](std::vector<char>& b) {
         uint32_t format = 77;
         std::memcpy(b.data() + sizeof(ohal_bundle_header_t), &format, 4);
       },
       "unknown format"},
      {"target",
       [](std::vector<char>& b) {
         std::memset(
             b.data() + sizeof(ohal_bundle_header_t) + offsetof(ohal_bundle_entry_t, target), 'a',
             OHAL_BUNDLE_TARGET_MAX);
       },
       "NUL-terminated"},
  };
  for (const Corruption& c : corruptions) {
    INFO("corruption: " << c.what);
    std::vector<char> bad = good;
    c.apply(bad);
    CHECK(load(device, bad, &module) == OHAL_ERROR_INVALID_IMAGE);
    CHECK_THAT(last_error(), Contains(c.message));
  }
  CHECK(ohal_module_load_bundle(device, nullptr, 10, nullptr, &module) == OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_module_load_bundle(device, good.data(), good.size(), nullptr, nullptr) ==
        OHAL_ERROR_NULL_POINTER);
  CHECK(ohal_module_load_bundle(device, good.data(), 0, nullptr, &module) ==
        OHAL_ERROR_INVALID_VALUE);
  CHECK(ohal_module_load_bundle(nullptr, good.data(), good.size(), nullptr, &module) ==
        OHAL_ERROR_INVALID_HANDLE);
  REQUIRE(load(device, good, &module) == OHAL_SUCCESS);
  check_module_runs(device, module);
  REQUIRE(ohal_module_unload(module) == OHAL_SUCCESS);
}

TEST_CASE("bundle: images the device cannot take are skipped; broken ones fall back") {
  ohal_device_t device = cpu_device();
  const std::vector<char> kernel = read_file(OHAL_TEST_KERNEL_IMAGE);
  const std::vector<char> ptx_only = make_bundle({{OHAL_KERNEL_FORMAT_PTX, {'.', 'v', 'e', 'r'}}});
  ohal_module_t module = nullptr;
  CHECK(load(device, ptx_only, &module) == OHAL_ERROR_UNSUPPORTED);
  CHECK_THAT(last_error(), Contains("none of the bundle's 1 images"));

  std::vector<char> broken(kernel.begin(), kernel.begin() + 200);  // a truncated ELF
  const std::vector<char> fallback = make_bundle({{OHAL_KERNEL_FORMAT_SPIRV_VULKAN, {1, 2, 3, 4}},
                                                  {OHAL_KERNEL_FORMAT_NATIVE_SO, broken},
                                                  {OHAL_KERNEL_FORMAT_NATIVE_SO, kernel}});
  REQUIRE(load(device, fallback, &module) == OHAL_SUCCESS);
  check_module_runs(device, module);
  REQUIRE(ohal_module_unload(module) == OHAL_SUCCESS);

  const std::vector<char> only_broken = make_bundle({{OHAL_KERNEL_FORMAT_NATIVE_SO, broken}});
  CHECK(load(device, only_broken, &module) == OHAL_ERROR_INVALID_IMAGE);
  CHECK_THAT(last_error(), Contains("no image loaded: NATIVE_SO@test"));
}

TEST_CASE("bundle: the ohal-pack tool writes bundles the loader reads") {
  ohal_device_t device = cpu_device();
  const std::string output = std::string(OHAL_TEST_OUTPUT_DIR) + "/packed.ohalb";
  const std::string command = std::string(OHAL_BUNDLE_TOOL) + " -o " + output +
                              " native_so@x86_64=" + OHAL_TEST_KERNEL_IMAGE + " > /dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::vector<char> bundle = read_file(output.c_str());
  ohal_module_t module = nullptr;
  REQUIRE(load(device, bundle, &module) == OHAL_SUCCESS);
  check_module_runs(device, module);
  REQUIRE(ohal_module_unload(module) == OHAL_SUCCESS);
  // Bad command lines fail with usage.
  CHECK(std::system((std::string(OHAL_BUNDLE_TOOL) + " -o x bogus=y 2> /dev/null").c_str()) != 0);
  CHECK(std::system(
            (std::string(OHAL_BUNDLE_TOOL) + " -o x ptx=/nonexistent 2> /dev/null").c_str()) != 0);
}
