// Host functions in stream order: hipLaunchHostFunc where the runtime exports it, else
// hipStreamAddCallback (HIP 5.2 declares the former but does not export it).
#include <new>

#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {
namespace {

struct Callback {
  ohal_host_func_t func;
  void* user_data;
};

void run_callback(hipStream_t /*stream*/, hipError_t status, void* user_data) {
  std::unique_ptr<Callback> callback(static_cast<Callback*>(user_data));
  // As with hipLaunchHostFunc, a stream that already failed does not run the function; the
  // failure surfaces at the next synchronize.
  if (status == hipSuccess) callback->func(callback->user_data);
}

}  // namespace

ohal_result_t stream_launch_host_func(ohal_bstream_t handle, ohal_host_func_t func,
                                      void* user_data) {
  Stream& stream = *from_handle<Stream>(handle);
  const HipApi& api = state().api;
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  if (api.hipLaunchHostFunc != nullptr) {
    // ohal_host_func_t and hipHostFn_t are both void(*)(void*).
    return stream_check(stream, api.hipLaunchHostFunc(stream.handle, func, user_data),
                        "hipLaunchHostFunc");
  }
  auto* callback = new (std::nothrow) Callback{func, user_data};
  if (callback == nullptr) {
    return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "hip stream_launch_host_func: out of host memory");
  }
  const ohal_result_t result =
      stream_check(stream, api.hipStreamAddCallback(stream.handle, run_callback, callback, 0),
                   "hipStreamAddCallback");
  if (result != OHAL_SUCCESS) delete callback;
  return result;
}

}  // namespace ohal::hip
