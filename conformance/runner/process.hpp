// Child processes of the runner: capture their output, or run them under a progress watchdog.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace cts_runner {

struct ChildExit {
  bool exited = false;  // normal exit (else killed by a signal)
  int code = 0;         // exit status, or the signal number
  bool timed_out = false;
  std::string describe() const;
};

// Runs argv to completion and returns its stdout in *out (stderr passes through). A child that
// writes nothing for timeout_seconds is killed (timed_out).
ChildExit run_capture(const std::vector<std::string>& argv, std::string* out,
                      double timeout_seconds);

// Runs argv with stdout/stderr inherited. progress() is polled; when it returns false for
// `timeout_seconds` in a row the child is killed (SIGKILL) and timed_out is set.
ChildExit run_watched(const std::vector<std::string>& argv, double timeout_seconds,
                      const std::function<bool()>& progress);

// This executable's path (/proc/self/exe).
std::string self_path();

}  // namespace cts_runner
