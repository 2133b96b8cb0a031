/*
 * saxpy: y = a * x + y on any openai_hal device, in C99.
 *
 *   saxpy KERNELS [DEVICE_INDEX]
 *
 * KERNELS is an ohal-pack bundle (the build makes examples/saxpy.ohalb with every image it can
 * compile), or a single image: a cpu_ref shared object (NATIVE_SO) or a SPIR-V module for Vulkan.
 * Every call is checked; any failure prints the library's message and exits non-zero.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openai_hal/ohal.h"

#define CHECK(call)                                                                             \
  do {                                                                                          \
    ohal_result_t check_result_ = (call);                                                       \
    if (check_result_ != OHAL_SUCCESS) {                                                        \
      fprintf(stderr, "saxpy: %s failed: %s\n  %s\n", #call, ohal_result_string(check_result_), \
              ohal_last_error_message());                                                       \
      exit(1);                                                                                  \
    }                                                                                           \
  } while (0)

static unsigned char* read_file(const char* path, size_t* size) {
  FILE* file = fopen(path, "rb");
  unsigned char* data;
  long length;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) != 0 || (length = ftell(file)) <= 0 ||
      fseek(file, 0, SEEK_SET) != 0) {
    fclose(file);
    return NULL;
  }
  data = (unsigned char*)malloc((size_t)length);
  if (data != NULL && fread(data, 1, (size_t)length, file) != (size_t)length) {
    free(data);
    data = NULL;
  }
  fclose(file);
  *size = (size_t)length;
  return data;
}

/* Loads KERNELS as a bundle, an ELF shared object or a SPIR-V module. */
static void load_kernels(ohal_device_t device, const unsigned char* data, size_t size,
                         ohal_module_t* module) {
  ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
  if (size >= 8 && memcmp(data, "OHALBNDL", 8) == 0) {
    CHECK(ohal_module_load_bundle(device, data, size, NULL, module));
    return;
  }
  if (size >= 4 && data[0] == 0x03 && data[1] == 0x02 && data[2] == 0x23 && data[3] == 0x07) {
    desc.format = OHAL_KERNEL_FORMAT_SPIRV_VULKAN;
  } else {
    desc.format = OHAL_KERNEL_FORMAT_NATIVE_SO;
  }
  desc.data = data;
  desc.size = size;
  CHECK(ohal_module_load(device, &desc, module));
}

int main(int argc, char** argv) {
  const uint32_t n = 1u << 20;
  const float a = 2.5f;
  const size_t bytes = n * sizeof(float);
  uint32_t device_count = 0, device_index = 0, i, errors = 0;
  ohal_device_t device;
  ohal_device_properties_t properties = OHAL_DEVICE_PROPERTIES_INIT;
  ohal_stream_t stream;
  ohal_module_t module;
  ohal_kernel_t kernel;
  ohal_launch_config_t config = OHAL_LAUNCH_CONFIG_INIT;
  ohal_kernel_arg_t args[4];
  float *x_host, *y_host, *x_device, *y_device;
  unsigned char* image;
  size_t image_size = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: saxpy KERNELS [DEVICE_INDEX]\n");
    return 2;
  }
  if (argc > 2) device_index = (uint32_t)strtoul(argv[2], NULL, 10);
  image = read_file(argv[1], &image_size);
  if (image == NULL) {
    fprintf(stderr, "saxpy: cannot read %s\n", argv[1]);
    return 1;
  }

  CHECK(ohal_device_count(&device_count));
  if (device_index >= device_count) {
    fprintf(stderr, "saxpy: device %u requested, %u visible\n", device_index, device_count);
    return 1;
  }
  CHECK(ohal_device_get(device_index, &device));
  CHECK(ohal_device_get_properties(device, &properties));
  printf("device %u: %s (%s)\n", device_index, properties.name, properties.backend);

  x_host = (float*)malloc(bytes);
  y_host = (float*)malloc(bytes);
  if (x_host == NULL || y_host == NULL) return 1;
  for (i = 0; i < n; ++i) {
    x_host[i] = (float)i;
    y_host[i] = 1.0f;
  }

  CHECK(ohal_stream_create(device, OHAL_STREAM_FLAG_NONE, &stream));
  CHECK(ohal_mem_alloc(device, bytes, OHAL_MEM_KIND_DEVICE, 0, (void**)&x_device));
  CHECK(ohal_mem_alloc(device, bytes, OHAL_MEM_KIND_DEVICE, 0, (void**)&y_device));
  CHECK(ohal_memcpy_async(stream, x_device, x_host, bytes));
  CHECK(ohal_memcpy_async(stream, y_device, y_host, bytes));

  load_kernels(device, image, image_size, &module);
  CHECK(ohal_module_get_kernel(module, "saxpy", &kernel));

  config.block[0] = 256;
  config.grid[0] = (n + config.block[0] - 1) / config.block[0];
  args[0].value = &n;
  args[0].size = sizeof(n);
  args[1].value = &a;
  args[1].size = sizeof(a);
  args[2].value = &x_device;
  args[2].size = sizeof(x_device);
  args[3].value = &y_device;
  args[3].size = sizeof(y_device);
  CHECK(ohal_launch(stream, kernel, &config, 4, args));
  CHECK(ohal_memcpy_async(stream, y_host, y_device, bytes));
  CHECK(ohal_stream_synchronize(stream));

  for (i = 0; i < n; ++i) {
    const float expected = a * (float)i + 1.0f;
    if (fabsf(y_host[i] - expected) > 1e-6f * fabsf(expected)) {
      if (errors++ < 5) fprintf(stderr, "y[%u] = %g, expected %g\n", i, y_host[i], expected);
    }
  }

  CHECK(ohal_module_unload(module));
  CHECK(ohal_mem_free(x_device));
  CHECK(ohal_mem_free(y_device));
  CHECK(ohal_stream_destroy(stream));
  CHECK(ohal_shutdown());
  free(x_host);
  free(y_host);
  free(image);
  printf("saxpy: %u elements, %u errors: %s\n", n, errors, errors == 0 ? "PASSED" : "FAILED");
  return errors == 0 ? 0 : 1;
}
