// The backend table's entries, one group per file (device, memory, stream, copy, host function,
// event, module, launch); hip_entry.cpp assembles them into the ohal_backend_t.
#pragma once

#include "plugin_table.hpp"

namespace ohal::hip {

OHAL_DECLARE_BACKEND_ENTRIES()

}  // namespace ohal::hip
