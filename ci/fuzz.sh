#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan+UBSan, in build-fuzz/) and runs
# each for SECONDS, starting from the seed corpus in fixtures/fuzz/<harness>/.
# Usage: ci/fuzz.sh [SECONDS] [HARNESS...]   (default 30 s; request archive body)
# Prints execs/s and total execs per harness. Fails if any harness finds a
# crash, a leak or a broken promise; the input is left in
# build-fuzz/artifacts/ (add it to the seed corpus with the fix).
# The corpus grown by a run stays in build-fuzz/corpus/ and seeds the next.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(request archive body)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

"$root/ci/deps.sh" --fuzz
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOW_FUZZ=ON \
  "${launcher[@]}" >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

mkdir -p "$build/artifacts" "$build/logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for h in "${harnesses[@]}"; do
  corpus=$build/corpus/$h
  mkdir -p "$corpus"
  log=$build/logs/$h.log
  status=0
  # The request harness keeps a server running on a thread of its own, so
  # malloc and free counts differ after most inputs, and libFuzzer would run
  # a whole leak check after each (half the rate). Leaks are still checked
  # when the run ends (ASAN_OPTIONS below).
  extra=()
  [ "$h" != request ] || extra=(-detect_leaks=0)
  # Seeds are read, never written: new inputs go to the work corpus.
  "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/artifacts/$h-" "${extra[@]}" \
    "$corpus" "$root/fixtures/fuzz/$h" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus_size=$(find "$corpus" -type f | wc -l)
  echo "fuzz $h: ${seconds} s, ${execs:-?} execs, ${rate:-?} execs/s, corpus $corpus_size, exit $status"
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E "ERROR|SUMMARY|broken promise|Test unit written" "$log" | head -20 >&2 || true
  fi
done
exit "$failed"
