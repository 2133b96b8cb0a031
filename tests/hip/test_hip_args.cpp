#include <catch2/catch.hpp>

#include "hip_args.h"

using namespace ohal::hip;

TEST_CASE("kernelParams point at each argument's value", "[hip][args]") {
  uint32_t n = 1024;
  float a = 2.5f;
  const float* x = reinterpret_cast<const float*>(0x1000);
  struct Pair {
    int32_t first;
    int64_t second;
  } pair{1, 2};
  const ohal_kernel_arg_t args[] = {
      {&n, sizeof(n)}, {&a, sizeof(a)}, {&x, sizeof(x)}, {&pair, sizeof(pair)}};
  const std::vector<void*> params = pack_kernel_params(4, args);
  REQUIRE(params.size() == 4);
  CHECK(params[0] == &n);
  CHECK(params[1] == &a);
  CHECK(params[2] == &x);
  CHECK(params[3] == &pair);
  CHECK(*static_cast<const float* const*>(params[2]) == x);
  CHECK(pack_kernel_params(0, nullptr).empty());
}

TEST_CASE("the dispatch packet's 32-bit grid limits launches", "[hip][args]") {
  std::string error;
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  config.grid[0] = 4194303;  // (2^32 - 1) / 1024, rounded down
  config.block[0] = 1024;
  CHECK(check_dispatch_size(config, error) == OHAL_SUCCESS);

  config.grid[0] = 4194304;  // exactly 2^32 work-items: one too many
  CHECK(check_dispatch_size(config, error) == OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK_THAT(error, Catch::Contains("grid x") && Catch::Contains("4294967296"));

  config.grid[0] = 1;
  config.grid[2] = 0xffffffffu;
  config.block[2] = 2;
  CHECK(check_dispatch_size(config, error) == OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK_THAT(error, Catch::Contains("grid z"));
}

TEST_CASE("options split on whitespace", "[hip][args]") {
  CHECK(split_options(nullptr).empty());
  CHECK(split_options("   ").empty());
  CHECK(split_options("-O3") == std::vector<std::string>{"-O3"});
  CHECK(split_options(" -O3  -DN=4\t--gpu-architecture=gfx90a ") ==
        std::vector<std::string>{"-O3", "-DN=4", "--gpu-architecture=gfx90a"});
}
