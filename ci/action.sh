#!/usr/bin/env bash
# What the GitHub Action (action.yml) runs; usable from any CI. Builds
# mock_invoker unless MOCK_INVOKER names one, runs `mock_invoker check` against
# the runtime and writes every report into the report directory.
#
# Inputs (environment):
#   INPUT_IMAGE or INPUT_LAUNCH   the runtime: a Docker image, or a launch command
#   INPUT_PROFILE                 profile name or directory (default skeleton)
#   INPUT_EXPECTED_FAILURES       baseline file (optional)
#   INPUT_STRICT                  "true": warnings fail too
#   INPUT_JOBS                    scenarios at once (default 2)
#   INPUT_REPORT_DIR              default conformance-report
#   INPUT_ARGS                    more check options, split on whitespace
#   MOCK_INVOKER                  a built mock_invoker (skips the build)
#   BUILD_DIR                     where to build (default <repo>/build)
#   OW_DEFER_EXIT=1               exit 0 once the check ran; the code is in the outputs
# Outputs: when GITHUB_OUTPUT is set, verdict, exit-code and the report paths
# are appended to it; when GITHUB_STEP_SUMMARY is set, the Markdown summary is
# appended to it.
# Exit: mock_invoker check's exit code (0 conformant, 1 not conformant,
# 2 usage error, 3 runtime never ready); 2 for a bad input here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

fail_usage() {
  echo "action.sh: $*" >&2
  [ -n "${GITHUB_OUTPUT:-}" ] && echo "exit-code=2" >>"$GITHUB_OUTPUT"
  [ "${OW_DEFER_EXIT:-}" = 1 ] && exit 0
  exit 2
}

image=${INPUT_IMAGE:-}
launch=${INPUT_LAUNCH:-}
if [ -n "$image" ] && [ -n "$launch" ]; then fail_usage "give image or launch, not both"; fi
if [ -z "$image" ] && [ -z "$launch" ]; then fail_usage "give image or launch"; fi
case "${INPUT_STRICT:-false}" in
  true | false) ;;
  *) fail_usage "strict must be true or false, got '${INPUT_STRICT}'" ;;
esac
report_dir=${INPUT_REPORT_DIR:-conformance-report}
mkdir -p "$report_dir" || fail_usage "cannot create the report directory '$report_dir'"

mi=${MOCK_INVOKER:-}
if [ -z "$mi" ]; then
  build=${BUILD_DIR:-$root/build}
  "$root/ci/deps.sh" --build
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  [ -f "$build/CMakeCache.txt" ] ||
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
      "${launcher[@]}" >/dev/null
  echo "action.sh: building mock_invoker and the profile fixtures in $build (the first build takes a few minutes) ..." >&2
  cmake --build "$build" -j "$(nproc)" --target mock_invoker fixture_profiles >/dev/null
  mi=$build/mock_invoker/mock_invoker
fi

json=$report_dir/report.json
junit=$report_dir/report.xml
html=$report_dir/report.html
markdown=$report_dir/summary.md
args=(check --profile "${INPUT_PROFILE:-skeleton}" --jobs "${INPUT_JOBS:-2}"
  --json "$json" --junit "$junit" --html "$html" --markdown "$markdown")
if [ -n "$image" ]; then args+=(--image "$image"); else args+=(--launch "$launch"); fi
[ -n "${INPUT_EXPECTED_FAILURES:-}" ] && args+=(--expected-failures "$INPUT_EXPECTED_FAILURES")
[ "${INPUT_STRICT:-false}" = true ] && args+=(--strict)
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<<"$INPUT_ARGS"
  args+=("${extra[@]}")
fi

code=0
"$mi" "${args[@]}" || code=$?

verdict=""
if [ -f "$json" ]; then
  verdict=$(sed -n 's/^  "verdict": "\([a-z-]*\)",$/\1/p' "$json")
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$markdown" ]; then
  cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$code"
    echo "verdict=$verdict"
    echo "json-report=$json"
    echo "junit-report=$junit"
    echo "html-report=$html"
  } >>"$GITHUB_OUTPUT"
fi
echo "action.sh: verdict ${verdict:-none}, exit code $code; reports in $report_dir" >&2
[ "${OW_DEFER_EXIT:-}" = 1 ] && exit 0
exit "$code"
