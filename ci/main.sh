#!/usr/bin/env bash
# The main job: build what the check needs (mock_invoker, reference_runtime and
# the compiled profile fixtures, not the tests), then run the full conformance
# suite against the reference runtime and print the report. Extra arguments go
# to `mock_invoker check` (e.g. --jobs 2, --json report.json, --junit report.xml,
# --html report.html); one of --image, --launch or --url replaces the reference
# runtime as the target, and --profile replaces the skeleton profile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
"$root/ci/deps.sh" --build
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [ ! -f "$build/CMakeCache.txt" ]; then
  echo "main.sh: configuring $build ..." >&2
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null
fi
targets=(mock_invoker reference_runtime fixture_profiles)
echo "main.sh: building ${targets[*]} in $build (the first build takes a few minutes) ..." >&2
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}" >/dev/null
defaults=()
given=" $* "
case "$given" in
  *" --image"* | *" --launch"* | *" --url"*) ;;
  # reference_runtime exports /init env, which the skeleton profile leaves undeclared
  # (the real skeleton ignores it).
  *) defaults+=(--launch "$build/reference_runtime/reference_runtime --host 127.0.0.1 --port {port} --action-dir {dir}"
                --capability init_env=true) ;;
esac
case "$given" in
  *" --profile"*) ;;
  *) defaults+=(--profile skeleton) ;;
esac
exec "$build/mock_invoker/mock_invoker" check "${defaults[@]}" "$@"
