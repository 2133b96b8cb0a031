#version 460
// cts_spin(uint32_t* out, uint32_t iterations, uint32_t value): the first thread applies lcg()
// `iterations` times to value, then writes out[1] = x, out[0] = value.
// The steps are unrolled 1024 at a time: lavapipe (Mesa 22.3) ends a shader's loops once they
// took 65535 back-edges in total (LP_MAX_TGSI_LOOP_ITERATIONS, one budget per invocation, not
// per loop), and the ordering tests run 20 million steps. This runs up to about 67 million.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  CtsU32 out_;
  uint iterations;
  uint value;
} args;
#define STEP x = x * CTS_LCG_MUL + CTS_LCG_ADD;
#define STEP8 STEP STEP STEP STEP STEP STEP STEP STEP
#define STEP32 STEP8 STEP8 STEP8 STEP8
#define STEP256 STEP32 STEP32 STEP32 STEP32 STEP32 STEP32 STEP32 STEP32
#define STEP1024 STEP256 STEP256 STEP256 STEP256
void main() {
  if (!cts_is_first_thread()) return;
  uint x = args.value;
  const uint n = args.iterations;
  for (uint k = 0u; k < n / 1024u; ++k) { STEP1024 }
  for (uint k = 0u; k < (n % 1024u) / 32u; ++k) { STEP32 }
  for (uint k = 0u; k < n % 32u; ++k) { STEP }
  args.out_.v[1] = x;
  args.out_.v[0] = args.value;
}
