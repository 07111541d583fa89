#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: dependencies, kernel, tools, host suites, VM suites (KUnit at
# boot, kselftest-style TAP suites, tool tests), then one closing line
# "N passed, N failed[, N skipped]".  Exit status 0 only if nothing failed.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
RESULTS=build/results
mkdir -p "$RESULTS"
rm -f "$RESULTS/host.tap"
: > "$RESULTS/stages.tap"
start=$(date +%s)

# A build stage that fails is one failed result; later stages that need
# it are skipped.
stage() {
	local name=$1 t0 rc
	shift
	t0=$(date +%s)
	echo "==> $name"
	"$@"
	rc=$?
	printf '    %s: %ds\n' "$name" $(( $(date +%s) - t0 )) | tee -a "$RESULTS/timing.txt"
	if [ $rc -ne 0 ]; then
		echo "not ok - stage '$name' failed (exit $rc)" >> "$RESULTS/stages.tap"
	fi
	return $rc
}

: > "$RESULTS/timing.txt"
{ echo "### SUITE build"; } >> "$RESULTS/stages.tap"
stage deps scripts/deps.sh || true
kernel_ok=0 tools_ok=0
stage kernel make -s kernel && kernel_ok=1
stage tools make -s util tests && tools_ok=1
if [ $tools_ok = 1 ]; then
	stage host-tests scripts/run-host-tests.sh || true
fi
rm -f "$RESULTS"/check.tap "$RESULTS"/console-check.log "$RESULTS"/stock.tap
if [ $kernel_ok = 1 ] && [ $tools_ok = 1 ]; then
	# The Debian guest image of make demo (cached in build/demo) for
	# tests/vm/vserver-debian.sh; that suite skips if it cannot be built.
	t0=$(date +%s)
	echo "==> demo-image"
	img=$(scripts/demo-image.sh 2> "$RESULTS/demo-image.log" | tail -1) || img=
	[ -f "$img" ] || img=
	note=" (not built, see $RESULTS/demo-image.log)"
	[ -n "$img" ] && note=" ($(basename "$img"))"
	printf '    demo-image: %ds%s\n' $(( $(date +%s) - t0 )) "$note" |
		tee -a "$RESULTS/timing.txt"
	export DISK=$img
	stage initramfs scripts/mkinitramfs.sh &&
	stage vm-tests scripts/vm.sh check || true
	unset DISK
fi
# The packages on a real Debian 12 system (its own kernel, systemd).
rm -f "$RESULTS/deb.tap"
deb_ok=0
if [ $kernel_ok = 1 ] && [ $tools_ok = 1 ] && stage deb make -s deb; then
	deb_ok=1
	stage check-deb sh -c "scripts/check-deb.sh > $RESULTS/deb.tap" || true
fi
# Debian's own config must keep every vserver option; the combined patch
# must give build/linux.
stage config-distro make -s config-distro || true
stage patch sh -c '{ echo "### SUITE build/patch"; scripts/mkpatch.sh
	echo "### EXIT $?"; } > build/results/patch.tap' || true
# The same patched tree with CONFIG_VSERVER=n must build and act as stock.
novs_ok=0
if [ $tools_ok = 1 ] && stage kernel-novs make -s kernel-novs; then
	novs_ok=1
	FLAVOUR=novs stage vm-stock scripts/vm.sh stock || true
fi
echo "### EXIT 0" >> "$RESULTS/stages.tap"
printf '    total: %ds\n' $(( $(date +%s) - start )) | tee -a "$RESULTS/timing.txt"

args=(--host "$RESULTS/stages.tap" --host "$RESULTS/patch.tap")
[ -f "$RESULTS/host.tap" ] && args+=(--host "$RESULTS/host.tap")
[ $deb_ok = 1 ] && args+=(--vm "$RESULTS/deb.tap")
if [ $kernel_ok = 1 ] && [ $tools_ok = 1 ]; then
	args+=(--kunit "$RESULTS/console-check.log" --vm "$RESULTS/check.tap")
fi
[ $novs_ok = 1 ] && args+=(--vm "$RESULTS/stock.tap")
exec python3 scripts/tap-summary.py "${args[@]}"
