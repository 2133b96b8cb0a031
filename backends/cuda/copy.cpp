// Copies and fills, ordered on a stream. Unified addressing lets cuMemcpyAsync infer the
// direction; only host-to-host work that involves pageable memory is done on the CPU, after the
// stream drained (the driver would not order it with the stream's earlier work).
#include <cstring>

#include "cuda_backend.hpp"

namespace ohal::cuda {
namespace {

bool is_pageable(const ohal_bmem_ref_t& ref) {
  return ref.alloc == nullptr;
}

bool is_host_side(const ohal_bmem_ref_t& ref) {
  return is_pageable(ref) || ref.kind == OHAL_MEM_KIND_HOST;
}

// The address the driver sees: the allocation's device address, or the pageable host pointer.
CUdeviceptr device_address(const ohal_bmem_ref_t& ref) {
  if (is_pageable(ref)) return reinterpret_cast<CUdeviceptr>(ref.ptr);
  return static_cast<const Allocation*>(ref.alloc)->device_ptr + ref.offset;
}

unsigned char* host_address(const ohal_bmem_ref_t& ref) {
  if (is_pageable(ref)) return static_cast<unsigned char*>(ref.ptr);
  return static_cast<unsigned char*>(static_cast<const Allocation*>(ref.alloc)->host_ptr) +
         ref.offset;
}

ohal_result_t stream_fail(const Stream& stream, const char* call, CUresult r,
                          const std::string& what) {
  std::string detail = what;
  const std::string fault = fault_detail(stream.last_kernel.load(std::memory_order_relaxed), r);
  if (!fault.empty()) detail += "; " + fault;
  return cu_fail(call, r, detail);
}

// Waits for the stream's submitted work, so the CPU may touch memory it orders.
ohal_result_t drain(const Stream& stream, const char* what) {
  if (const CUresult r = drv().cuStreamSynchronize(stream.stream); r != CUDA_SUCCESS) {
    return stream_fail(stream, "cuStreamSynchronize", r, what);
  }
  return OHAL_SUCCESS;
}

template <typename T>
void fill(unsigned char* dst, uint32_t pattern, size_t count) {
  const T value = static_cast<T>(pattern);
  for (size_t i = 0; i < count; ++i) std::memcpy(dst + i * sizeof(T), &value, sizeof(T));
}

}  // namespace

ohal_result_t memcpy_async(ohal_bstream_t handle, const ohal_bmem_ref_t* dst,
                           const ohal_bmem_ref_t* src, size_t size) {
  Stream& stream = *from_handle<Stream>(handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  if (is_host_side(*dst) && is_host_side(*src) && (is_pageable(*dst) || is_pageable(*src))) {
    if (const ohal_result_t r = drain(stream, "host-to-host copy"); r != OHAL_SUCCESS) return r;
    std::memcpy(host_address(*dst), host_address(*src), size);
    return OHAL_SUCCESS;
  }
  const CUresult r =
      drv().cuMemcpyAsync(device_address(*dst), device_address(*src), size, stream.stream);
  if (r != CUDA_SUCCESS) {
    return stream_fail(stream, "cuMemcpyAsync", r, std::to_string(size) + " bytes");
  }
  return OHAL_SUCCESS;
}

ohal_result_t memset_async(ohal_bstream_t handle, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count) {
  Stream& stream = *from_handle<Stream>(handle);
  if (const ohal_result_t r = make_current(*stream.device); r != OHAL_SUCCESS) return r;
  if (is_pageable(*dst)) {
    if (const ohal_result_t r = drain(stream, "host fill"); r != OHAL_SUCCESS) return r;
    unsigned char* out = host_address(*dst);
    switch (element_size) {
      case 1:
        std::memset(out, static_cast<int>(pattern & 0xffu), count);
        return OHAL_SUCCESS;
      case 2:
        fill<uint16_t>(out, pattern, count);
        return OHAL_SUCCESS;
      case 4:
        fill<uint32_t>(out, pattern, count);
        return OHAL_SUCCESS;
      default:
        break;
    }
  } else {
    const Driver& d = drv();
    const CUdeviceptr address = device_address(*dst);
    CUresult r = CUDA_SUCCESS;
    const char* call = nullptr;
    switch (element_size) {
      case 1:
        call = "cuMemsetD8Async";
        r = d.cuMemsetD8Async(address, static_cast<unsigned char>(pattern), count, stream.stream);
        break;
      case 2:
        call = "cuMemsetD16Async";
        r = d.cuMemsetD16Async(address, static_cast<unsigned short>(pattern), count, stream.stream);
        break;
      case 4:
        call = "cuMemsetD32Async";
        r = d.cuMemsetD32Async(address, pattern, count, stream.stream);
        break;
      default:
        break;
    }
    if (call != nullptr) {
      if (r != CUDA_SUCCESS) {
        return stream_fail(stream, call, r, std::to_string(count) + " elements");
      }
      return OHAL_SUCCESS;
    }
  }
  return set_error(OHAL_ERROR_INVALID_VALUE,
                   "cuda: element size " + std::to_string(element_size) + " is not 1, 2 or 4");
}

}  // namespace ohal::cuda
