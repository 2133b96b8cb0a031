// Streams: non-blocking HIP streams (no implicit sync with the null stream), in order like the
// HAL's. A fault reported on a stream stays on it (stream_check).
#include <new>

#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {

ohal_result_t stream_create(ohal_bdevice_t handle, uint32_t /*flags*/, ohal_bstream_t* out) {
  Device& device = *from_handle<Device>(handle);
  const ohal_result_t bound = bind(device);
  if (bound != OHAL_SUCCESS) return bound;
  auto stream = std::unique_ptr<Stream>(new (std::nothrow) Stream);
  if (!stream) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "hip stream_create: out of host memory");
  stream->device = &device;
  const ohal_result_t result =
      check(state().api.hipStreamCreateWithFlags(&stream->handle, hipStreamNonBlocking),
            "hipStreamCreateWithFlags");
  if (result != OHAL_SUCCESS) return result;
  *out = to_handle<ohal_bstream_t>(stream.release());
  return OHAL_SUCCESS;
}

ohal_result_t stream_destroy(ohal_bstream_t handle) {
  std::unique_ptr<Stream> stream(from_handle<Stream>(handle));
  const ohal_result_t destroyed =
      check(state().api.hipStreamDestroy(stream->handle), "hipStreamDestroy");
  // The handle is gone either way; a fault it carried is reported once more.
  const ohal_result_t sticky = stream_sticky(*stream);
  return sticky != OHAL_SUCCESS ? sticky : destroyed;
}

ohal_result_t stream_synchronize(ohal_bstream_t handle) {
  Stream& stream = *from_handle<Stream>(handle);
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  return stream_check(stream, state().api.hipStreamSynchronize(stream.handle),
                      "hipStreamSynchronize");
}

ohal_result_t stream_query(ohal_bstream_t handle) {
  Stream& stream = *from_handle<Stream>(handle);
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  return stream_check(stream, state().api.hipStreamQuery(stream.handle), "hipStreamQuery");
}

ohal_result_t stream_wait_event(ohal_bstream_t stream_handle, ohal_bevent_t event_handle) {
  Stream& stream = *from_handle<Stream>(stream_handle);
  const Event& event = *from_handle<Event>(event_handle);
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  return stream_check(stream, state().api.hipStreamWaitEvent(stream.handle, event.handle, 0),
                      "hipStreamWaitEvent");
}

}  // namespace ohal::hip
