// Allocations. Large ones are anonymous mappings (zeroed and committed lazily by the kernel, so
// an allocate-until-full test costs no RAM); small ones come from the C heap. DEVICE and SHARED
// allocations count against the device's total (OHAL_CPU_REF_MEMORY_LIMIT caps it).
#include "memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "device.h"

namespace ohal::cpu_ref {

namespace {

constexpr size_t kMapThreshold = 256 * 1024;

struct Allocation {
  void* base;
  size_t size;
  size_t mapped;  // bytes mapped with mmap; 0: from aligned_alloc
  ohal_mem_kind_t kind;
};

bool counts_as_device(ohal_mem_kind_t kind) {
  return kind != OHAL_MEM_KIND_HOST;
}

ohal_result_t out_of_memory(ohal_mem_kind_t kind, const std::string& why) {
  return set_error(
      kind == OHAL_MEM_KIND_HOST ? OHAL_ERROR_OUT_OF_HOST_MEMORY : OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
      why);
}

}  // namespace

ohal_result_t mem_alloc(Device& device, size_t size, ohal_mem_kind_t kind, uint32_t flags,
                        ohal_balloc_t* out) {
  if (counts_as_device(kind) && !device.reserve(size)) {
    return set_error(OHAL_ERROR_OUT_OF_DEVICE_MEMORY,
                     "cpu_ref: " + std::to_string(size) + " bytes requested, " +
                         std::to_string(device.free_memory()) + " of " +
                         std::to_string(device.total_memory()) + " bytes free");
  }
  auto* a = new (std::nothrow) Allocation{nullptr, size, 0, kind};
  if (a == nullptr) {
    if (counts_as_device(kind)) device.unreserve(size);
    return set_error(OHAL_ERROR_OUT_OF_HOST_MEMORY, "cpu_ref: no memory for the allocation record");
  }
  if (size >= kMapThreshold) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t mapped = (size + page - 1) / page * page;
    void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
      const int error = errno;
      delete a;
      if (counts_as_device(kind)) device.unreserve(size);
      return out_of_memory(kind, errno_message("mmap", error));
    }
    a->base = p;
    a->mapped = mapped;  // anonymous mappings are zero already
  } else {
    const size_t rounded = (size + kMemoryAlignment - 1) / kMemoryAlignment * kMemoryAlignment;
    void* p = std::aligned_alloc(kMemoryAlignment, rounded);
    if (p == nullptr) {
      delete a;
      if (counts_as_device(kind)) device.unreserve(size);
      return out_of_memory(kind, errno_message("aligned_alloc", ENOMEM));
    }
    if (flags & OHAL_MEM_FLAG_ZERO) std::memset(p, 0, rounded);
    a->base = p;
  }
  out->ptr = a->base;
  out->device_ptr = a->base;
  out->alloc = a;
  return OHAL_SUCCESS;
}

ohal_result_t mem_free(Device& device, void* alloc) {
  auto* a = static_cast<Allocation*>(alloc);
  if (a->mapped != 0) {
    if (munmap(a->base, a->mapped) != 0) {
      const int error = errno;
      return set_error(OHAL_ERROR_BACKEND, "cpu_ref: " + errno_message("munmap", error));
    }
  } else {
    std::free(a->base);
  }
  if (counts_as_device(a->kind)) device.unreserve(a->size);
  delete a;
  return OHAL_SUCCESS;
}

}  // namespace ohal::cpu_ref
