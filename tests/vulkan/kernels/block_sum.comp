#version 460
// block_sum(const uint* in, uint* out): out[block] = sum of 64 elements through a static
// shared array (64 uints, 256 bytes) and barrier(); fixed block of 64 threads.
#extension GL_EXT_buffer_reference : require
layout(local_size_x = 64) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Uints { uint v[]; };
layout(push_constant, std430) uniform Args {
  Uints in_;
  Uints out_;
} args;
shared uint values[64];
void main() {
  const uint t = gl_LocalInvocationID.x;
  values[t] = args.in_.v[gl_GlobalInvocationID.x];
  barrier();
  if (t == 0) {
    uint s = 0;
    for (uint k = 0; k < 64; ++k) s += values[k];
    args.out_.v[gl_WorkGroupID.x] = s;
  }
}
