#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "openai_hal/ohal.h"

int main(int argc, char** argv) {
  const int failures = Catch::Session().run(argc, argv);
  // Stop the plugins' threads before exit so leak checkers see a quiet process.
  ohal_shutdown();
  return failures;
}
