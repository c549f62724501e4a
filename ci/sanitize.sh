#!/usr/bin/env bash
# Builds and runs all tests under sanitizers. Usage: ci/sanitize.sh [address,undefined|thread]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
san=${1:-address,undefined}
build=$root/build-${san//,/-}
"$root/ci/build.sh" "$build" -DOW_SANITIZE="$san"
cd "$build"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure -j "$(nproc)" --timeout 900
