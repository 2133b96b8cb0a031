#include <catch2/catch.hpp>

#include "ze_timestamp.h"

using namespace ohal::ze;

TEST_CASE("timestamp differences scale ticks to milliseconds", "[ze][timestamp]") {
  CHECK(timestamp_delta_ms(1000, 3000, 64, 1.0) == Approx(0.002));
  CHECK(timestamp_delta_ms(0, 1'000'000, 32, 52.083) == Approx(52.083));
  CHECK(timestamp_delta_ms(5, 5, 32, 10.0) == 0.0);
}

TEST_CASE("a counter that wrapped between the events still gives the short span",
          "[ze][timestamp]") {
  // 32 valid bits: start just below the wrap, end just after it.
  CHECK(timestamp_delta_ms(0xFFFFFF00u, 0x100u, 32, 1.0) == Approx(512e-6));
  // Bits above valid_bits are garbage and must be ignored.
  CHECK(timestamp_delta_ms(0xABCD'0000'0000'0010ull, 0x1234'0000'0000'0020ull, 32, 1.0) ==
        Approx(16e-6));
}

TEST_CASE("an end before its start gives a negative span", "[ze][timestamp]") {
  CHECK(timestamp_delta_ms(3000, 1000, 64, 1.0) == Approx(-0.002));
  CHECK(timestamp_delta_ms(0x100u, 0xFFFFFF00u, 32, 1.0) == Approx(-512e-6));
}
