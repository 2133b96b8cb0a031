#include "workloads.h"

#include <fmt/format.h>

#include <exception>

namespace ohal_bench {
namespace {

double convert(Metric metric, double seconds, double bytes) {
  switch (metric) {
    case Metric::kNanoseconds:
      return seconds * 1e9;
    case Metric::kMicroseconds:
      return seconds * 1e6;
    case Metric::kRate:
      return 1.0 / seconds;
    case Metric::kBandwidth:
      return bytes / seconds / 1e9;
  }
  return 0;
}

const char* unit_of(Metric metric) {
  switch (metric) {
    case Metric::kNanoseconds:
      return "ns/call";
    case Metric::kMicroseconds:
      return "us";
    case Metric::kRate:
      return "launch/s";
    case Metric::kBandwidth:
      return "GB/s";
  }
  return "";
}

}  // namespace

std::string format_bytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0) {
    return fmt::format("{} GiB", bytes >> 30);
  }
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0) {
    return fmt::format("{} MiB", bytes >> 20);
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} B", bytes);
}

void compare(Context& ctx, const RowSpec& spec, const OpFactory& make_hal,
             const OpFactory& make_baseline) {
  Row row;
  row.workload = spec.workload;
  row.size = spec.size;
  row.size_value = spec.size_value;
  row.size_unit = spec.size_unit;
  row.unit = unit_of(spec.metric);
  row.better = spec.metric == Metric::kRate || spec.metric == Metric::kBandwidth ? Better::kHigher
                                                                                 : Better::kLower;
  row.goal = spec.goal;
  try {
    std::unique_ptr<Op> hal = make_hal();
    std::unique_ptr<Op> baseline;
    try {
      baseline = make_baseline();
      if (!baseline) {
        if (!spec.baseline_note.empty()) {
          row.baseline_note = spec.baseline_note;
        } else if (ctx.baseline) {
          row.baseline_note = fmt::format("the {} baseline does not offer {}",
                                          ctx.hal.backend_info().name, spec.workload);
        } else {
          row.baseline_note = ctx.baseline_missing;
        }
      }
    } catch (const std::exception& e) {
      throw BenchError(std::string("baseline setup: ") + e.what());
    }
    const PairTiming timing = measure_pair(*hal, baseline.get(), ctx.measure);
    if (const std::string wrong = hal->verify(); !wrong.empty()) {
      throw BenchError("wrong HAL result: " + wrong);
    }
    if (baseline) {
      if (const std::string wrong = baseline->verify(); !wrong.empty()) {
        throw BenchError("wrong baseline result: " + wrong);
      }
    }
    row.verified = true;
    row.samples = timing.hal.samples;
    row.hal = convert(spec.metric, timing.hal.median, spec.bytes);
    row.hal_best = convert(spec.metric, timing.hal.min, spec.bytes);
    row.hal_iterations = timing.hal.iterations;
    if (timing.baseline) {
      row.baseline = convert(spec.metric, timing.baseline->median, spec.bytes);
      row.baseline_best = convert(spec.metric, timing.baseline->min, spec.bytes);
      row.baseline_iterations = timing.baseline->iterations;
      row.ratio =
          row.better == Better::kHigher ? *row.hal / *row.baseline : *row.baseline / *row.hal;
    }
  } catch (const BenchUnsupported& e) {
    row.skipped = e.what();
  } catch (const std::exception& e) {
    row.error = e.what();
  }
  ctx.report.add(std::move(row));
}

const std::vector<Workload>& workloads() {
  static const std::vector<Workload> list = {
      {"overhead",
       "front-end cost per call: ohal_stream_query / ohal_event_query versus the "
       "plugin's table entry called directly (rows overhead.stream_query, "
       "overhead.event_query)",
       run_overhead},
      {"launch",
       "empty kernel: launch + synchronize latency (launch.latency) and launches/s "
       "with one synchronize at the end (launch.throughput)",
       run_launch},
      {"memcpy",
       "copy + synchronize bandwidth, 4 KiB .. 256 MiB, pageable host memory "
       "(memcpy.h2d, memcpy.d2h, memcpy.d2d) and pinned OHAL_MEM_KIND_HOST memory "
       "(memcpy.h2d_pinned, memcpy.d2h_pinned)",
       run_memcpy},
      {"saxpy", "y = a*x + y over 16Mi floats, one element per thread, block 256", run_saxpy},
      {"reduce",
       "per-block sums with shared memory and barriers, block 256, 16Mi floats; "
       "each thread first sums K elements (rows reduce.k16, reduce.k256)",
       run_reduce},
  };
  return list;
}

}  // namespace ohal_bench
