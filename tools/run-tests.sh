#!/usr/bin/env bash
# The whole test suite: a normal build with every test (conformance suite on cpu_ref and
# Vulkan/lavapipe included), then the same tests under ASan+UBSan, then the threaded tests
# under TSan.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

./tools/setup.sh

run_suite() {  # run_suite BUILD_DIR TEST_REGEX CMAKE_ARGS...
  local dir=$1 tests=$2
  shift 2
  echo "== configure $dir $*"
  cmake -S . -B "$dir" -G Ninja "$@"
  echo "== build $dir"
  cmake --build "$dir" -j"$jobs"
  echo "== test $dir"
  local selection=()
  [ -n "$tests" ] && selection=(-R "$tests")
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 900 "${selection[@]}"
}

run_suite build "" -DCMAKE_BUILD_TYPE=RelWithDebInfo

# Sanitizer builds skip the GPU-only backends whose vendor runtimes are absent here anyway.
sanitizer_args=(-DCMAKE_BUILD_TYPE=Debug -DOHAL_BACKEND_CUDA=OFF -DOHAL_BACKEND_HIP=OFF
  -DOHAL_BACKEND_LEVELZERO=OFF)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
run_suite build-asan "" -DOHAL_SANITIZE=address,undefined "${sanitizer_args[@]}"
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
# TSan: the front-end, cpu_ref and the conformance suite on cpu_ref (its threading tests);
# Vulkan is off here because lavapipe's own threads are not instrumented.
run_suite build-tsan "^frontend|^cpu_ref$|^cts_cpu_ref$" -DOHAL_SANITIZE=thread \
  -DOHAL_BACKEND_VULKAN=OFF "${sanitizer_args[@]}"
echo "run-tests: all suites passed"
