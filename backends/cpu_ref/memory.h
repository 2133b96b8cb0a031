// Memory: every kind is host memory, so the HAL pointer is the device pointer.
#pragma once

#include <cstddef>

#include "cpu_ref.h"

namespace ohal::cpu_ref {

class Device;

ohal_result_t mem_alloc(Device& device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out);
ohal_result_t mem_free(Device& device, void* alloc);

}  // namespace ohal::cpu_ref
