// Failures inside kernels: ohal_trap, divergent barriers, shared memory overflow; sticky errors.
#include <string>

#include "fixture.h"

using namespace cpu_ref_test;

namespace {
std::string last_error() {
  return ohal_last_error_message();
}
}  // namespace

TEST_CASE("cpu_ref: ohal_trap fails the launch and the stream stays failed", "[cpu_ref][errors]") {
  Stream bad, good;
  Event before, after;
  Buffer d(64 * 1024 * 4);
  // A slow kernel first: everything below is queued before the trap happens.
  OHAL_OK(
      launch(bad, kernel("slow_fill"), {1}, {1}, 0, spin_iterations(30), 1u, 0u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(before, bad));
  OHAL_OK(launch(bad, kernel("trap_at"), {1024}, {64}, 0, 2u, 3u, d.as<uint32_t>()));
  OHAL_OK(ohal_event_record(after, bad));
  CHECK(ohal_stream_synchronize(bad) == OHAL_ERROR_LAUNCH_FAILED);
  const std::string message = last_error();
  INFO(message);
  CHECK(message.find("trap_at") != std::string::npos);
  CHECK(message.find("block (2,0,0)") != std::string::npos);
  CHECK(message.find("thread (3,0,0)") != std::string::npos);

  // Every later call on the stream reports it; events recorded after it too.
  CHECK(ohal_stream_query(bad) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(last_error().find("trap_at") != std::string::npos);
  CHECK(ohal_stream_synchronize(bad) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(launch(bad, kernel("empty"), {1}, {1}, 0) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(ohal_memset_async(bad, d.get(), 0, 4, 16) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(ohal_event_record(before, bad) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(ohal_event_query(after) == OHAL_ERROR_LAUNCH_FAILED);
  CHECK(last_error().find("trap_at") != std::string::npos);
  CHECK(ohal_event_synchronize(after) == OHAL_ERROR_LAUNCH_FAILED);
  OHAL_OK(ohal_event_synchronize(before));  // recorded before the failure
  CHECK(ohal_device_synchronize(env().device) == OHAL_ERROR_LAUNCH_FAILED);

  // Other streams are not affected.
  OHAL_OK(launch(good, kernel("add_one"), {1}, {16}, 0, 16u, d.as<uint32_t>()));
  OHAL_OK(ohal_stream_synchronize(good));

  CHECK(bad.destroy() == OHAL_ERROR_LAUNCH_FAILED);
  OHAL_OK(ohal_device_synchronize(env().device));
}

TEST_CASE("cpu_ref: ohal_trap on a fiber, between barriers", "[cpu_ref][errors][barrier]") {
  for (uint32_t trap_thread : {0u, 1u, 200u, 255u}) {
    Stream s;
    Buffer d(4 * 256 * 4);
    OHAL_OK(launch(s, kernel("trap_after_barrier"), {4}, {256}, 0, trap_thread, d.as<uint32_t>()));
    CHECK(ohal_stream_synchronize(s) == OHAL_ERROR_LAUNCH_FAILED);
    const std::string message = last_error();
    INFO(message);
    CHECK(message.find("trap_after_barrier") != std::string::npos);
    CHECK(message.find("thread (" + std::to_string(trap_thread) + ",0,0)") != std::string::npos);
    CHECK(s.destroy() == OHAL_ERROR_LAUNCH_FAILED);
  }
  // The workers are fine afterwards: barriers still work.
  Stream s;
  Buffer d(4 * 8);
  OHAL_OK(launch(s, kernel("early_exit_reduce"), {4}, {256}, 0, 256u, d.as<uint64_t>()));
  OHAL_OK(ohal_stream_synchronize(s));
  const auto out = download<uint64_t>(d.get(), 4);
  CHECK(std::count(out.begin(), out.end(), uint64_t{256 * 257 / 2}) == 4);
}

TEST_CASE("cpu_ref: a divergent barrier fails the launch", "[cpu_ref][errors][barrier]") {
  Stream s;
  Buffer d(3 * 32 * 4);
  OHAL_OK(launch(s, kernel("divergent_barrier"), {3}, {32}, 0, d.as<uint32_t>()));
  CHECK(ohal_stream_synchronize(s) == OHAL_ERROR_LAUNCH_FAILED);
  const std::string message = last_error();
  INFO(message);
  CHECK(message.find("divergent_barrier") != std::string::npos);
  CHECK(message.find("divergent") != std::string::npos);
  CHECK(message.find("thread (1,0,0)") != std::string::npos);
  CHECK(s.destroy() == OHAL_ERROR_LAUNCH_FAILED);
}

TEST_CASE("cpu_ref: static plus dynamic shared memory beyond the limit is rejected",
          "[cpu_ref][errors][shared]") {
  ohal_kernel_properties_t p = OHAL_KERNEL_PROPERTIES_INIT;
  OHAL_OK(ohal_kernel_get_properties(kernel("shared_hog"), &p));
  CHECK(p.static_shared_bytes == 60 * 1024);
  Stream s;
  Buffer d(64);
  CHECK(launch(s, kernel("shared_hog"), {1}, {4}, 8 * 1024, d.as<uint32_t>()) ==
        OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  // With 4 KiB of dynamic shared memory it fits exactly.
  OHAL_OK(launch(s, kernel("shared_hog"), {1}, {4}, 4 * 1024, d.as<uint32_t>()));
  OHAL_OK(ohal_stream_synchronize(s));
  CHECK(d.as<uint32_t>() != nullptr);
  CHECK(download<uint32_t>(d.get(), 1)[0] == 1u);
}

TEST_CASE("cpu_ref: wrong argument count or sizes are rejected", "[cpu_ref][errors]") {
  Stream s;
  Buffer d(64);
  const uint32_t n = 4;
  CHECK(launch(s, kernel("add_one"), {1}, {1}, 0, n) == OHAL_ERROR_INVALID_KERNEL_ARGS);
  CHECK(launch(s, kernel("add_one"), {1}, {1}, 0, n, d.as<uint32_t>(), n) ==
        OHAL_ERROR_INVALID_KERNEL_ARGS);
  const uint64_t wide = 4;
  CHECK(launch(s, kernel("add_one"), {1}, {1}, 0, wide, d.as<uint32_t>()) ==
        OHAL_ERROR_INVALID_KERNEL_ARGS);
  CHECK(launch(s, kernel("add_one"), {1}, {2048}, 0, n, d.as<uint32_t>()) ==
        OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  CHECK(launch(s, kernel("add_one"), {1}, {1}, 65 * 1024, n, d.as<uint32_t>()) ==
        OHAL_ERROR_INVALID_LAUNCH_CONFIG);
  // Rejected launches leave the stream healthy.
  OHAL_OK(launch(s, kernel("add_one"), {1}, {4}, 0, n, d.as<uint32_t>()));
  OHAL_OK(ohal_stream_synchronize(s));
}
