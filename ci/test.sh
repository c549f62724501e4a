#!/usr/bin/env bash
# Builds everything and runs all tests (unit, end-to-end, suite self-tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/ci/build.sh" "$build"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600
