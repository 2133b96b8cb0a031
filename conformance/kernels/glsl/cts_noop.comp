#version 460
// cts_noop(): does nothing.
#include "cts_glsl.h"
void main() {}
