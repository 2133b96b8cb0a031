// Copy bandwidth per direction over sizes 4 KiB .. 256 MiB (powers of 4), copy + synchronize
// per iteration, pageable host memory.
#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_memcpy(Context& ctx) {
  struct Direction {
    const char* name;
    CopyKind kind;
  };
  const Direction directions[] = {{"memcpy.h2d", CopyKind::kHostToDevice},
                                  {"memcpy.d2h", CopyKind::kDeviceToHost},
                                  {"memcpy.d2d", CopyKind::kDeviceToDevice}};
  const uint64_t largest = ctx.options.quick ? (uint64_t{1} << 20) : (uint64_t{1} << 28);
  for (const Direction& d : directions) {
    if (!ctx.selected(d.name)) continue;
    for (uint64_t bytes = 4096; bytes <= largest; bytes *= 4) {
      Goal goal;
      if (d.kind == CopyKind::kDeviceToDevice && bytes == (uint64_t{1} << 26)) {
        // cpu_ref's target: a device-to-device copy as fast as memcpy.
        goal = {Goal::Kind::kRatioAtLeast, 0.9, "cpu_ref"};
      }
      compare(
          ctx,
          {d.name, format_bytes(bytes), bytes, "bytes", Metric::kBandwidth,
           static_cast<double>(bytes), goal, ""},
          [&] { return hal_memcpy(ctx.hal, d.kind, bytes); },
          [&]() -> std::unique_ptr<Op> {
            return ctx.baseline ? ctx.baseline->memcpy(d.kind, bytes) : nullptr;
          });
    }
  }
}

}  // namespace ohal_bench
