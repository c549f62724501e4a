#!/usr/bin/env bash
# ctest fixture around ci/dockerd.sh: `engine.sh start STATE` / `engine.sh stop STATE`.
# When no engine can be started (not root, no dockerd, no cgroups...), start
# records why in STATE and succeeds, so the tests that need the engine skip
# with that reason; with OW_REQUIRE_DOCKER=1 (ci/test.sh) it fails instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cmd=${1:?usage: engine.sh start|stop STATE} state=${2:?usage: engine.sh start|stop STATE}
case "$cmd" in
  start)
    "$root/ci/dockerd.sh" stop "$state" 2>/dev/null || true  # a previous run's leftover
    if ! why=$("$root/ci/dockerd.sh" start "$state" 2>&1 >/dev/null); then
      if [ "${OW_REQUIRE_DOCKER:-0}" = 1 ]; then
        echo "engine.sh: no Docker engine, and OW_REQUIRE_DOCKER=1: $why" >&2
        exit 1
      fi
      printf 'OW_DOCKER_UNAVAILABLE=%q\n' "$why" >"$state"
      echo "engine.sh: no Docker engine; the docker tests will skip: $why"
      exit 0
    fi
    cat "$state"
    ;;
  stop)
    if grep -q '^OW_DOCKER_UNAVAILABLE=' "$state" 2>/dev/null; then rm -f "$state"; exit 0; fi
    "$root/ci/dockerd.sh" stop "$state"
    ;;
  *) echo "usage: engine.sh start|stop STATE" >&2; exit 2 ;;
esac
