#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vnamespace and vuname command lines on the host.
. "$(dirname "$0")/../lib/tap.sh"
VN=${VN:-build/util/bin/vnamespace}
VU=${VU:-build/util/bin/vuname}

plan 19
check_out "Usage:" "vnamespace --help" "$VN" --help
check_rc 2 "vnamespace without a mode" "$VN" -- true
check_rc 2 "vnamespace --new and --enter" "$VN" --new --enter 5 -- true
check_rc 2 "vnamespace --new without command" "$VN" --new
check_rc 2 "vnamespace bad index" "$VN" --set --index 2
check_rc 2 "vnamespace bad mask" "$VN" --new --mask xyz -- true
check_rc 2 "vnamespace --enter with spaces" "$VN" --enter 5 --uts -- true
check_rc 2 "vnamespace bad xid" "$VN" --enter zero -- true
check_out "Usage:" "vuname --help" "$VU" --help
check_rc 2 "vuname without --xid" "$VU" --get
check_rc 2 "vuname -t without =" "$VU" --xid 5 --set -t nodename
check_out "unknown field 'bogus'" "vuname unknown field" "$VU" --xid 5 --set -t bogus=x
check_rc 2 "vuname value too long" "$VU" --xid 5 --set \
	-t nodename=$(printf 'a%.0s' $(seq 65))
check_rc 2 "vuname --set without -t" "$VU" --xid 5 --set
VW=${VW:-build/util/bin/vwait}
check_out "Usage:" "vwait --help" "$VW" --help
check_rc 2 "vwait without xid" "$VW"
check_rc 2 "vwait two xids" "$VW" 5 6
check_rc 2 "vwait bad timeout" "$VW" --timeout -3 5
check_rc 2 "vwait --terminate without --timeout" "$VW" --terminate 5
done_testing
