#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run on the CONFIG_VSERVER=n kernel built from the same patched tree:
# nothing of vserver is visible and the kernel behaves as stock.
. "$(dirname "$0")/../lib/tap.sh"

plan 6
check_out "kernel has no vserver support" "syscall 236 answers ENOSYS" \
	vcontext --create -- true
check_rc 1 "vcontext fails cleanly" vcontext --create -- true
check "no /proc/virtual" test ! -e /proc/virtual
out=$(grep -c '^VxID:' /proc/self/status)
if [ "$out" = 0 ]; then
	tap_result ok "no VxID: line in /proc/self/status"
else
	tap_result fail "no VxID: line in /proc/self/status" "$out"
fi
mkdir -p /sys/kernel/security
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
lsms=$(cat /sys/kernel/security/lsm 2>/dev/null)
case ",$lsms," in
*,vserver,*) tap_result fail "vserver is not among the LSMs" "$lsms" ;;
*) tap_result ok "vserver is not among the LSMs" ;;
esac
check "pid 1 is visible in /proc" test -d /proc/1
done_testing
