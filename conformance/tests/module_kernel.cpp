// Modules and kernels: the CTS kernel set, image and bundle validation, unload.
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../kernels/cts_kernel_set.hpp"
#include "cts.hpp"
#include "openai_hal/bundle.h"

namespace {

struct BundleImage {
  ohal_kernel_format_t format;
  std::string target;
  std::vector<uint8_t> bytes;
};

// An independent reader of the documented bundle layout (include/openai_hal/bundle.h).
std::vector<BundleImage> read_bundle(const std::vector<uint8_t>& bundle) {
  std::vector<BundleImage> images;
  ohal_bundle_header_t header;
  REQUIRE(bundle.size() >= sizeof(header));
  std::memcpy(&header, bundle.data(), sizeof(header));
  REQUIRE(std::memcmp(header.magic, OHAL_BUNDLE_MAGIC, 8) == 0);
  REQUIRE(header.total_size == bundle.size());
  for (uint32_t i = 0; i < header.entry_count; ++i) {
    ohal_bundle_entry_t entry;
    const size_t at = sizeof(header) + i * sizeof(entry);
    REQUIRE(at + sizeof(entry) <= bundle.size());
    std::memcpy(&entry, bundle.data() + at, sizeof(entry));
    REQUIRE(entry.offset + entry.size <= bundle.size());
    BundleImage image;
    image.format = static_cast<ohal_kernel_format_t>(entry.format);
    image.target.assign(entry.target, strnlen(entry.target, sizeof(entry.target)));
    image.bytes.assign(bundle.begin() + static_cast<ptrdiff_t>(entry.offset),
                       bundle.begin() + static_cast<ptrdiff_t>(entry.offset + entry.size));
    images.push_back(std::move(image));
  }
  return images;
}

// Builds a version-1 bundle from images.
std::vector<uint8_t> make_bundle(const std::vector<BundleImage>& images) {
  ohal_bundle_header_t header{};
  std::memcpy(header.magic, OHAL_BUNDLE_MAGIC, 8);
  header.version = OHAL_BUNDLE_VERSION;
  header.entry_count = static_cast<uint32_t>(images.size());
  size_t offset = sizeof(header) + images.size() * sizeof(ohal_bundle_entry_t);
  std::vector<ohal_bundle_entry_t> entries;
  for (const BundleImage& image : images) {
    ohal_bundle_entry_t e{};
    e.format = static_cast<uint32_t>(image.format);
    std::strncpy(e.target, image.target.c_str(), sizeof(e.target) - 1);
    offset = (offset + 15) & ~size_t{15};
    e.offset = offset;
    e.size = image.bytes.size();
    offset += image.bytes.size();
    entries.push_back(e);
  }
  header.total_size = offset;
  std::vector<uint8_t> out(offset, 0);
  std::memcpy(out.data(), &header, sizeof(header));
  std::memcpy(out.data() + sizeof(header), entries.data(), entries.size() * sizeof(entries[0]));
  for (size_t i = 0; i < images.size(); ++i) {
    std::memcpy(out.data() + entries[i].offset, images[i].bytes.data(), images[i].bytes.size());
  }
  return out;
}

bool is_text_format(ohal_kernel_format_t f) {
  return f == OHAL_KERNEL_FORMAT_PTX || f == OHAL_KERNEL_FORMAT_CUDA_SOURCE ||
         f == OHAL_KERNEL_FORMAT_HIP_SOURCE;
}

bool is_source_format(ohal_kernel_format_t f) {
  return f == OHAL_KERNEL_FORMAT_CUDA_SOURCE || f == OHAL_KERNEL_FORMAT_HIP_SOURCE;
}

ohal_result_t load(ohal_kernel_format_t format, const void* data, size_t size, ohal_module_t* out) {
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  desc.format = format;
  desc.data = data;
  desc.size = size;
  return ohal_module_load(cts::device(), &desc, out);
}

std::vector<ohal_kernel_format_t> accepted_formats() {
  std::vector<ohal_kernel_format_t> formats;
  for (uint32_t f = 0; f < OHAL_KERNEL_FORMAT_COUNT_; ++f) {
    if (cts::accepts(static_cast<ohal_kernel_format_t>(f))) {
      formats.push_back(static_cast<ohal_kernel_format_t>(f));
    }
  }
  return formats;
}

}  // namespace

TEST_CASE("module: the CTS bundle provides the kernel set as specified", "[module]") {
  std::string why;
  ohal_module_t m = cts::module(&why);
  if (m == nullptr) CTS_SKIP(why);
  const ohal_device_properties_t& p = cts::props();
  const bool atomics64 = cts::has_cap(OHAL_CAP_ATOMICS_64);
  for (const cts_spec::KernelSpec& spec : cts_spec::kernels()) {
    INFO("kernel " << spec.name);
    ohal_kernel_t k = nullptr;
    const ohal_result_t r = ohal_module_get_kernel(m, spec.name, &k);
    const bool required = spec.required || (spec.needs_atomics_64 && atomics64);
    if (!required && r == OHAL_ERROR_KERNEL_NOT_FOUND) continue;
    REQUIRE_OK(r);
    ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
    REQUIRE_OK(ohal_kernel_get_properties(k, &kp));
    CHECK(std::string(kp.name) == spec.name);
    CHECK(kp.max_threads_per_block >= 1);
    CHECK(kp.max_threads_per_block <= p.max_threads_per_block);
    CHECK(kp.static_shared_bytes <= p.max_shared_bytes_per_block);
    if (p.capabilities & OHAL_CAP_KERNEL_ARG_SIZES) CHECK(kp.arg_count_known == 1u);
    if (kp.arg_count_known) {
      REQUIRE(kp.arg_count == spec.arg_sizes.size());
      for (size_t i = 0; i < spec.arg_sizes.size(); ++i) {
        INFO("argument " << i);
        CHECK(kp.arg_sizes[i] == spec.arg_sizes[i]);
      }
    }
    const std::string name = spec.name;
    if (kp.static_shared_bytes != 0 && name == "cts_reduce_static") {
      CHECK(kp.static_shared_bytes >= 4096u);
    }
    if (kp.static_shared_bytes != 0 && name == "cts_matmul_tiled") {
      CHECK(kp.static_shared_bytes >= 8192u);
    }
  }
}

TEST_CASE("module: get_kernel and kernel properties check their arguments", "[module][errors]") {
  std::string why;
  ohal_module_t m = cts::module(&why);
  if (m == nullptr) CTS_SKIP(why);
  ohal_kernel_t k = nullptr;
  CHECK_RESULT(ohal_module_get_kernel(m, "cts_no_such_kernel", &k), OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK_RESULT(ohal_module_get_kernel(m, "", &k), OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK_RESULT(ohal_module_get_kernel(m, "cts_fill_u32 ", &k), OHAL_ERROR_KERNEL_NOT_FOUND);
  CHECK_RESULT(ohal_module_get_kernel(m, nullptr, &k), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_module_get_kernel(m, "cts_noop", nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_module_get_kernel(nullptr, "cts_noop", &k), OHAL_ERROR_INVALID_HANDLE);
  CHECK(k == nullptr);
  REQUIRE_OK(ohal_module_get_kernel(m, "cts_noop", &k));
  CHECK_RESULT(ohal_module_get_kernel(reinterpret_cast<ohal_module_t>(k), "cts_noop", &k),
               OHAL_ERROR_INVALID_HANDLE);
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  CHECK_RESULT(ohal_kernel_get_properties(k, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_kernel_get_properties(nullptr, &kp), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_kernel_get_properties(reinterpret_cast<ohal_kernel_t>(m), &kp),
               OHAL_ERROR_INVALID_HANDLE);
  kp.struct_size = 0;
  CHECK_RESULT(ohal_kernel_get_properties(k, &kp), OHAL_ERROR_STRUCT_SIZE);
}

TEST_CASE("module: load checks its arguments", "[module][errors]") {
  ohal_device_t dev = cts::device();
  const uint8_t bytes[64] = {1, 2, 3};
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  desc.format = accepted_formats().at(0);
  desc.data = bytes;
  desc.size = sizeof(bytes);
  ohal_module_t m = nullptr;
  CHECK_RESULT(ohal_module_load(dev, nullptr, &m), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_module_load(dev, &desc, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_module_load(nullptr, &desc, &m), OHAL_ERROR_INVALID_HANDLE);
  ohal_module_desc_t d = desc;
  d.data = nullptr;
  CHECK_RESULT(ohal_module_load(dev, &d, &m), OHAL_ERROR_NULL_POINTER);
  d = desc;
  d.size = 0;
  CHECK_RESULT(ohal_module_load(dev, &d, &m), OHAL_ERROR_INVALID_VALUE);
  d = desc;
  d.format = static_cast<ohal_kernel_format_t>(99);
  CHECK_RESULT(ohal_module_load(dev, &d, &m), OHAL_ERROR_INVALID_VALUE);
  d = desc;
  d.struct_size = 0;
  CHECK_RESULT(ohal_module_load(dev, &d, &m), OHAL_ERROR_STRUCT_SIZE);
  for (uint32_t f = 0; f < OHAL_KERNEL_FORMAT_COUNT_; ++f) {
    if (cts::accepts(static_cast<ohal_kernel_format_t>(f))) continue;
    INFO("format " << f << " is not accepted by the device");
    d = desc;
    d.format = static_cast<ohal_kernel_format_t>(f);
    CHECK_RESULT(ohal_module_load(dev, &d, &m), OHAL_ERROR_UNSUPPORTED);
  }
  CHECK(m == nullptr);
}

TEST_CASE("module: corrupt images are rejected without crashing", "[module][errors]") {
  std::mt19937 rng(1234);
  std::vector<BundleImage> real;
  for (const BundleImage& image : read_bundle(cts::bundle_bytes())) {
    if (cts::accepts(image.format)) real.push_back(image);
  }
  for (ohal_kernel_format_t format : accepted_formats()) {
    INFO("format " << static_cast<int>(format));
    std::vector<std::vector<uint8_t>> garbage;
    std::vector<uint8_t> random(4096);
    for (auto& b : random) b = static_cast<uint8_t>(rng());
    garbage.push_back(random);
    garbage.push_back(std::vector<uint8_t>(4096, 0));
    std::vector<uint8_t> elf = random;  // an ELF magic on garbage
    std::memcpy(elf.data(),
                "\x7f"
                "ELF\x02\x01\x01",
                7);
    garbage.push_back(elf);
    std::vector<uint8_t> spirv = random;  // a SPIR-V magic on garbage
    const uint32_t magic = 0x07230203u;
    std::memcpy(spirv.data(), &magic, 4);
    garbage.push_back(spirv);
    for (const BundleImage& image : real) {
      if (image.format != format) continue;
      for (size_t cut :
           {size_t{4}, size_t{16}, size_t{64}, image.bytes.size() / 2, image.bytes.size() - 1}) {
        if (cut == 0 || cut >= image.bytes.size()) continue;
        garbage.emplace_back(image.bytes.begin(),
                             image.bytes.begin() + static_cast<ptrdiff_t>(cut));
      }
    }
    for (size_t i = 0; i < garbage.size(); ++i) {
      INFO("garbage image " << i << " of " << garbage[i].size() << " bytes");
      ohal_module_t m = nullptr;
      const ohal_result_t r = load(format, garbage[i].data(), garbage[i].size(), &m);
      if (r == OHAL_SUCCESS) ohal_module_unload(m);
      // provokes: ohal_module_load OHAL_ERROR_INVALID_IMAGE
      if (is_source_format(format)) {
        CHECK(r == OHAL_ERROR_BUILD_FAILED);
      } else if (is_text_format(format)) {
        CHECK((r == OHAL_ERROR_INVALID_IMAGE || r == OHAL_ERROR_BUILD_FAILED));
      } else {
        CHECK(r == OHAL_ERROR_INVALID_IMAGE);
      }
      if (r != OHAL_SUCCESS) CHECK(std::string(ohal_last_error_message()).size() > 0);
    }
  }
}

TEST_CASE("module: source that does not compile is BUILD_FAILED with the log", "[module][errors]") {
  std::vector<ohal_kernel_format_t> sources;
  for (auto f : {OHAL_KERNEL_FORMAT_CUDA_SOURCE, OHAL_KERNEL_FORMAT_HIP_SOURCE}) {
    if (cts::accepts(f)) sources.push_back(f);
  }
  if (sources.empty()) CTS_SKIP("the device accepts no source format");
  const std::string source =
      "extern \"C\" __global__ void cts_broken(int* p) { p[0] = this_is_not_declared; }\n";
  for (ohal_kernel_format_t f : sources) {
    ohal_module_t m = nullptr;
    CHECK_RESULT(load(f, source.data(), source.size(), &m), OHAL_ERROR_BUILD_FAILED);
    CHECK(std::string(ohal_last_error_message()).find("this_is_not_declared") != std::string::npos);
    // The same source as the only image of a bundle.
    const std::vector<uint8_t> bundle =
        make_bundle({{f, "cts", std::vector<uint8_t>(source.begin(), source.end())}});
    CHECK_RESULT(ohal_module_load_bundle(cts::device(), bundle.data(), bundle.size(), nullptr, &m),
                 OHAL_ERROR_BUILD_FAILED);
  }
}

TEST_CASE("module: bundles are validated before use", "[module][errors]") {
  ohal_device_t dev = cts::device();
  const std::vector<uint8_t>& good = cts::bundle_bytes();
  ohal_module_t m = nullptr;
  auto load_bundle = [&](const std::vector<uint8_t>& bytes) {
    m = nullptr;
    const ohal_result_t r = ohal_module_load_bundle(dev, bytes.data(), bytes.size(), nullptr, &m);
    if (r == OHAL_SUCCESS) ohal_module_unload(m);
    return r;
  };
  const auto want = OHAL_ERROR_INVALID_IMAGE;
  for (size_t cut : {size_t{1}, size_t{8}, size_t{16}, sizeof(ohal_bundle_header_t) + 1,
                     good.size() / 2, good.size() - 1}) {
    INFO("bundle truncated to " << cut << " bytes");
    CHECK_RESULT(
        load_bundle(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<ptrdiff_t>(cut))),
        want);
  }
  std::vector<uint8_t> bad = good;
  bad[0] ^= 0xFF;  // magic
  CHECK_RESULT(load_bundle(bad), want);
  bad = good;
  bad[8] = 99;  // version
  CHECK_RESULT(load_bundle(bad), want);
  bad = good;
  bad.push_back(0);  // total_size no longer matches
  CHECK_RESULT(load_bundle(bad), want);
  bad = good;
  const uint32_t huge_count = 0x7fffffffu;
  std::memcpy(bad.data() + offsetof(ohal_bundle_header_t, entry_count), &huge_count, 4);
  CHECK_RESULT(load_bundle(bad), want);
  bad = good;
  const uint64_t far = uint64_t{1} << 62;  // first entry's image far outside the file
  std::memcpy(bad.data() + sizeof(ohal_bundle_header_t) + offsetof(ohal_bundle_entry_t, offset),
              &far, 8);
  CHECK_RESULT(load_bundle(bad), want);
  bad = good;
  const uint64_t too_big = good.size();  // offset + size overflows the file
  std::memcpy(bad.data() + sizeof(ohal_bundle_header_t) + offsetof(ohal_bundle_entry_t, size),
              &too_big, 8);
  CHECK_RESULT(load_bundle(bad), want);
  std::mt19937 rng(99);
  std::vector<uint8_t> random(good.size());
  for (auto& b : random) b = static_cast<uint8_t>(rng());
  CHECK_RESULT(load_bundle(random), want);

  CHECK_RESULT(ohal_module_load_bundle(dev, nullptr, good.size(), nullptr, &m),
               OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_module_load_bundle(dev, good.data(), good.size(), nullptr, nullptr),
               OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_module_load_bundle(dev, good.data(), 0, nullptr, &m), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_module_load_bundle(nullptr, good.data(), good.size(), nullptr, &m),
               OHAL_ERROR_INVALID_HANDLE);
}

TEST_CASE("module: a bundle picks an accepted image or is UNSUPPORTED", "[module]") {
  const std::vector<BundleImage> images = read_bundle(cts::bundle_bytes());
  std::vector<BundleImage> foreign, usable;
  for (const BundleImage& image : images)
    (cts::accepts(image.format) ? usable : foreign).push_back(image);
  ohal_device_t dev = cts::device();
  // Only formats the device does not accept: nothing to load.
  uint32_t unaccepted = 0;
  while (unaccepted < OHAL_KERNEL_FORMAT_COUNT_ &&
         cts::accepts(static_cast<ohal_kernel_format_t>(unaccepted))) {
    ++unaccepted;
  }
  if (unaccepted < OHAL_KERNEL_FORMAT_COUNT_) {
    std::vector<BundleImage> none = foreign;
    none.push_back(
        {static_cast<ohal_kernel_format_t>(unaccepted), "cts", std::vector<uint8_t>(64, 1)});
    const std::vector<uint8_t> bundle = make_bundle(none);
    ohal_module_t m = nullptr;
    CHECK_RESULT(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, &m),
                 OHAL_ERROR_UNSUPPORTED);
  }
  if (usable.empty()) CTS_SKIP("the CTS bundle has no image for this device");
  // A bundle rebuilt from the usable images (foreign ones first) loads and runs.
  std::vector<BundleImage> mixed = foreign;
  mixed.insert(mixed.end(), usable.begin(), usable.end());
  const std::vector<uint8_t> bundle = make_bundle(mixed);
  cts::Module m;
  REQUIRE_OK(ohal_module_load_bundle(dev, bundle.data(), bundle.size(), nullptr, m.out()));
  ohal_kernel_t fill = nullptr;
  REQUIRE_OK(ohal_module_get_kernel(m, "cts_fill_u32", &fill));
  cts::Stream stream;
  cts::Buffer out(64 * 4);
  REQUIRE_OK(cts::launch(stream, fill, {1}, {64}, 0, out.get(), 64u, 17u));
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 64), std::vector<uint32_t>(64, 17u));
}

TEST_CASE("module: unload waits for its kernels and invalidates them", "[module]") {
  const std::vector<uint8_t>& bundle = cts::bundle_bytes();
  ohal_module_t m = nullptr;
  const ohal_result_t r =
      ohal_module_load_bundle(cts::device(), bundle.data(), bundle.size(), nullptr, &m);
  if (r == OHAL_ERROR_UNSUPPORTED) CTS_SKIP("the CTS bundle has no image for this device");
  REQUIRE_OK(r);
  ohal_kernel_t spin = nullptr, fill = nullptr;
  REQUIRE_OK(ohal_module_get_kernel(m, "cts_spin", &spin));
  REQUIRE_OK(ohal_module_get_kernel(m, "cts_fill_u32", &fill));
  cts::Stream stream;
  cts::Buffer out(8);
  const uint32_t iterations = cts::spin_iterations();
  REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, out.get(), iterations, 8u));
  REQUIRE_OK(ohal_module_unload(m));
  CHECK_OK(ohal_stream_query(stream));  // the unload waited for the device
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 2),
             std::vector<uint32_t>{8u, cts::lcg_power(8u, iterations)});
  ohal_kernel_properties_t kp = OHAL_KERNEL_PROPERTIES_INIT;
  CHECK_RESULT(ohal_kernel_get_properties(spin, &kp), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(cts::launch(stream, fill, {1}, {1}, 0, out.get(), 1u, 1u),
               OHAL_ERROR_INVALID_HANDLE);
  ohal_kernel_t k = nullptr;
  CHECK_RESULT(ohal_module_get_kernel(m, "cts_spin", &k), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_module_unload(m), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_module_unload(nullptr), OHAL_ERROR_INVALID_HANDLE);
  CHECK_OK(ohal_stream_synchronize(stream));  // rejected launches left the stream healthy
}

TEST_CASE("module: two loads of one bundle are independent", "[module]") {
  const std::vector<uint8_t>& bundle = cts::bundle_bytes();
  cts::Module first, second;
  const ohal_result_t r =
      ohal_module_load_bundle(cts::device(), bundle.data(), bundle.size(), nullptr, first.out());
  if (r == OHAL_ERROR_UNSUPPORTED) CTS_SKIP("the CTS bundle has no image for this device");
  REQUIRE_OK(r);
  REQUIRE_OK(
      ohal_module_load_bundle(cts::device(), bundle.data(), bundle.size(), nullptr, second.out()));
  ohal_kernel_t fill1 = nullptr, fill2 = nullptr;
  REQUIRE_OK(ohal_module_get_kernel(first, "cts_fill_u32", &fill1));
  REQUIRE_OK(ohal_module_get_kernel(second, "cts_fill_u32", &fill2));
  REQUIRE_OK(first.unload());
  cts::Stream stream;
  cts::Buffer out(256 * 4);
  REQUIRE_OK(cts::launch(stream, fill2, {4}, {64}, 0, out.get(), 256u, 0xFEEDu));
  CHECK_SAME(cts::download<uint32_t>(stream, out.get(), 256), std::vector<uint32_t>(256, 0xFEEDu));
  CHECK_RESULT(cts::launch(stream, fill1, {4}, {64}, 0, out.get(), 256u, 1u),
               OHAL_ERROR_INVALID_HANDLE);
}
