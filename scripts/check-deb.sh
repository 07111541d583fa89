#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-deb: vserver on a real Debian 12 system.  Needs `make deb`.
#
#   1. the packages: no linux-libc-dev, an external module built against
#      linux-headers; lintian and an install/purge cycle of the tool
#      packages (scripts/deb-tools-check.sh);
#   2. a Debian 12 system (systemd, udev, kmod, initramfs-tools, iproute2)
#      made with mmdebstrap, the .debs installed into it with apt so that
#      their maintainer scripts run (the kernel's postinst makes the
#      initramfs), written to an ext4 disk image;
#   3. that disk's own /boot kernel and initramfs booted in qemu twice
#      (tests/deb/check-deb-run.sh runs at boot: guests built in boot 1
#      come up by themselves in boot 2), then powered off: the guests
#      must stop with the host, within their units' timeout.
#
# TAP, framed by "### SUITE" lines, on stdout; logs in build/check-deb/.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
DEB=$BUILD/deb
OUT=$BUILD/check-deb
SUITE=${SUITE:-bookworm}
# A guest's stop is bounded by TimeoutStopSec=60 of vserver@.service.
STOP_LIMIT=${STOP_LIMIT:-90}
. "$TOP/tests/lib/tap.sh"

die() { echo "check-deb: $*" >&2; exit 1; }

suite() {	# NAME COUNT: a new suite, counted from 1
	echo "### SUITE deb/$1"
	TAP_N=0
	TAP_FAILED=0
	plan "$2"
}

end_suite() { echo "### EXIT $TAP_FAILED"; }

# What a boot that did not finish reports in place of its suite.
lost() {	# NAME
	echo "### SUITE deb/$1"
	echo "1..1"
	echo "not ok 1 $1 did not finish (see $OUT/console-$1.log)"
	echo "### EXIT 1"
}

only() {	# PATTERN: the one file of build/deb that matches
	local f
	f=$(ls "$DEB"/$1 2>/dev/null | head -1)
	[ -n "$f" ] || die "no $1 in $DEB: run 'make deb'"
	echo "$f"
}
IMAGE_DEB=$(only 'linux-image-*-vserver_*.deb')
HEADERS_DEB=$(only 'linux-headers-*-vserver_*.deb')
TOOLS_DEB=$(only 'vserver-tools_*.deb')
LIBDEV_DEB=$(only 'libvserver-dev_*.deb')
REL=$(dpkg-deb -f "$IMAGE_DEB" Package | sed 's/^linux-image-//')
rm -rf "$OUT" && mkdir -p "$OUT"

# ---- 1. the packages ---------------------------------------------------

# The hello-world module of an out-of-tree driver.
hello_module() {
	local hdr=$OUT/headers src=$OUT/hello
	dpkg-deb -x "$HEADERS_DEB" "$hdr" || return 1
	mkdir -p "$src"
	cp "$TOP/tests/deb/hello/hello.c" "$TOP/tests/deb/hello/Kbuild" "$src/"
	make -s -C "$hdr/usr/src/linux-headers-$REL" M="$src" modules \
		> "$OUT/hello.log" 2>&1 || { cat "$OUT/hello.log"; return 1; }
	modinfo -F vermagic "$src/hello.ko" | grep -q "^$REL "
}

suite packages 3
check "the four packages are there" test -f "$IMAGE_DEB" -a -f "$HEADERS_DEB" \
	-a -f "$TOOLS_DEB" -a -f "$LIBDEV_DEB"
check "no linux-libc-dev among them" sh -c "! ls $DEB/linux-libc-dev* 2>/dev/null"
check "an external module builds against linux-headers-$REL" hello_module
end_suite

echo "### SUITE deb/tools"
"$TOP/scripts/deb-tools-check.sh" "$DEB"
echo "### EXIT $?"

# ---- 2. the system -----------------------------------------------------

MIRROR=${MIRROR:-$("$TOP/scripts/demo-image.sh" --mirror)} ||
	die "no Debian archive in the apt sources; set MIRROR"
TREE=$OUT/tree
trap 'rm -rf "$TREE"' EXIT
# Installed in the image: the checks, their units, busybox for the guests.
hook_files="copy-in $TOP/tests/deb/check-deb-run.sh $TOP/tests/lib/tap.sh /usr/local/lib/vserver-check"
hook_units="copy-in $TOP/tests/deb/vserver-check.service $TOP/tests/deb/vserver-check-net.service /etc/systemd/system"
hook_debs="copy-in $IMAGE_DEB $HEADERS_DEB $TOOLS_DEB $LIBDEV_DEB /tmp"
setup='set -e
echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" > "$1/etc/fstab"
echo vserver-host > "$1/etc/hostname"
chmod 755 "$1/usr/local/lib/vserver-check/check-deb-run.sh"
chroot "$1" sh -c "apt-get install -y --no-install-recommends /tmp/*.deb"
rm -f "$1"/tmp/*.deb
chroot "$1" systemctl enable vserver-check.service vserver-check-net.service
chroot "$1" passwd -d root'

installed() {	# the four packages, as dpkg has them: 4 lines
	chroot "$TREE" dpkg-query -W -f='${Status}\n' "linux-image-$REL" \
		"linux-headers-$REL" vserver-tools libvserver-dev |
		grep -c '^install ok installed$' | grep -qx 4
}

suite system 4
mkdir -p "$TREE"
check "mmdebstrap $SUITE with systemd, the .debs installed by apt" \
	mmdebstrap --quiet --variant=minbase \
	--include=systemd,systemd-sysv,dbus,udev,kmod,initramfs-tools,iproute2,busybox-static,procps,e2fsprogs \
	--setup-hook="mkdir -p \"\$1/usr/local/lib/vserver-check\" \"\$1/etc/systemd/system\"" \
	--customize-hook="$hook_files" --customize-hook="$hook_units" \
	--customize-hook="$hook_debs" --customize-hook="$setup" \
	"$SUITE" "$TREE" "deb $MIRROR $SUITE main"
check "the kernel's postinst made an initramfs" \
	test -s "$TREE/boot/initrd.img-$REL" -a -s "$TREE/boot/vmlinuz-$REL"
cp "$TREE/boot/vmlinuz-$REL" "$TREE/boot/initrd.img-$REL" "$OUT/" 2>/dev/null
check "dpkg has the four packages installed" installed
if [ "$TAP_FAILED" = 0 ]; then
	check "an ext4 disk of it (mke2fs -d)" \
		mke2fs -q -t ext4 -L vserver-host -d "$TREE" "$OUT/disk.img" 3G
else
	skip "an ext4 disk of it (mke2fs -d)" "no system to put on it"
fi
rm -rf "$TREE"
end_suite

# ---- 3. boots ------------------------------------------------------------

# qemu on the disk's own kernel and initramfs; the TAP port is $2.
boot() {	# NAME TIMEOUT
	timeout -k 10 "$2" qemu-system-x86_64 -machine q35 \
		-accel tcg,thread=multi -cpu max -smp 2,sockets=2,cores=1 \
		-m 1536 -nographic -no-reboot -nic none -monitor none \
		-kernel "$OUT/vmlinuz-$REL" -initrd "$OUT/initrd.img-$REL" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 systemd.show_status=1" \
		-drive "file=$OUT/disk.img,if=virtio,format=raw" \
		-serial "file:$OUT/console-$1.log" -serial "file:$OUT/$1.tap" \
		< /dev/null > /dev/null 2>&1
}

if [ -f "$OUT/disk.img" ]; then
	boot boot1 600
	if grep -q "^### EXIT" "$OUT/boot1.tap"; then
		cat "$OUT/boot1.tap"
	else
		lost boot1
	fi
	boot boot2 900 &
	qemu=$!
	# The checks of boot 2, then the time from its poweroff to the end.
	while kill -0 $qemu 2>/dev/null && ! grep -q "^### POWEROFF" "$OUT/boot2.tap" 2>/dev/null; do
		sleep 1
	done
	t0=$(date +%s)
	wait $qemu
	t1=$(date +%s)
	if grep -q "^### EXIT" "$OUT/boot2.tap"; then
		grep -v "^### POWEROFF" "$OUT/boot2.tap"
	else
		lost boot2
	fi

	suite shutdown 3
	# systemd's status lines, without their colours
	log=$OUT/console-boot2.txt
	sed 's/\x1b\[[0-9;]*m//g' "$OUT/console-boot2.log" > "$log"
	check "poweroff stopped web1 with the host" grep -q "Stopped vserver@web1" "$log"
	check "... and web2" grep -q "Stopped vserver@web2" "$log"
	check "... and the host was off within ${STOP_LIMIT}s ($((t1 - t0))s)" \
		sh -c "grep -q 'reboot: Power down' '$log' && test $((t1 - t0)) -le $STOP_LIMIT"
	end_suite
fi
exit 0
