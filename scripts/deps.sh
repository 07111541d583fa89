#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install every Debian package the project needs to build and test.
# Idempotent and non-interactive: installs only what is missing.
set -eu

PKGS="linux-source-6.12 build-essential bc bison flex libssl-dev libelf-dev
      ccache cpio xz-utils kmod quilt qemu-system-x86 busybox-static
      libcap-dev pkg-config python3 perl e2fsprogs mmdebstrap iproute2
      file gzip
      debhelper dpkg-dev bash-completion lintian rsync linux-config-6.12
      trinity lcov"

missing=
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
