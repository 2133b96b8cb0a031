#include "report.hpp"

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "json_string.hpp"

namespace cts_runner {
namespace {

std::string xml_escape(const std::string& raw) {
  const std::string text = sanitize_utf8(raw);
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
      case '\t':
        out += static_cast<char>(c);
        break;
      default:
        // XML 1.0 allows no other control characters.
        if (c >= 0x20) out += static_cast<char>(c);
    }
  }
  return out;
}

std::string json_escape(const std::string& raw) {
  return ohal_tools::json_string(sanitize_utf8(raw));
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string seconds_text(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f", s);
  return buffer;
}

std::string device_label(const DeviceReport& r) {
  return r.device.id() + " (" + r.device.name + ")";
}

}  // namespace

void print_summary(const std::vector<DeviceReport>& reports, bool run_known_failures) {
  std::printf("\n%-48s %7s %7s %8s %6s\n", "device", "passed", "failed", "skipped", "known");
  size_t totals[4] = {0, 0, 0, 0};
  for (const DeviceReport& r : reports) {
    std::string label = device_label(r);
    if (label.size() > 48) label = label.substr(0, 45) + "...";
    const size_t counts[4] = {r.count(Status::kPassed), r.count(Status::kFailed),
                              r.count(Status::kSkipped), r.count(Status::kKnown)};
    for (int i = 0; i < 4; ++i) totals[i] += counts[i];
    std::printf("%-48s %7zu %7zu %8zu %6zu\n", label.c_str(), counts[0], counts[1], counts[2],
                counts[3]);
    if (!r.error.empty()) std::printf("    not tested: %s\n", r.error.c_str());
    std::map<std::string, size_t> reasons;
    for (const TestResult& t : r.results) {
      if (t.status == Status::kSkipped) ++reasons[first_line(t.message)];
    }
    for (const auto& [reason, n] : reasons) {
      std::printf("    skipped-unsupported (%zu): %s\n", n, reason.c_str());
    }
    for (const TestResult& t : r.results) {
      if (t.status == Status::kFailed) {
        std::printf("    FAILED: %s\n        %s\n", t.name.c_str(), first_line(t.message).c_str());
      }
      if (t.status == Status::kKnown && !run_known_failures) {
        std::printf("    known failure (not run): %s | %s\n", t.name.c_str(), t.message.c_str());
      }
    }
    for (const std::string& name : r.known_now_passing) {
      std::printf("    NOW PASSES (remove from known_failures/%s.txt): %s\n",
                  r.device.backend.c_str(), name.c_str());
    }
  }
  if (reports.size() > 1) {
    std::printf("%-48s %7zu %7zu %8zu %6zu\n", "total", totals[0], totals[1], totals[2], totals[3]);
  }
  std::fflush(stdout);
}

bool write_junit(const std::string& path, const std::vector<DeviceReport>& reports) {
  std::ostringstream body;
  size_t all_tests = 0, all_failures = 0, all_skipped = 0;
  double all_seconds = 0;
  for (const DeviceReport& r : reports) {
    const size_t failures = r.count(Status::kFailed) + (r.error.empty() ? 0 : 1);
    const size_t skipped = r.count(Status::kSkipped) + r.count(Status::kKnown);
    const size_t tests = r.results.size() + (r.error.empty() ? 0 : 1);
    all_tests += tests;
    all_failures += failures;
    all_skipped += skipped;
    all_seconds += r.seconds;
    body << "  <testsuite name=\"" << xml_escape(device_label(r)) << "\" tests=\"" << tests
         << "\" failures=\"" << failures << "\" errors=\"0\" skipped=\"" << skipped << "\" time=\""
         << seconds_text(r.seconds) << "\">\n";
    body << "    <properties>\n      <property name=\"backend\" value=\""
         << xml_escape(r.device.backend) << "\"/>\n      <property name=\"device\" value=\""
         << xml_escape(r.device.name) << "\"/>\n    </properties>\n";
    const std::string prefix = r.device.id() + ".";
    if (!r.error.empty()) {
      body << "    <testcase classname=\"" << xml_escape(prefix + "runner")
           << "\" name=\"device setup\" time=\"0\">\n      <failure message=\""
           << xml_escape(first_line(r.error)) << "\" type=\"error\">" << xml_escape(r.error)
           << "</failure>\n    </testcase>\n";
    }
    for (const TestResult& t : r.results) {
      body << "    <testcase classname=\"" << xml_escape(prefix + t.area) << "\" name=\""
           << xml_escape(t.name) << "\" time=\"" << seconds_text(t.seconds) << "\"";
      switch (t.status) {
        case Status::kPassed:
          body << "/>\n";
          break;
        case Status::kFailed:
          body << ">\n      <failure message=\"" << xml_escape(first_line(t.message))
               << "\" type=\"failure\">" << xml_escape(t.message) << "</failure>\n"
               << "    </testcase>\n";
          break;
        case Status::kSkipped:
          body << ">\n      <skipped message=\"" << xml_escape("unsupported: " + t.message)
               << "\"/>\n    </testcase>\n";
          break;
        case Status::kKnown:
          body << ">\n      <skipped message=\"" << xml_escape("known failure: " + t.message)
               << "\"/>\n    </testcase>\n";
          break;
      }
    }
    body << "  </testsuite>\n";
  }
  std::ofstream file(path, std::ios::trunc);
  file << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ohal-cts\" tests=\""
       << all_tests << "\" failures=\"" << all_failures << "\" errors=\"0\" skipped=\""
       << all_skipped << "\" time=\"" << seconds_text(all_seconds) << "\">\n"
       << body.str() << "</testsuites>\n";
  file.close();
  if (!file) {
    std::fprintf(stderr, "ohal-cts: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

bool write_json(const std::string& path, const std::vector<DeviceReport>& reports, int exit_code,
                double seconds) {
  std::ostringstream out;
  size_t totals[4] = {0, 0, 0, 0};
  out << "{\n  \"schema\": \"ohal-cts/1\",\n  \"exit_code\": " << exit_code
      << ",\n  \"seconds\": " << seconds_text(seconds) << ",\n  \"devices\": [";
  for (size_t d = 0; d < reports.size(); ++d) {
    const DeviceReport& r = reports[d];
    const size_t counts[4] = {r.count(Status::kPassed), r.count(Status::kFailed),
                              r.count(Status::kSkipped), r.count(Status::kKnown)};
    for (int i = 0; i < 4; ++i) totals[i] += counts[i];
    out << (d == 0 ? "\n" : ",\n") << "    {\n      \"id\": " << json_escape(r.device.id())
        << ",\n      \"backend\": " << json_escape(r.device.backend)
        << ",\n      \"index\": " << r.device.index
        << ",\n      \"name\": " << json_escape(r.device.name)
        << ",\n      \"error\": " << json_escape(r.error)
        << ",\n      \"seconds\": " << seconds_text(r.seconds)
        << ",\n      \"passed\": " << counts[0] << ",\n      \"failed\": " << counts[1]
        << ",\n      \"skipped\": " << counts[2] << ",\n      \"known\": " << counts[3]
        << ",\n      \"known_now_passing\": [";
    for (size_t i = 0; i < r.known_now_passing.size(); ++i) {
      out << (i == 0 ? "" : ", ") << json_escape(r.known_now_passing[i]);
    }
    out << "],\n      \"tests\": [";
    for (size_t i = 0; i < r.results.size(); ++i) {
      const TestResult& t = r.results[i];
      out << (i == 0 ? "\n" : ",\n") << "        {\"name\": " << json_escape(t.name)
          << ", \"area\": " << json_escape(t.area) << ", \"status\": \"" << status_name(t.status)
          << "\", \"seconds\": " << seconds_text(t.seconds)
          << ", \"message\": " << json_escape(t.message) << "}";
    }
    out << (r.results.empty() ? "]" : "\n      ]") << "\n    }";
  }
  out << (reports.empty() ? "]" : "\n  ]") << ",\n  \"totals\": {\"passed\": " << totals[0]
      << ", \"failed\": " << totals[1] << ", \"skipped\": " << totals[2]
      << ", \"known\": " << totals[3] << "}\n}\n";
  std::ofstream file(path, std::ios::trunc);
  file << out.str();
  file.close();
  if (!file) {
    std::fprintf(stderr, "ohal-cts: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

}  // namespace cts_runner
