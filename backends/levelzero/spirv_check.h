// A cheap look at a SPIR-V module before the driver sees it, so garbage gives a clear
// OHAL_ERROR_INVALID_IMAGE instead of whatever the driver's compiler makes of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "openai_hal/ohal.h"

namespace ohal::ze {

// Checks the header: a whole number of 32-bit words, at least the 5-word header, the magic
// number (either byte order) and a version no newer than `max_version` (the device's
// spirvVersionSupported, encoded as in the header: 0x00MMmm00; 0 skips the check).
ohal_result_t check_spirv(const void* data, size_t size, uint32_t max_version, std::string& error);

}  // namespace ohal::ze
