// Timing harness: calibration, warm-up, interleaved samples, median and minimum.
#ifndef OHAL_BENCH_MEASURE_H
#define OHAL_BENCH_MEASURE_H

#include <cstdint>
#include <optional>

#include "op.h"

namespace ohal_bench {

struct MeasureConfig {
  double sample_seconds = 0.02;  // each sample runs this long (at least one iteration)
  uint32_t samples = 11;         // timed samples per side
};

// Seconds per iteration.
struct Timing {
  double median = 0;
  double min = 0;
  uint64_t iterations = 0;  // per sample
  uint32_t samples = 0;
};

struct PairTiming {
  Timing hal;
  std::optional<Timing> baseline;
};

// Warms each op up, calibrates its iterations per sample, then takes the samples alternately
// (hal, baseline, baseline, hal, ...) so that drift and background load hit both sides alike.
// baseline may be null. Throws BenchError from the ops.
PairTiming measure_pair(Op& hal, Op* baseline, const MeasureConfig& config);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_MEASURE_H
