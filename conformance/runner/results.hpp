// The runner's data model: devices, tests and their results.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cts_runner {

struct DeviceInfo {
  uint32_t index = 0;          // in the visible list of the run
  std::string backend;         // plugin name
  uint32_t backend_index = 0;  // index among the plugin's devices
  std::string name;
  std::string id() const { return backend + ":" + std::to_string(backend_index); }
};

struct BackendInfo {
  std::string name;
  bool loaded = false;
  uint32_t device_count = 0;
  std::string reason;
};

struct TestInfo {
  std::string name;
  std::string area;  // the first tag, without brackets
};

enum class Status { kPassed, kFailed, kSkipped, kKnown };

const char* status_name(Status status);

struct TestResult {
  std::string name;
  std::string area;
  Status status = Status::kFailed;
  double seconds = 0;
  std::string message;  // skip reason, failure text, or known-failure reason
};

struct DeviceReport {
  DeviceInfo device;
  std::vector<TestResult> results;
  std::vector<std::string> known_now_passing;
  std::string error;  // set when the device could not be tested at all
  double seconds = 0;
  size_t count(Status status) const;
};

// Replaces bytes that are not valid UTF-8 with '?' (reports must be valid UTF-8).
std::string sanitize_utf8(const std::string& text);

// Tab-separated lines with \\, \t and \n escaped (the child's results file and its stdout).
std::string escape_field(const std::string& text);
std::string unescape_field(const std::string& text);
std::vector<std::string> split_fields(const std::string& line);

}  // namespace cts_runner
