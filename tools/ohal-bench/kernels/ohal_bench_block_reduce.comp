#version 460
// ohal_bench_block_reduce(uint32_t n, uint32_t items, const float* x, float* partial): block b
// sums x[b * 256 * items, (b + 1) * 256 * items) into partial[b]: each thread adds `items`
// elements strided by the block size, then the block folds its 256 sums in shared memory
// (bench_kernels.cpp's kernel of that name; the block size must be 256).
#extension GL_EXT_buffer_reference : require
layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) readonly buffer FloatsIn { float v[]; };
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(push_constant, std430) uniform Args {
  uint n;
  uint items;
  FloatsIn x;
  Floats partial;
} args;
shared float sums[256];
void main() {
  const uint t = gl_LocalInvocationID.x;
  const uint block = gl_WorkGroupSize.x;
  const uint begin = gl_WorkGroupID.x * block * args.items;
  // Elements left from `begin` on (begin < n for every block of the launch): no overflow.
  const uint left = begin < args.n ? args.n - begin : 0u;
  float sum = 0.0;
  for (uint k = 0u; k < args.items; ++k) {
    const uint offset = k * block + t;
    if (offset < left) sum += args.x.v[begin + offset];
  }
  sums[t] = sum;
  barrier();
  for (uint stride = block / 2u; stride > 0u; stride /= 2u) {
    if (t < stride) sums[t] += sums[t + stride];
    barrier();
  }
  if (t == 0u) args.partial.v[gl_WorkGroupID.x] = sums[0];
}
