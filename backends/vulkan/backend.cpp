// The plugin's one export and its function table: each entry maps one HAL call onto the
// objects in device/memory/stream/event/module/launch/copy.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <vector>

#include "copy.hpp"
#include "device.hpp"
#include "event.hpp"
#include "launch.hpp"
#include "memory.hpp"
#include "module.hpp"
#include "stream.hpp"

namespace ohal::vk {
void describe_loader();
namespace {

constexpr const char* kPluginVersion = "0.1.0";

struct State {
  std::unique_ptr<Instance> instance;
  std::vector<std::unique_ptr<Device>> devices;
};
State* g_state = nullptr;
char g_version[64] = "0.1.0";

// Every entry: C++ exceptions never cross the C ABI.
template <typename F>
ohal_result_t guard(const char* entry, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return failf(OHAL_ERROR_OUT_OF_HOST_MEMORY, "{}: out of host memory", entry);
  } catch (const std::exception& e) {
    return failf(OHAL_ERROR_BACKEND, "{}: {}", entry, e.what());
  } catch (...) {
    return failf(OHAL_ERROR_BACKEND, "{}: unknown exception", entry);
  }
}

bool env_true(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' && std::strcmp(v, "0") != 0;
}

VKAPI_ATTR VkBool32 VKAPI_CALL debug_callback(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                              VkDebugUtilsMessageTypeFlagsEXT,
                                              const VkDebugUtilsMessengerCallbackDataEXT* data,
                                              void*) {
  const ohal_log_level_t level = severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT
                                     ? OHAL_LOG_LEVEL_ERROR
                                     : OHAL_LOG_LEVEL_WARN;
  log(level,
      std::string("validation: ") + (data != nullptr && data->pMessage ? data->pMessage : ""));
  return VK_FALSE;
}

ohal_result_t create_instance(Instance& inst, bool& no_driver) {
  no_driver = false;
  const uint32_t loader_version = inst.loader.instance_version();
  if (loader_version < VK_API_VERSION_1_2) {
    return failf(OHAL_ERROR_UNSUPPORTED, "the Vulkan loader supports {}.{}; 1.2 is needed",
                 VK_API_VERSION_MAJOR(loader_version), VK_API_VERSION_MINOR(loader_version));
  }
  inst.api_version = std::min(loader_version, VK_API_VERSION_1_3);
  std::vector<const char*> extensions, layers;
  uint32_t count = 0;
  inst.loader.vkEnumerateInstanceExtensionProperties(nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> available(count);
  inst.loader.vkEnumerateInstanceExtensionProperties(nullptr, &count, available.data());
  auto has = [&](const char* name) {
    for (const auto& e : available)
      if (std::strcmp(e.extensionName, name) == 0) return true;
    return false;
  };
  VkInstanceCreateFlags flags = 0;
  if (has(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME)) {
    extensions.push_back(VK_KHR_PORTABILITY_ENUMERATION_EXTENSION_NAME);
    flags |= VK_INSTANCE_CREATE_ENUMERATE_PORTABILITY_BIT_KHR;
  }
  // OHAL_VULKAN_VALIDATION=1: Khronos validation, messages through the HAL log.
  const bool validation = env_true("OHAL_VULKAN_VALIDATION");
  if (validation) {
    uint32_t layer_count = 0;
    inst.loader.vkEnumerateInstanceLayerProperties(&layer_count, nullptr);
    std::vector<VkLayerProperties> layer_list(layer_count);
    inst.loader.vkEnumerateInstanceLayerProperties(&layer_count, layer_list.data());
    bool found = false;
    for (const auto& l : layer_list)
      if (std::strcmp(l.layerName, "VK_LAYER_KHRONOS_validation") == 0) found = true;
    if (found) {
      layers.push_back("VK_LAYER_KHRONOS_validation");
    } else {
      log(OHAL_LOG_LEVEL_WARN,
          "OHAL_VULKAN_VALIDATION set but VK_LAYER_KHRONOS_validation is absent");
    }
    if (has(VK_EXT_DEBUG_UTILS_EXTENSION_NAME))
      extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  }
  auto app = vk_struct<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
  app.pApplicationName = "openai_hal";
  app.pEngineName = "openai_hal";
  app.apiVersion = inst.api_version;
  auto info = vk_struct<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
  info.flags = flags;
  info.pApplicationInfo = &app;
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  VkResult r = inst.loader.vkCreateInstance(&info, nullptr, &inst.instance);
  if (r == VK_ERROR_INCOMPATIBLE_DRIVER) {
    // A loader without any driver: the runtime is there, it just has no device.
    inst.instance = VK_NULL_HANDLE;
    no_driver = true;
    return OHAL_SUCCESS;
  }
  if (r != VK_SUCCESS) {
    inst.instance = VK_NULL_HANDLE;
    return fail_vk("vkCreateInstance", r);
  }
  std::string error;
  if (!inst.loader.load_instance(inst.instance, inst.fn, error)) {
    return fail(OHAL_ERROR_BACKEND, error);
  }
  if (validation && inst.fn.vkCreateDebugUtilsMessengerEXT != nullptr) {
    auto m = vk_struct<VkDebugUtilsMessengerCreateInfoEXT>(
        VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT);
    m.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                        VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    m.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                    VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
    m.pfnUserCallback = debug_callback;
    inst.fn.vkCreateDebugUtilsMessengerEXT(inst.instance, &m, nullptr, &inst.messenger);
  }
  return OHAL_SUCCESS;
}

void destroy_state(State* state) noexcept {
  if (state == nullptr) return;
  state->devices.clear();
  if (state->instance) {
    Instance& inst = *state->instance;
    if (inst.messenger != VK_NULL_HANDLE && inst.fn.vkDestroyDebugUtilsMessengerEXT != nullptr)
      inst.fn.vkDestroyDebugUtilsMessengerEXT(inst.instance, inst.messenger, nullptr);
    if (inst.instance != VK_NULL_HANDLE) inst.fn.vkDestroyInstance(inst.instance, nullptr);
    inst.loader.close();
  }
  delete state;
}

void format_version(const Loader& loader) {
  const uint32_t v = loader.instance_version();
  std::snprintf(g_version, sizeof g_version, "%s (Vulkan loader %u.%u.%u)", kPluginVersion,
                VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), VK_API_VERSION_PATCH(v));
}

}  // namespace

// The table's version names the loader, so it is read here (cheaply) before init.
void describe_loader() {
  if (g_state != nullptr) return;
  Loader loader;
  std::string error;
  if (loader.open(error)) format_version(loader);
  loader.close();
}

namespace {

ohal_result_t vk_init() {
  return guard("init", []() -> ohal_result_t {
    if (g_state != nullptr) return OHAL_SUCCESS;
    auto state = std::make_unique<State>();
    state->instance = std::make_unique<Instance>();
    Instance& inst = *state->instance;
    std::string error;
    if (!inst.loader.open(error)) return fail(OHAL_ERROR_BACKEND, error);
    format_version(inst.loader);
    bool no_driver = false;
    if (ohal_result_t r = create_instance(inst, no_driver); r != OHAL_SUCCESS) {
      destroy_state(state.release());
      return r;
    }
    if (no_driver) {
      log(OHAL_LOG_LEVEL_WARN,
          "vkCreateInstance: VK_ERROR_INCOMPATIBLE_DRIVER (-9): no Vulkan driver found; 0 devices");
      g_state = state.release();
      return OHAL_SUCCESS;
    }
    uint32_t count = 0;
    VkResult r = inst.fn.vkEnumeratePhysicalDevices(inst.instance, &count, nullptr);
    std::vector<VkPhysicalDevice> physical(count);
    if (r == VK_SUCCESS || r == VK_INCOMPLETE)
      r = inst.fn.vkEnumeratePhysicalDevices(inst.instance, &count, physical.data());
    if (r != VK_SUCCESS && r != VK_INCOMPLETE) {
      ohal_result_t code = fail_vk("vkEnumeratePhysicalDevices", r);
      destroy_state(state.release());
      return code;
    }
    physical.resize(count);
    for (VkPhysicalDevice p : physical) {
      std::string why;
      std::unique_ptr<Device> d = Device::create(inst, p, why);
      if (d) {
        state->devices.push_back(std::move(d));
      } else {
        logf(OHAL_LOG_LEVEL_INFO, "physical device skipped: {}", why);
      }
    }
    g_state = state.release();
    return OHAL_SUCCESS;
  });
}

void vk_shutdown() {
  destroy_state(g_state);
  g_state = nullptr;
}

ohal_result_t vk_device_count(uint32_t* count) {
  *count = g_state != nullptr ? static_cast<uint32_t>(g_state->devices.size()) : 0;
  return OHAL_SUCCESS;
}

ohal_result_t vk_device_get(uint32_t index, ohal_bdevice_t* device) {
  if (g_state == nullptr || index >= g_state->devices.size())
    return failf(OHAL_ERROR_NO_DEVICE, "vulkan device {} does not exist", index);
  *device = to_handle(g_state->devices[index].get());
  return OHAL_SUCCESS;
}

ohal_result_t vk_device_get_properties(ohal_bdevice_t device, ohal_device_properties_t* props) {
  return guard("device_get_properties", [&] {
    to_device(device)->get_properties(*props);
    return OHAL_SUCCESS;
  });
}

ohal_result_t vk_device_synchronize(ohal_bdevice_t device) {
  return guard("device_synchronize", [&] { return to_device(device)->synchronize(); });
}

ohal_result_t vk_mem_alloc(ohal_bdevice_t device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                           ohal_balloc_t* out) {
  return guard("mem_alloc", [&] { return mem_alloc(*to_device(device), size, kind, flags, out); });
}

ohal_result_t vk_mem_free(ohal_bdevice_t device, void* alloc) {
  return guard("mem_free", [&] { return mem_free(*to_device(device), to_allocation(alloc)); });
}

ohal_result_t vk_mem_get_info(ohal_bdevice_t device, uint64_t* free_bytes, uint64_t* total_bytes) {
  return guard("mem_get_info", [&] {
    to_device(device)->memory_info(*free_bytes, *total_bytes);
    return OHAL_SUCCESS;
  });
}

ohal_result_t vk_stream_create(ohal_bdevice_t device, uint32_t, ohal_bstream_t* stream) {
  return guard("stream_create", [&] {
    Stream* s = nullptr;
    ohal_result_t r = Stream::create(*to_device(device), &s);
    if (r == OHAL_SUCCESS) *stream = to_handle(s);
    return r;
  });
}

ohal_result_t vk_stream_destroy(ohal_bstream_t stream) {
  return guard("stream_destroy", [&] { return Stream::destroy(to_stream(stream)); });
}

ohal_result_t vk_stream_synchronize(ohal_bstream_t stream) {
  return guard("stream_synchronize", [&] { return to_stream(stream)->synchronize(); });
}

ohal_result_t vk_stream_query(ohal_bstream_t stream) {
  return guard("stream_query", [&] { return to_stream(stream)->query(); });
}

ohal_result_t vk_stream_wait_event(ohal_bstream_t stream, ohal_bevent_t event) {
  return guard("stream_wait_event", [&] {
    std::shared_ptr<Timeline> t;
    uint64_t value = 0;
    to_event(event)->point(t, value);
    if (!t || value == 0) return OHAL_SUCCESS;
    return to_stream(stream)->wait_for(std::move(t), value);
  });
}

ohal_result_t vk_stream_launch_host_func(ohal_bstream_t stream, ohal_host_func_t func,
                                         void* user_data) {
  return guard("stream_launch_host_func",
               [&] { return to_stream(stream)->launch_host_func(func, user_data); });
}

ohal_result_t vk_event_create(ohal_bdevice_t device, uint32_t flags, ohal_bevent_t* event) {
  return guard("event_create", [&] {
    Event* e = nullptr;
    ohal_result_t r = Event::create(*to_device(device), flags, &e);
    if (r == OHAL_SUCCESS) *event = to_handle(e);
    return r;
  });
}

ohal_result_t vk_event_destroy(ohal_bevent_t event) {
  return guard("event_destroy", [&] { return Event::destroy(to_event(event)); });
}

ohal_result_t vk_event_record(ohal_bevent_t event, ohal_bstream_t stream) {
  return guard("event_record", [&] { return to_event(event)->record(*to_stream(stream)); });
}

ohal_result_t vk_event_synchronize(ohal_bevent_t event) {
  return guard("event_synchronize", [&] { return to_event(event)->synchronize(); });
}

ohal_result_t vk_event_query(ohal_bevent_t event) {
  return guard("event_query", [&] { return to_event(event)->query(); });
}

ohal_result_t vk_event_elapsed_time(ohal_bevent_t start, ohal_bevent_t end, float* ms) {
  return guard("event_elapsed_time",
               [&] { return Event::elapsed(*to_event(start), *to_event(end), *ms); });
}

ohal_result_t vk_module_load(ohal_bdevice_t device, const ohal_module_desc_t* desc,
                             ohal_bmodule_t* module) {
  return guard("module_load", [&] {
    if (desc->format != OHAL_KERNEL_FORMAT_SPIRV_VULKAN) {
      return failf(OHAL_ERROR_UNSUPPORTED, "kernel format {} is not SPIRV_VULKAN",
                   static_cast<int>(desc->format));
    }
    Module* m = nullptr;
    ohal_result_t r = Module::load(*to_device(device), *desc, &m);
    if (r == OHAL_SUCCESS) *module = to_handle(m);
    return r;
  });
}

ohal_result_t vk_module_unload(ohal_bmodule_t module) {
  return guard("module_unload", [&] {
    delete to_module(module);
    return OHAL_SUCCESS;
  });
}

ohal_result_t vk_module_get_kernel(ohal_bmodule_t module, const char* name,
                                   ohal_bkernel_t* kernel) {
  return guard("module_get_kernel", [&] {
    Kernel* k = to_module(module)->find(name);
    if (k == nullptr)
      return failf(OHAL_ERROR_KERNEL_NOT_FOUND, "no GLCompute entry point named '{}'", name);
    *kernel = to_handle(k);
    return OHAL_SUCCESS;
  });
}

ohal_result_t vk_kernel_get_properties(ohal_bkernel_t kernel, ohal_kernel_properties_t* props) {
  return guard("kernel_get_properties", [&] {
    ohal_kernel_properties_t p{};
    to_kernel(kernel)->get_properties(p);
    const size_t size = std::min(props->struct_size, sizeof p);
    p.struct_size = props->struct_size;
    std::memcpy(props, &p, size);
    return OHAL_SUCCESS;
  });
}

ohal_result_t vk_launch(ohal_bstream_t stream, ohal_bkernel_t kernel,
                        const ohal_launch_config_t* config, uint32_t arg_count,
                        const ohal_kernel_arg_t* args) {
  return guard("launch", [&] {
    return launch(*to_stream(stream), *to_kernel(kernel), *config, arg_count, args);
  });
}

ohal_result_t vk_memcpy_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst,
                              const ohal_bmem_ref_t* src, size_t size) {
  return guard("memcpy_async", [&] { return memcpy_async(*to_stream(stream), *dst, *src, size); });
}

ohal_result_t vk_memset_async(ohal_bstream_t stream, const ohal_bmem_ref_t* dst, uint32_t pattern,
                              uint32_t element_size, size_t count) {
  return guard("memset_async", [&] {
    return memset_async(*to_stream(stream), *dst, pattern, element_size, count);
  });
}

ohal_backend_t make_table() {
  ohal_backend_t t{};
  t.struct_size = sizeof t;
  t.abi_version = OHAL_BACKEND_ABI_VERSION;
  t.name = "vulkan";
  t.version = g_version;
  t.init = vk_init;
  t.shutdown = vk_shutdown;
  t.device_count = vk_device_count;
  t.device_get = vk_device_get;
  t.device_get_properties = vk_device_get_properties;
  t.device_synchronize = vk_device_synchronize;
  t.mem_alloc = vk_mem_alloc;
  t.mem_free = vk_mem_free;
  t.mem_get_info = vk_mem_get_info;
  t.stream_create = vk_stream_create;
  t.stream_destroy = vk_stream_destroy;
  t.stream_synchronize = vk_stream_synchronize;
  t.stream_query = vk_stream_query;
  t.stream_wait_event = vk_stream_wait_event;
  t.event_create = vk_event_create;
  t.event_destroy = vk_event_destroy;
  t.event_record = vk_event_record;
  t.event_synchronize = vk_event_synchronize;
  t.event_query = vk_event_query;
  t.module_load = vk_module_load;
  t.module_unload = vk_module_unload;
  t.module_get_kernel = vk_module_get_kernel;
  t.kernel_get_properties = vk_kernel_get_properties;
  t.launch = vk_launch;
  t.memcpy_async = vk_memcpy_async;
  t.memset_async = vk_memset_async;
  t.stream_launch_host_func = vk_stream_launch_host_func;
  t.event_elapsed_time = vk_event_elapsed_time;
  return t;
}

const ohal_backend_t g_table = make_table();

}  // namespace
}  // namespace ohal::vk

extern "C" OHAL_BACKEND_EXPORT ohal_result_t ohal_backend_entry(uint32_t abi_version,
                                                                const ohal_host_services_t* host,
                                                                const ohal_backend_t** out) {
  if (out == nullptr) return OHAL_ERROR_NULL_POINTER;
  ohal::vk::set_host(host);
  ohal::vk::describe_loader();
  if (OHAL_BACKEND_ABI_MAJOR(abi_version) != OHAL_BACKEND_ABI_VERSION_MAJOR) {
    return ohal::vk::failf(
        OHAL_ERROR_UNSUPPORTED,
        "the vulkan plugin implements backend ABI {}.x; the front-end asks for {}.x",
        OHAL_BACKEND_ABI_VERSION_MAJOR, OHAL_BACKEND_ABI_MAJOR(abi_version));
  }
  *out = &ohal::vk::g_table;
  return OHAL_SUCCESS;
}
