#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The robustness suites, inside the test VM: the sys_vserver fuzzer, its
# fault mode, the planted bug it must find and replay, context churn, a
# trinity syscall storm inside a guest, then the isolation suites again.
# make check runs a short pass (fuzzer and churn); make check-fuzz runs
# everything on the debug kernel.  Each part is a "### SUITE" of its own.
#
#   FUZZ_CALLS        vsfuzz calls (default 100000)
#   FUZZ_FAULT_CALLS  calls in fault mode (default 0: not run)
#   FUZZ_SEED         the seed (default: a fresh one, printed)
#   FUZZ_CHURN        guests made and destroyed (default 1000)
#   FUZZ_TRINITY      trinity syscalls inside a guest (default 0: not run)
#   FUZZ_PLANT=1      arm the planted bug: the fuzzer must find it and the
#                     replay must hit it again
#   FUZZ_RECHECK=1    the isolation suites once more at the end
#   FUZZ_KMEMLEAK=0   leave kmemleak to the caller (run-vm-tests.sh)
T=/opt/vserver/tests
F=$T/fuzz
. $T/lib/tap.sh

CALLS=${FUZZ_CALLS:-100000}
FAULT_CALLS=${FUZZ_FAULT_CALLS:-0}
SEED=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
CHURN=${FUZZ_CHURN:-1000}
TRINITY=${FUZZ_TRINITY:-0}
DBG=/sys/kernel/debug
KML=$DBG/kmemleak
[ "${FUZZ_KMEMLEAK:-1}" = 0 ] && KML=/nonexistent
PLANT=/sys/module/vserver/parameters/planted_bug
Q=/tmp/vsfuzz/q

suite() { echo "### SUITE fuzz/$1"; TAP_N=0; TAP_FAILED=0; }
endsuite() { echo "### EXIT $TAP_FAILED"; }

mount -t debugfs debugfs $DBG 2>/dev/null
# Leaks kmemleak knew of before are not ours to report.
[ -w $KML ] && echo clear > $KML

# An ext4 file system with project quotas: the disk limit commands reach
# the quota code (the fuzzer's and the churn's /tmp/vsfuzz/q).
mkdir -p $Q
LOOP=$(losetup -f 2>/dev/null)
if [ -n "$LOOP" ] && gunzip -c $T/kernel/vdlimit-ext4.img.gz > /tmp/fuzzq.img &&
   losetup "$LOOP" /tmp/fuzzq.img && mount -t ext4 -o prjquota "$LOOP" $Q; then
	QUOTA="--quota $Q"
else
	QUOTA=
	echo "# no ext4 file system with project quotas: disk limits not fuzzed"
fi

# Output of a command, as it comes, indented as TAP diagnostics (and in
# /tmp/fuzz.out); its exit status kept.
run() {
	{ "$@"; echo $? > /tmp/fuzz.rc; } 2>&1 | tee /tmp/fuzz.out |
		sed 's/^/# /; s/^# # /# /'
	return "$(cat /tmp/fuzz.rc)"
}

suite vsfuzz
plan 1
if run timeout 3000 $F/vsfuzz --seed "$SEED" --calls "$CALLS" \
	--ring /tmp/vsfuzz.ring; then
	tap_result ok "vsfuzz: $CALLS calls, seed $SEED, 0 reports"
else
	tap_result fail "vsfuzz: $CALLS calls, seed $SEED (replay: vsfuzz --replay, ring below)"
	sed 's/^/# /' /tmp/vsfuzz.ring 2>/dev/null
fi
endsuite

suite vsfuzz-fault
plan 1
if [ "$FAULT_CALLS" = 0 ]; then
	skip "vsfuzz --fault" "not asked for (FUZZ_FAULT_CALLS)"
elif [ ! -e /proc/self/fail-nth ]; then
	skip "vsfuzz --fault" "no CONFIG_FAULT_INJECTION (make check-fuzz)"
elif run timeout 3000 $F/vsfuzz --fault --seed "$SEED" --calls "$FAULT_CALLS" \
	--ring /tmp/vsfuzz-fault.ring; then
	tap_result ok "vsfuzz --fault: $FAULT_CALLS calls, seed $SEED, 0 reports"
else
	tap_result fail "vsfuzz --fault: $FAULT_CALLS calls, seed $SEED"
	sed 's/^/# /' /tmp/vsfuzz-fault.ring 2>/dev/null
fi
endsuite

# The test of the test: with the planted overflow armed, the fuzzer must
# report it and the replay of its ring must hit it again.
if [ "${FUZZ_PLANT:-0}" = 1 ]; then
	suite vsfuzz-planted
	plan 3
	if [ ! -w $PLANT ]; then
		skip "planted bug found" "no CONFIG_VSERVER_PLANTED_BUG"
		skip "planted bug replayed" "no CONFIG_VSERVER_PLANTED_BUG"
		skip "clean after disarming" "no CONFIG_VSERVER_PLANTED_BUG"
	else
		echo 1 > $PLANT
		run timeout 3000 $F/vsfuzz --seed "$SEED" --calls 1000000 \
			--ring /tmp/planted.ring
		rc=$?
		if [ $rc = 1 ] && grep -q "first report: .*KASAN.*vx_planted_bug" /tmp/fuzz.out; then
			tap_result ok "the fuzzer finds the planted overflow ($(sed -n 's/^# \([0-9]* calls\) in.*/\1/p' /tmp/fuzz.out))"
		else
			tap_result fail "the fuzzer finds the planted overflow (exit $rc)"
		fi
		run timeout 600 $F/vsfuzz --replay /tmp/planted.ring
		rc=$?
		if [ $rc = 1 ] && grep -q "KASAN.*vx_planted_bug" /tmp/fuzz.out; then
			tap_result ok "the replay of its ring hits it again"
		else
			tap_result fail "the replay of its ring hits it again (exit $rc)"
		fi
		echo 0 > $PLANT
		check "disarmed, the replay is clean" $F/vsfuzz --replay /tmp/planted.ring
	fi
	endsuite
fi

suite churn
plan 2
# Slab usage is compared on kernels without KASAN, whose quarantine
# holds freed objects back (the debug kernel checks with kmemleak).
slab=
[ -w $KML ] && slab=--no-slab-check
if run timeout 1500 $F/vschurn --rounds "$CHURN" $QUOTA $slab; then
	tap_result ok "$CHURN guests with addresses, limits, a bucket and a disk limit come and go"
else
	tap_result fail "$CHURN guests with addresses, limits, a bucket and a disk limit come and go"
fi
# ... and the check can fail: persistent contexts stay and are found.
if run timeout 600 $F/vschurn --rounds 200 --keep $slab; then
	tap_result fail "vschurn --keep: contexts that stay are reported"
else
	tap_result ok "vschurn --keep: contexts that stay are reported"
fi
endsuite

if [ "$TRINITY" != 0 ]; then
	suite trinity
	plan 3
	$F/trinity-guest.sh "$TRINITY" "$SEED"
	endsuite
fi

if [ "${FUZZ_RECHECK:-0}" = 1 ]; then
	for t in isolation_test escape_test; do
		echo "### SUITE fuzz/after-$t"
		timeout 600 $T/kernel/$t 2>&1
		echo "### EXIT $?"
	done
fi

if [ -w $KML ]; then
	suite kmemleak
	plan 1
	echo scan > $KML
	sleep 6
	echo scan > $KML
	cat $KML > /tmp/kmemleak.txt
	if [ -s /tmp/kmemleak.txt ]; then
		tap_result fail "kmemleak: no leaks after the fuzzer and the churn"
		sed 's/^/# /' /tmp/kmemleak.txt | head -200
	else
		tap_result ok "kmemleak: no leaks after the fuzzer and the churn"
	fi
	endsuite
fi
umount $Q 2>/dev/null
[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
rm -f /tmp/fuzzq.img
exit 0
