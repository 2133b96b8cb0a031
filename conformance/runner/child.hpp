// The child side of ohal-cts: one process per device runs the Catch2 tests (or enumerates
// devices, or lists tests) and reports through stdout or a results file.
#pragma once

namespace cts_runner {

// Handles `ohal-cts --cts-child-...`; returns the process exit status.
int child_main(int argc, char** argv);

}  // namespace cts_runner
