// The plugin's one export: the backend table.
#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

// Designated initializers keep the table in step with backend.h's order.
const ohal_backend_t kBackend = {
    .struct_size = sizeof(ohal_backend_t),
    .abi_version = OHAL_BACKEND_ABI_VERSION,
    .name = "cuda",
    .version = version_string(),
    .init = init,
    .shutdown = shutdown,
    .device_count = device_count,
    .device_get = device_get,
    .device_get_properties = device_get_properties,
    .device_synchronize = device_synchronize,
    .mem_alloc = mem_alloc,
    .mem_free = mem_free,
    .mem_get_info = mem_get_info,
    .stream_create = stream_create,
    .stream_destroy = stream_destroy,
    .stream_synchronize = stream_synchronize,
    .stream_query = stream_query,
    .stream_wait_event = stream_wait_event,
    .event_create = event_create,
    .event_destroy = event_destroy,
    .event_record = event_record,
    .event_synchronize = event_synchronize,
    .event_query = event_query,
    .module_load = module_load,
    .module_unload = module_unload,
    .module_get_kernel = module_get_kernel,
    .kernel_get_properties = kernel_get_properties,
    .launch = launch,
    .memcpy_async = memcpy_async,
    .memset_async = memset_async,
    .stream_launch_host_func = stream_launch_host_func,
    .event_elapsed_time = event_elapsed_time,
};

}  // namespace
}  // namespace ohal::cuda

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  if (host == nullptr || out == nullptr) return OHAL_ERROR_NULL_POINTER;
  ohal::cuda::g_host = host;
  if (OHAL_BACKEND_ABI_MAJOR(abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    return ohal::cuda::set_error(
        OHAL_ERROR_UNSUPPORTED,
        "cuda: plugin speaks backend ABI major " + std::to_string(OHAL_BACKEND_ABI_VERSION_MAJOR) +
            ", front-end " + std::to_string(OHAL_BACKEND_ABI_MAJOR(abi_version)));
  }
  ohal::cuda::describe_version();
  *out = &ohal::cuda::kBackend;
  return OHAL_SUCCESS;
}
