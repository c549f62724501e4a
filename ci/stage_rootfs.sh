#!/usr/bin/env bash
# Stages an image's root filesystem from a CMake build: installs one
# component under DEST/usr/local (`cmake --install --component`), then copies
# every shared library its executables load (ldd), at the same paths, so the
# tree runs on any base image with or without a C library.
# Usage: ci/stage_rootfs.sh DEST BUILD_DIR COMPONENT
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: stage_rootfs.sh DEST BUILD_DIR COMPONENT" >&2; exit 2; }
dest=$1 build=$2 component=$3
mkdir -p "$dest"
cmake --install "$build" --strip --prefix "$dest/usr/local" --component "$component" >/dev/null

# Every ELF executable of the component, binaries and compiled fixtures alike.
find "$dest/usr/local" -type f -perm -u+x | while read -r f; do
  head -c 4 "$f" | grep -q 'ELF' || continue
  ldd "$f" 2>/dev/null | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}'
done | sort -u | while read -r lib; do
  mkdir -p "$dest$(dirname "$lib")"
  cp -L "$lib" "$dest$lib"
done
