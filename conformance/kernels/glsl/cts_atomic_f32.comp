#version 460
// cts_atomic_f32(uint32_t n, float* f): f[0] += 0.5 atomically for every gx < n. A
// compare-and-swap loop on the float's bits: core Vulkan, unlike VK_EXT_shader_atomic_float,
// so this kernel keeps the one CTS module loadable on every device.
#include "cts_glsl.h"
layout(push_constant, std430) uniform Args {
  uint n;
  CtsU32 f;  // float*: the bits are exchanged as uint
} args;
void main() {
  if (cts_gx() >= args.n) return;
  uint cur = atomicAdd(args.f.v[0], 0u);
  for (;;) {
    const uint next = floatBitsToUint(uintBitsToFloat(cur) + 0.5);
    const uint prev = atomicCompSwap(args.f.v[0], cur, next);
    if (prev == cur) break;
    cur = prev;
  }
}
