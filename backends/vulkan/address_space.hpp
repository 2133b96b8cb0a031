// Keeps device addresses unique in the process. A DEVICE allocation's HAL pointer is its buffer
// device address; where that address is not host memory of this process, the range is reserved
// (mmap PROT_NONE, MAP_FIXED_NOREPLACE) so no host allocation can ever share it.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ohal::vk {

class AddressSpace {
 public:
  static AddressSpace& instance();

  enum class Outcome {
    kReserved,     // the pages are held (refcounted) until release()
    kOutsideUser,  // the range lies outside the process's address space: nothing can collide
    kCollision,    // host memory already occupies part of the range
  };

  // Reserves the pages covering [address, address + size).
  Outcome reserve(uint64_t address, uint64_t size, std::string& detail);
  // Releases what a kReserved reserve() of the same range took.
  void release(uint64_t address, uint64_t size) noexcept;

 private:
  struct Run {
    uintptr_t end;
    uint32_t refs;
  };
  // Splits the run containing `at` so that a run starts exactly there.
  void split(uintptr_t at);

  std::mutex mutex_;
  std::map<uintptr_t, Run> runs_;  // disjoint page runs we mapped, by start
};

}  // namespace ohal::vk
