#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "fixture.h"

int main(int argc, char** argv) {
  const int failed = Catch::Session().run(argc, argv);
  cpu_ref_test::reset_env();
  return failed;
}
