// The plugin's one export: the backend table.
#include "hip_entries.h"
#include "hip_state.h"
#include "plugin_entry.hpp"

namespace ohal::hip {
namespace {

#define OHAL_HIP_STR2(x) #x
#define OHAL_HIP_STR(x) OHAL_HIP_STR2(x)

constexpr char kVersion[] = "0.1.0 (built with HIP " OHAL_HIP_STR(
    HIP_VERSION_MAJOR) "." OHAL_HIP_STR(HIP_VERSION_MINOR) ")";
const ohal_backend_t kBackend = OHAL_BACKEND_TABLE("hip", kVersion);

}  // namespace
}  // namespace ohal::hip

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  return ohal::plugin::answer_entry(abi_version, host, out, ohal::hip::state().host,
                                    ohal::hip::kBackend);
}
