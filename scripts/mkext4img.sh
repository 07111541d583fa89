#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test VM's ext4 disk (/dev/vda): a fresh sparse image (EXT4_SIZE,
# default 512M; make bench uses more for two copies of a Debian tree) made with
# e2fsprogs from a small seed tree, so the inode attribute and link
# breaking suites run on ext4 as well as on tmpfs.
#
#   scripts/mkext4img.sh OUTPUT
set -euo pipefail

OUT=${1:?usage: mkext4img.sh OUTPUT}
command -v mke2fs >/dev/null || PATH=$PATH:/sbin:/usr/sbin
command -v mke2fs >/dev/null ||
	{ echo "mkext4img: mke2fs missing (apt-get install e2fsprogs)" >&2; exit 1; }

seed=$(mktemp -d)
trap 'rm -rf "$seed"' EXIT
mkdir -p "$seed/seed"
echo hello > "$seed/seed/hello"
rm -f "$OUT"
# project: escape_test checks that a guest cannot leave its project.
mke2fs -q -F -t ext4 -O project -L vxtest -d "$seed" "$OUT" "${EXT4_SIZE:-512M}"
