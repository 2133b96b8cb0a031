// The plugin's one export and its function table. Entries only map handles to the objects of
// the other files; the front-end validated the arguments.
#include <cerrno>
#include <cstring>
#include <new>

#include "copy.h"
#include "cpu_ref.h"
#include "device.h"
#include "event.h"
#include "launch.h"
#include "memory.h"
#include "module.h"
#include "stream.h"
#include "thread_pool.h"

namespace ohal::cpu_ref {

const ohal_host_services_t* g_host = nullptr;

ohal_result_t set_error(ohal_result_t result, const std::string& message) {
  if (g_host != nullptr && g_host->set_error != nullptr) {
    return g_host->set_error(result, message.c_str());
  }
  return result;
}

std::string errno_message(const char* call, int error) {
  const char* name = strerrorname_np(error);
  return std::string(call) + ": " + (name != nullptr ? name : "errno") + " (" +
         std::to_string(error) + "): " + std::strerror(error);
}

void log(ohal_log_level_t level, const std::string& message) {
  if (g_host == nullptr || g_host->log == nullptr) return;
  if (g_host->log_level != nullptr && level > g_host->log_level()) return;
  g_host->log(level, kName, message.c_str());
}

namespace {

Device* dev(ohal_bdevice_t d) {
  return from_handle<Device>(d);
}
Stream* str(ohal_bstream_t s) {
  return from_handle<Stream>(s);
}
Event* evt(ohal_bevent_t e) {
  return from_handle<Event>(e);
}

ohal_result_t no_memory(const char* what) {
  return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, std::string("cpu_ref: no memory for ") + what);
}

ohal_result_t init() {
  if (ohal_result_t r = create_device(); r != OHAL_SUCCESS) return r;
  if (ohal_result_t r = ThreadPool::instance().start(); r != OHAL_SUCCESS) {
    destroy_device();
    return r;
  }
  return OHAL_SUCCESS;
}

void shutdown() {
  ThreadPool::instance().stop();
  destroy_device();
}

ohal_result_t device_count(uint32_t* count) {
  *count = the_device() != nullptr ? 1u : 0u;
  return OHAL_SUCCESS;
}

ohal_result_t device_get(uint32_t index, ohal_bdevice_t* device) {
  if (index != 0 || the_device() == nullptr) {
    return set_error(OHAL_ERROR_NO_DEVICE, "cpu_ref has one device (index 0)");
  }
  *device = to_handle<ohal_bdevice_t>(the_device());
  return OHAL_SUCCESS;
}

ohal_result_t device_get_properties(ohal_bdevice_t device, ohal_device_properties_t* p) {
  dev(device)->get_properties(p);
  return OHAL_SUCCESS;
}

ohal_result_t device_synchronize(ohal_bdevice_t device) {
  return dev(device)->synchronize();
}

ohal_result_t b_mem_alloc(ohal_bdevice_t device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                          ohal_balloc_t* out) {
  return mem_alloc(*dev(device), size, kind, flags, out);
}

ohal_result_t b_mem_free(ohal_bdevice_t device, void* alloc) {
  return mem_free(*dev(device), alloc);
}

ohal_result_t mem_get_info(ohal_bdevice_t device, uint64_t* free_bytes, uint64_t* total_bytes) {
  *free_bytes = dev(device)->free_memory();
  *total_bytes = dev(device)->total_memory();
  return OHAL_SUCCESS;
}

ohal_result_t stream_create(ohal_bdevice_t device, uint32_t, ohal_bstream_t* out) {
  std::shared_ptr<Stream> s;
  try {
    s = std::make_shared<Stream>(*dev(device));
    dev(device)->add_stream(s);
  } catch (const std::bad_alloc&) {
    return no_memory("a stream");
  }
  *out = to_handle<ohal_bstream_t>(s.get());
  return OHAL_SUCCESS;
}

ohal_result_t stream_destroy(ohal_bstream_t stream) {
  Stream* s = str(stream);
  s->wait_for(s->submitted());
  // Workers may still hold the stream for a moment after its last operation; they keep it alive.
  s->device().remove_stream(s);
  return OHAL_SUCCESS;
}

ohal_result_t stream_synchronize(ohal_bstream_t stream) {
  return str(stream)->synchronize();
}
ohal_result_t stream_query(ohal_bstream_t stream) {
  return str(stream)->query();
}

ohal_result_t b_stream_wait_event(ohal_bstream_t stream, ohal_bevent_t event) {
  return stream_wait_event(*str(stream), *evt(event));
}

ohal_result_t event_create(ohal_bdevice_t, uint32_t flags, ohal_bevent_t* out) {
  auto* e = new (std::nothrow) Event(flags);
  if (e == nullptr) return no_memory("an event");
  *out = to_handle<ohal_bevent_t>(e);
  return OHAL_SUCCESS;
}

ohal_result_t event_destroy(ohal_bevent_t event) {
  delete evt(event);  // queued records and waits hold their timeline points
  return OHAL_SUCCESS;
}

ohal_result_t event_record(ohal_bevent_t event, ohal_bstream_t stream) {
  return record_event(*evt(event), *str(stream));
}

ohal_result_t b_event_synchronize(ohal_bevent_t event) {
  return event_synchronize(*evt(event));
}
ohal_result_t b_event_query(ohal_bevent_t event) {
  return event_query(*evt(event));
}

ohal_result_t b_event_elapsed_time(ohal_bevent_t start, ohal_bevent_t end, float* ms) {
  return event_elapsed_time(*evt(start), *evt(end), ms);
}

ohal_result_t b_module_load(ohal_bdevice_t, const ohal_module_desc_t* desc, ohal_bmodule_t* out) {
  if (desc->format != OHAL_KERNEL_FORMAT_NATIVE_SO) {
    return set_error(OHAL_ERROR_UNSUPPORTED, "cpu_ref loads NATIVE_SO images only");
  }
  Module* m = nullptr;
  if (ohal_result_t r = module_load(desc, &m); r != OHAL_SUCCESS) return r;
  *out = to_handle<ohal_bmodule_t>(m);
  return OHAL_SUCCESS;
}

ohal_result_t module_unload(ohal_bmodule_t module) {
  Module* m = from_handle<Module>(module);
  const ohal_result_t r = m->unload();
  delete m;
  return r;
}

ohal_result_t module_get_kernel(ohal_bmodule_t module, const char* name, ohal_bkernel_t* out) {
  Kernel* k = from_handle<Module>(module)->find(name);
  if (k == nullptr) {
    return set_error(OHAL_ERROR_KERNEL_NOT_FOUND,
                     std::string("cpu_ref: no kernel '") + name + "' in the module");
  }
  *out = to_handle<ohal_bkernel_t>(k);
  return OHAL_SUCCESS;
}

ohal_result_t b_kernel_get_properties(ohal_bkernel_t kernel, ohal_kernel_properties_t* p) {
  kernel_get_properties(*from_handle<Kernel>(kernel), p);
  return OHAL_SUCCESS;
}

ohal_result_t b_launch(ohal_bstream_t stream, ohal_bkernel_t kernel,
                       const ohal_launch_config_t* config, uint32_t arg_count,
                       const ohal_kernel_arg_t* args) {
  return launch(*str(stream), *from_handle<Kernel>(kernel), config, arg_count, args);
}

ohal_result_t b_memcpy_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst,
                             const ohal_bmem_ref_t* src, size_t size) {
  return memcpy_async(*str(stream), dst, src, size);
}

ohal_result_t b_memset_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                             uint32_t element_size, size_t count) {
  return memset_async(*str(stream), dst, pattern, element_size, count);
}

ohal_result_t b_launch_host_func(ohal_bstream_t stream, ohal_host_func_t func, void* user_data) {
  return launch_host_func(*str(stream), func, user_data);
}

const ohal_backend_t kBackend = {
    sizeof(ohal_backend_t),
    OHAL_BACKEND_ABI_VERSION,
    kName,
    kVersion,
    init,
    shutdown,
    device_count,
    device_get,
    device_get_properties,
    device_synchronize,
    b_mem_alloc,
    b_mem_free,
    mem_get_info,
    stream_create,
    stream_destroy,
    stream_synchronize,
    stream_query,
    b_stream_wait_event,
    event_create,
    event_destroy,
    event_record,
    b_event_synchronize,
    b_event_query,
    b_module_load,
    module_unload,
    module_get_kernel,
    b_kernel_get_properties,
    b_launch,
    b_memcpy_async,
    b_memset_async,
    b_launch_host_func,
    b_event_elapsed_time,
};

}  // namespace

}  // namespace ohal::cpu_ref

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  if (host == nullptr || out == nullptr) return OHAL_ERROR_NULL_POINTER;
  ohal::cpu_ref::g_host = host;
  if (OHAL_BACKEND_ABI_MAJOR(abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    return ohal::cpu_ref::set_error(OHAL_ERROR_UNSUPPORTED,
                                    "cpu_ref was built for backend ABI major " +
                                        std::to_string(OHAL_BACKEND_ABI_VERSION_MAJOR) + ", got " +
                                        std::to_string(OHAL_BACKEND_ABI_MAJOR(abi_version)));
  }
  *out = &ohal::cpu_ref::kBackend;
  return OHAL_SUCCESS;
}
