// Copies in every direction between pageable memory and the three kinds, and 8/16/32-bit fills.
#include <cstring>
#include <numeric>

#include "fixture.hpp"

namespace {

enum class Place { kPageable, kDevice, kHost, kShared };

const char* name(Place p) {
  switch (p) {
    case Place::kPageable:
      return "pageable";
    case Place::kDevice:
      return "DEVICE";
    case Place::kHost:
      return "HOST";
    default:
      return "SHARED";
  }
}

// A buffer in one place, filled and read through the blocking copies.
struct Buffer {
  Buffer(ohal_device_t dev, Place p, size_t size) : place(p) {
    if (p == Place::kPageable) {
      pageable.resize(size);
      ptr = pageable.data();
    } else {
      const ohal_mem_kind_t kind = p == Place::kDevice ? OHAL_MEM_KIND_DEVICE
                                   : p == Place::kHost ? OHAL_MEM_KIND_HOST
                                                       : OHAL_MEM_KIND_SHARED;
      mem = std::make_unique<vktest::Mem>(dev, size, kind);
      ptr = mem->get();
    }
  }
  void write(const std::vector<unsigned char>& data) {
    if (place == Place::kPageable) {
      std::memcpy(ptr, data.data(), data.size());
    } else {
      REQUIRE_OK(ohal_memcpy(ptr, data.data(), data.size()));
    }
  }
  std::vector<unsigned char> read(size_t size) {
    std::vector<unsigned char> out(size);
    if (place == Place::kPageable) {
      std::memcpy(out.data(), ptr, size);
    } else {
      REQUIRE_OK(ohal_memcpy(out.data(), ptr, size));
    }
    return out;
  }
  Place place;
  std::vector<unsigned char> pageable;
  std::unique_ptr<vktest::Mem> mem;
  void* ptr = nullptr;
};

std::vector<unsigned char> pattern(size_t size, unsigned seed) {
  std::vector<unsigned char> v(size);
  for (size_t i = 0; i < size; ++i)
    v[i] = static_cast<unsigned char>((i * 131 + seed * 7 + (i >> 8)) & 0xff);
  return v;
}

}  // namespace

TEST_CASE("vulkan: memcpy_async between every pair of places", "[copy]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Stream stream(dev);
  const Place places[] = {Place::kPageable, Place::kDevice, Place::kHost, Place::kShared};
  // Odd sizes and offsets; 40 MiB crosses the 16 MiB staging chunks.
  const size_t size = GENERATE(size_t{1}, size_t{4099}, size_t{40} << 20);
  const size_t total = size + 64;
  unsigned seed = 1;
  for (Place from : places) {
    for (Place to : places) {
      INFO(name(from) << " -> " << name(to) << ", " << size << " bytes");
      Buffer src(dev, from, total), dst(dev, to, total);
      const std::vector<unsigned char> in = pattern(total, seed++);
      const std::vector<unsigned char> before = pattern(total, seed++);
      src.write(in);
      dst.write(before);
      // Copy [3, 3 + size) of src to [17, 17 + size) of dst.
      REQUIRE_OK(ohal_memcpy_async(stream, static_cast<char*>(dst.ptr) + 17,
                                   static_cast<char*>(src.ptr) + 3, size));
      REQUIRE_OK(ohal_stream_synchronize(stream));
      const std::vector<unsigned char> out = dst.read(total);
      std::vector<unsigned char> expected = before;
      std::memcpy(expected.data() + 17, in.data() + 3, size);
      CHECK(out == expected);
    }
  }
}

TEST_CASE("vulkan: a pageable source may be reused as soon as memcpy_async returns", "[copy]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Stream stream(dev);
  const size_t n = 1 << 16;
  vktest::Mem a(dev, n, OHAL_MEM_KIND_DEVICE), b(dev, n, OHAL_MEM_KIND_DEVICE);
  // Keep the stream busy so the copies are staged, then overwrite the source at once.
  std::vector<unsigned char> host(n, 1);
  REQUIRE_OK(ohal_memcpy_async(stream, a.get(), host.data(), n));
  std::fill(host.begin(), host.end(), 2);
  REQUIRE_OK(ohal_memcpy_async(stream, b.get(), host.data(), n));
  std::fill(host.begin(), host.end(), 3);
  std::vector<unsigned char> out_a(n), out_b(n);
  REQUIRE_OK(ohal_memcpy_async(stream, out_a.data(), a.get(), n));
  REQUIRE_OK(ohal_memcpy_async(stream, out_b.data(), b.get(), n));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK(std::count(out_a.begin(), out_a.end(), 1) == static_cast<std::ptrdiff_t>(n));
  CHECK(std::count(out_b.begin(), out_b.end(), 2) == static_cast<std::ptrdiff_t>(n));
}

TEST_CASE("vulkan: memset_async with 8, 16 and 32-bit patterns leaves neighbours alone", "[copy]") {
  VK_DEVICE_OR_SKIP(dev);
  vktest::Stream stream(dev);
  const Place place = GENERATE(Place::kDevice, Place::kHost, Place::kShared, Place::kPageable);
  const uint32_t element = GENERATE(1u, 2u, 4u);
  const size_t total = 4096;
  // (offset in elements, count): aligned and unaligned starts and ends, inside one word too.
  const std::pair<size_t, size_t> ranges[] = {{0, 1},    {1, 1},    {1, 2},  {3, 5},
                                              {5, 1000}, {0, 1024}, {7, 13}, {2, 1}};
  for (const auto& [first, count] : ranges) {
    if ((first + count) * element > total) continue;
    INFO(name(place) << ", element " << element << ", first " << first << ", count " << count);
    Buffer buffer(dev, place, total);
    const std::vector<unsigned char> before = pattern(total, 9);
    buffer.write(before);
    const uint32_t value = 0xA1B2C3D4u;
    REQUIRE_OK(ohal_memset_async(stream, static_cast<char*>(buffer.ptr) + first * element, value,
                                 element, count));
    REQUIRE_OK(ohal_stream_synchronize(stream));
    std::vector<unsigned char> expected = before;
    for (size_t i = 0; i < count; ++i)
      std::memcpy(expected.data() + (first + i) * element, &value, element);  // low bytes
    CHECK(buffer.read(total) == expected);
  }
}

TEST_CASE("vulkan: a large unaligned 8-bit memset", "[copy]") {
  VK_DEVICE_OR_SKIP(dev);
  const size_t n = (5u << 20) + 3;
  vktest::Mem mem(dev, n + 8, OHAL_MEM_KIND_DEVICE, OHAL_MEM_FLAG_ZERO);
  REQUIRE_OK(ohal_memset(static_cast<char*>(mem.get()) + 1, 0x7f, 1, n));
  std::vector<unsigned char> out(n + 8);
  REQUIRE_OK(ohal_memcpy(out.data(), mem.get(), n + 8));
  CHECK(out[0] == 0);
  CHECK(std::count(out.begin() + 1, out.begin() + 1 + static_cast<std::ptrdiff_t>(n), 0x7f) ==
        static_cast<std::ptrdiff_t>(n));
  CHECK(out[n + 1] == 0);
}
