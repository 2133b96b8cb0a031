#version 450
// Fills the bytes `mask` selects in up to two 32-bit words with `pattern`: the unaligned ends of
// an 8/16-bit memset (vkCmdFillBuffer covers the whole words between them). Two atomics per
// word leave the word's other bytes untouched even if other work writes them.
#extension GL_EXT_buffer_reference : require
layout(local_size_x = 2) in;
layout(buffer_reference, std430, buffer_reference_align = 4) buffer Word { uint value; };
layout(push_constant, std430) uniform Args {
  Word words[2];
  uint masks[2];
  uint pattern;
  uint count;
} args;
void main() {
  const uint i = gl_LocalInvocationID.x;
  if (i >= args.count) return;
  atomicAnd(args.words[i].value, ~args.masks[i]);
  atomicOr(args.words[i].value, args.pattern & args.masks[i]);
}
