#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# setattr, showattr, vhashify and vclone inside the VM, on tmpfs and on
# the ext4 disk: two guests share unified files; guest A changes them and
# gets private copies while guest B and the hash store keep the originals.
# Guests use xids 21100-21199.
. "$(dirname "$0")/../lib/tap.sh"

plan 108

links() { stat -c %h "$1"; }
inode() { stat -c %i "$1"; }
# Every entry of a clone: mode, owner, mtime and whether it is B's inode.
listing() {
	(cd "$1" && find . | sort | while read -r p; do
		s=$(stat -c '%A %u:%g %Y' "$p")
		[ -f "$p" ] && [ ! -L "$p" ] &&
			[ "$(inode "$p")" = "$(inode "$B/$p")" ] && s="$s shared"
		echo "$p $s"
	done)
}

# A guest tree with unifiable files, a config file, a device node and a
# file with another mode.
mktree() {
	mkdir -p "$1/usr/bin" "$1/usr/lib" "$1/etc" "$1/dev" \
		"$1/var/lib/dpkg/info"
	echo "shared binary" > "$1/usr/bin/tool"
	echo "/usr/bin/tool" > "$1/var/lib/dpkg/info/tool.list"
	echo "Package: tool" > "$1/var/lib/dpkg/status"
	printf 'library %0500d\n' 7 > "$1/usr/lib/libx.so"
	echo "config" > "$1/etc/app.conf"
	echo "only in $1" > "$1/usr/bin/own"
	mknod "$1/dev/null" c 1 3
	echo "secret" > "$1/usr/bin/private"
	chmod 700 "$1/usr/bin/private"
	ln -s tool "$1/usr/bin/link"
}

suite() {
	fs=$1 base=$2
	S=$base/.hash A=$base/a B=$base/b
	mktree "$A"
	mktree "$B"
	chmod 755 "$B/usr/bin/private"

	out=$(vhashify --dry-run "$A" "$B")
	check_out "3 linked" "$fs: --dry-run plans one link per shared file" \
		echo "$out"
	check "$fs: --dry-run changes nothing" test ! -e "$S" -a \
		"$(links "$A/usr/bin/tool")" = 1
	check "$fs: vhashify" vhashify "$A" "$B"
	check "$fs: A and B share usr/bin/tool" \
		test "$(inode "$A/usr/bin/tool")" = "$(inode "$B/usr/bin/tool")"
	check "$fs: three links (A, B, store)" \
		test "$(links "$A/usr/bin/tool")" = 3
	check "$fs: etc/ is not unified" test "$(links "$A/etc/app.conf")" = 1
	check "$fs: var/ is not unified" \
		test "$(links "$A/var/lib/dpkg/status")" = 1
	check "$fs: but var/lib/dpkg/info/ is" \
		test "$(links "$A/var/lib/dpkg/info/tool.list")" = 3
	check "$fs: device nodes are skipped" test -c "$A/dev/null" -a \
		"$(links "$A/dev/null")" = 1
	check "$fs: files of different mode are kept apart" test \
		"$(inode "$A/usr/bin/private")" != "$(inode "$B/usr/bin/private")"
	check_out "UIc" "$fs: showattr shows iunlink + immutable" \
		showattr "$A/usr/bin/tool"
	check_out "-uic" "$fs: an excluded file has no attributes" \
		showattr "$A/etc/app.conf"

	# A second run changes nothing.
	before=$(ls -liR "$base" | md5sum)
	out=$(vhashify "$A" "$B")
	check_out "0 linked" "$fs: second run links nothing" echo "$out"
	check_out "0 new in store" "$fs: second run adds nothing" echo "$out"
	check "$fs: second run leaves the trees as they were" \
		test "$before" = "$(ls -liR "$base" | md5sum)"

	# An interrupted run leaves a temporary name; the next run removes it.
	echo "late file" > "$A/usr/bin/late"
	echo "late file" > "$B/usr/bin/late"
	ln "$A/usr/bin/late" "$A/usr/bin/.vhashify-999"
	check "$fs: rerun after an interruption" vhashify "$A" "$B"
	check "$fs: the temporary name is gone" test ! -e "$A/usr/bin/.vhashify-999"
	check "$fs: the interrupted file is unified" \
		test "$(inode "$A/usr/bin/late")" = "$(inode "$B/usr/bin/late")"
	check_out "late file" "$fs: contents intact" cat "$B/usr/bin/late"

	# Guest A changes its shared files; B and the store keep the original.
	vcontext --create --silent --xid 21101 -- \
		sh -c "echo appended >> $A/usr/bin/tool"
	check_out "appended" "$fs: guest A sees its append" cat "$A/usr/bin/tool"
	check "$fs: guest B still sees the original" \
		test "$(cat "$B/usr/bin/tool")" = "shared binary"
	check "$fs: A has its own copy (1 link)" \
		test "$(links "$A/usr/bin/tool")" = 1
	check "$fs: B and the store keep 2 links" \
		test "$(links "$B/usr/bin/tool")" = 2
	check_out "-uic" "$fs: the copy is not shared" showattr "$A/usr/bin/tool"
	check_out "UIc" "$fs: B's file is still shared" showattr "$B/usr/bin/tool"
	vcontext --create --silent --xid 21101 -- \
		sh -c "truncate -s 3 $A/usr/lib/libx.so"
	check "$fs: guest truncate" test "$(cat "$A/usr/lib/libx.so")" = lib
	check "$fs: B's library untouched" test "$(wc -c < "$B/usr/lib/libx.so")" = 509
	vcontext --create --silent --xid 21101 -- chmod 600 "$A/usr/bin/late"
	check "$fs: guest chmod on its copy" \
		test "$(stat -c %a "$A/usr/bin/late")" = 600
	check "$fs: B keeps mode 644" test "$(stat -c %a "$B/usr/bin/late")" = 644
	check "$fs: guest chmod broke the link" test "$(links "$B/usr/bin/late")" = 2
	late=$(inode "$B/usr/bin/late")
	check "$fs: guest rm of a shared file" vcontext --create --silent \
		--xid 21102 -- rm -f "$B/usr/bin/late"
	check "$fs: the store keeps it, with one link" \
		test "$(find "$S" -inum "$late" -links 1 | wc -l)" = 1
	check "$fs: guest mv of a shared file" vcontext --create --silent \
		--xid 21102 -- mv "$B/usr/bin/tool" "$B/usr/bin/tool2"
	check_out "not permitted" "$fs: the host does not break links" \
		sh -c "echo x >> $B/usr/bin/tool2"

	# vclone: a third guest from B, sharing B's unified files.
	check "$fs: vclone" vclone "$B" "$base/c"
	check "$fs: the clone shares unified files" \
		test "$(inode "$base/c/usr/bin/tool2")" = "$(inode "$B/usr/bin/tool2")"
	check "$fs: the clone copies files that are not unified" test \
		"$(inode "$base/c/etc/app.conf")" != "$(inode "$B/etc/app.conf")"
	check "$fs: the clone keeps symlinks" test -L "$base/c/usr/bin/link"
	check "$fs: the clone keeps device nodes" test -c "$base/c/dev/null"
	check "$fs: the clone keeps modes" \
		test "$(stat -c %a "$base/c/usr/bin/private")" = 755
	check_rc 2 "$fs: vclone into an existing directory" vclone "$B" "$A"
	# One thread or eight: the same tree, sharing the same inodes.
	vclone -j1 "$B" "$base/c1" > /dev/null
	vclone -j8 "$B" "$base/c8" > /dev/null
	check "$fs: vclone -j1 shares the unified files" \
		test "$(listing "$base/c1" | grep -c ' shared$')" -ge 2
	check "$fs: vclone -j8 makes the same tree as -j1" \
		test "$(listing "$base/c1")" = "$(listing "$base/c8")"
	check "$fs: vclone (default threads) makes the same tree" \
		test "$(listing "$base/c")" = "$(listing "$base/c8")"
}

# ---- setattr / showattr command lines and error paths ----------------
mkdir -p /tmp/vh-cli
echo x > /tmp/vh-cli/f
mkdir -p /tmp/vh-cli/d
check "setattr --iunlink" setattr --iunlink /tmp/vh-cli/f
check_out "UIc /tmp/vh-cli/f" "showattr FILE" showattr /tmp/vh-cli/f
check "setattr --~iunlink" setattr --~iunlink /tmp/vh-cli/f
check_out "-uic /tmp/vh-cli/f" "attributes cleared" showattr /tmp/vh-cli/f
check "setattr --barrier on a directory" setattr --barrier /tmp/vh-cli/d
check_out "Bui- /tmp/vh-cli/d" "showattr -d" showattr -d /tmp/vh-cli/d
check_out "Bui- /tmp/vh-cli/d" "showattr -R -d" showattr -R -d /tmp/vh-cli
check "setattr --~barrier" setattr --~barrier /tmp/vh-cli/d
check_out "Invalid argument" "--barrier on a file" setattr --barrier /tmp/vh-cli/f
check_rc 1 "setattr on a missing file" setattr --iunlink /tmp/vh-cli/nope
check_out "No such file" "the error names the problem" \
	setattr --iunlink /tmp/vh-cli/nope
check_rc 2 "setattr unknown attribute" setattr --bogus /tmp/vh-cli/f
check "setattr --hide on a /proc entry" setattr --hide /proc/buddyinfo
check_out "----awH /proc/buddyinfo" "showattr shows a hidden /proc entry" \
	showattr /proc/buddyinfo
check "setattr --~hide" setattr --~hide /proc/buddyinfo
check_out "----awh /proc/buddyinfo" "the /proc entry is shown again" \
	showattr /proc/buddyinfo
check_out "Invalid argument" "--hide on a file" setattr --hide /tmp/vh-cli/f
check_rc 2 "setattr without attribute" setattr /tmp/vh-cli/f
mkdir -p /tmp/vh-cli/r/s
echo y > /tmp/vh-cli/r/s/g
check "setattr -R" setattr -R --iunlink /tmp/vh-cli/r
check_out "UIc /tmp/vh-cli/r/s/g" "showattr -R" showattr -R /tmp/vh-cli/r
check "setattr -R --~iunlink" setattr -R --~iunlink /tmp/vh-cli/r
if su -s /bin/sh nobody -c true 2>/dev/null; then
	check_out "Operation not permitted" "setattr as a non-owner" \
		su -s /bin/sh nobody -c "$(command -v setattr) --iunlink /tmp/vh-cli/f"
else
	skip "setattr as a non-owner" "su cannot change to nobody"
fi
check_out "Operation not permitted" "setattr inside a guest" \
	vcontext --create --silent --xid 21110 -- setattr --iunlink /tmp/vh-cli/f
check_rc 2 "vhashify without a tree" vhashify
check_rc 2 "vhashify on a file" vhashify /tmp/vh-cli/f

# ---- the suites on tmpfs and on ext4 ---------------------------------
mkdir -p /tmp/vh-tmpfs
mount -t tmpfs tmpfs /tmp/vh-tmpfs
suite tmpfs /tmp/vh-tmpfs
umount -l /tmp/vh-tmpfs

mkdir -p /mnt/vh-ext4
if [ -b /dev/vda ] && mount -t ext4 /dev/vda /mnt/vh-ext4; then
	mkdir -p /mnt/vh-ext4/sh
	suite ext4 /mnt/vh-ext4/sh
	umount /mnt/vh-ext4
else
	i=0
	while [ $i -lt 39 ]; do
		skip "ext4 suite" "no ext4 disk /dev/vda"
		i=$((i + 1))
	done
fi
done_testing
