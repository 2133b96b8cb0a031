// The backend table's entries, one group per file; ze_entry.cpp assembles the ohal_backend_t.
#pragma once

#include "plugin_table.hpp"

namespace ohal::ze {

OHAL_DECLARE_BACKEND_ENTRIES()

}  // namespace ohal::ze
