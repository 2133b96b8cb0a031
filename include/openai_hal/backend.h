/*
 * openai_hal backend ABI: what a plugin (libohal_<name>.so) implements.
 *
 * A plugin exports exactly one symbol, ohal_backend_entry, which hands the front-end a table of
 * function pointers. The front-end validates every argument and handle before it calls an entry,
 * so an entry sees only well-formed calls:
 * - handles are the backend's own, live, and belong to the device the call names;
 * - pointers that the API marks required are non-NULL, sizes are non-zero, enums are in range;
 * - copy and fill ranges lie inside their allocations (ohal_bmem_ref_t says which);
 * - launch configs fit the limits the backend reported in its device properties and kernel
 *   properties, and argument counts and sizes match the kernel where the format tells them;
 * - streams are synchronized before stream_destroy; devices are synchronized before mem_free
 *   and module_unload.
 * Entries may be called from any thread at the same time; the backend synchronizes its own state.
 *
 * Each entry returns an ohal_result_t. For a failure, call host->set_error(result, message) and
 * return its value: the message reaches ohal_last_error_message(), so name the native call, its
 * error name and code ("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY (2)").
 *
 * Versioning: the table starts with struct_size and abi_version and is extended only by
 * appending entries (the minor version grows). A different major version is never loaded.
 * Optional entries may be NULL; the front-end then answers OHAL_ERROR_UNSUPPORTED.
 */
#ifndef OPENAI_HAL_BACKEND_H
#define OPENAI_HAL_BACKEND_H

#include "openai_hal/ohal.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OHAL_BACKEND_ABI_VERSION_MAJOR 1u
#define OHAL_BACKEND_ABI_VERSION_MINOR 0u
#define OHAL_BACKEND_ABI_VERSION \
  ((OHAL_BACKEND_ABI_VERSION_MAJOR << 16) | OHAL_BACKEND_ABI_VERSION_MINOR)
#define OHAL_BACKEND_ABI_MAJOR(version) ((uint32_t)(version) >> 16)

#define OHAL_BACKEND_ENTRY_SYMBOL "ohal_backend_entry"

#if defined(__GNUC__)
#define OHAL_BACKEND_EXPORT __attribute__((visibility("default")))
#else
#define OHAL_BACKEND_EXPORT
#endif

/* Backend-owned handles. */
typedef struct ohal_bdevice_s* ohal_bdevice_t;
typedef struct ohal_bstream_s* ohal_bstream_t;
typedef struct ohal_bevent_s* ohal_bevent_t;
typedef struct ohal_bmodule_s* ohal_bmodule_t;
typedef struct ohal_bkernel_s* ohal_bkernel_t;

/* What the front-end offers a backend. */
typedef struct ohal_host_services {
  size_t struct_size;
  uint32_t abi_version;
  /* Logs through the front-end (OHAL_LOG); cheap to call when the level is filtered out. */
  void (*log)(ohal_log_level_t level, const char* backend_name, const char* message);
  /* The level currently enabled; skip formatting above it. */
  ohal_log_level_t (*log_level)(void);
  /* Attaches message to the calling thread's error and returns result, so a backend writes
   * `return host->set_error(OHAL_ERROR_BACKEND, "...")`. */
  ohal_result_t (*set_error)(ohal_result_t result, const char* message);
} ohal_host_services_t;

/* One side of a copy or fill, resolved by the front-end's allocation registry. */
typedef struct ohal_bmem_ref {
  void* ptr;            /* the HAL address the caller passed */
  void* alloc;          /* backend allocation handle from mem_alloc; NULL: pageable host */
  size_t offset;        /* ptr - the allocation's base; 0 for pageable host memory */
  ohal_mem_kind_t kind; /* the allocation's kind; meaningless when alloc is NULL */
} ohal_bmem_ref_t;

/* What mem_alloc returns. */
typedef struct ohal_balloc {
  void* ptr;        /* the HAL pointer: unique in the process, host address for HOST/SHARED */
  void* device_ptr; /* the address kernels use (equal to ptr with unified addressing) */
  void* alloc;      /* backend handle passed back to mem_free and in ohal_bmem_ref_t */
} ohal_balloc_t;

typedef struct ohal_backend {
  size_t struct_size;
  uint32_t abi_version; /* OHAL_BACKEND_ABI_VERSION the plugin was built with */
  const char* name;     /* short lowercase name: "cpu_ref", "vulkan", "cuda" */
  const char* version;  /* free text: the plugin's and the vendor runtime's versions */

  /* --- required --------------------------------------------------------------------------- */
  /* Initializes the vendor runtime. A failure (with a set_error message) skips the plugin. A
   * runtime with no device is not a failure: report 0 devices, and say why with
   * set_error(OHAL_SUCCESS, reason) from init or device_count; ohal-info shows the reason. */
  ohal_result_t (*init)(void);
  /* Releases everything; called once, after every object was destroyed. */
  void (*shutdown)(void);

  ohal_result_t (*device_count)(uint32_t* count);
  ohal_result_t (*device_get)(uint32_t index, ohal_bdevice_t* device);
  /* Fill every field but backend and backend_device_index (the front-end sets those). */
  ohal_result_t (*device_get_properties)(ohal_bdevice_t device,
                                         ohal_device_properties_t* properties);
  ohal_result_t (*device_synchronize)(ohal_bdevice_t device);

  ohal_result_t (*mem_alloc)(ohal_bdevice_t device, size_t size, ohal_mem_kind_t kind,
                             uint32_t flags, ohal_balloc_t* out);
  ohal_result_t (*mem_free)(ohal_bdevice_t device, void* alloc);
  ohal_result_t (*mem_get_info)(ohal_bdevice_t device, uint64_t* free_bytes, uint64_t* total_bytes);

  ohal_result_t (*stream_create)(ohal_bdevice_t device, uint32_t flags, ohal_bstream_t* stream);
  ohal_result_t (*stream_destroy)(ohal_bstream_t stream);
  ohal_result_t (*stream_synchronize)(ohal_bstream_t stream);
  ohal_result_t (*stream_query)(ohal_bstream_t stream);
  ohal_result_t (*stream_wait_event)(ohal_bstream_t stream, ohal_bevent_t event);

  ohal_result_t (*event_create)(ohal_bdevice_t device, uint32_t flags, ohal_bevent_t* event);
  ohal_result_t (*event_destroy)(ohal_bevent_t event);
  ohal_result_t (*event_record)(ohal_bevent_t event, ohal_bstream_t stream);
  ohal_result_t (*event_synchronize)(ohal_bevent_t event);
  ohal_result_t (*event_query)(ohal_bevent_t event);

  /* desc->format is one the device reported in kernel_formats. */
  ohal_result_t (*module_load)(ohal_bdevice_t device, const ohal_module_desc_t* desc,
                               ohal_bmodule_t* module);
  ohal_result_t (*module_unload)(ohal_bmodule_t module);
  ohal_result_t (*module_get_kernel)(ohal_bmodule_t module, const char* name,
                                     ohal_bkernel_t* kernel);
  /* Kernels live as long as their module; there is no kernel destroy. */
  ohal_result_t (*kernel_get_properties)(ohal_bkernel_t kernel,
                                         ohal_kernel_properties_t* properties);

  ohal_result_t (*launch)(ohal_bstream_t stream, ohal_bkernel_t kernel,
                          const ohal_launch_config_t* config, uint32_t arg_count,
                          const ohal_kernel_arg_t* args);
  /* dst and src do not overlap; size > 0; device-side refs belong to the stream's device. */
  ohal_result_t (*memcpy_async)(ohal_bstream_t stream, const ohal_bmem_ref_t* dst,
                                const ohal_bmem_ref_t* src, size_t size);
  /* element_size is 1, 2 or 4; count > 0; dst aligned to element_size. */
  ohal_result_t (*memset_async)(ohal_bstream_t stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                                uint32_t element_size, size_t count);

  /* --- optional (NULL: OHAL_ERROR_UNSUPPORTED) ------------------------------------------- */
  ohal_result_t (*stream_launch_host_func)(ohal_bstream_t stream, ohal_host_func_t func,
                                           void* user_data);
  ohal_result_t (*event_elapsed_time)(ohal_bevent_t start, ohal_bevent_t end, float* milliseconds);
} ohal_backend_t;

/* The first version of the table: a plugin's struct_size must be at least this. */
#define OHAL_BACKEND_MIN_STRUCT_SIZE (offsetof(ohal_backend_t, memset_async) + sizeof(void*))

/* The plugin's one export. abi_version is the front-end's OHAL_BACKEND_ABI_VERSION; a plugin of
 * another major version returns OHAL_ERROR_UNSUPPORTED. host stays valid until shutdown. */
typedef ohal_result_t (*ohal_backend_entry_fn)(uint32_t abi_version,
                                               const ohal_host_services_t* host,
                                               const ohal_backend_t** out);

OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                     const ohal_host_services_t* host,
                                                     const ohal_backend_t** out);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPENAI_HAL_BACKEND_H */
