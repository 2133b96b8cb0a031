#include "report.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

#include "json_string.hpp"

namespace ohal_bench {
namespace {

using ohal_tools::json_string;

std::string format_value(double v) {
  if (v >= 1000) return fmt::format("{:.0f}", v);
  if (v >= 100) return fmt::format("{:.1f}", v);
  if (v >= 10) return fmt::format("{:.2f}", v);
  return fmt::format("{:.3f}", v);
}

std::string format_optional(const std::optional<double>& v) {
  return v ? format_value(*v) : std::string("-");
}

std::string json_number(const std::optional<double>& v) {
  // JSON has no inf or nan.
  return v && std::isfinite(*v) ? fmt::format("{}", *v) : std::string("null");
}

void judge(Row& row, const std::string& backend) {
  const Goal& g = row.goal;
  if (g.kind == Goal::Kind::kNone) return;
  if (!g.only_backend.empty() && g.only_backend != backend) return;
  switch (g.kind) {
    case Goal::Kind::kHalAtMost:
      row.goal_text = fmt::format("<= {:g} {}", g.limit, row.unit);
      if (row.hal) row.goal_met = *row.hal <= g.limit;
      break;
    case Goal::Kind::kRatioAtLeast:
      row.goal_text = fmt::format(">= {:.0f}%", g.limit * 100);
      if (row.ratio) row.goal_met = *row.ratio >= g.limit;
      break;
    case Goal::Kind::kDeltaAtMost:
      if (row.hal && row.baseline) {
        const double delta = *row.hal - *row.baseline;
        row.goal_text = fmt::format("delta {:+.1f} <= {:g}", delta, g.limit);
        row.goal_met = delta <= g.limit;
      } else {
        row.goal_text = fmt::format("delta <= {:g}", g.limit);
      }
      break;
    case Goal::Kind::kNone:
      break;
  }
  if (row.goal_met) row.goal_text += *row.goal_met ? "  met" : "  NOT met";
}

constexpr const char* kRowFormat = "{:<22} {:>9} {:>10} {:>10} {:<9} {:>8}  {}\n";

}  // namespace

void Report::begin(const RunInfo& info) {
  info_ = info;
  fmt::print("ohal-bench  {}\n", info.date);
  fmt::print("command:   {}\n", info.command);
  fmt::print("host:      {}; load average {} at start\n", info.host, info.load_average_start);
  fmt::print("device:    {} ({} {})\n", info.device, info.backend, info.backend_version);
  fmt::print("kernels:   {}\n", info.kernels);
  fmt::print("baseline:  {}\n", info.baseline);
  fmt::print(
      "timing:    {} interleaved samples of ~{:.0f} ms per side; values from the median "
      "sample{}\n",
      info.samples, info.sample_seconds * 1e3, info.quick ? " (--quick)" : "");
  fmt::print("ratio:     HAL performance / baseline performance (100% = parity)\n\n");
  fmt::print(kRowFormat, "workload", "size", "HAL", "baseline", "unit", "HAL/base", "goal");
  std::fflush(stdout);
}

void Report::add(Row row) {
  judge(row, info_.backend);
  if (!row.error.empty()) {
    fmt::print("{:<22} {:>9}  FAILED: {}\n", row.workload, row.size, row.error);
  } else if (!row.skipped.empty()) {
    fmt::print("{:<22} {:>9}  skipped: {}\n", row.workload, row.size, row.skipped);
  } else {
    const std::string ratio = row.ratio ? fmt::format("{:.1f}%", *row.ratio * 100) : "-";
    fmt::print(kRowFormat, row.workload, row.size, format_optional(row.hal),
               format_optional(row.baseline), row.unit, ratio, row.goal_text);
  }
  std::fflush(stdout);
  rows_.push_back(std::move(row));
}

bool Report::finish(const std::string& load_average_end) {
  info_.load_average_end = load_average_end;
  size_t failed = 0, skipped = 0, met = 0, missed = 0;
  std::set<std::string> notes;
  for (const Row& row : rows_) {
    if (!row.error.empty()) ++failed;
    if (!row.skipped.empty()) ++skipped;
    if (row.goal_met) ++(*row.goal_met ? met : missed);
    if (!row.baseline_note.empty()) notes.insert(row.baseline_note);
  }
  fmt::print("\n");
  for (const std::string& note : notes) fmt::print("baseline column empty: {}\n", note);
  fmt::print(
      "{} rows, {} failed, {} skipped; every other row's results were verified; goals: {} met, "
      "{} not met\n",
      rows_.size(), failed, skipped, met, missed);
  fmt::print("load average {} at start, {} at the end\n", info_.load_average_start,
             info_.load_average_end);
  return failed == 0;
}

std::string Report::write_json(const std::string& path) const {
  std::string out = "{\n";
  out += "  \"tool\": \"ohal-bench\",\n";
  out += fmt::format("  \"date\": {},\n", json_string(info_.date));
  out += fmt::format("  \"command\": {},\n", json_string(info_.command));
  out += fmt::format("  \"host\": {},\n", json_string(info_.host));
  out += fmt::format("  \"load_average_start\": {},\n", json_string(info_.load_average_start));
  out += fmt::format("  \"load_average_end\": {},\n", json_string(info_.load_average_end));
  out += fmt::format("  \"backend\": {},\n", json_string(info_.backend));
  out += fmt::format("  \"backend_version\": {},\n", json_string(info_.backend_version));
  out += fmt::format("  \"device\": {},\n", json_string(info_.device));
  out += fmt::format("  \"kernels\": {},\n", json_string(info_.kernels));
  out += fmt::format("  \"baseline\": {},\n", json_string(info_.baseline));
  out += fmt::format("  \"quick\": {},\n", info_.quick);
  out += fmt::format("  \"samples\": {},\n", info_.samples);
  out += fmt::format("  \"sample_seconds\": {},\n", info_.sample_seconds);
  out += "  \"ratio_definition\": \"HAL performance / baseline performance; 1 is parity\",\n";
  out += "  \"results\": [";
  for (size_t i = 0; i < rows_.size(); ++i) {
    const Row& r = rows_[i];
    out += i == 0 ? "\n" : ",\n";
    out += "    {";
    out += fmt::format("\"workload\": {}, ", json_string(r.workload));
    out += fmt::format("\"size\": {}, ", json_string(r.size));
    out += fmt::format("\"size_value\": {}, ", r.size_value);
    out += fmt::format("\"size_unit\": {}, ", json_string(r.size_unit));
    out += fmt::format("\"hal\": {}, ", json_number(r.hal));
    out += fmt::format("\"baseline\": {}, ", json_number(r.baseline));
    out += fmt::format("\"unit\": {}, ", json_string(r.unit));
    out += fmt::format("\"ratio\": {}, ", json_number(r.ratio));
    out += fmt::format("\"better\": {}, ",
                       json_string(r.better == Better::kHigher ? "higher" : "lower"));
    out += fmt::format("\"hal_best\": {}, ", json_number(r.hal_best));
    out += fmt::format("\"baseline_best\": {}, ", json_number(r.baseline_best));
    out += fmt::format("\"hal_iterations_per_sample\": {}, ", r.hal_iterations);
    out += fmt::format("\"baseline_iterations_per_sample\": {}, ", r.baseline_iterations);
    out += fmt::format("\"samples\": {}, ", r.samples);
    out += fmt::format("\"verified\": {}, ", r.verified);
    out += fmt::format("\"goal\": {}, ", r.goal_text.empty() ? "null" : json_string(r.goal_text));
    out +=
        fmt::format("\"goal_met\": {}, ", r.goal_met ? (*r.goal_met ? "true" : "false") : "null");
    out += fmt::format("\"baseline_note\": {}, ",
                       r.baseline_note.empty() ? "null" : json_string(r.baseline_note));
    out += fmt::format("\"skipped\": {}, ", r.skipped.empty() ? "null" : json_string(r.skipped));
    out += fmt::format("\"error\": {}", r.error.empty() ? "null" : json_string(r.error));
    out += "}";
  }
  out += "\n  ]\n}\n";

  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) return "cannot open " + path + " for writing";
  file << out;
  file.close();
  if (!file) return "cannot write " + path;
  return {};
}

}  // namespace ohal_bench
