// GLSL kernels: fill, saxpy, shared-memory reductions, atomics, argument passing, block shapes.
#include <cmath>
#include <cstring>
#include <numeric>

#include "fixture.hpp"

namespace {

template <typename T>
std::vector<T> read_back(void* src, size_t count) {
  std::vector<T> out(count);
  REQUIRE_OK(ohal_memcpy(out.data(), src, count * sizeof(T)));
  return out;
}

// The address a kernel uses for an allocation.
void* kernel_ptr(void* p) {
  ohal_pointer_attributes_t attr = OHAL_POINTER_ATTRIBUTES_INIT;
  REQUIRE_OK(ohal_pointer_get_attributes(p, &attr));
  if (attr.kind == OHAL_MEM_KIND_DEVICE) return p;
  void* d = nullptr;
  REQUIRE_OK(ohal_mem_get_device_pointer(p, &d));
  return d;
}

}  // namespace

TEST_CASE("vulkan: kernel properties are reflected from SPIR-V", "[kernel]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  ohal_kernel_properties_t p = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(module.kernel("saxpy"), &p));
  CHECK(std::string(p.name) == "saxpy");
  CHECK(p.arg_count_known == 1);
  REQUIRE(p.arg_count == 4);
  CHECK(p.arg_sizes[0] == 4);
  CHECK(p.arg_sizes[1] == 4);
  CHECK(p.arg_sizes[2] == 8);
  CHECK(p.arg_sizes[3] == 8);
  CHECK(p.max_threads_per_block == vktest::properties().max_threads_per_block);

  p = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(module.kernel("block_sum"), &p));
  CHECK(p.max_threads_per_block == 64);  // fixed local_size_x = 64
  CHECK(p.static_shared_bytes == 256);

  p = OHAL_KERNEL_PROPERTIES_INIT;
  REQUIRE_OK(ohal_kernel_get_properties(module.kernel("many_args"), &p));
  REQUIRE(p.arg_count == 5);
  CHECK(p.arg_sizes[1] == 64);
  CHECK(p.arg_sizes[4] == 48);

  ohal_kernel_t missing = nullptr;
  REQUIRE_RESULT(ohal_module_get_kernel(module.get(), "main", &missing),
                 OHAL_ERROR_KERNEL_NOT_FOUND);
}

TEST_CASE("vulkan: fill and saxpy on device, host and shared memory", "[kernel]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  const uint32_t n = 10007;
  const ohal_mem_kind_t kind =
      GENERATE(OHAL_MEM_KIND_DEVICE, OHAL_MEM_KIND_HOST, OHAL_MEM_KIND_SHARED);
  INFO("kind " << kind);
  vktest::Mem x(dev, n * sizeof(float), kind), y(dev, n * sizeof(float), kind);
  void* xp = kernel_ptr(x.get());
  void* yp = kernel_ptr(y.get());
  const float two = 2.0f, three = 3.0f, a = 0.5f;
  const uint32_t block = 128, grid = (n + block - 1) / block;
  REQUIRE_OK(vktest::launch1d(stream, module.kernel("fill"), grid, block,
                              {vktest::arg(xp), vktest::arg(two), vktest::arg(n)}));
  REQUIRE_OK(vktest::launch1d(stream, module.kernel("fill"), grid, block,
                              {vktest::arg(yp), vktest::arg(three), vktest::arg(n)}));
  REQUIRE_OK(vktest::launch1d(stream, module.kernel("saxpy"), grid, block,
                              {vktest::arg(n), vktest::arg(a), vktest::arg(xp), vktest::arg(yp)}));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  const std::vector<float> out = read_back<float>(y.get(), n);
  CHECK(std::count(out.begin(), out.end(), 4.0f) == n);
}

TEST_CASE("vulkan: block sizes are specialization constants, in three dimensions", "[kernel]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  const uint32_t block[3] = {4, 3, 2}, grid[3] = {2, 3, 5};
  uint32_t total = 1;
  for (int d = 0; d < 3; ++d) {
    config.block[d] = block[d];
    config.grid[d] = grid[d];
    total *= block[d] * grid[d];
  }
  vktest::Mem out(dev, total * 4, OHAL_MEM_KIND_DEVICE);
  void* p = out.get();
  ohal_kernel_arg_t args[] = {vktest::arg(p)};
  REQUIRE_OK(ohal_launch(stream, module.kernel("ids3d"), &config, 1, args));
  // The same kernel with another block shape: a second cached pipeline.
  ohal_launch_config_t flat = OHAL_LAUNCH_CONFIG_INIT;
  flat.block[0] = 8;
  flat.grid[0] = 1;
  vktest::Mem out2(dev, 8 * 4, OHAL_MEM_KIND_DEVICE);
  void* p2 = out2.get();
  ohal_kernel_arg_t args2[] = {vktest::arg(p2)};
  REQUIRE_OK(ohal_launch(stream, module.kernel("ids3d"), &flat, 1, args2));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  const std::vector<uint32_t> ids = read_back<uint32_t>(p, total);
  const uint32_t sx = block[0] * grid[0], sy = block[1] * grid[1];
  uint32_t bad = 0;
  for (uint32_t z = 0; z < block[2] * grid[2]; ++z)
    for (uint32_t y = 0; y < sy; ++y)
      for (uint32_t x = 0; x < sx; ++x) {
        const uint32_t expect = (x % block[0]) | ((y % block[1]) << 8) | ((z % block[2]) << 16) |
                                ((z / block[2]) << 24);
        if (ids[x + sx * (y + sy * z)] != expect) ++bad;
      }
  CHECK(bad == 0);
  const std::vector<uint32_t> ids2 = read_back<uint32_t>(p2, 8);
  for (uint32_t i = 0; i < 8; ++i) CHECK(ids2[i] == i);
}

TEST_CASE("vulkan: shared-memory reductions with barrier()", "[kernel]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);

  SECTION("dynamic shared memory through specialization constant 3") {
    const uint32_t block = GENERATE(32u, 256u);
    const uint32_t blocks = 37, n = block * blocks - 5;
    std::vector<float> in(n);
    for (uint32_t i = 0; i < n; ++i) in[i] = static_cast<float>(i % 17);
    vktest::Mem din(dev, n * 4, OHAL_MEM_KIND_DEVICE), dout(dev, blocks * 4, OHAL_MEM_KIND_DEVICE);
    REQUIRE_OK(ohal_memcpy_async(stream, din.get(), in.data(), n * 4));
    void *ip = din.get(), *op = dout.get();
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("reduce_sum"), blocks, block,
                                {vktest::arg(ip), vktest::arg(op), vktest::arg(n)}, block * 4));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    const std::vector<float> out = read_back<float>(op, blocks);
    for (uint32_t b = 0; b < blocks; ++b) {
      float expect = 0;
      for (uint32_t i = b * block; i < std::min(n, (b + 1) * block); ++i) expect += in[i];
      INFO("block " << b);
      CHECK(out[b] == expect);
    }
  }
  SECTION("static shared memory, fixed work-group size") {
    const uint32_t blocks = 50;
    std::vector<uint32_t> in(blocks * 64);
    std::iota(in.begin(), in.end(), 0u);
    vktest::Mem din(dev, in.size() * 4, OHAL_MEM_KIND_DEVICE),
        dout(dev, blocks * 4, OHAL_MEM_KIND_DEVICE);
    REQUIRE_OK(ohal_memcpy_async(stream, din.get(), in.data(), in.size() * 4));
    void *ip = din.get(), *op = dout.get();
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("block_sum"), blocks, 64,
                                {vktest::arg(ip), vktest::arg(op)}));
    // A block size other than the kernel's fixed 64 is refused.
    REQUIRE_RESULT(vktest::launch1d(stream, module.kernel("block_sum"), blocks, 32,
                                    {vktest::arg(ip), vktest::arg(op)}),
                   OHAL_ERROR_INVALID_LAUNCH_CONFIG);
    REQUIRE_OK(ohal_stream_synchronize(stream));
    const std::vector<uint32_t> out = read_back<uint32_t>(op, blocks);
    for (uint32_t b = 0; b < blocks; ++b) CHECK(out[b] == 64 * 64 * b + 63 * 64 / 2);
  }
}

TEST_CASE("vulkan: atomics", "[kernel]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Stream stream(dev);
  SECTION("32-bit atomicAdd from every thread") {
    vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
    const uint32_t n = 100003;
    vktest::Mem counter(dev, 4, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
    vktest::Mem bins(dev, 16 * 4, OHAL_MEM_KIND_SHARED, OHAL_MEM_FLAG_ZERO);
    void *cp = counter.get(), *bp = kernel_ptr(bins.get());
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("atomic_count"), (n + 255) / 256, 256,
                                {vktest::arg(cp), vktest::arg(bp), vktest::arg(n)}));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    CHECK(read_back<uint32_t>(cp, 1)[0] == n);
    const uint32_t* host_bins = bins.as<uint32_t>();  // SHARED: readable from the host
    uint32_t sum = 0;
    for (int b = 0; b < 16; ++b) {
      CHECK(host_bins[b] == n / 16 + (static_cast<uint32_t>(b) < n % 16 ? 1u : 0u));
      sum += host_bins[b];
    }
    CHECK(sum == n);
  }
  SECTION("64-bit atomicAdd where the device offers it") {
    if ((vktest::properties().capabilities & OHAL_CAP_ATOMICS_64) == 0) {
      WARN("device lacks OHAL_CAP_ATOMICS_64");
      return;
    }
    vktest::Module module(dev, OHAL_VK_TEST_KERNELS_INT64);
    const uint32_t n = 5000;
    vktest::Mem sum(dev, 8, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
    void* sp = sum.get();
    REQUIRE_OK(vktest::launch1d(stream, module.kernel("atomic_add64"), (n + 63) / 64, 64,
                                {vktest::arg(sp), vktest::arg(n)}));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    const uint64_t expect = (uint64_t{n} * (n - 1) / 2) << 32;  // overflows 32 bits on purpose
    CHECK(read_back<uint64_t>(sp, 1)[0] == expect);
  }
}

TEST_CASE("vulkan: arguments: structs by value and blocks beyond push-constant space", "[kernel]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Module module(dev, OHAL_VK_TEST_KERNELS);
  vktest::Stream stream(dev);
  vktest::Mem out(dev, 64, OHAL_MEM_KIND_HOST, OHAL_MEM_FLAG_ZERO);
  void* op = kernel_ptr(out.get());

  SECTION("a 12-byte struct between a pointer and a uint") {
    vktest::Module struct_module(dev, OHAL_VK_TEST_KERNELS_STRUCT);
    struct Vec3 {
      float x, y, z;
    } v{1.5f, -2.0f, 4.25f};
    const uint32_t scale = 4;
    REQUIRE_OK(vktest::launch1d(stream, struct_module.kernel("struct_arg"), 1, 1,
                                {vktest::arg(op), vktest::arg(v), vktest::arg(scale)}));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    const float* f = out.as<float>();
    CHECK(f[0] == 6.0f);
    CHECK(f[1] == -8.0f);
    CHECK(f[2] == 17.0f);
  }
  SECTION("136 bytes through a readonly argument block, many launches in one batch") {
    vktest::Mem extra(dev, 4, OHAL_MEM_KIND_DEVICE);
    const float seven = 7.5f;
    REQUIRE_OK(ohal_memcpy(extra.get(), &seven, 4));
    void* ep = extra.get();
    uint32_t a[16];
    for (uint32_t i = 0; i < 16; ++i) a[i] = i + 1;
    uint32_t pad[12] = {};
    const float f = 0.25f;
    // Arguments are copied at the call: changing them afterwards must not matter.
    for (uint32_t round = 0; round < 100; ++round) {
      pad[11] = round;
      REQUIRE_OK(vktest::launch1d(
          stream, module.kernel("many_args"), 1, 1,
          {vktest::arg(op), vktest::arg(a), vktest::arg(f), vktest::arg(ep), vktest::arg(pad)}));
    }
    pad[11] = 12345;
    REQUIRE_OK(ohal_stream_synchronize(stream));
    const float* r = out.as<float>();
    CHECK(r[0] == 136.0f);
    CHECK(r[1] == 0.25f);
    CHECK(r[2] == 7.5f);
    CHECK(r[3] == 99.0f);
  }
  SECTION("argument count and sizes are checked") {
    vktest::Module struct_module(dev, OHAL_VK_TEST_KERNELS_STRUCT);
    const uint32_t scale = 1;
    REQUIRE_RESULT(vktest::launch1d(stream, struct_module.kernel("struct_arg"), 1, 1,
                                    {vktest::arg(op), vktest::arg(scale)}),
                   OHAL_ERROR_INVALID_KERNEL_ARGS);
    const uint64_t wide = 1;
    const float v[3] = {0, 0, 0};
    REQUIRE_RESULT(vktest::launch1d(stream, struct_module.kernel("struct_arg"), 1, 1,
                                    {vktest::arg(op), vktest::arg(v), vktest::arg(wide)}),
                   OHAL_ERROR_INVALID_KERNEL_ARGS);
  }
}

TEST_CASE("vulkan: bad SPIR-V gives INVALID_IMAGE with a reason", "[kernel][module]") {
  VK_DEVICE_OR_SKIP(dev);
  std::vector<char> good = vktest::read_file(OHAL_VK_TEST_KERNELS);
  REQUIRE(good.size() > 64);
  auto load = [&](const void* data, size_t size) {
    ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
    desc.format = OHAL_KERNEL_FORMAT_SPIRV_VULKAN;
    desc.data = data;
    desc.size = size;
    ohal_module_t m = nullptr;
    ohal_result_t r = ohal_module_load(dev, &desc, &m);
    if (r == OHAL_SUCCESS) ohal_module_unload(m);
    return r;
  };
  const char garbage[] = "this is not a SPIR-V module, only some text of a length %4";
  REQUIRE_RESULT(load(garbage, 56), OHAL_ERROR_INVALID_IMAGE);
  CHECK(std::string(ohal_last_error_message()).find("magic") != std::string::npos);
  REQUIRE_RESULT(load(good.data(), good.size() - 2), OHAL_ERROR_INVALID_IMAGE);
  CHECK(std::string(ohal_last_error_message()).find("multiple of 4") != std::string::npos);
  REQUIRE_RESULT(load(good.data(), good.size() / 2 & ~size_t{3}), OHAL_ERROR_INVALID_IMAGE);
  REQUIRE_RESULT(load(good.data(), 16), OHAL_ERROR_INVALID_IMAGE);
  std::vector<char> wrong_version = good;
  wrong_version[5] = 9;  // SPIR-V 1.9
  REQUIRE_RESULT(load(wrong_version.data(), wrong_version.size()), OHAL_ERROR_INVALID_IMAGE);
  // Unaligned data is fine: the image is copied.
  std::vector<char> shifted(good.size() + 1);
  std::memcpy(shifted.data() + 1, good.data(), good.size());
  REQUIRE_OK(load(shifted.data() + 1, good.size()));
}
