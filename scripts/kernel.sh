#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the patched kernel out of Debian's linux-source-6.12.
#
#   scripts/kernel.sh prepare          unpack (once), overlay, apply patches
#   scripts/kernel.sh config  FLAVOUR  merge kernel/configs/ fragments
#   scripts/kernel.sh build   FLAVOUR  build bzImage into build/obj-FLAVOUR
#
# FLAVOUR is "test" (base + distribution interfaces + vserver + KUnit) or "debug" (test + KASAN,
# lockdep, kmemleak) or "novs" (base only: CONFIG_VSERVER=n) or
# "modules" (test with the hooked network code as modules, built with
# them: every symbol they need from vserver is exported).
#
# Incremental: the tree is unpacked only when the source tarball changes,
# overlay files are copied only when their content differs (so make sees
# unchanged mtimes), and the quilt series is re-applied only when patches/
# changes.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$TOP/build
SRC=$BUILD/linux
TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}

die() { echo "kernel.sh: $*" >&2; exit 1; }

stamp_of() { stat -c '%s %Y' "$1"; }

unpack() {
	[ -f "$TARBALL" ] || die "$TARBALL missing: run 'make deps'"
	local want; want=$(stamp_of "$TARBALL")
	if [ -f "$BUILD/.unpacked" ] && [ "$(cat "$BUILD/.unpacked")" = "$want" ]; then
		return 0
	fi
	echo "  UNPACK  $(basename "$TARBALL")"
	rm -rf "$SRC" "$BUILD/.unpacked" "$BUILD/.series" "$BUILD"/obj-*
	mkdir -p "$BUILD/unpack.tmp"
	tar -C "$BUILD/unpack.tmp" -xf "$TARBALL"
	mv "$BUILD/unpack.tmp"/linux-source-* "$SRC"
	rmdir "$BUILD/unpack.tmp"
	echo "$want" > "$BUILD/.unpacked"
}

# Copy overlay files whose content differs; leave identical files alone.
overlay() {
	local d f
	for d in kernel include Documentation; do
		[ -d "$TOP/$d" ] || continue
		(cd "$TOP" && find "$d" -type f ! -name '*~') | while read -r f; do
			if ! cmp -s "$TOP/$f" "$SRC/$f"; then
				mkdir -p "$(dirname "$SRC/$f")"
				cp "$TOP/$f" "$SRC/$f"
			fi
		done
	done
}

series_hash() {
	(cd "$TOP/patches" && cat series $(grep -v '^#' series)) | sha1sum | cut -d' ' -f1
}

apply_series() {
	local want; want=$(series_hash)
	if [ -f "$BUILD/.series" ] && [ "$(cat "$BUILD/.series")" = "$want" ]; then
		return 0
	fi
	cd "$SRC"
	# Re-applying rewrites every patched file; remember what they looked
	# like so that files whose content does not change keep their mtime
	# (syscalls.h alone would otherwise rebuild most of the kernel).
	local saved=$BUILD/series-mtimes
	: > "$saved"
	if [ -d .pc ]; then
		(cd .pc && find . -type f ! -name '.*' | sed 's|^\./[^/]*/||') |
			sort -u | while read -r f; do
				[ -f "$f" ] && echo "$(sha1sum < "$f" | cut -d' ' -f1) $(stat -c %Y "$f") $f"
			done > "$saved"
		echo "  QUILT   pop -a"
		QUILT_PATCHES=patches quilt pop -a -f -q >/dev/null
	fi
	rm -rf patches .pc
	cp -r "$TOP/patches" patches
	if grep -qv '^#' patches/series; then
		echo "  QUILT   push -a"
		QUILT_PATCHES=patches quilt push -a -q --fuzz=0 >/dev/null ||
			die "patches/series does not apply to $(basename "$TARBALL")"
	fi
	local sum mtime f
	while read -r sum mtime f; do
		if [ -f "$f" ] && [ "$(sha1sum < "$f" | cut -d' ' -f1)" = "$sum" ]; then
			touch -d "@$mtime" "$f"
		fi
	done < "$saved"
	echo "$want" > "$BUILD/.series"
	cd "$TOP"
}

fragments() {
	local c=$TOP/kernel/configs
	case $1 in
	novs)  echo "$c/vserver-base.config" ;;
	test)  echo "$c/vserver-base.config $c/vserver-distro.config $c/vserver.config $c/vserver-test.config" ;;
	debug) echo "$c/vserver-base.config $c/vserver-distro.config $c/vserver.config $c/vserver-test.config $c/vserver-debug.config" ;;
	modules) echo "$c/vserver-base.config $c/vserver-distro.config $c/vserver.config $c/vserver-test.config $c/vserver-modules.config" ;;
	*) die "unknown flavour '$1' (test, debug, novs, modules)" ;;
	esac
}

kmake() {
	local obj=$1; shift
	local cc=gcc
	command -v ccache >/dev/null && cc="ccache gcc"
	# Paths relative to the object directory, so that every checkout
	# (git worktrees, CI clones) shares one cache.
	CCACHE_BASEDIR=$TOP make -s -C "$SRC" O="$obj" CC="$cc" HOSTCC="$cc" -j"$JOBS" "$@"
}

config() {
	local flavour=$1 obj=$BUILD/obj-$1 frags want
	frags=$(fragments "$flavour")
	# shellcheck disable=SC2086
	want=$(cat $frags | sha1sum | cut -d' ' -f1)
	mkdir -p "$obj"
	if [ -f "$obj/.config" ] && [ -f "$obj/.frags" ] &&
	   [ "$(cat "$obj/.frags")" = "$want" ]; then
		return 0
	fi
	echo "  CONFIG  $flavour"
	# shellcheck disable=SC2086
	(cd "$SRC" && ./scripts/kconfig/merge_config.sh -n -O "$obj" $frags) \
		> "$obj/merge.log" 2>&1 || { cat "$obj/merge.log"; die "config merge failed"; }
	# Every requested option must have survived the merge.
	if grep -q "^Value requested for" "$obj/merge.log"; then
		grep -A3 "^Value requested for" "$obj/merge.log" >&2
		die "config fragment options were dropped (see above)"
	fi
	echo "$want" > "$obj/.frags"
}

build() {
	local flavour=$1 obj=$BUILD/obj-$1
	# New Kconfig symbols (a patch added one) get their defaults instead
	# of an interactive question.
	kmake "$obj" olddefconfig >/dev/null
	if [ "$flavour" = modules ]; then
		kmake "$obj" bzImage modules
	else
		kmake "$obj" bzImage
	fi
	echo "  KERNEL  $obj/arch/x86/boot/bzImage"
}

cmd=${1:-}
case $cmd in
prepare) unpack; overlay; apply_series ;;
config)  config "${2:-test}" ;;
build)   unpack; overlay; apply_series; config "${2:-test}"; build "${2:-test}" ;;
*) die "usage: kernel.sh prepare | config FLAVOUR | build FLAVOUR" ;;
esac
