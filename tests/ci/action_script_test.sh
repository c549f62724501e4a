#!/usr/bin/env bash
# ci/action.sh, driven as action.yml drives it (INPUT_* variables,
# GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against reference_runtime:
#   - a conformant run: exit 0, every report written, outputs and job summary set;
#   - a runtime with a fault: exit 1, verdict not-conformant; with
#     OW_DEFER_EXIT=1 (what action.yml sets) exit 0 and exit-code=1 in the outputs;
#   - the failing scenario in an expected-failures file: exit 0;
#   - bad inputs (image and launch, strict=maybe): exit 2 before running;
#   - action.yml passes every input it declares to the script.
# Usage: action_script_test.sh SOURCE_DIR MOCK_INVOKER REFERENCE_RUNTIME
set -uo pipefail
src=$1
export MOCK_INVOKER=$2
runtime=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/action_test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

launch="$runtime --host 127.0.0.1 --port {port} --action-dir {dir}"
# A handful of scenarios keeps the test short; init.second-refused is the one the fault breaks.
filter='init.second-refused,init.text-code,run.*argument*'

# run_action NAME [VAR=VALUE...]: runs ci/action.sh in a clean environment; sets $code.
run_action() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  : >"$work/$name/output" && : >"$work/$name/summary"
  env -i PATH="$PATH" HOME="$work" MOCK_INVOKER="$MOCK_INVOKER" \
    GITHUB_OUTPUT="$work/$name/output" GITHUB_STEP_SUMMARY="$work/$name/summary" \
    INPUT_REPORT_DIR="$work/$name/reports" INPUT_JOBS=2 "$@" \
    "$src/ci/action.sh" >"$work/$name/log" 2>&1
  code=$?
}
output_of() { sed -n "s/^$2=//p" "$work/$1/output"; }

run_action pass INPUT_LAUNCH="$launch" INPUT_ARGS="--filter $filter"
[ "$code" = 0 ] || fail "conformant run exited $code: $(cat "$work/pass/log")"
for f in report.json report.xml report.html summary.md; do
  [ -s "$work/pass/reports/$f" ] || fail "conformant run wrote no $f"
done
[ "$(output_of pass exit-code)" = 0 ] || fail "exit-code output '$(output_of pass exit-code)'"
[ "$(output_of pass verdict)" = conformant ] || fail "verdict output '$(output_of pass verdict)'"
[ "$(output_of pass html-report)" = "$work/pass/reports/report.html" ] || fail "html-report output"
grep -q "CONFORMANT" "$work/pass/summary" || fail "job summary lacks the verdict"

run_action fault INPUT_LAUNCH="$launch --fault second-init-accepted" INPUT_ARGS="--filter $filter"
[ "$code" = 1 ] || fail "faulty runtime: exit $code, expected 1"
[ "$(output_of fault verdict)" = not-conformant ] || fail "faulty runtime: verdict '$(output_of fault verdict)'"
grep -q "init.second-refused" "$work/fault/summary" || fail "job summary does not name the failure"

run_action deferred OW_DEFER_EXIT=1 INPUT_LAUNCH="$launch --fault second-init-accepted" \
  INPUT_ARGS="--filter $filter"
[ "$code" = 0 ] || fail "OW_DEFER_EXIT=1: exit $code, expected 0"
[ "$(output_of deferred exit-code)" = 1 ] || fail "OW_DEFER_EXIT=1: exit-code output '$(output_of deferred exit-code)'"

echo "init.second-refused" >"$work/baseline.txt"
run_action baseline INPUT_LAUNCH="$launch --fault second-init-accepted" INPUT_ARGS="--filter $filter" \
  INPUT_EXPECTED_FAILURES="$work/baseline.txt"
[ "$code" = 0 ] || fail "with the failure in the baseline: exit $code, expected 0"

run_action strict INPUT_LAUNCH="$launch" INPUT_STRICT=true INPUT_ARGS="--filter $filter"
[ "$code" = 0 ] || fail "strict on a conformant runtime: exit $code"
grep -q '"strict": true' "$work/strict/reports/report.json" || fail "strict input not passed on"

run_action both INPUT_LAUNCH="$launch" INPUT_IMAGE=some/image
[ "$code" = 2 ] || fail "image and launch: exit $code, expected 2"
run_action neither
[ "$code" = 2 ] || fail "no target: exit $code, expected 2"
run_action badstrict INPUT_LAUNCH="$launch" INPUT_STRICT=maybe
[ "$code" = 2 ] || fail "strict=maybe: exit $code, expected 2"
[ ! -e "$work/badstrict/reports/report.json" ] || fail "strict=maybe still ran the check"

# Every input action.yml declares reaches the script (or the upload step).
declared=$(awk '/^inputs:/ {on=1; next} /^[a-z]/ {on=0} on && /^  [a-z-]+:$/ {sub(":", ""); print $1}' "$src/action.yml")
[ -n "$declared" ] || fail "no inputs found in action.yml"
for input in $declared; do
  grep -q "\${{ inputs.$input }}" "$src/action.yml" || fail "action.yml never uses input '$input'"
done
for var in $(grep -o 'INPUT_[A-Z_]*' "$src/ci/action.sh" | sort -u); do
  grep -q "^        $var: " "$src/action.yml" || fail "ci/action.sh reads $var but action.yml does not set it"
done

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ci/action.sh: all cases pass"
