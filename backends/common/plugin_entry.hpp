// The body of every plugin's ohal_backend_entry. The export itself stays in each plugin: it is
// the one symbol its exports.map lets out.
#pragma once

#include "openai_hal/backend.h"

namespace ohal::plugin {

// Checks the front-end's arguments, then keeps host in host_slot (where the plugin's error and
// log paths read it) and hands out table.
inline ohal_result_t answer_entry(uint32_t abi_version, const ohal_host_services_t* host,
                                  const ohal_backend_t** out,
                                  const ohal_host_services_t*& host_slot,
                                  const ohal_backend_t& table) noexcept {
  if (out == nullptr || host == nullptr) return OHAL_ERROR_NULL_POINTER;
  // Services older than this plugin lack members it calls.
  if (host->struct_size < sizeof(ohal_host_services_t)) return OHAL_ERROR_STRUCT_SIZE;
  // Another major version lays the table out differently.
  if (OHAL_BACKEND_ABI_MAJOR(abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    return OHAL_ERROR_UNSUPPORTED;
  }
  host_slot = host;
  *out = &table;
  return OHAL_SUCCESS;
}

}  // namespace ohal::plugin
