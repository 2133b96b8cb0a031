#include "device.hpp"

#include <algorithm>
#include <cstring>
#include <thread>
#include <tuple>

#include "launch.hpp"
#include "stream.hpp"

namespace ohal::vk {

namespace {

const uint32_t kMemsetSpirv[] = {
#include "memset_partial.spv.inc"
};

const char* vendor_name(uint32_t id) {
  switch (id) {
    case 0x1002:
      return "AMD";
    case 0x1010:
      return "ImgTec";
    case 0x10DE:
      return "NVIDIA";
    case 0x13B5:
      return "ARM";
    case 0x5143:
      return "Qualcomm";
    case 0x8086:
      return "Intel";
    case 0x106B:
      return "Apple";
    case 0x10005:
      return "Mesa";
    default:
      return nullptr;
  }
}

ohal_device_type_t device_type(VkPhysicalDeviceType type) {
  switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
      return OHAL_DEVICE_TYPE_GPU;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
      return OHAL_DEVICE_TYPE_INTEGRATED_GPU;
    case VK_PHYSICAL_DEVICE_TYPE_CPU:
      return OHAL_DEVICE_TYPE_CPU;
    default:
      return OHAL_DEVICE_TYPE_OTHER;
  }
}

// Copies a C string, truncating to the destination.
void copy_string(char* dst, size_t capacity, const char* src) {
  const size_t n = std::min(std::strlen(src), capacity - 1);
  std::memcpy(dst, src, n);
  dst[n] = '\0';
}

bool has_extension(const std::vector<VkExtensionProperties>& list, const char* name) {
  for (const VkExtensionProperties& e : list)
    if (std::strcmp(e.extensionName, name) == 0) return true;
  return false;
}

}  // namespace

Device::Device(Instance& inst, VkPhysicalDevice phys)
    : instance(inst), physical(phys), staging(*this) {}

std::unique_ptr<Device> Device::create(Instance& instance, VkPhysicalDevice physical,
                                       std::string& why) {
  std::unique_ptr<Device> d(new Device(instance, physical));
  if (!d->init(why)) return nullptr;
  return d;
}

bool Device::init(std::string& why) {
  const InstanceFns& ifn = instance.fn;
  ifn.vkGetPhysicalDeviceProperties(physical, &props);
  api_version = std::min(props.apiVersion, instance.api_version);
  if (api_version < VK_API_VERSION_1_2) {
    why =
        fmt::format("{}: Vulkan {}.{} < 1.2", props.deviceName,
                    VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));
    return false;
  }
  // Queue family: compute-capable, preferring compute-only families (async compute engines)
  // that have timestamps.
  uint32_t family_count = 0;
  ifn.vkGetPhysicalDeviceQueueFamilyProperties(physical, &family_count, nullptr);
  std::vector<VkQueueFamilyProperties> families(family_count);
  ifn.vkGetPhysicalDeviceQueueFamilyProperties(physical, &family_count, families.data());
  int best = -1, best_score = -1;
  for (uint32_t i = 0; i < family_count; ++i) {
    const VkQueueFamilyProperties& f = families[i];
    if ((f.queueFlags & VK_QUEUE_COMPUTE_BIT) == 0 || f.queueCount == 0) continue;
    int score = 1;
    if (f.timestampValidBits > 0) score += 2;
    if ((f.queueFlags & VK_QUEUE_GRAPHICS_BIT) == 0) score += 1;
    if (score > best_score) {
      best = static_cast<int>(i);
      best_score = score;
    }
  }
  if (best < 0) {
    why = fmt::format("{}: no queue family with VK_QUEUE_COMPUTE_BIT", props.deviceName);
    return false;
  }
  queue_family = static_cast<uint32_t>(best);
  timestamp_valid_bits = families[queue_family].timestampValidBits;
  timestamp_period = props.limits.timestampPeriod;
  const uint32_t queue_count = std::min(families[queue_family].queueCount, 4u);

  // Extensions.
  uint32_t ext_count = 0;
  ifn.vkEnumerateDeviceExtensionProperties(physical, nullptr, &ext_count, nullptr);
  std::vector<VkExtensionProperties> exts(ext_count);
  ifn.vkEnumerateDeviceExtensionProperties(physical, nullptr, &ext_count, exts.data());
  std::vector<const char*> enable;
  has_memory_budget = has_extension(exts, VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
  if (has_memory_budget) enable.push_back(VK_EXT_MEMORY_BUDGET_EXTENSION_NAME);
  const bool has_pci = has_extension(exts, VK_EXT_PCI_BUS_INFO_EXTENSION_NAME);
  if (has_extension(exts, "VK_KHR_portability_subset"))
    enable.push_back("VK_KHR_portability_subset");

  // Features: enable everything the device offers that kernels may use, minus the ones that
  // only cost performance.
  auto f13 = vk_struct<VkPhysicalDeviceVulkan13Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES);
  auto f12 = vk_struct<VkPhysicalDeviceVulkan12Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES);
  auto f11 = vk_struct<VkPhysicalDeviceVulkan11Features>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES);
  auto f2 = vk_struct<VkPhysicalDeviceFeatures2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2);
  f2.pNext = &f11;
  f11.pNext = &f12;
  if (api_version >= VK_API_VERSION_1_3) f12.pNext = &f13;
  ifn.vkGetPhysicalDeviceFeatures2(physical, &f2);
  if (!f12.bufferDeviceAddress || !f12.timelineSemaphore) {
    why = fmt::format("{}: lacks {}", props.deviceName,
                      !f12.bufferDeviceAddress ? "bufferDeviceAddress" : "timelineSemaphore");
    return false;
  }
  f2.features.robustBufferAccess = VK_FALSE;
  f12.bufferDeviceAddressCaptureReplay = VK_FALSE;
  f12.bufferDeviceAddressMultiDevice = VK_FALSE;
  if (api_version >= VK_API_VERSION_1_3) f13.robustImageAccess = VK_FALSE;
  features.int64 = f2.features.shaderInt64;
  features.int16 = f2.features.shaderInt16;
  features.float64 = f2.features.shaderFloat64;
  features.int8 = f12.shaderInt8;
  features.float16 = f12.shaderFloat16;
  features.int64_atomics = f12.shaderBufferInt64Atomics;
  features.storage8 = f12.storageBuffer8BitAccess;
  features.storage16 = f11.storageBuffer16BitAccess;
  features.push8 = f12.storagePushConstant8;
  features.push16 = f11.storagePushConstant16;
  features.vulkan_memory_model = f12.vulkanMemoryModel;
  features.vulkan_memory_model_device_scope = f12.vulkanMemoryModelDeviceScope;
  features.maintenance4 = api_version >= VK_API_VERSION_1_3 && f13.maintenance4;

  std::vector<float> priorities(queue_count, 1.0f);
  auto queue_info = vk_struct<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
  queue_info.queueFamilyIndex = queue_family;
  queue_info.queueCount = queue_count;
  queue_info.pQueuePriorities = priorities.data();
  auto info = vk_struct<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
  info.pNext = &f2;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue_info;
  info.enabledExtensionCount = static_cast<uint32_t>(enable.size());
  info.ppEnabledExtensionNames = enable.data();
  VkResult r = ifn.vkCreateDevice(physical, &info, nullptr, &device);
  if (r != VK_SUCCESS) {
    device = VK_NULL_HANDLE;
    why = format_vk_error("vkCreateDevice", r, props.deviceName);
    return false;
  }
  if (!Loader::load_device(ifn, device, fn, why)) return false;
  for (uint32_t i = 0; i < queue_count; ++i) {
    auto q = std::make_unique<Queue>();
    fn.vkGetDeviceQueue(device, queue_family, i, &q->queue);
    queues_.push_back(std::move(q));
  }
  auto cache = vk_struct<VkPipelineCacheCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO);
  r = fn.vkCreatePipelineCache(device, &cache, nullptr, &pipeline_cache);
  if (r != VK_SUCCESS) pipeline_cache = VK_NULL_HANDLE;  // optional: pipelines compile without

  // Properties.
  auto p13 = vk_struct<VkPhysicalDeviceVulkan13Properties>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_PROPERTIES);
  auto p11 = vk_struct<VkPhysicalDeviceVulkan11Properties>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_PROPERTIES);
  auto pci = vk_struct<VkPhysicalDevicePCIBusInfoPropertiesEXT>(
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PCI_BUS_INFO_PROPERTIES_EXT);
  auto p2 = vk_struct<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
  p2.pNext = &p11;
  void** tail = &p11.pNext;
  if (api_version >= VK_API_VERSION_1_3) {
    *tail = &p13;
    tail = &p13.pNext;
  }
  if (has_pci) {
    *tail = &pci;
    tail = &pci.pNext;
  }
  ifn.vkGetPhysicalDeviceProperties2(physical, &p2);
  ifn.vkGetPhysicalDeviceMemoryProperties(physical, &memory_props);
  features.subgroup_ops = (p11.subgroupSupportedStages & VK_SHADER_STAGE_COMPUTE_BIT) != 0
                              ? p11.subgroupSupportedOperations
                              : 0;

  max_buffer_size =
      api_version >= VK_API_VERSION_1_3 && p13.maxBufferSize > 0 ? p13.maxBufferSize : UINT64_MAX;
  uint64_t largest_heap = 0, device_local_total = 0, all_total = 0;
  for (uint32_t h = 0; h < memory_props.memoryHeapCount; ++h) {
    const VkMemoryHeap& heap = memory_props.memoryHeaps[h];
    all_total += heap.size;
    if ((heap.flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0) {
      device_local_total += heap.size;
      largest_heap = std::max<uint64_t>(largest_heap, heap.size);
    }
  }
  if (device_local_total == 0) {
    device_local_total = all_total;
    for (uint32_t h = 0; h < memory_props.memoryHeapCount; ++h)
      largest_heap = std::max<uint64_t>(largest_heap, memory_props.memoryHeaps[h].size);
  }

  ohal_device_properties_t& hp = hal_props;
  hp = ohal_device_properties_t{};
  hp.struct_size = sizeof hp;
  copy_string(hp.name, sizeof hp.name, props.deviceName);
  const char* vendor = vendor_name(props.vendorID);
  if (vendor != nullptr) {
    copy_string(hp.vendor, sizeof hp.vendor, vendor);
  } else {
    std::snprintf(hp.vendor, sizeof hp.vendor, "0x%04x", props.vendorID);
  }
  hp.type = device_type(props.deviceType);
  hp.total_memory = device_local_total;
  hp.max_allocation_size =
      std::min({static_cast<uint64_t>(p11.maxMemoryAllocationSize), max_buffer_size, largest_heap});
  for (int i = 0; i < 3; ++i) {
    hp.max_block_dims[i] = props.limits.maxComputeWorkGroupSize[i];
    hp.max_grid_dims[i] = props.limits.maxComputeWorkGroupCount[i];
  }
  hp.max_threads_per_block = props.limits.maxComputeWorkGroupInvocations;
  hp.max_shared_bytes_per_block = props.limits.maxComputeSharedMemorySize;
  hp.max_kernel_arg_bytes = kMaxArgBytes;
  hp.subgroup_size = p11.subgroupSize;
  // Vulkan has no portable count of compute units; a CPU device runs one per core.
  hp.compute_units =
      hp.type == OHAL_DEVICE_TYPE_CPU ? std::max(1u, std::thread::hardware_concurrency()) : 0;
  hp.kernel_formats = OHAL_FORMAT_BIT(OHAL_KERNEL_FORMAT_SPIRV_VULKAN);
  static_assert(sizeof hp.uuid == VK_UUID_SIZE, "UUID sizes differ");
  std::memcpy(hp.uuid, p11.deviceUUID, VK_UUID_SIZE);
  if (has_pci) {
    hp.pci_domain = pci.pciDomain;
    hp.pci_bus = pci.pciBus;
    hp.pci_device = pci.pciDevice;
    hp.pci_function = pci.pciFunction;
  } else {
    hp.pci_domain = hp.pci_bus = hp.pci_device = hp.pci_function = 0xffffffffu;
  }
  // HOST and SHARED need a host-visible coherent type (every Vulkan device has one).
  hp.capabilities = OHAL_CAP_HOST_FUNC | OHAL_CAP_DYNAMIC_SHARED | OHAL_CAP_KERNEL_ARG_SIZES;
  if (!memory_types(~0u, MemoryUse::kHost).empty())
    hp.capabilities |= OHAL_CAP_MEM_HOST | OHAL_CAP_MEM_SHARED;
  if (f12.shaderBufferInt64Atomics) hp.capabilities |= OHAL_CAP_ATOMICS_64;
  if (timestamp_valid_bits > 0) hp.capabilities |= OHAL_CAP_EVENT_TIMING;
  // Every base is a dedicated allocation's start: aligned to the buffer requirement for
  // device addresses and to minMemoryMapAlignment for host mappings.
  {
    auto probe = vk_struct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
    probe.size = 256;
    probe.usage = kBufferUsage;
    VkBuffer buffer = VK_NULL_HANDLE;
    uint64_t alignment = 16;
    if (fn.vkCreateBuffer(device, &probe, nullptr, &buffer) == VK_SUCCESS) {
      VkMemoryRequirements req{};
      fn.vkGetBufferMemoryRequirements(device, buffer, &req);
      alignment = std::max<uint64_t>(req.alignment, 16);
      fn.vkDestroyBuffer(device, buffer, nullptr);
    }
    alignment =
        std::min<uint64_t>(alignment, std::max<size_t>(props.limits.minMemoryMapAlignment, 16));
    hp.memory_alignment = static_cast<uint32_t>(alignment);
  }
  return true;
}

Device::~Device() {
  {
    std::lock_guard<std::mutex> lock(submitter_mutex_);
    submitter_stop_ = true;
  }
  submitter_cv_.notify_all();
  if (submitter_.joinable()) submitter_.join();
  if (device == VK_NULL_HANDLE) return;
  fn.vkDeviceWaitIdle(device);
  if (internal_stream_ != nullptr) delete internal_stream_;
  internal_stream_ = nullptr;
  reap_deferred(true);
  staging.clear();
  for (auto& [semaphore, value] : free_semaphores_)
    fn.vkDestroySemaphore(device, semaphore, nullptr);
  free_semaphores_.clear();
  if (memset_pipeline_ != VK_NULL_HANDLE) fn.vkDestroyPipeline(device, memset_pipeline_, nullptr);
  if (memset_layout_ != VK_NULL_HANDLE) fn.vkDestroyPipelineLayout(device, memset_layout_, nullptr);
  if (memset_module_ != VK_NULL_HANDLE) fn.vkDestroyShaderModule(device, memset_module_, nullptr);
  if (pipeline_cache != VK_NULL_HANDLE) fn.vkDestroyPipelineCache(device, pipeline_cache, nullptr);
  fn.vkDestroyDevice(device, nullptr);
}

void Device::memory_info(uint64_t& free_bytes, uint64_t& total_bytes) const {
  total_bytes = hal_props.total_memory;
  const bool any_device_local = [&] {
    for (uint32_t h = 0; h < memory_props.memoryHeapCount; ++h)
      if (memory_props.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) return true;
    return false;
  }();
  auto counted = [&](uint32_t h) {
    return !any_device_local ||
           (memory_props.memoryHeaps[h].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
  };
  uint64_t free_sum = 0;
  if (has_memory_budget) {
    auto budget = vk_struct<VkPhysicalDeviceMemoryBudgetPropertiesEXT>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT);
    auto mp = vk_struct<VkPhysicalDeviceMemoryProperties2>(
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2);
    mp.pNext = &budget;
    instance.fn.vkGetPhysicalDeviceMemoryProperties2(physical, &mp);
    for (uint32_t h = 0; h < memory_props.memoryHeapCount; ++h) {
      if (!counted(h)) continue;
      const uint64_t cap = std::min(budget.heapBudget[h], memory_props.memoryHeaps[h].size);
      free_sum += cap > budget.heapUsage[h] ? cap - budget.heapUsage[h] : 0;
    }
  } else {
    for (uint32_t h = 0; h < memory_props.memoryHeapCount; ++h) {
      if (!counted(h)) continue;
      const uint64_t used = heap_used[h].load(std::memory_order_relaxed);
      const uint64_t size = memory_props.memoryHeaps[h].size;
      free_sum += size > used ? size - used : 0;
    }
  }
  free_bytes = std::min(free_sum, total_bytes);
}

void Device::get_properties(ohal_device_properties_t& out) const {
  const size_t size = std::min(out.struct_size, sizeof(ohal_device_properties_t));
  ohal_device_properties_t p = hal_props;
  uint64_t total = 0;
  memory_info(p.free_memory, total);
  p.struct_size = out.struct_size;
  // The front-end owns these two.
  std::memcpy(p.backend, out.backend, sizeof p.backend);
  p.backend_device_index = out.backend_device_index;
  std::memcpy(&out, &p, size);
}

ohal_result_t Device::vk_fail(std::string_view call, VkResult result, std::string_view detail) {
  if (result == VK_ERROR_DEVICE_LOST && !lost_.exchange(true)) {
    logf(OHAL_LOG_LEVEL_ERROR, "{}: device lost ({})", props.deviceName, call);
  }
  return fail_vk(call, result, detail);
}

ohal_result_t Device::check_lost() const {
  if (!lost()) return OHAL_SUCCESS;
  return failf(OHAL_ERROR_DEVICE_LOST,
               "{} was lost (VK_ERROR_DEVICE_LOST); recreate the process's "
               "device objects",
               props.deviceName);
}

std::vector<uint32_t> Device::memory_types(uint32_t type_bits, MemoryUse use) const {
  // Types that need features we never enable (AMD device-coherent) or that cannot back
  // buffers (protected, lazily allocated) are skipped.
  constexpr VkMemoryPropertyFlags kExcluded =
      VK_MEMORY_PROPERTY_PROTECTED_BIT | VK_MEMORY_PROPERTY_LAZILY_ALLOCATED_BIT |
      VK_MEMORY_PROPERTY_DEVICE_COHERENT_BIT_AMD | VK_MEMORY_PROPERTY_DEVICE_UNCACHED_BIT_AMD;
  constexpr VkMemoryPropertyFlags kMappable =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  struct Candidate {
    uint32_t type;
    int rank;
  };
  std::vector<Candidate> candidates;
  bool any_device_local = false;
  for (uint32_t t = 0; t < memory_props.memoryTypeCount; ++t) {
    const VkMemoryPropertyFlags f = memory_props.memoryTypes[t].propertyFlags;
    if ((type_bits & (1u << t)) != 0 && (f & kExcluded) == 0 &&
        (f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) != 0)
      any_device_local = true;
  }
  for (uint32_t t = 0; t < memory_props.memoryTypeCount; ++t) {
    const VkMemoryPropertyFlags f = memory_props.memoryTypes[t].propertyFlags;
    if ((type_bits & (1u << t)) == 0 || (f & kExcluded) != 0) continue;
    const bool local = (f & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT) != 0;
    const bool mappable = (f & kMappable) == kMappable;
    const bool cached = (f & VK_MEMORY_PROPERTY_HOST_CACHED_BIT) != 0;
    int rank = 0;
    switch (use) {
      case MemoryUse::kDevice:
        if (any_device_local && !local) continue;
        rank = (local ? 2 : 0) + ((f & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) == 0 ? 1 : 0);
        break;
      case MemoryUse::kHost:
      case MemoryUse::kStaging:
        if (!mappable) continue;
        rank = (local ? 0 : 2) + (cached ? 1 : 0);
        break;
      case MemoryUse::kShared:
        if (!mappable) continue;
        rank = (local ? 2 : 0) + (cached ? 1 : 0);
        break;
    }
    candidates.push_back({t, rank});
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.rank > b.rank; });
  std::vector<uint32_t> out;
  for (const Candidate& c : candidates) out.push_back(c.type);
  return out;
}

bool Device::reserve_heap(uint32_t heap, uint64_t bytes) noexcept {
  const uint64_t size = memory_props.memoryHeaps[heap].size;
  uint64_t used = heap_used[heap].load(std::memory_order_relaxed);
  do {
    if (bytes > size || used > size - bytes) return false;
  } while (!heap_used[heap].compare_exchange_weak(used, used + bytes));
  return true;
}

void Device::release_heap(uint32_t heap, uint64_t bytes) noexcept {
  uint64_t used = heap_used[heap].load(std::memory_order_relaxed);
  uint64_t next;
  do {
    next = used >= bytes ? used - bytes : 0;
  } while (!heap_used[heap].compare_exchange_weak(used, next));
}

Queue& Device::next_queue() noexcept {
  const uint32_t i = next_queue_.fetch_add(1, std::memory_order_relaxed);
  return *queues_[i % queues_.size()];
}

void Device::add_stream(Stream* stream) {
  std::lock_guard<std::mutex> lock(streams_mutex_);
  streams_.insert(stream);
}

void Device::remove_stream(Stream* stream) {
  std::lock_guard<std::mutex> lock(streams_mutex_);
  streams_.erase(stream);
  std::lock_guard<std::mutex> held_lock(held_mutex_);
  if (held_.erase(stream) != 0) held_count_.fetch_sub(1);
}

ohal_result_t Device::set_held(Stream* stream, bool held) {
  std::lock_guard<std::mutex> lock(held_mutex_);
  if (!held) {
    if (held_.erase(stream) != 0) held_count_.fetch_sub(1);
    return OHAL_SUCCESS;
  }
  {
    std::lock_guard<std::mutex> submitter_lock(submitter_mutex_);
    if (!submitter_.joinable()) {
      try {
        submitter_ = std::thread([this] { submitter_loop(); });
      } catch (const std::system_error& e) {
        return failf(OHAL_ERROR_OUT_OF_HOST_MEMORY, "std::thread for held submissions: {}",
                     e.what());
      }
    }
  }
  if (held_.insert(stream).second) held_count_.fetch_add(1);  // seq_cst: pairs with kick()
  return OHAL_SUCCESS;
}

void Device::kick() noexcept {
  // seq_cst, after the caller's seq_cst store of a submitted value: either this sees the held
  // stream, or that stream's re-check after registering sees the value.
  if (held_count_.load() == 0) return;
  {
    std::lock_guard<std::mutex> lock(submitter_mutex_);
    submitter_kicked_ = true;
  }
  submitter_cv_.notify_one();
}

void Device::submitter_loop() {
  std::unique_lock<std::mutex> lock(submitter_mutex_);
  for (;;) {
    submitter_cv_.wait(lock, [this] { return submitter_stop_ || submitter_kicked_; });
    if (submitter_stop_) return;
    submitter_kicked_ = false;
    lock.unlock();
    {
      // streams_mutex_ keeps the streams alive (a stream leaves the set before it is deleted).
      std::lock_guard<std::mutex> streams_lock(streams_mutex_);
      std::vector<Stream*> held;
      {
        std::lock_guard<std::mutex> held_lock(held_mutex_);
        held.assign(held_.begin(), held_.end());
      }
      for (Stream* s : held) s->retry_held();
    }
    lock.lock();
  }
}

ohal_result_t Device::synchronize() {
  std::vector<std::pair<std::shared_ptr<Timeline>, uint64_t>> points;
  ohal_result_t first = OHAL_SUCCESS;
  {
    std::lock_guard<std::mutex> lock(streams_mutex_);
    for (Stream* s : streams_) {
      std::shared_ptr<Timeline> t;
      uint64_t value = 0;
      ohal_result_t r = s->flush_point(t, value);
      if (r != OHAL_SUCCESS && first == OHAL_SUCCESS) first = r;
      points.emplace_back(std::move(t), value);
    }
  }
  for (auto& [t, value] : points) {
    ohal_result_t r = t->wait(value);
    if (r == OHAL_SUCCESS) r = t->failure();
    if (r != OHAL_SUCCESS && first == OHAL_SUCCESS) first = r;
  }
  reap_deferred(false);
  if (first != OHAL_SUCCESS) {
    // Re-attach the first failure's message: later waits may have overwritten it.
    for (auto& [t, value] : points)
      if (t->failure() != OHAL_SUCCESS) return t->failure();
    return first == OHAL_ERROR_DEVICE_LOST ? check_lost() : first;
  }
  return check_lost();
}

void Device::defer(std::shared_ptr<Timeline> timeline, uint64_t value,
                   std::function<void()> destroy) {
  std::lock_guard<std::mutex> lock(deferred_mutex_);
  deferred_.push_back(Deferred{std::move(timeline), value, std::move(destroy)});
}

void Device::reap_deferred(bool all) noexcept {
  std::vector<Deferred> ready;
  {
    std::lock_guard<std::mutex> lock(deferred_mutex_);
    for (auto it = deferred_.begin(); it != deferred_.end();) {
      ohal_result_t r = OHAL_SUCCESS;
      if (all || it->timeline->completed(r) >= it->value || r != OHAL_SUCCESS) {
        ready.push_back(std::move(*it));
        it = deferred_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (Deferred& d : ready) d.destroy();
}

ohal_result_t Device::acquire_semaphore(VkSemaphore& semaphore, uint64_t& value) {
  {
    std::lock_guard<std::mutex> lock(semaphore_mutex_);
    if (!free_semaphores_.empty()) {
      std::tie(semaphore, value) = free_semaphores_.back();
      free_semaphores_.pop_back();
      return OHAL_SUCCESS;
    }
  }
  auto type = vk_struct<VkSemaphoreTypeCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO);
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  type.initialValue = 0;
  auto info = vk_struct<VkSemaphoreCreateInfo>(VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO);
  info.pNext = &type;
  VkResult r = fn.vkCreateSemaphore(device, &info, nullptr, &semaphore);
  if (r != VK_SUCCESS) return vk_fail("vkCreateSemaphore", r, "timeline semaphore");
  value = 0;
  return OHAL_SUCCESS;
}

void Device::release_semaphore(VkSemaphore semaphore, uint64_t value) noexcept {
  std::lock_guard<std::mutex> lock(semaphore_mutex_);
  try {
    free_semaphores_.emplace_back(semaphore, value);
  } catch (...) {
    fn.vkDestroySemaphore(device, semaphore, nullptr);  // out of memory: give it up now
  }
}

ohal_result_t Device::internal_stream(Stream** out) {
  std::lock_guard<std::mutex> lock(internal_mutex_);
  if (internal_stream_ == nullptr) {
    if (ohal_result_t r = Stream::create(*this, &internal_stream_); r != OHAL_SUCCESS) {
      internal_stream_ = nullptr;
      return r;
    }
  }
  *out = internal_stream_;
  return OHAL_SUCCESS;
}

ohal_result_t Device::memset_pipeline(VkPipeline& pipeline, VkPipelineLayout& layout) {
  std::lock_guard<std::mutex> lock(memset_mutex_);
  if (memset_pipeline_ == VK_NULL_HANDLE) {
    if (memset_module_ == VK_NULL_HANDLE) {
      auto info = vk_struct<VkShaderModuleCreateInfo>(VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO);
      info.codeSize = sizeof kMemsetSpirv;
      info.pCode = kMemsetSpirv;
      VkResult r = fn.vkCreateShaderModule(device, &info, nullptr, &memset_module_);
      if (r != VK_SUCCESS) {
        memset_module_ = VK_NULL_HANDLE;
        return vk_fail("vkCreateShaderModule", r, "built-in memset shader");
      }
    }
    if (memset_layout_ == VK_NULL_HANDLE) {
      VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, 32};
      auto info =
          vk_struct<VkPipelineLayoutCreateInfo>(VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO);
      info.pushConstantRangeCount = 1;
      info.pPushConstantRanges = &range;
      VkResult r = fn.vkCreatePipelineLayout(device, &info, nullptr, &memset_layout_);
      if (r != VK_SUCCESS) {
        memset_layout_ = VK_NULL_HANDLE;
        return vk_fail("vkCreatePipelineLayout", r, "built-in memset shader");
      }
    }
    auto info =
        vk_struct<VkComputePipelineCreateInfo>(VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO);
    info.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = memset_module_;
    info.stage.pName = "main";
    info.layout = memset_layout_;
    VkResult r =
        fn.vkCreateComputePipelines(device, pipeline_cache, 1, &info, nullptr, &memset_pipeline_);
    if (r != VK_SUCCESS) {
      memset_pipeline_ = VK_NULL_HANDLE;
      return vk_fail("vkCreateComputePipelines", r, "built-in memset shader");
    }
  }
  pipeline = memset_pipeline_;
  layout = memset_layout_;
  return OHAL_SUCCESS;
}

}  // namespace ohal::vk
