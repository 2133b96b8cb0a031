// Mutant: a launch drops its last block. Through the table alone a wrapper can only shrink the
// grid, so it drops the last block column: grid.x - 1 (or y, or z, when x is 1); a one-block
// launch does not run at all.
#include "wrap_reference.hpp"

namespace {

const ohal_backend_t* g_real = nullptr;
ohal_backend_t g_table;

ohal_result_t launch_dropping_last_block(ohal_bstream_t stream, ohal_bkernel_t kernel,
                                         const ohal_launch_config_t* config, uint32_t arg_count,
                                         const ohal_kernel_arg_t* args) {
  ohal_launch_config_t shrunk = *config;
  for (uint32_t& dim : shrunk.grid) {
    if (dim > 1) {
      --dim;
      return g_real->launch(stream, kernel, &shrunk, arg_count, args);
    }
  }
  return OHAL_SUCCESS;  // the only block is the last one
}

}  // namespace

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  const ohal_result_t r =
      cts_mutant::wrap_reference(abi_version, host, "mutant_launch", &g_table, &g_real);
  if (r != OHAL_SUCCESS) return r;
  g_table.launch = launch_dropping_last_block;
  *out = &g_table;
  return OHAL_SUCCESS;
}
