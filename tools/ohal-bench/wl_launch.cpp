// Empty-kernel launch latency (launch + synchronize) and asynchronous launch throughput.
#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_launch(Context& ctx) {
  if (ctx.selected("launch.latency")) {
    // Goal for cpu_ref only: a GPU's launch goes through a driver and PCIe.
    const Goal goal{Goal::Kind::kHalAtMost, 5.0, "cpu_ref"};
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
