#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every LSM hook has one static-call slot per LSM the kernel is built
# with: two in our configurations (capability and vserver).  A hook that
# vserver registers more often than the slots left by capability makes
# the kernel panic at boot ("Ran out of static slots"), so count them here
# where a mistake costs seconds, not a kernel build and a boot.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/tap.sh"
SLOTS=2
CAP=$TOP/build/linux/security/commoncap.c

hooks() { grep -ho 'LSM_HOOK_INIT([a-z_0-9]*' "$@" | sed 's/LSM_HOOK_INIT(//'; }

plan 2
if [ ! -f "$CAP" ]; then
	skip "vserver's hooks fit the static-call slots" "no kernel tree (make kernel)"
else
	cap_hooks=$(hooks "$CAP")
	over=$(hooks "$TOP"/kernel/vserver/*.c | sort | uniq -c |
	       while read -r n hook; do
		       c=$(grep -cx "$hook" <<<"$cap_hooks")
		       [ $((n + c)) -le $SLOTS ] ||
			       echo "$hook: vserver $n + capability $c > $SLOTS"
	       done)
	check "vserver's hooks fit the static-call slots" test -z "$over"
	[ -n "$over" ] && printf '# %s\n' "$over"
fi
# Each LSM the configurations enable takes a slot: only capability
# (always) and vserver may be enabled for SLOTS to hold.
extra=$(grep -h '^CONFIG_SECURITY_[A-Z]*=y\|^CONFIG_SECURITY_LANDLOCK=y\|^CONFIG_BPF_LSM=y' \
	"$TOP"/kernel/configs/*.config | grep -v 'CONFIG_SECURITY_VSERVER\|CONFIG_SECURITY_NETWORK\|CONFIG_SECURITY_PATH\|CONFIG_SECURITY_DMESG')
check "no other LSM is enabled in the config fragments" test -z "$extra"
[ -n "$extra" ] && printf '# %s\n' "$extra"
done_testing
