#include "runner.hpp"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "known_failures.hpp"
#include "process.hpp"
#include "report.hpp"
#include "results.hpp"

namespace cts_runner {
namespace {

constexpr const char* kUsage =
    "usage: ohal-cts [options]\n"
    "  --list                  list the devices and test cases, run nothing\n"
    "  --backend NAME[,NAME]   load only these plugins; devices of the first are tested,\n"
    "                          the others only provide second devices\n"
    "  --device N              test only device N of the visible list\n"
    "  --filter SPEC           Catch2 test spec, e.g. \"[copy]\" or \"launch: *\"\n"
    "  --junit FILE            write a JUnit XML report\n"
    "  --json FILE             write a JSON report\n"
    "  --bundle FILE           CTS kernel bundle (default: ../share/openai_hal/cts/ next to\n"
    "                          this binary)\n"
    "  --run-known-failures    run the tests of known_failures/<backend>.txt too\n"
    "  --known-failures DIR    folder of <backend>.txt files (default: ../share/openai_hal/cts/\n"
    "                          known_failures next to this binary)\n"
    "  --timeout SECONDS       kill a device's run after this long without progress (300)\n"
    "  --verbose               print each test's duration\n"
    "exit status: 0 all passed, 1 a test failed, 2 usage error or nothing could be tested\n";

struct Options {
  bool list = false;
  std::string backends;
  long device = -1;
  std::string filter;
  std::string junit;
  std::string json;
  std::string bundle;
  std::string known_failures_dir;
  bool run_known_failures = false;
  double timeout = 300;
  bool verbose = false;
};

bool parse_options(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    const size_t eq = arg.find('=');
    const bool has_inline = arg.rfind("--", 0) == 0 && eq != std::string::npos;
    if (has_inline) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    auto take = [&](std::string* out) {
      if (has_inline) {
        *out = value;
        return true;
      }
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ohal-cts: %s needs a value\n", arg.c_str());
        return false;
      }
      *out = argv[++i];
      return true;
    };
    std::string number;
    if (arg == "--list") {
      o->list = true;
    } else if (arg == "--run-known-failures") {
      o->run_known_failures = true;
    } else if (arg == "--verbose") {
      o->verbose = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else if (arg == "--backend") {
      if (!take(&o->backends)) return false;
    } else if (arg == "--filter") {
      if (!take(&o->filter)) return false;
    } else if (arg == "--junit") {
      if (!take(&o->junit)) return false;
    } else if (arg == "--json") {
      if (!take(&o->json)) return false;
    } else if (arg == "--bundle") {
      if (!take(&o->bundle)) return false;
    } else if (arg == "--known-failures") {
      if (!take(&o->known_failures_dir)) return false;
    } else if (arg == "--device" || arg == "--timeout") {
      if (!take(&number)) return false;
      char* end = nullptr;
      const double v = std::strtod(number.c_str(), &end);
      if (end == number.c_str() || *end != '\0' || v < 0) {
        std::fprintf(stderr, "ohal-cts: %s: not a number: %s\n", arg.c_str(), number.c_str());
        return false;
      }
      if (arg == "--device") {
        o->device = static_cast<long>(v);
      } else {
        o->timeout = v;
      }
    } else {
      std::fprintf(stderr, "ohal-cts: unknown option %s\n%s", argv[i], kUsage);
      return false;
    }
  }
  return true;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, sep)) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string data_dir() {
  const std::string self = self_path();
  const std::string bin = self.substr(0, self.rfind('/'));
  return bin + "/../share/openai_hal/cts";
}

struct Enumeration {
  std::vector<BackendInfo> backends;
  std::vector<DeviceInfo> devices;
  ChildExit exit;
};

Enumeration enumerate_devices(double timeout) {
  Enumeration e;
  std::string out;
  e.exit = run_capture({self_path(), "--cts-child-enumerate"}, &out, timeout);
  std::stringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const std::vector<std::string> f = split_fields(line);
    if (f.size() >= 5 && f[0] == "BACKEND") {
      BackendInfo b;
      b.name = f[1];
      b.loaded = f[2] == "loaded";
      b.device_count = static_cast<uint32_t>(std::strtoul(f[3].c_str(), nullptr, 10));
      b.reason = f[4];
      e.backends.push_back(b);
    } else if (f.size() >= 5 && f[0] == "DEVICE") {
      DeviceInfo d;
      d.index = static_cast<uint32_t>(std::strtoul(f[1].c_str(), nullptr, 10));
      d.backend = f[2];
      d.backend_index = static_cast<uint32_t>(std::strtoul(f[3].c_str(), nullptr, 10));
      d.name = f[4];
      e.devices.push_back(d);
    }
  }
  return e;
}

bool list_tests(const std::string& filter, std::vector<TestInfo>* tests) {
  std::vector<std::string> argv = {self_path(), "--cts-child-list"};
  if (!filter.empty()) argv.push_back(filter);
  std::string out;
  const ChildExit e = run_capture(argv, &out, 120);
  if (!e.exited || e.code != 0) {
    std::fprintf(stderr, "ohal-cts: listing the tests failed: %s\n", e.describe().c_str());
    return false;
  }
  std::stringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    const std::vector<std::string> f = split_fields(line);
    if (f.size() >= 3 && f[0] == "TEST") {
      if (f[1].find_first_of(",[]*\"~\\") != std::string::npos) {
        std::fprintf(stderr, "ohal-cts: test name has a character Catch2 test specs reserve: %s\n",
                     f[1].c_str());
      }
      tests->push_back({f[1], f[2]});
    }
  }
  return true;
}

// Runs the tests on one device, restarting the child after a crash or hang.
DeviceReport run_device(const Options& o, const DeviceInfo& device,
                        const std::vector<TestInfo>& tests, const std::string& bundle,
                        const std::string& work_dir) {
  const auto started = std::chrono::steady_clock::now();
  DeviceReport report;
  report.device = device;
  const std::map<std::string, std::string> known = load_known_failures(
      (o.known_failures_dir.empty() ? data_dir() + "/known_failures" : o.known_failures_dir) + "/" +
      device.backend + ".txt");
  std::map<std::string, std::string> area_of;
  std::vector<std::string> pending;
  for (const TestInfo& t : tests) {
    area_of[t.name] = t.area;
    const auto k = known.find(t.name);
    if (k != known.end() && !o.run_known_failures) {
      report.results.push_back({t.name, t.area, Status::kKnown, 0, k->second});
    } else {
      pending.push_back(t.name);
    }
  }
  const std::string names_file = work_dir + "/tests-" + std::to_string(device.index) + ".txt";
  const std::string results_file = work_dir + "/results-" + std::to_string(device.index) + ".txt";
  bool first_attempt = true;
  while (!pending.empty()) {
    std::vector<std::string> argv = {self_path(),     "--cts-child-run",
                                     "--cts-device",  std::to_string(device.index),
                                     "--cts-bundle",  bundle,
                                     "--cts-results", results_file};
    if (pending.size() == tests.size()) {
      // Everything the filter selects: pass the filter itself (Catch2 echoes it).
      if (!o.filter.empty()) argv.push_back(o.filter);
    } else {
      std::ofstream names(names_file, std::ios::trunc);
      for (const std::string& name : pending) names << name << '\n';
      argv.push_back("-f");
      argv.push_back(names_file);
    }
    std::remove(results_file.c_str());
    if (o.verbose) {
      argv.push_back("-d");
      argv.push_back("yes");
    }
    off_t last_size = -1;
    const ChildExit exit = run_watched(argv, o.timeout, [&] {
      struct stat st {};
      const off_t size = ::stat(results_file.c_str(), &st) == 0 ? st.st_size : 0;
      const bool moved = size != last_size;
      last_size = size;
      return moved;
    });

    std::set<std::string> reported;
    std::string in_progress;
    size_t last_index = SIZE_MAX;  // the last result of this attempt
    bool any_failed = false;       // the child exits 1 when a test failed
    std::ifstream results(results_file);
    std::string line;
    while (std::getline(results, line)) {
      const std::vector<std::string> f = split_fields(line);
      if (f.size() >= 2 && f[0] == "S") in_progress = f[1];
      if (f.size() < 5 || f[0] != "E") continue;
      in_progress.clear();
      any_failed = any_failed || f[2] == "failed";
      TestResult r{f[1], area_of[f[1]], Status::kFailed, std::strtod(f[3].c_str(), nullptr), f[4]};
      r.status = f[2] == "passed"    ? Status::kPassed
                 : f[2] == "skipped" ? Status::kSkipped
                                     : Status::kFailed;
      const auto k = known.find(r.name);
      if (k != known.end()) {
        if (r.status == Status::kPassed) {
          report.known_now_passing.push_back(r.name);
        } else if (r.status == Status::kFailed) {
          r.status = Status::kKnown;
          r.message = k->second + "\n" + r.message;
        }
      }
      last_index = report.results.size();
      report.results.push_back(r);
      reported.insert(r.name);
    }
    if (first_attempt && reported.empty() && in_progress.empty() &&
        (!exit.exited || exit.code != 0)) {
      report.error = "the test process " + exit.describe() + " before running any test";
      break;
    }
    first_attempt = false;
    // Exiting in the middle of a test (a sanitizer's report, a library's exit()) is dying too.
    const bool died = !exit.exited || exit.timed_out || !in_progress.empty();
    // So is any status but the child's own after the last test (a leak or race found at exit).
    const bool bad_end = died || (exit.code != 0 && !(exit.code == 1 && any_failed));
    if (!in_progress.empty()) {
      report.results.push_back({in_progress, area_of[in_progress], Status::kFailed, 0,
                                "the test process " + exit.describe() + " during this test"});
      reported.insert(in_progress);
      std::fprintf(stderr, "ohal-cts: %s: '%s': the test process %s\n", device.id().c_str(),
                   in_progress.c_str(), exit.describe().c_str());
    } else if (died && last_index != SIZE_MAX &&
               report.results[last_index].status != Status::kPassed) {
      // Catch2's signal handler reported the test before the process died.
      report.results[last_index].message += "\nthe test process " + exit.describe();
    }
    std::vector<std::string> left;
    for (const std::string& name : pending) {
      if (reported.count(name) == 0) left.push_back(name);
    }
    if (left.empty() && bad_end && in_progress.empty() &&
        (last_index == SIZE_MAX || report.results[last_index].status == Status::kPassed)) {
      report.error = "the test process " + exit.describe() + " after its last test";
    }
    if (!left.empty() && died && !reported.empty()) {
      std::fprintf(stderr, "ohal-cts: %s: restarting with the %zu remaining tests\n",
                   device.id().c_str(), left.size());
    } else if (!left.empty()) {
      // Ended without running these (or without any progress): do not loop on them.
      for (const std::string& name : left) {
        report.results.push_back({name, area_of[name], Status::kFailed, 0,
                                  "not run: the test process " + exit.describe()});
      }
      left.clear();
    }
    pending.swap(left);
  }
  std::remove(names_file.c_str());
  std::remove(results_file.c_str());
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace

int runner_main(int argc, char** argv) {
  const auto started = std::chrono::steady_clock::now();
  Options o;
  if (!parse_options(argc, argv, &o)) return 2;
  const std::vector<std::string> backends = split(o.backends, ',');
  if (!backends.empty()) ::setenv("OHAL_BACKENDS", o.backends.c_str(), 1);
  // Lets the allocate-until-exhausted test run on cpu_ref (other backends ignore it).
  ::setenv("OHAL_CPU_REF_MEMORY_LIMIT", "1073741824", 0);
  const std::string bundle = o.bundle.empty() ? data_dir() + "/cts_kernels.ohalb" : o.bundle;

  const Enumeration found = enumerate_devices(o.timeout);
  for (const BackendInfo& b : found.backends) {
    std::printf("backend %-12s %s", b.name.c_str(), b.loaded ? "loaded" : "FAILED");
    if (b.loaded) std::printf(", %u device(s)", b.device_count);
    if (!b.reason.empty()) std::printf(": %s", b.reason.c_str());
    std::printf("\n");
  }
  if (!found.exit.exited || found.exit.code != 0) {
    std::fprintf(stderr, "ohal-cts: device enumeration %s\n", found.exit.describe().c_str());
  }
  std::vector<TestInfo> tests;
  if (!list_tests(o.filter, &tests)) return 2;

  std::vector<DeviceInfo> selected;
  for (const DeviceInfo& d : found.devices) {
    if (!backends.empty() && d.backend != backends.front()) continue;
    if (o.device >= 0 && d.index != static_cast<uint32_t>(o.device)) continue;
    selected.push_back(d);
  }
  if (o.list) {
    for (const DeviceInfo& d : found.devices) {
      std::printf("device %u: %s (%s)\n", d.index, d.id().c_str(), d.name.c_str());
    }
    for (const TestInfo& t : tests) std::printf("%s\t[%s]\n", t.name.c_str(), t.area.c_str());
    std::printf("%zu test cases\n", tests.size());
    return 0;
  }
  if (!file_exists(bundle)) {
    std::fprintf(stderr, "ohal-cts: kernel bundle not found: %s (use --bundle)\n", bundle.c_str());
    return 2;
  }

  char work_template[] = "/tmp/ohal-cts-XXXXXX";
  const char* work_dir = ::mkdtemp(work_template);
  if (work_dir == nullptr) {
    std::perror("ohal-cts: mkdtemp");
    return 2;
  }
  std::vector<DeviceReport> reports;
  for (const DeviceInfo& d : selected) {
    std::printf("\n== %s (%s): %zu test cases ==\n", d.id().c_str(), d.name.c_str(), tests.size());
    std::fflush(stdout);
    reports.push_back(run_device(o, d, tests, bundle, work_dir));
  }
  ::rmdir(work_dir);

  bool failed = false;
  for (const DeviceReport& r : reports) {
    failed = failed || r.count(Status::kFailed) > 0 || !r.error.empty();
  }
  int exit_code = failed ? 1 : 0;
  if (selected.empty()) {
    std::fprintf(stderr, "ohal-cts: no device to test%s%s\n",
                 backends.empty() ? "" : " for backend ",
                 backends.empty() ? "" : backends.front().c_str());
    exit_code = 2;
  }
  print_summary(reports, o.run_known_failures);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("ohal-cts: %.1f s, exit status %d\n", seconds, exit_code);
  if (!o.junit.empty() && !write_junit(o.junit, reports)) exit_code = 2;
  if (!o.json.empty() && !write_json(o.json, reports, exit_code, seconds)) exit_code = 2;
  return exit_code;
}

}  // namespace cts_runner
