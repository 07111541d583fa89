#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vwait: waiting for a context to end, and why it ended.
. "$(dirname "$0")/../lib/tap.sh"

plan 8
vcontext --create --silent --xid 8000 --initpid --disconnect -- sleep 1
check_out "FINISHED 0" "a context whose init exits is FINISHED" vwait 8000

vcontext --create --silent --xid 8001 --initpid --disconnect -- sleep 100
(sleep 1; vkill --xid 8001 -s KILL) &
check_out "KILLED 9" "a killed context is KILLED, with the signal" vwait 8001
wait

vcontext --create --silent --xid 8002 --initpid --disconnect -- sleep 100
check_out "TIMEOUT" "--timeout gives up" vwait --timeout 1 8002
check_rc 1 "a timeout exits 1" vwait --timeout 1 8002
check_out "KILLED" "--terminate kills the context on timeout" \
	vwait --timeout 1 --terminate 8002

vcontext --create --silent --xid 8003 --flag reboot_kill --initpid \
	--disconnect -- sh -c 'sleep 1; reboot -f'
check_out "REBOOT" "reboot in a reboot_kill guest ends it as REBOOT" vwait 8003
check_out "No such process" "vwait on a missing context" vwait 8999
check_rc 2 "vwait without xid" vwait
done_testing
