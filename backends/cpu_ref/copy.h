// Copies and fills as stream operations.
#pragma once

#include <cstddef>

#include "cpu_ref.h"

namespace ohal::cpu_ref {

class Stream;

ohal_result_t memcpy_async(Stream& stream, const ohal_bmem_ref_t* dst, const ohal_bmem_ref_t* src,
                           size_t size);
ohal_result_t memset_async(Stream& stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                           uint32_t element_size, size_t count);

}  // namespace ohal::cpu_ref
