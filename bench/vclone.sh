#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vclone against cp -a on the same tree, in the same VM boot, on the ext4
# disk (tmpfs without one): time ratio and extra disk space; then the
# cost of a guest's first write to a shared 1 MiB and 100 MiB file (the
# copy-on-write break) against a write to an unshared file.
set -u
PATH=/opt/vserver/bin:$PATH
M=/mnt/vx-bench
FILES=${BENCH_FILES:-2000}

now() { cut -d' ' -f1 /proc/uptime; }
used() { df -k "$M" | awk 'NR==2 {print $3}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }

mkdir -p $M
if [ -b /dev/vda ] && mount -t ext4 /dev/vda $M 2>/dev/null; then
	fs=ext4
else
	mount -t tmpfs -o size=600m tmpfs $M
	fs=tmpfs
fi
rm -rf $M/bench
mkdir -p $M/bench/t/usr/lib $M/bench/t/etc
cd $M/bench || exit 1

# A synthetic distribution tree: FILES files of 1-64 KiB in 100 dirs
# (no Debian minbase tree in the test VM).
i=0
while [ $i -lt "$FILES" ]; do
	d=t/usr/lib/d$((i % 100))
	[ -d $d ] || mkdir -p $d
	dd if=/dev/urandom of=$d/f$i bs=1024 count=$((i % 64 + 1)) 2>/dev/null
	i=$((i + 1))
done
echo "# $fs: $(find t -type f | wc -l) files, $(du -sk t | cut -f1) KiB"
vhashify t > /dev/null || echo "# vhashify failed"
sync

u0=$(used); t0=$(now)
cp -a t cp-copy
sync; t1=$(now); u1=$(used)
vclone t clone > /dev/null
sync; t2=$(now); u2=$(used)
cp_s=$(secs "$t0" "$t1"); vc_s=$(secs "$t1" "$t2")
echo "cp -a:  ${cp_s} s, $((u1 - u0)) KiB"
echo "vclone: ${vc_s} s, $((u2 - u1)) KiB"
awk -v c="$cp_s" -v v="$vc_s" -v cu=$((u1 - u0)) -v vu=$((u2 - u1)) 'BEGIN {
	printf "ratio: vclone %.1fx faster than cp -a, %.1f%% of its disk\n",
		(v > 0 ? c / v : 0), (cu > 0 ? 100 * vu / cu : 0) }'

rm -rf t cp-copy clone .hash

# Write after clone: the first guest write breaks the link.
for mb in 1 100; do
	dd if=/dev/zero of=s$mb bs=1M count=$mb 2>/dev/null
	cp s$mb own$mb
	mkdir -p g$mb
	setattr --iunlink s$mb
	ln s$mb g$mb/f
	sync
	t0=$(now)
	vcontext --create --silent --xid 21900 -- sh -c "echo x >> g$mb/f"
	t1=$(now)
	vcontext --create --silent --xid 21901 -- sh -c "echo x >> own$mb"
	t2=$(now)
	echo "write after clone, $mb MiB: first write $(secs "$t0" "$t1") s (break + copy), unshared $(secs "$t1" "$t2") s"
	rm -f s$mb own$mb g$mb/f
done
cd /
rm -rf $M/bench
umount $M
