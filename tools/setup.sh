#!/usr/bin/env bash
# Installs the Debian packages openai_hal needs to build and test. Idempotent: when every
# package is present it changes nothing and needs no network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config python3 git
  libfmt-dev catch2 libboost-context-dev libbenchmark-dev
  # Vulkan backend and its CI device (lavapipe), GLSL and SPIR-V tools, validation layers.
  libvulkan-dev mesa-vulkan-drivers glslc spirv-tools vulkan-validationlayers vulkan-tools
  # HIP and Level Zero backends (build only; never intel-opencl-icd: it makes zeInit crash
  # on machines without an Intel GPU).
  libamdhip64-dev hipcc libze-dev clang-14 llvm-spirv-14
  # OpenCL on the CPU, a reference to compare against.
  pocl-opencl-icd ocl-icd-opencl-dev
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
