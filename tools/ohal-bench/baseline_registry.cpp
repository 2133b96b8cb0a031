#include <string>
#include <utility>
#include <vector>

#include "baseline.h"

namespace ohal_bench {
namespace {

struct Entry {
  std::string backend;
  BaselineFactory factory;
};

// Function-local so that registrations from other files' static initializers find it built.
std::vector<Entry>& registry() {
  static std::vector<Entry> entries;
  return entries;
}

}  // namespace

BaselineRegistration::BaselineRegistration(const char* backend, BaselineFactory factory) {
  registry().push_back({backend, factory});
}

std::unique_ptr<RawBaseline> create_baseline(const BaselineTarget& target, std::string* why) {
  for (const Entry& entry : registry()) {
    if (entry.backend != target.backend) continue;
    std::string reason;
    auto baseline = entry.factory(target, &reason);
    if (!baseline && why) *why = reason.empty() ? "the baseline could not start" : reason;
    return baseline;
  }
  if (why) *why = "no raw baseline is registered for backend '" + target.backend + "'";
  return nullptr;
}

}  // namespace ohal_bench
