// saxpy over 16Mi floats (1Mi with --quick); bandwidth counts x read, y read and y written.
#include <fmt/format.h>

#include <algorithm>

#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_saxpy(Context& ctx) {
  if (!ctx.selected("saxpy")) return;
  // One thread per element in blocks of 256: at most max_grid_dims[0] blocks (65535 on Vulkan
  // devices such as lavapipe, 256 short of 16Mi elements).
  const uint32_t n = static_cast<uint32_t>(
      std::min<uint64_t>(ctx.options.quick ? (1u << 20) : (1u << 24),
                         uint64_t{ctx.hal.properties().max_grid_dims[0]} * 256u));
  const Goal goal{Goal::Kind::kRatioAtLeast, 0.9, ""};
  compare(
      ctx,
      {"saxpy", n % (1u << 20) == 0 ? fmt::format("{}Mi f32", n >> 20) : fmt::format("{} f32", n),
       n, "elements", Metric::kBandwidth, 12.0 * n, goal, ""},
      [&] { return hal_saxpy(ctx.hal, n); },
      [&]() -> std::unique_ptr<Op> { return ctx.baseline ? ctx.baseline->saxpy(n) : nullptr; });
}

}  // namespace ohal_bench
