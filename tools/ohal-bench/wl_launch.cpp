// Empty-kernel launch latency (launch + synchronize) and asynchronous launch throughput.
#include <string_view>

#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_launch(Context& ctx) {
  if (ctx.selected("launch.latency")) {
    // cpu_ref: an absolute bound. A GPU's launch goes through a driver and PCIe, so cuda's goal
    // is relative: within 5% of the raw driver API (baseline / HAL >= 1 / 1.05).
    const bool cuda = std::string_view(ctx.hal.properties().backend) == "cuda";
    const Goal goal = cuda ? Goal{Goal::Kind::kRatioAtLeast, 1 / 1.05, "cuda"}
                           : Goal{Goal::Kind::kHalAtMost, 5.0, "cpu_ref"};
    compare(
        ctx, {"launch.latency", "1x1", 1, "threads", Metric::kMicroseconds, 0, goal, ""},
        [&] { return hal_launch_latency(ctx.hal); },
        [&]() -> std::unique_ptr<Op> {
          return ctx.baseline ? ctx.baseline->launch_latency() : nullptr;
        });
  }
  if (ctx.selected("launch.throughput")) {
    compare(
        ctx, {"launch.throughput", "1x1", 1, "threads", Metric::kRate, 0, {}, ""},
        [&] { return hal_launch_throughput(ctx.hal); },
        [&]() -> std::unique_ptr<Op> {
          return ctx.baseline ? ctx.baseline->launch_throughput() : nullptr;
        });
  }
}

}  // namespace ohal_bench
