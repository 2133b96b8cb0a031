// Every function entry of ohal_backend_t, listed once: a plugin declares its entry functions and
// fills its table from this list, so neither spells out the table's members again.
#pragma once

#include <cstddef>
#include <type_traits>

#include "openai_hal/backend.h"

// X(entry) for each function pointer of ohal_backend_t, in the table's order.
#define OHAL_BACKEND_ENTRIES(X) \
  X(init)                       \
  X(shutdown)                   \
  X(device_count)               \
  X(device_get)                 \
  X(device_get_properties)      \
  X(device_synchronize)         \
  X(mem_alloc)                  \
  X(mem_free)                   \
  X(mem_get_info)               \
  X(stream_create)              \
  X(stream_destroy)             \
  X(stream_synchronize)         \
  X(stream_query)               \
  X(stream_wait_event)          \
  X(event_create)               \
  X(event_destroy)              \
  X(event_record)               \
  X(event_synchronize)          \
  X(event_query)                \
  X(module_load)                \
  X(module_unload)              \
  X(module_get_kernel)          \
  X(kernel_get_properties)      \
  X(launch)                     \
  X(memcpy_async)               \
  X(memset_async)               \
  X(stream_launch_host_func)    \
  X(event_elapsed_time)

#define OHAL_PLUGIN_COUNT_ENTRY(entry) +1
// An entry appended to backend.h but not to the list would be left NULL without a word.
static_assert(offsetof(ohal_backend_t, init) +
                      sizeof(void*) * (0 OHAL_BACKEND_ENTRIES(OHAL_PLUGIN_COUNT_ENTRY)) ==
                  sizeof(ohal_backend_t),
              "OHAL_BACKEND_ENTRIES must list every entry of ohal_backend_t");
#undef OHAL_PLUGIN_COUNT_ENTRY

// Declares every entry function in the enclosing namespace with the type of its table member, so
// the declarations cannot drift from backend.h.
#define OHAL_PLUGIN_DECLARE_ENTRY(entry) \
  std::remove_pointer_t<decltype(ohal_backend_t::entry)> entry;
#define OHAL_DECLARE_BACKEND_ENTRIES() OHAL_BACKEND_ENTRIES(OHAL_PLUGIN_DECLARE_ENTRY)

// The filled table, with the entry functions of the namespace where it expands (a function could
// not name them without knowing that namespace).
#define OHAL_PLUGIN_SET_ENTRY(entry) table.entry = entry;
#define OHAL_BACKEND_TABLE(backend_name, backend_version) \
  [] {                                                    \
    ohal_backend_t table{};                               \
    table.struct_size = sizeof(ohal_backend_t);           \
    table.abi_version = OHAL_BACKEND_ABI_VERSION;         \
    table.name = backend_name;                            \
    table.version = backend_version;                      \
    OHAL_BACKEND_ENTRIES(OHAL_PLUGIN_SET_ENTRY)           \
    return table;                                         \
  }()
