// The runner's outputs: the console summary, JUnit XML and JSON.
#pragma once

#include <string>
#include <vector>

#include "results.hpp"

namespace cts_runner {

void print_summary(const std::vector<DeviceReport>& reports, bool run_known_failures);

// Both return false (with a message on stderr) when the file cannot be written.
bool write_junit(const std::string& path, const std::vector<DeviceReport>& reports);
bool write_json(const std::string& path, const std::vector<DeviceReport>& reports, int exit_code,
                double seconds);

}  // namespace cts_runner
