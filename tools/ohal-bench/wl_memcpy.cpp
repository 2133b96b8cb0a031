// Copy bandwidth per direction over sizes 4 KiB .. 256 MiB (powers of 4), copy + synchronize
// per iteration: pageable host memory (memcpy.h2d, memcpy.d2h), device to device (memcpy.d2d),
// and pinned host memory, i.e. OHAL_MEM_KIND_HOST (memcpy.h2d_pinned, memcpy.d2h_pinned).
#include <string_view>

#include "hal_ops.h"
#include "workloads.h"

namespace ohal_bench {

void run_memcpy(Context& ctx) {
  struct Direction {
    const char* name;
    CopyKind kind;
    bool pinned;
  };
  const Direction directions[] = {{"memcpy.h2d", CopyKind::kHostToDevice, false},
                                  {"memcpy.d2h", CopyKind::kDeviceToHost, false},
                                  {"memcpy.d2d", CopyKind::kDeviceToDevice, false},
                                  {"memcpy.h2d_pinned", CopyKind::kHostToDevice, true},
                                  {"memcpy.d2h_pinned", CopyKind::kDeviceToHost, true}};
  const bool cuda = std::string_view(ctx.hal.properties().backend) == "cuda";
  const uint64_t largest = ctx.options.quick ? (uint64_t{1} << 20) : (uint64_t{1} << 28);
  for (const Direction& d : directions) {
    if (!ctx.selected(d.name)) continue;
    for (uint64_t bytes = 4096; bytes <= largest; bytes *= 4) {
      Goal goal;
      if (cuda && (d.pinned || d.kind == CopyKind::kDeviceToDevice) &&
          bytes >= (uint64_t{1} << 26)) {
        // cuda's target: DMA-bound copies at >= 95% of the raw driver API's bandwidth.
        goal = {Goal::Kind::kRatioAtLeast, 0.95, "cuda"};
      } else if (d.kind == CopyKind::kDeviceToDevice && bytes == (uint64_t{1} << 26)) {
        // cpu_ref's target: a device-to-device copy as fast as memcpy.
        goal = {Goal::Kind::kRatioAtLeast, 0.9, "cpu_ref"};
      }
      compare(
          ctx,
          {d.name, format_bytes(bytes), bytes, "bytes", Metric::kBandwidth,
           static_cast<double>(bytes), goal, ""},
          [&] { return hal_memcpy(ctx.hal, d.kind, bytes, d.pinned); },
          [&]() -> std::unique_ptr<Op> {
            if (!ctx.baseline) return nullptr;
            return d.pinned ? ctx.baseline->memcpy_pinned(d.kind, bytes)
                            : ctx.baseline->memcpy(d.kind, bytes);
          });
    }
  }
}

}  // namespace ohal_bench
