/* Compiled with -std=c99 -pedantic -Werror: the public headers are plain C99. */
#include "openai_hal/backend.h"
#include "openai_hal/bundle.h"
#include "openai_hal/ohal.h"

/* The _INIT macros are valid C99 initializers, and C code can call the API. */
int ohal_test_c99_result_name_length(void);
int ohal_test_c99_result_name_length(void) {
  ohal_init_desc_t init = OHAL_INIT_DESC_INIT;
  ohal_backend_info_t backend = OHAL_BACKEND_INFO_INIT;
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  ohal_pointer_attributes_t attributes = OHAL_POINTER_ATTRIBUTES_INIT;
  ohal_module_desc_t module = OHAL_MODULE_DESC_INIT;
  ohal_kernel_properties_t kernel = OHAL_KERNEL_PROPERTIES_INIT;
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  const char* name = ohal_result_string(OHAL_ERROR_OUT_OF_BOUNDS);
  int length = 0;
  while (name[length] != '\0') ++length;
  (void)init;
  (void)backend;
  (void)properties;
  (void)attributes;
  (void)module;
  (void)kernel;
  return length + (int)(config.block[0] - 1);
}
