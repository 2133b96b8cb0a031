// ohal-cts: the openai_hal conformance suite runner (conformance/README.md).
#include <cstring>

#include "child.hpp"
#include "runner.hpp"

int main(int argc, char** argv) {
  // The runner starts itself with --cts-child-<mode> for each device.
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--cts-child-", 12) == 0) return cts_runner::child_main(argc, argv);
  }
  return cts_runner::runner_main(argc, argv);
}
