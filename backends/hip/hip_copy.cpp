// Copies (hipMemcpyAsync, direction from unified addressing) and fills (hipMemsetD8/16/32Async).
#include <cstring>

#include "hip_entries.h"
#include "hip_state.h"

namespace ohal::hip {
namespace {

// The address HIP should use for one side of a copy or fill.
void* native_address(const ohal_bmem_ref_t& ref) {
  if (ref.alloc == nullptr) return ref.ptr;  // pageable host memory
  const auto* allocation = static_cast<const Allocation*>(ref.alloc);
  return static_cast<uint8_t*>(allocation->device_ptr) + ref.offset;
}

// Pageable memory may be reused or read by the caller as soon as the call returns (ohal.h), and
// HIP only guarantees that for pinned memory: such copies complete before returning.
ohal_result_t finish_pageable(Stream& stream) {
  return stream_check(stream, state().api.hipStreamSynchronize(stream.handle),
                      "hipStreamSynchronize");
}

}  // namespace

ohal_result_t memcpy_async(ohal_bstream_t handle, const ohal_bmem_ref_t* dst,
                           const ohal_bmem_ref_t* src, size_t size) {
  Stream& stream = *from_handle<Stream>(handle);
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  const bool pageable = dst->alloc == nullptr || src->alloc == nullptr;
  if (dst->alloc == nullptr && src->alloc == nullptr) {
    // Host to host: ordered after the stream's earlier work, done on the CPU.
    const ohal_result_t done = finish_pageable(stream);
    if (done != OHAL_SUCCESS) return done;
    std::memcpy(dst->ptr, src->ptr, size);
    return OHAL_SUCCESS;
  }
  const ohal_result_t result =
      stream_check(stream,
                   state().api.hipMemcpyAsync(native_address(*dst), native_address(*src), size,
                                              hipMemcpyDefault, stream.handle),
                   "hipMemcpyAsync");
  if (result != OHAL_SUCCESS || !pageable) return result;
  return finish_pageable(stream);
}

ohal_result_t memset_async(ohal_bstream_t handle, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count) {
  Stream& stream = *from_handle<Stream>(handle);
  const HipApi& api = state().api;
  const ohal_result_t sticky = stream_sticky(stream);
  if (sticky != OHAL_SUCCESS) return sticky;
  if (dst->alloc == nullptr) {
    // Pageable host memory: the GPU cannot reach it, fill it on the CPU in stream order.
    const ohal_result_t done = finish_pageable(stream);
    if (done != OHAL_SUCCESS) return done;
    auto* bytes = static_cast<uint8_t*>(dst->ptr);
    for (size_t i = 0; i < count; ++i)
      std::memcpy(bytes + i * element_size, &pattern, element_size);
    return OHAL_SUCCESS;
  }
  void* address = native_address(*dst);
  switch (element_size) {
    case 1:
      return stream_check(
          stream,
          api.hipMemsetD8Async(address, static_cast<unsigned char>(pattern), count, stream.handle),
          "hipMemsetD8Async");
    case 2:
      return stream_check(stream,
                          api.hipMemsetD16Async(address, static_cast<unsigned short>(pattern),
                                                count, stream.handle),
                          "hipMemsetD16Async");
    case 4:
      return stream_check(
          stream, api.hipMemsetD32Async(address, static_cast<int>(pattern), count, stream.handle),
          "hipMemsetD32Async");
    default:
      return fail(OHAL_ERROR_INVALID_VALUE,
                  "hip memset_async: element_size " + std::to_string(element_size));
  }
}

}  // namespace ohal::hip
