// Wrapper backends for the CTS: each loads the reference backend (a private copy of
// libohal_cpu_ref.so in the wrapper's own folder, so that its state is separate from a cpu_ref
// the front-end loads itself) and hands out a copy of its table with one entry changed.
#pragma once

#include "openai_hal/backend.h"

namespace cts_mutant {

// Loads the reference backend and fills *table with a copy of its table named `name`; *real is
// the reference table, whose entries the changed ones call.
ohal_result_t wrap_reference(uint32_t abi_version, const ohal_host_services_t* host,
                             const char* name, ohal_backend_t* table, const ohal_backend_t** real);

}  // namespace cts_mutant
