#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vattribute and vkill inside the VM, and what a guest can see.
. "$(dirname "$0")/../lib/tap.sh"

plan 14

vcontext --create --persistent --silent --xid 5000 >/dev/null
check_out "persistent" "--get shows the flags by name" \
	vattribute --xid 5000 --get
check "--set --flag" vattribute --xid 5000 --set --flag virt_uptime,hideinfo
check_out "virt_uptime" "the flag is set" vattribute --xid 5000 --get
check "--set --flag ~NAME clears" vattribute --xid 5000 --set --flag ~hideinfo
out=$(vattribute --xid 5000 --get)
case $out in
*hideinfo*) tap_result fail "the flag is cleared" "$out" ;;
*) tap_result ok "the flag is cleared" ;;
esac
check "--secure" vattribute --xid 5000 --set --secure
check_out "bcaps:  0x00000000b44c04ff" "--secure leaves util-vserver's guest-safe set" \
	vattribute --xid 5000 --get
check_out "set_utsname,raw_icmp,audit_control" "--secure sets the ccaps" \
	vattribute --xid 5000 --get
check_rc 1 "a guest sees no host process (/proc/1)" \
	vcontext --migrate --xid 5000 -- test -d /proc/1
check_out "Operation not permitted" "root in a --secure guest cannot mknod" \
	vcontext --migrate --xid 5000 -- mknod /tmp/vs-null c 1 3
check_out "flags:" "a guest reads its own context with --xid self" \
	vcontext --migrate --xid 5000 -- vattribute --get
vattribute --xid 5000 --set --flag ~persistent

vcontext --create --silent --xid 5001 --disconnect -- sleep 1000
sleep 1
check_out "Tasks:	1" "a background guest is running" cat /proc/virtual/5001/status
check "vkill --xid -s KILL kills the whole context" vkill --xid 5001 -s KILL
i=0
while [ -d /proc/virtual/5001 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "the context ended" test ! -d /proc/virtual/5001
done_testing
