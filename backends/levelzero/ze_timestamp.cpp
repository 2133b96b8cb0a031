#include "ze_timestamp.h"

namespace ohal::ze {

double timestamp_delta_ms(uint64_t start, uint64_t end, uint32_t valid_bits, double ns_per_tick) {
  if (valid_bits == 0 || valid_bits > 64) valid_bits = 64;
  const uint64_t mask = valid_bits == 64 ? ~uint64_t{0} : (uint64_t{1} << valid_bits) - 1;
  const uint64_t delta = (end - start) & mask;
  const uint64_t half = uint64_t{1} << (valid_bits - 1);
  // Two's complement within valid_bits: values at or above half are negative spans.
  const double ticks =
      delta >= half ? -static_cast<double>((mask - delta) + 1) : static_cast<double>(delta);
  return ticks * ns_per_tick / 1.0e6;
}

}  // namespace ohal::ze
