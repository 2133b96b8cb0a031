// Sample OpenCL C kernels for ohal_add_spirv_opencl's test: the HAL's argument conventions
// (scalars by value, pointers as __global) and dynamic shared memory as a trailing __local
// parameter.
__kernel void saxpy(uint n, float a, __global const float* x, __global float* y) {
  const uint i = get_global_id(0);
  if (i < n) y[i] = a * x[i] + y[i];
}

__kernel void block_sum(uint n, __global const int* in, __global int* out, __local int* scratch) {
  const uint lid = get_local_id(0);
  const uint gid = get_global_id(0);
  scratch[lid] = gid < n ? in[gid] : 0;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (uint stride = get_local_size(0) / 2; stride > 0; stride /= 2) {
    if (lid < stride) scratch[lid] += scratch[lid + stride];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (lid == 0) out[get_group_id(0)] = scratch[0];
}
