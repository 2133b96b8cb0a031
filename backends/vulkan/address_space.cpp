#include "address_space.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

namespace ohal::vk {

namespace {
uintptr_t page_size() {
  static const uintptr_t size = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  return size;
}
}  // namespace

AddressSpace& AddressSpace::instance() {
  static AddressSpace space;
  return space;
}

void AddressSpace::split(uintptr_t at) {
  auto it = runs_.upper_bound(at);
  if (it == runs_.begin()) return;
  --it;
  if (it->first == at || it->second.end <= at) return;
  Run tail{it->second.end, it->second.refs};
  it->second.end = at;
  runs_.emplace(at, tail);
}

AddressSpace::Outcome AddressSpace::reserve(uint64_t address, uint64_t size, std::string& detail) {
  const uintptr_t page = page_size();
  if (address + size < address || address + size > UINTPTR_MAX - page) {
    return Outcome::kOutsideUser;
  }
  const uintptr_t begin = static_cast<uintptr_t>(address) / page * page;
  const uintptr_t end = (static_cast<uintptr_t>(address + size) + page - 1) / page * page;
  std::lock_guard<std::mutex> lock(mutex_);
  // Find the gaps between runs we already hold (neighbouring allocations share boundary pages).
  std::vector<std::pair<uintptr_t, uintptr_t>> gaps;
  uintptr_t cursor = begin;
  auto it = runs_.upper_bound(begin);
  if (it != runs_.begin()) --it;
  for (; it != runs_.end() && it->first < end; ++it) {
    if (it->second.end <= cursor) continue;
    if (it->first > cursor) gaps.emplace_back(cursor, it->first);
    cursor = it->second.end;
  }
  if (cursor < end) gaps.emplace_back(cursor, end);
  std::vector<std::pair<uintptr_t, uintptr_t>> mapped;
  bool outside = false;
  for (const auto& [g0, g1] : gaps) {
    void* want = reinterpret_cast<void*>(g0);
    void* got = mmap(want, g1 - g0, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (got == want) {
      mapped.emplace_back(g0, g1);
      continue;
    }
    const int err = errno;
    if (got != MAP_FAILED) munmap(got, g1 - g0);  // a kernel that ignores the flag
    if (got == MAP_FAILED && (err == ENOMEM || err == EINVAL) && mapped.empty() &&
        gaps.size() == 1) {
      outside = true;  // beyond the user address space: no host pointer can be there
      break;
    }
    for (const auto& [m0, m1] : mapped) munmap(reinterpret_cast<void*>(m0), m1 - m0);
    detail = got == MAP_FAILED
                 ? fmt::format("mmap(MAP_FIXED_NOREPLACE) of [{:#x}, {:#x}): {}", g0, g1,
                               std::strerror(err))
                 : fmt::format("mmap of [{:#x}, {:#x}) did not honour MAP_FIXED_NOREPLACE", g0, g1);
    return Outcome::kCollision;
  }
  if (outside) return Outcome::kOutsideUser;
  split(begin);
  split(end);
  for (auto run = runs_.lower_bound(begin); run != runs_.end() && run->first < end; ++run)
    ++run->second.refs;
  for (const auto& [m0, m1] : mapped) runs_.emplace(m0, Run{m1, 1});
  return Outcome::kReserved;
}

void AddressSpace::release(uint64_t address, uint64_t size) noexcept {
  const uintptr_t page = page_size();
  const uintptr_t begin = static_cast<uintptr_t>(address) / page * page;
  const uintptr_t end = (static_cast<uintptr_t>(address + size) + page - 1) / page * page;
  std::lock_guard<std::mutex> lock(mutex_);
  split(begin);
  split(end);
  for (auto run = runs_.lower_bound(begin); run != runs_.end() && run->first < end;) {
    if (--run->second.refs == 0) {
      munmap(reinterpret_cast<void*>(run->first), run->second.end - run->first);
      run = runs_.erase(run);
    } else {
      ++run;
    }
  }
}

}  // namespace ohal::vk
