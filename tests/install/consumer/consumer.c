/* A program built against the installed package: lists devices, proving the plugins are found
 * from the install location. */
#include <stdio.h>

#include <openai_hal/ohal.h>

int main(void) {
  uint32_t count = 0;
  ohal_result_t result = ohal_device_count(&count);
  if (result != OHAL_SUCCESS) {
    fprintf(stderr, "consumer: %s: %s\n", ohal_result_string(result), ohal_last_error_message());
    return 1;
  }
  printf("consumer: %u devices\n", count);
  return count > 0 ? 0 : 1;
}
