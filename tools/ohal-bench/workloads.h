// The workloads: each one adds rows (one per size) comparing the HAL op with the raw baseline.
#ifndef OHAL_BENCH_WORKLOADS_H
#define OHAL_BENCH_WORKLOADS_H

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "baseline.h"
#include "hal_session.h"
#include "measure.h"
#include "op.h"
#include "options.h"
#include "report.h"

namespace ohal_bench {

struct Context {
  const Options& options;
  HalSession& hal;
  RawBaseline* baseline;         // nullptr: none for this backend
  std::string baseline_missing;  // why baseline is nullptr
  Report& report;
  MeasureConfig measure;

  bool selected(std::string_view workload) const {
    return options.filter.empty() || workload.find(options.filter) != std::string_view::npos;
  }
};

// How a row turns seconds per iteration into its unit.
enum class Metric {
  kNanoseconds,   // "ns/call", lower is better
  kMicroseconds,  // "us", lower is better
  kRate,          // "launch/s", higher is better
  kBandwidth,     // "GB/s" (1e9 bytes), higher is better; bytes per iteration in RowSpec
};

struct RowSpec {
  std::string workload;
  std::string size;
  uint64_t size_value = 0;
  std::string size_unit;
  Metric metric = Metric::kMicroseconds;
  double bytes = 0;  // per iteration, for kBandwidth
  Goal goal;
  std::string baseline_note;  // why make_baseline returns nullptr, when not the generic reason
};

using OpFactory = std::function<std::unique_ptr<Op>()>;

// Builds both ops, times them, verifies both and adds the row. make_baseline returning nullptr
// means "not offered". Errors are caught and recorded in the row.
void compare(Context& ctx, const RowSpec& spec, const OpFactory& make_hal,
             const OpFactory& make_baseline);

// "4 KiB", "16 MiB".
std::string format_bytes(uint64_t bytes);

struct Workload {
  const char* name;  // also the prefix of its rows' names
  const char* description;
  void (*run)(Context& ctx);
};
const std::vector<Workload>& workloads();

void run_overhead(Context& ctx);
void run_launch(Context& ctx);
void run_memcpy(Context& ctx);
void run_saxpy(Context& ctx);
void run_reduce(Context& ctx);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_WORKLOADS_H
