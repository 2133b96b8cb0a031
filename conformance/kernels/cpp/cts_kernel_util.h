// Index helpers shared by the CTS kernels (conformance/README.md, "Conventions").
#ifndef OPENAI_HAL_CTS_KERNEL_UTIL_H
#define OPENAI_HAL_CTS_KERNEL_UTIL_H

#include <stdint.h>

#include "openai_hal/kernel.h"

OHAL_DEVICE inline uint32_t cts_gx() {
  return ohal_block_idx_x() * ohal_block_dim_x() + ohal_thread_idx_x();
}

OHAL_DEVICE inline bool cts_is_thread_zero() {
  return ohal_thread_idx_x() == 0 && ohal_thread_idx_y() == 0 && ohal_thread_idx_z() == 0;
}

// Thread zero of block (0,0,0).
OHAL_DEVICE inline bool cts_is_first_thread() {
  return cts_is_thread_zero() && ohal_block_idx_x() == 0 && ohal_block_idx_y() == 0 &&
         ohal_block_idx_z() == 0;
}

#endif  // OPENAI_HAL_CTS_KERNEL_UTIL_H
