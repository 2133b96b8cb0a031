/* One source, several broken plugins: FAULT selects how this plugin misbehaves. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "openai_hal/backend.h"

#define FAULT_NO_ENTRY 1
#define FAULT_WRONG_ABI 2
#define FAULT_INIT_FAILS 3
#define FAULT_MISSING_ENTRIES 4
#define FAULT_MISSING_LIBRARY 5
#define FAULT_ENTRY_FAILS 6

#if FAULT != FAULT_NO_ENTRY
static const ohal_host_services_t* g_host;

static ohal_result_t failing_init(void) {
  return g_host->set_error(OHAL_ERROR_BACKEND, "faulty: vendorInit: VENDOR_ERROR_NO_DRIVER (7)");
}

static void noop_shutdown(void) {}

typedef void (*any_entry)(void);
static void never_called(void) {
  abort();
}

/* Every entry set to a stub, so that only the fault under test stops the loader. */
static __attribute__((unused)) void fill_table(ohal_backend_t* table) {
  any_entry* slots = (any_entry*)((char*)table + offsetof(ohal_backend_t, init));
  size_t count = (sizeof(*table) - offsetof(ohal_backend_t, init)) / sizeof(any_entry);
  for (size_t i = 0; i < count; ++i) slots[i] = never_called;
}

#endif

#if FAULT == FAULT_MISSING_LIBRARY
/* Defined in a library that exists at link time only. */
extern int ohal_absent_dependency_function(void);
#endif

#if FAULT != FAULT_NO_ENTRY
OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                     const ohal_host_services_t* host,
                                                     const ohal_backend_t** out) {
  static ohal_backend_t table;
  (void)abi_version;
  g_host = host;
  memset(&table, 0, sizeof(table));
  table.struct_size = sizeof(table);
  table.abi_version = OHAL_BACKEND_ABI_VERSION;
  table.name = "faulty";
#if FAULT != FAULT_MISSING_ENTRIES
  fill_table(&table);
#endif
  table.version = "0";
  table.init = failing_init;
  table.shutdown = noop_shutdown;
#if FAULT == FAULT_WRONG_ABI
  table.abi_version = (OHAL_BACKEND_ABI_VERSION_MAJOR + 1u) << 16;
#endif
#if FAULT == FAULT_ENTRY_FAILS
  return host->set_error(OHAL_ERROR_UNSUPPORTED, "faulty: refuses this front-end");
#endif
#if FAULT == FAULT_MISSING_LIBRARY
  if (ohal_absent_dependency_function() != 0) return OHAL_ERROR_BACKEND;
#endif
  *out = &table;
  return OHAL_SUCCESS;
}
#else
/* Exports something, but not the entry point. */
OHAL_BACKEND_EXPORT int not_an_entry_point(void) {
  return 0;
}
#endif
