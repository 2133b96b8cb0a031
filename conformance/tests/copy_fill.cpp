// ohal_memcpy_async / ohal_memset_async and their blocking forms.
#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "cts.hpp"

namespace {

constexpr uint8_t kGuard = 0x11;

std::vector<uint8_t> pattern_bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed;
  for (auto& b : v) {
    x = x * CTS_LCG_MUL + CTS_LCG_ADD;
    b = static_cast<uint8_t>(x >> 24);
  }
  return v;
}

// One side of a copy: pageable host memory (kind < 0) or a HAL allocation of a kind.
struct Endpoint {
  std::string name;
  std::vector<uint8_t> pageable;
  std::unique_ptr<cts::Buffer> buffer;

  Endpoint(int kind, size_t bytes) {
    if (kind < 0) {
      name = "pageable";
      pageable.assign(bytes, 0);
    } else {
      name = cts::kind_name(static_cast<ohal_mem_kind_t>(kind));
      buffer = std::make_unique<cts::Buffer>(bytes, static_cast<ohal_mem_kind_t>(kind));
    }
  }
  uint8_t* ptr() { return buffer ? buffer->bytes() : pageable.data(); }
  size_t size() const { return buffer ? buffer->size() : pageable.size(); }
  void write(ohal_stream_t s, const std::vector<uint8_t>& data) {
    if (buffer) {
      cts::upload(s, buffer->get(), data);
    } else {
      pageable = data;
    }
  }
  std::vector<uint8_t> read(ohal_stream_t s) {
    return buffer ? cts::download<uint8_t>(s, buffer->get(), buffer->size()) : pageable;
  }
};

std::vector<int> endpoint_kinds() {
  std::vector<int> kinds{-1};
  for (ohal_mem_kind_t k : cts::offered_kinds()) kinds.push_back(static_cast<int>(k));
  return kinds;
}

// Fills the whole buffer with `byte` through the API under test's simplest path.
void fill_bytes(ohal_stream_t s, void* ptr, uint8_t byte, size_t n) {
  REQUIRE_OK(ohal_memset_async(s, ptr, byte, 1, n));
  REQUIRE_OK(ohal_stream_synchronize(s));
}

}  // namespace

TEST_CASE("copy: every direction between pageable and every offered kind", "[copy]") {
  cts::Stream stream;
  for (size_t size : {size_t{1}, size_t{4093}, size_t{(1u << 20) + 3}}) {
    for (int src_kind : endpoint_kinds()) {
      for (int dst_kind : endpoint_kinds()) {
        Endpoint src(src_kind, size + 16), dst(dst_kind, size + 16);
        INFO(src.name << " -> " << dst.name << ", " << size << " bytes at odd offsets");
        const std::vector<uint8_t> data = pattern_bytes(size + 16, static_cast<uint32_t>(size));
        src.write(stream, data);
        dst.write(stream, std::vector<uint8_t>(size + 16, kGuard));
        REQUIRE_OK(ohal_memcpy_async(stream, dst.ptr() + 3, src.ptr() + 5, size));
        REQUIRE_OK(ohal_stream_synchronize(stream));
        const std::vector<uint8_t> got = dst.read(stream);
        CHECK(std::equal(got.begin() + 3, got.begin() + 3 + static_cast<ptrdiff_t>(size),
                         data.begin() + 5));
        CHECK(std::all_of(got.begin(), got.begin() + 3, [](uint8_t b) { return b == kGuard; }));
        CHECK(std::all_of(got.begin() + 3 + static_cast<ptrdiff_t>(size), got.end(),
                          [](uint8_t b) { return b == kGuard; }));
      }
    }
  }
}

TEST_CASE("copy: 16 MiB round trip keeps every byte", "[copy]") {
  cts::Stream stream;
  const size_t size = 16u << 20;
  const std::vector<uint8_t> data = pattern_bytes(size, 99);
  cts::Buffer a(size), b(size);
  REQUIRE_OK(ohal_memcpy_async(stream, a.get(), data.data(), size));
  REQUIRE_OK(ohal_memcpy_async(stream, b.get(), a.get(), size));
  std::vector<uint8_t> back(size, 0);
  REQUIRE_OK(ohal_memcpy_async(stream, back.data(), b.get(), size));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(back, data);
}

TEST_CASE("copy: a pageable source may be reused as soon as the call returns", "[copy]") {
  cts::Stream stream;
  std::string why;
  const ohal_kernel_t spin = cts::find_kernel("cts_spin", &why);
  cts::Buffer scratch(8), dst(4096);
  // Keep the stream busy (when the kernel exists) so that a deferred read would show.
  if (spin != nullptr) {
    REQUIRE_OK(cts::launch(stream, spin, {}, {}, 0, scratch.get(), cts::spin_iterations(), 1u));
  }
  std::vector<uint8_t> src(4096, 7);
  REQUIRE_OK(ohal_memcpy_async(stream, dst.get(), src.data(), src.size()));
  std::fill(src.begin(), src.end(), uint8_t{9});
  const std::vector<uint8_t> got = cts::download<uint8_t>(stream, dst.get(), 4096);
  CHECK(std::count(got.begin(), got.end(), uint8_t{7}) == 4096);
}

TEST_CASE("copy: size 0 is a no-op", "[copy]") {
  cts::Stream stream;
  cts::Buffer a(64);
  fill_bytes(stream, a.get(), 0x42, 64);
  std::vector<uint8_t> host(64, 0x99);
  CHECK_OK(ohal_memcpy_async(stream, a.get(), host.data(), 0));
  CHECK_OK(ohal_memcpy_async(stream, host.data(), a.get(), 0));
  CHECK_OK(ohal_memcpy(a.get(), host.data(), 0));
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint8_t>(stream, a.get(), 64), std::vector<uint8_t>(64, 0x42));
  CHECK_SAME(host, std::vector<uint8_t>(64, 0x99));
}

TEST_CASE("copy: blocking memcpy and memset", "[copy]") {
  cts::Buffer a(1000), b(1000);
  std::vector<uint8_t> data = pattern_bytes(1000, 3), back(1000, 0);
  REQUIRE_OK(ohal_memcpy(a.get(), data.data(), 1000));  // host to device
  REQUIRE_OK(ohal_memcpy(b.get(), a.get(), 1000));      // device to device
  REQUIRE_OK(ohal_memcpy(back.data(), b.get(), 1000));  // device to host
  CHECK_SAME(back, data);
  std::vector<uint8_t> host2(1000, 0);
  REQUIRE_OK(ohal_memcpy(host2.data(), data.data(), 1000));  // host to host, no device
  CHECK_SAME(host2, data);
  REQUIRE_OK(ohal_memset(a.get(), 0x01020304u, 4, 250));
  REQUIRE_OK(ohal_memcpy(back.data(), a.get(), 1000));
  for (size_t i = 0; i < 1000; i += 4) {
    REQUIRE(back[i] == 0x04);
    REQUIRE(back[i + 3] == 0x01);
  }
  // The blocking memset needs HAL memory.
  CHECK_RESULT(ohal_memset(host2.data(), 0, 1, 16), OHAL_ERROR_INVALID_POINTER);
  CHECK_SAME(host2, data);
}

TEST_CASE("copy: out-of-bounds copies are rejected and write nothing", "[copy][errors]") {
  cts::Stream stream;
  cts::Buffer a(256), b(256);
  fill_bytes(stream, a.get(), 0x22, 256);
  fill_bytes(stream, b.get(), 0x33, 256);
  std::vector<uint8_t> host(512, 0x44);
  const auto want = OHAL_ERROR_OUT_OF_BOUNDS;
  CHECK_RESULT(ohal_memcpy_async(stream, a.bytes() + 250, host.data(), 16), want);  // dst
  CHECK_RESULT(ohal_memcpy_async(stream, host.data(), a.bytes() + 250, 16), want);  // src
  CHECK_RESULT(ohal_memcpy_async(stream, a.get(), b.get(), 257), want);
  CHECK_RESULT(ohal_memcpy_async(stream, a.bytes() + 255, b.get(), 2), want);
  CHECK_RESULT(ohal_memcpy_async(stream, a.get(), host.data(), std::numeric_limits<size_t>::max()),
               want);  // no wrap-around in the bounds check
  CHECK_RESULT(ohal_memcpy(a.bytes() + 250, host.data(), 16), want);
  CHECK_RESULT(ohal_memcpy(host.data(), b.bytes() + 1, 256), want);
  CHECK_RESULT(ohal_memset_async(stream, a.bytes() + 252, 0, 4, 2), want);
  CHECK_RESULT(ohal_memset_async(stream, a.get(), 0, 1, 257), want);
  CHECK_RESULT(ohal_memset_async(stream, a.get(), 0, 4, std::numeric_limits<size_t>::max() / 2),
               want);
  CHECK_RESULT(ohal_memset(b.bytes() + 128, 0, 2, 65), want);
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint8_t>(stream, a.get(), 256), std::vector<uint8_t>(256, 0x22));
  CHECK_SAME(cts::download<uint8_t>(stream, b.get(), 256), std::vector<uint8_t>(256, 0x33));
  CHECK_SAME(host, std::vector<uint8_t>(512, 0x44));
}

TEST_CASE("copy: overlapping ranges are rejected", "[copy][errors]") {
  cts::Stream stream;
  cts::Buffer a(256);
  fill_bytes(stream, a.get(), 0x5A, 256);
  CHECK_RESULT(ohal_memcpy_async(stream, a.bytes() + 4, a.get(), 16), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_memcpy_async(stream, a.get(), a.bytes() + 15, 16), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_memcpy_async(stream, a.get(), a.get(), 16), OHAL_ERROR_INVALID_VALUE);
  CHECK_RESULT(ohal_memcpy(a.bytes() + 8, a.get(), 16), OHAL_ERROR_INVALID_VALUE);
  CHECK_OK(ohal_memcpy_async(stream, a.bytes() + 16, a.get(), 16));  // adjacent is fine
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint8_t>(stream, a.get(), 256), std::vector<uint8_t>(256, 0x5A));
}

TEST_CASE("copy: null pointers and invalid streams are rejected", "[copy][errors]") {
  cts::Buffer a(64);
  std::vector<uint8_t> host(64, 0);
  cts::Stream stream;
  CHECK_RESULT(ohal_memcpy_async(stream, nullptr, host.data(), 8), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_memcpy_async(stream, a.get(), nullptr, 8), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_memset_async(stream, nullptr, 0, 1, 8), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_memcpy(nullptr, host.data(), 8), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_memcpy(a.get(), nullptr, 8), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_memset(nullptr, 0, 1, 8), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_memcpy_async(nullptr, a.get(), host.data(), 8), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_memset_async(nullptr, a.get(), 0, 1, 8), OHAL_ERROR_INVALID_HANDLE);
  cts::Stream dead;
  REQUIRE_OK(dead.destroy());
  ohal_stream_t stale = nullptr;
  {
    ohal_stream_t s = nullptr;
    REQUIRE_OK(ohal_stream_create(cts::device(), 0, &s));
    REQUIRE_OK(ohal_stream_destroy(s));
    stale = s;
  }
  CHECK_RESULT(ohal_memcpy_async(stale, a.get(), host.data(), 8), OHAL_ERROR_INVALID_HANDLE);
  CHECK_RESULT(ohal_memset_async(stale, a.get(), 0, 1, 8), OHAL_ERROR_INVALID_HANDLE);
}

TEST_CASE("copy: buffers of another device are rejected", "[copy][errors][multi_device]") {
  CTS_REQUIRE_OTHER_DEVICE(other);
  cts::Stream stream;
  cts::Buffer mine(256), theirs(256, OHAL_MEM_KIND_DEVICE, other);
  cts::Stream their_stream(other);
  fill_bytes(their_stream, theirs.get(), 0x66, 256);
  std::vector<uint8_t> host(256, 0x77);
  const auto want = OHAL_ERROR_DEVICE_MISMATCH;
  CHECK_RESULT(ohal_memcpy_async(stream, theirs.get(), host.data(), 16), want);
  CHECK_RESULT(ohal_memcpy_async(stream, host.data(), theirs.get(), 16), want);
  CHECK_RESULT(ohal_memcpy_async(stream, mine.get(), theirs.get(), 16), want);
  CHECK_RESULT(ohal_memcpy_async(stream, theirs.get(), mine.get(), 16), want);
  CHECK_RESULT(ohal_memset_async(stream, theirs.get(), 0, 1, 16), want);
  CHECK_RESULT(ohal_memcpy(theirs.get(), mine.get(), 16), want);  // blocking form
  CHECK_RESULT(ohal_memcpy(mine.get(), theirs.get(), 16), want);
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint8_t>(their_stream, theirs.get(), 256),
             std::vector<uint8_t>(256, 0x66));
  CHECK_SAME(host, std::vector<uint8_t>(256, 0x77));
}

TEST_CASE("fill: 8 16 and 32-bit patterns fill exactly the range", "[copy]") {
  cts::Stream stream;
  const uint32_t pattern = 0xA1B2C3D4u;
  const uint8_t pattern_le[4] = {0xD4, 0xC3, 0xB2, 0xA1};
  for (int kind : endpoint_kinds()) {
    for (size_t es : {size_t{1}, size_t{2}, size_t{4}}) {
      for (size_t count : {size_t{1}, size_t{333}, size_t{65537}}) {
        const size_t offset = es == 1 ? 3 : 8;
        const size_t total = offset + count * es + 13;
        Endpoint dst(kind, total);
        INFO(dst.name << ": element size " << es << ", count " << count);
        dst.write(stream, std::vector<uint8_t>(total, 0x55));
        REQUIRE_OK(ohal_memset_async(stream, dst.ptr() + offset, pattern, es, count));
        REQUIRE_OK(ohal_stream_synchronize(stream));
        const std::vector<uint8_t> got = dst.read(stream);
        size_t wrong = 0;
        for (size_t i = 0; i < total; ++i) {
          const bool inside = i >= offset && i < offset + count * es;
          const uint8_t want = inside ? pattern_le[(i - offset) % es] : uint8_t{0x55};
          if (got[i] != want) ++wrong;
        }
        CHECK(wrong == 0);
      }
    }
  }
}

TEST_CASE("fill: memset checks element size and alignment", "[copy][errors]") {
  cts::Stream stream;
  cts::Buffer a(256);
  fill_bytes(stream, a.get(), 0x5A, 256);
  const auto want = OHAL_ERROR_INVALID_VALUE;
  CHECK_RESULT(ohal_memset_async(stream, a.get(), 0, 3, 4), want);
  CHECK_RESULT(ohal_memset_async(stream, a.get(), 0, 8, 4), want);
  CHECK_RESULT(ohal_memset_async(stream, a.get(), 0, 0, 4), want);
  CHECK_RESULT(ohal_memset_async(stream, a.bytes() + 1, 0, 2, 4), want);
  CHECK_RESULT(ohal_memset_async(stream, a.bytes() + 2, 0, 4, 4), want);
  CHECK_RESULT(ohal_memset(a.bytes() + 1, 0, 4, 4), want);
  REQUIRE_OK(ohal_stream_synchronize(stream));
  CHECK_SAME(cts::download<uint8_t>(stream, a.get(), 256), std::vector<uint8_t>(256, 0x5A));
}
