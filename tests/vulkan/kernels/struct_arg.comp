#version 460
// struct_arg(float* out, Vec3 v, uint scale): out[0..2] = v * scale (a struct by value).
#extension GL_EXT_buffer_reference : require
layout(local_size_x = 1) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Floats { float v[]; };
struct Vec3 { float x, y, z; };
layout(push_constant, std430) uniform Args {
  Floats out_;
  Vec3 v;
  uint scale;
} args;
void main() {
  args.out_.v[0] = args.v.x * float(args.scale);
  args.out_.v[1] = args.v.y * float(args.scale);
  args.out_.v[2] = args.v.z * float(args.scale);
}
