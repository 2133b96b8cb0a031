// One HAL device per Vulkan physical device with a compute queue: the VkDevice, its queues,
// the properties reported to the front-end, and device-wide state shared by streams.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "errors.hpp"
#include "loader.hpp"
#include "memory.hpp"
#include "staging.hpp"

namespace ohal::vk {

class Stream;
struct Timeline;

// The VkInstance and what was loaded for it (one per init).
struct Instance {
  Loader loader;
  VkInstance instance = VK_NULL_HANDLE;
  InstanceFns fn;
  uint32_t api_version = VK_API_VERSION_1_2;
  VkDebugUtilsMessengerEXT messenger = VK_NULL_HANDLE;
};

// A queue is externally synchronized: every submit holds its mutex.
struct Queue {
  VkQueue queue = VK_NULL_HANDLE;
  std::mutex mutex;
};

// What a buffer is for: decides the memory type.
enum class MemoryUse { kDevice, kHost, kShared, kStaging };

class Device {
 public:
  // Creates the VkDevice; returns nullptr with `why` when the physical device cannot serve
  // (too old, no compute queue, missing bufferDeviceAddress or timelineSemaphore).
  static std::unique_ptr<Device> create(Instance& instance, VkPhysicalDevice physical,
                                        std::string& why);
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // Fills the HAL properties (free memory queried now).
  void get_properties(ohal_device_properties_t& out) const;
  void memory_info(uint64_t& free_bytes, uint64_t& total_bytes) const;

  // For a failed native call: marks the device lost on VK_ERROR_DEVICE_LOST, sets the message.
  ohal_result_t vk_fail(std::string_view call, VkResult result, std::string_view detail = {});
  // OHAL_ERROR_DEVICE_LOST (with message) once the device was lost, else OHAL_SUCCESS.
  ohal_result_t check_lost() const;
  bool lost() const noexcept { return lost_.load(std::memory_order_relaxed); }

  // Memory types allowed by `type_bits` for `use`, best first.
  std::vector<uint32_t> memory_types(uint32_t type_bits, MemoryUse use) const;
  // Usage flags of every buffer the backend creates.
  static constexpr VkBufferUsageFlags kBufferUsage =
      VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT |
      VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_SHADER_DEVICE_ADDRESS_BIT;

  // Round-robin queue for a new stream.
  Queue& next_queue() noexcept;

  // Streams, for device_synchronize.
  void add_stream(Stream* stream);
  void remove_stream(Stream* stream);
  ohal_result_t synchronize();

  // Streams holding batches back until a value they wait for is submitted (stream.hpp). A held
  // stream registers (under its own mutex); kick() after any value became submitted wakes the
  // submitter thread, which retries every held stream.
  ohal_result_t set_held(Stream* stream, bool held);
  void kick() noexcept;

  // Runs `destroy` once `timeline` reached `value` (or at device destruction).
  void defer(std::shared_ptr<Timeline> timeline, uint64_t value, std::function<void()> destroy);
  void reap_deferred(bool all) noexcept;

  // Timeline semaphores are recycled, never destroyed before the device: some drivers (Mesa's
  // emulated timelines) still touch a semaphore after a host wait on it returned. A recycled
  // semaphore keeps counting from `value`.
  ohal_result_t acquire_semaphore(VkSemaphore& semaphore, uint64_t& value);
  void release_semaphore(VkSemaphore semaphore, uint64_t value) noexcept;

  // The device-internal stream (zero-filling new allocations), made on first use.
  ohal_result_t internal_stream(Stream** out);

  // Built-in pipeline for partial-word fills (memset of 8/16-bit patterns at unaligned ends).
  ohal_result_t memset_pipeline(VkPipeline& pipeline, VkPipelineLayout& layout);

  Instance& instance;
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
  DeviceFns fn;
  uint32_t api_version = 0;
  uint32_t queue_family = 0;
  VkPhysicalDeviceProperties props{};
  VkPhysicalDeviceMemoryProperties memory_props{};
  ohal_device_properties_t hal_props{};
  uint32_t timestamp_valid_bits = 0;
  float timestamp_period = 1.0f;
  uint64_t max_buffer_size = 0;
  bool has_memory_budget = false;
  // Features that modules may need (capability checks at module load).
  struct Features {
    bool int64 = false, int16 = false, int8 = false, float64 = false, float16 = false;
    bool int64_atomics = false, storage8 = false, storage16 = false, push8 = false, push16 = false;
    bool vulkan_memory_model = false, vulkan_memory_model_device_scope = false;
    bool maintenance4 = false;
    VkSubgroupFeatureFlags subgroup_ops = 0;
  } features;
  VkPipelineCache pipeline_cache = VK_NULL_HANDLE;
  StagingPool staging;
  // Bytes of VkDeviceMemory allocated per heap; reserve_heap fails past the heap's size.
  std::atomic<uint64_t> heap_used[VK_MAX_MEMORY_HEAPS] = {};
  bool reserve_heap(uint32_t heap, uint64_t bytes) noexcept;
  void release_heap(uint32_t heap, uint64_t bytes) noexcept;

 private:
  Device(Instance& inst, VkPhysicalDevice phys);
  bool init(std::string& why);
  void fill_properties();

  std::vector<std::unique_ptr<Queue>> queues_;
  std::atomic<uint32_t> next_queue_{0};
  std::atomic<bool> lost_{false};

  std::mutex streams_mutex_;
  std::unordered_set<Stream*> streams_;

  void submitter_loop();
  std::mutex held_mutex_;  // a leaf: taken under a stream's mutex
  std::unordered_set<Stream*> held_;
  std::atomic<uint32_t> held_count_{0};
  std::mutex submitter_mutex_;
  std::condition_variable submitter_cv_;
  bool submitter_kicked_ = false;
  bool submitter_stop_ = false;
  std::thread submitter_;

  struct Deferred {
    std::shared_ptr<Timeline> timeline;
    uint64_t value;
    std::function<void()> destroy;
  };
  std::mutex deferred_mutex_;
  std::vector<Deferred> deferred_;

  std::mutex semaphore_mutex_;
  std::vector<std::pair<VkSemaphore, uint64_t>> free_semaphores_;

  std::mutex internal_mutex_;
  Stream* internal_stream_ = nullptr;

  std::mutex memset_mutex_;
  VkShaderModule memset_module_ = VK_NULL_HANDLE;
  VkPipelineLayout memset_layout_ = VK_NULL_HANDLE;
  VkPipeline memset_pipeline_ = VK_NULL_HANDLE;
};

inline Device* to_device(ohal_bdevice_t handle) {
  return reinterpret_cast<Device*>(handle);
}
inline ohal_bdevice_t to_handle(Device* device) {
  return reinterpret_cast<ohal_bdevice_t>(device);
}

}  // namespace ohal::vk
