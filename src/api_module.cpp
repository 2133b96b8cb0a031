// Modules, bundles and kernels.
#include <cstring>

#include "bundle.hpp"
#include "log.hpp"
#include "runtime.hpp"

using namespace ohal;

namespace {

const char* format_name(ohal_kernel_format_t format) {
  static const char* const kNames[] = {"NATIVE_SO",  "PTX",          "CUBIN",
                                       "FATBIN",     "CUDA_SOURCE",  "HSACO",
                                       "HIP_SOURCE", "SPIRV_OPENCL", "SPIRV_VULKAN"};
  const auto index = static_cast<uint32_t>(format);
  return index < OHAL_KERNEL_FORMAT_COUNT_ ? kNames[index] : "unknown";
}

// Loads one validated image; returns the module handle through out.
ohal_result_t load_image(Device* device, const ohal_module_desc_t& desc, ohal_module_t* out) {
  auto* object = new (std::nothrow) Module(device, nullptr);
  if (object == nullptr) return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory");
  const ohal_backend_t& backend = device->backend();
  const ohal_result_t result =
      backend.module_load(device->backend_device, &desc, &object->backend_module);
  if (result != OHAL_SUCCESS) {
    delete object;
    return backend_result(result, device);
  }
  if (register_object(object) == 0) {
    backend.module_unload(object->backend_module);
    delete object;
    return OHAL_ERROR_OUT_OF_HOST_MEMORY;
  }
  *out = reinterpret_cast<ohal_module_t>(static_cast<uintptr_t>(object->handle));
  return OHAL_SUCCESS;
}

}  // namespace

extern "C" OHAL_API ohal_result_t ohal_module_load(ohal_device_t device,
                                                   const ohal_module_desc_t* desc,
                                                   ohal_module_t* module) {
  ApiCall call("ohal_module_load");
  if (desc == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "desc is NULL");
  if (module == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "module is NULL");
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  if (desc->struct_size < sizeof(ohal_module_desc_t)) {
    return failf(OHAL_ERROR_STRUCT_SIZE, "desc->struct_size is {}, expected at least {}",
                 desc->struct_size, sizeof(ohal_module_desc_t));
  }
  if (desc->data == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "desc->data is NULL");
  if (desc->size == 0) return fail(OHAL_ERROR_INVALID_VALUE, "desc->size is 0");
  if (static_cast<uint32_t>(desc->format) >= OHAL_KERNEL_FORMAT_COUNT_) {
    return failf(OHAL_ERROR_INVALID_VALUE, "format {} is not an ohal_kernel_format_t",
                 static_cast<int>(desc->format));
  }
  if (!(dev->properties.kernel_formats & OHAL_FORMAT_BIT(desc->format))) {
    return failf(OHAL_ERROR_UNSUPPORTED, "device '{}' does not accept {} images",
                 dev->properties.name, format_name(desc->format));
  }
  return load_image(dev.get(), *desc, module);
}

extern "C" OHAL_API ohal_result_t ohal_module_load_bundle(ohal_device_t device, const void* data,
                                                          size_t size, const char* options,
                                                          ohal_module_t* module) {
  ApiCall call("ohal_module_load_bundle");
  if (data == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "data is NULL");
  if (module == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "module is NULL");
  Ref<Device> dev = acquire<Device>(device, HandleType::kDevice, "device");
  if (!dev) return dev.error();
  if (size == 0) return fail(OHAL_ERROR_INVALID_VALUE, "size is 0");
  std::vector<BundleImage> images;
  std::string error;
  try {
    if (!parse_bundle(data, size, images, error)) return fail(OHAL_ERROR_INVALID_IMAGE, error);
    const std::vector<BundleImage> ranked = rank_images(images, dev->properties.kernel_formats);
    if (ranked.empty()) {
      return failf(OHAL_ERROR_UNSUPPORTED, "none of the bundle's {} images suits device '{}'",
                   images.size(), dev->properties.name);
    }
    std::string tried;
    ohal_result_t result = OHAL_ERROR_UNSUPPORTED;
    for (const BundleImage& image : ranked) {
      ohal_module_desc_t desc = OHAL_MODULE_DESC_INIT;
      desc.format = image.format;
      desc.data = image.data;
      desc.size = image.size;
      desc.options = options;
      result = load_image(dev.get(), desc, module);
      if (result == OHAL_SUCCESS) return OHAL_SUCCESS;
      // A binary for another chip is expected to fail; try the next, more portable image.
      tried += fmt::format("{}{}@{}: {}", tried.empty() ? "" : "; ", format_name(image.format),
                           image.target, error_message());
      if (result != OHAL_ERROR_INVALID_IMAGE && result != OHAL_ERROR_UNSUPPORTED) break;
      ApiCall next("ohal_module_load_bundle");
    }
    return fail(result, "no image loaded: " + tried);
  } catch (...) {
    return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory");
  }
}

extern "C" OHAL_API ohal_result_t ohal_module_unload(ohal_module_t module) {
  ApiCall call("ohal_module_unload");
  Ref<Module> m = acquire<Module>(module, HandleType::kModule, "module");
  if (!m) return m.error();
  Module* object = m.get();
  m.forget();
  if (!HandleTable::instance().retire(reinterpret_cast<uintptr_t>(module))) {
    return fail(OHAL_ERROR_INVALID_HANDLE, "module was unloaded by another thread");
  }
  HandleTable& table = HandleTable::instance();
  {
    std::lock_guard<std::mutex> lock(object->kernels_mutex);
    for (Kernel* kernel : object->kernels) {
      if (table.acquire(kernel->handle, HandleType::kKernel) != nullptr &&
          table.retire(kernel->handle)) {
        delete kernel;
      }
    }
    object->kernels.clear();
  }
  Device* device = object->device;
  const ohal_backend_t& backend = device->backend();
  drain_device(device);  // launches in flight still use it
  const ohal_result_t result = backend.module_unload(object->backend_module);
  delete object;
  return backend_result(result, device);
}

extern "C" OHAL_API ohal_result_t ohal_module_get_kernel(ohal_module_t module, const char* name,
                                                         ohal_kernel_t* kernel) {
  ApiCall call("ohal_module_get_kernel");
  if (name == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "name is NULL");
  if (kernel == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "kernel is NULL");
  Ref<Module> m = acquire<Module>(module, HandleType::kModule, "module");
  if (!m) return m.error();
  std::lock_guard<std::mutex> lock(m->kernels_mutex);
  for (const Kernel* existing : m->kernels) {
    if (existing->name == name) {
      *kernel = reinterpret_cast<ohal_kernel_t>(static_cast<uintptr_t>(existing->handle));
      return OHAL_SUCCESS;
    }
  }
  Device* device = m->device;
  const ohal_backend_t& backend = device->backend();
  ohal_bkernel_t backend_kernel = nullptr;
  ohal_result_t result = backend.module_get_kernel(m->backend_module, name, &backend_kernel);
  if (result != OHAL_SUCCESS) return backend_result(result, device);
  try {
    auto object = std::make_unique<Kernel>(device, backend_kernel, m.get());
    object->name = name;
    object->properties = OHAL_KERNEL_PROPERTIES_INIT;
    result = backend.kernel_get_properties(backend_kernel, &object->properties);
    if (result != OHAL_SUCCESS) return backend_result(result, device);
    object->properties.struct_size = sizeof(ohal_kernel_properties_t);
    if (object->properties.max_threads_per_block == 0) {
      object->properties.max_threads_per_block = device->properties.max_threads_per_block;
    }
    if (object->properties.arg_count > OHAL_KERNEL_MAX_ARGS) {
      return failf(OHAL_ERROR_BACKEND, "backend reported {} arguments for kernel '{}'",
                   object->properties.arg_count, name);
    }
    m->kernels.push_back(object.get());
    if (register_object(object.get()) == 0) {
      m->kernels.pop_back();
      return OHAL_ERROR_OUT_OF_HOST_MEMORY;
    }
    *kernel = reinterpret_cast<ohal_kernel_t>(static_cast<uintptr_t>(object->handle));
    object.release();
    return OHAL_SUCCESS;
  } catch (...) {
    return fail(OHAL_ERROR_OUT_OF_HOST_MEMORY, "out of host memory");
  }
}

extern "C" OHAL_API ohal_result_t ohal_kernel_get_properties(ohal_kernel_t kernel,
                                                             ohal_kernel_properties_t* properties) {
  ApiCall call("ohal_kernel_get_properties");
  if (properties == nullptr) return fail(OHAL_ERROR_NULL_POINTER, "properties is NULL");
  if (properties->struct_size < sizeof(ohal_kernel_properties_t)) {
    return failf(OHAL_ERROR_STRUCT_SIZE, "properties->struct_size is {}, expected at least {}",
                 properties->struct_size, sizeof(ohal_kernel_properties_t));
  }
  Ref<Kernel> k = acquire<Kernel>(kernel, HandleType::kKernel, "kernel");
  if (!k) return k.error();
  std::memcpy(properties, &k->properties, sizeof(ohal_kernel_properties_t));
  return OHAL_SUCCESS;
}
