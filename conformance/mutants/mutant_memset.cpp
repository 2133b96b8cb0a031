// Mutant: memset skips the last element. The CTS must catch it.
#include "wrap_reference.hpp"

namespace {

const ohal_backend_t* g_real = nullptr;
ohal_backend_t g_table;

ohal_result_t memset_skipping_last(ohal_bstream_t stream, const ohal_bmem_ref_t* dst,
                                   uint32_t pattern, uint32_t element_size, size_t count) {
  if (count > 1) --count;
  return g_real->memset_async(stream, dst, pattern, element_size, count);
}

}  // namespace

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  const ohal_result_t r =
      cts_mutant::wrap_reference(abi_version, host, "mutant_memset", &g_table, &g_real);
  if (r != OHAL_SUCCESS) return r;
  g_table.memset_async = memset_skipping_last;
  *out = &g_table;
  return OHAL_SUCCESS;
}
