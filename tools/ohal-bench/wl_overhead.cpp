// Front-end overhead: the public API against the same plugin entry called through its table.
#include "direct_backend.h"
#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_overhead(Context& ctx) {
  const bool stream = ctx.selected("overhead.stream_query");
  const bool event = ctx.selected("overhead.event_query");
  if (!stream && !event) return;

  std::unique_ptr<DirectBackend> direct;
  std::string why;
  try {
    direct =
        DirectBackend::load(ctx.hal.backend_info().path, ctx.hal.properties().backend_device_index);
  } catch (const std::exception& e) {
    why = std::string("direct plugin table unavailable: ") + e.what();
  }
  // Goal (every backend): the front-end adds at most 50 ns to a cheap call.
  const Goal goal{Goal::Kind::kDeltaAtMost, 50.0, ""};
  if (stream) {
    compare(
        ctx, {"overhead.stream_query", "1 call", 1, "calls", Metric::kNanoseconds, 0, goal, why},
        [&] { return hal_stream_query(ctx.hal); },
        [&]() -> std::unique_ptr<Op> { return direct ? direct_stream_query(*direct) : nullptr; });
  }
  if (event) {
    compare(
        ctx, {"overhead.event_query", "1 call", 1, "calls", Metric::kNanoseconds, 0, goal, why},
        [&] { return hal_event_query(ctx.hal); },
        [&]() -> std::unique_ptr<Op> { return direct ? direct_event_query(*direct) : nullptr; });
  }
}

}  // namespace ohal_bench
