#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run every test suite inside the VM.  Each suite's TAP output is framed by
# "### SUITE name" and "### EXIT status" lines for scripts/tap-summary.py.
T=/opt/vserver/tests
SUITE_TIMEOUT=${SUITE_TIMEOUT:-300}

run_suite() {
	name=$1
	shift
	echo "### SUITE $name"
	timeout "$SUITE_TIMEOUT" "$@" 2>&1
	echo "### EXIT $?"
}

# Which shell suites: "vm" on the vserver kernel, "stock" on the
# CONFIG_VSERVER=n kernel (where the kselftest suites skip).
shell_suites=${1:-vm}

for t in "$T"/kernel/*; do
	[ -x "$t" ] && run_suite "kernel/$(basename "$t")" "$t"
done
for t in "$T/$shell_suites"/*.sh; do
	[ -x "$t" ] && run_suite "$shell_suites/$(basename "$t" .sh)" "$t"
done
# The fuzzer and the churn, a short pass (make check-fuzz runs the long
# one); last, because the fuzzer changes contexts and inode attributes.
if [ "$shell_suites" = vm ] && [ -x "$T/fuzz/run-fuzz.sh" ]; then
	FUZZ_KMEMLEAK=0 "$T/fuzz/run-fuzz.sh"
fi
# On the debug kernel: a kmemleak scan after everything ran.  Leaks of
# objects allocated by vserver code fail; others are reported only.
if mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null &&
   [ -w /sys/kernel/debug/kmemleak ]; then
	echo "### SUITE debug/kmemleak"
	echo "1..1"
	echo scan > /sys/kernel/debug/kmemleak
	sleep 5
	echo scan > /sys/kernel/debug/kmemleak
	leaks=/tmp/kmemleak.txt
	cat /sys/kernel/debug/kmemleak > $leaks
	sed 's/^/# /' $leaks
	if grep -q 'vx_\|vc_\|vserver' $leaks; then
		echo "not ok 1 no leaks from vserver code"
	else
		echo "ok 1 no leaks from vserver code"
	fi
	echo "### EXIT 0"
fi
exit 0
