// Elapsed time between two device timestamps that wrap at `valid_bits`.
#pragma once

#include <cstdint>

namespace ohal::ze {

// Milliseconds from `start` to `end`, ticks of `ns_per_tick` nanoseconds, counters of
// `valid_bits` bits (ze_device_properties_t.kernelTimestampValidBits). The difference is taken
// modulo 2^valid_bits and read as signed, so a counter that wrapped between the two still gives
// the short positive span, and an end before its start gives a negative one.
double timestamp_delta_ms(uint64_t start, uint64_t end, uint32_t valid_bits, double ns_per_tick);

}  // namespace ohal::ze
