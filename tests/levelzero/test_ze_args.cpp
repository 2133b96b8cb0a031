#include <catch2/catch.hpp>

#include "ze_args.h"

using namespace ohal::ze;

TEST_CASE("one binding per argument, in order, pointing at the caller's values", "[ze][args]") {
  uint32_t n = 7;
  float a = 1.5f;
  void* x = reinterpret_cast<void*>(0x2000);
  const ohal_kernel_arg_t args[] = {{&n, sizeof(n)}, {&a, sizeof(a)}, {&x, sizeof(x)}};
  std::vector<ArgBinding> bindings;
  std::string error;
  REQUIRE(plan_kernel_args("saxpy", 3, 3, args, 0, bindings, error) == OHAL_SUCCESS);
  REQUIRE(bindings.size() == 3);
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK(bindings[i].index == i);
    CHECK(bindings[i].size == args[i].size);
    CHECK(bindings[i].value == args[i].value);
  }
  // Dynamic shared memory for a kernel that declares none is ignored, as in CUDA.
  REQUIRE(plan_kernel_args("saxpy", 3, 3, args, 256, bindings, error) == OHAL_SUCCESS);
  CHECK(bindings.size() == 3);
}

TEST_CASE("a trailing __local parameter receives the launch's dynamic shared memory",
          "[ze][args]") {
  uint32_t n = 64;
  const ohal_kernel_arg_t args[] = {{&n, sizeof(n)}};
  std::vector<ArgBinding> bindings;
  std::string error;
  REQUIRE(plan_kernel_args("block_sum", 2, 1, args, 1024, bindings, error) == OHAL_SUCCESS);
  REQUIRE(bindings.size() == 2);
  CHECK(bindings[1].index == 1);
  CHECK(bindings[1].size == 1024);
  CHECK(bindings[1].value == nullptr);
  // Drivers reject an empty local argument: without shared bytes it still gets one byte.
  REQUIRE(plan_kernel_args("block_sum", 2, 1, args, 0, bindings, error) == OHAL_SUCCESS);
  CHECK(bindings[1].size == 1);
}

TEST_CASE("argument count mismatches are refused with the kernel's name", "[ze][args]") {
  uint32_t n = 1;
  const ohal_kernel_arg_t args[] = {{&n, sizeof(n)}, {&n, sizeof(n)}};
  std::vector<ArgBinding> bindings;
  std::string error;
  CHECK(plan_kernel_args("saxpy", 4, 2, args, 0, bindings, error) ==
        OHAL_ERROR_INVALID_KERNEL_ARGS);
  CHECK(error == "kernel saxpy takes 4 arguments, the launch passed 2");
  CHECK(plan_kernel_args("saxpy", 1, 2, args, 0, bindings, error) ==
        OHAL_ERROR_INVALID_KERNEL_ARGS);
  const ohal_kernel_arg_t empty[] = {{&n, 0}};
  CHECK(plan_kernel_args("saxpy", 1, 1, empty, 0, bindings, error) ==
        OHAL_ERROR_INVALID_KERNEL_ARGS);
  CHECK_THAT(error, Catch::Contains("argument 0"));
  CHECK(plan_kernel_args("noargs", 0, 0, nullptr, 0, bindings, error) == OHAL_SUCCESS);
  CHECK(bindings.empty());
}
