#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vserver build -m clone: a new guest from an existing one by vclone.
# Unified files are shared as hardlinks; a clone that writes one gets its
# own copy and the source keeps the original.  xids 24900-24999.
. "$(dirname "$0")/../lib/tap.sh"

T=/tmp/vserver-clone
export VSERVER_CONFDIR=$T/etc
V="timeout 120 vserver"
BB=/bin/busybox
[ -x $BB ] || BB=$(which busybox)

plan 12

rm -rf $T
mkdir -p $T/etc $T/root/src/bin $T/root/src/sbin $T/root/src/data \
	$T/root/src/etc $T/root/src/proc $T/root/src/dev $T/root/src/tmp
cp "$BB" $T/root/src/bin/busybox
for a in sh cat echo sleep init; do ln -sf busybox $T/root/src/bin/$a; done
ln -sf ../bin/busybox $T/root/src/sbin/init
printf 'root:x:0:0:root:/:/bin/sh\n' > $T/root/src/etc/passwd
printf 'root:x:0:\n' > $T/root/src/etc/group
echo "the shared original" > $T/root/src/data/shared.txt

check "source guest (skeleton)" $V src build -m skeleton --rootdir $T/root \
	--context 24900
check "vhashify the source" vhashify $T/root/src
check_out "would: vclone $T/root/src $T/root/c1" "clone --dry-run" \
	$V c1 build -m clone -n --rootdir $T/root -- --source src
check "clone of a guest by name" $V c1 build -m clone --rootdir $T/root \
	--context 24901 -- --source src
check "the clone shares the unified file" \
	test "$(stat -c %i $T/root/src/data/shared.txt)" = \
	     "$(stat -c %i $T/root/c1/data/shared.txt)"
check_out "24901" "the clone has its own context" cat $T/etc/c1/context
mkdir $T/root/c2
check_rc 1 "cloning onto an existing root fails" \
	$V c2 build -m clone --rootdir $T/root -- --source $T/root/c1
check "... and leaves no configuration" test ! -e $T/etc/c2

check "start the clone" $V c1 start
check "the clone writes the shared file" \
	$V c1 exec sh -c 'echo "changed in c1" > /data/shared.txt'
check_out "the shared original" "the source keeps the original" \
	cat $T/root/src/data/shared.txt
check_out "changed in c1" "the clone sees its own copy" \
	cat $T/root/c1/data/shared.txt
$V c1 stop >/dev/null 2>&1
$V c1 delete --force >/dev/null 2>&1
$V src delete --force >/dev/null 2>&1
rm -rf $T
done_testing
