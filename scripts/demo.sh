#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build everything and boot the patched kernel in qemu to show
# security contexts at work.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> installing dependencies (apt)"
scripts/deps.sh
echo "==> building the patched kernel (first time: about 10 minutes)"
make -s kernel
echo "==> building the tools"
make -s util tests >/dev/null
scripts/mkinitramfs.sh
echo "==> booting the kernel in qemu (TCG, no KVM)"
VM_TIMEOUT=${VM_TIMEOUT:-600} scripts/vm.sh demo
