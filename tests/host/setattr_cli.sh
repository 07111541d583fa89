#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# setattr, showattr, vhashify and vclone command lines on the host: bad
# input is refused with exit status 2 before anything changes.
. "$(dirname "$0")/../lib/tap.sh"
B=${B:-build/util/bin}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/g1/usr/bin" "$T/g2/usr/bin" "$T/g1/etc" "$T/g2/etc"
for g in g1 g2; do
	echo same > "$T/$g/usr/bin/a"
	echo conf > "$T/$g/etc/c"
done
echo x > "$T/file"

plan 42
check_out "Usage:" "setattr --help" "$B/setattr" --help
check_out "setattr from vserver" "setattr --version" "$B/setattr" --version
check_rc 2 "setattr without attribute" "$B/setattr" "$T/file"
check_rc 2 "setattr without file" "$B/setattr" --iunlink
check_rc 2 "setattr unknown attribute" "$B/setattr" --nosuch "$T/file"
check_rc 2 "setattr --xdev without -R" "$B/setattr" -x --iunlink "$T/file"
check_out "no attribute given" "setattr names the usage error" \
	"$B/setattr" "$T/file"
check_out "Usage:" "showattr --help" "$B/showattr" --help
check_rc 2 "showattr unknown option" "$B/showattr" --bogus
check_out "Usage:" "vhashify --help" "$B/vhashify" --help
check_rc 2 "vhashify without tree" "$B/vhashify"
check_rc 2 "vhashify on a file" "$B/vhashify" "$T/file"
check_rc 2 "vhashify missing tree" "$B/vhashify" "$T/nope"
check_rc 2 "vhashify unreadable exclude file" "$B/vhashify" -X "$T/nope" "$T/g1"
check_rc 2 "vhashify unknown option" "$B/vhashify" --bogus "$T/g1"
out=$("$B/vhashify" --dry-run "$T/g1" "$T/g2")
check_out "1 linked" "vhashify --dry-run plans the link" echo "$out"
check_out "1 new in store" "vhashify --dry-run plans the store entry" echo "$out"
check "vhashify --dry-run creates no store" test ! -e "$T/.hash"
check "vhashify --dry-run links nothing" test "$(stat -c %h "$T/g2/usr/bin/a")" = 1
out=$("$B/vhashify" --dry-run -x 'usr/*' "$T/g1" "$T/g2")
check_out "0 files examined" "vhashify --exclude" echo "$out"
out=$("$B/vhashify" --dry-run --no-default-excludes "$T/g1" "$T/g2")
check_out "2 linked" "vhashify --no-default-excludes unifies etc/" echo "$out"
check_out "Usage:" "vclone --help" "$B/vclone" --help
check_rc 2 "vclone one argument" "$B/vclone" "$T/g1"
check_rc 2 "vclone three arguments" "$B/vclone" "$T/g1" "$T/x" "$T/y"
check_rc 2 "vclone source not a directory" "$B/vclone" "$T/file" "$T/x"
check_rc 2 "vclone existing destination" "$B/vclone" "$T/g1" "$T/g2"
check_rc 2 "vclone missing destination parent" "$B/vclone" "$T/g1" "$T/no/x"
check_rc 2 "vclone --jobs 0" "$B/vclone" --jobs 0 "$T/g1" "$T/x"
check_rc 2 "vclone --jobs not a number" "$B/vclone" -j 2x "$T/g1" "$T/x"
check "vclone changed nothing" test ! -e "$T/x"

# Without unified files (no vserver kernel here) vclone copies everything:
# relative paths, holes, modes, hardlinks inside the tree, symlinks.
mkdir -p "$T/src/d"
truncate -s 8M "$T/src/sparse"
echo data | dd of="$T/src/sparse" bs=1 seek=4000000 conv=notrunc 2>/dev/null
echo a > "$T/src/h1"
ln "$T/src/h1" "$T/src/d/h2"
ln -s h1 "$T/src/sym"
chmod 4755 "$T/src/h1"
vc=$(cd "$B" && pwd)/vclone
check "vclone with relative paths" sh -c "cd '$T' && '$vc' src dst > /dev/null"
check "vclone copies the data" cmp "$T/src/sparse" "$T/dst/sparse"
check "vclone keeps holes" test "$(stat -c %b "$T/dst/sparse")" -lt 100
check "vclone keeps set-id modes" test "$(stat -c %a "$T/dst/h1")" = 4755
check "vclone keeps hardlinks inside the tree" \
	test "$(stat -c %i "$T/dst/h1")" = "$(stat -c %i "$T/dst/d/h2")"
check "vclone copies files it cannot share" \
	test "$(stat -c %i "$T/dst/h1")" != "$(stat -c %i "$T/src/h1")"
check "vclone keeps symlinks" test "$(readlink "$T/dst/sym")" = h1
check_out "1 linked, 2 copied" "vclone summary" \
	"$B/vclone" "$T/src" "$T/dst2"

# The same tree with one and with eight threads, and with the final
# modes made at once or fixed later: owners, modes (set-id, sticky, a
# directory without write permission), times, symlink owners.  A
# set-gid parent of DEST gives new entries its group.
mkdir -p "$T/m/ro/sub" "$T/m/tmp" "$T/m/u/v/w" "$T/sg"
echo f > "$T/m/ro/sub/f"
echo g > "$T/m/u/v/w/g"
mkfifo "$T/m/u/fifo"
ln -s nowhere "$T/m/u/l"
chmod 1777 "$T/m/tmp"
chmod 2750 "$T/m/u"
chown 1001:1002 "$T/m/u/v/w/g" "$T/m/u/v"
chown -h 1003:1004 "$T/m/u/l"
chmod 0400 "$T/m/u/v/w/g"
chmod 0555 "$T/m/ro"
chmod 0511 "$T/m/u/v/w"
chown 0:42 "$T/sg"
chmod 2777 "$T/sg"
tree() {
	(cd "$1" && find . -printf '%P %M %U:%G %T@ %l\n' | sort)
}
"$vc" -j1 "$T/m" "$T/m1" > /dev/null
check "vclone -j1 is identical" test "$(tree "$T/m")" = "$(tree "$T/m1")"
"$vc" -j8 "$T/m" "$T/m8" > /dev/null
check "vclone -j8 is identical" test "$(tree "$T/m")" = "$(tree "$T/m8")"
"$vc" -j3 "$T/m" "$T/sg/m" > /dev/null
check "vclone under a set-gid directory is identical" \
	test "$(tree "$T/m")" = "$(tree "$T/sg/m")"
if command -v setcap > /dev/null && setcap cap_net_raw+ep "$T/m/ro/sub/f" 2> /dev/null; then
	"$vc" "$T/m" "$T/mc" > /dev/null
	check "vclone keeps file capabilities" \
		test "$(getcap "$T/mc/ro/sub/f" | cut -d' ' -f2)" = cap_net_raw=ep
else
	skip "vclone keeps file capabilities" "no setcap or not root"
fi
done_testing
