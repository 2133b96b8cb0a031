// Events: each record takes a fresh pool slot, signaled by a barrier on the stream; timed events
// come from kernel-timestamp pools and their elapsed time from the barriers' timestamps.
#include <new>

#include "ze_entries.h"
#include "ze_state.h"
#include "ze_timestamp.h"

namespace ohal::ze {
namespace {

// The event's current slot with a reference for the caller; nullptr if never recorded.
EventSlot* current_slot(Event& event) {
  std::lock_guard lock(event.mutex);
  if (event.slot != nullptr) event.allocator->retain(event.slot);
  return event.slot;
}

}  // namespace

ohal_result_t event_create(ohal_bdevice_t handle, uint32_t flags, ohal_bevent_t* out) {
  Device& device = *from_handle<Device>(handle);
  auto* event = new (std::nothrow) Event;
  if (event == nullptr) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "levelzero: out of memory");
  event->device = &device;
  event->flags = flags;
  event->allocator = (flags & OHAL_EVENT_FLAG_DISABLE_TIMING) != 0
                         ? device.driver->plain_events.get()
                         : device.driver->timing_events.get();
  *out = to_handle<ohal_bevent_t>(event);
  return OHAL_SUCCESS;
}

ohal_result_t event_destroy(ohal_bevent_t handle) {
  std::unique_ptr<Event> event(from_handle<Event>(handle));
  // Streams that record or wait on the slot hold their own references.
  if (event->slot != nullptr) event->allocator->release(event->slot);
  return OHAL_SUCCESS;
}

ohal_result_t event_record(ohal_bevent_t event_handle, ohal_bstream_t stream_handle) {
  Event& event = *from_handle<Event>(event_handle);
  Stream& stream = *from_handle<Stream>(stream_handle);
  EventSlot* slot = nullptr;
  {
    std::lock_guard lock(stream.mutex);
    const ohal_result_t sticky = stream_sticky_locked(stream);
    if (sticky != OHAL_SUCCESS) return sticky;
    const ohal_result_t result = stream_append_marker_locked(stream, *event.allocator, &slot);
    if (result != OHAL_SUCCESS) return result;
  }
  EventSlot* previous = nullptr;
  {
    std::lock_guard lock(event.mutex);
    previous = event.slot;
    event.slot = slot;  // takes the marker's extra reference
  }
  if (previous != nullptr) event.allocator->release(previous);
  return OHAL_SUCCESS;
}

ohal_result_t event_synchronize(ohal_bevent_t handle) {
  Event& event = *from_handle<Event>(handle);
  EventSlot* slot = current_slot(event);
  if (slot == nullptr) return OHAL_SUCCESS;
  const ohal_result_t result = check(
      state().api.zeEventHostSynchronize(static_cast<ze_event_handle_t>(slot->event), UINT64_MAX),
      "zeEventHostSynchronize");
  event.allocator->release(slot);
  return result;
}

ohal_result_t event_query(ohal_bevent_t handle) {
  Event& event = *from_handle<Event>(handle);
  EventSlot* slot = current_slot(event);
  if (slot == nullptr) return OHAL_SUCCESS;
  const ohal_result_t result =
      check(state().api.zeEventQueryStatus(static_cast<ze_event_handle_t>(slot->event)),
            "zeEventQueryStatus");
  event.allocator->release(slot);
  return result;
}

ohal_result_t event_elapsed_time(ohal_bevent_t start_handle, ohal_bevent_t end_handle,
                                 float* milliseconds) {
  Event& start = *from_handle<Event>(start_handle);
  Event& end = *from_handle<Event>(end_handle);
  if (((start.flags | end.flags) & OHAL_EVENT_FLAG_DISABLE_TIMING) != 0) {
    return fail(OHAL_ERROR_UNSUPPORTED,
                "levelzero event_elapsed_time: an event was created with "
                "OHAL_EVENT_FLAG_DISABLE_TIMING");
  }
  EventSlot* slots[2] = {current_slot(start), current_slot(end)};
  EventAllocator* allocators[2] = {start.allocator, end.allocator};
  auto release = [&] {
    for (int i = 0; i < 2; ++i) {
      if (slots[i] != nullptr) allocators[i]->release(slots[i]);
    }
  };
  if (slots[0] == nullptr || slots[1] == nullptr) {
    release();
    return fail(OHAL_ERROR_INVALID_VALUE, "levelzero event_elapsed_time: event never recorded");
  }
  const ZeApi& api = state().api;
  ze_kernel_timestamp_result_t stamps[2] = {};
  ohal_result_t result = OHAL_SUCCESS;
  for (int i = 0; i < 2 && result == OHAL_SUCCESS; ++i) {
    const auto native = static_cast<ze_event_handle_t>(slots[i]->event);
    result = check(api.zeEventQueryStatus(native), "zeEventQueryStatus");
    if (result == OHAL_SUCCESS) {
      result =
          check(api.zeEventQueryKernelTimestamp(native, &stamps[i]), "zeEventQueryKernelTimestamp");
    }
  }
  release();
  if (result != OHAL_SUCCESS) return result;
  const ze_device_properties_t& props = start.device->props;
  // The barrier's end is when the stream reached the record: everything before it finished.
  *milliseconds = static_cast<float>(timestamp_delta_ms(
      stamps[0].global.kernelEnd, stamps[1].global.kernelEnd, props.kernelTimestampValidBits,
      static_cast<double>(props.timerResolution)));
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
