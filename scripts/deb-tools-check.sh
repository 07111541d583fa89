#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages of the tools (make deb-tools), checked as a user
# gets them; prints TAP:
#   - lintian: no error and no warning on each .deb (overrides need a
#     written reason in debian/*.lintian-overrides);
#   - in a throwaway Debian 12 chroot (mmdebstrap, minbase plus the
#     packages' dependencies, so that only our packages come and go):
#     apt installs both .debs, the units are enabled the Debian way, the
#     tools run, pkg-config finds libvserver; dpkg --remove keeps the
#     conffile, dpkg --purge removes it and keeps an admin's guest
#     configuration; after the purge the file system is what it was
#     before the installation (find / minus /proc, /sys, /dev, /run,
#     /tmp, /var/log, /var/cache, /var/lib/dpkg and /var/lib/apt).
#
#   scripts/deb-tools-check.sh [DEB_DIR]       (default build/deb)
#   SUITE=bookworm MIRROR=... scripts/deb-tools-check.sh
#
# The chroot's tarball is cached in build/deb-tools-check/, keyed on the
# suite, the mirror and the dependencies.  Needs root (chroot).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/tests/lib/tap.sh"
DEBS=${1:-$TOP/build/deb}
WORK=$TOP/build/deb-tools-check
SUITE=${SUITE:-bookworm}
PKGS=(vserver-tools libvserver-dev)
# The dependencies of both packages (debootstrap for "mmdebstrap |
# debootstrap": the smaller one) and pkg-config for the .pc check.
DEPS=iproute2,e2fsprogs,debootstrap,libcap-dev,pkg-config

# The Debian archive of the host's apt sources, as for the demo image.
MIRROR=${MIRROR:-$("$TOP/scripts/demo-image.sh" --mirror)}

plan 14

# ---- lintian -----------------------------------------------------------

# The newest of each in DEB_DIR (a missing one is reported below).
debs=()
for p in "${PKGS[@]}"; do
	deb=$(printf '%s\n' "$DEBS/${p}"_*_amd64.deb | sort -V | tail -1)
	debs+=("$deb")
done

lint() {
	local deb=$1 out rc

	[ -f "$deb" ] || { echo "no package; run 'make deb-tools'"; return 1; }
	# The exit status without --show-overrides: with it, lintian 2.116
	# fails on overridden warnings too.
	lintian --fail-on error,warning "$deb" >/dev/null 2>&1
	rc=$?
	out=$(lintian -I --show-overrides "$deb" 2>&1)
	printf '%s\n' "$out" | grep -v '^running with root privileges'
	printf '%s: %d errors, %d warnings, %d informational, %d overridden\n' \
		"${deb##*/}" "$(grep -c '^E: ' <<<"$out")" \
		"$(grep -c '^W: ' <<<"$out")" "$(grep -c '^I: ' <<<"$out")" \
		"$(grep -c '^O: ' <<<"$out")"
	return $rc
}
for deb in "${debs[@]}"; do
	name=${deb##*/}
	if ! command -v lintian >/dev/null; then
		skip "lintian ${name%%_*}" "no lintian (make deps)"
		continue
	fi
	# The counts go to the TAP output either way.
	out=$(lint "$deb")
	rc=$?
	printf '%s\n' "$out" | tail -1 | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		tap_result ok "lintian ${name%%_*}: no error, no warning"
	else
		tap_result fail "lintian ${name%%_*}: no error, no warning" "$out"
	fi
done

# ---- the chroot --------------------------------------------------------

reason=
[ "$(id -u)" -eq 0 ] || reason="not root (chroot needs it)"
command -v mmdebstrap >/dev/null || reason="no mmdebstrap (make deps)"
[ -n "$MIRROR" ] || reason="no Debian archive in the apt sources; set MIRROR"
for deb in "${debs[@]}"; do
	[ -f "$deb" ] || reason="no packages in $DEBS (make deb-tools)"
done
if [ -n "$reason" ]; then
	while [ "$TAP_N" -lt 14 ]; do
		skip "install and purge in a chroot" "$reason"
	done
	done_testing
	exit
fi

KEY=$(echo "$SUITE $DEPS $MIRROR" | sha256sum | cut -c1-16)
TAR=$WORK/$SUITE-$KEY.tar
R=$WORK/root
mkdir -p "$WORK"
cleanup() {
	local m

	for m in "$R/dev/pts" "$R/proc"; do
		mountpoint -q "$m" && umount "$m"
	done
	rm -rf "$R"
}
trap cleanup EXIT
cleanup

make_tar() {
	[ -f "$TAR" ] && return 0
	rm -f "$WORK"/*.tar
	mmdebstrap --quiet --variant=minbase --format=tar --include="$DEPS" \
		"$SUITE" "$TAR.tmp" "deb $MIRROR $SUITE main" &&
		mv "$TAR.tmp" "$TAR"
}
unpack() {
	make_tar && mkdir -p "$R" && tar -xf "$TAR" -C "$R" &&
		mount -t proc proc "$R/proc" &&
		mount --bind /dev/pts "$R/dev/pts"
}
check "a $SUITE chroot (minbase and the dependencies)" unpack
# The rest means nothing without the chroot or the installation.
skip_rest() {
	while [ "$TAP_N" -lt 14 ]; do
		skip "install and purge in a chroot" "$1"
	done
	done_testing
	exit
}
[ -x "$R/usr/bin/dpkg" ] || skip_rest "no chroot"

in_root() {
	(cd "$R" && chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive "$@")
}

# What the packages may change: everything but the kernel's file systems,
# logs, caches and the package managers' own state.  Type, mode and
# path of each entry, and the checksum of each file's content.
snapshot() {
	local prune=(\( -path ./proc -o -path ./sys -o -path ./dev
		     -o -path ./run -o -path ./tmp -o -path ./var/log
		     -o -path ./var/cache -o -path ./var/lib/dpkg
		     -o -path ./var/lib/apt \) -prune)

	(cd "$R" &&
	 { find . -xdev "${prune[@]}" -o -printf '%y %m %p\n'
	   find . -xdev "${prune[@]}" -o -type f -print0 |
		xargs -0 -r md5sum; } | LC_ALL=C sort)
}
snapshot > "$WORK/before.txt"

cp "${debs[@]}" "$R/tmp/"
inroot_debs=("${debs[@]##*/}")
inroot_debs=("${inroot_debs[@]/#//tmp/}")
failed=$TAP_FAILED
check "apt installs both packages" \
	in_root apt-get install -y "${inroot_debs[@]}"
[ "$TAP_FAILED" -eq "$failed" ] || skip_rest "not installed"
version=${debs[0]##*/vserver-tools_}
version=${version%_amd64.deb}
check_out "vserver $version" "vserver --version runs" in_root vserver --version
check "vservers.target is enabled, vserver@.service is not" \
	test -L "$R/etc/systemd/system/multi-user.target.wants/vservers.target" \
	-a ! -e "$R/etc/systemd/system/vservers.target.wants"
check_out "/etc/vservers/.defaults/vdirbase" \
	"/etc/vservers/.defaults/vdirbase is a conffile" \
	in_root dpkg-query -W -f="\${Conffiles}" vserver-tools
check_out "-I/usr/include/vserver -lvserver -lcap" \
	"pkg-config --cflags --libs libvserver" \
	in_root pkg-config --cflags --libs libvserver

in_root dpkg-query -L "${PKGS[@]}" > "$WORK/installed.txt" 2>&1

# An admin's guest, made after the installation: purge must keep it.
mkdir -p "$R/etc/vservers/g1"
echo 42 > "$R/etc/vservers/g1/context"

check "dpkg --remove both" in_root dpkg --remove "${PKGS[@]}"
check "the conffile stays after remove, the tools go" \
	test -f "$R/etc/vservers/.defaults/vdirbase" -a ! -e "$R/usr/sbin/vserver"
check "dpkg --purge both" in_root dpkg --purge "${PKGS[@]}"
check "the admin's guest configuration survives the purge" \
	test -f "$R/etc/vservers/g1/context"
# Without it, nothing must be left in /etc/vservers.
rm -r "$R/etc/vservers/g1"
rmdir "$R/etc/vservers" 2>/dev/null

left() {
	snapshot > "$WORK/after.txt"
	diff -u "$WORK/before.txt" "$WORK/after.txt" | grep '^[-+][^-+]'
	[ "${PIPESTATUS[0]}" -eq 0 ]
}
check "after the purge, nothing is left of either package" left
echo "# compared: $(grep -c '^[a-z] ' "$WORK/before.txt") paths before the" \
	"installation; the packages had installed" \
	"$(wc -l < "$WORK/installed.txt") (dpkg -L)"
check "dpkg knows neither package any more" \
	bash -c "! chroot '$R' dpkg-query -W ${PKGS[*]} 2>/dev/null | grep -q ."
done_testing
