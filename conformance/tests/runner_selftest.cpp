// Hidden tests ([.]) that exercise the runner itself: a crash, an exit and a hang must each be
// reported as one failed test, and the tests after them must still run. Only the
// cts_runner_recovery ctest selects them (--filter [runner_selftest]).
#include <csignal>
#include <cstdlib>
#include <thread>

#include "cts.hpp"

TEST_CASE("selftest: passes before the crash", "[.][runner_selftest]") {
  CHECK(1 + 1 == 2);
}

TEST_CASE("selftest: crashes the test process", "[.][runner_selftest]") {
  std::raise(SIGSEGV);
}

TEST_CASE("selftest: hangs until the runner's timeout", "[.][runner_selftest]") {
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}

// As a sanitizer does when it reports (TSan exits with 66).
TEST_CASE("selftest: exits in the middle of a test", "[.][runner_selftest]") {
  std::_Exit(66);
}

TEST_CASE("selftest: passes after the crash and the hang", "[.][runner_selftest]") {
  REQUIRE_OK(ohal_device_synchronize(cts::device()));
}

TEST_CASE("selftest: skips with a reason", "[.][runner_selftest]") {
  CTS_SKIP("selftest skip reason");
}

TEST_CASE("selftest: fails an assertion", "[.][runner_selftest]") {
  CHECK(1 + 1 == 3);
}
