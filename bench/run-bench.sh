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
echo "### BENCH vserver-start"
"$B/vserver-start.sh" "${BENCH_STARTS:-10}"
echo "### EXIT $?"
