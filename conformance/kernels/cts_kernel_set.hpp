// The kernel table of conformance/README.md ("The CTS kernel set"): each kernel's name and the
// byte size of each parameter a launch passes, in order. The CTS and the OpenCL reference test
// check images against this one table.
#pragma once

#include <cstdint>
#include <vector>

namespace cts_spec {

struct KernelSpec {
  const char* name;
  std::vector<uint32_t> arg_sizes;
  bool required;          // every image must hold it
  bool needs_atomics_64;  // required only where the device reports OHAL_CAP_ATOMICS_64
};

inline const std::vector<KernelSpec>& kernels() {
  static const std::vector<KernelSpec> table = {
      {"cts_noop", {}, true, false},
      {"cts_fill_u32", {8, 4, 4}, true, false},
      {"cts_copy_u32", {8, 8, 4}, true, false},
      {"cts_saxpy", {4, 4, 8, 8}, true, false},
      {"cts_index_3d", {8}, true, false},
      {"cts_args_many", {8, 1, 2, 4, 8, 1, 2, 4, 8, 4, 1, 8, 2, 1, 4, 1, 8}, true, false},
      {"cts_args_struct", {8, 4, 64, 1}, true, false},
      {"cts_reduce_static", {8, 4, 8}, true, false},
      {"cts_dynamic_reverse", {8, 8, 4}, true, false},
      {"cts_matmul_tiled", {8, 8, 8, 4}, true, false},
      {"cts_atomic32", {4, 8, 8, 8}, true, false},
      {"cts_atomic64", {4, 8, 8, 8}, false, true},
      {"cts_atomic_f32", {4, 8}, false, false},
      {"cts_spin", {8, 4, 4}, true, false},
      {"cts_block_id", {8}, true, false},
      {"cts_trap", {8, 4}, false, false},
      {"cts_inc", {8}, true, false},
  };
  return table;
}

}  // namespace cts_spec
