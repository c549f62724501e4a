#!/usr/bin/env bash
# The main job: build if needed, then run the full conformance suite against
# the reference runtime and print the report. Extra arguments go to
# `mock_invoker check` (e.g. --jobs 2, --json report.json, --junit report.xml).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/ci/build.sh" "$build" >/dev/null
exec "$build/mock_invoker/mock_invoker" check \
  --launch "$build/reference_runtime/reference_runtime --host 127.0.0.1 --port {port} --action-dir {dir}" \
  --profile skeleton "$@"
