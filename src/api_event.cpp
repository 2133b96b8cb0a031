// Events: points in a stream's work, with device timestamps where the device has them.
#include "runtime.hpp"

using namespace ohal;

extern "C" OHAL_API ohal_result_t ohal_event_create(ohal_device_t device, uint32_t flags,
                                                    ohal_event_t* event) {
  ApiCall call("ohal_event_create");
  if (event == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "event is NULL");
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  if ((flags & ~OHAL_EVENT_FLAG_DISABLE_TIMING) != 0) {
    return failf(OHAL_ERROR_INVALID_VALUE, "unknown flags 0x{:x}", flags);
  }
  auto* object = new (std::nothrow) Event(dev.get(), nullptr, flags);
  if (object == nullptr) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory");
  const ohal_backend_t& backend = dev->backend();
  const ohal_result_t result =
      backend.event_create(dev->backend_device, flags, &object->backend_event);
  if (result != OHAL_SUCCESS) {
    delete object;
    return backend_result(result, dev.get());
  }
  if (register_object(object) == 0) {
    backend.event_destroy(object->backend_event);
    delete object;
    return OHAL_ERROR_OUT_OF_HOST_MEMORY;
  }
  *event = reinterpret_cast<ohal_event_t>(static_cast<uintptr_t>(object->handle));
  return OHAL_SUCCESS;
}

extern "C" OHAL_API ohal_result_t ohal_event_destroy(ohal_event_t event) {
  ApiCall call("ohal_event_destroy");
  Ref<Event> e = acquire<Event>(event, HandleType::kEvent, "event");
  if (!e) return e.error();
  Event* object = e.get();
  e.forget();
  if (!HandleTable::instance().retire(reinterpret_cast<uintptr_t>(event))) {
    return fail(OHAL_ERROR_INVALID_HANDLE, "event was destroyed by another thread");
  }
  Device* device = object->device;
  const ohal_result_t result = device->backend().event_destroy(object->backend_event);
  delete object;
  return backend_result(result, device);
}

extern "C" OHAL_API ohal_result_t ohal_event_record(ohal_event_t event, ohal_stream_t stream) {
  ApiCall call("ohal_event_record");
  Ref<Event> e = acquire<Event>(event, HandleType::kEvent, "event");
  if (!e) return e.error();
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  if (e->device != s->device) {
    return fail(OHAL_ERROR_DEVICE_MISMATCH, "event and stream belong to different devices");
  }
  const ohal_result_t result =
      s->device->backend().event_record(e->backend_event, s->backend_stream);
  if (result == OHAL_SUCCESS) e->recorded.store(true, std::memory_order_release);
  return backend_result(result, s->device);
}

extern "C" OHAL_API ohal_result_t ohal_event_synchronize(ohal_event_t event) {
  ApiCall call("ohal_event_synchronize");
  Ref<Event> e = acquire<Event>(event, HandleType::kEvent, "event");
  if (!e) return e.error();
  return backend_result(e->device->backend().event_synchronize(e->backend_event), e->device);
}

extern "C" OHAL_API ohal_result_t ohal_event_query(ohal_event_t event) {
  ApiCall call("ohal_event_query");
  Ref<Event> e = acquire<Event>(event, HandleType::kEvent, "event");
  if (!e) return e.error();
  return backend_result(e->device->backend().event_query(e->backend_event), e->device);
}

extern "C" OHAL_API ohal_result_t ohal_event_elapsed_time(ohal_event_t start, ohal_event_t end,
                                                          float* milliseconds) {
  ApiCall call("ohal_event_elapsed_time");
  if (milliseconds == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "milliseconds is NULL");
  Ref<Event> a = acquire<Event>(start, HandleType::kEvent, "start");
  if (!a) return a.error();
  Ref<Event> b = acquire<Event>(end, HandleType::kEvent, "end");
  if (!b) return b.error();
  if (a->device != b->device) {
    return fail(OHAL_ERROR_DEVICE_MISMATCH, "start and end belong to different devices");
  }
  const ohal_backend_t& backend = a->device->backend();
  if (((a->flags | b->flags) & OHAL_EVENT_FLAG_DISABLE_TIMING) != 0) {
    return fail(OHAL_ERROR_UNSUPPORTED, "an event was created with OHAL_EVENT_FLAG_DISABLE_TIMING");
  }
  if (backend.event_elapsed_time == nullptr ||
      !(a->device->properties.capabilities & OHAL_CAP_EVENT_TIMING)) {
    return failf(OHAL_ERROR_UNSUPPORTED, "device '{}' has no event timing",
                 a->device->properties.name);
  }
  if (!a->recorded.load(std::memory_order_acquire) ||
      !b->recorded.load(std::memory_order_acquire)) {
    return fail(OHAL_ERROR_INVALID_VALUE, "both events must have been recorded");
  }
  return backend_result(
      backend.event_elapsed_time(a->backend_event, b->backend_event, milliseconds), a->device);
}
