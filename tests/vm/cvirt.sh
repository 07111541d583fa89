#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# free, uptime and /proc inside a guest with the virt_* flags: the tools
# guests actually run tell the guest's truth.
. "$(dirname "$0")/../lib/tap.sh"

plan 5
CG=/sys/fs/cgroup
[ -e $CG/cgroup.controllers ] || mount -t cgroup2 cgroup2 $CG
echo +memory > $CG/cgroup.subtree_control
mkdir -p $CG/vs-free64
echo 64M > $CG/vs-free64/memory.max

in_64m() {
	sh -c 'echo $$ > /sys/fs/cgroup/vs-free64/cgroup.procs && exec "$@"' sh "$@"
}

check_out "65536" "free in a virt_mem guest shows its 64M limit" \
	in_64m vcontext --create --silent --flag virt_mem -- free
out=$(in_64m vcontext --create --silent -- free)
case $out in
*" 65536 "*) tap_result fail "free without virt_mem shows the host" "$out" ;;
*) tap_result ok "free without virt_mem shows the host" ;;
esac
check_out "MemTotal:          65536 kB" "/proc/meminfo shows the limit" \
	in_64m vcontext --create --silent --flag virt_mem -- cat /proc/meminfo
check_out "up 0 min" "uptime in a virt_uptime guest starts at 0" \
	vcontext --create --silent --flag virt_uptime -- uptime
check_out " 0/1 " "/proc/loadavg in a virt_load guest counts its tasks" \
	vcontext --create --silent --flag virt_load -- cat /proc/loadavg
done_testing
