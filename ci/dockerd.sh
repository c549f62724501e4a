#!/usr/bin/env bash
# A private Docker engine for the tests, isolated from any system one:
#   ci/dockerd.sh start STATE   starts dockerd with its own --data-root,
#                               --exec-root, unix socket and bridge in a fresh
#                               temp dir; writes STATE (shell assignments:
#                               DOCKER_HOST, OW_DOCKERD_PID, OW_DOCKERD_DIR,
#                               OW_DOCKERD_BRIDGE) and prints DOCKER_HOST.
#   ci/dockerd.sh stop STATE    stops that dockerd by its PID (TERM, then KILL),
#                               unmounts what it left, removes its dir and bridge.
# No registry is used: the engine is only ever given locally built images.
# The docker client is Debian's (/usr/bin/docker, or $OW_DOCKER): another
# client elsewhere on PATH may speak a newer API than this engine.
# Exit status of start: 0 running, 1 could not start (reason on stderr).
set -euo pipefail

docker_cli=${OW_DOCKER:-/usr/bin/docker}

die() {
  echo "dockerd.sh: $*" >&2
  exit 1
}

# A /24 on 10.2xx.y.0 that no interface of this machine uses yet.
free_subnet() {
  local used a b
  used=$(ip -4 -o addr show 2>/dev/null | awk '{print $4}')
  for _ in $(seq 50); do
    a=$((200 + RANDOM % 50))
    b=$((RANDOM % 250 + 1))
    grep -q "^10\.$a\.$b\." <<<"$used" || {
      echo "10.$a.$b"
      return 0
    }
  done
  return 1
}

# Runs dockerd with the given extra args; waits until it answers.
launch() {
  local dir=$1
  shift
  rm -rf "$dir/data" "$dir/exec"
  mkdir -p "$dir/data" "$dir/exec"
  # setsid: the engine must not get the caller's terminal signals; it is
  # stopped by PID only.
  setsid dockerd --data-root "$dir/data" --exec-root "$dir/exec" \
    -H "unix://$dir/docker.sock" --pidfile "$dir/docker.pid" \
    --iptables=false --ip-masq=false --ip6tables=false --bridge "$bridge" \
    --userland-proxy=true "$@" </dev/null >"$dir/dockerd.log" 2>&1 &
  local pid=$!
  for _ in $(seq 150); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      return 1
    fi
    if DOCKER_HOST="unix://$dir/docker.sock" "$docker_cli" version >/dev/null 2>&1; then
      echo "$pid" >"$dir/pid"
      return 0
    fi
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

start() {
  local state=$1
  [ "$(id -u)" -eq 0 ] || die "needs root (dockerd manages mounts, namespaces and a bridge)"
  command -v dockerd >/dev/null || die "dockerd not installed (ci/deps.sh installs docker.io)"
  [ -x "$docker_cli" ] || die "docker client $docker_cli not found"
  command -v ip >/dev/null || die "ip (iproute2) not installed"
  # Short path: a unix socket path is limited to 107 bytes.
  local dir
  dir=$(mktemp -d /tmp/owdockerd-XXXXXX)
  bridge=owc$(basename "$dir" | tail -c 7 | tr -cd 'a-zA-Z0-9')
  local net
  net=$(free_subnet) || die "no free 10.2xx.y.0/24 subnet for the bridge"
  echo "$bridge" >"$dir/bridge"
  ip link add name "$bridge" type bridge || die "cannot create bridge $bridge"
  ip addr add "$net.1/24" dev "$bridge"
  ip link set "$bridge" up
  if ! launch "$dir"; then
    # overlay2 is not available everywhere (e.g. on top of another overlay).
    echo "dockerd.sh: default storage driver failed ($(tail -n 3 "$dir/dockerd.log" | tr '\n' ' ')); retrying with vfs" >&2
    launch "$dir" --storage-driver=vfs || {
      local log
      log=$(tail -n 5 "$dir/dockerd.log")
      cleanup_dir "$dir"
      die "dockerd did not start: $log"
    }
  fi
  cat >"$state" <<EOF
DOCKER_HOST=unix://$dir/docker.sock
OW_DOCKERD_PID=$(cat "$dir/pid")
OW_DOCKERD_DIR=$dir
OW_DOCKERD_BRIDGE=$bridge
OW_DOCKER=$docker_cli
EOF
  echo "unix://$dir/docker.sock"
}

# Unmounts anything left under the dir (overlay layers, netns), removes it and
# the bridge.
cleanup_dir() {
  local dir=$1
  local b=""
  [ -f "$dir/bridge" ] && b=$(cat "$dir/bridge")
  { grep -o " $dir/[^ ]*" /proc/self/mounts 2>/dev/null || true; } | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$dir"
  [ -n "$b" ] && ip link delete "$b" 2>/dev/null || true
}

stop() {
  local state=$1
  [ -f "$state" ] || return 0
  local pid dir
  pid=$(sed -n 's/^OW_DOCKERD_PID=//p' "$state")
  dir=$(sed -n 's/^OW_DOCKERD_DIR=//p' "$state")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # Containers first, so no runtime outlives its engine.
    local ids
    ids=$(DOCKER_HOST="unix://$dir/docker.sock" timeout 20 "$docker_cli" ps -q 2>/dev/null || true)
    [ -n "$ids" ] && DOCKER_HOST="unix://$dir/docker.sock" timeout 20 "$docker_cli" kill $ids >/dev/null 2>&1 || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # dockerd's own containerd, if the engine died without stopping it.
  if [ -n "$dir" ]; then
    local cpid
    cpid=$(cat "$dir/exec/containerd/containerd.pid" 2>/dev/null || true)
    if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
      kill -KILL "$cpid" 2>/dev/null || true
      sleep 0.2
    fi
    [ -d "$dir" ] && cleanup_dir "$dir"
  fi
  rm -f "$state"
}

case "${1:-}" in
  start) [ $# -eq 2 ] || die "usage: dockerd.sh start STATE_FILE"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: dockerd.sh stop STATE_FILE"; stop "$2" ;;
  *) die "usage: dockerd.sh start|stop STATE_FILE" ;;
esac
