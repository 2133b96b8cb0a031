// Events: hipEvent_t with timing unless OHAL_EVENT_FLAG_DISABLE_TIMING.
#include <new>

#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {

ohal_result_t event_create(ohal_bdevice_t handle, uint32_t flags, ohal_bevent_t* out) {
  Device& device = *from_handle<Device>(handle);
  const ohal_result_t bound = bind(device);
  if (bound != OHAL_SUCCESS) return bound;
  auto event = std::unique_ptr<Event>(new (std::nothrow) Event);
  if (!event) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "hip event_create: out of host memory");
  event->device = &device;
  event->flags = flags;
  const unsigned native_flags =
      (flags & OHAL_EVENT_FLAG_DISABLE_TIMING) != 0 ? hipEventDisableTiming : hipEventDefault;
  const ohal_result_t result = check(
      state().api.hipEventCreateWithFlags(&event->handle, native_flags), "hipEventCreateWithFlags");
  if (result != OHAL_SUCCESS) return result;
  *out = to_handle<ohal_bevent_t>(event.release());
  return OHAL_SUCCESS;
}

ohal_result_t event_destroy(ohal_bevent_t handle) {
  std::unique_ptr<Event> event(from_handle<Event>(handle));
  return check(state().api.hipEventDestroy(event->handle), "hipEventDestroy");
}

ohal_result_t event_record(ohal_bevent_t event_handle, ohal_bstream_t stream_handle) {
  Event& event = *from_handle<Event>(event_handle);
  Stream& stream = *from_handle<Stream>(stream_handle);
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  return stream_check(stream, state().api.hipEventRecord(event.handle, stream.handle),
                      "hipEventRecord");
}

ohal_result_t event_synchronize(ohal_bevent_t handle) {
  const Event& event = *from_handle<Event>(handle);
  return check(state().api.hipEventSynchronize(event.handle), "hipEventSynchronize");
}

ohal_result_t event_query(ohal_bevent_t handle) {
  const Event& event = *from_handle<Event>(handle);
  return check(state().api.hipEventQuery(event.handle), "hipEventQuery");
}

ohal_result_t event_elapsed_time(ohal_bevent_t start_handle, ohal_bevent_t end_handle,
                                 float* milliseconds) {
  const Event& start = *from_handle<Event>(start_handle);
  const Event& end = *from_handle<Event>(end_handle);
  if (((start.flags | end.flags) & OHAL_EVENT_FLAG_DISABLE_TIMING) != 0) {
    return fail(OHAL_ERROR_UNSUPPORTED,
                "hip event_elapsed_time: an event was created with OHAL_EVENT_FLAG_DISABLE_TIMING");
  }
  float elapsed = 0.0f;
  const ohal_result_t result = check(
      state().api.hipEventElapsedTime(&elapsed, start.handle, end.handle), "hipEventElapsedTime");
  if (result == OHAL_SUCCESS) *milliseconds = elapsed;
  return result;
}

}  // namespace ohal::hip
