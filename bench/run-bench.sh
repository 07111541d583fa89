#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmarks inside the VM; `make bench` prints this output.  The kernel
# argument vserver.bench=NAME[,NAME...] (make bench BENCH=vclone) runs
# only those.
B=/opt/vserver/bench
only=
for arg in $(cat /proc/cmdline); do
	case $arg in
	vserver.bench=*) only=,${arg#vserver.bench=}, ;;
	esac
done

bench() {
	name=$1
	shift
	case $only in
	""|*,$name,*) ;;
	*) return 0 ;;
	esac
	echo "### BENCH $name"
	"$@"
	echo "### EXIT $?"
}

bench ctx_spawn "$B/ctx_spawn" "${BENCH_N:-1000}"
bench syscalls "$B/syscalls" "${BENCH_ROUNDS:-30}"
bench syscalls-floor "$B/syscalls" "${BENCH_ROUNDS:-30}" --host-only
bench sched_share "$B/sched_share" -w "${BENCH_SCHED_WINDOW:-30}"
bench net_stream "$B/net_stream" "${BENCH_NET_SECS:-0.5}" "${BENCH_NET_ROUNDS:-3}"
bench vclone "$B/vclone.sh"
bench vserver-start "$B/vserver-start.sh" "${BENCH_STARTS:-10}"
