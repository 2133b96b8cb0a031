// Block reduction with shared memory and barriers (block 256) over 16Mi floats (1Mi with
// --quick). Row reduce.kK: each thread first sums K elements, then the block folds its 256
// partial sums in shared memory (8 barrier steps). Small K stresses the barriers, large K the
// loads; both rows are reported.
#include <fmt/format.h>

#include "hal_ops.h"
#include "test_data.h"
#include "workloads.h"

namespace ohal_bench {

void run_reduce(Context& ctx) {
  const uint32_t n = ctx.options.quick ? (1u << 20) : (1u << 24);
  const Goal goal{Goal::Kind::kRatioAtLeast, 0.5, ""};
  for (const uint32_t items : {16u, 256u}) {
    const std::string name = fmt::format("reduce.k{}", items);
    if (!ctx.selected(name)) continue;
    compare(
        ctx,
        {name, fmt::format("{}Mi f32", n >> 20), n, "elements", Metric::kBandwidth, 4.0 * n, goal,
         ""},
        [&] { return hal_block_reduce(ctx.hal, n, kReduceBlock, items); },
        [&]() -> std::unique_ptr<Op> {
          return ctx.baseline ? ctx.baseline->block_reduce(n, kReduceBlock, items) : nullptr;
        });
  }
}

}  // namespace ohal_bench
