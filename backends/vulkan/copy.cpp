#include "copy.hpp"

#include <algorithm>
#include <cstring>

namespace ohal::vk {

namespace {

// Pageable transfers move through staging buffers of this size...
constexpr uint64_t kChunk = 16u << 20;
// ...and a stream holds at most this much staging in flight before it waits for the device.
constexpr uint64_t kMaxStaged = 64u << 20;

char* host_address(const Allocation& a, size_t offset) {
  return static_cast<char*>(a.buffer.map) + offset;
}

ohal_result_t record_copy(Stream& stream, VkBuffer src, uint64_t src_offset, VkBuffer dst,
                          uint64_t dst_offset, uint64_t size) {
  VkCommandBuffer cb = VK_NULL_HANDLE;
  if (ohal_result_t r = stream.begin_locked("memcpy", cb); r != OHAL_SUCCESS) return r;
  VkBufferCopy region{src_offset, dst_offset, size};
  stream.device.fn.vkCmdCopyBuffer(cb, src, dst, 1, &region);
  return stream.end_locked();
}

// Waits for all of the stream's work; the host may then touch memory in stream order.
ohal_result_t drain(Stream& stream, std::unique_lock<std::mutex>& lock) {
  if (ohal_result_t r = stream.flush_locked(); r != OHAL_SUCCESS) return r;
  if (stream.idle_locked()) return stream.sticky_locked();
  return stream.wait_unlocked(lock, stream.last_value_locked());
}

ohal_result_t host_to_device(Stream& stream, const Allocation& dst, size_t dst_offset,
                             const char* src, size_t size) {
  std::unique_lock<std::mutex> lock(stream.mutex);
  if (ohal_result_t r = stream.sticky_locked(); r != OHAL_SUCCESS) return r;
  // Host-visible memory and an idle stream: nothing earlier can touch dst, write it now.
  if (dst.buffer.map != nullptr && stream.idle_locked()) {
    std::memcpy(host_address(dst, dst_offset), src, size);
    return OHAL_SUCCESS;
  }
  for (size_t done = 0; done < size;) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(size - done, kChunk));
    if (stream.staged_bytes_locked() + chunk > kMaxStaged) {
      if (ohal_result_t r = stream.throttle_staging_unlocked(lock, kMaxStaged - chunk);
          r != OHAL_SUCCESS)
        return r;
    }
    Buffer staging;
    if (ohal_result_t r = stream.device.staging.acquire(chunk, staging); r != OHAL_SUCCESS)
      return r;
    // The caller may reuse pageable memory as soon as we return: copy it out now.
    std::memcpy(staging.map, src + done, chunk);
    VkBuffer staging_buffer = staging.buffer;
    stream.attach_locked(staging);
    if (ohal_result_t r =
            record_copy(stream, staging_buffer, 0, dst.buffer.buffer, dst_offset + done, chunk);
        r != OHAL_SUCCESS)
      return r;
    done += chunk;
  }
  return OHAL_SUCCESS;
}

ohal_result_t device_to_host(Stream& stream, char* dst, const Allocation& src, size_t src_offset,
                             size_t size) {
  std::unique_lock<std::mutex> lock(stream.mutex);
  if (ohal_result_t r = stream.sticky_locked(); r != OHAL_SUCCESS) return r;
  if (src.buffer.map != nullptr) {
    if (ohal_result_t r = drain(stream, lock); r != OHAL_SUCCESS) return r;
    std::memcpy(dst, host_address(src, src_offset), size);
    return OHAL_SUCCESS;
  }
  // Pageable memory cannot be written by the device: stage each chunk and copy it out once
  // the stream reached it (as CUDA, a copy to pageable memory returns when done).
  for (size_t done = 0; done < size;) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(size - done, kChunk));
    Buffer staging;
    if (ohal_result_t r = stream.device.staging.acquire(chunk, staging); r != OHAL_SUCCESS)
      return r;
    ohal_result_t r =
        record_copy(stream, src.buffer.buffer, src_offset + done, staging.buffer, 0, chunk);
    if (r == OHAL_SUCCESS) r = drain(stream, lock);
    if (r == OHAL_SUCCESS) std::memcpy(dst + done, staging.map, chunk);
    stream.device.staging.release(staging);
    if (r != OHAL_SUCCESS) return r;
    done += chunk;
  }
  return OHAL_SUCCESS;
}

// 32-bit word holding byte lanes [from, to) of `pattern` replicated to a word.
uint32_t lane_mask(uint64_t from, uint64_t to) {
  uint32_t mask = 0;
  for (uint64_t b = from; b < to; ++b) mask |= 0xffu << (8 * (b % 4));
  return mask;
}

void host_fill(char* dst, uint32_t pattern, uint32_t element_size, size_t count) {
  switch (element_size) {
    case 1:
      std::memset(dst, static_cast<int>(pattern & 0xffu), count);
      break;
    case 2: {
      const uint16_t v = static_cast<uint16_t>(pattern);
      for (size_t i = 0; i < count; ++i) std::memcpy(dst + 2 * i, &v, 2);
      break;
    }
    default:
      for (size_t i = 0; i < count; ++i) std::memcpy(dst + 4 * i, &pattern, 4);
      break;
  }
}

}  // namespace

ohal_result_t memcpy_async(Stream& stream, const ohal_bmem_ref_t& dst, const ohal_bmem_ref_t& src,
                           size_t size) {
  const Allocation* d = static_cast<const Allocation*>(dst.alloc);
  const Allocation* s = static_cast<const Allocation*>(src.alloc);
  if (d != nullptr && s != nullptr) {
    std::lock_guard<std::mutex> lock(stream.mutex);
    return record_copy(stream, s->buffer.buffer, src.offset, d->buffer.buffer, dst.offset, size);
  }
  if (d != nullptr)
    return host_to_device(stream, *d, dst.offset, static_cast<const char*>(src.ptr), size);
  if (s != nullptr)
    return device_to_host(stream, static_cast<char*>(dst.ptr), *s, src.offset, size);
  // Host to host, in stream order.
  std::unique_lock<std::mutex> lock(stream.mutex);
  if (ohal_result_t r = drain(stream, lock); r != OHAL_SUCCESS) return r;
  std::memcpy(dst.ptr, src.ptr, size);
  return OHAL_SUCCESS;
}

ohal_result_t memset_async(Stream& stream, const ohal_bmem_ref_t& dst, uint32_t pattern,
                           uint32_t element_size, size_t count) {
  const Allocation* d = static_cast<const Allocation*>(dst.alloc);
  std::unique_lock<std::mutex> lock(stream.mutex);
  if (d == nullptr) {
    if (ohal_result_t r = drain(stream, lock); r != OHAL_SUCCESS) return r;
    host_fill(static_cast<char*>(dst.ptr), pattern, element_size, count);
    return OHAL_SUCCESS;
  }
  uint32_t word = pattern;
  if (element_size == 1) word = (pattern & 0xffu) * 0x01010101u;
  if (element_size == 2) word = (pattern & 0xffffu) * 0x00010001u;
  // Buffers start 16-byte aligned, so offsets tell the byte lanes of the device address.
  const uint64_t begin = dst.offset, end = begin + uint64_t{count} * element_size;
  const uint64_t inner_begin = (begin + 3) & ~uint64_t{3}, inner_end = end & ~uint64_t{3};
  struct Partial {
    uint64_t offset;
    uint32_t mask;
  } partial[2];
  uint32_t partial_count = 0;
  if (inner_begin > inner_end) {
    partial[partial_count++] = {begin & ~uint64_t{3}, lane_mask(begin, end)};  // one word
  } else {
    if (begin != inner_begin)
      partial[partial_count++] = {begin & ~uint64_t{3}, lane_mask(begin, inner_begin)};
    if (end != inner_end) partial[partial_count++] = {inner_end, lane_mask(inner_end, end)};
  }
  VkPipeline pipeline = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  if (partial_count > 0) {
    if (ohal_result_t r = stream.device.memset_pipeline(pipeline, layout); r != OHAL_SUCCESS)
      return r;
  }
  VkCommandBuffer cb = VK_NULL_HANDLE;
  if (ohal_result_t r = stream.begin_locked("memset", cb); r != OHAL_SUCCESS) return r;
  const DeviceFns& fn = stream.device.fn;
  if (inner_begin < inner_end) {
    fn.vkCmdFillBuffer(cb, d->buffer.buffer, inner_begin, inner_end - inner_begin, word);
  }
  if (partial_count > 0) {
    // Disjoint words from the fill above: no barrier between the two.
    struct {
      uint64_t words[2];
      uint32_t masks[2];
      uint32_t pattern;
      uint32_t count;
    } args{};
    for (uint32_t i = 0; i < partial_count; ++i) {
      args.words[i] = d->buffer.address + partial[i].offset;
      args.masks[i] = partial[i].mask;
    }
    args.pattern = word;
    args.count = partial_count;
    fn.vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
    fn.vkCmdPushConstants(cb, layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof args, &args);
    fn.vkCmdDispatch(cb, 1, 1, 1);
  }
  return stream.end_locked();
}

ohal_result_t zero_fill(Device& device, const Buffer& buffer) {
  Stream* stream = nullptr;
  if (ohal_result_t r = device.internal_stream(&stream); r != OHAL_SUCCESS) return r;
  {
    std::lock_guard<std::mutex> lock(stream->mutex);
    VkCommandBuffer cb = VK_NULL_HANDLE;
    if (ohal_result_t r = stream->begin_locked("zero fill", cb); r != OHAL_SUCCESS) return r;
    device.fn.vkCmdFillBuffer(cb, buffer.buffer, 0, VK_WHOLE_SIZE, 0);
    if (ohal_result_t r = stream->end_locked(); r != OHAL_SUCCESS) return r;
  }
  return stream->synchronize();
}

}  // namespace ohal::vk
