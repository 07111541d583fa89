#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the patched kernel in qemu (TCG) with the test initramfs.
#
#   scripts/vm.sh check     run every suite; results in build/results/
#   scripts/vm.sh stock     FLAVOUR=novs: check the CONFIG_VSERVER=n kernel
#   scripts/vm.sh bench     run the benchmarks; report in build/results/
#   scripts/vm.sh fuzz      the robustness suites (tests/fuzz/run-fuzz.sh)
#   scripts/vm.sh coverage  FLAVOUR=gcov: every suite, then the gcov
#                           counters of kernel/vserver to $GCOV_OUT
#   scripts/vm.sh demo      run the demo on this terminal
#   scripts/vm.sh shell     an interactive shell (Ctrl-A X quits qemu)
#
# The console goes to build/results/console-MODE.log (the terminal for demo
# and shell), the suites' TAP output to a second serial port, saved as
# build/results/MODE.tap.  A guest that hangs is killed after VM_TIMEOUT
# seconds and reported as a failure.
set -uo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:-check}
# VM_NAME: another name for the result files and the disk, so that two
# VMs of one mode can run at once.
NAME=${VM_NAME:-$MODE}
FLAVOUR=${FLAVOUR:-test}
KERNEL=${KERNEL:-$TOP/build/obj-$FLAVOUR/arch/x86/boot/bzImage}
INITRD=${INITRD:-$TOP/build/initramfs.cpio.gz}
RESULTS=$TOP/build/results
VM_TIMEOUT=${VM_TIMEOUT:-1500}
VM_MEM=${VM_MEM:-1024}
VM_CPUS=${VM_CPUS:-2}
# One CPU per socket: the kernel has no ACPI and finds CPUs in SeaBIOS's
# MP table, which lists one CPU per socket (qemu 7.2 puts -smp 2 as two
# cores into one socket, and the VM would see a single CPU).

for f in "$KERNEL" "$INITRD"; do
	[ -f "$f" ] || { echo "vm.sh: $f missing (make kernel initramfs)" >&2; exit 1; }
done
mkdir -p "$RESULTS"

append="console=ttyS0 panic=-1 vserver.run=$MODE"
# The fuzzer reads reports from the kernel log and keeps going: an oops
# kills the calling task only, and KASAN reports every bug it sees.
if [ "$MODE" = fuzz ]; then
	append="$append kasan_multi_shot"
else
	append="$append oops=panic"
fi
# The KUnit suites are built in but run only when asked to.
case $MODE in check|coverage) append="$append kunit.enable=1" ;; esac
# An lsm= list without vserver: it must stay enabled (ordered last), or
# every suite fails.
append="$append lsm=capability"
# BENCH=NAME[,NAME...]: only these benchmarks (bench/run-bench.sh).
[ -n "${BENCH:-}" ] && append="$append vserver.bench=$BENCH"
# The benchmarks' sizes (BENCH_ROUNDS=30 ...) reach run-bench.sh as
# variables of init's environment: the kernel passes on NAME=value.
for v in BENCH_N BENCH_ROUNDS BENCH_SCHED_WINDOW BENCH_NET_SECS \
	BENCH_NET_ROUNDS BENCH_STARTS FUZZ_CALLS FUZZ_FAULT_CALLS FUZZ_SEED \
	FUZZ_CHURN FUZZ_TRINITY FUZZ_PLANT; do
	[ -n "${!v:-}" ] && append="$append $v=${!v}"
done
# Benchmarks need a fine clock: without ACPI there is no HPET, and under
# TCG the kernel finds the vCPUs' TSCs unsynchronised and falls back to
# jiffies (4 ms steps that lag while a vCPU is busy).  qemu derives every
# vCPU's TSC from the host clock, so it is safe to trust it here.
[ "$MODE" = bench ] && append="$append tsc=reliable"
# On the debug kernel a KASAN report or a lockdep warning stops the VM,
# which then counts as a crash.
[ "$FLAVOUR" = debug ] && [ "$MODE" != fuzz ] &&
	append="$append kasan.fault=panic panic_on_warn=1"
qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=multi
      -cpu max -smp "$VM_CPUS,sockets=$VM_CPUS,cores=1" -m "$VM_MEM" -nographic -no-reboot
      -kernel "$KERNEL" -initrd "$INITRD" -nic none)
# A fresh ext4 disk (/dev/vda) for the suites that test filesystems.
EXT4_IMG=$TOP/build/ext4-$NAME.img
if "$TOP/scripts/mkext4img.sh" "$EXT4_IMG"; then
	qemu+=(-drive "file=$EXT4_IMG,if=virtio,format=raw")
fi
# DISK: a raw image attached as /dev/vdb, never written (make demo and
# the Debian guest suite).
[ -n "${DISK:-}" ] &&
	qemu+=(-drive "file=$DISK,format=raw,if=virtio,snapshot=on")

case $MODE in
check|stock|bench|fuzz|coverage)
	log=$RESULTS/console-$NAME.log
	tap=$RESULTS/$NAME.tap
	rm -f "$log" "$tap"
	echo "  QEMU    $MODE (timeout ${VM_TIMEOUT}s, console: $log)"
	timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" -append "$append" \
		-monitor none -serial "file:$log" -serial "file:$tap" \
		${GCOV_OUT:+-serial "file:$GCOV_OUT"} \
		< /dev/null > /dev/null 2>&1
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "vm.sh: the VM did not finish within ${VM_TIMEOUT}s" >&2
		echo "### VM TIMEOUT" >> "$tap"
		exit 1
	fi
	status=$(sed -n 's/^VSERVER-EXIT \([0-9]*\).*/\1/p' "$tap" 2>/dev/null | tail -1)
	if [ -z "$status" ]; then
		echo "vm.sh: the VM stopped without reporting (crash?); see $log" >&2
		echo "### VM CRASHED" >> "$tap"
		exit 1
	fi
	exit "$status"
	;;
demo)
	exec timeout -k 10 "$VM_TIMEOUT" "${qemu[@]}" -append "$append quiet" \
		-serial mon:stdio -serial null
	;;
shell)
	exec "${qemu[@]}" -append "$append" -serial mon:stdio
	;;
*)
	echo "vm.sh: unknown mode '$MODE' (check, stock, bench, fuzz, coverage, demo, shell)" >&2
	exit 2
	;;
esac
