#!/usr/bin/env bash
# `cmake --install` into a temp prefix, the prefix moved elsewhere, then the
# installed mock_invoker checks the installed reference_runtime from there. One
# scenario file is removed from the moved tree first: `list` must no longer
# show it, which proves the catalogue is read from the moved prefix (found
# relative to the binary), not from the source tree.
# Usage: install_test.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: install_test.sh BUILD_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/owinstall-XXXXXX")
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/first" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "cmake --install failed"; }
mv "$work/first" "$work/moved"
prefix=$work/moved
data=$prefix/share/openwhisk-runtime-conformance
for f in bin/mock_invoker bin/reference_runtime share/openwhisk-runtime-conformance/LICENSE \
  share/openwhisk-runtime-conformance/profiles/skeleton/profile.json \
  share/openwhisk-runtime-conformance/profiles/skeleton/bin/checksum_action; do
  [ -e "$prefix/$f" ] || fail "not installed: $f"
done
ls "$data/scenarios"/*.json >/dev/null || fail "no scenario catalogue installed"

rm "$data/scenarios/result_compact.json"
"$prefix/bin/mock_invoker" list >"$work/list" 2>&1 || { cat "$work/list"; fail "list failed"; }
grep -q 'run.echo-object' "$work/list" || fail "list does not show the installed catalogue"
! grep -q 'result.compact-single-line' "$work/list" || fail "list read a catalogue other than the moved one"

# Through the variable too: a copy of the data elsewhere.
cp -r "$data" "$work/data-copy"
rm "$work/data-copy/scenarios/echo.json"
OW_CONFORMANCE_DATA=$work/data-copy "$prefix/bin/mock_invoker" list >"$work/list2" 2>&1
! grep -q 'run.echo-object' "$work/list2" || fail "OW_CONFORMANCE_DATA was not used"

cd "$work"  # nothing relative to the source or build tree
"$prefix/bin/mock_invoker" check --jobs 2 --color never \
  --launch "$prefix/bin/reference_runtime --host 127.0.0.1 --port {port} --action-dir {dir}" \
  >"$work/check" 2>&1
status=$?
tail -n 2 "$work/check"
[ "$status" -eq 0 ] || { cat "$work/check"; fail "check from the moved prefix: exit $status"; }
echo "PASS: installed, moved, checked"
