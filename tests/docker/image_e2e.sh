#!/usr/bin/env bash
# End-to-end tests of `mock_invoker --image` on the private engine (fixture
# docker_engine + docker_images), and of interruption. One case per ctest entry:
#   image_e2e.sh CASE STATE BUILD_DIR
# Cases:
#   conformant        the reference image is CONFORMANT (--jobs 2)
#   faulty            the image run with --fault errors-as-503 is NOT CONFORMANT
#   exits             an entrypoint that exits at start: exit 3 with its last log lines
#   missing           an image that is not there (--pull never): exit 2, clear error
#   docker-args       --docker-arg reaches docker run; --container-port picks the port
#   signal-SIG        SIGINT/TERM/HUP/PIPE during check --image: exit 130, partial
#                     reports marked interrupted, no container, process or temp dir left
#   killed            mock_invoker SIGKILLed: its docker clients die with it, and the
#                     next run removes its containers
#   launch-signal-SIG, launch-killed: the same for --launch (no engine needed)
# Exit 77: skipped (no engine, reason printed).
set -uo pipefail
case_name=${1:?case} state=${2:?state} build=${3:?build dir}
mi=$build/mock_invoker/mock_invoker
rr=$build/reference_runtime/reference_runtime
ref=ow-conformance/reference-runtime:latest

fail() { echo "FAIL: $*" >&2; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/owe2e-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tmp" "$scratch/out"

needs_engine() {
  [ -f "$state" ] || { echo "skipped: no engine state $state"; exit 77; }
  # shellcheck disable=SC1090
  . "$state"
  if [ -n "${OW_DOCKER_UNAVAILABLE:-}" ]; then
    echo "skipped: no Docker engine: $OW_DOCKER_UNAVAILABLE"
    exit 77
  fi
  export DOCKER_HOST
  docker=$OW_DOCKER
  "$docker" image inspect "$ref" >/dev/null 2>&1 || fail "image $ref was not built (fixture docker_images)"
}

# check with the image target's usual options; output in $scratch/out.
check_image() {  # check_image IMAGE [more args]
  local image=$1
  shift
  TMPDIR=$scratch/tmp "$mi" check --image "$image" --docker "$docker" --pull never \
    --color never "$@" >"$scratch/out/console" 2>"$scratch/out/stderr"
}

containers_of() {  # IDs of containers whose owner label names pid $1
  "$docker" ps -a --filter label=org.openwhisk.conformance.owner \
    --format '{{.ID}} {{.Label "org.openwhisk.conformance.owner"}}' | awk -v p="/$1/" 'index($2, p) {print $1}'
}

processes_mentioning() {  # processes (other than this script's) whose args contain $1
  local n=0 pid
  for pid in $(pgrep -f -- "$1" || true); do
    [ "$pid" = $$ ] || n=$((n + 1))
  done
  echo "$n"
}

has_container() { [ -n "$(containers_of "$1")" ]; }
has_process() { [ "$(processes_mentioning "$1")" -gt 0 ]; }
has_exited() { ! kill -0 "$1" 2>/dev/null; }

wait_for() {  # wait_for SECONDS command...: polls every 0.2 s
  local until=$((SECONDS + $1))
  shift
  while [ $SECONDS -lt $until ]; do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}

# Starts a long check in the background (pid in $mi_pid), waits until it runs
# a runtime, then sends the signal and checks that nothing is left.
interrupt_case() {  # interrupt_case SIGNAL image|launch
  local sig=$1 kind=$2
  local target=(--launch "$rr --host 127.0.0.1 --port {port} --action-dir {dir}")
  [ "$kind" = image ] && target=(--image "$ref" --docker "$docker" --pull never)
  TMPDIR=$scratch/tmp "$mi" check "${target[@]}" --jobs 2 --color never \
    --json "$scratch/out/report.json" --junit "$scratch/out/report.xml" \
    >"$scratch/out/console" 2>"$scratch/out/stderr" &
  local pid=$!
  if [ "$kind" = image ]; then
    wait_for 60 has_container "$pid" || fail "no container started within 60 s"
  else
    wait_for 30 has_process "$scratch/tmp/" || fail "no runtime started within 30 s"
  fi
  sleep 1  # let a few scenarios be under way
  kill "-$sig" "$pid"
  local status=0
  wait_for 40 has_exited "$pid" || { kill -KILL "$pid"; fail "still running 40 s after SIG$sig"; }
  wait "$pid" || status=$?
  [ "$status" -eq 130 ] || { cat "$scratch/out/stderr"; fail "exit $status after SIG$sig, expected 130"; }
  grep -q "interrupted by SIG$sig" "$scratch/out/stderr" || fail "stderr does not say it was interrupted"
  python3 - "$scratch/out/report.json" "$sig" <<'PY' || fail "JSON report not marked interrupted"
import json, sys
d = json.load(open(sys.argv[1]))
assert d.get("interrupted") == "SIG" + sys.argv[2], d.get("interrupted")
PY
  grep -q "interrupted" "$scratch/out/report.xml" || fail "JUnit report not marked interrupted"
  local left_procs left_dirs left_containers=0
  left_procs=$(processes_mentioning "$scratch/tmp/")
  left_dirs=$(find "$scratch/tmp" -mindepth 1 -maxdepth 1 | wc -l)
  if [ "$kind" = image ]; then
    left_containers=$(containers_of "$pid" | wc -l)
    left_procs=$((left_procs + $(processes_mentioning "owconf-$pid-")))
  fi
  echo "after SIG$sig ($kind): $left_containers containers, $left_procs processes, $left_dirs temp dirs left"
  [ "$left_containers" -eq 0 ] && [ "$left_procs" -eq 0 ] && [ "$left_dirs" -eq 0 ] ||
    fail "something was left after SIG$sig"
}

killed_case() {  # killed_case image|launch
  local kind=$1
  local target=(--launch "$rr --host 127.0.0.1 --port {port} --action-dir {dir}")
  [ "$kind" = image ] && target=(--image "$ref" --docker "$docker" --pull never)
  TMPDIR=$scratch/tmp "$mi" check "${target[@]}" --jobs 2 --color never >/dev/null 2>&1 &
  local pid=$!
  if [ "$kind" = image ]; then
    wait_for 60 has_container "$pid" || fail "no container started within 60 s"
  else
    wait_for 30 has_process "$scratch/tmp/" || fail "no runtime started within 30 s"
  fi
  sleep 1
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null
  local pattern="$scratch/tmp/"
  [ "$kind" = image ] && pattern="owconf-$pid-"
  wait_for 5 eval '! has_process "$pattern"' ||
    fail "$(processes_mentioning "$pattern") launched processes outlived the SIGKILLed mock_invoker"
  echo "after SIGKILL ($kind): 0 launched processes left"
  if [ "$kind" = image ]; then
    local before after
    before=$(containers_of "$pid" | wc -l)
    # The next run (any run with --image) removes the killed run's containers.
    check_image "$ref" --filter stub.answer-before-init || fail "the next run failed: $(cat "$scratch/out/stderr")"
    after=$(containers_of "$pid" | wc -l)
    echo "containers of the killed run: $before before the next run, $after after it"
    [ "$after" -eq 0 ] || fail "the next run left the killed run's containers"
  fi
}

case "$case_name" in
  conformant)
    needs_engine
    start=$EPOCHREALTIME
    check_image "$ref" --jobs 2 --json "$scratch/out/report.json"
    status=$?
    echo "check --image $ref --jobs 2: exit $status in $(python3 -c "print('%.1f' % ($EPOCHREALTIME - $start))") s"
    tail -n 3 "$scratch/out/console"
    [ "$status" -eq 0 ] || { cat "$scratch/out/console" "$scratch/out/stderr"; fail "expected CONFORMANT (exit 0)"; }
    grep -q 'CONFORMANT' "$scratch/out/console" || fail "no verdict line"
    ;;
  faulty)
    needs_engine
    check_image ow-conformance/reference-runtime:faulty --jobs 2 \
      --filter 'http.json-replies,result.not-json-rejected,init.second-refused,stub.answer-before-init'
    status=$?
    tail -n 8 "$scratch/out/console"
    [ "$status" -eq 1 ] || fail "expected NOT CONFORMANT (exit 1), got $status"
    grep -q 'FAIL *http.json-replies' "$scratch/out/console" || fail "http.json-replies did not fail"
    ;;
  exits)
    needs_engine
    check_image ow-conformance/exits:latest --filter stub.answer-before-init --ready-timeout 20000
    status=$?
    cat "$scratch/out/console" | head -n 20
    [ "$status" -eq 3 ] || fail "expected exit 3 (never ready), got $status"
    grep -q 'exits: cannot read /etc/runtime.conf' "$scratch/out/console" ||
      fail "the container's last log line is not in the report"
    ;;
  missing)
    needs_engine
    check_image ow-conformance/no-such-image:1 --filter stub.answer-before-init
    status=$?
    cat "$scratch/out/stderr"
    [ "$status" -eq 2 ] || fail "expected exit 2, got $status"
    grep -q 'ow-conformance/no-such-image:1 is not available locally' "$scratch/out/stderr" ||
      fail "no clear error for a missing image"
    ;;
  docker-args)
    needs_engine
    printf '#!/bin/sh\ncat >/dev/null\necho "{\\"mark\\":\\"$MARK\\"}"\n' >"$scratch/mark.sh"
    # The runtime listens on 9090 in this variant; --container-port says so.
    TMPDIR=$scratch/tmp "$mi" invoke "$scratch/mark.sh" --image ow-conformance/reference-runtime:port9090 \
      --docker "$docker" --pull never --container-port 9090 --docker-arg=--env=MARK=from-docker-arg \
      >"$scratch/out/console" 2>"$scratch/out/stderr"
    status=$?
    cat "$scratch/out/console" "$scratch/out/stderr" | head -n 30
    [ "$status" -eq 0 ] || fail "invoke failed with $status"
    grep -q 'from-docker-arg' "$scratch/out/console" || fail "the --docker-arg env did not reach the container"
    ;;
  signal-*) needs_engine; interrupt_case "${case_name#signal-}" image ;;
  killed) needs_engine; killed_case image ;;
  launch-signal-*) interrupt_case "${case_name#launch-signal-}" launch ;;
  launch-killed) killed_case launch ;;
  *) fail "unknown case $case_name" ;;
esac
echo "PASS: $case_name"
