/* Shows Mesa lavapipe leaking 128 bytes per VkInstance without openai_hal:
 *   gcc -fsanitize=address tools/repro/vulkan_leak.c -o /tmp/vulkan_leak -ldl && /tmp/vulkan_leak
 */
#include <dlfcn.h>
#include <stdio.h>
#include <vulkan/vulkan.h>
int main(void) {
  void* lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
  PFN_vkGetInstanceProcAddr gipa = (PFN_vkGetInstanceProcAddr)dlsym(lib, "vkGetInstanceProcAddr");
  PFN_vkCreateInstance ci = (PFN_vkCreateInstance)gipa(NULL, "vkCreateInstance");
  VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.apiVersion = VK_API_VERSION_1_2;
  VkInstanceCreateInfo info = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  VkInstance inst;
  printf("create %d\n", ci(&info, NULL, &inst));
  PFN_vkEnumeratePhysicalDevices epd =
      (PFN_vkEnumeratePhysicalDevices)gipa(inst, "vkEnumeratePhysicalDevices");
  uint32_t n = 0;
  epd(inst, &n, NULL);
  printf("%u devices\n", n);
  PFN_vkDestroyInstance di = (PFN_vkDestroyInstance)gipa(inst, "vkDestroyInstance");
  di(inst, NULL);
  dlclose(lib);
  return 0;
}
