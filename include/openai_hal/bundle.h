/*
 * The ohal-pack bundle format (version 1): several kernel images of the same kernels in one
 * file, from which ohal_module_load_bundle picks the best one a device accepts.
 *
 * All integers are little-endian. Layout:
 *   ohal_bundle_header_t                      at offset 0
 *   ohal_bundle_entry_t[entry_count]          right after the header
 *   image bytes                               anywhere after the entries, at each entry's offset
 * Rules checked on load: magic, version, total_size equal to the bytes given, entry_count at
 * most OHAL_BUNDLE_MAX_ENTRIES, the entry table inside the file, every image inside the file
 * and after the entry table, sizes non-zero, target NUL-terminated, format known.
 * See docs/BUNDLE.md.
 */
#ifndef OPENAI_HAL_BUNDLE_H
#define OPENAI_HAL_BUNDLE_H

#include <stdint.h>

#define OHAL_BUNDLE_MAGIC "OHALBNDL"
#define OHAL_BUNDLE_VERSION 1u
#define OHAL_BUNDLE_MAX_ENTRIES 256u
#define OHAL_BUNDLE_TARGET_MAX 32

typedef struct ohal_bundle_header {
  char magic[8];        /* OHAL_BUNDLE_MAGIC, no NUL */
  uint32_t version;     /* OHAL_BUNDLE_VERSION */
  uint32_t entry_count; /* images that follow */
  uint64_t total_size;  /* bytes of the whole bundle */
} ohal_bundle_header_t;

typedef struct ohal_bundle_entry {
  uint32_t format;                     /* ohal_kernel_format_t */
  uint32_t flags;                      /* 0 */
  char target[OHAL_BUNDLE_TARGET_MAX]; /* "sm_90", "gfx90a", "x86_64"; NUL-terminated */
  uint64_t offset;                     /* from the start of the bundle */
  uint64_t size;                       /* bytes of the image */
} ohal_bundle_entry_t;

#endif /* OPENAI_HAL_BUNDLE_H */
