// Device enumeration, properties and device-wide synchronization.
#include <string>

#include "cts.hpp"

namespace {

bool is_power_of_two(uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

}  // namespace

TEST_CASE("device: count and get", "[device]") {
  cts::ensure_initialized();
  uint32_t count = 0;
  REQUIRE_OK(ohal_device_count(&count));
  REQUIRE(count > cts::device_index());
  for (uint32_t i = 0; i < count; ++i) {
    ohal_device_t dev = nullptr;
    REQUIRE_OK(ohal_device_get(i, &dev));
    CHECK(dev != nullptr);
  }
  ohal_device_t dev = nullptr;
  CHECK_RESULT(ohal_device_get(count, &dev), OHAL_ERROR_NO_DEVICE);
  CHECK_RESULT(ohal_device_get(0xffffffffu, &dev), OHAL_ERROR_NO_DEVICE);
  CHECK(dev == nullptr);  // outputs are written only on success
  CHECK_RESULT(ohal_device_count(nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_device_get(0, nullptr), OHAL_ERROR_NULL_POINTER);
}

TEST_CASE("device: properties are complete and consistent", "[device]") {
  const ohal_device_properties_t& p = cts::props();
  INFO("device " << p.name << " (" << p.backend << ":" << p.backend_device_index << ")");
  CHECK(p.struct_size == sizeof(ohal_device_properties_t));
  CHECK(std::string(p.name).size() > 0);
  CHECK(std::string(p.vendor).size() > 0);
  CHECK(std::string(p.backend).size() > 0);
  CHECK(static_cast<uint32_t>(p.type) <= static_cast<uint32_t>(OHAL_DEVICE_TYPE_OTHER));
  CHECK(p.total_memory > 0);
  CHECK(p.free_memory <= p.total_memory);
  CHECK(p.max_allocation_size > 0);
  for (int d = 0; d < 3; ++d) {
    CHECK(p.max_block_dims[d] >= 1);
    CHECK(p.max_grid_dims[d] >= 1);
  }
  CHECK(p.max_threads_per_block >= 1);
  CHECK(static_cast<uint64_t>(p.max_threads_per_block) <=
        static_cast<uint64_t>(p.max_block_dims[0]) * p.max_block_dims[1] * p.max_block_dims[2]);
  CHECK(p.max_kernel_arg_bytes >= 128);  // the CTS's largest argument block is 88 bytes
  CHECK(p.subgroup_size >= 1);
  CHECK(p.compute_units >= 1);
  CHECK(p.kernel_formats != 0);
  CHECK((p.kernel_formats >> OHAL_KERNEL_FORMAT_COUNT_) == 0);
  CHECK(is_power_of_two(p.memory_alignment));
  const bool pci_unknown = p.pci_domain == 0xffffffffu && p.pci_bus == 0xffffffffu &&
                           p.pci_device == 0xffffffffu && p.pci_function == 0xffffffffu;
  const bool pci_known = p.pci_bus <= 0xffu && p.pci_device <= 0x1fu && p.pci_function <= 7u;
  CHECK((pci_unknown || pci_known));
}

TEST_CASE("device: get_properties checks its arguments", "[device][errors]") {
  ohal_device_t dev = cts::device();
  ohal_device_properties_t p = OHAL_DEVICE_PROPERTIES_INIT;
  CHECK_RESULT(ohal_device_get_properties(dev, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_device_get_properties(nullptr, &p), OHAL_ERROR_INVALID_HANDLE);
  int garbage[16] = {};
  CHECK_RESULT(ohal_device_get_properties(reinterpret_cast<ohal_device_t>(garbage), &p),
               OHAL_ERROR_INVALID_HANDLE);
  // A stream handle is not a device handle.
  cts::Stream stream;
  CHECK_RESULT(ohal_device_get_properties(reinterpret_cast<ohal_device_t>(stream.get()), &p),
               OHAL_ERROR_INVALID_HANDLE);
  p.struct_size = 0;
  CHECK_RESULT(ohal_device_get_properties(dev, &p), OHAL_ERROR_STRUCT_SIZE);
  p.struct_size = sizeof(size_t);
  CHECK_RESULT(ohal_device_get_properties(dev, &p), OHAL_ERROR_STRUCT_SIZE);
}

TEST_CASE("device: mem_get_info agrees with the properties", "[device][memory]") {
  const ohal_device_properties_t& p = cts::props();
  uint64_t free_bytes = 0, total_bytes = 0;
  REQUIRE_OK(ohal_mem_get_info(cts::device(), &free_bytes, &total_bytes));
  CHECK(total_bytes == p.total_memory);
  CHECK(free_bytes <= total_bytes);
  CHECK_RESULT(ohal_mem_get_info(cts::device(), nullptr, &total_bytes), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_mem_get_info(cts::device(), &free_bytes, nullptr), OHAL_ERROR_NULL_POINTER);
  CHECK_RESULT(ohal_mem_get_info(nullptr, &free_bytes, &total_bytes), OHAL_ERROR_INVALID_HANDLE);
}

TEST_CASE("device: synchronize waits for every stream of the device", "[device]") {
  CTS_KERNEL(spin, "cts_spin");
  cts::Stream a, b;
  cts::Buffer out_a(8), out_b(8);
  const uint32_t iterations = cts::spin_iterations();
  REQUIRE_OK(cts::launch(a, spin, {}, {}, 0, out_a.get(), iterations, 11u));
  REQUIRE_OK(cts::launch(b, spin, {}, {}, 0, out_b.get(), iterations, 22u));
  REQUIRE_OK(ohal_device_synchronize(cts::device()));
  CHECK_OK(ohal_stream_query(a));
  CHECK_OK(ohal_stream_query(b));
  CHECK_SAME(cts::download<uint32_t>(a, out_a.get(), 2),
             std::vector<uint32_t>{11u, cts::lcg_power(11u, iterations)});
  CHECK_SAME(cts::download<uint32_t>(b, out_b.get(), 2),
             std::vector<uint32_t>{22u, cts::lcg_power(22u, iterations)});
  CHECK_OK(ohal_device_synchronize(cts::device()));  // idle device
  CHECK_RESULT(ohal_device_synchronize(nullptr), OHAL_ERROR_INVALID_HANDLE);
}
