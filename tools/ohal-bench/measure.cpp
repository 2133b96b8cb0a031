#include "measure.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace ohal_bench {
namespace {

double time_run(Op& op, uint64_t iterations) {
  const auto start = std::chrono::steady_clock::now();
  op.run(iterations);
  const auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double>(end - start).count();
}

// Iterations that make one sample last about `target` seconds. The first run is a warm-up
// (page faults, lazy initialization, JIT) and is not used for the estimate.
uint64_t calibrate(Op& op, double target) {
  constexpr uint64_t kMaxIterations = uint64_t{1} << 32;
  op.run(1);
  uint64_t iterations = 1;
  for (;;) {
    const double seconds = time_run(op, iterations);
    if (seconds >= target * 0.25 || iterations >= kMaxIterations) {
      const double scaled =
          std::floor(static_cast<double>(iterations) * target / std::max(seconds, 1e-9));
      return std::clamp<uint64_t>(static_cast<uint64_t>(scaled), 1, kMaxIterations);
    }
    // Grow fast while a run is far below the clock's resolution.
    const double factor = seconds > 0 ? std::clamp(target * 0.5 / seconds, 2.0, 100.0) : 100.0;
    iterations = static_cast<uint64_t>(static_cast<double>(iterations) * factor);
  }
}

Timing summarize(std::vector<double> per_iteration, uint64_t iterations) {
  std::sort(per_iteration.begin(), per_iteration.end());
  Timing timing;
  const size_t n = per_iteration.size();
  timing.median =
      n % 2 == 1 ? per_iteration[n / 2] : 0.5 * (per_iteration[n / 2 - 1] + per_iteration[n / 2]);
  timing.min = per_iteration.front();
  timing.iterations = iterations;
  timing.samples = static_cast<uint32_t>(n);
  return timing;
}

}  // namespace

PairTiming measure_pair(Op& hal, Op* baseline, const MeasureConfig& config) {
  const uint32_t samples = std::max<uint32_t>(config.samples, 1);
  const uint64_t hal_iterations = calibrate(hal, config.sample_seconds);
  const uint64_t base_iterations = baseline ? calibrate(*baseline, config.sample_seconds) : 0;

  std::vector<double> hal_times, base_times;
  auto sample_hal = [&] {
    hal_times.push_back(time_run(hal, hal_iterations) / static_cast<double>(hal_iterations));
  };
  auto sample_base = [&] {
    if (!baseline) return;
    base_times.push_back(time_run(*baseline, base_iterations) /
                         static_cast<double>(base_iterations));
  };
  for (uint32_t s = 0; s < samples; ++s) {
    // Alternate who goes first: a side that runs right after the other may find caches cold or
    // the other side's threads still spinning.
    if (s % 2 == 0) {
      sample_hal();
      sample_base();
    } else {
      sample_base();
      sample_hal();
    }
  }
  PairTiming result;
  result.hal = summarize(std::move(hal_times), hal_iterations);
  if (baseline) result.baseline = summarize(std::move(base_times), base_iterations);
  return result;
}

}  // namespace ohal_bench
