#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install DESTDIR=...: the layout the Debian packages split up.  A
# man page for every program in sbin, a completion for every tool, the
# headers under include/vserver/ (nothing in include/linux/, which is the
# libc's), a libvserver.pc whose flags build a program, and the
# configuration defaults.
. "$(dirname "$0")/../lib/tap.sh"
plan 11
T=$(mktemp -d /tmp/vserver-install.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/root
LIBDIR=/usr/lib/x86_64-linux-gnu

make -s install DESTDIR="$R" LIBDIR=$LIBDIR > "$T/log" 2>&1
check "make install DESTDIR=... LIBDIR=..." test -x "$R/usr/sbin/vserver"

missing_man() {
	local f n rc=0
	for f in "$R"/usr/sbin/*; do
		n=${f##*/}
		[ -f "$R/usr/share/man/man8/$n.8" ] || { echo "$n"; rc=1; }
	done
	return $rc
}
check "a man page for every program in sbin" missing_man

missing_completion() {
	local f n rc=0
	for f in util/src/*.c; do
		n=${f##*/}
		n=${n%.c}
		[ -x "$R/usr/sbin/$n" ] || continue
		[ -f "$R/usr/share/bash-completion/completions/$n" ] ||
			{ echo "$n"; rc=1; }
	done
	return $rc
}
check "a bash completion for every tool" missing_completion
check "vshelper is a link to vserver" \
	test "$(readlink "$R/usr/sbin/vshelper")" = vserver
check "headers in include/vserver/" \
	test -f "$R/usr/include/vserver/libvserver.h" \
	-a -f "$R/usr/include/vserver/linux/vserver.h"
check "nothing in include/linux/" test ! -e "$R/usr/include/linux"
check "libvserver.a and libvserver.pc in LIBDIR" \
	test -f "$R$LIBDIR/libvserver.a" -a -f "$R$LIBDIR/pkgconfig/libvserver.pc"
check_out "libdir=$LIBDIR" "libvserver.pc names LIBDIR" \
	cat "$R$LIBDIR/pkgconfig/libvserver.pc"
check_out "/var/lib/vservers" "the vdirbase default" \
	cat "$R/etc/vservers/.defaults/vdirbase"

# A program built with pkg-config's flags alone, against the installed
# tree (the sysroot prefixes its paths).
cat > "$T/hello.c" <<'EOC'
#include <stdio.h>
#include <libvserver.h>

int main(void)
{
	uint64_t bits;

	printf("VCI %#x\n", VCI_VERSION);
	return vs_bcap_from_name("NET_ADMIN", &bits) ? 1 : 0;
}
EOC
pc() {
	local d=$LIBDIR/pkgconfig

	PKG_CONFIG_PATH='' PKG_CONFIG_SYSROOT_DIR=$R \
	PKG_CONFIG_LIBDIR=$R$d:$d:/usr/share/pkgconfig pkg-config "$@" libvserver
}
check_out "-I$R/usr/include/vserver" "pkg-config --cflags libvserver" \
	pc --cflags
build_hello() {
	# shellcheck disable=SC2046
	${CC:-cc} -Wall -Werror -o "$T/hello" "$T/hello.c" \
		$(pc --cflags --libs) && "$T/hello"
}
check_out "VCI 0x" "a program built with pkg-config's flags for libvserver" \
	build_hello

done_testing
