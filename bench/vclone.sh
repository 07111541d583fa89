#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vclone against cp -a in the same VM boot, on the ext4 disk (/dev/vda).
# The source guest is the real Debian tree of the demo image (mmdebstrap
# minbase, attached as /dev/vdb by `make bench`), copied onto /dev/vda
# and unified once with vhashify; without the image a synthetic tree is
# used and the output says so.  Both timings are what an admin waits
# for: the command plus `sync` (the data must reach the disk), each after
# dropping the caches.  Then the cost of a guest's first write to a
# shared 1 MiB and 100 MiB file (the copy-on-write break) against a
# write to an unshared file.
set -u
PATH=/opt/vserver/bin:$PATH
M=/mnt/vx-bench
D=/mnt/vx-bench-deb
FILES=${BENCH_FILES:-2000}

now() { cut -d' ' -f1 /proc/uptime; }
used() { df -k "$M" | awk 'NR==2 {print $3}'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b - a}'; }
cold() { sync; echo 3 > /proc/sys/vm/drop_caches; }

mkdir -p $M $D
if [ -b /dev/vda ] && mount -t ext4 /dev/vda $M 2>/dev/null; then
	fs=ext4
else
	mount -t tmpfs -o size=900m tmpfs $M
	fs=tmpfs
fi
rm -rf $M/bench
mkdir -p $M/bench
cd $M/bench || exit 1

# The cp to compare with: GNU cp of the Debian tree (run through its own
# loader) when the image is there, else busybox cp.
CP="cp"
cpname="busybox cp -a"
src=$D/guests/demo
if [ -b /dev/vdb ] && mount -t ext4 -o ro /dev/vdb $D 2>/dev/null &&
   [ -d $src/usr/bin ]; then
	lib=$src/usr/lib/x86_64-linux-gnu
	gnu="$lib/ld-linux-x86-64.so.2 --library-path $lib $src/usr/bin/cp"
	if $gnu --version > /dev/null 2>&1; then
		CP=$gnu
		cpname="GNU cp -a ($($gnu --version | head -1))"
	fi
	cp -a $src t
	what="Debian $(cat t/etc/debian_version) minbase tree (demo image)"
else
	# A synthetic distribution tree: FILES files of 1-64 KiB in 100 dirs.
	mkdir -p t/usr/lib t/etc
	i=0
	while [ $i -lt "$FILES" ]; do
		d=t/usr/lib/d$((i % 100))
		[ -d $d ] || mkdir -p $d
		dd if=/dev/urandom of=$d/f$i bs=1024 count=$((i % 64 + 1)) 2>/dev/null
		i=$((i + 1))
	done
	what="SYNTHETIC tree (no Debian image attached: make bench attaches it)"
fi
echo "# source: $what"
echo "# $fs: $(find t -type f | wc -l) files, $(find t -type d | wc -l) dirs, $(find t -type l | wc -l) symlinks, $(du -sk t | cut -f1) KiB"
echo "# each timing: the command + sync, after dropping the caches"

cold; t0=$(now)
vhashify t > /dev/null 2>&1 || echo "# vhashify reported errors"
sync; t1=$(now)
echo "vhashify (once per template): $(secs "$t0" "$t1") s, $(find t -type f -links +1 | wc -l) files unified"

cold; u0=$(used); t0=$(now)
$CP -a t cp-copy
t1=$(now); sync; t2=$(now); u2=$(used)
cold; t3=$(now)
vclone t clone > vclone.out || echo "# vclone: $(cat vclone.out)"
t4=$(now); sync; t5=$(now); u5=$(used)
cp_s=$(secs "$t0" "$t2"); vc_s=$(secs "$t3" "$t5")
echo "cp -a:  ${cp_s} s (command $(secs "$t0" "$t1") s + sync $(secs "$t1" "$t2") s), $((u2 - u0)) KiB  [$cpname]"
echo "vclone: ${vc_s} s (command $(secs "$t3" "$t4") s + sync $(secs "$t4" "$t5") s), $((u5 - u2)) KiB  [$(cat vclone.out)]"
awk -v c="$cp_s" -v v="$vc_s" -v cu=$((u2 - u0)) -v vu=$((u5 - u2)) 'BEGIN {
	t = v > 0 ? c / v : 0; d = cu > 0 ? 100 * vu / cu : 0
	tv = t >= 20 ? "met" : "NOT met"; dv = d <= 2 ? "met" : "NOT met"
	printf "ratio: vclone %.1fx faster than cp -a (goal >= 20x: %s), %.1f%% of its disk (goal <= 2%%: %s)\n", t, tv, d, dv }'
# The same with the source in the cache (a template cloned often).
t0=$(now)
vclone t clone2 > /dev/null
t1=$(now); sync; t2=$(now)
echo "vclone, source cached: $(secs "$t0" "$t2") s (command $(secs "$t0" "$t1") s + sync $(secs "$t1" "$t2") s)"
# Where the clone's disk goes: data of the files that are not unified
# (etc/, var/ ... as util-vserver excludes them) and directory blocks.
echo "# clone, not shared: $(find clone -type f -links 1 | wc -l) files, $(find clone -type f -links 1 -exec du -sk {} + | awk '{s += $1} END {print s + 0}') KiB; $(find clone -type d | wc -l) directories"

rm -rf t cp-copy clone clone2 .hash vclone.out
umount $D 2>/dev/null

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
