#!/usr/bin/env python3
"""Checks that a kernel bundle holds one HSACO image built for every --arch with every --kernel.

  check_hip_bundle.py BUNDLE --arch gfx90a --arch gfx1030 --kernel cts_noop ...
"""
import argparse
import struct
import sys

HSACO = 5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bundle")
    parser.add_argument("--arch", action="append", default=[])
    parser.add_argument("--kernel", action="append", default=[])
    args = parser.parse_args()
    data = open(args.bundle, "rb").read()
    magic, version, count, total = struct.unpack_from("<8sIIQ", data, 0)
    if magic != b"OHALBNDL" or version != 1 or total != len(data):
        sys.exit(f"{args.bundle}: not a version-1 bundle")
    images = []
    for i in range(count):
        fmt, _flags, _target, offset, size = struct.unpack_from("<II32sQQ", data, 24 + i * 56)
        if fmt == HSACO:
            images.append(data[offset:offset + size])
    if len(images) != 1:
        sys.exit(f"expected one HSACO image, found {len(images)}")
    image = images[0]
    missing = [a for a in args.arch if a.encode() not in image]
    missing += [k for k in args.kernel if (k.encode() + b"\0") not in image]
    if missing:
        sys.exit("HSACO image lacks: " + ", ".join(missing))
    print(f"HSACO image of {len(image)} bytes has {len(args.arch)} architectures and "
          f"{len(args.kernel)} kernels")


if __name__ == "__main__":
    main()
