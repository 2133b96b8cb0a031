#version 460
// cts_inc(uint32_t* counter): the first thread does counter[0] += 1, not atomically: only
// stream order makes repeated launches exact.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args { CtsU32 counter; } args;
void main() {
  if (cts_is_first_thread()) args.counter.v[0] += 1u;
}
