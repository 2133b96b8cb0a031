#include "known_failures.hpp"

#include <cstdio>
#include <fstream>

namespace cts_runner {
namespace {

std::string trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const size_t last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

}  // namespace

std::map<std::string, std::string> load_known_failures(const std::string& path) {
  std::map<std::string, std::string> known;
  std::ifstream file(path);
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    const std::string text = trim(line);
    if (text.empty() || text[0] == '#') continue;
    const size_t bar = text.find('|');
    const std::string name = trim(text.substr(0, bar));
    const std::string reason = bar == std::string::npos ? "" : trim(text.substr(bar + 1));
    if (name.empty() || reason.empty()) {
      std::fprintf(stderr, "ohal-cts: %s:%d: expected 'test name | reason'\n", path.c_str(),
                   number);
      continue;
    }
    known[name] = reason;
  }
  return known;
}

}  // namespace cts_runner
