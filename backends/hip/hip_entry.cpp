// The plugin's one export: the backend table.
#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {
namespace {

#define OHAL_HIP_STR2(x) #x
#define OHAL_HIP_STR(x) OHAL_HIP_STR2(x)

const ohal_backend_t kBackend = [] {
  ohal_backend_t table{};
  table.struct_size = sizeof(ohal_backend_t);
  table.abi_version = OHAL_BACKEND_ABI_VERSION;
  table.name = "hip";
  table.version = "0.1.0 (built with HIP " OHAL_HIP_STR(HIP_VERSION_MAJOR) "." OHAL_HIP_STR(
      HIP_VERSION_MINOR) ")";
  table.init = init;
  table.shutdown = shutdown;
  table.device_count = device_count;
  table.device_get = device_get;
  table.device_get_properties = device_get_properties;
  table.device_synchronize = device_synchronize;
  table.mem_alloc = mem_alloc;
  table.mem_free = mem_free;
  table.mem_get_info = mem_get_info;
  table.stream_create = stream_create;
  table.stream_destroy = stream_destroy;
  table.stream_synchronize = stream_synchronize;
  table.stream_query = stream_query;
  table.stream_wait_event = stream_wait_event;
  table.event_create = event_create;
  table.event_destroy = event_destroy;
  table.event_record = event_record;
  table.event_synchronize = event_synchronize;
  table.event_query = event_query;
  table.module_load = module_load;
  table.module_unload = module_unload;
  table.module_get_kernel = module_get_kernel;
  table.kernel_get_properties = kernel_get_properties;
  table.launch = launch;
  table.memcpy_async = memcpy_async;
  table.memset_async = memset_async;
  table.stream_launch_host_func = stream_launch_host_func;
  table.event_elapsed_time = event_elapsed_time;
  return table;
}();

}  // namespace
}  // namespace ohal::hip

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  if (out == nullptr || host == nullptr) return OHAL_ERROR_NULL_POINTER;
  if (host->struct_size < sizeof(ohal_host_services_t)) return OHAL_ERROR_STRUCT_SIZE;
  if (OHAL_BACKEND_ABI_MAJOR(abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    return OHAL_ERROR_UNSUPPORTED;
  }
  ohal::hip::state().host = host;
  *out = &ohal::hip::kBackend;
  return OHAL_SUCCESS;
}
