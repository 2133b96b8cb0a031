// Streams: in-order queues owned by the backend; the front-end checks handles and devices.
#include "runtime.hpp"

using namespace ohal;

namespace {
template <typename T>
T* as_handle(const Object* object) {
  return reinterpret_cast<T*>(static_cast<uintptr_t>(object->handle));
}
}  // namespace

extern "C" OHAL_API ohal_result_t ohal_stream_create(ohal_device_t device, uint32_t flags,
                                                     ohal_stream_t* stream) {
  ApiCall call("ohal_stream_create");
  if (stream == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "stream is NULL");
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  if (flags != OHAL_STREAM_FLAG_NONE) {
    return failf(OHAL_ERROR_INVALID_VALUE, "unknown flags 0x{:x}", flags);
  }
  auto* object = new (std::nothrow) Stream(dev.get(), nullptr);
  if (object == nullptr) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory");
  const ohal_backend_t& backend = dev->backend();
  const ohal_result_t result =
      backend.stream_create(dev->backend_device, flags, &object->backend_stream);
  if (result != OHAL_SUCCESS) {
    delete object;
    return backend_result(result, dev.get());
  }
  if (register_object(object) == 0) {
    backend.stream_destroy(object->backend_stream);
    delete object;
    return OHAL_ERROR_OUT_OF_HOST_MEMORY;
  }
  *stream = as_handle<ohal_stream_s>(object);
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_stream_destroy(ohal_stream_t stream) {
  ApiCall call("ohal_stream_destroy");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  Stream* object = s.get();
  s.forget();
  if (!HandleTable::instance().retire(reinterpret_cast<uintptr_t>(stream))) {
    return fail(OHAL_ERROR_INVALID_HANDLE, "stream was destroyed by another thread");
  }
  const ohal_backend_t& backend = object->device->backend();
  const ohal_result_t sticky = backend.stream_synchronize(object->backend_stream);
  backend_result(sticky, object->device);
  const ohal_result_t destroyed = backend.stream_destroy(object->backend_stream);
  Device* device = object->device;
  delete object;
  if (sticky != OHAL_SUCCESS) return sticky;
  return backend_result(destroyed, device);
}

extern "C" OHAL_API ohal_result_t ohal_stream_synchronize(ohal_stream_t stream) {
  ApiCall call("ohal_stream_synchronize");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  return backend_result(s->device->backend().stream_synchronize(s->backend_stream), s->device);
}

extern "C" OHAL_API ohal_result_t ohal_stream_query(ohal_stream_t stream) {
  ApiCall call("ohal_stream_query");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  return backend_result(s->device->backend().stream_query(s->backend_stream), s->device);
}

extern "C" OHAL_API ohal_result_t ohal_stream_wait_event(ohal_stream_t stream, ohal_event_t event) {
  ApiCall call("ohal_stream_wait_event");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  Ref<Event> e = acquire<Event>(event, HandleType::kEvent, "event");
  if (!e) return e.error();
  if (e->device != s->device) {
    return fail(OHAL_ERROR_DEVICE_MISMATCH, "event and stream belong to different devices");
  }
  return backend_result(s->device->backend().stream_wait_event(s->backend_stream, e->backend_event),
                        s->device);
}

extern "C" OHAL_API ohal_result_t ohal_stream_launch_host_func(ohal_stream_t stream,
                                                               ohal_host_func_t func,
                                                               void* user_data) {
  ApiCall call("ohal_stream_launch_host_func");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  if (func == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "func is NULL");
  const ohal_backend_t& backend = s->device->backend();
  if (backend.stream_launch_host_func == nullptr) {
    return failf(OHAL_ERROR_UNSUPPORTED, "backend {} has no host functions",
                 s->device->plugin->name);
  }
  return backend_result(backend.stream_launch_host_func(s->backend_stream, func, user_data),
                        s->device);
}
