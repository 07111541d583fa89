#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vdlimit command lines on the host: bad input is refused with exit
# status 2 before any system call.
. "$(dirname "$0")/../lib/tap.sh"
VD=${VD:-build/util/bin/vdlimit}

plan 9
check_out "Usage:" "vdlimit --help" "$VD" --help
check_out "vdlimit from vserver" "vdlimit --version" "$VD" --version
check_out "--xid is required" "vdlimit without --xid" "$VD" /tmp
check_rc 2 "vdlimit without a path" "$VD" --xid 5
check_rc 2 "vdlimit with two paths" "$VD" --xid 5 /a /b
check_out "unknown limit 'reserved'" "an unknown limit is named" \
	"$VD" --xid 5 --set reserved=5 /tmp
check_rc 2 "a limit without a value" "$VD" --xid 5 --set space_total /tmp
check_rc 2 "a bad value" "$VD" --xid 5 --set inodes_total=many /tmp
check_rc 2 "--set and --remove" "$VD" --xid 5 --set inodes_total=5 --remove /tmp
done_testing
