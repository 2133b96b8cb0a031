// saxpy over 16Mi floats (1Mi with --quick); bandwidth counts x read, y read and y written.
#include <fmt/format.h>

#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_saxpy(Context& ctx) {
  if (!ctx.selected("saxpy")) return;
  const uint32_t n = ctx.options.quick ? (1u << 20) : (1u << 24);
  const Goal goal{Goal::Kind::kRatioAtLeast, 0.9, ""};
  compare(
      ctx,
      {"saxpy", fmt::format("{}Mi f32", n >> 20), n, "elements", Metric::kBandwidth, 12.0 * n, goal,
       ""},
      [&] { return hal_saxpy(ctx.hal, n); },
      [&]() -> std::unique_ptr<Op> { return ctx.baseline ? ctx.baseline->saxpy(n) : nullptr; });
}

}  // namespace ohal_bench
