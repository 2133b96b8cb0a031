// Copies and fills: direction and bounds come from the allocation registry.
#include <cstring>

#include "registry.hpp"
#include "runtime.hpp"

using namespace ohal;

namespace {

// Resolves one side of a copy or fill against the stream's device.
ohal_result_t resolve(const void* ptr, size_t size, const Device* device, const char* what,
                      ohal_bmem_ref_t& ref) {
  ref = ohal_bmem_ref_t{const_cast<void*>(ptr), nullptr, 0, OHAL_MEM_KIND_DEVICE};
  std::optional<Allocation> allocation = Registry::instance().find(ptr);
  const uintptr_t address = reinterpret_cast<uintptr_t>(ptr);
  if (!allocation) {
    if (Registry::instance().range_touches_allocation(ptr, size)) {
      return failf(OHAL_ERROR_OUT_OF_BOUNDS,
                   "{} range [{}, +{}) starts outside every allocation but runs into one", what,
                   ptr, size);
    }
    return OHAL_SUCCESS;  // pageable host memory
  }
  const size_t offset = address - allocation->base;
  if (size > allocation->size - offset) {
    return failf(OHAL_ERROR_OUT_OF_BOUNDS,
                 "{} range [{}, +{}) runs {} bytes past the end of its {}-byte allocation at {}",
                 what, ptr, size, size - (allocation->size - offset), allocation->size,
                 reinterpret_cast<void*>(allocation->base));
  }
  if (allocation->device != device) {
    // Host-accessible memory of another device is ordinary host memory to this one.
    if (allocation->kind != OHAL_MEM_KIND_DEVICE) return OHAL_SUCCESS;
    return failf(OHAL_ERROR_DEVICE_MISMATCH, "{} {} is device memory of another device", what, ptr);
  }
  ref.alloc = allocation->backend_alloc;
  ref.offset = offset;
  ref.kind = allocation->kind;
  return OHAL_SUCCESS;
}

ohal_result_t copy_on(const Ref<Stream>& s, void* dst, const void* src, size_t size) {
  if (dst == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "dst is NULL");
  if (src == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "src is NULL");
  if (size == 0) return OHAL_SUCCESS;
  const uintptr_t d = reinterpret_cast<uintptr_t>(dst), r = reinterpret_cast<uintptr_t>(src);
  if (d + size < d || r + size < r) return fail(OHAL_ERROR_OUT_OF_BOUNDS, "range wraps around");
  ohal_bmem_ref_t dst_ref, src_ref;
  if (ohal_result_t r1 = resolve(dst, size, s->device, "dst", dst_ref); r1 != OHAL_SUCCESS)
    return r1;
  if (ohal_result_t r2 = resolve(src, size, s->device, "src", src_ref); r2 != OHAL_SUCCESS)
    return r2;
  // After the bounds checks: a range past its allocation's end can reach a neighbouring one,
  // and that is OUT_OF_BOUNDS, not an overlap.
  if (d < r + size && r < d + size) {
    return failf(OHAL_ERROR_INVALID_VALUE, "dst [{}, +{}) and src [{}, +{}) overlap", dst, size,
                 src, size);
  }
  return backend_result(
      s->device->backend().memcpy_async(s->backend_stream, &dst_ref, &src_ref, size), s->device);
}

ohal_result_t fill_on(const Ref<Stream>& s, void* dst, uint32_t pattern, size_t element_size,
                      size_t count) {
  if (dst == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "dst is NULL");
  if (element_size != 1 && element_size != 2 && element_size != 4) {
    return failf(OHAL_ERROR_INVALID_VALUE, "element_size {} is not 1, 2 or 4", element_size);
  }
  if (reinterpret_cast<uintptr_t>(dst) % element_size != 0) {
    return failf(OHAL_ERROR_INVALID_VALUE, "dst {} is not aligned to element_size {}", dst,
                 element_size);
  }
  if (count == 0) return OHAL_SUCCESS;
  if (count > SIZE_MAX / element_size)
    return fail(OHAL_ERROR_OUT_OF_BOUNDS, "count * element_size overflows");
  const size_t size = count * element_size;
  if (reinterpret_cast<uintptr_t>(dst) + size < reinterpret_cast<uintptr_t>(dst)) {
    return fail(OHAL_ERROR_OUT_OF_BOUNDS, "range wraps around");
  }
  ohal_bmem_ref_t dst_ref;
  if (ohal_result_t r = resolve(dst, size, s->device, "dst", dst_ref); r != OHAL_SUCCESS) return r;
  return backend_result(
      s->device->backend().memset_async(s->backend_stream, &dst_ref, pattern,
                                        static_cast<uint32_t>(element_size), count),
      s->device);
}

// The device owning a HAL pointer, for the blocking forms.
Device* owner_of(const void* ptr) {
  if (ptr == nullptr) return nullptr;
  std::optional<Allocation> allocation = Registry::instance().find(ptr);
  return allocation ? allocation->device : nullptr;
}

// Runs op on the device's internal stream and waits for it.
template <typename Op>
ohal_result_t run_blocking(Device* device, Op&& op) {
  const ohal_backend_t& backend = device->backend();
  std::lock_guard<std::mutex> lock(device->internal_stream_mutex);
  if (device->internal_stream == nullptr) {
    ohal_result_t created =
        backend.stream_create(device->backend_device, 0, &device->internal_stream);
    if (created != OHAL_SUCCESS) {
      device->internal_stream = nullptr;
      return backend_result(created, device);
    }
  }
  Stream stream(device, device->internal_stream);
  Ref<Stream> ref(0, &stream);
  ohal_result_t result = op(ref);
  ref.forget();
  if (result != OHAL_SUCCESS) return result;
  return backend_result(backend.stream_synchronize(device->internal_stream), device);
}

}  // namespace

extern "C" OHAL_API ohal_result_t ohal_memcpy_async(ohal_stream_t stream, void* dst,
                                                    const void* src, size_t size) {
  ApiCall call("ohal_memcpy_async");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  return copy_on(s, dst, src, size);
}

extern "C" OHAL_API ohal_result_t ohal_memset_async(ohal_stream_t stream, void* dst,
                                                    uint32_t pattern, size_t element_size,
                                                    size_t count) {
  ApiCall call("ohal_memset_async");
  Ref<Stream> s = acquire<Stream>(stream, HandleType::kStream, "stream");
  if (!s) return s.error();
  return fill_on(s, dst, pattern, element_size, count);
}

extern "C" OHAL_API ohal_result_t ohal_memcpy(void* dst, const void* src, size_t size) {
  ApiCall call("ohal_memcpy");
  if (dst == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "dst is NULL");
  if (src == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "src is NULL");
  if (runtime() == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  Device* device = owner_of(dst);
  if (device == nullptr) device = owner_of(src);
  if (device == nullptr) {
    // Host to host: no device involved, but the same overlap and bounds rules.
    const uintptr_t d = reinterpret_cast<uintptr_t>(dst), r = reinterpret_cast<uintptr_t>(src);
    if (Registry::instance().range_touches_allocation(dst, size) ||
        Registry::instance().range_touches_allocation(src, size)) {
      return fail(OHAL_ERROR_OUT_OF_BOUNDS, "a host range runs into a HAL allocation");
    }
    if (size != 0 && d < r + size && r < d + size) {
      return fail(OHAL_ERROR_INVALID_VALUE, "dst and src overlap");
    }
    if (size != 0) std::memcpy(dst, src, size);
    return OHAL_SUCCESS;
  }
  return run_blocking(device, [&](const Ref<Stream>& s) { return copy_on(s, dst, src, size); });
}

extern "C" OHAL_API ohal_result_t ohal_memset(void* dst, uint32_t pattern, size_t element_size,
                                              size_t count) {
  ApiCall call("ohal_memset");
  if (dst == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "dst is NULL");
  if (runtime() == nullptr) return OHAL_ERROR_NOT_INITIALIZED;
  Device* device = owner_of(dst);
  if (device == nullptr) {
    return failf(OHAL_ERROR_INVALID_POINTER,
                 "{} is not HAL memory; fill pageable host memory with memset", dst);
  }
  return run_blocking(
      device, [&](const Ref<Stream>& s) { return fill_on(s, dst, pattern, element_size, count); });
}
