/* Controls of cts_fault, the CTS's fault-injection backend: a cpu_ref instance whose entries
 * fail on request, so that the tests provoke the results only a failing backend produces
 * (OHAL_ERROR_OUT_OF_HOST_MEMORY, OHAL_ERROR_BACKEND, OHAL_ERROR_DEVICE_LOST) and check that the
 * front-end reports them and keeps its state. The plugin exports these functions; a test finds
 * them with dlopen(RTLD_NOLOAD) on the plugin's path and dlsym. Not thread-safe against calls in
 * flight: arm faults while no other thread calls the library. */
#ifndef OHAL_CTS_FAULT_H
#define OHAL_CTS_FAULT_H

#include <stdint.h>

#include "openai_hal/ohal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The next call of backend entry `entry` ("stream_create", "mem_alloc", ...; the field names of
 * ohal_backend_t) returns `result` without calling cpu_ref. With `message` non-zero it sets the
 * message "cts_fault: injected result <result as a number> into <entry>" through host->set_error
 * first; without, it sets none. Returns 0, or -1 for an entry the plugin does not wrap. */
typedef int (*cts_fault_fail_next_fn)(const char* entry, int32_t result, int message);
#define CTS_FAULT_FAIL_NEXT "cts_fault_fail_next"

/* The next mem_alloc returns the address of the most recent live allocation again (an
 * overlapping range, as a broken backend might). Returns -1 when there is none. */
typedef int (*cts_fault_alias_next_alloc_fn)(void);
#define CTS_FAULT_ALIAS_NEXT_ALLOC "cts_fault_alias_next_alloc"

/* lost != 0: the device is lost. Every entry that works on the device, its streams or its events
 * returns OHAL_ERROR_DEVICE_LOST with a message, except those that release objects (destroy,
 * unload, free), which still release them and succeed. lost == 0: the device answers again. */
typedef void (*cts_fault_lose_device_fn)(int lost);
#define CTS_FAULT_LOSE_DEVICE "cts_fault_lose_device"

/* Disarms every fault. */
typedef void (*cts_fault_reset_fn)(void);
#define CTS_FAULT_RESET "cts_fault_reset"

#ifdef __cplusplus
}
#endif

#endif /* OHAL_CTS_FAULT_H */
