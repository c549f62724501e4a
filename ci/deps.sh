#!/usr/bin/env bash
# Installs the Debian packages the project needs. Idempotent and quiet when
# everything is already present.
#   ci/deps.sh           what building and testing need (CI, ci/test.sh)
#   ci/deps.sh --build   only what building mock_invoker and reference_runtime
#                        needs (ci/main.sh, the GitHub Action)
#   ci/deps.sh --fuzz    building plus clang and its libFuzzer/sanitizer
#                        runtimes (libclang-rt-14-dev), for ci/fuzz.sh
# The test-only packages: python3-jsonschema (the JSON report is validated
# against docs/report.schema.json), libxml2-utils (xmllint, for the JUnit
# schema), chromium and a font (the HTML report is opened in a real headless
# browser). chromium is the largest download (about 80 MB) and only tests need it.
# docker.io, containerd, runc, iproute2: the private Docker engine of the
# --image tests (ci/dockerd.sh); busybox-static: the offline image base.
set -euo pipefail

packages=(
  build-essential cmake pkg-config zip
  libboost-dev libboost-filesystem-dev
  libcurl4-openssl-dev nlohmann-json3-dev libzip-dev libarchive-dev zlib1g-dev libcxxopts-dev
  libgtest-dev libgmock-dev libxml2-dev
  python3 time
)
fuzz_packages=(clang libclang-rt-14-dev)
case "${1:-}" in
  --build) ;;
  --fuzz) packages+=("${fuzz_packages[@]}") ;;
  "") packages+=("${fuzz_packages[@]}" wrk python3-jsonschema libxml2-utils chromium fonts-dejavu-core
        docker.io containerd runc busybox-static iproute2) ;;
  *) echo "usage: ci/deps.sh [--build|--fuzz]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
