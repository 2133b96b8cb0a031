// The backend table's entries, one group per file; ze_entry.cpp assembles the ohal_backend_t.
#pragma once

#include "openai_hal/backend.h"

namespace ohal::ze {

ohal_result_t init();
void shutdown();

ohal_result_t device_count(uint32_t* count);
ohal_result_t device_get(uint32_t index, ohal_bdevice_t* device);
ohal_result_t device_get_properties(ohal_bdevice_t device, ohal_device_properties_t* properties);
ohal_result_t device_synchronize(ohal_bdevice_t device);

ohal_result_t mem_alloc(ohal_bdevice_t device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out);
ohal_result_t mem_free(ohal_bdevice_t device, void* alloc);
ohal_result_t mem_get_info(ohal_bdevice_t device, uint64_t* free_bytes, uint64_t* total_bytes);

ohal_result_t stream_create(ohal_bdevice_t device, uint32_t flags, ohal_bstream_t* stream);
ohal_result_t stream_destroy(ohal_bstream_t stream);
ohal_result_t stream_synchronize(ohal_bstream_t stream);
ohal_result_t stream_query(ohal_bstream_t stream);
ohal_result_t stream_wait_event(ohal_bstream_t stream, ohal_bevent_t event);

ohal_result_t memcpy_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst,
                           const ohal_bmem_ref_t* src, size_t size);
ohal_result_t memset_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count);

ohal_result_t stream_launch_host_func(ohal_bstream_t stream, ohal_host_func_t func,
                                      void* user_data);

ohal_result_t event_create(ohal_bdevice_t device, uint32_t flags, ohal_bevent_t* event);
ohal_result_t event_destroy(ohal_bevent_t event);
ohal_result_t event_record(ohal_bevent_t event, ohal_bstream_t stream);
ohal_result_t event_synchronize(ohal_bevent_t event);
ohal_result_t event_query(ohal_bevent_t event);
ohal_result_t event_elapsed_time(ohal_bevent_t start, ohal_bevent_t end, float* milliseconds);

ohal_result_t module_load(ohal_bdevice_t device, const ohal_module_desc_t* desc,
                          ohal_bmodule_t* module);
ohal_result_t module_unload(ohal_bmodule_t module);
ohal_result_t module_get_kernel(ohal_bmodule_t module, const char* name, ohal_bkernel_t* kernel);
ohal_result_t kernel_get_properties(ohal_bkernel_t kernel, ohal_kernel_properties_t* properties);

ohal_result_t launch(ohal_bstream_t stream, ohal_bkernel_t kernel,
                     const ohal_launch_config_t* config, uint32_t arg_count,
                     const ohal_kernel_arg_t* args);

}  // namespace ohal::ze
