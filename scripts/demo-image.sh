#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's disk: a Debian guest (mmdebstrap, minbase + busybox + procps,
# a small web page and an init script) in an ext4 image made with
# mke2fs -d, holding it as guests/demo.  The result is cached under
# build/demo/, keyed on everything that goes into it, so the second run
# takes a second.
#
#   scripts/demo-image.sh            prints the image's path
#   scripts/demo-image.sh --mirror   prints the Debian archive it uses
#   SUITE=bookworm MIRROR=... scripts/demo-image.sh
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/build/demo
SUITE=${SUITE:-bookworm}
PKGS=busybox,procps

# The Debian archive of the host's apt sources (never a built-in host).
host_mirror() {
	local f
	for f in /etc/apt/sources.list.d/debian.sources; do
		[ -f "$f" ] && awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' "$f"
	done
	[ -f /etc/apt/sources.list ] &&
		awk '$1 == "deb" && $2 !~ /^\[/ && $2 !~ /security/ { print $2; exit }' \
			/etc/apt/sources.list
	return 0
}
MIRROR=${MIRROR:-$(host_mirror | head -1)}
[ -n "$MIRROR" ] || { echo "demo-image: no Debian archive in the apt sources; set MIRROR" >&2; exit 1; }
# --mirror: only the archive (scripts/check-deb.sh uses the same one).
if [ "${1:-}" = --mirror ]; then
	echo "$MIRROR"
	exit 0
fi

KEY=$( { echo "$SUITE $PKGS $MIRROR"; cat "$0"; } | sha256sum | cut -c1-16)
IMG=$OUT/debian-$SUITE-$KEY.ext4
if [ -f "$IMG" ]; then
	echo "$IMG"
	exit 0
fi

mkdir -p "$OUT"
rm -f "$OUT"/debian-*.ext4
TREE=$OUT/tree.$$
trap 'rm -rf "$TREE" "$IMG.tmp"' EXIT
mkdir -p "$TREE/guests"

# The guest's web page and its init script (run by the sysv style's
# apps/init/cmd.start and cmd.stop).
hook='mkdir -p "$1/var/www"
echo "Hello from a Debian 12 guest of vserver" > "$1/var/www/index.html"
cat > "$1/etc/init.d/demo-web" <<"EOF"
#!/bin/sh
### BEGIN INIT INFO
# Provides:          demo-web
# Required-Start:
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: busybox httpd on the guest address
### END INIT INFO
ADDR=$(cat /etc/demo-web.addr 2>/dev/null || echo 0.0.0.0)
case "$1" in
start)	busybox httpd -p "$ADDR:80" -h /var/www && echo "demo-web: serving on $ADDR:80" ;;
stop)	busybox pkill -x httpd 2>/dev/null || busybox killall httpd ;;
esac
EOF
chmod 755 "$1/etc/init.d/demo-web"'

echo "==> mmdebstrap $SUITE (minbase + $PKGS) from $MIRROR (about a minute)" >&2
mmdebstrap --quiet --variant=minbase --include="$PKGS" \
	--customize-hook="$hook" \
	--dpkgopt='path-exclude=/usr/share/{doc,man,locale}/*' \
	"$SUITE" "$TREE/guests/demo" "deb $MIRROR $SUITE main" >&2
echo "==> mke2fs -d: ext4 image $(du -sh "$TREE" | cut -f1)" >&2
mke2fs -q -t ext4 -L vsdemo -d "$TREE" "$IMG.tmp" 640M >&2
mv "$IMG.tmp" "$IMG"
echo "$IMG"
