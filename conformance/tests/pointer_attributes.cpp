// ohal_pointer_get_attributes: the allocation registry seen from the API.
#include <memory>

#include "cts.hpp"

TEST_CASE("pointer: attributes describe every byte of every allocation", "[pointer]") {
  ohal_device_t dev = cts::device();
  for (ohal_mem_kind_t kind : cts::offered_kinds()) {
    INFO("kind " << cts::kind_name(kind));
    const size_t size = 10000;
    cts::Buffer b(size, kind);
    for (size_t offset : {size_t{0}, size_t{1}, size / 2, size - 1}) {
      INFO("offset " << offset);
      ohal_pointer_attributes_t a = OHAL_POINTER_ATTRIBUTES_INIT;
      REQUIRE_OK(ohal_pointer_get_attributes(b.bytes() + offset, &a));
      CHECK(a.is_registered == 1u);
      CHECK(a.device == dev);
      CHECK(a.kind == kind);
      CHECK(a.base == b.get());
      CHECK(a.size == size);
    }
    // One past the end is not this allocation.
    ohal_pointer_attributes_t past = OHAL_POINTER_ATTRIBUTES_INIT;
    REQUIRE_OK(ohal_pointer_get_attributes(b.bytes() + size, &past));
    CHECK_FALSE((past.is_registered == 1u && past.base == b.get()));
  }
}

TEST_CASE("pointer: pageable host memory and freed allocations are not registered", "[pointer]") {
  int local = 0;
  auto heap = std::make_unique<char[]>(64);
  for (const void* p : {static_cast<const void*>(&local), static_cast<const void*>(heap.get())}) {
    ohal_pointer_attributes_t a = OHAL_POINTER_ATTRIBUTES_INIT;
    REQUIRE_OK(ohal_pointer_get_attributes(p, &a));
    CHECK(a.is_registered == 0u);
    CHECK(a.device == nullptr);
  }
  void* ptr = nullptr;
  REQUIRE_OK(ohal_mem_alloc(cts::device(), 512, OHAL_MEM_KIND_DEVICE, 0, &ptr));
  REQUIRE_OK(ohal_mem_free(ptr));
  ohal_pointer_attributes_t a = OHAL_POINTER_ATTRIBUTES_INIT;
  REQUIRE_OK(ohal_pointer_get_attributes(ptr, &a));
  CHECK(a.is_registered == 0u);
}

TEST_CASE("pointer: get_attributes checks its arguments", "[pointer][errors]") {
  cts::Buffer b(64);
  ohal_pointer_attributes_t a = OHAL_POINTER_ATTRIBUTES_INIT;
  CHECK_RESULT(ohal_pointer_get_attributes(nullptr, &a), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_pointer_get_attributes(b.get(), nullptr), OHAL_ERROR_NULL_POINTER);
  a.struct_size = 0;
  CHECK_RESULT(ohal_pointer_get_attributes(b.get(), &a), OHAL_ERROR_STRUCT_SIZE);
  CHECK(a.base == nullptr);
}
