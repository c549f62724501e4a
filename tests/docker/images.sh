#!/usr/bin/env bash
# ctest fixture: builds the project's images (ci/images.sh) on the private
# engine described by STATE, then the variants the docker tests use:
#   ow-conformance/reference-runtime:faulty   the reference image run with --fault errors-as-503
#   ow-conformance/reference-runtime:port9090 the reference image listening on 9090
#   ow-conformance/exits:latest               an entrypoint that exits at once, after a log line
# Usage: images.sh STATE BUILD_DIR   (exit 77 = skipped: no engine)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
state=${1:?usage: images.sh STATE BUILD_DIR} build=${2:?usage: images.sh STATE BUILD_DIR}
[ -f "$state" ] || { echo "images.sh: no engine state $state" >&2; exit 1; }
# shellcheck disable=SC1090
. "$state"
if [ -n "${OW_DOCKER_UNAVAILABLE:-}" ]; then
  echo "images.sh: skipped: no Docker engine: $OW_DOCKER_UNAVAILABLE"
  exit 77
fi
export DOCKER_HOST OW_DOCKER DOCKER_BUILDKIT=1
"$root/ci/images.sh" "$build"

work=$(mktemp -d "${TMPDIR:-/tmp}/owvariants-XXXXXX")
trap 'rm -rf "$work"' EXIT
variant() {  # variant TAG DOCKERFILE-TEXT
  mkdir -p "$work/$1"
  printf '%s\n' "$2" >"$work/$1/Dockerfile"
  "$OW_DOCKER" build -q -t "$1" "$work/$1" >/dev/null
  echo "built $1"
}
variant ow-conformance/reference-runtime:faulty \
  'FROM ow-conformance/reference-runtime:latest
CMD ["--fault", "errors-as-503"]'
variant ow-conformance/reference-runtime:port9090 \
  'FROM ow-conformance/reference-runtime:latest
ENTRYPOINT ["/usr/local/bin/reference_runtime", "--host", "0.0.0.0", "--port", "9090", "--action-dir", "/action"]'
variant ow-conformance/exits:latest \
  'FROM ow-conformance/base:busybox
ENTRYPOINT ["/bin/sh", "-c", "echo \"exits: cannot read /etc/runtime.conf\" >&2; exit 7"]'
