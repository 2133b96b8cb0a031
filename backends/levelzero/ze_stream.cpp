// Streams: in-order immediate command lists on the device's compute queue group. Level Zero 1.4
// has no in-order flag, so a barrier separates each command from the work before it.
#include <memory>
#include <new>
#include <vector>

#include "ze_errors.h"
#include "ze_state.h"

namespace ohal::ze {

ohal_result_t stream_sticky_locked(Stream& stream) {
  if (stream.sticky == OHAL_SUCCESS) return OHAL_SUCCESS;
  return fail(stream.sticky, stream.sticky_message);
}

ohal_result_t stream_check_locked(Stream& stream, ze_result_t result, const char* call) {
  const ohal_result_t mapped = check(result, call);
  if (mapped == OHAL_SUCCESS || mapped == OHAL_NOT_READY ||
      !is_sticky_ze_result(static_cast<uint32_t>(result))) {
    return mapped;
  }
  if (stream.sticky == OHAL_SUCCESS) {
    stream.sticky = mapped;
    stream.sticky_message =
        "stream failed: " + format_ze_error(call, static_cast<uint32_t>(result));
  }
  return fail(stream.sticky, stream.sticky_message);
}

ohal_result_t stream_order_locked(Stream& stream) {
  if (stream.work_since_barrier) {
    const ohal_result_t result = stream_check_locked(
        stream, state().api.zeCommandListAppendBarrier(stream.list, nullptr, 0, nullptr),
        "zeCommandListAppendBarrier");
    if (result != OHAL_SUCCESS) return result;
  }
  stream.work_since_barrier = true;
  ++stream.appended;
  return OHAL_SUCCESS;
}

void stream_reap_locked(Stream& stream) {
  const ZeApi& api = state().api;
  size_t passed = 0;
  uint64_t passed_seq = 0;
  for (size_t i = 0; i < stream.holds.size(); ++i) {
    const Hold& hold = stream.holds[i];
    if (!hold.marker) continue;
    // Markers signal in stream order: the first one not yet signaled ends the scan.
    const auto event = static_cast<ze_event_handle_t>(hold.slot->event);
    if (api.zeEventQueryStatus(event) != ZE_RESULT_SUCCESS) break;
    passed = i + 1;
    passed_seq = hold.seq;
  }
  while (passed > 0 && !stream.fill_patterns.empty() &&
         stream.fill_patterns.front().first <= passed_seq) {
    stream.fill_patterns.pop_front();
  }
  for (size_t i = 0; i < passed; ++i) {
    stream.holds.front().allocator->release(stream.holds.front().slot);
    stream.holds.pop_front();
  }
}

ohal_result_t stream_acquire_slot_locked(Stream& stream, EventAllocator& allocator,
                                         EventSlot** slot) {
  stream_reap_locked(stream);
  const ohal_result_t result = allocator.acquire(slot);
  if (result == OHAL_ERROR_BUSY) {
    return fail(OHAL_ERROR_BUSY, "Level Zero event pools exhausted (" +
                                     std::to_string(allocator.slots_in_use()) +
                                     " events in flight): synchronize streams or destroy events");
  }
  return result;
}

ohal_result_t stream_append_marker_locked(Stream& stream, EventAllocator& allocator,
                                          EventSlot** out) {
  EventSlot* slot = nullptr;
  ohal_result_t result = stream_acquire_slot_locked(stream, allocator, &slot);
  if (result != OHAL_SUCCESS) return result;
  result =
      stream_check_locked(stream,
                          state().api.zeCommandListAppendBarrier(
                              stream.list, static_cast<ze_event_handle_t>(slot->event), 0, nullptr),
                          "zeCommandListAppendBarrier");
  if (result != OHAL_SUCCESS) {
    allocator.release(slot);
    return result;
  }
  stream.work_since_barrier = false;
  stream.holds.push_back({slot, &allocator, true, stream.appended});
  allocator.retain(slot);
  *out = slot;
  return OHAL_SUCCESS;
}

ohal_result_t stream_sync(Stream& stream) {
  EventAllocator& allocator = *stream.device->driver->plain_events;
  EventSlot* marker = nullptr;
  {
    std::lock_guard lock(stream.mutex);
    ohal_result_t result = stream_sticky_locked(stream);
    if (result != OHAL_SUCCESS) return result;
    result = stream_append_marker_locked(stream, allocator, &marker);
    if (result != OHAL_SUCCESS) return result;
  }
  // Waits without the lock so other threads can keep appending to the stream.
  const ze_result_t waited =
      state().api.zeEventHostSynchronize(static_cast<ze_event_handle_t>(marker->event), UINT64_MAX);
  allocator.release(marker);
  std::lock_guard lock(stream.mutex);
  if (waited != ZE_RESULT_SUCCESS) {
    return stream_check_locked(stream, waited, "zeEventHostSynchronize");
  }
  stream_reap_locked(stream);
  return OHAL_SUCCESS;
}

Stream::~Stream() {
  for (const Hold& hold : holds) hold.allocator->release(hold.slot);
  if (list != nullptr) (void)state().api.zeCommandListDestroy(list);
}

ohal_result_t create_stream(Device& device, Stream** out) {
  std::shared_ptr<Stream> stream;
  try {
    stream = std::make_shared<Stream>();
  } catch (const std::bad_alloc&) {
    return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "levelzero: out of host memory");
  }
  stream->device = &device;
  ze_command_queue_desc_t desc{};
  desc.stype = ZE_STRUCTURE_TYPE_COMMAND_QUEUE_DESC;
  desc.ordinal = device.compute_ordinal;
  desc.index = 0;
  desc.mode = ZE_COMMAND_QUEUE_MODE_ASYNCHRONOUS;
  desc.priority = ZE_COMMAND_QUEUE_PRIORITY_NORMAL;
  const ohal_result_t result =
      check(state().api.zeCommandListCreateImmediate(device.driver->context, device.handle, &desc,
                                                     &stream->list),
            "zeCommandListCreateImmediate");
  if (result != OHAL_SUCCESS) return result;
  *out = stream.get();
  std::lock_guard lock(device.streams_mutex);
  device.streams.push_back(std::move(stream));
  return OHAL_SUCCESS;
}

void destroy_stream(Stream* stream) {
  (void)stream_sync(*stream);  // the front-end synchronized; this makes every hold releasable
  {
    std::lock_guard lock(stream->mutex);
    for (const Hold& hold : stream->holds) hold.allocator->release(hold.slot);
    stream->holds.clear();
    stream->fill_patterns.clear();
  }
  Device& device = *stream->device;
  std::lock_guard lock(device.streams_mutex);
  std::erase_if(device.streams,
                [stream](const std::shared_ptr<Stream>& live) { return live.get() == stream; });
}

ohal_result_t stream_create(ohal_bdevice_t handle, uint32_t /*flags*/, ohal_bstream_t* out) {
  Stream* stream = nullptr;
  const ohal_result_t result = create_stream(*from_handle<Device>(handle), &stream);
  if (result == OHAL_SUCCESS) *out = to_handle<ohal_bstream_t>(stream);
  return result;
}

ohal_result_t stream_destroy(ohal_bstream_t handle) {
  Stream* stream = from_handle<Stream>(handle);
  ohal_result_t sticky = OHAL_SUCCESS;
  std::string message;
  {
    std::lock_guard lock(stream->mutex);
    sticky = stream->sticky;
    message = stream->sticky_message;
  }
  destroy_stream(stream);
  // The handle is gone either way; a failure it carried is reported once more.
  return sticky == OHAL_SUCCESS ? OHAL_SUCCESS : fail(sticky, message);
}

ohal_result_t stream_synchronize(ohal_bstream_t handle) {
  return stream_sync(*from_handle<Stream>(handle));
}

ohal_result_t stream_query(ohal_bstream_t handle) {
  Stream& stream = *from_handle<Stream>(handle);
  EventAllocator& allocator = *stream.device->driver->plain_events;
  std::lock_guard lock(stream.mutex);
  ohal_result_t result = stream_sticky_locked(stream);
  if (result != OHAL_SUCCESS) return result;
  // Reuse the newest marker when nothing was appended after it, so polling adds no commands.
  EventSlot* probe = nullptr;
  if (!stream.holds.empty() && stream.holds.back().marker &&
      stream.holds.back().seq == stream.appended) {
    probe = stream.holds.back().slot;
    allocator.retain(probe);
  } else {
    result = stream_append_marker_locked(stream, allocator, &probe);
    if (result != OHAL_SUCCESS) return result;
  }
  const ze_result_t status =
      state().api.zeEventQueryStatus(static_cast<ze_event_handle_t>(probe->event));
  allocator.release(probe);
  if (status == ZE_RESULT_SUCCESS) {
    stream_reap_locked(stream);
    return OHAL_SUCCESS;
  }
  return stream_check_locked(stream, status, "zeEventQueryStatus");
}

ohal_result_t stream_wait_event(ohal_bstream_t stream_handle, ohal_bevent_t event_handle) {
  Stream& stream = *from_handle<Stream>(stream_handle);
  Event& event = *from_handle<Event>(event_handle);
  EventSlot* slot = nullptr;
  EventAllocator* allocator = nullptr;
  {
    std::lock_guard lock(event.mutex);
    if (event.slot == nullptr) return OHAL_SUCCESS;  // never recorded: nothing to wait for
    slot = event.slot;
    allocator = event.allocator;
    allocator->retain(slot);  // the stream's hold: a later record must not recycle it
  }
  std::lock_guard lock(stream.mutex);
  ohal_result_t result = stream_sticky_locked(stream);
  if (result == OHAL_SUCCESS) {
    auto native = static_cast<ze_event_handle_t>(slot->event);
    result = stream_check_locked(
        stream, state().api.zeCommandListAppendWaitOnEvents(stream.list, 1, &native),
        "zeCommandListAppendWaitOnEvents");
  }
  if (result != OHAL_SUCCESS) {
    allocator->release(slot);
    return result;
  }
  ++stream.appended;
  stream.holds.push_back({slot, allocator, false, stream.appended});
  return OHAL_SUCCESS;
}

}  // namespace ohal::ze
