#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vclone against cp -a in the same VM boot, on the ext4 disk (/dev/vda).
# The source guest is the real Debian tree of the demo image (mmdebstrap
# minbase, attached as /dev/vdb by `make bench`), copied onto /dev/vda
# and unified once with vhashify; without the image a synthetic tree is
# used and the output says so.  Both timings are what an admin waits
# for: the command plus `sync` (the data must reach the disk), each after
# dropping the caches.  The breakdown: how long merely reading the
# source's directories and inodes takes cold (du -s), vclone with one
# thread, and with the source cached.  Then the same on /dev/vda made
# again with ext4 inline_data (small directories and files inside their
# inodes: no 4 KiB block per directory), with the iattr kselftests run on
# that filesystem.  Last, the cost of a guest's first write to a shared
# 1 MiB and 100 MiB file (the copy-on-write break) against a write to an
# unshared file.
set -u
PATH=/opt/vserver/bin:$PATH
M=/mnt/vx-bench
D=/mnt/vx-bench-deb
FILES=${BENCH_FILES:-2000}
# A previous vclone to compare with, when one was put into the
# initramfs as vclone-old (build/util/static/vclone-old).
VCLONE_ALT=$(command -v vclone-old > /dev/null && echo old)

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

# The cp to compare with: GNU cp of the Debian tree (run through its own
# loader) when the image is there, else busybox cp.
CP="cp"
cpname="busybox cp -a"
MKE2FS=
src=$D/guests/demo
if [ -b /dev/vdb ] && mount -t ext4 -o ro /dev/vdb $D 2>/dev/null &&
   [ -d $src/usr/bin ]; then
	lib=$src/usr/lib/x86_64-linux-gnu
	ld="$lib/ld-linux-x86-64.so.2 --library-path $lib"
	gnu="$ld $src/usr/bin/cp"
	if $gnu --version > /dev/null 2>&1; then
		CP=$gnu
		cpname="GNU cp -a ($($gnu --version | head -1))"
	fi
	$ld $src/sbin/mke2fs -V > /dev/null 2>&1 &&
		MKE2FS="$ld $src/sbin/mke2fs"
	what="Debian $(cat $src/etc/debian_version) minbase tree (demo image)"
else
	src=
	what="SYNTHETIC tree (no Debian image attached: make bench attaches it)"
fi
echo "# source: $what"
echo "# each timing: the command + sync, after dropping the caches"

# The source tree, unified once (as a template is).
make_source() {
	rm -rf $M/bench
	mkdir -p $M/bench
	cd $M/bench || exit 1
	if [ -n "$src" ]; then
		cp -a $src t
	else
		# FILES files of 1-64 KiB in 100 dirs.
		mkdir -p t/usr/lib t/etc
		i=0
		while [ $i -lt "$FILES" ]; do
			d=t/usr/lib/d$((i % 100))
			[ -d $d ] || mkdir -p $d
			dd if=/dev/urandom of=$d/f$i bs=1024 count=$((i % 64 + 1)) 2>/dev/null
			i=$((i + 1))
		done
	fi
	echo "# $1: $(find t -type f | wc -l) files, $(find t -type d | wc -l) dirs, $(find t -type l | wc -l) symlinks, $(du -sk t | cut -f1) KiB"
	cold; t0=$(now)
	vhashify t > /dev/null 2>&1 || echo "# vhashify reported errors"
	sync; t1=$(now)
	echo "vhashify (once per template): $(secs "$t0" "$t1") s, $(find t -type f -links +1 | wc -l) files unified"
}

# cp -a and vclone of t; $1: the filesystem's name for the output.
clone_bench() {
	cold; u0=$(used); t0=$(now)
	$CP -a t cp-copy
	t1=$(now); sync; t2=$(now); u2=$(used)
	cold; t3=$(now)
	vclone t clone > vclone.out || echo "# vclone: $(cat vclone.out)"
	t4=$(now); sync; t5=$(now); u5=$(used)
	cp_s=$(secs "$t0" "$t2"); vc_s=$(secs "$t3" "$t5")
	echo "cp -a:  ${cp_s} s (command $(secs "$t0" "$t1") s + sync $(secs "$t1" "$t2") s), $((u2 - u0)) KiB  [$cpname]"
	echo "vclone: ${vc_s} s (command $(secs "$t3" "$t4") s + sync $(secs "$t4" "$t5") s), $((u5 - u2)) KiB  [$(cat vclone.out)]"
	awk -v fs="$1" -v c="$cp_s" -v v="$vc_s" -v cu=$((u2 - u0)) -v vu=$((u5 - u2)) 'BEGIN {
		t = v > 0 ? c / v : 0; d = cu > 0 ? 100 * vu / cu : 0
		tv = t >= 20 ? "met" : "NOT met"; dv = d <= 2 ? "met" : "NOT met"
		printf "ratio (%s): vclone %.1fx faster than cp -a (goal >= 20x: %s), %.1f%% of its disk (goal <= 2%%: %s)\n", fs, t, tv, d, dv }'
}

# Where vclone's time goes: reading the source cold, the threads, the
# source cached (for cp -a too: a template that is cloned often).  The
# short runs vary a lot under TCG: each is repeated, best and median.
rep() {
	# rep NAME COLD|CACHED COMMAND...: three runs, each + sync
	name=$1 how=$2
	shift 2
	all=
	for i in 1 2 3; do
		rm -rf bd
		sync
		[ "$how" = cold ] && cold
		t0=$(now)
		"$@" > /dev/null
		sync; t1=$(now)
		all="$all $(secs "$t0" "$t1")"
	done
	rm -rf bd
	echo "$all" | awk -v n="$name" -v h="$how" '{
		for (i = 1; i <= NF; i++) v[i] = $i
		for (i = 1; i <= NF; i++) for (j = i + 1; j <= NF; j++)
			if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }
		printf "breakdown: %-34s best %.2f s, median %.2f s (%s,%s)\n", n ", " h ":", v[1], v[2], h, $0 }'
}

breakdown() {
	rep "du -s (reads dirs + inodes only)" cold du -s t
	for j in 1 2 4; do
		rep "vclone -j$j" cold vclone -j$j t bd
	done
	[ -n "$VCLONE_ALT" ] && rep "vclone-$VCLONE_ALT" cold vclone-$VCLONE_ALT t bd
	[ "${1:-}" = short ] && return
	for j in 1 4; do
		rep "vclone -j$j" cached vclone -j$j t bd
	done
	[ -n "$VCLONE_ALT" ] && rep "vclone-$VCLONE_ALT" cached vclone-$VCLONE_ALT t bd
	rep "cp -a" cached $CP -a t bd
}

# Where the clone's disk goes: data of the files that are not unified
# (etc/, var/ ... as util-vserver excludes them) and directory blocks.
disk_use() {
	echo "# clone, not shared: $(find clone -type f -links 1 | wc -l) files, $(find clone -type f -links 1 -exec du -sk {} + | awk '{s += $1} END {print s + 0}') KiB; $(find clone -type d | wc -l) directories, $(find clone -type d -exec stat -c %b {} + | awk '{s += $1} END {print s / 2}') KiB of directory blocks"
}

make_source "$fs (mke2fs defaults)"
clone_bench "$fs"
disk_use
breakdown
rm -rf t cp-copy clone vclone.out

# The same on ext4 with inline_data, made again by the guest's mke2fs.
if [ "$fs" = ext4 ] && [ -n "$MKE2FS" ]; then
	cd /
	umount $M
	if MKE2FS_CONFIG=$src/etc/mke2fs.conf $MKE2FS -q -F -t ext4 \
		-O inline_data -L vxinline /dev/vda > /dev/null 2>&1 &&
	   mount -t ext4 /dev/vda $M; then
		make_source "ext4 -O inline_data"
		clone_bench "ext4 inline_data"
		disk_use
		breakdown short
		# A template unified without util-vserver's exclude list
		# (etc/, var/ ... shared too; a guest's write breaks the link).
		rm -rf clone
		vhashify --no-default-excludes t > /dev/null 2>&1 ||
			echo "# vhashify --no-default-excludes reported errors"
		sync; u0=$(used)
		cold; t0=$(now)
		vclone t clone > vclone.out
		t1=$(now); sync; t2=$(now); u2=$(used)
		echo "vclone, template unified with --no-default-excludes: $(secs "$t0" "$t2") s, $((u2 - u0)) KiB  [$(cat vclone.out)]"
		disk_use
		rm -rf t cp-copy clone vclone.out
		mkdir -p $M/seed	# what the suites expect of /dev/vda
		echo hello > $M/seed/hello
		cd /
		umount $M
		# The attribute and link-breaking suites on this filesystem
		# (their ext4 variant mounts /dev/vda).
		t=/opt/vserver/tests/kernel
		if [ -x $t/iattr_test ]; then
			$t/iattr_test > /tmp/inline.tap 2>&1
			echo "# inline_data: iattr_test: $(grep -c '^ok' /tmp/inline.tap) ok, $(grep -c '^not ok' /tmp/inline.tap) not ok (of $(grep -c '^#  RUN' /tmp/inline.tap))"
			grep '^not ok' /tmp/inline.tap
		fi
		mount -t ext4 /dev/vda $M
	else
		echo "# inline_data: mke2fs -O inline_data /dev/vda failed"
		mount -t ext4 /dev/vda $M 2>/dev/null
	fi
else
	echo "# inline_data: skipped (needs the ext4 disk and the image's mke2fs)"
fi
umount $D 2>/dev/null
rm -rf $M/bench
mkdir -p $M/bench
cd $M/bench || exit 1

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
