// Command line of ohal-bench.
#ifndef OHAL_BENCH_OPTIONS_H
#define OHAL_BENCH_OPTIONS_H

#include <cstdint>
#include <optional>
#include <string>

namespace ohal_bench {

struct Options {
  std::string backend;    // --backend NAME: load only this plugin; empty: all
  uint32_t device = 0;    // --device N: index among the backend's (or all) visible devices
  std::string json_path;  // --json FILE
  bool quick = false;     // --quick: small sizes and few samples (CI smoke test)
  std::string filter;     // --filter SUBSTR: only rows whose workload name contains it
  bool list = false;      // --list: print the workloads and exit
  uint32_t samples = 0;   // --samples N (0: default)
  double sample_ms = 0;   // --sample-ms MS (0: default)
  std::string command;    // the command line as given, for the report
};

// Parses argv. On a usage error returns nullopt with *error set; on --help returns nullopt with
// *error empty.
std::optional<Options> parse_options(int argc, char** argv, std::string* error);
const char* usage_text();

}  // namespace ohal_bench

#endif  // OHAL_BENCH_OPTIONS_H
