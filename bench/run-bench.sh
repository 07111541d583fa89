#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Benchmarks inside the VM; `make bench` prints this output.
B=/opt/vserver/bench
echo "### BENCH ctx_spawn"
"$B/ctx_spawn" "${BENCH_N:-1000}"
echo "### EXIT $?"
echo "### BENCH syscalls"
"$B/syscalls" "${BENCH_ROUNDS:-5}"
echo "### EXIT $?"
echo "### BENCH sched_share"
"$B/sched_share" -w "${BENCH_SCHED_WINDOW:-30}"
echo "### EXIT $?"
echo "### BENCH net_stream"
"$B/net_stream" "${BENCH_NET_SECS:-0.5}" "${BENCH_NET_ROUNDS:-3}"
echo "### EXIT $?"
echo "### BENCH vclone"
"$B/vclone.sh"
echo "### EXIT $?"
echo "### BENCH vserver-start"
"$B/vserver-start.sh" "${BENCH_STARTS:-10}"
echo "### EXIT $?"
