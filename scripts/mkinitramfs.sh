#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Assemble the test VM's initramfs: busybox-static, the statically linked
# tools, the test suites, the benchmarks and the demo script.
#
#   scripts/mkinitramfs.sh [OUTPUT]     (default build/initramfs.cpio.gz)
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$TOP/build/initramfs.cpio.gz}
ROOT=$TOP/build/initramfs
BUSYBOX=${BUSYBOX:-/bin/busybox}

file "$BUSYBOX" 2>/dev/null | grep -q "statically linked" ||
	{ echo "mkinitramfs: $BUSYBOX is not static: install busybox-static" >&2; exit 1; }

rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,proc,sys,dev,tmp,root,etc,run} \
	"$ROOT"/opt/vserver/{bin,tests/kernel,tests/vm,tests/stock,tests/lib,tests/fuzz,bench}
cp "$BUSYBOX" "$ROOT/bin/busybox"
cp "$TOP/scripts/vm/init" "$ROOT/init"
cp "$TOP/scripts/vm/run-vm-tests.sh" "$ROOT/opt/vserver/tests/"
cp "$TOP"/build/util/static/* "$ROOT/opt/vserver/bin/"
cp "$TOP"/build/tests/kernel/* "$ROOT/opt/vserver/tests/kernel/" 2>/dev/null || true
cp "$TOP"/tests/vm/*.sh "$ROOT/opt/vserver/tests/vm/"
cp "$TOP"/build/tests/vm/* "$ROOT/opt/vserver/tests/vm/" 2>/dev/null || true
cp "$TOP"/tests/stock/*.sh "$ROOT/opt/vserver/tests/stock/"
cp "$TOP"/tests/fuzz/*.sh "$ROOT/opt/vserver/tests/fuzz/"
cp "$TOP"/build/tests/fuzz/* "$ROOT/opt/vserver/tests/fuzz/" 2>/dev/null || true
# The ring of the last failed make check-fuzz, to replay by hand.
[ -f "$TOP/build/results/vsfuzz.ring" ] &&
	cp "$TOP/build/results/vsfuzz.ring" "$ROOT/opt/vserver/tests/fuzz/last.ring"
# Debian's trinity and the libraries it links (tests/fuzz/trinity-guest.sh
# runs it in a guest's chroot); without it that suite skips.
TRINITY=${TRINITY:-/usr/bin/trinity}
if [ -x "$TRINITY" ]; then
	tr=$ROOT/opt/vserver/fuzz/trinity
	mkdir -p "$tr/usr/bin"
	cp "$TRINITY" "$tr/usr/bin/trinity"
	for lib in $(ldd "$TRINITY" | grep -o '/[^ ]*'); do
		mkdir -p "$tr$(dirname "$lib")"
		cp -L "$lib" "$tr$lib"
	done
fi
cp "$TOP"/tests/lib/*.sh "$ROOT/opt/vserver/tests/lib/"
if [ -d "$TOP/build/bench" ]; then
	cp -r "$TOP"/build/bench/. "$ROOT/opt/vserver/bench/"
fi
cp "$TOP"/bench/*.sh "$ROOT/opt/vserver/bench/" 2>/dev/null || true
cp "$TOP/scripts/vm/demo.sh" "$ROOT/opt/vserver/demo.sh" 2>/dev/null || true
echo "root:x:0:0:root:/root:/bin/sh" > "$ROOT/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >> "$ROOT/etc/passwd"
echo "root:x:0:" > "$ROOT/etc/group"
echo "nogroup:x:65534:" >> "$ROOT/etc/group"

(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "  INITRD  $OUT ($(du -h "$OUT" | cut -f1))"
