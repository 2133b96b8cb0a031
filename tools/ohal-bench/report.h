// Results: the console table (printed row by row as they finish) and the --json file.
#ifndef OHAL_BENCH_REPORT_H
#define OHAL_BENCH_REPORT_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ohal_bench {

enum class Better { kHigher, kLower };

// A target a row is judged against; never affects the exit status.
struct Goal {
  enum class Kind {
    kNone,
    kHalAtMost,     // hal <= limit (in the row's unit)
    kRatioAtLeast,  // ratio >= limit
    kDeltaAtMost,   // hal - baseline <= limit (in the row's unit)
  };
  Kind kind = Kind::kNone;
  double limit = 0;
  std::string only_backend;  // empty: every backend
};

struct Row {
  std::string workload;  // "memcpy.h2d"
  std::string size;      // "4 KiB", for people
  uint64_t size_value = 0;
  std::string size_unit;  // "bytes", "elements", "calls"
  std::string unit;       // "GB/s", "us", "ns/call", "launch/s"
  Better better = Better::kHigher;
  // From the median sample (hal, baseline) and the fastest sample (*_best).
  std::optional<double> hal, baseline, hal_best, baseline_best;
  // HAL performance over baseline performance: 1 is parity, below 1 the HAL is slower.
  std::optional<double> ratio;
  uint64_t hal_iterations = 0, baseline_iterations = 0;  // per sample
  uint32_t samples = 0;
  bool verified = false;      // both sides' results checked and correct
  std::string error;          // the row failed: setup, a call, or a wrong result
  std::string skipped;        // the device cannot run the workload (why)
  std::string baseline_note;  // why the baseline column is empty
  Goal goal;
  std::string goal_text;  // "<= 5 us", filled by Report
  std::optional<bool> goal_met;
};

struct RunInfo {
  std::string date;  // ISO 8601, UTC
  std::string command;
  std::string host;                                  // CPU model and core count
  std::string load_average_start, load_average_end;  // /proc/loadavg, 1 minute
  std::string backend, backend_version, device;
  std::string kernels;   // which kernel image the HAL side uses
  std::string baseline;  // RawBaseline::describe() or why there is none
  bool quick = false;
  uint32_t samples = 0;
  double sample_seconds = 0;
};

class Report {
 public:
  void begin(const RunInfo& info);
  // Judges the goal, prints the row and keeps it.
  void add(Row row);
  // Prints the summary; returns false when a row failed.
  bool finish(const std::string& load_average_end);
  // Returns an empty string on success, else why the file could not be written.
  std::string write_json(const std::string& path) const;

 private:
  RunInfo info_;
  std::vector<Row> rows_;
};

}  // namespace ohal_bench

#endif  // OHAL_BENCH_REPORT_H
