// ohal-bench --backend cuda end to end on the mock driver: the HAL side and the raw CUDA driver
// API baseline (tools/ohal-bench/baseline_cuda.cpp) both run, verify their results and give a
// ratio; without a driver for the baseline, the rows keep the HAL side. Timings are not checked.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>

namespace {

struct Run {
  int status = -1;  // exit status of ohal-bench
  std::string console;
  std::string json;
};

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// Runs ohal-bench with `environment` ("NAME=value ..." for env(1)) and the given arguments.
Run run_bench(const std::string& name, const std::string& environment, const std::string& args) {
  const std::string out = std::string(OHAL_CUDA_TEST_OUTDIR) + "/bench_mock_" + name;
  std::remove((out + ".json").c_str());
  const std::string command = "env -u OHAL_BACKENDS -u OHAL_VISIBLE_DEVICES " + environment + " '" +
                              OHAL_CUDA_TEST_BENCH + "' " + args + " --json '" + out +
                              ".json' > '" + out + ".txt' 2>&1";
  Run run;
  const int raw = std::system(command.c_str());
  run.status = raw != -1 && WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  run.console = read_file(out + ".txt");
  run.json = read_file(out + ".json");
  return run;
}

// The report's result rows, one JSON object a line, keyed "workload size".
std::map<std::string, std::string> rows(const std::string& json) {
  std::map<std::string, std::string> found;
  const std::regex row(R"re(\{"workload": "([^"]+)", "size": "([^"]+)".*\})re");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), row); it != std::sregex_iterator();
       ++it) {
    found[(*it)[1].str() + " " + (*it)[2].str()] = (*it)[0].str();
  }
  return found;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The row workloads ohal-bench --quick prints for one size each (the smallest of each list).
const char* const kRows[] = {"launch.latency 1x1",      "launch.throughput 1x1",
                             "memcpy.h2d 4 KiB",        "memcpy.d2h 4 KiB",
                             "memcpy.d2d 4 KiB",        "memcpy.h2d_pinned 4 KiB",
                             "memcpy.d2h_pinned 4 KiB", "memcpy.h2d_pinned 1 MiB",
                             "memcpy.d2h_pinned 1 MiB", "memcpy.d2d 1 MiB"};

}  // namespace

TEST_CASE("ohal-bench cuda on the mock: HAL and raw CUDA rows, verified, with a ratio",
          "[cuda][bench]") {
  // The mock refuses the sm_90 CUBIN as a GPU of another architecture would, so both sides must
  // fall back to the PTX image of the same kernels.
  const Run run = run_bench("ok",
                            std::string("OHAL_CUDA_DRIVER_PATH='") + OHAL_CUDA_TEST_MOCK_DRIVER +
                                "' OHAL_CUDA_MOCK_REJECT_BINARIES=1",
                            "--backend cuda --quick");
  INFO(run.console);
  REQUIRE(run.status == 0);
  CHECK(has(run.json, R"("backend": "cuda")"));
  CHECK(has(run.json, R"("device": "Mock CUDA Device")"));
  CHECK(has(run.json, R"("kernels": "PTX image)"));
  CHECK(has(run.json, R"("baseline": "CUDA driver API 12.8)"));
  CHECK(has(run.json, "kernels: PTX image"));  // the baseline loaded the same image
  const auto found = rows(run.json);
  for (const char* name : kRows) {
    INFO("row " << name);
    const auto it = found.find(name);
    REQUIRE(it != found.end());
    const std::string& row = it->second;
    INFO(row);
    CHECK(has(row, R"("verified": true)"));
    CHECK(has(row, R"("error": null)"));
    CHECK(has(row, R"("skipped": null)"));
    CHECK(has(row, R"("baseline_note": null)"));
    CHECK_FALSE(has(row, R"("hal": null)"));
    CHECK_FALSE(has(row, R"("baseline": null)"));
    CHECK_FALSE(has(row, R"("ratio": null)"));
  }
  // The kernel rows ran on both sides too (the mock runs the bench kernels on the CPU).
  for (const char* workload : {"saxpy", "reduce.k16"}) {
    INFO("workload " << workload);
    bool seen = false;
    for (const auto& [key, row] : found) {
      if (key.rfind(std::string(workload) + " ", 0) != 0) continue;
      seen = true;
      INFO(row);
      CHECK(has(row, R"("verified": true)"));
      CHECK_FALSE(has(row, R"("baseline": null)"));
    }
    CHECK(seen);
  }
}

TEST_CASE("ohal-bench cuda: without a driver for the baseline the rows keep the HAL side",
          "[cuda][bench]") {
  const Run run = run_bench("no_baseline",
                            std::string("OHAL_CUDA_DRIVER_PATH='") + OHAL_CUDA_TEST_MOCK_DRIVER +
                                "' OHAL_BENCH_CUDA_DRIVER_PATH=/nonexistent/libcuda.so.1",
                            "--backend cuda --quick --filter memcpy.h2d_pinned");
  INFO(run.console);
  REQUIRE(run.status == 0);
  CHECK(has(run.json, "raw CUDA baseline unavailable: /nonexistent/libcuda.so.1"));
  const auto found = rows(run.json);
  const auto it = found.find("memcpy.h2d_pinned 4 KiB");
  REQUIRE(it != found.end());
  INFO(it->second);
  CHECK(has(it->second, R"("verified": true)"));
  CHECK_FALSE(has(it->second, R"("hal": null)"));
  CHECK(has(it->second, R"("baseline": null)"));
  CHECK(has(it->second, "raw CUDA baseline unavailable"));
}

TEST_CASE("ohal-bench cuda without any driver says why and exits 2", "[cuda][bench]") {
  const Run run = run_bench("no_driver", "OHAL_CUDA_DRIVER_PATH=/nonexistent/libcuda.so.1",
                            "--backend cuda --quick");
  INFO(run.console);
  CHECK(run.status == 2);
  CHECK(has(run.console, "no device 0 of backend 'cuda'"));
  CHECK(has(run.console, "/nonexistent/libcuda.so.1: cannot open shared object file"));
}
