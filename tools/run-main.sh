#!/usr/bin/env bash
# The main job: install what is missing, build, list every backend and device, run the saxpy
# example and the conformance suite on every visible device.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${OHAL_BUILD_DIR:-build}

./tools/setup.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j"$(nproc)"

echo "== ohal-info"
"$build/bin/ohal-info"

count=$("$build/bin/ohal-info" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["devices"]))')
status=0
for ((device = 0; device < count; device++)); do
  echo "== saxpy on device $device"
  "$build/bin/saxpy" "$build/examples/saxpy.ohalb" "$device" || status=1
done
echo "== conformance suite on every device"
"$build/bin/ohal-cts" --junit "$build/cts-junit.xml" --json "$build/cts.json" || status=1
exit $status
