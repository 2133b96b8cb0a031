// Copies (zeCommandListAppendMemoryCopy) and fills (zeCommandListAppendMemoryFill).
#include <cstring>

#include "ze_entries.h"
#include "ze_state.h"

namespace ohal::ze {
namespace {

// Pageable memory may be reused or read by the caller once the call returns (ohal.h); such
// commands complete before returning.
ohal_result_t finish_pageable(Stream& stream) {
  return stream_sync(stream);
}

ohal_result_t append_copy(Stream& stream, void* dst, const void* src, size_t size) {
  std::lock_guard lock(stream.mutex);
  ohal_result_t result = stream_sticky_locked(stream);
  if (result == OHAL_SUCCESS) result = stream_order_locked(stream);
  if (result != OHAL_SUCCESS) return result;
  return stream_check_locked(
      stream,
      state().api.zeCommandListAppendMemoryCopy(stream.list, dst, src, size, nullptr, 0, nullptr),
      "zeCommandListAppendMemoryCopy");
}

// The spec lets a command list touch only memory the device can access (USM), so a pageable
// side goes through a USM host staging buffer: copied into it before the append, or out of it
// after the stream finished.
ohal_result_t copy_through_staging(Stream& stream, const ohal_bmem_ref_t& dst,
                                   const ohal_bmem_ref_t& src, size_t size) {
  const ZeApi& api = state().api;
  const ze_context_handle_t context = stream.device->driver->context;
  ze_host_mem_alloc_desc_t desc{};
  desc.stype = ZE_STRUCTURE_TYPE_HOST_MEM_ALLOC_DESC;
  void* staging = nullptr;
  ohal_result_t result =
      check(api.zeMemAllocHost(context, &desc, size, 64, &staging), "zeMemAllocHost (staging)");
  if (result != OHAL_SUCCESS) return result;
  const bool to_device = dst.alloc != nullptr;
  if (to_device) std::memcpy(staging, src.ptr, size);
  result = append_copy(stream, to_device ? dst.ptr : staging, to_device ? staging : src.ptr, size);
  if (result == OHAL_SUCCESS) result = finish_pageable(stream);
  if (result == OHAL_SUCCESS && !to_device) std::memcpy(dst.ptr, staging, size);
  (void)api.zeMemFree(context, staging);
  return result;
}

}  // namespace

ohal_result_t memcpy_async(ohal_bstream_t handle, const ohal_bmem_ref_t* dst,
                           const ohal_bmem_ref_t* src, size_t size) {
  Stream& stream = *from_handle<Stream>(handle);
  if (dst->alloc == nullptr && src->alloc == nullptr) {
    const ohal_result_t done = finish_pageable(stream);  // ordered after earlier work
    if (done != OHAL_SUCCESS) return done;
    std::memcpy(dst->ptr, src->ptr, size);
    return OHAL_SUCCESS;
  }
  if (dst->alloc == nullptr || src->alloc == nullptr) {
    return copy_through_staging(stream, *dst, *src, size);
  }
  return append_copy(stream, dst->ptr, src->ptr, size);
}

ohal_result_t memset_async(ohal_bstream_t handle, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count) {
  Stream& stream = *from_handle<Stream>(handle);
  if (dst->alloc == nullptr) {
    // Pageable host memory: the device cannot reach it; fill on the CPU in stream order.
    const ohal_result_t done = finish_pageable(stream);
    if (done != OHAL_SUCCESS) return done;
    auto* bytes = static_cast<uint8_t*>(dst->ptr);
    for (size_t i = 0; i < count; ++i)
      std::memcpy(bytes + i * element_size, &pattern, element_size);
    return OHAL_SUCCESS;
  }
  std::lock_guard lock(stream.mutex);
  ohal_result_t result = stream_sticky_locked(stream);
  if (result == OHAL_SUCCESS) result = stream_order_locked(stream);
  if (result != OHAL_SUCCESS) return result;
  // The low element_size bytes of pattern (little-endian, like every Level Zero host), kept
  // alive by the stream until the fill has run.
  stream.fill_patterns.emplace_back(stream.appended, pattern);
  return stream_check_locked(stream,
                             state().api.zeCommandListAppendMemoryFill(
                                 stream.list, dst->ptr, &stream.fill_patterns.back().second,
                                 element_size, count * element_size, nullptr, 0, nullptr),
                             "zeCommandListAppendMemoryFill");
}

}  // namespace ohal::ze
