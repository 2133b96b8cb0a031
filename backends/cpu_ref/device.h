// The one cpu_ref device: the host CPU and its memory.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cpu_ref.h"

namespace ohal::cpu_ref {

class Stream;

class Device {
 public:
  // Reads /proc/cpuinfo, the physical memory and OHAL_CPU_REF_MEMORY_LIMIT.
  Device();

  void get_properties(ohal_device_properties_t* properties) const;
  // Waits for every stream; returns the first sticky error among them.
  ohal_result_t synchronize();

  // Device memory accounting (DEVICE and SHARED allocations).
  bool reserve(uint64_t bytes);
  void unreserve(uint64_t bytes);
  uint64_t total_memory() const { return total_memory_; }
  uint64_t free_memory() const;

  void add_stream(std::shared_ptr<Stream> stream);
  std::shared_ptr<Stream> remove_stream(Stream* stream);

 private:
  std::string name_;
  std::string vendor_;
  uint64_t total_memory_ = 0;
  bool memory_capped_ = false;
  uint8_t uuid_[OHAL_UUID_SIZE] = {};
  std::atomic<uint64_t> used_{0};
  std::mutex mu_;
  std::vector<std::shared_ptr<Stream>> streams_;
};

// The device of the running backend (between init and shutdown).
Device* the_device();
ohal_result_t create_device();
void destroy_device();

}  // namespace ohal::cpu_ref
