#!/usr/bin/env bash
# Builds the project's images offline, on the engine at $DOCKER_HOST (e.g. the
# private one of ci/dockerd.sh), from a host build tree:
#   <prefix>/base:busybox        FROM scratch + Debian's busybox-static (/bin/sh
#                                and the usual tools); no registry involved
#   <prefix>/reference-runtime   reference_runtime/Dockerfile, offline variant
#   <prefix>/mock-invoker        mock_invoker/Dockerfile, offline variant
# Prints each image's size. Nothing is pulled: every FROM is local or scratch.
# Usage: ci/images.sh [BUILD_DIR]   (env: OW_IMAGE_PREFIX=ow-conformance,
#                                    OW_DOCKER=/usr/bin/docker)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${BUILD_DIR:-$root/build}}
prefix=${OW_IMAGE_PREFIX:-ow-conformance}
docker_cli=${OW_DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1

for f in reference_runtime/reference_runtime mock_invoker/mock_invoker; do
  [ -x "$build/$f" ] || { echo "images.sh: $build/$f not built (ci/build.sh first)" >&2; exit 2; }
done
busybox=$(command -v busybox || true)
[ -n "$busybox" ] && { ldd "$busybox" 2>&1 || true; } | grep -q 'not a dynamic' ||
  { echo "images.sh: needs a static busybox (Debian's busybox-static)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/owimages-XXXXXX")
trap 'rm -rf "$work"' EXIT

build_image() {  # build_image TAG DOCKERFILE CONTEXT [docker build args...]
  local tag=$1 file=$2 ctx=$3
  shift 3
  "$docker_cli" build -q -t "$tag" -f "$file" "$@" "$ctx" >/dev/null ||
    { echo "images.sh: building $tag failed" >&2; exit 1; }
  printf '%-40s %s\n' "$tag" "$("$docker_cli" image inspect -f '{{.Size}}' "$tag" |
    awk '{printf "%.1f MB", $1 / 1000000}')"
}

# The base: busybox's applets as /bin/* links, a /tmp, nothing else.
mkdir -p "$work/base"
cp "$busybox" "$work/base/busybox"
cat >"$work/base/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox --install -s /bin && mkdir -p /tmp /usr/bin && chmod 1777 /tmp"]
DOCKERFILE
build_image "$prefix/base:busybox" "$work/base/Dockerfile" "$work/base"

for part in reference_runtime:runtime:reference-runtime mock_invoker:kit:mock-invoker; do
  IFS=: read -r dir component name <<<"$part"
  ctx=$work/$name
  "$root/ci/stage_rootfs.sh" "$ctx/prebuilt" "$build" "$component"
  build_image "$prefix/$name:latest" "$root/$dir/Dockerfile" "$ctx" \
    --build-arg BINARIES=prebuilt --build-arg RUNTIME_BASE="$prefix/base:busybox"
done
