// A valid shared object that was not built from kernel.h: cpu_ref must refuse it.
extern "C" __attribute__((visibility("default"))) int ohal_test_not_a_kernel_image() {
  return 1;
}
