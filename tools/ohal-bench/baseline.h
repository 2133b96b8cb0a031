// Raw baselines: the same workloads written directly against a vendor's own API (or plain C++
// for the CPU), run in the same process as the HAL measurement so that the table can show what
// the HAL costs.
//
// Adding a baseline for a backend (for example baseline_cuda.cpp or baseline_vulkan.cpp):
//  1. Write one file that defines a class derived from RawBaseline and overrides the workloads it
//     offers. A workload it does not override shows "-" in the baseline column.
//  2. Register a factory for the backend's plugin name at namespace scope in that file:
//       OHAL_BENCH_REGISTER_BASELINE("cuda", make_cuda_baseline);
//     The factory receives the device the HAL run selected (BaselineTarget) and returns nullptr
//     with *why set when it cannot run (vendor library missing, no matching device); the table
//     then shows the reason instead of numbers.
//  3. Add the file to the ohal-bench executable in tools/ohal-bench/CMakeLists.txt, guarded by
//     whatever finds the vendor SDK. It must be a source of the executable itself, never of a
//     static library, or the linker drops the registration.
// Rules every baseline follows, so that the ratio compares like with like:
//  - Op::run(n) does n repetitions and returns only when the work completed, as the HAL op does.
//  - Use the device in BaselineTarget (backend_device_index is the index the vendor API uses,
//    e.g. cuDeviceGet's ordinal), the same sizes, and the data in test_data.h, and check results
//    in Op::verify(): a number from a wrong result is never reported as valid.
//  - Kernels: reuse the bench kernel images (kernel_images.h) where the vendor API can load them,
//    so that HAL and baseline run the same code; keep vendor-specific setup out of run().
//  - The baseline owns its resources (context, queues, buffers) and frees them in destructors;
//    it must not call the ohal_* API.
#ifndef OHAL_BENCH_BASELINE_H
#define OHAL_BENCH_BASELINE_H

#include <cstdint>
#include <memory>
#include <string>

#include "op.h"
#include "openai_hal/ohal.h"

namespace ohal_bench {

// Direction of a copy. Host memory is pageable (malloc'd) memory on both sides of the table,
// except in the memcpy.*_pinned rows (RawBaseline::memcpy_pinned).
enum class CopyKind { kHostToDevice, kDeviceToHost, kDeviceToDevice };

// The device the HAL run selected, as a baseline needs it to open the same device natively.
struct BaselineTarget {
  std::string backend;                       // plugin name ("cpu_ref", "cuda", "vulkan")
  uint32_t backend_device_index = 0;         // index among that plugin's (and vendor API's) devices
  ohal_device_properties_t properties = {};  // as ohal_device_get_properties reported them
  bool quick = false;                        // --quick: keep setup small
};

class RawBaseline {
 public:
  virtual ~RawBaseline() = default;
  // One line for the report: what the baseline runs ("plain C++: std::memcpy, 2 std::threads").
  virtual std::string describe() const = 0;

  // Each returns the prepared operation, nullptr when not offered. Throw BenchError on setup
  // failure. Semantics of one iteration (must match hal_ops.cpp):
  // Launch of an empty kernel (grid 1, block 1) and wait for it.
  virtual std::unique_ptr<Op> launch_latency() { return nullptr; }
  // `iterations` launches of the empty kernel back to back, one wait at the end.
  virtual std::unique_ptr<Op> launch_throughput() { return nullptr; }
  // One copy of `bytes` and wait for it.
  virtual std::unique_ptr<Op> memcpy(CopyKind /*kind*/, uint64_t /*bytes*/) { return nullptr; }
  // As memcpy, with pinned host memory (the vendor's page-locked allocation, as the HAL side's
  // OHAL_MEM_KIND_HOST) instead of pageable; kind is kHostToDevice or kDeviceToHost.
  virtual std::unique_ptr<Op> memcpy_pinned(CopyKind /*kind*/, uint64_t /*bytes*/) {
    return nullptr;
  }
  // y = a * x + y over n floats (x, y from test_data.h) and wait; verify expects one update of y
  // per iteration run so far.
  virtual std::unique_ptr<Op> saxpy(uint32_t /*n*/) { return nullptr; }
  // Per-block sums of n floats (reduce_input), each block summing `block * items` consecutive
  // elements, and wait; verify compares with reduce_expected.
  virtual std::unique_ptr<Op> block_reduce(uint32_t /*n*/, uint32_t /*block*/, uint32_t /*items*/) {
    return nullptr;
  }
};

using BaselineFactory = std::unique_ptr<RawBaseline> (*)(const BaselineTarget& target,
                                                         std::string* why);

// Registers `factory` for plugin `backend` (at static initialization; see the macro).
struct BaselineRegistration {
  BaselineRegistration(const char* backend, BaselineFactory factory);
};

#define OHAL_BENCH_REGISTER_BASELINE(backend, factory)                                \
  static const ::ohal_bench::BaselineRegistration ohal_bench_baseline_registration_ { \
    backend, factory                                                                  \
  }

// The baseline registered for target.backend; nullptr with *why set when there is none or it
// cannot run.
std::unique_ptr<RawBaseline> create_baseline(const BaselineTarget& target, std::string* why);

}  // namespace ohal_bench

#endif  // OHAL_BENCH_BASELINE_H
