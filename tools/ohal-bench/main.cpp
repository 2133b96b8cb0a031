// ohal-bench: HAL performance next to a raw baseline in the same process. See
// docs/PERFORMANCE.md for the workloads, the method and the measured results.
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <exception>
#include <fstream>
#include <thread>

#include "baseline.h"
#include "hal_session.h"
#include "options.h"
#include "report.h"
#include "workloads.h"

namespace ohal_bench {
namespace {

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string host_description() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) model = line.substr(colon + 2);
      break;
    }
  }
  return fmt::format("{}, {} hardware threads", model, std::thread::hardware_concurrency());
}

// The 1-minute load average: other processes competing for the cores skew every number.
std::string load_average() {
  std::ifstream file("/proc/loadavg");
  std::string value;
  file >> value;
  return value.empty() ? "unknown" : value;
}

int run(int argc, char** argv) {
  std::string error;
  const std::optional<Options> parsed = parse_options(argc, argv, &error);
  if (!parsed) {
    if (error.empty()) {
      fmt::print("{}", usage_text());
      return 0;
    }
    fmt::print(stderr, "ohal-bench: {}\n{}", error, usage_text());
    return 2;
  }
  const Options& options = *parsed;
  if (options.list) {
    for (const Workload& w : workloads()) fmt::print("{:<10} {}\n", w.name, w.description);
    return 0;
  }

  std::unique_ptr<HalSession> hal;
  try {
    hal = HalSession::open(options.backend, options.device);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ohal-bench: {}\n", e.what());
    return 2;
  }

  BaselineTarget target;
  target.backend = hal->properties().backend;
  target.backend_device_index = hal->properties().backend_device_index;
  target.properties = hal->properties();
  target.quick = options.quick;
  std::string baseline_missing;
  std::unique_ptr<RawBaseline> baseline;
  try {
    baseline = create_baseline(target, &baseline_missing);
  } catch (const std::exception& e) {
    baseline_missing = std::string("the raw baseline failed to start: ") + e.what();
  }

  MeasureConfig measure;
  measure.samples = options.samples ? options.samples : (options.quick ? 3u : 21u);
  measure.sample_seconds =
      (options.sample_ms > 0 ? options.sample_ms : (options.quick ? 2 : 10)) / 1e3;

  RunInfo info;
  info.date = utc_now();
  info.command = options.command;
  info.host = host_description();
  info.load_average_start = load_average();
  info.backend = hal->properties().backend;
  info.backend_version = hal->backend_info().version;
  info.device = hal->properties().name;
  info.kernels = hal->kernel_image_description();
  info.baseline = baseline ? baseline->describe() : baseline_missing;
  info.quick = options.quick;
  info.samples = measure.samples;
  info.sample_seconds = measure.sample_seconds;

  for (const std::string& line : hal->plugin_lines()) fmt::print("plugin:    {}\n", line);
  Report report;
  report.begin(info);
  Context ctx{options, *hal, baseline.get(), baseline_missing, report, measure};
  for (const Workload& w : workloads()) w.run(ctx);
  const bool ok = report.finish(load_average());

  if (!options.json_path.empty()) {
    if (const std::string why = report.write_json(options.json_path); !why.empty()) {
      fmt::print(stderr, "ohal-bench: --json: {}\n", why);
      return 2;
    }
    fmt::print("results written to {}\n", options.json_path);
  }
  // The baseline's threads and the HAL objects go before ohal_shutdown (HalSession's destructor).
  baseline.reset();
  hal.reset();
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace ohal_bench

int main(int argc, char** argv) {
  try {
    return ohal_bench::run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "ohal-bench: {}\n", e.what());
    return 2;
  }
}
