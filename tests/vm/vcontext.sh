#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vcontext inside the VM: contexts created and entered through the tool.
. "$(dirname "$0")/../lib/tap.sh"

plan 14

check_out "VxID:	0" "host shell is in context 0" cat /proc/self/status
check_out "VxID:	4000" "--create --xid runs the command in the new context" \
	vcontext --create --silent --xid 4000 -- cat /proc/self/status
check_out "New security context is 4001" "--create reports the new xid" \
	vcontext --create --xid 4001 -- true
out=$(vcontext --create --silent -- cat /proc/self/status | awk '/^VxID:/ { print $2 }')
if [ "${out:-0}" -ge 49152 ]; then
	tap_result ok "--create without --xid picks a dynamic xid"
else
	tap_result fail "--create without --xid picks a dynamic xid" "got '$out'"
fi
check_rc 3 "the command's exit status passes through" \
	vcontext --create --silent -- sh -c 'exit 3'
check_rc 127 "a missing command exits 127" \
	vcontext --create --silent -- /nonexistent
check_out "Tasks:	1" "/proc/virtual/<xid>/status counts the task" \
	vcontext --create --silent --xid 4002 -- cat /proc/virtual/4002/status
xid=$(vcontext --create --persistent --silent --xid 4003)
check_out "4003" "--persistent without a command prints the xid" echo "$xid"
check "a persistent context stays after its creator" test -d /proc/virtual/4003
check_out "VxID:	4003" "--migrate enters an existing context" \
	vcontext --migrate --xid 4003 -- cat /proc/self/status
check_rc 254 "--create of an existing xid exits 254" \
	vcontext --create --silentexist --xid 4003 -- true
check_rc 1 "--migrate to a missing context fails" \
	vcontext --migrate --xid 4999 -- true
check_out "Operation not permitted" "a guest cannot create a context" \
	vcontext --create --silent --xid 4004 -- \
	vcontext --create --xid 4005 -- true
check_out "Operation not permitted" "a guest cannot migrate out" \
	vcontext --create --silent --xid 4006 -- \
	vcontext --migrate --xid 4003 -- true
done_testing
