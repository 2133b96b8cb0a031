// ze_result_t -> ohal_result_t mapping and names. Level Zero 1.x has no call that names a
// result, so this table is where "ZE_RESULT_ERROR_DEVICE_LOST" in a message comes from.
#pragma once

#include <cstdint>
#include <string>

#include "openai_hal/ohal.h"

namespace ohal::ze {

// The HAL result for a ze_result_t (ZE_RESULT_SUCCESS -> OHAL_SUCCESS, ZE_RESULT_NOT_READY ->
// OHAL_NOT_READY, unknown -> OHAL_ERROR_BACKEND).
ohal_result_t map_ze_result(uint32_t code) noexcept;

// "ZE_RESULT_ERROR_DEVICE_LOST", or nullptr for a code the table does not know.
const char* ze_result_name(uint32_t code) noexcept;

// Results after which a stream cannot go on (device lost or in need of reset).
bool is_sticky_ze_result(uint32_t code) noexcept;

// "zeMemAllocDevice: ZE_RESULT_ERROR_OUT_OF_DEVICE_MEMORY (0x70000003)".
std::string format_ze_error(const char* call, uint32_t code);

}  // namespace ohal::ze
