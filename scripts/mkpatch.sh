#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make patch: one diff of vserver for other distributions -- the overlay
# (kernel/, include/, Documentation/) and patches/series against Debian's
# pristine linux-source-6.12 -- in build/vserver-<version>-linux-6.12.patch,
# then the proof that it is right: applied with `patch -p1` to a pristine
# tree, it gives exactly the tree `make kernel` builds (build/linux).
# Prints TAP (one line per check).
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
VERSION=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
OUT=$BUILD/vserver-$VERSION-linux-6.12.patch
PRISTINE=$BUILD/pristine
TRY=$BUILD/patch-check
# Quilt's bookkeeping in the built tree, not part of the kernel.
EXCLUDE=(--exclude=.pc --exclude=patches)

. "$TOP/tests/lib/tap.sh"

die() { echo "mkpatch: $*" >&2; exit 1; }

[ -f "$TARBALL" ] || die "$TARBALL missing: run 'make deps'"
"$TOP/scripts/kernel.sh" prepare || die "cannot prepare build/linux"

# The pristine tree, unpacked again only when the tarball changes.
want=$(stat -c '%s %Y' "$TARBALL")
if [ ! -f "$PRISTINE/.stamp" ] || [ "$(cat "$PRISTINE/.stamp")" != "$want" ]; then
	echo "  UNPACK  $(basename "$TARBALL") (pristine)"
	rm -rf "$PRISTINE" "$BUILD/pristine.tmp"
	mkdir -p "$BUILD/pristine.tmp"
	tar -C "$BUILD/pristine.tmp" -xf "$TARBALL"
	mv "$BUILD/pristine.tmp"/linux-source-* "$PRISTINE"
	rmdir "$BUILD/pristine.tmp"
	echo "$want" > "$PRISTINE/.stamp"
fi

# a/ and b/ so that the paths read like git's and `patch -p1` applies.
rm -rf "$BUILD/mkpatch" && mkdir -p "$BUILD/mkpatch"
ln -s "$PRISTINE" "$BUILD/mkpatch/a"
ln -s "$BUILD/linux" "$BUILD/mkpatch/b"
{
	echo "vserver $VERSION for Linux 6.12 (Debian's linux-source-6.12):"
	echo "security contexts, network contexts, CPU buckets, limits and"
	echo "copy-on-write links.  Apply with: cd linux-6.12 && patch -p1 < this"
	echo "file; then enable CONFIG_VSERVER (Documentation/userspace-api/vserver.rst)."
	echo
	(cd "$BUILD/mkpatch" && LC_ALL=C diff -urN "${EXCLUDE[@]}" \
		--exclude=.stamp a/ b/)
} > "$OUT.tmp"
[ $? -le 1 ] || die "diff failed"
mv "$OUT.tmp" "$OUT"
echo "  PATCH   $OUT ($(grep -c '^+++ ' "$OUT") files)"

plan 3
rm -rf "$TRY" && cp -al "$PRISTINE" "$TRY" && rm -f "$TRY/.stamp"
check "the combined patch applies to a pristine tree (patch -p1 --dry-run)" \
	patch -d "$TRY" -p1 --dry-run -s -i "$OUT"
check "... and applies" patch -d "$TRY" -p1 -s -i "$OUT"
check "the patched tree equals build/linux" \
	diff -r -q "${EXCLUDE[@]}" "$TRY" "$BUILD/linux"
rm -rf "$TRY" "$BUILD/mkpatch"
done_testing
