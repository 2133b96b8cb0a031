#!/usr/bin/env bash
# Installs the build into a fresh prefix, then proves the install is usable on its own:
# find_package(openai_hal) and pkg-config both build a consumer, and both the consumer and the
# installed ohal-info find the cpu_ref plugin with no OHAL_* variable set.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset OHAL_BACKENDS OHAL_BACKEND_PATH OHAL_VISIBLE_DEVICES

cmake --install "$build_dir" --prefix "$work/prefix" > /dev/null
for path in lib/libopenai_hal.so lib/openai_hal/libohal_cpu_ref.so include/openai_hal/ohal.h \
            lib/cmake/openai_hal/openai_halConfig.cmake lib/pkgconfig/openai_hal.pc bin/ohal-info; do
  [ -e "$work/prefix/$path" ] || { echo "missing from install: $path"; exit 1; }
done

cmake -S "$(dirname "$0")/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" > /dev/null
cmake --build "$work/consumer" > /dev/null
LD_LIBRARY_PATH="$work/prefix/lib" "$work/consumer/consumer"

PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" cc "$(dirname "$0")/consumer/consumer.c" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs openai_hal) \
  -o "$work/consumer_pc"
LD_LIBRARY_PATH="$work/prefix/lib" "$work/consumer_pc"

"$work/prefix/bin/ohal-info" | grep -q "cpu_ref    loaded" || { echo "installed ohal-info did not load cpu_ref"; exit 1; }
echo "install: OK"
