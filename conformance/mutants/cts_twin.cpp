// Not a mutant: an unchanged second instance of the reference backend, so that the cross-device
// tests (OHAL_ERROR_DEVICE_MISMATCH) run on any machine: ohal-cts --backend cpu_ref,cts_twin.
#include "wrap_reference.hpp"

namespace {

const ohal_backend_t* g_real = nullptr;
ohal_backend_t g_table;

}  // namespace

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  const ohal_result_t r =
      cts_mutant::wrap_reference(abi_version, host, "cts_twin", &g_table, &g_real);
  if (r != OHAL_SUCCESS) return r;
  *out = &g_table;
  return OHAL_SUCCESS;
}
