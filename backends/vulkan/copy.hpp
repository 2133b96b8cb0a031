// Copies and fills on a stream.
#pragma once

#include "stream.hpp"

namespace ohal::vk {

ohal_result_t memcpy_async(Stream& stream, const ohal_bmem_ref_t& dst, const ohal_bmem_ref_t& src,
                           size_t size);
ohal_result_t memset_async(Stream& stream, const ohal_bmem_ref_t& dst, uint32_t pattern,
                           uint32_t element_size, size_t count);
// Zeroes a new buffer on the device's internal stream and waits.
ohal_result_t zero_fill(Device& device, const Buffer& buffer);

}  // namespace ohal::vk
