#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vdlimit: disk limits of a guest as ext4 project quotas (project id =
# xid) on a small file system with the quota and project features.
. "$(dirname "$0")/../lib/tap.sh"

plan 16
IMG=$(dirname "$0")/../kernel/vdlimit-ext4.img.gz
M=/mnt/vdlimit
# losetup first: a mount of a loop device whose file descriptor is still
# open for writing fails (CONFIG_BLK_DEV_WRITE_MOUNTED=n).
LOOP=$(losetup -f 2>/dev/null)
if [ ! -f "$IMG" ] || [ -z "$LOOP" ] ||
   ! gunzip -c "$IMG" > /tmp/vdlimit.img || ! mkdir -p $M ||
   ! losetup "$LOOP" /tmp/vdlimit.img || ! mount -t ext4 -o prjquota "$LOOP" $M; then
	i=0
	while [ $i -lt 16 ]; do
		skip "vdlimit" "no ext4 image with project quotas, or no loop device"
		i=$((i + 1))
	done
	exit 0
fi
mkdir -p $M/g1 $M/g2
echo hello > $M/g1/old
# A guest: root without CAP_SYS_RESOURCE (vattribute --secure drops it),
# which would let it exceed quotas.
guest() {
	vcontext --create --silent --xid 22300 -- \
		vattribute --set --bcap ~sys_resource --flag ~state_setup -- "$@"
}

check "--assign puts a directory tree into the guest's project" \
	vdlimit --xid 22300 --assign $M/g1
check "--set space_total and inodes_total" \
	vdlimit --xid 22300 --set space_total=1M --set inodes_total=20 $M
check_out "space_total=1024" "the space limit reads back in KiB" \
	vdlimit --xid 22300 $M
check_out "inodes_used=2" "the assigned tree is counted" vdlimit --xid 22300 $M
check_out "Disk quota exceeded" "writing beyond space_total fails (EDQUOT)" \
	guest dd if=/dev/zero of=$M/g1/big bs=64k count=32
rm -f $M/g1/big
check "new files inherit the project" \
	guest sh -c "mkdir $M/g1/sub && echo x > $M/g1/sub/f"
check_out "inodes_used=4" "... and are counted" vdlimit --xid 22300 $M
# Link breaking: the private copy of a shared file is charged to the
# guest's project and obeys its quota, as its own writes do.
dd if=/dev/zero of=$M/g1/shared bs=64k count=10 2>/dev/null
ln $M/g1/shared $M/g1/sub/shared
setattr --iunlink $M/g1/shared
check_out "Disk quota exceeded" "link breaking obeys the guest's quota" \
	guest sh -c "echo x >> $M/g1/shared"
vdlimit --xid 22300 --set space_total=4M $M
check "... and breaks the link within it" \
	guest sh -c "echo x >> $M/g1/shared"
vdlimit --xid 22300 --set space_total=1M $M
rm -f $M/g1/shared $M/g1/sub/shared
# statfs(2) of the guest's directory, what df(1) shows for its root.
check_out "1024 1024" "statfs inside the guest shows its 1M limit" \
	guest stat -f -c "%b %S" $M/g1
out=$(guest sh -c \
	"i=0; while touch $M/g1/f\$i 2>/dev/null; do i=\$((i + 1)); done; echo created=\$i")
case $out in
*created=16*) tap_result ok "inodes_total stops new files at the limit" ;;
*) tap_result fail "inodes_total stops new files at the limit" "$out" ;;
esac
check "other directories are not limited" \
	dd if=/dev/zero of=$M/g2/big bs=64k count=32
check_out "Invalid argument" "a guest cannot move its files to another project" \
	vcontext --create --silent --xid 22301 -- vdlimit --xid 22399 --assign $M/g1
check "--remove" vdlimit --xid 22300 --remove $M
check_out "space_total=inf" "no limit after --remove" vdlimit --xid 22300 $M
check_rc 1 "a file system without project quotas" vdlimit --xid 22300 /tmp
umount $M
losetup -d "$LOOP"
rm -f /tmp/vdlimit.img
done_testing
