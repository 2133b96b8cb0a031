// Events: CUDA events, timing unless OHAL_EVENT_FLAG_DISABLE_TIMING.
#include <new>

#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

ohal_result_t event_fault(const Event& event, const char* call, CUresult r) {
  return cu_fail(call, r, fault_detail(event.last_kernel.load(std::memory_order_relaxed), r));
}

}  // namespace

ohal_result_t event_create(ohal_bdevice_t device_handle, uint32_t flags, ohal_bevent_t* out) {
  Device& device = *from_handle<Device>(device_handle);
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  auto* event = new (std::nothrow) Event;
  if (event == nullptr) return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cuda: out of memory");
  event->device = &device;
  event->timing = (flags & OHAL_EVENT_FLAG_DISABLE_TIMING) == 0;
  const unsigned cu_flags = event->timing ? CU_EVENT_DEFAULT : CU_EVENT_DISABLE_TIMING;
  if (const CUresult r = drv().cuEventCreate(&event->event, cu_flags); r != CUDA_SUCCESS) {
    delete event;
    return cu_fail("cuEventCreate", r);
  }
  *out = to_handle<ohal_bevent_t>(event);
  return OHAL_SUCCESS;
}

ohal_result_t event_destroy(ohal_bevent_t handle) {
  Event* event = from_handle<Event>(handle);
  ohal_result_t result = make_current(*event->device);
  if (result == OHAL_SUCCESS) {
    if (const CUresult r = drv().cuEventDestroy(event->event); r != CUDA_SUCCESS) {
      result = cu_fail("cuEventDestroy", r);
    }
  }
  delete event;
  return result;
}

ohal_result_t event_record(ohal_bevent_t event_handle, ohal_bstream_t stream_handle) {
  Event& event = *from_handle<Event>(event_handle);
  Stream& stream = *from_handle<Stream>(stream_handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  if (const CUresult r = drv().cuEventRecord(event.event, stream.stream); r != CUDA_SUCCESS) {
    return cu_fail("cuEventRecord", r,
                   fault_detail(stream.last_kernel.load(std::memory_order_relaxed), r));
  }
  event.last_kernel.store(stream.last_kernel.load(std::memory_order_relaxed),
                          std::memory_order_relaxed);
  return OHAL_SUCCESS;
}

ohal_result_t event_synchronize(ohal_bevent_t handle) {
  Event& event = *from_handle<Event>(handle);
  if (const ohal_result_t r = make_current(*event.device); r != OHAL_SUCCESS) return r;
  if (const CUresult r = drv().cuEventSynchronize(event.event); r != CUDA_SUCCESS) {
    return event_fault(event, "cuEventSynchronize", r);
  }
  return OHAL_SUCCESS;
}

ohal_result_t event_query(ohal_bevent_t handle) {
  Event& event = *from_handle<Event>(handle);
  if (const ohal_result_t r = make_current(*event.device); r != OHAL_SUCCESS) return r;
  const CUresult r = drv().cuEventQuery(event.event);
  if (r == CUDA_SUCCESS) return OHAL_SUCCESS;
  if (r == CUDA_ERROR_NOT_READY) return OHAL_NOT_READY;
  return event_fault(event, "cuEventQuery", r);
}

ohal_result_t event_elapsed_time(ohal_bevent_t start_handle, ohal_bevent_t end_handle,
                                 float* milliseconds) {
  Event& start = *from_handle<Event>(start_handle);
  Event& end = *from_handle<Event>(end_handle);
  if (!start.timing || !end.timing) {
    return set_error(OHAL_ERROR_UNSUPPORTED,
                     "cuda: event created with OHAL_EVENT_FLAG_DISABLE_TIMING");
  }
  if (const ohal_result_t r = make_current(*start.device); r != OHAL_SUCCESS) return r;
  float ms = 0.0f;
  const CUresult r = drv().cuEventElapsedTime(&ms, start.event, end.event);
  if (r == CUDA_ERROR_NOT_READY) return OHAL_NOT_READY;
  if (r == CUDA_ERROR_INVALID_HANDLE) {
    // Both events time; CUDA says INVALID_HANDLE for an event that was never recorded.
    return cu_fail_as(OHAL_ERROR_INVALID_VALUE, "cuEventElapsedTime", r,
                      "an event was never recorded");
  }
  if (r != CUDA_SUCCESS) return event_fault(end, "cuEventElapsedTime", r);
  *milliseconds = ms;
  return OHAL_SUCCESS;
}

}  // namespace ohal::cuda
