// Mutant: a copy runs at once on the calling thread, before the stream's earlier work (such as
// a running kernel) finished. cpu_ref addresses are host addresses, so memcpy can do it.
#include <cstring>

#include "wrap_reference.hpp"

namespace {

const ohal_backend_t* g_real = nullptr;
ohal_backend_t g_table;

ohal_result_t memcpy_out_of_order(ohal_bstream_t, const ohal_bmem_ref_t* dst,
                                  const ohal_bmem_ref_t* src, size_t size) {
  std::memcpy(dst->ptr, src->ptr, size);
  return OHAL_SUCCESS;
}

}  // namespace

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  const ohal_result_t r =
      cts_mutant::wrap_reference(abi_version, host, "mutant_order", &g_table, &g_real);
  if (r != OHAL_SUCCESS) return r;
  g_table.memcpy_async = memcpy_out_of_order;
  *out = &g_table;
  return OHAL_SUCCESS;
}
