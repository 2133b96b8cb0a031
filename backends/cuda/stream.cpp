// Streams: non-blocking CUDA streams (no implicit sync with the legacy default stream).
#include <new>

#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

ohal_result_t stream_fault(const Stream& stream, const char* call, CUresult r) {
  return cu_fail(call, r, fault_detail(stream.last_kernel.load(std::memory_order_relaxed), r));
}

}  // namespace

ohal_result_t stream_create(ohal_bdevice_t device_handle, uint32_t /*flags*/, ohal_bstream_t* out) {
  Device& device = *from_handle<Device>(device_handle);
  if (const ohal_result_t r = make_current(device); r != OHAL_SUCCESS) return r;
  auto* stream = new (std::nothrow) Stream;
  if (stream == nullptr) return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cuda: out of memory");
  stream->device = &device;
  if (const CUresult r = drv().cuStreamCreate(&stream->stream, CU_STREAM_NON_BLOCKING);
      r != CUDA_SUCCESS) {
    delete stream;
    return cu_fail("cuStreamCreate", r);
  }
  *out = to_handle<ohal_bstream_t>(stream);
  return OHAL_SUCCESS;
}

ohal_result_t stream_destroy(ohal_bstream_t handle) {
  Stream* stream = from_handle<Stream>(handle);
  ohal_result_t result = make_current(*stream->device);
  if (result == OHAL_SUCCESS) {
    if (const CUresult r = drv().cuStreamDestroy(stream->stream); r != CUDA_SUCCESS) {
      result = stream_fault(*stream, "cuStreamDestroy", r);
    }
  }
  delete stream;  // the handle is gone even when the stream carried a fault
  return result;
}

ohal_result_t stream_synchronize(ohal_bstream_t handle) {
  Stream& stream = *from_handle<Stream>(handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  if (const CUresult r = drv().cuStreamSynchronize(stream.stream); r != CUDA_SUCCESS) {
    return stream_fault(stream, "cuStreamSynchronize", r);
  }
  return OHAL_SUCCESS;
}

ohal_result_t stream_query(ohal_bstream_t handle) {
  Stream& stream = *from_handle<Stream>(handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  const CUresult r = drv().cuStreamQuery(stream.stream);
  if (r == CUDA_SUCCESS) return OHAL_SUCCESS;
  if (r == CUDA_ERROR_NOT_READY) return OHAL_NOT_READY;
  return stream_fault(stream, "cuStreamQuery", r);
}

ohal_result_t stream_wait_event(ohal_bstream_t stream_handle, ohal_bevent_t event_handle) {
  Stream& stream = *from_handle<Stream>(stream_handle);
  Event& event = *from_handle<Event>(event_handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  if (const CUresult r = drv().cuStreamWaitEvent(stream.stream, event.event, 0);
      r != CUDA_SUCCESS) {
    return stream_fault(stream, "cuStreamWaitEvent", r);
  }
  return OHAL_SUCCESS;
}

ohal_result_t stream_launch_host_func(ohal_bstream_t handle, ohal_host_func_t func,
                                      void* user_data) {
  Stream& stream = *from_handle<Stream>(handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  // Same shape: void (*)(void*), and CUDA_CB is empty on Linux.
  static_assert(sizeof(CUhostFn) == sizeof(ohal_host_func_t));
  const CUhostFn fn = reinterpret_cast<CUhostFn>(func);
  if (const CUresult r = drv().cuLaunchHostFunc(stream.stream, fn, user_data); r != CUDA_SUCCESS) {
    return stream_fault(stream, "cuLaunchHostFunc", r);
  }
  return OHAL_SUCCESS;
}

}  // namespace ohal::cuda
