#!/usr/bin/env bash
# Installs the Debian packages the project needs. Idempotent and quiet when
# everything is already present.
set -euo pipefail

packages=(
  build-essential cmake pkg-config zip
  libboost-dev libboost-filesystem-dev
  libcurl4-openssl-dev nlohmann-json3-dev libzip-dev libcxxopts-dev
  libgtest-dev libgmock-dev libxml2-dev
  python3 wrk time
)

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
