#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vsched command lines on the host: usage errors change nothing.
. "$(dirname "$0")/../lib/tap.sh"
VS=${VS:-build/util/bin/vsched}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT

plan 14
check_out "Usage:" "vsched --help" "$VS" --help
check_out "vsched from vserver" "vsched --version" "$VS" --version
check_rc 2 "vsched without --xid" "$VS" --fill-rate 1
check_rc 2 "vsched bad xid" "$VS" --xid zero --fill-rate 1
check_out "invalid number 'x' for --fill-rate" "vsched bad number" \
	"$VS" --xid 5 --fill-rate x
check_rc 2 "vsched number out of range" "$VS" --xid 5 --interval 99999999999
check_rc 2 "vsched nothing to do" "$VS" --xid 5
check_rc 2 "vsched --list with options" "$VS" --xid 5 --list --fill-rate 1
check_rc 2 "vsched --missingok without --dir" "$VS" --xid 5 --missingok
check_rc 2 "vsched unknown option" "$VS" --xid 5 --bogus
check_rc 0 "vsched missing --dir with --missingok" \
	"$VS" --xid 5 --dir "$D/none" --missingok
check_rc 1 "vsched missing --dir" "$VS" --xid 5 --dir "$D/none"
echo 1 > "$D/fill-rate"
echo four > "$D/interval"
check_out "$D/interval: not a number" "vsched bad sched/ file" \
	"$VS" --xid 5 --dir "$D"
check "man page documents --idle-time" grep -q -- 'idle\\-time' util/man/vsched.8
done_testing
