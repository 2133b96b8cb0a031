// known_failures/<backend>.txt: `test name | reason` lines, '#' comments.
#pragma once

#include <map>
#include <string>

namespace cts_runner {

// Test name -> reason. A missing file is an empty list; malformed lines are reported on stderr.
std::map<std::string, std::string> load_known_failures(const std::string& path);

}  // namespace cts_runner
