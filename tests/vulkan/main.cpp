#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "openai_hal/ohal.h"

int main(int argc, char** argv) {
  const int result = Catch::Session().run(argc, argv);
  ohal_shutdown();
  return result;
}
