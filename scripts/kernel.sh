#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the patched kernel out of Debian's linux-source-6.12.
#
#   scripts/kernel.sh prepare          unpack (once), overlay, apply patches
#   scripts/kernel.sh config  FLAVOUR  merge kernel/configs/ fragments
#   scripts/kernel.sh build   FLAVOUR  build bzImage into build/obj-FLAVOUR
#   scripts/kernel.sh deb              packages of the test kernel, build/deb
#
# FLAVOUR is "test" (the server kernel: base + server + distribution
# interfaces + vserver, plus KUnit suites that run only with
# kunit.enable=1; `make deb` packages it) or "debug" (test + KASAN,
# lockdep, kmemleak, UBSAN, fault injection) or "gcov" (test with
# kernel/vserver profiled for make coverage) or "novs" (base only: CONFIG_VSERVER=n) or
# "modules" (test with the hooked network code as modules, built with
# them: every symbol they need from vserver is exported) or "distro"
# (Debian's own config of linux-config-6.12 plus the vserver fragment:
# `config distro` checks that Kconfig keeps every vserver option).
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
	local server="$c/vserver-base.config $c/vserver-server.config $c/vserver-distro.config $c/vserver.config"
	case $1 in
	novs)  echo "$c/vserver-base.config" ;;
	test)  echo "$server $c/vserver-test.config" ;;
	debug) echo "$server $c/vserver-test.config $c/vserver-debug.config" ;;
	gcov)  echo "$server $c/vserver-test.config $c/vserver-gcov.config" ;;
	modules) echo "$server $c/vserver-test.config $c/vserver-modules.config" ;;
	*) die "unknown flavour '$1' (test, debug, gcov, novs, modules, distro)" ;;
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

# Debian's own configuration of its 6.12 kernel (package linux-config-6.12).
DEBIAN_CONFIG=${DEBIAN_CONFIG:-/usr/src/linux-config-6.12/config.amd64_none_amd64.xz}

config() {
	local flavour=$1 obj=$BUILD/obj-$1 frags want base=-n
	mkdir -p "$obj"
	if [ "$flavour" = distro ]; then
		[ -f "$DEBIAN_CONFIG" ] ||
			die "$DEBIAN_CONFIG missing: run 'make deps'"
		xz -dc "$DEBIAN_CONFIG" > "$obj/debian.config"
		# Debian's config is the base the fragment is merged onto;
		# its LSM list stays (vserver orders itself last anyway).
		base=
		grep -v '^CONFIG_LSM=' "$TOP/kernel/configs/vserver.config" \
			> "$obj/vserver.config"
		frags="$obj/debian.config $obj/vserver.config"
		# shellcheck disable=SC2086
		want=$(cat $frags | sha1sum | cut -d' ' -f1)
	else
		frags=$(fragments "$flavour")
		# shellcheck disable=SC2086
		want=$(cat $frags | sha1sum | cut -d' ' -f1)
	fi
	if [ -f "$obj/.config" ] && [ -f "$obj/.frags" ] &&
	   [ "$(cat "$obj/.frags")" = "$want" ]; then
		return 0
	fi
	echo "  CONFIG  $flavour"
	# shellcheck disable=SC2086
	(cd "$SRC" && ./scripts/kconfig/merge_config.sh $base -O "$obj" $frags) \
		> "$obj/merge.log" 2>&1 || { cat "$obj/merge.log"; die "config merge failed"; }
	# Every requested option must have survived the merge (of Debian's
	# config, only what vserver needs: its toolchain options such as
	# BTF need pahole and rustc, which this build does not use).
	if [ "$flavour" = distro ]; then
		check_distro "$obj"
	elif grep -q "^Value requested for" "$obj/merge.log"; then
		grep -A3 "^Value requested for" "$obj/merge.log" >&2
		die "config fragment options were dropped (see above)"
	fi
	echo "$want" > "$obj/.frags"
}

# Debian's config plus vserver: every vserver option and every option the
# vserver code needs must be what vserver asks for after olddefconfig.
check_distro() {
	local obj=$1 opt want got bad=0

	for opt in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=.*/\1/p' "$obj/vserver.config"); do
		if grep -q "^Value requested for $opt " "$obj/merge.log"; then
			grep -A3 "^Value requested for $opt " "$obj/merge.log" >&2
			bad=1
		fi
	done
	kmake "$obj" olddefconfig >/dev/null
	while read -r opt want; do
		got=$(grep -m1 "^$opt=" "$obj/.config" | cut -d= -f2-)
		[ -n "$got" ] || got=n
		case $want in
		'!m') [ "$got" != m ] && continue ;;
		*) [ "$got" = "$want" ] && continue ;;
		esac
		echo "kernel.sh: distro config: $opt is $got, vserver needs $want" >&2
		bad=1
	done <<-EOF
		CONFIG_VSERVER y
		CONFIG_SECURITY y
		CONFIG_SECURITY_NETWORK y
		CONFIG_PROC_FS y
		CONFIG_PROC_SYSCTL y
		CONFIG_IPV6 !m
		CONFIG_CGROUPS y
		CONFIG_MEMCG y
		CONFIG_CFS_BANDWIDTH y
		CONFIG_FAIR_GROUP_SCHED y
		CONFIG_NAMESPACES y
		CONFIG_QUOTA y
	EOF
	[ $bad = 0 ] || die "Debian's config drops what vserver needs (see above)"
	echo "  CONFIG  distro: Debian's config keeps every vserver option"
}

build() {
	local flavour=$1 obj=$BUILD/obj-$1
	# New Kconfig symbols (a patch added one) get their defaults instead
	# of an interactive question.
	kmake "$obj" olddefconfig >/dev/null
	case $flavour in
	novs) kmake "$obj" bzImage ;;
	*) kmake "$obj" bzImage modules ;;
	esac
	echo "  KERNEL  $obj/arch/x86/boot/bzImage"
}

# The test (= server) kernel as Debian packages in build/deb/:
# linux-image-<release> and linux-headers-<release> of the kernel's own
# bindeb-pkg.  Its linux-libc-dev is not kept: it would replace Debian's,
# which libc6-dev depends on.
deb() {
	local obj=$BUILD/obj-test out=$BUILD/deb rel ver
	rel=$(kmake "$obj" kernelrelease)
	ver=$(sed -n 's/^VERSION *:= *//p' "$TOP/Makefile")
	ver=${rel%-vserver}-1vserver$ver
	echo "  DEB     linux-image-$rel, linux-headers-$rel ($ver)"
	rm -f "$BUILD"/linux-*_*.deb "$BUILD"/linux-vserver_*
	DEBFULLNAME="vserver developers" DEBEMAIL=vserver@localhost \
	kmake "$obj" bindeb-pkg KDEB_PKGVERSION="$ver" \
		KDEB_SOURCENAME=linux-vserver >"$obj/deb.log" 2>&1 ||
		{ tail -30 "$obj/deb.log"; die "bindeb-pkg failed"; }
	mkdir -p "$out"
	rm -f "$out"/linux-*.deb
	mv "$BUILD/linux-image-${rel}_${ver}_amd64.deb" \
	   "$BUILD/linux-headers-${rel}_${ver}_amd64.deb" "$out/" ||
		die "bindeb-pkg made no linux-image-$rel package"
	rm -f "$BUILD"/linux-*_*.deb "$BUILD"/linux-vserver_*
	ls "$out"/linux-*"$rel"*.deb
}

cmd=${1:-}
case $cmd in
prepare) unpack; overlay; apply_series ;;
config)  unpack; overlay; apply_series; config "${2:-test}" ;;
build)   unpack; overlay; apply_series; config "${2:-test}"; build "${2:-test}" ;;
deb)     unpack; overlay; apply_series; config test; build test; deb ;;
*) die "usage: kernel.sh prepare | config FLAVOUR | build FLAVOUR | deb" ;;
esac
