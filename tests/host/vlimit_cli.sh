#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vlimit command lines on the host: bad input is refused with exit status
# 2 before any system call.
. "$(dirname "$0")/../lib/tap.sh"
VL=${VL:-build/util/bin/vlimit}

plan 14
check_out "Usage:" "vlimit --help" "$VL" --help
check_out "vlimit from vserver" "vlimit --version" "$VL" --version
check_rc 2 "nothing to do" "$VL"
check_out "invalid value 'lots' for --nproc" "a bad value is named" \
	"$VL" --xid 5 --nproc lots
check_rc 2 "a negative value" "$VL" --xid 5 --nofile -1
check_rc 2 "a value with two units" "$VL" --xid 5 --nofile 1KK
check_rc 2 "an unknown unit" "$VL" --xid 5 --as 5T
check_out "too large" "a value that does not fit" \
	"$VL" --xid 5 --nofile 99999999999999999999
check_rc 2 "the largest finite value with a unit overflows" \
	"$VL" --xid 5 --nofile 18014398509481984K
check_out "-M, -S and -H go before" "-S without a resource" "$VL" --xid 5 -S
check_rc 2 "--missingok without --dir" "$VL" --xid 5 --missingok --list
check_rc 2 "a bad xid" "$VL" --xid 0 --list
check_rc 2 "an unknown resource" "$VL" --xid 5 --bogus 3
check_rc 2 "an unknown option" "$VL" -q
done_testing
