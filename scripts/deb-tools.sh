#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb-tools: the Debian packages vserver-tools and libvserver-dev,
# built with dpkg-buildpackage in a copy of the tree (the files git
# tracks, as they are in the work tree, uncommitted changes included),
# written to build/deb/.  The log is build/deb-tools/build.log.
#
#   scripts/deb-tools.sh
#   DEB_BUILD_OPTIONS=nostrip scripts/deb-tools.sh
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
WORK=$TOP/build/deb-tools
OUT=$TOP/build/deb
PKGS="vserver-tools libvserver-dev"

for tool in dpkg-buildpackage dh; do
	command -v "$tool" >/dev/null ||
		{ echo "deb-tools: $tool is missing; run 'make deps'" >&2; exit 1; }
done

# The package's version is the Makefile's.
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
changelog=$(dpkg-parsechangelog -S Version)
if [ "$changelog" != "$version" ]; then
	echo "deb-tools: debian/changelog says $changelog, the Makefile $version;" \
	     "add a changelog entry (dch -v $version)" >&2
	exit 1
fi

src=$WORK/vserver-$version
rm -rf "$WORK"
mkdir -p "$src" "$OUT"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# Tracked files deleted in the work tree are left out.
	git ls-files -z | while IFS= read -r -d '' f; do
		if [ -e "$f" ] || [ -L "$f" ]; then
			printf '%s\0' "$f"
		fi
	done | tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
fi

echo "==> dpkg-buildpackage -b in ${src#"$TOP"/}" \
     "(log: ${WORK#"$TOP"/}/build.log)"
# The debug symbols package is not built: build/deb holds what is
# installed.
if ! (cd "$src" &&
      DEB_BUILD_OPTIONS="noddebs ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -b -us -uc) > "$WORK/build.log" 2>&1; then
	tail -n 40 "$WORK/build.log" >&2
	echo "deb-tools: dpkg-buildpackage failed; see $WORK/build.log" >&2
	exit 1
fi

for p in $PKGS; do
	rm -f "$OUT/${p}"_*.deb
	mv "$WORK/${p}_${version}_amd64.deb" "$OUT/"
	echo "    ${OUT#"$TOP"/}/${p}_${version}_amd64.deb"
done
