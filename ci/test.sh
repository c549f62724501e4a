#!/usr/bin/env bash
# Builds everything and runs all tests (unit, end-to-end, suite self-tests,
# and the --image tests on a private Docker engine that ctest starts and stops:
# tests/docker/, ci/dockerd.sh), then each fuzz harness briefly (ci/fuzz.sh,
# FUZZ_SECONDS each, default 30; 0 skips).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/ci/build.sh" "$build"
cd "$build"
# In CI the Docker tests must run: failing to start the engine fails the run
# instead of skipping them.
export OW_REQUIRE_DOCKER=${OW_REQUIRE_DOCKER:-1}
# Likewise the HTML report's browser test and the JSON schema test must run
# (ci/deps.sh installs chromium and python3-jsonschema), not skip.
export OW_REQUIRE_BROWSER=${OW_REQUIRE_BROWSER:-1}
ctest --output-on-failure -j "$(nproc)" --timeout 600
fuzz_seconds=${FUZZ_SECONDS:-30}
[ "$fuzz_seconds" -eq 0 ] || "$root/ci/fuzz.sh" "$fuzz_seconds"
