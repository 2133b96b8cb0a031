#!/usr/bin/env bash
# device-check.sh OUTDIR: the checks for a machine with an NVIDIA GPU, in one run under 8 minutes.
#
#   1. configure + build (Release, -j$(nproc), the cuda backend forced ON)
#   2. ohal-info
#   3. the conformance suite on cuda (and on vulkan when the NVIDIA Vulkan ICD is installed)
#   4. ohal-bench on cuda
#
# Everything printed goes to OUTDIR/console.txt too; the reports are OUTDIR/cts-cuda.{xml,json},
# OUTDIR/cts-vulkan.{xml,json} and OUTDIR/bench-cuda.json. Exit status: 0 all passed, 1 a step
# failed, 2 no CUDA driver or device (nothing measured), 64 usage.
# Environment: BUILD_DIR (default build-device-check), DEVICE_CHECK_BUDGET_S (default 470).
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 64
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1" || exit 64
out=$(cd "$1" && pwd)
build=${BUILD_DIR:-$repo/build-device-check}
budget=${DEVICE_CHECK_BUDGET_S:-470}  # the whole run stays under 8 minutes
start=$(date +%s)
deadline=$((start + budget))
: >"$out/console.txt"
exec > >(tee -a "$out/console.txt") 2>&1
tee_pid=$!

log() { printf '[%s +%3ds] %s\n' "$(date -u +%H:%M:%S)" "$(($(date +%s) - start))" "$*"; }
failed=()
summary=()

# step NAME MAX_SECONDS COMMAND...: runs under `timeout`, capped by what is left of the budget.
step() {
  local name=$1 max=$2
  shift 2
  local left=$((deadline - $(date +%s)))
  if [ "$left" -lt 10 ]; then
    log "SKIP $name: the ${budget}s budget is spent"
    failed+=("$name (no time left)")
    summary+=("$(printf '%-24s %-8s %5s' "$name" "no-time" "-")")
    return 1
  fi
  local limit=$((max < left ? max : left))
  log "START $name (limit ${limit}s): $*"
  local t0=$(date +%s)
  timeout -k 10 "$limit" "$@"
  local rc=$?
  local took=$(($(date +%s) - t0))
  if [ $rc -eq 0 ]; then
    log "OK    $name (${took}s)"
    summary+=("$(printf '%-24s %-8s %4ds' "$name" "ok" "$took")")
  else
    [ $rc -eq 124 ] && log "TIMEOUT $name after ${limit}s"
    log "FAIL  $name: exit $rc (${took}s)"
    failed+=("$name (exit $rc)")
    summary+=("$(printf '%-24s %-8s %4ds' "$name" "exit $rc" "$took")")
  fi
  return $rc
}

finish() {
  log "---- summary ----"
  local line
  for line in "${summary[@]}"; do log "  $line"; done
  if [ "$1" -eq 2 ]; then
    log "RESULT: NO CUDA DEVICE - nothing was measured on this machine"
  elif [ ${#failed[@]} -eq 0 ]; then
    log "RESULT: all steps passed; reports in $out"
  else
    log "RESULT: FAILED: ${failed[*]}"
  fi
  exec >&- 2>&-
  wait "$tee_pid" 2>/dev/null  # console.txt complete before we return
  exit "$1"
}

log "device-check: repo $repo, output $out, build $build, budget ${budget}s"
log "host $(hostname), $(nproc) cores, commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"

# ---- 0. is there an NVIDIA driver and a device at all? ------------------------------------------
cuda_device=yes
if command -v nvidia-smi >/dev/null 2>&1; then
  timeout 30 nvidia-smi --query-gpu=index,name,driver_version,memory.total,pci.bus_id \
    --format=csv || cuda_device=no
else
  log "nvidia-smi not found"
fi
driver_lib=$(ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 /{print $NF; exit}')
if [ -z "$driver_lib" ]; then
  log "NO CUDA DRIVER: libcuda.so.1 is not installed (ldconfig -p has no libcuda.so.1)"
  cuda_device=no
else
  log "CUDA driver library: $driver_lib"
fi
if [ "$cuda_device" = no ]; then
  log "NO CUDA DEVICE on this machine: building and running ohal-info only, to show why"
fi

# ---- 1. configure and build --------------------------------------------------------------------
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
# No -Werror: a new compiler warning must not cost the run its measurements.
step configure 150 cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DOHAL_BACKEND_CUDA=ON -DOHAL_WERROR=OFF || finish 1
targets=()
available=$(cmake --build "$build" --target help 2>/dev/null)
wanted=(ohal-info ohal_cuda ohal_cpu_ref ohal_vulkan)
[ "$cuda_device" = yes ] && wanted+=(ohal-cts ohal-bench)
for t in "${wanted[@]}"; do
  grep -qE "(^|[ /])$t(:|$| )" <<<"$available" && targets+=(--target "$t")
done
step build 300 cmake --build "$build" -j"$(nproc)" "${targets[@]}" || finish 1

# ---- 2. what the HAL sees --------------------------------------------------------------------
export OHAL_LOG=info
step ohal-info 60 "$build/bin/ohal-info"
unset OHAL_LOG
if [ "$cuda_device" = yes ] && ! OHAL_BACKENDS=cuda timeout 60 "$build/bin/ohal-info" 2>/dev/null |
  grep -q "(cuda:0)"; then
  log "NO CUDA DEVICE: the cuda backend reports no device (see ohal-info above)"
  cuda_device=no
fi
[ "$cuda_device" = no ] && finish 2

# ---- 3. conformance --------------------------------------------------------------------------
step cts-cuda 200 "$build/bin/ohal-cts" --backend cuda --junit "$out/cts-cuda.xml" \
  --json "$out/cts-cuda.json"
icd=""
for f in /etc/vulkan/icd.d/nvidia_icd*.json /usr/share/vulkan/icd.d/nvidia_icd*.json; do
  [ -e "$f" ] && icd=$f && break
done
if [ -n "$icd" ]; then
  log "NVIDIA Vulkan ICD: $icd"
  step cts-vulkan 120 env VK_ICD_FILENAMES="$icd" "$build/bin/ohal-cts" --backend vulkan \
    --junit "$out/cts-vulkan.xml" --json "$out/cts-vulkan.json"
else
  log "no NVIDIA Vulkan ICD (nvidia_icd.json): vulkan conformance skipped"
fi

# ---- 4. benchmarks ---------------------------------------------------------------------------
step bench-cuda 150 "$build/bin/ohal-bench" --backend cuda --json "$out/bench-cuda.json"

[ ${#failed[@]} -eq 0 ] && finish 0
finish 1
