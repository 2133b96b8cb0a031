#!/usr/bin/env python3
"""Lists the images of a kernel bundle (include/openai_hal/bundle.h, version 1) and checks that
the CUDA ones are there and real: each --expect FORMAT@TARGET present exactly once, a CUBIN an
ELF for the CUDA machine (e_machine 190) whose architecture matches its target, a PTX text whose
.target matches, and every --kernel name present in each of them.

  check_cuda_bundle.py BUNDLE --expect cubin@sm_90 --expect ptx@compute_75 --kernel cts_noop
Exit status 0 when every check passed, 1 otherwise (each failure printed).
"""
import argparse
import re
import struct
import sys

FORMATS = ["native_so", "ptx", "cubin", "fatbin", "cuda_source", "hsaco", "hip_source",
           "spirv_opencl", "spirv_vulkan"]
HEADER = struct.Struct("<8sIIQ")          # magic, version, entry_count, total_size
ENTRY = struct.Struct("<II32sQQ")         # format, flags, target, offset, size
EM_CUDA = 190


def read_bundle(data):
    magic, version, count, total = HEADER.unpack_from(data, 0)
    if magic != b"OHALBNDL" or version != 1 or total != len(data):
        raise ValueError(f"not a version-1 bundle of {len(data)} bytes "
                         f"(magic {magic!r}, version {version}, total_size {total})")
    images = []
    for i in range(count):
        fmt, _flags, target, offset, size = ENTRY.unpack_from(data, HEADER.size + i * ENTRY.size)
        if fmt >= len(FORMATS) or offset + size > len(data):
            raise ValueError(f"entry {i}: format {fmt}, bytes [{offset}, {offset + size}) "
                             f"outside the {len(data)}-byte bundle")
        images.append((FORMATS[fmt], target.split(b"\0", 1)[0].decode(),
                       data[offset:offset + size]))
    return images


def check_cubin(target, image, kernels):
    problems = []
    if image[:4] != b"\x7fELF" or len(image) < 64:
        return ["not an ELF image"]
    (machine,) = struct.unpack_from("<H", image, 18)
    (flags,) = struct.unpack_from("<I", image, 48)
    if machine != EM_CUDA:
        problems.append(f"e_machine {machine}, expected {EM_CUDA} (CUDA)")
    # The SM number sits in e_flags: bits 0-7 in the older CUDA ELF ABI, bits 8-15 in the newer.
    sm = re.fullmatch(r"sm_(\d+)a?", target)
    if sm and int(sm.group(1)) not in (flags & 0xFF, (flags >> 8) & 0xFF):
        problems.append(f"e_flags 0x{flags:x} name no {target}")
    for kernel in kernels:
        if kernel.encode() + b"\0" not in image:
            problems.append(f"no symbol {kernel}")
    return problems


def check_ptx(target, image, kernels):
    text = image.rstrip(b"\0").decode("ascii", "replace")
    problems = []
    arch = re.search(r"^\s*\.target\s+(\w+)", text, re.M)
    want = target.replace("compute_", "sm_")
    if not arch:
        problems.append("no .target line")
    elif target and arch.group(1) != want:
        problems.append(f".target {arch.group(1)}, expected {want}")
    for kernel in kernels:
        if not re.search(r"\.entry\s+" + re.escape(kernel) + r"\s*\(", text):
            problems.append(f"no .entry {kernel}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle")
    parser.add_argument("--expect", action="append", default=[], help="FORMAT@TARGET")
    parser.add_argument("--kernel", action="append", default=[], help="a kernel every CUDA "
                        "image must hold")
    args = parser.parse_args()
    try:
        with open(args.bundle, "rb") as f:
            images = read_bundle(f.read())
    except (OSError, ValueError, struct.error) as e:
        print(f"FAIL: {args.bundle}: {e}")
        return 1
    print(f"{args.bundle}: {len(images)} images")
    for fmt, target, image in images:
        print(f"  {fmt}@{target}: {len(image)} bytes")
    failures = []
    for spec in args.expect:
        fmt, _, target = spec.partition("@")
        found = [img for f, t, img in images if f == fmt and t == target]
        if len(found) != 1:
            failures.append(f"{spec}: found {len(found)} times, expected once")
            continue
        check = {"cubin": check_cubin, "ptx": check_ptx}.get(fmt)
        for problem in check(target, found[0], args.kernel) if check else []:
            failures.append(f"{spec}: {problem}")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print(f"OK: {', '.join(args.expect)} present, each with the {len(args.kernel)} kernels "
              "checked")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
