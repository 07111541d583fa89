#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (from the unpacked tree) over patches/ and the
# overlay's C files and headers.  Prints TAP: one result per file.
TOP=$(cd "$(dirname "$0")/.." && pwd)
CP=$TOP/build/linux/scripts/checkpatch.pl
cd "$TOP" || exit 1
if [ ! -x "$CP" ]; then
	echo "1..0 # SKIP no unpacked kernel tree (make kernel)"
	exit 0
fi
files=(patches/[0-9]*.patch $(find kernel include -name '*.[ch]' | sort))
echo "1..${#files[@]}"
n=0 fail=0
for f in "${files[@]}"; do
	n=$((n + 1))
	# ENOSYS: the VCI ABI answers unknown commands with -ENOSYS, as
	# Linux-VServer did; tools rely on it to detect missing features.
	opts=(--strict --no-tree --quiet --show-types
	      --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,ENOSYS)
	# A patch goes in on stdin: checkpatch treats any file git tracks
	# as source, not as a patch.
	case $f in
	*.patch) arg=- ;;
	*) opts+=(-f); arg=$f ;;
	esac
	if out=$("$CP" "${opts[@]}" "$arg" < "$f" 2>&1) && ! grep -q "^ERROR\|^WARNING\|^CHECK" <<<"$out"; then
		echo "ok $n checkpatch $f"
	else
		echo "not ok $n checkpatch $f"
		sed 's/^/# /' <<<"$out"
		fail=1
	fi
done
exit $fail
