#!/usr/bin/env bash
# A benchmark of reference_runtime (not a test: it asserts nothing). Prints one
# table with:
#   - warm /run throughput and p50 latency (mock_invoker bench, keep-alive) of
#     a trivial shell action and of a compiled binary action, at concurrency 1
#     and 8, next to the floor (spawn_floor: the same executable spawned
#     directly in a loop) and their ratio;
#   - wrk on the same endpoint, to show the load generator is not the bottleneck;
#   - /init time of zip actions of 1, 10 and 50 MiB (incompressible data +
#     exec), the peak RSS and the worst stall of another connection meanwhile
#     (ci/bench_init.py), next to real runtimes when their launch commands are
#     given: BENCH_SKELETON_LAUNCH (the Docker skeleton's actionproxy.py) and
#     BENCH_ACTIONLOOP_LAUNCH (the Go actionloop proxy), each a command with
#     {port} and {dir} (the action dir) to start one on 127.0.0.1;
#   - the runtime's VmRSS at idle and the peak under load.
# Usage: ci/bench.sh [init]   (init: only the /init figures)
#   env: BENCH_SECONDS=5 per measurement, BENCH_INIT_REPEATS=3, BUILD_DIR=build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
seconds=${BENCH_SECONDS:-5}
repeats=${BENCH_INIT_REPEATS:-3}
only=${1:-all}

# Builds if needed: the same configuration as ci/build.sh, only the targets used here.
echo "building mock_invoker, reference_runtime and spawn_floor in $build ..." >&2
"$root/ci/deps.sh"
[ -f "$build/CMakeCache.txt" ] ||
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target mock_invoker reference_runtime spawn_floor >/dev/null
mi=$build/mock_invoker/mock_invoker
rr=$build/reference_runtime/reference_runtime
floor=$build/tests/invoke/spawn_floor
for f in "$mi" "$rr" "$floor"; do
  [ -x "$f" ] || { echo "bench.sh: missing $f (was the build configured with tests?)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/owbench-XXXXXX")
rt_pid=""
sampler_pid=""
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -n "$rt_pid" ] && kill "$rt_pid" 2>/dev/null && wait "$rt_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- the actions -------------------------------------------------------------
printf '#!/bin/sh\necho "{\\"ok\\":true}"\n' >"$work/trivial.sh"
chmod +x "$work/trivial.sh"
mkdir -p "$work/binary"
cat >"$work/tiny.cc" <<'EOF'
#include <cstdio>
int main() { std::puts("{\"ok\":true}"); return 0; }
EOF
g++ -O2 -o "$work/binary/exec" "$work/tiny.cc"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

start_runtime() {  # sets rt_pid and port
  port=$(free_port)
  mkdir -p "$work/action-$port"
  "$rr" --host 127.0.0.1 --port "$port" --action-dir "$work/action-$port" >/dev/null 2>&1 &
  rt_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "bench.sh: reference_runtime did not start" >&2
  exit 3
}
stop_runtime() {
  kill "$rt_pid" 2>/dev/null || true
  wait "$rt_pid" 2>/dev/null || true
  rt_pid=""
}
# Peak VmRSS of $rt_pid while the given command runs.
with_rss_peak() {
  local peak_file=$1
  shift
  echo 0 >"$peak_file"
  (
    peak=0
    while kill -0 "$rt_pid" 2>/dev/null; do
      r=$(rss_kb "$rt_pid")
      [ "${r:-0}" -gt "$peak" ] && peak=$r && echo "$peak" >"$peak_file"
      sleep 0.1
    done
  ) &
  sampler_pid=$!
  "$@"
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
}
json_get() {  # json_get FILE python-expression-on-d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# --- /init of large archives, side by side with real runtimes ----------------
init_table() {
  local runtimes=("reference_runtime=$rr --host 127.0.0.1 --port {port} --action-dir {dir}")
  local missing=()
  if [ -n "${BENCH_SKELETON_LAUNCH:-}" ]; then runtimes+=("skeleton=$BENCH_SKELETON_LAUNCH"); else missing+=(skeleton); fi
  if [ -n "${BENCH_ACTIONLOOP_LAUNCH:-}" ]; then runtimes+=("go-actionloop=$BENCH_ACTIONLOOP_LAUNCH"); else missing+=(go-actionloop); fi
  local args=()
  for r in "${runtimes[@]}"; do args+=(--runtime "$r"); done
  echo "init: 1, 10 and 50 MiB zips, $repeats fresh runtimes each ..." >&2
  python3 "$root/ci/bench_init.py" --sizes 1,10,50 --repeats "$repeats" "${args[@]}"
  for m in "${missing[@]}"; do
    printf '%-18s not available (set BENCH_%s_LAUNCH)\n' "$m" \
      "$([ "$m" = skeleton ] && echo SKELETON || echo ACTIONLOOP)"
  done
}
if [ "$only" = init ]; then
  echo
  init_table
  exit 0
fi

rows=()
rss_rows=()
wrk_rows=()

# --- warm throughput ---------------------------------------------------------
for kind in shell binary; do
  if [ "$kind" = shell ]; then action=$work/trivial.sh; exe=$work/trivial.sh; else action=$work/binary; exe=$work/binary/exec; fi
  for c in 1 8; do
    echo "warm: $kind action, concurrency $c, ${seconds}s ..." >&2
    start_runtime
    idle=$(rss_kb "$rt_pid")
    out=$work/bench-$kind-$c.json
    # /usr/bin/time: the load generator's own CPU use (it must not be the bottleneck).
    with_rss_peak "$work/peak" /usr/bin/time -f '%U %S %e' -o "$work/cpu" \
      "$mi" bench "$action" --url "http://127.0.0.1:$port" \
      --concurrency "$c" --duration "$seconds" --json "$out" >/dev/null
    gen_cpu=$(awk '{ if ($3 > 0) printf "%.0f%%", 100 * ($1 + $2) / $3 }' "$work/cpu")
    peak=$(cat "$work/peak")
    rps=$(json_get "$out" 'round(d["warm"]["throughput_rps"])')
    p50=$(json_get "$out" '"%.2f" % d["warm"]["latency_ms"]["p50"]')
    failed=$(json_get "$out" 'd["warm"]["failed"]')
    conns=$(json_get "$out" 'd["warm"]["connections_opened"]')
    if [ "$kind" = shell ] && command -v wrk >/dev/null; then
      # Same endpoint, same body, already initialized.
      body=$(python3 -c 'import json; print(json.dumps(json.dumps({"value":{},"namespace":"guest","action_name":"/guest/trivial","action_version":"0.0.1","activation_id":"0"*32,"transaction_id":"0"*32,"deadline":"9999999999999"})))')
      printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' "$body" >"$work/post.lua"
      wrk_out=$(wrk -t"$([ "$c" -gt 1 ] && echo 2 || echo 1)" -c"$c" -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/run" 2>&1 || true)
      wrk_rps=$(echo "$wrk_out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
      wrk_p50=$(echo "$wrk_out" | awk '$1=="50%" {print $2}')
      wrk_err=$(echo "$wrk_out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
      wrk_rows+=("$(printf '%-8s %4s  %10s  %10s   %10s  %10s  %s' "$kind" "$c" "$rps" "${p50}ms" "${wrk_rps:-?}" "${wrk_p50:-?}" "${wrk_err:-}")")
    fi
    stop_runtime
    echo "floor: $kind, concurrency $c ..." >&2
    floor_rps=$("$floor" --seconds "$seconds" --concurrency "$c" --stdin '{}' -- "$exe" '{}' |
      python3 -c 'import json,sys; print(round(json.load(sys.stdin)["per_second"]))')
    ratio=$(python3 -c "print('%.2f' % ($rps / $floor_rps if $floor_rps else 0))")
    rows+=("$(printf '%-8s %4s  %10s  %10s  %8s  %6s  %8s  %12s  %6s' "$kind" "$c" "$rps" "${p50}ms" "$failed" "$conns" "$gen_cpu" "$floor_rps" "$ratio")")
    rss_rows+=("$(printf '%-8s %4s  %10s  %12s' "$kind" "$c" \
      "$(python3 -c "print('%.1f MiB' % ($idle / 1024))")" \
      "$(python3 -c "print('%.1f MiB' % ($peak / 1024))")")")
  done
done

# --- the table ---------------------------------------------------------------
echo
echo "reference_runtime benchmark ($(nproc) cores, ${seconds}s per measurement, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
echo "warm /run (mock_invoker bench: libcurl multi, keep-alive) vs. the spawn floor"
echo "(gen cpu: the whole mock_invoker process's CPU use over its run, one core = 100%; ratio = req/s / floor)"
printf '%-8s %4s  %10s  %10s  %8s  %6s  %8s  %12s  %6s\n' action conc "req/s" p50 failed conns "gen cpu" "floor req/s" ratio
for r in "${rows[@]}"; do echo "$r"; done
echo
if [ ${#wrk_rows[@]} -gt 0 ]; then
  echo "load generator check: mock_invoker bench vs. wrk on the same runtime and endpoint"
  printf '%-8s %4s  %10s  %10s   %10s  %10s\n' action conc "bench rps" "bench p50" "wrk rps" "wrk p50"
  for r in "${wrk_rows[@]}"; do echo "$r"; done
  echo
fi
init_table
echo
echo "reference_runtime VmRSS (the server process; actions run as its children): idle after start, peak during the warm run"
printf '%-8s %4s  %10s  %12s\n' action conc idle "under load"
for r in "${rss_rows[@]}"; do echo "$r"; done

# --- --actionloop (bash loop action; the Go proxy too with GO_ACTIONLOOP_PROXY) ----
BUILD_DIR=$build BENCH_SECONDS=$seconds "$root/ci/bench_actionloop.sh"
