// The kernel table of conformance/README.md ("The CTS kernel set"): names and the byte size of
// each parameter that a launch passes, in order.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace spec {

struct KernelSpec {
  const char* name;
  std::vector<size_t> arg_sizes;
  bool required;  // false: the image may omit it (cts_atomic64 only where 64-bit atomics exist)
};

inline const std::vector<KernelSpec>& kernels() {
  static const std::vector<KernelSpec> table = {
      {"cts_noop", {}, true},
      {"cts_fill_u32", {8, 4, 4}, true},
      {"cts_copy_u32", {8, 8, 4}, true},
      {"cts_saxpy", {4, 4, 8, 8}, true},
      {"cts_index_3d", {8}, true},
      {"cts_args_many", {8, 1, 2, 4, 8, 1, 2, 4, 8, 4, 1, 8, 2, 1, 4, 1, 8}, true},
      {"cts_args_struct", {8, 4, 64, 1}, true},
      {"cts_reduce_static", {8, 4, 8}, true},
      {"cts_dynamic_reverse", {8, 8, 4}, true},
      {"cts_matmul_tiled", {8, 8, 8, 4}, true},
      {"cts_atomic32", {4, 8, 8, 8}, true},
      {"cts_atomic64", {4, 8, 8, 8}, false},
      {"cts_atomic_f32", {4, 8}, false},
      {"cts_spin", {8, 4, 4}, true},
      {"cts_block_id", {8}, true},
      {"cts_trap", {8, 4}, false},
      {"cts_inc", {8}, true},
  };
  return table;
}

// The one kernel with dynamic shared memory: a trailing __local parameter the launch omits.
inline bool has_trailing_local(const char* name) {
  return std::string_view(name) == "cts_dynamic_reverse";
}

}  // namespace spec
