// Kernels with barriers and shared memory, exact for every block size.
#include <random>

#include "fixture.h"

using namespace cpu_ref_test;

namespace {
const uint32_t kBlockSizes[] = {1,  2,   3,   4,   7,   8,   16,   31,   32,  33,
                                64, 100, 128, 255, 256, 512, 1000, 1023, 1024};
const uint32_t kGridSizes[] = {1, 3, 7};
}  // namespace

TEST_CASE("cpu_ref: block-wide reduction for every block size", "[cpu_ref][barrier]") {
  Stream s;
  std::mt19937 rng(1);
  for (uint32_t bs : kBlockSizes) {
    for (uint32_t gs : kGridSizes) {
      const uint32_t n = bs * gs - bs / 2;  // the last block is partly idle
      std::vector<uint32_t> in(bs * gs);
      for (auto& x : in) x = static_cast<uint32_t>(rng() % 100000);
      Buffer d_in(in.size() * 4), d_out(gs * 8);
      upload(d_in.get(), in);
      OHAL_OK(launch(s, kernel("block_reduce"), {gs}, {bs}, 0, n, d_in.as<uint32_t>(),
                     d_out.as<uint64_t>()));
      OHAL_OK(ohal_stream_synchronize(s));
      const auto out = download<uint64_t>(d_out.get(), gs);
      for (uint32_t b = 0; b < gs; ++b) {
        uint64_t expected = 0;
        for (uint32_t i = b * bs; i < (b + 1) * bs && i < n; ++i) expected += in[i];
        INFO("block size " << bs << ", grid " << gs << ", block " << b);
        REQUIRE(out[b] == expected);
      }
    }
  }
  ohal_kernel_properties_t p = OHAL_KERNEL_PROPERTIES_INIT;
  OHAL_OK(ohal_kernel_get_properties(kernel("block_reduce"), &p));
  CHECK(p.static_shared_bytes == 1024 * 8);
}

TEST_CASE("cpu_ref: threads that returned no longer count at barriers", "[cpu_ref][barrier]") {
  Stream s;
  for (uint32_t bs : {2u, 33u, 256u, 1024u}) {
    for (uint32_t active : {1u, bs / 2, bs - 1, bs}) {
      if (active == 0) continue;
      Buffer d(5 * 8);
      OHAL_OK(launch(s, kernel("early_exit_reduce"), {5}, {bs}, 0, active, d.as<uint64_t>()));
      OHAL_OK(ohal_stream_synchronize(s));
      const auto out = download<uint64_t>(d.get(), 5);
      INFO("block size " << bs << ", active " << active);
      CHECK(std::count(out.begin(), out.end(), uint64_t{active} * (active + 1) / 2) == 5);
    }
  }
}

namespace {
void reference_matmul(uint32_t M, uint32_t N, uint32_t K, const std::vector<float>& A,
                      const std::vector<float>& B, std::vector<float>* C) {
  for (uint32_t r = 0; r < M; ++r)
    for (uint32_t c = 0; c < N; ++c) {
      float acc = 0;
      for (uint32_t k = 0; k < K; ++k) acc += A[r * K + k] * B[k * N + c];
      (*C)[r * N + c] = acc;
    }
}
}  // namespace

TEST_CASE("cpu_ref: row-tiled matrix multiply for every block size", "[cpu_ref][barrier]") {
  Stream s;
  std::mt19937 rng(2);
  for (uint32_t bs : kBlockSizes) {
    const uint32_t gx = 3;  // odd grid
    const uint32_t M = 5, N = bs * gx - (bs + 1) / 2, K = 2 * bs + 3;
    // Small integers: every product and sum is exact in float.
    std::vector<float> A(M * K), B(K * N), C(M * N), expected(M * N);
    for (auto& x : A) x = static_cast<float>(rng() % 4);
    for (auto& x : B) x = static_cast<float>(rng() % 4);
    reference_matmul(M, N, K, A, B, &expected);
    Buffer dA(A.size() * 4), dB(B.size() * 4), dC(C.size() * 4);
    upload(dA.get(), A);
    upload(dB.get(), B);
    OHAL_OK(launch(s, kernel("matmul_row_tiled"), {gx, M}, {bs}, 0, M, N, K, dA.as<float>(),
                   dB.as<float>(), dC.as<float>()));
    OHAL_OK(ohal_stream_synchronize(s));
    INFO("block size " << bs);
    REQUIRE(download<float>(dC.get(), C.size()) == expected);
  }
}

TEST_CASE("cpu_ref: square-tiled matrix multiply", "[cpu_ref][barrier]") {
  Stream s;
  std::mt19937 rng(3);
  for (uint32_t T : {1u, 2u, 3u, 7u, 16u, 31u, 32u}) {
    const uint32_t M = 2 * T + 1, N = 3 * T + 2, K = 4 * T + 3;
    std::vector<float> A(M * K), B(K * N), expected(M * N);
    for (auto& x : A) x = static_cast<float>(rng() % 4);
    for (auto& x : B) x = static_cast<float>(rng() % 4);
    reference_matmul(M, N, K, A, B, &expected);
    Buffer dA(A.size() * 4), dB(B.size() * 4), dC(expected.size() * 4);
    upload(dA.get(), A);
    upload(dB.get(), B);
    const uint32_t gx = (N + T - 1) / T, gy = (M + T - 1) / T;
    OHAL_OK(launch(s, kernel("matmul_tiled_2d"), {gx, gy}, {T, T}, 0, M, N, K, dA.as<float>(),
                   dB.as<float>(), dC.as<float>()));
    OHAL_OK(ohal_stream_synchronize(s));
    INFO("tile " << T);
    REQUIRE(download<float>(dC.get(), expected.size()) == expected);
  }
}

TEST_CASE("cpu_ref: dynamic shared memory is per block", "[cpu_ref][barrier][shared]") {
  Stream s;
  for (uint32_t bs : {1u, 7u, 256u, 1024u}) {
    const uint32_t gs = 9, n = bs * gs;
    std::vector<uint32_t> in(n);
    for (uint32_t i = 0; i < n; ++i) in[i] = i * 3 + 1;
    Buffer d_in(n * 4), d_out(n * 4);
    upload(d_in.get(), in);
    OHAL_OK(launch(s, kernel("dynamic_reverse"), {gs}, {bs}, bs * 4, d_in.as<uint32_t>(),
                   d_out.as<uint32_t>()));
    OHAL_OK(ohal_stream_synchronize(s));
    const auto out = download<uint32_t>(d_out.get(), n);
    for (uint32_t b = 0; b < gs; ++b)
      for (uint32_t t = 0; t < bs; ++t) REQUIRE(out[b * bs + t] == in[b * bs + bs - 1 - t]);
  }
}
