#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build the patched kernel and the tools, build a Debian 12
# guest image on the host (mmdebstrap + mke2fs -d, cached in build/demo),
# boot the kernel in qemu (TCG) with the image attached and run
# `vserver demo build/start/exec/stop` there (scripts/vm/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
lap() { printf '    (%ds)\n' $(( $(date +%s) - start )); }

echo "==> installing dependencies (apt)"
scripts/deps.sh
echo "==> building the patched kernel (first time: about 10 minutes)"
make -s kernel
lap
echo "==> building the tools"
make -s util tests >/dev/null
scripts/mkinitramfs.sh
lap
echo "==> the Debian 12 guest image (first time: about 2 minutes, then cached)"
img=$(scripts/demo-image.sh)
echo "    $img"
lap
echo "==> booting the kernel in qemu (TCG, no KVM) with the guest image"
mkdir -p build/results
log=build/results/demo.log
DISK=$img VM_TIMEOUT=${VM_TIMEOUT:-600} scripts/vm.sh demo | tee "$log"
if grep -q '^VSERVER-DEMO-OK' "$log"; then
	printf '\n==> make demo succeeded in %ds (log: %s)\n' $(( $(date +%s) - start )) "$log"
else
	printf '\n==> make demo FAILED after %ds (log: %s)\n' $(( $(date +%s) - start )) "$log" >&2
	exit 1
fi
