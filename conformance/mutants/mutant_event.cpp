// Mutant: events report zero elapsed time.
#include "wrap_reference.hpp"

namespace {

const ohal_backend_t* g_real = nullptr;
ohal_backend_t g_table;

ohal_result_t elapsed_zero(ohal_bevent_t start, ohal_bevent_t end, float* milliseconds) {
  const ohal_result_t r = g_real->event_elapsed_time(start, end, milliseconds);
  if (r == OHAL_SUCCESS) *milliseconds = 0.0f;
  return r;
}

}  // namespace

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  const ohal_result_t r =
      cts_mutant::wrap_reference(abi_version, host, "mutant_event", &g_table, &g_real);
  if (r != OHAL_SUCCESS) return r;
  if (g_real->event_elapsed_time != nullptr) g_table.event_elapsed_time = elapsed_zero;
  *out = &g_table;
  return OHAL_SUCCESS;
}
