#!/usr/bin/env bash
# device-check.sh OUTDIR: the checks for a machine with an NVIDIA GPU, in one run under 8 minutes
# (sized for an H200 host with 16 cores).
#
#   0. what is there: nvidia-smi, libcuda, nvcc, the NVIDIA Vulkan ICD
#   1. configure + build (Release, -j$(nproc), cuda ON, hip and levelzero OFF) only the targets
#      the run needs: ohal-info, the cuda/cpu_ref/vulkan plugins, ohal-cts, ohal-bench
#   2. ohal-info
#   3. ohal-cts --backend cuda
#   4. ohal-bench --backend cuda (HAL next to the raw CUDA driver API baseline)
#   5. ohal-cts --backend vulkan, when the NVIDIA Vulkan ICD gives a device (last: least needed)
#
# OUTDIR gets console.txt (everything printed), build.log, ohal-info.txt, cts-cuda.{xml,json},
# cts-vulkan.{xml,json}, bench-cuda.json and summary.txt. Exit status: 0 all passed, 1 a step
# failed, 2 no CUDA driver or device (nothing measured), 64 usage.
#
# Environment:
#   BUILD_DIR              build folder (default <repo>/build-device-check)
#   DEVICE_CHECK_BUDGET_S  the whole run's budget in seconds (default 470: under 8 minutes)
#   DEVICE_CHECK_BUILD_S   the build step's own limit (default 300)
#   DEVICE_CHECK_FULL=1    build and run every step even where no CUDA device is found (a
#                          rehearsal on a machine without a GPU; the result stays "no device")
#   OHAL_CUDA_DRIVER_PATH  passed through to the cuda backend and the bench baseline (a test
#                          driver such as tests/cuda's mock stands in for libcuda.so.1)
set -uo pipefail

if [ $# -ne 1 ] || [ "${1:0:1}" = "-" ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 64
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1" || exit 64
out=$(cd "$1" && pwd)
build=${BUILD_DIR:-$repo/build-device-check}
budget=${DEVICE_CHECK_BUDGET_S:-470}
build_limit=${DEVICE_CHECK_BUILD_S:-300}
full=${DEVICE_CHECK_FULL:-0}
jobs=$(nproc)
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
    log "SKIP  $name: the ${budget}s budget is spent"
    failed+=("$name (no time left)")
    summary+=("$(printf '%-14s %-9s %5s' "$name" "no-time" "-")")
    return 1
  fi
  local limit=$((max < left ? max : left))
  log "START $name (limit ${limit}s): $*"
  local t0
  t0=$(date +%s)
  timeout -k 10 "$limit" "$@"
  local rc=$?
  local took=$(($(date +%s) - t0))
  if [ $rc -eq 0 ]; then
    log "OK    $name (${took}s)"
    summary+=("$(printf '%-14s %-9s %4ds' "$name" "ok" "$took")")
  else
    [ $rc -eq 124 ] && log "TIMEOUT $name after ${limit}s"
    log "FAIL  $name: exit $rc (${took}s)"
    failed+=("$name (exit $rc)")
    summary+=("$(printf '%-14s %-9s %4ds' "$name" "exit $rc" "$took")")
  fi
  return $rc
}

# The headline numbers from the reports (needs python3; the reports themselves are complete).
results() {
  command -v python3 >/dev/null 2>&1 || return 0
  python3 - "$out" <<'PY' || true
import json, os, sys
out = sys.argv[1]
for name in ("cts-cuda", "cts-vulkan"):
    path = os.path.join(out, name + ".json")
    if os.path.exists(path):
        t = json.load(open(path))["totals"]
        print(f"{name}: {t['passed']} passed, {t['failed']} failed, {t['skipped']} skipped, "
              f"{t['known']} known failures")
path = os.path.join(out, "bench-cuda.json")
if os.path.exists(path):
    bench = json.load(open(path))
    print(f"bench-cuda kernels: {bench['kernels']}")
    for r in bench["results"]:
        if r["goal"] or r["error"]:
            value = lambda v: "-" if v is None else f"{v:.4g}"
            ratio = "-" if r["ratio"] is None else f"{100 * r['ratio']:.1f}%"
            print(f"bench-cuda {r['workload']:<18} {r['size']:>8}: HAL {value(r['hal'])} "
                  f"raw {value(r['baseline'])} {r['unit']}, HAL/raw {ratio}, "
                  f"{r['error'] or r['goal']}")
PY
}

cuda_device=unknown  # yes / no once ohal-info ran
likely=unknown       # whether a driver (or a stand-in) was found before building
finish() {
  local status=$1
  [ "$cuda_device" = no ] && status=2
  {
    log "---- summary ($(($(date +%s) - start))s of the ${budget}s budget) ----"
    local line
    for line in "${summary[@]}"; do log "  $line"; done
    results | while IFS= read -r line; do log "  $line"; done
    if [ "$cuda_device" = no ]; then
      log "RESULT: NO CUDA DEVICE - nothing was measured on this machine" \
        "(${#failed[@]} step(s) failed)"
    elif [ "$cuda_device" = unknown ]; then
      log "RESULT: FAILED before the CUDA device could be checked: ${failed[*]}" \
        "$([ "$likely" = no ] && echo "(and no CUDA driver was found)")"
    elif [ ${#failed[@]} -eq 0 ]; then
      log "RESULT: all steps passed; reports in $out"
    else
      log "RESULT: FAILED: ${failed[*]}; reports in $out"
    fi
  } | tee "$out/summary.txt"
  exec >&- 2>&-
  wait "$tee_pid" 2>/dev/null  # console.txt complete before we return
  exit "$status"
}

# The NVIDIA Vulkan ICD manifest, if any: from VK_DRIVER_FILES / VK_ICD_FILENAMES, else the
# places the NVIDIA container toolkit and the driver packages install it.
find_nvidia_icd() {
  local f candidates=()
  IFS=: read -r -a candidates <<<"${VK_DRIVER_FILES:-}:${VK_ICD_FILENAMES:-}"
  candidates+=(/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    /etc/vulkan/icd.d/nvidia_icd*.json /usr/share/vulkan/icd.d/nvidia_icd*.json)
  for f in "${candidates[@]}"; do
    case $f in *nvidia*) [ -f "$f" ] && echo "$f" && return 0 ;; esac
  done
  return 1
}

log "device-check: repo $repo, output $out, build $build, budget ${budget}s, $jobs jobs"
log "host $(hostname), $(nproc) cores, $(uname -sr), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"

# ---- 0. what is there ---------------------------------------------------------------------------
smi_cuda=""
if command -v nvidia-smi >/dev/null 2>&1; then
  timeout 30 nvidia-smi --query-gpu=index,name,driver_version,memory.total,pci.bus_id \
    --format=csv || log "nvidia-smi failed"
  smi_cuda=$(timeout 30 nvidia-smi 2>/dev/null | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)
  [ -n "$smi_cuda" ] && log "driver supports CUDA $smi_cuda"
else
  log "nvidia-smi not found"
fi
driver_lib=$(ldconfig -p 2>/dev/null | awk '/libcuda\.so\.1 /{print $NF; exit}')
if [ -z "$driver_lib" ]; then
  for d in ${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH//:/ }} /usr/local/nvidia/lib64 /usr/lib64 \
    /usr/lib/x86_64-linux-gnu; do
    [ -e "$d/libcuda.so.1" ] && driver_lib=$d/libcuda.so.1 && break
  done
fi
if [ -n "${OHAL_CUDA_DRIVER_PATH:-}" ]; then
  log "OHAL_CUDA_DRIVER_PATH=$OHAL_CUDA_DRIVER_PATH stands in for libcuda.so.1"
elif [ -n "$driver_lib" ]; then
  log "CUDA driver library: $driver_lib"
else
  log "NO CUDA DRIVER: libcuda.so.1 is not installed (not in ldconfig -p, LD_LIBRARY_PATH or /usr/local/nvidia/lib64)"
fi
nvcc=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null)
if [ -n "$nvcc" ]; then
  nvcc_version=$("$nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')
  log "nvcc $nvcc_version ($nvcc)"
  # A driver older than the toolkit cannot JIT its PTX, and may refuse its CUBINs too.
  if [ -n "$smi_cuda" ] && [ "$(printf '%s\n%s\n' "$smi_cuda" "$nvcc_version" | sort -V | head -1)" != "$nvcc_version" ]; then
    log "WARNING: the driver (CUDA $smi_cuda) is older than nvcc $nvcc_version: PTX and NVRTC" \
      "modules may fail with CUDA_ERROR_UNSUPPORTED_PTX_VERSION (see docs/RESULTS-H200.md)"
  fi
else
  log "nvcc not found: no PTX/CUBIN kernel images will be built (configure will fail: cuda is ON)"
fi
if icd=$(find_nvidia_icd); then
  log "NVIDIA Vulkan ICD: $icd"
else
  log "no NVIDIA Vulkan ICD manifest found"
fi

likely=no
if [ -n "$driver_lib" ] || [ -n "${OHAL_CUDA_DRIVER_PATH:-}" ] || [ -n "$smi_cuda" ]; then
  likely=yes
fi
if [ "$likely" = no ] && [ "$full" != 1 ]; then
  log "NO CUDA DEVICE expected: building ohal-info and the plugins only, to show why" \
    "(DEVICE_CHECK_FULL=1 builds and runs everything anyway)"
fi

# ---- 1. configure and build ------------------------------------------------------------------
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
# No -Werror: a new compiler warning must not cost the run its measurements (build.log has them).
step configure 120 cmake -S "$repo" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DOHAL_BACKEND_CUDA=ON -DOHAL_BACKEND_HIP=OFF -DOHAL_BACKEND_LEVELZERO=OFF \
  -DOHAL_WERROR=OFF || finish 1
available=$(cmake --build "$build" --target help 2>/dev/null)
wanted=(ohal-info ohal_cuda ohal_cpu_ref)
[ -n "$icd" ] && wanted+=(ohal_vulkan)
has_target() { grep -qE "(^|[ /])$1(:|$| )" <<<"$available"; }
rest=()  # built now if a device may be there, else only once ohal-info found one
for t in ohal-cts ohal-bench; do has_target "$t" && rest+=(--target "$t"); done
targets=()
for t in "${wanted[@]}"; do has_target "$t" && targets+=(--target "$t"); done
if [ "$likely" = yes ] || [ "$full" = 1 ]; then
  targets+=("${rest[@]}")
  rest=()
fi
# The build's own output goes to build.log; the console gets its last lines if it fails.
# shellcheck disable=SC2016  # expanded by the inner sh
step build "$build_limit" sh -c 'exec "$@" >"$0" 2>&1' "$out/build.log" \
  cmake --build "$build" -j"$jobs" "${targets[@]}"
build_rc=$?
warnings=$(grep -c 'warning:' "$out/build.log")
log "build: $warnings compiler warning(s) in build.log"
# A known GCC 12 false positive at -O3 (cpu_ref); named here because it breaks -Werror builds.
if grep -q 'Wrestrict' "$out/build.log"; then
  log "NOTE: GCC -Wrestrict warning(s), fatal with OHAL_WERROR=ON, from:"
  awk -v repo="$repo/" 'index($0, repo) { where = $0 } /Wrestrict/ { print where }' \
    "$out/build.log" | grep -o "$repo/[^ :]*:[0-9]*" | sort -u | sed 's/^/    /' | head -5
fi
if [ $build_rc -ne 0 ]; then
  tail -n 40 "$out/build.log" | sed 's/^/    /'
  finish 1
fi

# ---- 2. what the HAL sees --------------------------------------------------------------------
# shellcheck disable=SC2016  # expanded by the inner sh
step ohal-info 60 sh -c 'OHAL_LOG=info "$1" > "$0" 2>&1; rc=$?; cat "$0"; exit $rc' \
  "$out/ohal-info.txt" "$build/bin/ohal-info"
if OHAL_BACKENDS=cuda timeout 60 "$build/bin/ohal-info" 2>/dev/null | grep -q "(cuda:0)"; then
  cuda_device=yes
  log "cuda device: $(OHAL_BACKENDS=cuda timeout 60 "$build/bin/ohal-info" 2>/dev/null | grep -m1 '(cuda:0)' | sed 's/^ *//')"
else
  cuda_device=no
  log "NO CUDA DEVICE: the cuda backend reports no device; its reason:"
  # The backend's line, and the reason ohal-info indents under it when the plugin loaded.
  awk '/^[^ ]/ { on = 0 } /^  [a-z_]+ / { on = ($1 == "cuda") } on { sub(/^ +/, "    "); print }' \
    "$out/ohal-info.txt"
  [ "$full" = 1 ] || finish 2
  log "DEVICE_CHECK_FULL=1: running the remaining steps anyway (they are expected to fail)"
fi

# The driver was somewhere the checks above did not look: build what the run needs now.
if [ ${#rest[@]} -gt 0 ]; then
  # shellcheck disable=SC2016  # expanded by the inner sh
  step build-rest "$build_limit" sh -c 'exec "$@" >>"$0" 2>&1' "$out/build.log" \
    cmake --build "$build" -j"$jobs" "${rest[@]}" || finish 1
fi

# ---- 3. conformance on cuda ------------------------------------------------------------------
# --timeout: a hung test costs 60 s, not the runner's default 300; the runner then goes on.
step cts-cuda 200 "$build/bin/ohal-cts" --backend cuda --timeout 60 \
  --junit "$out/cts-cuda.xml" --json "$out/cts-cuda.json"

# ---- 4. benchmarks ---------------------------------------------------------------------------
step bench-cuda 180 "$build/bin/ohal-bench" --backend cuda --json "$out/bench-cuda.json"

# ---- 5. conformance on vulkan through the NVIDIA ICD -------------------------------------------
if [ -z "$icd" ]; then
  log "cts-vulkan skipped: no NVIDIA Vulkan ICD (nvidia_icd.json)"
elif [ ! -x "$build/bin/ohal-cts" ] || ! grep -q ohal_vulkan <<<"${targets[*]}"; then
  log "cts-vulkan skipped: the vulkan backend was not built (Vulkan headers/loader missing?)"
elif ! VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd" OHAL_BACKENDS=vulkan \
  timeout 60 "$build/bin/ohal-info" 2>/dev/null | grep -q "(vulkan:0)"; then
  log "cts-vulkan skipped: the NVIDIA ICD ($icd) gives no Vulkan device (its library missing?):"
  VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd" OHAL_BACKENDS=vulkan timeout 60 \
    "$build/bin/ohal-info" 2>&1 |
    awk '/^[^ ]/ { on = 0 } /^  [a-z_]+ / { on = ($1 == "vulkan") } on { sub(/^ +/, "    "); print }'
else
  step cts-vulkan 120 env VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd" \
    "$build/bin/ohal-cts" --backend vulkan --timeout 60 \
    --junit "$out/cts-vulkan.xml" --json "$out/cts-vulkan.json"
fi

[ ${#failed[@]} -eq 0 ] && finish 0
finish 1
