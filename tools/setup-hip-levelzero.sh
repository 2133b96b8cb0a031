#!/usr/bin/env bash
# Installs the Debian packages the HIP and Level Zero backends build and test against (no AMD or
# Intel GPU needed): HIP 5.2 headers, runtime and hiprtc, hipcc, the Level Zero loader and
# headers, and the OpenCL C -> SPIR-V toolchain for SPIRV_OPENCL kernels.
#
#   tools/setup-hip-levelzero.sh           install what is missing (apt-get; sudo when not root)
#   tools/setup-hip-levelzero.sh --list    print the package names and exit
#
# Never add intel-opencl-icd: with it installed and no Intel GPU present, zeInit crashes.
set -euo pipefail

PACKAGES=(
  libamdhip64-dev  # hip/hip_runtime_api.h, hiprtc.h; pulls libamdhip64-5 (runtime + hiprtc)
  hipcc            # hipcc --genco for HSACO kernels
  libze-dev        # level_zero/ze_api.h; pulls libze1 (libze_loader.so.1)
  clang-14         # OpenCL C -> LLVM bitcode (must match llvm-spirv-14's LLVM)
  llvm-spirv-14    # LLVM bitcode -> SPIR-V
  spirv-tools      # spirv-val checks every SPIR-V module the build makes
)
FORBIDDEN=(intel-opencl-icd)

if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${PACKAGES[@]}"
  exit 0
fi

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  echo "setup-hip-levelzero: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  # Everything the builds need is a Depends of these packages; recommends add nothing used.
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup-hip-levelzero: all packages present"
fi

for package in "${FORBIDDEN[@]}"; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    echo "setup-hip-levelzero: $package is installed; it makes zeInit crash on machines" \
         "without an Intel GPU. Remove it: apt-get remove $package" >&2
    exit 1
  fi
done
