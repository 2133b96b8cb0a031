#define CATCH_CONFIG_RUNNER
#include "child.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "../tests/cts.hpp"
#include "results.hpp"

namespace cts_runner {
namespace {

int g_results_fd = -1;

// One write per record so that a crash never leaves half a line.
void write_record(const std::vector<std::string>& fields) {
  if (g_results_fd < 0) return;
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) line += '\t';
    line += escape_field(fields[i]);
  }
  line += '\n';
  const char* data = line.data();
  size_t left = line.size();
  while (left > 0) {
    const ssize_t n = ::write(g_results_fd, data, left);
    if (n <= 0) return;
    data += n;
    left -= static_cast<size_t>(n);
  }
}

// Records each test case's outcome, failure text and skip reason as it ends.
class ResultsListener : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;

  void testCaseStarting(Catch::TestCaseInfo const& info) override {
    failures_.clear();
    (void)cts::take_skip_reason();
    start_ = std::chrono::steady_clock::now();
    write_record({"S", info.name});
  }

  bool assertionEnded(Catch::AssertionStats const& stats) override {
    const Catch::AssertionResult& r = stats.assertionResult;
    if (r.isOk() || failures_.size() > 4000) return true;
    std::string text = r.getSourceInfo().file;
    text += ":" + std::to_string(r.getSourceInfo().line) + ": ";
    if (r.hasExpression()) {
      text += r.getExpressionInMacro();
      if (r.hasExpandedExpression()) text += " with expansion " + r.getExpandedExpression();
    }
    if (r.hasMessage()) text += " " + r.getMessage();
    for (const Catch::MessageInfo& info : stats.infoMessages) text += " [" + info.message + "]";
    if (text.size() > 1500) text = text.substr(0, 1500) + "...";
    failures_ += text + "\n";
    return true;
  }

  void testCaseEnded(Catch::TestCaseStats const& stats) override {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::string skip = cts::take_skip_reason();
    const bool failed = stats.totals.assertions.failed > 0 || stats.totals.testCases.failed > 0;
    const char* status = failed ? "failed" : !skip.empty() ? "skipped" : "passed";
    std::string message = failed ? failures_ : skip;
    if (failed && message.empty()) message = "failed (no assertion text)";
    write_record({"E", stats.testInfo.name, status, std::to_string(seconds), message});
  }

 private:
  std::string failures_;
  std::chrono::steady_clock::time_point start_;
};

// Reads `--name value` pairs the runner passes before the Catch2 arguments.
struct ChildArgs {
  std::string mode;
  uint32_t device = 0;
  std::string bundle;
  std::string results;
  std::vector<const char*> catch_args;
};

ChildArgs parse(int argc, char** argv) {
  ChildArgs a;
  a.catch_args.push_back(argv[0]);
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--cts-child-", 0) == 0) {
      a.mode = arg.substr(std::strlen("--cts-child-"));
    } else if (arg == "--cts-device" && i + 1 < argc) {
      a.device = static_cast<uint32_t>(std::strtoul(argv[++i], nullptr, 10));
    } else if (arg == "--cts-bundle" && i + 1 < argc) {
      a.bundle = argv[++i];
    } else if (arg == "--cts-results" && i + 1 < argc) {
      a.results = argv[++i];
    } else {
      a.catch_args.push_back(argv[i]);
    }
  }
  return a;
}

int enumerate() {
  if (ohal_init(nullptr) != OHAL_SUCCESS) {
    std::fprintf(stderr, "ohal-cts: ohal_init failed: %s\n", ohal_last_error_message());
    return 1;
  }
  uint32_t backends = 0, devices = 0;
  (void)ohal_backend_count(&backends);
  for (uint32_t i = 0; i < backends; ++i) {
    ohal_backend_info_t info = OHAL_BACKEND_INFO_INIT;
    if (ohal_backend_get_info(i, &info) != OHAL_SUCCESS) continue;
    const bool loaded = info.status == OHAL_BACKEND_STATUS_LOADED;
    std::cout << "BACKEND\t" << escape_field(info.name) << '\t' << (loaded ? "loaded" : "failed")
              << '\t' << info.device_count << '\t' << escape_field(info.status_reason) << '\n';
  }
  (void)ohal_device_count(&devices);
  for (uint32_t i = 0; i < devices; ++i) {
    ohal_device_t dev = nullptr;
    ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
    if (ohal_device_get(i, &dev) != OHAL_SUCCESS ||
        ohal_device_get_properties(dev, &p) != OHAL_SUCCESS) {
      continue;
    }
    std::cout << "DEVICE\t" << i << '\t' << escape_field(p.backend) << '\t'
              << p.backend_device_index << '\t' << escape_field(p.name) << '\n';
  }
  std::cout.flush();
  (void)ohal_shutdown();
  return 0;
}

int list(Catch::Session& session) {
  const Catch::Config& config = session.config();
  for (const Catch::TestCase& test :
       Catch::filterTests(Catch::getAllTestCasesSorted(config), config.testSpec(), config)) {
    // Test names are "area: what it checks".
    const size_t colon = test.name.find(':');
    const std::string area = colon == std::string::npos ? "other" : test.name.substr(0, colon);
    std::cout << "TEST\t" << escape_field(test.name) << '\t' << escape_field(area) << '\n';
  }
  std::cout.flush();
  return 0;
}

}  // namespace

int child_main(int argc, char** argv) {
  ChildArgs args = parse(argc, argv);
  if (args.mode == "enumerate") return enumerate();
  Catch::Session session;
  const int parsed =
      session.applyCommandLine(static_cast<int>(args.catch_args.size()), args.catch_args.data());
  if (parsed != 0) return parsed;
  if (args.mode == "list") return list(session);
  if (args.mode != "run") {
    std::fprintf(stderr, "ohal-cts: unknown child mode '%s'\n", args.mode.c_str());
    return 2;
  }
  cts::set_device_index(args.device);
  cts::set_bundle_path(args.bundle);
  if (!args.results.empty()) {
    g_results_fd = ::open(args.results.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (g_results_fd < 0) {
      std::perror(args.results.c_str());
      return 2;
    }
  }
  if (ohal_init(nullptr) != OHAL_SUCCESS) {
    std::fprintf(stderr, "ohal-cts: ohal_init failed: %s\n", ohal_last_error_message());
    return 2;
  }
  const int failed = session.run();
  (void)ohal_shutdown();
  if (g_results_fd >= 0) ::close(g_results_fd);
  return failed == 0 ? 0 : 1;
}

CATCH_REGISTER_LISTENER(ResultsListener)

}  // namespace cts_runner
