/*
 * openai_hal public C API (C99, ABI-stable).
 *
 * Conventions that hold for every function below unless its comment says otherwise:
 * - Every function returns ohal_result_t except ohal_result_string() and
 *   ohal_last_error_message(). Outputs go through pointer arguments, which are written only on
 *   OHAL_SUCCESS.
 * - Every function is thread-safe.
 * - Every function may return OHAL_ERROR_NULL_POINTER for a required pointer that is NULL,
 *   OHAL_ERROR_INVALID_HANDLE for a handle that is NULL-valued, destroyed or of the wrong type,
 *   OHAL_ERROR_NOT_INITIALIZED after ohal_shutdown(), and OHAL_ERROR_STRUCT_SIZE for a struct
 *   whose struct_size is smaller than the first version of that struct.
 * - On failure the calling thread's ohal_last_error_message() names the call and the cause
 *   (and, for native failures, the vendor's error name and code).
 * - Only the results listed in ohal_result_t are returned: a result a backend invents becomes
 *   OHAL_ERROR_BACKEND, with the value in the message.
 * - A lost device (OHAL_ERROR_DEVICE_LOST) takes no new objects or work; its objects can still
 *   be destroyed and its memory freed, and ohal_shutdown() completes.
 * - Structs that cross the API start with size_t struct_size; set it with the matching
 *   OHAL_<STRUCT>_INIT macro, which also fills the documented defaults. Fields are only appended.
 */
#ifndef OPENAI_HAL_OHAL_H
#define OPENAI_HAL_OHAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define OHAL_API __declspec(dllimport)
#elif defined(__GNUC__)
#define OHAL_API __attribute__((visibility("default")))
#else
#define OHAL_API
#endif

/* API version: major changes break the ABI; minor changes append. */
#define OHAL_API_VERSION_MAJOR 0
#define OHAL_API_VERSION_MINOR 1
#define OHAL_API_VERSION_PATCH 0
#define OHAL_MAKE_VERSION(major, minor, patch) \
  ((((uint32_t)(major)) << 22) | (((uint32_t)(minor)) << 12) | ((uint32_t)(patch)))
#define OHAL_API_VERSION \
  OHAL_MAKE_VERSION(OHAL_API_VERSION_MAJOR, OHAL_API_VERSION_MINOR, OHAL_API_VERSION_PATCH)

/* ------------------------------------------------------------------------------------------- */
/* Results                                                                                       */
/* ------------------------------------------------------------------------------------------- */

typedef enum ohal_result {
  OHAL_SUCCESS = 0,
  /* Not an error: the queried stream or event still has work pending. */
  OHAL_NOT_READY = 1,

  OHAL_ERROR_NULL_POINTER = 100,        /* a required pointer argument is NULL */
  OHAL_ERROR_INVALID_HANDLE = 101,      /* handle NULL, destroyed, foreign, or of the wrong type */
  OHAL_ERROR_INVALID_VALUE = 102,       /* an enum, flag or size outside its documented range */
  OHAL_ERROR_STRUCT_SIZE = 103,         /* struct_size smaller than the struct's first version */
  OHAL_ERROR_NOT_INITIALIZED = 104,     /* the library was shut down */
  OHAL_ERROR_ALREADY_INITIALIZED = 105, /* ohal_init called twice with a descriptor */
  OHAL_ERROR_DEVICE_MISMATCH = 106,     /* objects of different devices mixed in one call */
  OHAL_ERROR_OUT_OF_BOUNDS = 107,       /* a copy or fill runs past the end of an allocation */
  OHAL_ERROR_INVALID_POINTER = 108,     /* not the base of a live allocation, or wrong kind */
  OHAL_ERROR_OUT_OF_DEVICE_MEMORY = 109,
  OHAL_ERROR_OUT_OF_HOST_MEMORY = 110,
  OHAL_ERROR_UNSUPPORTED = 111,      /* the device or backend does not offer this */
  OHAL_ERROR_INVALID_IMAGE = 112,    /* a module image or bundle is corrupt or mismatched */
  OHAL_ERROR_BUILD_FAILED = 113,     /* source could not be compiled; the log is in the message */
  OHAL_ERROR_KERNEL_NOT_FOUND = 114, /* no kernel of that name in the module */
  OHAL_ERROR_INVALID_KERNEL_ARGS = 115,   /* argument count or sizes do not match the kernel */
  OHAL_ERROR_INVALID_LAUNCH_CONFIG = 116, /* grid, block or shared memory beyond the limits */
  OHAL_ERROR_LAUNCH_FAILED = 117,         /* asynchronous work faulted; sticky on its stream */
  OHAL_ERROR_DEVICE_LOST = 118,           /* the device stopped answering; sticky */
  OHAL_ERROR_NO_DEVICE = 119,             /* no device matches, or the index is out of range */
  OHAL_ERROR_BACKEND = 120,               /* a native call failed; its name is in the message */
  OHAL_ERROR_BUSY = 121,                  /* the object still has work or dependants */
  OHAL_ERROR_TIMEOUT = 122,
  OHAL_RESULT_FORCE32 = 0x7fffffff
} ohal_result_t;

/* A static string naming the result ("OHAL_ERROR_OUT_OF_BOUNDS"); "OHAL_RESULT_UNKNOWN" for
 * values this version does not know. Never NULL. Thread-safe. */
OHAL_API const char* ohal_result_string(ohal_result_t result);

/* The calling thread's message for its most recent failed call: which function, why, and the
 * native error name and code where a vendor call failed. Empty after a successful call of any
 * function that clears it (every function except the two string getters). Never NULL; valid
 * until the calling thread's next ohal call. Thread-safe (thread-local). */
OHAL_API const char* ohal_last_error_message(void);

/* ------------------------------------------------------------------------------------------- */
/* Handles: opaque, checked by the front-end (type, slot, generation).                          */
/* ------------------------------------------------------------------------------------------- */

typedef struct ohal_device_s* ohal_device_t;
typedef struct ohal_stream_s* ohal_stream_t;
typedef struct ohal_event_s* ohal_event_t;
typedef struct ohal_module_s* ohal_module_t;
typedef struct ohal_kernel_s* ohal_kernel_t;

/* ------------------------------------------------------------------------------------------- */
/* Init                                                                                          */
/* ------------------------------------------------------------------------------------------- */

typedef enum ohal_log_level {
  OHAL_LOG_LEVEL_OFF = 0,
  OHAL_LOG_LEVEL_ERROR = 1,
  OHAL_LOG_LEVEL_WARN = 2,
  OHAL_LOG_LEVEL_INFO = 3,
  OHAL_LOG_LEVEL_DEBUG = 4,
  /* Take the level from OHAL_LOG (default warn). */
  OHAL_LOG_LEVEL_FROM_ENV = 0x7ffffffe,
  OHAL_LOG_LEVEL_FORCE32 = 0x7fffffff
} ohal_log_level_t;

typedef struct ohal_init_desc {
  size_t struct_size;
  /* Comma-separated plugin names to load ("cpu_ref,vulkan"); NULL: OHAL_BACKENDS, else all. */
  const char* backends;
  /* Extra folders (':'-separated) searched after the install folder; NULL: OHAL_BACKEND_PATH. */
  const char* backend_path;
  /* Device filter ("cuda:0,vulkan:*"); NULL: OHAL_VISIBLE_DEVICES, else every device. */
  const char* visible_devices;
  /* Default OHAL_LOG_LEVEL_FROM_ENV. */
  ohal_log_level_t log_level;
} ohal_init_desc_t;

#define OHAL_INIT_DESC_INIT \
  { sizeof(ohal_init_desc_t), NULL, NULL, NULL, OHAL_LOG_LEVEL_FROM_ENV }

/* Loads the plugins and enumerates devices. Optional: every other call initializes lazily with
 * the environment's settings. desc may be NULL (environment settings). A plugin that fails to
 * load is recorded with its reason (ohal_backend_get_info) and never fails this call.
 * Errors: OHAL_ERROR_ALREADY_INITIALIZED (initialized before, by this call or lazily, and desc
 * is not NULL), OHAL_ERROR_STRUCT_SIZE, OHAL_ERROR_INVALID_VALUE (log_level out of range). */
OHAL_API ohal_result_t ohal_init(const ohal_init_desc_t* desc);

/* Waits for all streams, releases every object and unloads the plugins. Handles become invalid.
 * Afterwards every call but the string getters, ohal_init and ohal_shutdown returns
 * OHAL_ERROR_NOT_INITIALIZED; ohal_init may initialize again. Must not race with other calls.
 * Errors: none (calling it twice is OHAL_SUCCESS). */
OHAL_API ohal_result_t ohal_shutdown(void);

/* ------------------------------------------------------------------------------------------- */
/* Backends                                                                                      */
/* ------------------------------------------------------------------------------------------- */

typedef enum ohal_backend_status {
  OHAL_BACKEND_STATUS_LOADED = 0,
  OHAL_BACKEND_STATUS_FAILED = 1, /* reason in ohal_backend_info_t.status_reason */
  OHAL_BACKEND_STATUS_FORCE32 = 0x7fffffff
} ohal_backend_status_t;

#define OHAL_NAME_MAX 64
#define OHAL_PATH_MAX 512
#define OHAL_REASON_MAX 512

typedef struct ohal_backend_info {
  size_t struct_size;
  char name[OHAL_NAME_MAX];    /* "cpu_ref" */
  char version[OHAL_NAME_MAX]; /* backend's own version ("0.1.0 (CUDA 12.4)") */
  char path[OHAL_PATH_MAX];    /* the plugin file */
  ohal_backend_status_t status;
  char status_reason[OHAL_REASON_MAX]; /* why it failed, or why it found no device */
  uint32_t device_count;               /* devices the plugin reported (before filtering) */
  uint32_t abi_version;                /* OHAL_BACKEND_ABI_VERSION the plugin was built with */
} ohal_backend_info_t;

#define OHAL_BACKEND_INFO_INIT \
  { sizeof(ohal_backend_info_t), {0}, {0}, {0}, OHAL_BACKEND_STATUS_FAILED, {0}, 0, 0 }

/* Number of plugins found, loaded or failed. Errors: OHAL_ERROR_NULL_POINTER. */
OHAL_API ohal_result_t ohal_backend_count(uint32_t* count);

/* Fills info for plugin `index` (0..count-1). info->struct_size must be set.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_STRUCT_SIZE, OHAL_ERROR_INVALID_VALUE (index). */
OHAL_API ohal_result_t ohal_backend_get_info(uint32_t index, ohal_backend_info_t* info);

/* ------------------------------------------------------------------------------------------- */
/* Devices                                                                                       */
/* ------------------------------------------------------------------------------------------- */

typedef enum ohal_device_type {
  OHAL_DEVICE_TYPE_CPU = 0,
  OHAL_DEVICE_TYPE_GPU = 1,
  OHAL_DEVICE_TYPE_INTEGRATED_GPU = 2,
  OHAL_DEVICE_TYPE_ACCELERATOR = 3,
  OHAL_DEVICE_TYPE_OTHER = 4,
  OHAL_DEVICE_TYPE_FORCE32 = 0x7fffffff
} ohal_device_type_t;

/* Kernel image formats (DESIGN.md section 5). */
typedef enum ohal_kernel_format {
  OHAL_KERNEL_FORMAT_NATIVE_SO = 0,
  OHAL_KERNEL_FORMAT_PTX = 1,
  OHAL_KERNEL_FORMAT_CUBIN = 2,
  OHAL_KERNEL_FORMAT_FATBIN = 3,
  OHAL_KERNEL_FORMAT_CUDA_SOURCE = 4,
  OHAL_KERNEL_FORMAT_HSACO = 5,
  OHAL_KERNEL_FORMAT_HIP_SOURCE = 6,
  OHAL_KERNEL_FORMAT_SPIRV_OPENCL = 7,
  OHAL_KERNEL_FORMAT_SPIRV_VULKAN = 8,
  OHAL_KERNEL_FORMAT_COUNT_ = 9, /* number of formats this version knows */
  OHAL_KERNEL_FORMAT_FORCE32 = 0x7fffffff
} ohal_kernel_format_t;

#define OHAL_FORMAT_BIT(format) (1u << (uint32_t)(format))

/* Capability bits (ohal_device_properties_t.capabilities). */
#define OHAL_CAP_UNIFIED_ADDRESSING (1u << 0) /* HOST/SHARED pointers equal device pointers */
#define OHAL_CAP_MEM_HOST (1u << 1)           /* OHAL_MEM_KIND_HOST allocations */
#define OHAL_CAP_MEM_SHARED (1u << 2)         /* OHAL_MEM_KIND_SHARED allocations */
#define OHAL_CAP_ATOMICS_64 (1u << 3)         /* 64-bit atomics in kernels */
#define OHAL_CAP_EVENT_TIMING (1u << 4)       /* ohal_event_elapsed_time */
#define OHAL_CAP_HOST_FUNC (1u << 5)          /* ohal_stream_launch_host_func */
#define OHAL_CAP_DYNAMIC_SHARED (1u << 6)     /* config.shared_bytes > 0 */
#define OHAL_CAP_KERNEL_ARG_SIZES (1u << 7)   /* formats report argument sizes; launches check */

#define OHAL_UUID_SIZE 16

typedef struct ohal_device_properties {
  size_t struct_size;
  char name[OHAL_NAME_MAX * 2];
  char vendor[OHAL_NAME_MAX];
  char backend[OHAL_NAME_MAX];   /* the plugin's name */
  uint32_t backend_device_index; /* index among that plugin's devices ("cuda:<n>") */
  ohal_device_type_t type;
  uint64_t total_memory;        /* bytes of device memory */
  uint64_t free_memory;         /* bytes free when queried */
  uint64_t max_allocation_size; /* largest single allocation */
  uint32_t max_block_dims[3];
  uint32_t max_threads_per_block;
  uint32_t max_grid_dims[3];
  uint32_t max_shared_bytes_per_block; /* static + dynamic */
  uint32_t max_kernel_arg_bytes;       /* total bytes of kernel arguments */
  uint32_t subgroup_size;              /* warp / wavefront / SIMD width */
  uint32_t compute_units;
  uint32_t kernel_formats; /* OR of OHAL_FORMAT_BIT(format) the device accepts */
  uint8_t uuid[OHAL_UUID_SIZE];
  uint32_t pci_domain, pci_bus, pci_device, pci_function; /* all 0xffffffff when unknown */
  uint32_t capabilities;                                  /* OR of OHAL_CAP_* */
  uint32_t memory_alignment; /* alignment of every allocation's base, bytes */
} ohal_device_properties_t;

#define OHAL_DEVICE_PROPERTIES_INIT                                                      \
  {                                                                                      \
    sizeof(ohal_device_properties_t), {0}, {0}, {0}, 0, OHAL_DEVICE_TYPE_OTHER, 0, 0, 0, \
        {0, 0, 0}, 0, {0, 0, 0}, 0, 0, 0, 0, 0, {0}, 0, 0, 0, 0, 0, 0                    \
  }

/* Number of visible devices (after OHAL_VISIBLE_DEVICES). Errors: OHAL_ERROR_NULL_POINTER. */
OHAL_API ohal_result_t ohal_device_count(uint32_t* count);

/* The device at `index` (0..count-1). Device handles stay valid until ohal_shutdown.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_NO_DEVICE (index out of range). */
OHAL_API ohal_result_t ohal_device_get(uint32_t index, ohal_device_t* device);

/* Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_STRUCT_SIZE. */
OHAL_API ohal_result_t ohal_device_get_properties(ohal_device_t device,
                                                  ohal_device_properties_t* properties);

/* Blocks until all work on all of the device's streams finished. Returns the first sticky error
 * of any of its streams (OHAL_ERROR_LAUNCH_FAILED, OHAL_ERROR_DEVICE_LOST) without clearing it.
 * Errors: OHAL_ERROR_INVALID_HANDLE. */
OHAL_API ohal_result_t ohal_device_synchronize(ohal_device_t device);

/* ------------------------------------------------------------------------------------------- */
/* Memory                                                                                        */
/* ------------------------------------------------------------------------------------------- */

typedef enum ohal_mem_kind {
  OHAL_MEM_KIND_DEVICE = 0, /* device memory; not host-accessible */
  OHAL_MEM_KIND_HOST = 1,   /* pinned host memory the device can read and write */
  OHAL_MEM_KIND_SHARED = 2, /* accessible from host and device (managed / USM shared) */
  OHAL_MEM_KIND_FORCE32 = 0x7fffffff
} ohal_mem_kind_t;

#define OHAL_MEM_FLAG_NONE 0u
#define OHAL_MEM_FLAG_ZERO (1u << 0) /* contents are zero on return */

/* Allocates `size` bytes of `kind` for `device`. The returned pointer is unique in the process
 * and aligned to properties.memory_alignment; offsets into it are valid pointers.
 * Errors: OHAL_ERROR_NULL_POINTER (ptr), OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_INVALID_VALUE
 * (size 0, unknown kind or flags), OHAL_ERROR_UNSUPPORTED (kind not offered),
 * OHAL_ERROR_OUT_OF_DEVICE_MEMORY (size above max_allocation_size or memory exhausted),
 * OHAL_ERROR_OUT_OF_HOST_MEMORY, OHAL_ERROR_DEVICE_LOST, OHAL_ERROR_BACKEND (the backend returned
 * a range that overlaps a live allocation; the library frees it). */
OHAL_API ohal_result_t ohal_mem_alloc(ohal_device_t device, size_t size, ohal_mem_kind_t kind,
                                      uint32_t flags, void** ptr);

/* Frees an allocation after all work already submitted to the device's streams that uses it
 * has finished (it synchronizes the device). ptr must be the base a ohal_mem_alloc returned.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_POINTER (not a live allocation's base). */
OHAL_API ohal_result_t ohal_mem_free(void* ptr);

/* Free and total device memory in bytes.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE. */
OHAL_API ohal_result_t ohal_mem_get_info(ohal_device_t device, uint64_t* free_bytes,
                                         uint64_t* total_bytes);

typedef struct ohal_pointer_attributes {
  size_t struct_size;
  ohal_device_t device;   /* NULL for pageable host memory */
  ohal_mem_kind_t kind;   /* meaningless when is_registered is 0 */
  void* base;             /* base of the allocation holding the pointer */
  size_t size;            /* the allocation's size */
  uint32_t is_registered; /* 1: the pointer lies in a live HAL allocation */
} ohal_pointer_attributes_t;

#define OHAL_POINTER_ATTRIBUTES_INIT \
  { sizeof(ohal_pointer_attributes_t), NULL, OHAL_MEM_KIND_DEVICE, NULL, 0, 0 }

/* Describes the allocation that contains ptr. A pointer outside every allocation succeeds with
 * is_registered = 0 (pageable host memory).
 * Errors: OHAL_ERROR_NULL_POINTER (ptr or attributes), OHAL_ERROR_STRUCT_SIZE. */
OHAL_API ohal_result_t ohal_pointer_get_attributes(const void* ptr,
                                                   ohal_pointer_attributes_t* attributes);

/* The address a kernel uses for HOST or SHARED memory (ptr may be an offset into it). Equal to
 * ptr where the device has OHAL_CAP_UNIFIED_ADDRESSING.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_POINTER (not in a HOST or SHARED
 * allocation). */
OHAL_API ohal_result_t ohal_mem_get_device_pointer(void* ptr, void** device_ptr);

/* ------------------------------------------------------------------------------------------- */
/* Streams                                                                                       */
/* ------------------------------------------------------------------------------------------- */

#define OHAL_STREAM_FLAG_NONE 0u

/* Creates an in-order stream. Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE,
 * OHAL_ERROR_INVALID_VALUE (unknown flags), OHAL_ERROR_OUT_OF_HOST_MEMORY, OHAL_ERROR_BACKEND,
 * OHAL_ERROR_DEVICE_LOST. */
OHAL_API ohal_result_t ohal_stream_create(ohal_device_t device, uint32_t flags,
                                          ohal_stream_t* stream);

/* Waits for the stream's work, then destroys it. The handle becomes invalid even when its
 * sticky error is returned. Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_LAUNCH_FAILED,
 * OHAL_ERROR_DEVICE_LOST (its sticky error, reported once more). */
OHAL_API ohal_result_t ohal_stream_destroy(ohal_stream_t stream);

/* Blocks until all work submitted to the stream finished. A failed operation makes the stream
 * sticky: this and every later call on it return the error, with a message naming the failed
 * operation. Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_LAUNCH_FAILED, OHAL_ERROR_DEVICE_LOST.
 */
OHAL_API ohal_result_t ohal_stream_synchronize(ohal_stream_t stream);

/* OHAL_SUCCESS when all submitted work finished, OHAL_NOT_READY when some is pending.
 * Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_LAUNCH_FAILED, OHAL_ERROR_DEVICE_LOST. */
OHAL_API ohal_result_t ohal_stream_query(ohal_stream_t stream);

/* Work submitted to the stream after this call waits until the event's recorded work finished.
 * The event may belong to another stream of the same device. An event never recorded makes this
 * a no-op. Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_DEVICE_MISMATCH, sticky errors. */
OHAL_API ohal_result_t ohal_stream_wait_event(ohal_stream_t stream, ohal_event_t event);

typedef void (*ohal_host_func_t)(void* user_data);

/* Runs func(user_data) on a runtime thread once prior work on the stream finished; later work
 * waits for it to return. func must not call ohal functions that wait on this stream.
 * Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_NULL_POINTER (func), OHAL_ERROR_UNSUPPORTED,
 * sticky errors. */
OHAL_API ohal_result_t ohal_stream_launch_host_func(ohal_stream_t stream, ohal_host_func_t func,
                                                    void* user_data);

/* ------------------------------------------------------------------------------------------- */
/* Events                                                                                        */
/* ------------------------------------------------------------------------------------------- */

#define OHAL_EVENT_FLAG_NONE 0u
#define OHAL_EVENT_FLAG_DISABLE_TIMING (1u << 0)

/* Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_INVALID_VALUE (flags),
 * OHAL_ERROR_OUT_OF_HOST_MEMORY, OHAL_ERROR_BACKEND, OHAL_ERROR_DEVICE_LOST. */
OHAL_API ohal_result_t ohal_event_create(ohal_device_t device, uint32_t flags, ohal_event_t* event);

/* Captures the stream's work submitted so far; the event completes when that work finished.
 * Recording again replaces the captured point. Errors: OHAL_ERROR_INVALID_HANDLE,
 * OHAL_ERROR_DEVICE_MISMATCH (event and stream on different devices), sticky errors. */
OHAL_API ohal_result_t ohal_event_record(ohal_event_t event, ohal_stream_t stream);

/* Blocks until the event completed (immediately for a never-recorded event).
 * Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_LAUNCH_FAILED, OHAL_ERROR_DEVICE_LOST (the
 * recording stream failed before the event). */
OHAL_API ohal_result_t ohal_event_synchronize(ohal_event_t event);

/* OHAL_SUCCESS when completed (or never recorded), OHAL_NOT_READY otherwise.
 * Errors: OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_LAUNCH_FAILED, OHAL_ERROR_DEVICE_LOST. */
OHAL_API ohal_result_t ohal_event_query(ohal_event_t event);

/* Milliseconds of device time between two completed events of the same device (negative when
 * end completed before start). Returns OHAL_NOT_READY when either event has not completed.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_DEVICE_MISMATCH,
 * OHAL_ERROR_UNSUPPORTED (an event created with OHAL_EVENT_FLAG_DISABLE_TIMING, or the device
 * lacks OHAL_CAP_EVENT_TIMING), OHAL_ERROR_INVALID_VALUE (either event never recorded),
 * sticky errors of the recording streams. */
OHAL_API ohal_result_t ohal_event_elapsed_time(ohal_event_t start, ohal_event_t end,
                                               float* milliseconds);

/* Destroys the event; pending work that records or waits on it is not affected.
 * Errors: OHAL_ERROR_INVALID_HANDLE. */
OHAL_API ohal_result_t ohal_event_destroy(ohal_event_t event);

/* ------------------------------------------------------------------------------------------- */
/* Modules and kernels                                                                           */
/* ------------------------------------------------------------------------------------------- */

typedef struct ohal_module_desc {
  size_t struct_size;
  ohal_kernel_format_t format;
  const void* data;    /* the image (or source text); copied by the call */
  size_t size;         /* bytes of data (source: without a terminating NUL) */
  const char* options; /* compiler / JIT options, space separated; NULL for none */
} ohal_module_desc_t;

#define OHAL_MODULE_DESC_INIT \
  { sizeof(ohal_module_desc_t), OHAL_KERNEL_FORMAT_NATIVE_SO, NULL, 0, NULL }

/* Loads a kernel image for the device.
 * Errors: OHAL_ERROR_NULL_POINTER (desc, desc->data, module), OHAL_ERROR_INVALID_HANDLE,
 * OHAL_ERROR_STRUCT_SIZE, OHAL_ERROR_INVALID_VALUE (size 0, unknown format),
 * OHAL_ERROR_UNSUPPORTED (format not in the device's kernel_formats), OHAL_ERROR_INVALID_IMAGE
 * (corrupt image; the loader's log is in the message), OHAL_ERROR_BUILD_FAILED (source formats;
 * compile log in the message), OHAL_ERROR_OUT_OF_HOST_MEMORY, OHAL_ERROR_DEVICE_LOST. */
OHAL_API ohal_result_t ohal_module_load(ohal_device_t device, const ohal_module_desc_t* desc,
                                        ohal_module_t* module);

/* Loads the best image of an ohal-pack bundle for the device (docs/BUNDLE.md: the device's
 * preferred format order). Errors: as ohal_module_load, plus OHAL_ERROR_INVALID_IMAGE (not a
 * bundle, bad version, out-of-bounds entry) and OHAL_ERROR_UNSUPPORTED (no image the device
 * accepts). */
OHAL_API ohal_result_t ohal_module_load_bundle(ohal_device_t device, const void* data, size_t size,
                                               const char* options, ohal_module_t* module);

/* Unloads the module after the device finished its submitted work; its kernel handles become
 * invalid. Errors: OHAL_ERROR_INVALID_HANDLE. */
OHAL_API ohal_result_t ohal_module_unload(ohal_module_t module);

/* Errors: OHAL_ERROR_NULL_POINTER (name, kernel), OHAL_ERROR_INVALID_HANDLE,
 * OHAL_ERROR_KERNEL_NOT_FOUND. */
OHAL_API ohal_result_t ohal_module_get_kernel(ohal_module_t module, const char* name,
                                              ohal_kernel_t* kernel);

#define OHAL_KERNEL_MAX_ARGS 64
#define OHAL_ARG_SIZE_UNKNOWN 0u

typedef struct ohal_kernel_properties {
  size_t struct_size;
  char name[OHAL_NAME_MAX * 2];
  uint32_t max_threads_per_block; /* for this kernel on this device */
  uint32_t static_shared_bytes;
  /* Number of arguments and their sizes, where the format tells them; otherwise
   * arg_count_known is 0 and launches are not checked against them. */
  uint32_t arg_count_known;
  uint32_t arg_count;
  uint32_t arg_sizes[OHAL_KERNEL_MAX_ARGS];
} ohal_kernel_properties_t;

#define OHAL_KERNEL_PROPERTIES_INIT                      \
  {                                                      \
    sizeof(ohal_kernel_properties_t), {0}, 0, 0, 0, 0, { \
      0                                                  \
    }                                                    \
  }

/* Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_STRUCT_SIZE. */
OHAL_API ohal_result_t ohal_kernel_get_properties(ohal_kernel_t kernel,
                                                  ohal_kernel_properties_t* properties);

/* ------------------------------------------------------------------------------------------- */
/* Launch                                                                                        */
/* ------------------------------------------------------------------------------------------- */

typedef struct ohal_launch_config {
  size_t struct_size;
  uint32_t grid[3];      /* blocks per dimension, each >= 1 */
  uint32_t block[3];     /* threads per dimension, each >= 1 */
  uint32_t shared_bytes; /* dynamic shared memory per block */
} ohal_launch_config_t;

#define OHAL_LAUNCH_CONFIG_INIT \
  { sizeof(ohal_launch_config_t), {1, 1, 1}, {1, 1, 1}, 0 }

/* One kernel argument: `size` bytes copied from `value` at the call. Pointers are passed by
 * value (value points at the pointer variable). */
typedef struct ohal_kernel_arg {
  const void* value;
  size_t size;
} ohal_kernel_arg_t;

/* Enqueues kernel on stream with the C semantics of CUDA's launch. Arguments are copied before
 * the call returns.
 * Errors: OHAL_ERROR_NULL_POINTER (kernel_config, args when arg_count > 0, an arg's value),
 * OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_STRUCT_SIZE, OHAL_ERROR_DEVICE_MISMATCH (kernel loaded
 * for another device), OHAL_ERROR_INVALID_LAUNCH_CONFIG (a zero dimension, block dims or
 * threads above the device's or kernel's limits, grid above max_grid_dims, shared memory above
 * max_shared_bytes_per_block), OHAL_ERROR_INVALID_KERNEL_ARGS (count above
 * OHAL_KERNEL_MAX_ARGS, an arg of size 0, or count or sizes differing from what the format
 * reports), sticky errors. */
OHAL_API ohal_result_t ohal_launch(ohal_stream_t stream, ohal_kernel_t kernel,
                                   const ohal_launch_config_t* config, uint32_t arg_count,
                                   const ohal_kernel_arg_t* args);

/* ------------------------------------------------------------------------------------------- */
/* Copies and fills                                                                              */
/* ------------------------------------------------------------------------------------------- */

/* Copies size bytes, ordered on stream. Direction comes from the allocation registry: pointers
 * outside every allocation are pageable host memory, which the call may read or write before it
 * returns (so the caller may reuse a pageable source at once). Both ranges must lie wholly
 * inside their allocations; device pointers must belong to the stream's device.
 * size 0 is a no-op. Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE,
 * OHAL_ERROR_OUT_OF_BOUNDS (nothing is written), OHAL_ERROR_DEVICE_MISMATCH,
 * OHAL_ERROR_INVALID_VALUE (overlapping ranges), sticky errors. */
OHAL_API ohal_result_t ohal_memcpy_async(ohal_stream_t stream, void* dst, const void* src,
                                         size_t size);

/* Fills `count` elements of `element_size` bytes (1, 2 or 4) at dst with the low bytes of
 * pattern, ordered on stream. dst must be aligned to element_size and the range must lie inside
 * one allocation of the stream's device, or pageable host memory.
 * Errors: OHAL_ERROR_NULL_POINTER, OHAL_ERROR_INVALID_HANDLE, OHAL_ERROR_INVALID_VALUE
 * (element_size, alignment), OHAL_ERROR_OUT_OF_BOUNDS, OHAL_ERROR_DEVICE_MISMATCH, sticky
 * errors. */
OHAL_API ohal_result_t ohal_memset_async(ohal_stream_t stream, void* dst, uint32_t pattern,
                                         size_t element_size, size_t count);

/* Blocking forms: run on an internal stream of the device that owns dst (else src) and wait
 * for it. They are not ordered with work on other streams: synchronize those first. Host-to-host
 * ohal_memcpy needs no device. ohal_memset needs HAL memory: OHAL_ERROR_INVALID_POINTER for
 * pageable dst. Errors otherwise as the async forms. */
OHAL_API ohal_result_t ohal_memcpy(void* dst, const void* src, size_t size);
OHAL_API ohal_result_t ohal_memset(void* dst, uint32_t pattern, size_t element_size, size_t count);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPENAI_HAL_OHAL_H */
