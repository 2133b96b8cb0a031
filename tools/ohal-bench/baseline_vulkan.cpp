// Raw baseline for vulkan: the same workloads written directly against Vulkan, in the same
// process as the HAL run, on the same physical device (matched by deviceUUID), so the ratio is
// what the HAL costs. libvulkan.so.1 is dlopen'ed as the backend does it: without the loader the
// baseline reports itself unavailable and the rows show the HAL side only.
//
// What one iteration does, as a Vulkan programmer would write it:
//  - launch: record a command buffer (bind, push constants, dispatch), vkQueueSubmit signalling
//    a timeline semaphore, vkWaitSemaphores; throughput: dispatches with a barrier between
//    them (in-order semantics), 64 to a command buffer, each submitted when recorded.
//  - pageable copies: where the device buffer's memory is host-visible (CPU devices such as
//    lavapipe) a memcpy through its mapping, else a host-visible staging buffer plus
//    vkCmdCopyBuffer; device to device and pinned (a mapped host-visible buffer) copies are
//    vkCmdCopyBuffer, submit, wait.
//  - kernels: the bench kernels' SPIRV_VULKAN image (kernels/*.comp), block size through
//    specialization constants 0..2 (needs maintenance4 for LocalSizeId).
#include <dlfcn.h>
#include <fmt/format.h>

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "baseline.h"
#include "kernel_images.h"
#include "test_data.h"

namespace ohal_bench {
namespace {

#define OHAL_BENCH_VK_INSTANCE_FUNCTIONS(X)   \
  X(vkDestroyInstance)                        \
  X(vkEnumeratePhysicalDevices)               \
  X(vkGetPhysicalDeviceProperties)            \
  X(vkGetPhysicalDeviceProperties2)           \
  X(vkGetPhysicalDeviceFeatures2)             \
  X(vkGetPhysicalDeviceQueueFamilyProperties) \
  X(vkGetPhysicalDeviceMemoryProperties)      \
  X(vkCreateDevice)                           \
  X(vkGetDeviceProcAddr)

#define OHAL_BENCH_VK_DEVICE_FUNCTIONS(X) \
  X(vkDestroyDevice)                      \
  X(vkGetDeviceQueue)                     \
  X(vkDeviceWaitIdle)                     \
  X(vkQueueSubmit)                        \
  X(vkCreateBuffer)                       \
  X(vkDestroyBuffer)                      \
  X(vkGetBufferMemoryRequirements)        \
  X(vkAllocateMemory)                     \
  X(vkFreeMemory)                         \
  X(vkBindBufferMemory)                   \
  X(vkMapMemory)                          \
  X(vkGetBufferDeviceAddress)             \
  X(vkCreateCommandPool)                  \
  X(vkDestroyCommandPool)                 \
  X(vkResetCommandPool)                   \
  X(vkAllocateCommandBuffers)             \
  X(vkBeginCommandBuffer)                 \
  X(vkEndCommandBuffer)                   \
  X(vkCmdBindPipeline)                    \
  X(vkCmdPushConstants)                   \
  X(vkCmdDispatch)                        \
  X(vkCmdCopyBuffer)                      \
  X(vkCmdPipelineBarrier)                 \
  X(vkCreateSemaphore)                    \
  X(vkDestroySemaphore)                   \
  X(vkWaitSemaphores)                     \
  X(vkCreateShaderModule)                 \
  X(vkDestroyShaderModule)                \
  X(vkCreatePipelineLayout)               \
  X(vkDestroyPipelineLayout)              \
  X(vkCreateComputePipelines)             \
  X(vkDestroyPipeline)

struct Api {
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  PFN_vkCreateInstance vkCreateInstance = nullptr;
#define OHAL_BENCH_VK_MEMBER(name) PFN_##name name = nullptr;
  OHAL_BENCH_VK_INSTANCE_FUNCTIONS(OHAL_BENCH_VK_MEMBER)
  OHAL_BENCH_VK_DEVICE_FUNCTIONS(OHAL_BENCH_VK_MEMBER)
#undef OHAL_BENCH_VK_MEMBER
};

std::string result_text(VkResult r) {
  const char* name = nullptr;
  switch (r) {
    case VK_NOT_READY:
      name = "VK_NOT_READY";
      break;
    case VK_TIMEOUT:
      name = "VK_TIMEOUT";
      break;
    case VK_ERROR_OUT_OF_HOST_MEMORY:
      name = "VK_ERROR_OUT_OF_HOST_MEMORY";
      break;
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
      name = "VK_ERROR_OUT_OF_DEVICE_MEMORY";
      break;
    case VK_ERROR_INITIALIZATION_FAILED:
      name = "VK_ERROR_INITIALIZATION_FAILED";
      break;
    case VK_ERROR_DEVICE_LOST:
      name = "VK_ERROR_DEVICE_LOST";
      break;
    case VK_ERROR_EXTENSION_NOT_PRESENT:
      name = "VK_ERROR_EXTENSION_NOT_PRESENT";
      break;
    case VK_ERROR_FEATURE_NOT_PRESENT:
      name = "VK_ERROR_FEATURE_NOT_PRESENT";
      break;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
      name = "VK_ERROR_INCOMPATIBLE_DRIVER";
      break;
    default:
      name = "VkResult";
      break;
  }
  return fmt::format("{} ({})", name, static_cast<int>(r));
}

// A Vulkan struct with its sType set and every other member zero.
template <typename T>
T vk_struct(VkStructureType type) {
  T value{};
  value.sType = type;
  return value;
}

void vk_check(VkResult r, const char* call) {
  if (r != VK_SUCCESS) [[unlikely]]
    throw BenchError(fmt::format("{}: {}", call, result_text(r)));
}

// A buffer with its own memory, mapped when host-visible, with its device address.
struct Buffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void* map = nullptr;
  VkDeviceAddress address = 0;
};

enum class Use { kDevice, kHost };

// The instance, the device, one queue, one command pool, a timeline semaphore and the bench
// kernels. Ops share it (shared_ptr) so it outlives all of them.
class Vulkan {
 public:
  Vulkan() = default;
  Vulkan(const Vulkan&) = delete;
  Vulkan& operator=(const Vulkan&) = delete;

  bool open(const BaselineTarget& target, std::string* why) {
    auto unavailable = [&](const std::string& reason) {
      *why = "raw Vulkan baseline unavailable: " + reason;
      return false;
    };
    dlerror();
    library_ = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (library_ == nullptr) {
      const char* error = dlerror();
      return unavailable(error != nullptr ? error : "libvulkan.so.1 cannot be loaded");
    }
    api_.vkGetInstanceProcAddr =
        reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(library_, "vkGetInstanceProcAddr"));
    if (api_.vkGetInstanceProcAddr == nullptr) return unavailable("no vkGetInstanceProcAddr");
    api_.vkCreateInstance = reinterpret_cast<PFN_vkCreateInstance>(
        api_.vkGetInstanceProcAddr(VK_NULL_HANDLE, "vkCreateInstance"));
    if (api_.vkCreateInstance == nullptr) return unavailable("no vkCreateInstance");
    auto app = vk_struct<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
    app.pApplicationName = "ohal-bench raw Vulkan baseline";
    app.apiVersion = VK_API_VERSION_1_3;
    auto info = vk_struct<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
    info.pApplicationInfo = &app;
    if (VkResult r = api_.vkCreateInstance(&info, nullptr, &instance_); r != VK_SUCCESS) {
      instance_ = VK_NULL_HANDLE;
      return unavailable("vkCreateInstance: " + result_text(r));
    }
#define OHAL_BENCH_VK_LOAD_INSTANCE(name)                                                 \
  api_.name = reinterpret_cast<PFN_##name>(api_.vkGetInstanceProcAddr(instance_, #name)); \
  if (api_.name == nullptr) return unavailable("no " #name);
    OHAL_BENCH_VK_INSTANCE_FUNCTIONS(OHAL_BENCH_VK_LOAD_INSTANCE)
#undef OHAL_BENCH_VK_LOAD_INSTANCE
    if (!pick_device(target, why)) return false;
    if (!create_device(why)) return false;
    create_objects();
    load_kernels();
    return true;
  }

  ~Vulkan() {
    if (device_ != VK_NULL_HANDLE) {
      // Teardown errors are not reported: the results are already out.
      api_.vkDeviceWaitIdle(device_);
      for (auto& [key, pipeline] : pipelines_) api_.vkDestroyPipeline(device_, pipeline, nullptr);
      if (layout_ != VK_NULL_HANDLE) api_.vkDestroyPipelineLayout(device_, layout_, nullptr);
      if (module_ != VK_NULL_HANDLE) api_.vkDestroyShaderModule(device_, module_, nullptr);
      if (semaphore_ != VK_NULL_HANDLE) api_.vkDestroySemaphore(device_, semaphore_, nullptr);
      if (pool_ != VK_NULL_HANDLE) api_.vkDestroyCommandPool(device_, pool_, nullptr);
      api_.vkDestroyDevice(device_, nullptr);
    }
    if (instance_ != VK_NULL_HANDLE) api_.vkDestroyInstance(instance_, nullptr);
    // libvulkan stays mapped: drivers keep threads and exit handlers, as the backend assumes.
  }

  const Api& api() const {
    return api_;
  }
  VkDevice device() const {
    return device_;
  }

  std::string describe() const {
    return fmt::format(
        "Vulkan {}.{} '{}' (same physical device, own VkDevice): record + vkQueueSubmit + "
        "vkWaitSemaphores (timeline) per launch; pageable copies {}; d2d and pinned copies "
        "vkCmdCopyBuffer; kernels: {}",
        VK_API_VERSION_MAJOR(api_version_), VK_API_VERSION_MINOR(api_version_), name_,
        device_memory_mapped_ ? "memcpy through the device memory's mapping"
                              : "through a host-visible staging buffer + vkCmdCopyBuffer",
        kernel_error_.empty() ? kernel_description_ : kernel_error_);
  }

  // --- buffers --------------------------------------------------------------------------------
  Buffer create_buffer(uint64_t bytes, Use use) {
    Buffer b;
    auto info = vk_struct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
    info.size = std::max<uint64_t>(bytes, 16);
    info.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT |
                 VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT;
    vk_check(api_.vkCreateBuffer(device_, &info, nullptr, &b.buffer), "vkCreateBuffer");
    VkMemoryRequirements req{};
    api_.vkGetBufferMemoryRequirements(device_, b.buffer, &req);
    const uint32_t type = memory_type(req.memoryTypeBits, use);
    auto flags = vk_struct<VkMemoryAllocateFlagsInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_FLAGS_INFO);
    flags.flags = VK_MEMORY_ALLOCATE_DEVICE_ADDRESS_BIT;
    auto alloc = vk_struct<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    alloc.pNext = &flags;
    alloc.allocationSize = req.size;
    alloc.memoryTypeIndex = type;
    if (VkResult r = api_.vkAllocateMemory(device_, &alloc, nullptr, &b.memory); r != VK_SUCCESS) {
      api_.vkDestroyBuffer(device_, b.buffer, nullptr);
      vk_check(r, "vkAllocateMemory");
    }
    auto cleanup = [&] { destroy_buffer(b); };
    if (VkResult r = api_.vkBindBufferMemory(device_, b.buffer, b.memory, 0); r != VK_SUCCESS) {
      cleanup();
      vk_check(r, "vkBindBufferMemory");
    }
    if (memory_props_.memoryTypes[type].propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
      if (VkResult r = api_.vkMapMemory(device_, b.memory, 0, VK_WHOLE_SIZE, 0, &b.map);
          r != VK_SUCCESS) {
        cleanup();
        vk_check(r, "vkMapMemory");
      }
    }
    auto address =
        vk_struct<VkBufferDeviceAddressInfo>(VK_STRUCTURE_TYPE_BUFFER_DEVICE_ADDRESS_INFO);
    address.buffer = b.buffer;
    b.address = api_.vkGetBufferDeviceAddress(device_, &address);
    return b;
  }

  void destroy_buffer(Buffer& b) noexcept {
    if (b.buffer != VK_NULL_HANDLE) api_.vkDestroyBuffer(device_, b.buffer, nullptr);
    if (b.memory != VK_NULL_HANDLE) api_.vkFreeMemory(device_, b.memory, nullptr);  // unmaps
    b = Buffer{};
  }

  // --- command buffers --------------------------------------------------------------------------
  // Command buffer `i` of the pool (allocated on first use). reset() recycles them all; call it
  // only when nothing submitted is pending.
  VkCommandBuffer command_buffer(size_t i) {
    while (command_buffers_.size() <= i) {
      auto info =
          vk_struct<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
      info.commandPool = pool_;
      info.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
      info.commandBufferCount = 1;
      VkCommandBuffer cb = VK_NULL_HANDLE;
      vk_check(api_.vkAllocateCommandBuffers(device_, &info, &cb), "vkAllocateCommandBuffers");
      command_buffers_.push_back(cb);
    }
    return command_buffers_[i];
  }
  void reset() {
    vk_check(api_.vkResetCommandPool(device_, pool_, 0), "vkResetCommandPool");
  }
  void begin(VkCommandBuffer cb) {
    auto info = vk_struct<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    vk_check(api_.vkBeginCommandBuffer(cb, &info), "vkBeginCommandBuffer");
  }
  // Ends and submits cb, signalling the next timeline value.
  void submit(VkCommandBuffer cb) {
    vk_check(api_.vkEndCommandBuffer(cb), "vkEndCommandBuffer");
    const uint64_t value = ++timeline_value_;
    auto timeline =
        vk_struct<VkTimelineSemaphoreSubmitInfo>(VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO);
    timeline.signalSemaphoreValueCount = 1;
    timeline.pSignalSemaphoreValues = &value;
    auto info = vk_struct<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
    info.pNext = &timeline;
    info.commandBufferCount = 1;
    info.pCommandBuffers = &cb;
    info.signalSemaphoreCount = 1;
    info.pSignalSemaphores = &semaphore_;
    vk_check(api_.vkQueueSubmit(queue_, 1, &info, VK_NULL_HANDLE), "vkQueueSubmit");
  }
  // Waits for everything submitted so far.
  void wait() {
    auto info = vk_struct<VkSemaphoreWaitInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO);
    info.semaphoreCount = 1;
    info.pSemaphores = &semaphore_;
    info.pValues = &timeline_value_;
    vk_check(api_.vkWaitSemaphores(device_, &info, UINT64_MAX), "vkWaitSemaphores");
  }
  // Orders the commands after it behind those before it (a stream's in-order semantics).
  void barrier(VkCommandBuffer cb) {
    auto mb = vk_struct<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    mb.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT |
                       VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    const VkPipelineStageFlags stages =
        VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    api_.vkCmdPipelineBarrier(cb, stages, stages, 0, 1, &mb, 0, nullptr, 0, nullptr);
  }
  // One vkCmdCopyBuffer, submitted and waited for.
  void copy(VkBuffer src, VkBuffer dst, uint64_t bytes) {
    reset();
    VkCommandBuffer cb = command_buffer(0);
    begin(cb);
    const VkBufferCopy region{0, 0, bytes};
    api_.vkCmdCopyBuffer(cb, src, dst, 1, &region);
    submit(cb);
    wait();
  }
  void upload(const Buffer& dst, const void* data, uint64_t bytes) {
    if (dst.map != nullptr) {
      std::memcpy(dst.map, data, bytes);
      return;
    }
    Buffer staging = create_buffer(bytes, Use::kHost);
    std::memcpy(staging.map, data, bytes);
    copy(staging.buffer, dst.buffer, bytes);
    destroy_buffer(staging);
  }
  void download(void* data, const Buffer& src, uint64_t bytes) {
    if (src.map != nullptr) {
      std::memcpy(data, src.map, bytes);
      return;
    }
    Buffer staging = create_buffer(bytes, Use::kHost);
    copy(src.buffer, staging.buffer, bytes);
    std::memcpy(data, staging.map, bytes);
    destroy_buffer(staging);
  }

  // --- kernels --------------------------------------------------------------------------------
  bool has_kernels() const {
    return module_ != VK_NULL_HANDLE;
  }
  VkPipelineLayout layout() const {
    return layout_;
  }
  VkPipeline pipeline(const char* name, uint32_t block) {
    const auto key = std::make_pair(std::string(name), block);
    auto it = pipelines_.find(key);
    if (it != pipelines_.end()) return it->second;
    const uint32_t data[3] = {block, 1, 1};
    const VkSpecializationMapEntry map[3] = {{0, 0, 4}, {1, 4, 4}, {2, 8, 4}};
    const VkSpecializationInfo spec{3, map, sizeof data, data};
    auto info =
        vk_struct<VkComputePipelineCreateInfo>(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module_;
    info.stage.pName = name;
    info.stage.pSpecializationInfo = &spec;
    info.layout = layout_;
    VkPipeline pipeline = VK_NULL_HANDLE;
    vk_check(api_.vkCreateComputePipelines(device_, VK_NULL_HANDLE, 1, &info, nullptr, &pipeline),
             "vkCreateComputePipelines");
    pipelines_.emplace(key, pipeline);
    return pipeline;
  }
  const std::string& kernel_error() const {
    return kernel_error_;
  }

 private:
  bool pick_device(const BaselineTarget& target, std::string* why) {
    uint32_t count = 0;
    vk_check(api_.vkEnumeratePhysicalDevices(instance_, &count, nullptr),
             "vkEnumeratePhysicalDevices");
    std::vector<VkPhysicalDevice> devices(count);
    vk_check(api_.vkEnumeratePhysicalDevices(instance_, &count, devices.data()),
             "vkEnumeratePhysicalDevices");
    for (VkPhysicalDevice d : devices) {
      auto id =
          vk_struct<VkPhysicalDeviceIDProperties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES);
      auto props =
          vk_struct<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
      props.pNext = &id;
      api_.vkGetPhysicalDeviceProperties2(d, &props);
      if (std::memcmp(id.deviceUUID, target.properties.uuid, VK_UUID_SIZE) != 0) continue;
      physical_ = d;
      name_ = props.properties.deviceName;
      api_version_ = std::min<uint32_t>(props.properties.apiVersion, VK_API_VERSION_1_3);
      return true;
    }
    *why = fmt::format("raw Vulkan baseline unavailable: no physical device has the UUID of '{}'",
                       target.properties.name);
    return false;
  }

  bool create_device(std::string* why) {
    // The queue family the backend picks: compute, with timestamps, compute-only preferred.
    uint32_t family_count = 0;
    api_.vkGetPhysicalDeviceQueueFamilyProperties(physical_, &family_count, nullptr);
    std::vector<VkQueueFamilyProperties> families(family_count);
    api_.vkGetPhysicalDeviceQueueFamilyProperties(physical_, &family_count, families.data());
    int best = -1, best_score = -1;
    for (uint32_t i = 0; i < family_count; ++i) {
      if ((families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) == 0) continue;
      const int score = 1 + (families[i].timestampValidBits > 0 ? 2 : 0) +
                        ((families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) == 0 ? 1 : 0);
      if (score > best_score) {
        best = static_cast<int>(i);
        best_score = score;
      }
    }
    if (best < 0) {
      *why = "raw Vulkan baseline unavailable: no compute queue family";
      return false;
    }
    auto f13 = vk_struct<VkPhysicalDeviceVulkan13Features>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES);
    auto f12 = vk_struct<VkPhysicalDeviceVulkan12Features>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
    auto f2 = vk_struct<VkPhysicalDeviceFeatures2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
    f2.pNext = &f12;
    if (api_version_ >= VK_API_VERSION_1_3) f12.pNext = &f13;
    api_.vkGetPhysicalDeviceFeatures2(physical_, &f2);
    if (!f12.bufferDeviceAddress || !f12.timelineSemaphore) {
      *why = "raw Vulkan baseline unavailable: no bufferDeviceAddress or timelineSemaphore";
      return false;
    }
    maintenance4_ = api_version_ >= VK_API_VERSION_1_3 && f13.maintenance4;
    // Only what the workloads use.
    auto e13 = vk_struct<VkPhysicalDeviceVulkan13Features>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES);
    auto e12 = vk_struct<VkPhysicalDeviceVulkan12Features>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
    e12.bufferDeviceAddress = VK_TRUE;
    e12.timelineSemaphore = VK_TRUE;
    e13.maintenance4 = maintenance4_ ? VK_TRUE : VK_FALSE;
    if (api_version_ >= VK_API_VERSION_1_3) e12.pNext = &e13;
    const float priority = 1.0f;
    auto queue = vk_struct<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
    queue.queueFamilyIndex = static_cast<uint32_t>(best);
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;
    auto info = vk_struct<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
    info.pNext = &e12;
    info.queueCreateInfoCount = 1;
    info.pQueueCreateInfos = &queue;
    if (VkResult r = api_.vkCreateDevice(physical_, &info, nullptr, &device_); r != VK_SUCCESS) {
      device_ = VK_NULL_HANDLE;
      *why = "raw Vulkan baseline unavailable: vkCreateDevice: " + result_text(r);
      return false;
    }
#define OHAL_BENCH_VK_LOAD_DEVICE(name)                                               \
  api_.name = reinterpret_cast<PFN_##name>(api_.vkGetDeviceProcAddr(device_, #name)); \
  if (api_.name == nullptr) {                                                         \
    *why = "raw Vulkan baseline unavailable: no " #name;                              \
    return false;                                                                     \
  }
    OHAL_BENCH_VK_DEVICE_FUNCTIONS(OHAL_BENCH_VK_LOAD_DEVICE)
#undef OHAL_BENCH_VK_LOAD_DEVICE
    family_ = static_cast<uint32_t>(best);
    api_.vkGetDeviceQueue(device_, family_, 0, &queue_);
    api_.vkGetPhysicalDeviceMemoryProperties(physical_, &memory_props_);
    return true;
  }

  void create_objects() {
    auto pool = vk_struct<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
    pool.flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT;
    pool.queueFamilyIndex = family_;
    vk_check(api_.vkCreateCommandPool(device_, &pool, nullptr, &pool_), "vkCreateCommandPool");
    auto type = vk_struct<VkSemaphoreTypeCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
    type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
    auto semaphore = vk_struct<VkSemaphoreCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO);
    semaphore.pNext = &type;
    vk_check(api_.vkCreateSemaphore(device_, &semaphore, nullptr, &semaphore_),
             "vkCreateSemaphore");
    // Where does DEVICE memory live: mapped device memory makes pageable copies a memcpy.
    Buffer probe = create_buffer(16, Use::kDevice);
    device_memory_mapped_ = probe.map != nullptr;
    destroy_buffer(probe);
  }

  // DEVICE: device-local, not host-visible first (as the backend); HOST: host-visible and
  // coherent, cached first.
  uint32_t memory_type(uint32_t bits, Use use) const {
    int best = -1, best_rank = -1;
    for (uint32_t t = 0; t < memory_props_.memoryTypeCount; ++t) {
      if ((bits & (1u << t)) == 0) continue;
      const VkMemoryPropertyFlags f = memory_props_.memoryTypes[t].propertyFlags;
      const bool local = f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
      const bool visible = f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
      const bool coherent = f & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
      const bool cached = f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT;
      int rank = 0;
      if (use == Use::kDevice) {
        rank = (local ? 4 : 0) + (visible ? 0 : 1);
      } else {
        if (!visible || !coherent) continue;
        rank = (local ? 0 : 2) + (cached ? 1 : 0);
      }
      if (rank > best_rank) {
        best = static_cast<int>(t);
        best_rank = rank;
      }
    }
    if (best < 0) throw BenchError("no suitable Vulkan memory type");
    return static_cast<uint32_t>(best);
  }

  void load_kernels() {
    const KernelImage* image = nullptr;
    for (const KernelImage& i : kernel_images())
      if (i.format == OHAL_KERNEL_FORMAT_SPIRV_VULKAN) image = &i;
    if (image == nullptr) {
      kernel_error_ = "no SPIRV_VULKAN image of the bench kernels was built";
      return;
    }
    if (!maintenance4_) {
      kernel_error_ = "the kernels' LocalSizeId needs maintenance4 (Vulkan 1.3)";
      return;
    }
    std::vector<uint32_t> words(image->size / 4);
    std::memcpy(words.data(), image->data, words.size() * 4);
    auto info = vk_struct<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
    info.codeSize = words.size() * 4;
    info.pCode = words.data();
    vk_check(api_.vkCreateShaderModule(device_, &info, nullptr, &module_), "vkCreateShaderModule");
    // Every bench kernel's arguments fit in 24 bytes (saxpy: uint, float, two pointers).
    const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, 24};
    auto layout =
        vk_struct<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
    layout.pushConstantRangeCount = 1;
    layout.pPushConstantRanges = &range;
    vk_check(api_.vkCreatePipelineLayout(device_, &layout, nullptr, &layout_),
             "vkCreatePipelineLayout");
    kernel_description_ =
        fmt::format("{} image, {} bytes, from {}", kernel_format_name(image->format), image->size,
                    image->origin);
  }

  Api api_;
  void* library_ = nullptr;
  VkInstance instance_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t family_ = 0;
  uint32_t api_version_ = 0;
  std::string name_;
  bool maintenance4_ = false;
  bool device_memory_mapped_ = false;
  VkPhysicalDeviceMemoryProperties memory_props_{};
  VkCommandPool pool_ = VK_NULL_HANDLE;
  std::vector<VkCommandBuffer> command_buffers_;
  VkSemaphore semaphore_ = VK_NULL_HANDLE;
  uint64_t timeline_value_ = 0;
  VkShaderModule module_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  std::map<std::pair<std::string, uint32_t>, VkPipeline> pipelines_;
  std::string kernel_description_, kernel_error_;
};

using VulkanPtr = std::shared_ptr<Vulkan>;

// A buffer owned by an op.
class OwnedBuffer {
 public:
  OwnedBuffer(VulkanPtr vk, uint64_t bytes, Use use)
      : vk_(std::move(vk)), buffer_(vk_->create_buffer(bytes, use)) {}
  ~OwnedBuffer() { vk_->destroy_buffer(buffer_); }
  OwnedBuffer(const OwnedBuffer&) = delete;
  OwnedBuffer& operator=(const OwnedBuffer&) = delete;
  const Buffer& get() const { return buffer_; }

 private:
  VulkanPtr vk_;
  Buffer buffer_;
};

// Records bind + push constants + dispatch of one kernel (grid x 1 x 1).
class Dispatch {
 public:
  Dispatch(Vulkan& vk, const char* kernel, uint32_t grid, uint32_t block)
      : vk_(vk), pipeline_(vk.pipeline(kernel, block)), grid_(grid) {}
  template <typename T>
  void arg(const T& value) {
    const size_t offset = (args_.size() + alignof(T) - 1) / alignof(T) * alignof(T);
    args_.resize(offset + sizeof(T));
    std::memcpy(args_.data() + offset, &value, sizeof(T));
  }
  void bind(VkCommandBuffer cb) const {
    vk_.api().vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline_);
  }
  void record(VkCommandBuffer cb) const {
    vk_.api().vkCmdPushConstants(cb, vk_.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0,
                                 static_cast<uint32_t>(args_.size()), args_.data());
    vk_.api().vkCmdDispatch(cb, grid_, 1, 1);
  }
  // Record, submit and wait: one launch as the HAL's launch + synchronize.
  void run_once() {
    vk_.reset();
    VkCommandBuffer cb = vk_.command_buffer(0);
    vk_.begin(cb);
    bind(cb);
    record(cb);
    vk_.submit(cb);
    vk_.wait();
  }

 private:
  Vulkan& vk_;
  VkPipeline pipeline_;
  uint32_t grid_;
  std::vector<uint8_t> args_;
};

class LaunchLatency final : public Op {
 public:
  explicit LaunchLatency(VulkanPtr vk)
      : vk_(std::move(vk)), dispatch_(*vk_, "ohal_bench_empty", 1, 1) {
    dispatch_.arg(uint32_t{0});
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) dispatch_.run_once();
  }
  std::string verify() override { return {}; }

 private:
  VulkanPtr vk_;
  Dispatch dispatch_;
};

class LaunchThroughput final : public Op {
 public:
  explicit LaunchThroughput(VulkanPtr vk)
      : vk_(std::move(vk)), dispatch_(*vk_, "ohal_bench_empty", 1, 1) {
    dispatch_.arg(uint32_t{0});
  }
  void run(uint64_t iterations) override {
    // 64 dispatches to a command buffer (as the backend batches), each submitted when full.
    constexpr uint64_t kPerBuffer = 64;
    vk_->reset();
    size_t buffers = 0;
    for (uint64_t done = 0; done < iterations;) {
      VkCommandBuffer cb = vk_->command_buffer(buffers++);
      vk_->begin(cb);
      dispatch_.bind(cb);
      const uint64_t n = std::min(kPerBuffer, iterations - done);
      for (uint64_t k = 0; k < n; ++k) {
        if (k > 0) vk_->barrier(cb);
        dispatch_.record(cb);
      }
      vk_->submit(cb);
      done += n;
    }
    vk_->wait();
  }
  std::string verify() override { return {}; }

 private:
  VulkanPtr vk_;
  Dispatch dispatch_;
};

class Memcpy final : public Op {
 public:
  Memcpy(VulkanPtr vk, CopyKind kind, uint64_t bytes, bool pinned)
      : vk_(std::move(vk)),
        kind_(kind),
        bytes_(bytes),
        pinned_(pinned),
        salt_(static_cast<uint32_t>(kind) + (pinned ? 11u : 1u)) {
    const std::vector<uint8_t> pattern = copy_pattern(bytes, salt_);
    if (kind == CopyKind::kDeviceToDevice || kind == CopyKind::kDeviceToHost) {
      src_ = std::make_unique<OwnedBuffer>(vk_, bytes, Use::kDevice);
      vk_->upload(src_->get(), pattern.data(), bytes);
    }
    if (kind == CopyKind::kDeviceToDevice || kind == CopyKind::kHostToDevice) {
      dst_ = std::make_unique<OwnedBuffer>(vk_, bytes, Use::kDevice);
    }
    if (kind != CopyKind::kDeviceToDevice) {
      if (pinned) {
        host_buffer_ = std::make_unique<OwnedBuffer>(vk_, bytes, Use::kHost);
        host_ = static_cast<uint8_t*>(host_buffer_->get().map);
      } else {
        pageable_.assign(bytes, 0);  // touched now, so no page fault is timed
        host_ = pageable_.data();
        const Buffer& device = kind == CopyKind::kHostToDevice ? dst_->get() : src_->get();
        if (device.map == nullptr) staging_ = std::make_unique<OwnedBuffer>(vk_, bytes, Use::kHost);
      }
      if (kind == CopyKind::kHostToDevice)
        std::memcpy(host_, pattern.data(), bytes);
      else
        std::memset(host_, 0, bytes);
    }
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) once();
  }
  std::string verify() override {
    if (kind_ == CopyKind::kDeviceToHost) return check_copy(host_, bytes_, salt_);
    std::vector<uint8_t> result(bytes_);
    vk_->download(result.data(), dst_->get(), bytes_);
    return check_copy(result.data(), bytes_, salt_);
  }

 private:
  void once() {
    switch (kind_) {
      case CopyKind::kDeviceToDevice:
        vk_->copy(src_->get().buffer, dst_->get().buffer, bytes_);
        return;
      case CopyKind::kHostToDevice:
        if (pinned_) {
          vk_->copy(host_buffer_->get().buffer, dst_->get().buffer, bytes_);
        } else if (!staging_) {
          std::memcpy(dst_->get().map, host_, bytes_);
        } else {
          std::memcpy(staging_->get().map, host_, bytes_);
          vk_->copy(staging_->get().buffer, dst_->get().buffer, bytes_);
        }
        return;
      case CopyKind::kDeviceToHost:
        if (pinned_) {
          vk_->copy(src_->get().buffer, host_buffer_->get().buffer, bytes_);
        } else if (!staging_) {
          std::memcpy(host_, src_->get().map, bytes_);
        } else {
          vk_->copy(src_->get().buffer, staging_->get().buffer, bytes_);
          std::memcpy(host_, staging_->get().map, bytes_);
        }
        return;
    }
  }

  VulkanPtr vk_;
  CopyKind kind_;
  uint64_t bytes_;
  bool pinned_;
  uint32_t salt_;
  std::unique_ptr<OwnedBuffer> src_, dst_, host_buffer_, staging_;
  std::vector<uint8_t> pageable_;
  uint8_t* host_ = nullptr;
};

std::unique_ptr<OwnedBuffer> upload_floats(const VulkanPtr& vk, const std::vector<float>& values) {
  auto b = std::make_unique<OwnedBuffer>(vk, values.size() * sizeof(float), Use::kDevice);
  vk->upload(b->get(), values.data(), values.size() * sizeof(float));
  return b;
}

std::vector<float> download_floats(Vulkan& vk, const OwnedBuffer& b, size_t count) {
  std::vector<float> values(count);
  vk.download(values.data(), b.get(), count * sizeof(float));
  return values;
}

class Saxpy final : public Op {
 public:
  Saxpy(VulkanPtr vk, uint32_t n)
      : vk_(std::move(vk)),
        n_(n),
        x_(upload_floats(vk_, saxpy_x_values(n))),
        y_(upload_floats(vk_, saxpy_y0_values(n))),
        dispatch_(*vk_, "ohal_bench_saxpy", (n + 255) / 256, 256) {
    dispatch_.arg(n_);
    dispatch_.arg(kSaxpyA);
    dispatch_.arg(x_->get().address);
    dispatch_.arg(y_->get().address);
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) dispatch_.run_once();
    updates_ += iterations;
  }
  std::string verify() override {
    return check_saxpy(download_floats(*vk_, *y_, n_).data(), n_, updates_);
  }

 private:
  VulkanPtr vk_;
  uint32_t n_;
  std::unique_ptr<OwnedBuffer> x_, y_;
  Dispatch dispatch_;
  uint64_t updates_ = 0;
};

class BlockReduce final : public Op {
 public:
  BlockReduce(VulkanPtr vk, uint32_t n, uint32_t block, uint32_t items)
      : vk_(std::move(vk)),
        blocks_(reduce_block_count(n, block, items)),
        x_(upload_floats(vk_, reduce_input_values(n))),
        partial_(
            std::make_unique<OwnedBuffer>(vk_, uint64_t{blocks_} * sizeof(float), Use::kDevice)),
        dispatch_(*vk_, "ohal_bench_block_reduce", blocks_, block),
        expected_(reduce_expected(n, block, items)) {
    dispatch_.arg(n);
    dispatch_.arg(items);
    dispatch_.arg(x_->get().address);
    dispatch_.arg(partial_->get().address);
  }
  void run(uint64_t iterations) override {
    for (uint64_t i = 0; i < iterations; ++i) dispatch_.run_once();
  }
  std::string verify() override {
    return check_reduce(download_floats(*vk_, *partial_, blocks_).data(), expected_);
  }

 private:
  VulkanPtr vk_;
  uint32_t blocks_;
  std::unique_ptr<OwnedBuffer> x_, partial_;
  Dispatch dispatch_;
  std::vector<float> expected_;
};

class VulkanBaseline final : public RawBaseline {
 public:
  explicit VulkanBaseline(VulkanPtr vk) : vk_(std::move(vk)) {}
  std::string describe() const override { return vk_->describe(); }
  std::unique_ptr<Op> launch_latency() override {
    if (!vk_->has_kernels()) return nullptr;
    return std::make_unique<LaunchLatency>(vk_);
  }
  std::unique_ptr<Op> launch_throughput() override {
    if (!vk_->has_kernels()) return nullptr;
    return std::make_unique<LaunchThroughput>(vk_);
  }
  std::unique_ptr<Op> memcpy(CopyKind kind, uint64_t bytes) override {
    return std::make_unique<Memcpy>(vk_, kind, bytes, false);
  }
  std::unique_ptr<Op> memcpy_pinned(CopyKind kind, uint64_t bytes) override {
    return std::make_unique<Memcpy>(vk_, kind, bytes, true);
  }
  std::unique_ptr<Op> saxpy(uint32_t n) override {
    if (!vk_->has_kernels()) return nullptr;
    return std::make_unique<Saxpy>(vk_, n);
  }
  std::unique_ptr<Op> block_reduce(uint32_t n, uint32_t block, uint32_t items) override {
    if (!vk_->has_kernels()) return nullptr;
    return std::make_unique<BlockReduce>(vk_, n, block, items);
  }

 private:
  VulkanPtr vk_;
};

std::unique_ptr<RawBaseline> make_vulkan_baseline(const BaselineTarget& target, std::string* why) {
  auto vk = std::make_shared<Vulkan>();
  try {
    if (!vk->open(target, why)) return nullptr;
  } catch (const BenchError& e) {
    *why = std::string("raw Vulkan baseline unavailable: ") + e.what();
    return nullptr;
  }
  return std::make_unique<VulkanBaseline>(std::move(vk));
}

}  // namespace

OHAL_BENCH_REGISTER_BASELINE("vulkan", make_vulkan_baseline);

}  // namespace ohal_bench
