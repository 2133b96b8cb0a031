// Checks an HSACO image before it reaches the runtime and picks the code object for a device
// out of a clang offload bundle (what `hipcc --genco` writes for several --offload-arch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "openai_hal/ohal.h"

namespace ohal::hip {

struct CodeObjectView {
  const uint8_t* data = nullptr;
  size_t size = 0;
};

// Whether a device with target ID `device` ("gfx90a:sramecc+:xnack-", hipDeviceProp_t's
// gcnArchName) runs code built for target ID `code` ("gfx90a", "gfx90a:xnack+"): the processor
// must match, and every feature the code fixes must have the same setting on the device.
bool target_compatible(std::string_view code, std::string_view device) noexcept;

// The target IDs of the AMDGPU entries of an offload bundle, in file order (empty when `image`
// is not a well-formed bundle).
std::vector<std::string> bundle_targets(const void* image, size_t size);

// Resolves `image` for `device_target`: an AMDGPU ELF is returned as is; an offload bundle
// yields its best compatible entry (the one fixing the most features). OHAL_ERROR_INVALID_IMAGE
// with a reason in `error` for anything else: truncated, corrupt, compressed bundles, or no
// entry for the device.
ohal_result_t select_code_object(const void* image, size_t size, std::string_view device_target,
                                 CodeObjectView& out, std::string& error);

}  // namespace ohal::hip
