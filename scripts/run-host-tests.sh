#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the host-side suites (libvserver, tool command lines); TAP framed for
# scripts/tap-summary.py in build/results/host.tap.
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/results/host.tap
mkdir -p "$(dirname "$OUT")"
cd "$TOP" || exit 1
: > "$OUT"
for t in build/tests/host/*; do
	[ -x "$t" ] || continue
	{ echo "### SUITE host/$(basename "$t")"; "$t" 2>&1; echo "### EXIT $?"; } >> "$OUT"
done
for t in tests/host/*.sh; do
	{ echo "### SUITE host/$(basename "$t" .sh)"; bash "$t" 2>&1; echo "### EXIT $?"; } >> "$OUT"
done
{ echo "### SUITE host/checkpatch"; scripts/checkpatch.sh 2>&1; echo "### EXIT $?"; } >> "$OUT"
grep -c '^ok ' "$OUT" | sed 's/^/  HOST    passed: /'
! grep -q '^not ok ' "$OUT"
