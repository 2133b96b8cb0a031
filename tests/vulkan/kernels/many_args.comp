#version 460
// many_args(float* out, uint a[16], float f, float* extra, uint pad[12]): 136 bytes of
// arguments, more than push constants portably hold (128), so they come through a readonly
// argument block the push constants point to.
// out[0] = sum(a), out[1] = f, out[2] = extra[0], out[3] = pad[11].
#extension GL_EXT_buffer_reference : require
layout(local_size_x = 1) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
layout(buffer_reference, std430, buffer_reference_align = 8) readonly buffer OhalArgs {
  Floats out_;
  uint a[16];
  float f;
  Floats extra;
  uint pad[12];
};
layout(push_constant, std430) uniform Push { OhalArgs ohal_args; };
void main() {
  uint s = 0;
  for (int k = 0; k < 16; ++k) s += ohal_args.a[k];
  ohal_args.out_.v[0] = float(s);
  ohal_args.out_.v[1] = ohal_args.f;
  ohal_args.out_.v[2] = ohal_args.extra.v[0];
  ohal_args.out_.v[3] = float(ohal_args.pad[11]);
}
