#!/usr/bin/env bash
# The --actionloop benchmark (run by ci/bench.sh; asserts nothing): warm /run
# of a bash loop action (`while read line; do echo '{"ok":true}' >&3; done`)
# through `reference_runtime --actionloop`, at 1 connection (no pool) and at 8
# connections (serialised, then with --actionloop-pool 8), with mock_invoker
# bench and wrk; p50/p99; failed requests; idle RSS of the runtime plus its
# action process; then the same loop written in C at 1 connection, whose own
# cost is small enough for the rates to show the server's. With GO_ACTIONLOOP_PROXY=<path to the Go proxy binary>
# (openwhisk-runtime-go's main/proxy.go, built outside this repo) the same
# figures for it, run in a private network namespace (it always listens on
# port 8080) when `unshare -n` is allowed. At 1 connection also the server's
# own CPU time and syscalls (strace -c, when installed) per /run: figures
# that depend less on the machine's load than rates do.
# Usage: ci/bench_actionloop.sh  (env: BENCH_SECONDS=5, BUILD_DIR=build, GO_ACTIONLOOP_PROXY)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
seconds=${BENCH_SECONDS:-5}
[ -f "$build/CMakeCache.txt" ] ||
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target mock_invoker reference_runtime >/dev/null
mi=$build/mock_invoker/mock_invoker
rr=$build/reference_runtime/reference_runtime

work=$(mktemp -d "${TMPDIR:-/tmp}/owbench-al-XXXXXX")
rt_pid=""
cleanup() {
  [ -n "$rt_pid" ] && kill "$rt_pid" 2>/dev/null && wait "$rt_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/loop.sh" <<'ACTION'
#!/bin/bash
if test -n "$__OW_WAIT_FOR_ACK"; then echo '{"ok":true}' >&3; fi
while read line; do echo '{"ok":true}' >&3; done
ACTION
# The same loop in C: an action whose own cost is small, so that the rates
# show the server's cost rather than bash's (bash `read`s a pipe one byte at a
# time: over 200 syscalls per activation, the same behind either server).
cat >"$work/loop.c" <<'ACTION'
#include <stdio.h>
#include <stdlib.h>
int main(void) {
  FILE *results = fdopen(3, "w");
  char *line = NULL;
  size_t size = 0;
  if (results == NULL) return 1;
  if (getenv("__OW_WAIT_FOR_ACK")) fputs("{\"ok\":true}\n", results), fflush(results);
  while (getline(&line, &size, stdin) > 0) fputs("{\"ok\":true}\n", results), fflush(results);
  return 0;
}
ACTION
cc -O2 -o "$work/loop_c" "$work/loop.c"
printf '#!/bin/bash\nexec %s\n' "$work/loop_c" >"$work/loop_c.sh"
body=$(python3 -c 'import json; print(json.dumps(json.dumps({"value":{},"namespace":"guest","action_name":"/guest/loop","action_version":"0.0.1","activation_id":"0"*32,"transaction_id":"0"*32,"deadline":"9999999999999"})))')
printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' "$body" >"$work/post.lua"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench_actionloop.sh: nothing listens on port $1" >&2
  exit 3
}
# VmRSS in KiB of a process and all its descendants.
tree_rss_kb() {
  local total=0 pid
  for pid in $1 $(pgrep -P "$1" 2>/dev/null || true); do
    total=$((total + $(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# CPU time (ns) of all threads of a process so far.
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
# per_request URL PID: what the server itself (not its action process) costs
# per warm /run at 1 connection, less load-dependent than rates: CPU us
# (schedstat) over a 2 s wrk run, then syscalls (strace -c) over another.
per_request() {
  local n cpu0 cpu1 cpu calls="?" out=$work/strace-$2.txt tracer
  cpu0=$(cpu_ns "$2")
  n=$(wrk -t1 -c1 -d2s -s "$work/post.lua" "$1/run" 2>/dev/null | awk '/requests in/ {print $1}')
  cpu1=$(cpu_ns "$2")
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" -v n="${n:-0}" 'BEGIN {print (n > 0 ? int((b - a) / n / 1000) : "?")}')
  if command -v strace >/dev/null; then
    strace -c -f -p "$2" -o "$out" 2>/dev/null &
    tracer=$!
    sleep 0.5
    n=$(wrk -t1 -c1 -d2s -s "$work/post.lua" "$1/run" 2>/dev/null | awk '/requests in/ {print $1}')
    kill -INT "$tracer" 2>/dev/null
    wait "$tracer" 2>/dev/null || true
    calls=$(awk -v n="${n:-0}" '$NF == "total" && n > 0 {printf "%.1f", $4 / n}' "$out")
  fi
  echo "${cpu}us ${calls:-?}"
}

# measure NAME CONNECTIONS URL PID [ACTION]: one row (mock_invoker bench,
# then wrk); ACTION is loop.sh (bash, the default) or loop_c.sh.
rows=()
measure() {
  local name=$1 c=$2 url=$3 pid=$4 action=${5:-loop.sh} out=$work/$1-$2-${5:-loop.sh}.json
  "$mi" bench "$work/$action" --url "$url" --concurrency "$c" --duration "$seconds" \
    --json "$out" >/dev/null 2>&1 || true
  local rps p50 p99 failed idle wrk_out wrk_rps wrk_p99 wrk_err
  rps=$(json_get "$out" 'round(d["warm"]["throughput_rps"])' 2>/dev/null || echo "?")
  p50=$(json_get "$out" '"%.2f" % d["warm"]["latency_ms"]["p50"]' 2>/dev/null || echo "?")
  p99=$(json_get "$out" '"%.2f" % d["warm"]["latency_ms"]["p99"]' 2>/dev/null || echo "?")
  failed=$(json_get "$out" 'd["warm"]["failed"]' 2>/dev/null || echo "?")
  sleep 1
  idle=$(python3 -c "print('%.1f MiB' % ($(tree_rss_kb "$pid") / 1024))")
  wrk_out=$(wrk -t"$([ "$c" -gt 1 ] && echo 2 || echo 1)" -c"$c" -d"${seconds}s" --latency \
    -s "$work/post.lua" "$url/run" 2>&1 || true)
  wrk_rps=$(echo "$wrk_out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  wrk_p99=$(echo "$wrk_out" | awk '$1=="99%" {print $2}')
  wrk_err=$(echo "$wrk_out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
  local cost="- -"
  [ "$c" -eq 1 ] && cost=$(per_request "$url" "$pid")
  rows+=("$(printf '%-26s %4s  %8s  %8s  %8s  %6s  %10s  %8s  %8s  %7s  %7s  %s' "$name" "$c" \
    "$rps" "${p50}ms" "${p99}ms" "$failed" "$idle" "${wrk_rps:-?}" "${wrk_p99:-?}" $cost \
    "${wrk_err:-}")")
}

ours() {  # ours NAME CONNECTIONS POOL [ACTION]
  local port
  port=$(free_port)
  OW_WAIT_FOR_ACK=1 "$rr" --actionloop --actionloop-pool "$3" --host 127.0.0.1 --port "$port" \
    --action-dir "$work/action-$port" >/dev/null 2>&1 &
  rt_pid=$!
  wait_port "$port"
  echo "reference_runtime --actionloop-pool $3, $2 connection(s), ${seconds}s x2 ..." >&2
  measure "$1" "$2" "http://127.0.0.1:$port" "$rt_pid" "${4:-loop.sh}"
  kill "$rt_pid"
  wait "$rt_pid" 2>/dev/null || true
  rt_pid=""
}
ours "reference_runtime" 1 1
ours "reference_runtime" 8 1
ours "reference_runtime pool 8" 8 8
ours "reference_runtime, C loop" 1 1 loop_c.sh

go_note=""
if [ -n "${GO_ACTIONLOOP_PROXY:-}" ]; then
  # What the measurement needs inside the namespace's own shell.
  { declare -p mi work seconds; declare -f wait_port tree_rss_kb json_get measure cpu_ns per_request; } >"$work/lib.sh"
  if unshare -n true 2>/dev/null && command -v ip >/dev/null; then
    for run in "1 loop.sh Go proxy" "8 loop.sh Go proxy" "1 loop_c.sh Go proxy, C loop"; do
      read -r c action name <<<"$run"
      echo "$name, $c connection(s), in a private network namespace ..." >&2
      mkdir -p "$work/go-$c-$action"
      # The whole measurement runs inside the namespace; rows come back on stdout.
      row=$(unshare -n bash -c '
        ip link set lo up
        (cd "$1" && exec "$2" >/dev/null 2>&1) &
        proxy=$!  # the proxy itself (exec), so that kill ends it
        source "$3"
        wait_port 8080
        rows=()
        measure "$6" "$4" http://127.0.0.1:8080 "$proxy" "$5"
        kill "$proxy" 2>/dev/null
        printf "%s\n" "${rows[@]}"' _ "$work/go-$c-$action" "$GO_ACTIONLOOP_PROXY" "$work/lib.sh" \
        "$c" "$action" "$name")
      rows+=("$row")
    done
  else
    go_note="(GO_ACTIONLOOP_PROXY set, but no network namespace can be made here: skipped)"
  fi
fi

echo
echo "--actionloop benchmark: bash loop action, warm /run ($(nproc) cores, ${seconds}s per tool, $(date -u +%Y-%m-%dT%H:%MZ))"
echo "(idle rss: the server and its action processes, after the mock_invoker run; wrk runs on the same, initialized runtime;"
echo " cpu/req and sys/req: the server's own CPU time and syscalls per warm /run at 1 connection, wrk -c1 for 2 s each)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %4s  %8s  %8s  %8s  %6s  %10s  %8s  %8s  %7s  %7s\n' runtime conns "req/s" p50 p99 failed \
  "idle rss" "wrk rps" "wrk p99" "cpu/req" "sys/req"
for r in "${rows[@]}"; do echo "$r"; done
[ -z "$go_note" ] || echo "$go_note"
