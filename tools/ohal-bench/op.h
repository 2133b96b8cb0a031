// The unit that ohal-bench times: one side (HAL or raw baseline) of one workload at one size.
#ifndef OHAL_BENCH_OP_H
#define OHAL_BENCH_OP_H

#include <cstdint>
#include <stdexcept>
#include <string>

namespace ohal_bench {

// Thrown by setup code and by Op::run on a failed call; the workload's row shows the message and
// the run exits non-zero.
class BenchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown when the device cannot run a workload at all (no kernel image in a format it takes):
// the row is reported as skipped, not failed.
class BenchUnsupported : public BenchError {
 public:
  using BenchError::BenchError;
};

class Op {
 public:
  virtual ~Op() = default;
  // Performs `iterations` repetitions of the operation and returns once all of them completed
  // (for asynchronous APIs: after synchronizing). The harness times this call, so it must not
  // allocate or check results beyond the API's return codes. Throws BenchError.
  virtual void run(uint64_t iterations) = 0;
  // Checks the results of every run so far against the expected values. Returns an empty string
  // when they are correct, otherwise what differs. Throws BenchError on a failed call.
  virtual std::string verify() = 0;
};

}  // namespace ohal_bench

#endif  // OHAL_BENCH_OP_H
