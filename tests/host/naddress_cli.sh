#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# naddress, chbind and nattribute command lines on the host: bad input is
# refused with exit status 2 before any system call.
. "$(dirname "$0")/../lib/tap.sh"
NA=${NA:-build/util/bin/naddress}
CB=${CB:-build/util/bin/chbind}
NT=${NT:-build/util/bin/nattribute}

plan 28
check_out "Usage:" "naddress --help" "$NA" --help
check_out "naddress from vserver" "naddress --version" "$NA" --version
check_rc 2 "naddress without a mode" "$NA"
check_rc 2 "naddress --add and --list" "$NA" --add --list
check_rc 2 "naddress --add without addresses" "$NA" --add
check_out "invalid address 'bogus'" "naddress bad address" \
	"$NA" --add --ip bogus
check_rc 2 "naddress prefix above 32" "$NA" --add --ip 192.0.2.1/33
check_rc 2 "naddress prefix above 128" "$NA" --add --ip 2001:db8::1/129
check_rc 2 "naddress non-contiguous mask" "$NA" --add --ip 192.0.2.1/255.0.255.0
check_rc 2 "naddress IPv6 range" "$NA" --add --ip 2001:db8::1-2001:db8::9
check_rc 2 "naddress --list with an address" "$NA" --list --ip 192.0.2.1
check_rc 2 "naddress --remove without addresses" "$NA" --remove
check_rc 2 "naddress --remove --all with --ip" "$NA" --remove --all --ip 192.0.2.1
check_rc 2 "naddress --add --all" "$NA" --add --all --ip 192.0.2.1
check_rc 2 "naddress --remove with a command" "$NA" --remove --all -- true
check_rc 2 "naddress bad nid" "$NA" --nid x --list
check_out "Usage:" "chbind --help" "$CB" --help
check_rc 2 "chbind without --ip" "$CB" -- true
check_rc 2 "chbind without a command" "$CB" --ip 192.0.2.1
check_rc 2 "chbind nid in the dynamic range" "$CB" --nid 60000 --ip 192.0.2.1 -- true
check_rc 2 "chbind unknown flag" "$CB" --flag nosuch --ip 192.0.2.1 -- true
check_rc 2 "chbind unknown ncap" "$CB" --ncap nosuch --ip 192.0.2.1 -- true
check_out "Usage:" "nattribute --help" "$NT" --help
check_rc 2 "nattribute without --get/--set" "$NT"
check_rc 2 "nattribute --get with --flag" "$NT" --get --flag single_ip
check_rc 2 "nattribute --set without changes" "$NT" --set
check_out "unknown network flag in '~bogus'" "nattribute unknown flag" \
	"$NT" --set --flag ~bogus
check_rc 2 "nattribute unknown ncap" "$NT" --set --ncap bogus
done_testing
