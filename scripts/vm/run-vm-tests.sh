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
exit 0
