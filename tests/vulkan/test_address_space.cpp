// Device-address reservations (no device needed): a reserved range can hold no host mapping,
// neighbouring allocations share boundary pages, and ranges already used by host memory are
// reported as collisions.
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "address_space.hpp"
#include "fixture.hpp"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

using ohal::vk::AddressSpace;

namespace {

// An address range free right now: mapped, then unmapped.
uintptr_t free_range(size_t size) {
  void* p = mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  munmap(p, size);
  return reinterpret_cast<uintptr_t>(p);
}

// Whether the host could map [address, address + size) now.
bool host_can_map(uintptr_t address, size_t size) {
  void* want = reinterpret_cast<void*>(address);
  void* got = mmap(want, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (got == MAP_FAILED) return false;
  munmap(got, size);
  return got == want;
}

}  // namespace

TEST_CASE("address space: reservations keep host mappings out", "[address_space]") {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  AddressSpace& space = AddressSpace::instance();
  const uintptr_t base = free_range(16 * page);
  std::string detail;

  // Two allocations sharing a page: [base + 100, base + 2 pages + 100) and the next 3 pages.
  const uint64_t a = base + 100, a_size = 2 * page;
  const uint64_t b = a + a_size, b_size = 3 * page;
  REQUIRE(space.reserve(a, a_size, detail) == AddressSpace::Outcome::kReserved);
  REQUIRE(space.reserve(b, b_size, detail) == AddressSpace::Outcome::kReserved);
  CHECK_FALSE(host_can_map(base, page));
  CHECK_FALSE(host_can_map(base + 2 * page, page));  // the shared page
  CHECK_FALSE(host_can_map(base + 5 * page, page));

  // Releasing one keeps the shared page held for the other.
  space.release(a, a_size);
  CHECK(host_can_map(base, page));
  CHECK_FALSE(host_can_map(base + 2 * page, page));
  space.release(b, b_size);
  CHECK(host_can_map(base, 6 * page));
}

TEST_CASE("address space: host memory already there is a collision", "[address_space]") {
  std::vector<char> host(1 << 20);
  std::string detail;
  CHECK(AddressSpace::instance().reserve(reinterpret_cast<uintptr_t>(host.data()), host.size(),
                                         detail) == AddressSpace::Outcome::kCollision);
  CHECK(detail.find("mmap") != std::string::npos);
  // Outside the user address space nothing can collide.
  CHECK(AddressSpace::instance().reserve(0xffff900000000000ull, 4096, detail) ==
        AddressSpace::Outcome::kOutsideUser);
}
