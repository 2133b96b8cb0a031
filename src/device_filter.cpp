// OHAL_VISIBLE_DEVICES: comma-separated entries "backend:index", "backend:*", "backend".
#include <charconv>

#include "log.hpp"
#include "runtime.hpp"

namespace ohal {

DeviceFilter::DeviceFilter(const std::string& spec) {
  size_t start = 0;
  while (start <= spec.size()) {
    size_t end = spec.find(',', start);
    if (end == std::string::npos) end = spec.size();
    std::string entry = spec.substr(start, end - start);
    start = end + 1;
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (entry.empty()) continue;
    all_ = false;
    const size_t colon = entry.find(':');
    Entry parsed{entry.substr(0, colon), -1};
    if (colon != std::string::npos) {
      const std::string index = entry.substr(colon + 1);
      if (index != "*") {
        uint32_t value = 0;
        auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), value);
        if (ec != std::errc() || ptr != index.data() + index.size()) {
          logf(OHAL_LOG_LEVEL_WARN, "OHAL_VISIBLE_DEVICES entry '{}' ignored: bad index", entry);
          continue;
        }
        parsed.index = value;
      }
    }
    entries_.push_back(parsed);
  }
}

bool DeviceFilter::visible(const std::string& backend, uint32_t index) const noexcept {
  if (all_) return true;
  for (const Entry& entry : entries_) {
    if (entry.backend == backend && (entry.index < 0 || entry.index == index)) return true;
  }
  return false;
}

}  // namespace ohal
