// The plugin's one export: the backend table.
#include "plugin_entry.hpp"
#include "ze_entries.h"
#include "ze_state.h"

namespace ohal::ze {
namespace {

const ohal_backend_t kBackend =
    OHAL_BACKEND_TABLE("levelzero", "0.1.0 (Level Zero loader libze_loader.so.1)");

}  // namespace
}  // namespace ohal::ze

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  return ohal::plugin::answer_entry(abi_version, host, out, ohal::ze::state().host,
                                    ohal::ze::kBackend);
}
