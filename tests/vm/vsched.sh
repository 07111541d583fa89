#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vsched inside the VM: setting, reading and config directories, and a
# short run of bench/sched_share (a capped guest is really held).
. "$(dirname "$0")/../lib/tap.sh"

field() { sed -n "s/^$2:\t//p" "/proc/virtual/$1/sched"; }

plan 21
vcontext --create --persistent --silent --xid 23500 >/dev/null
ncpu=$(nproc)
check_out "Mode:	none" "a new context has no bucket" cat /proc/virtual/23500/sched
check "vsched sets a bucket" vsched --xid 23500 --fill-rate 1 --interval 4
check_out "Mode:	hard" "the bucket is a hard cap" cat /proc/virtual/23500/sched
period=$(field 23500 PeriodUs)
quota=$(field 23500 QuotaUs)
if [ "$quota" -eq $((period * ncpu / 4)) ]; then
	tap_result ok "quota is a quarter of $ncpu CPUs"
else
	tap_result fail "quota is a quarter of $ncpu CPUs" "period $period quota $quota"
fi
check_out "fill-rate      1" "--list shows the fill rate" vsched --xid 23500 --list
check_out "interval       4" "--list shows the interval" vsched --xid 23500 --list
check "--priority-bias" vsched --xid 23500 --priority-bias 5
check_out "PrioBias:	5" "the bias is kept" cat /proc/virtual/23500/sched
check_out "Weight:	335" "the bias is the weight of nice 5" cat /proc/virtual/23500/sched
check_out "Invalid argument" "a bias of 30 is refused" \
	vsched --xid 23500 --priority-bias 30
check_out "No such process" "a missing context" vsched --xid 23999 --fill-rate 1
check_out "one bucket for all CPUs" "--cpu-id 0 is refused clearly" \
	vsched --xid 23500 --cpu-id 0 --fill-rate 2
check "--tokens-min 3" vsched --xid 23500 --tokens-min 3
check_out "RefillTokens:	3" "refills of tokens-min tokens" \
	cat /proc/virtual/23500/sched

d=/tmp/vsched-dir
mkdir -p $d
echo 3 > $d/fill-rate
echo 12 > $d/interval
touch $d/idle-time
check "--dir reads util-vserver's sched/ files" vsched --xid 23500 --dir $d
check_out "FillRate:	3,0" "fill-rate from the directory" cat /proc/virtual/23500/sched
check_out "IdleTime:	1" "idle-time flag file" cat /proc/virtual/23500/sched
check "--dir with an option overriding it" \
	vsched --xid 23500 --dir $d --fill-rate 2
check_out "FillRate:	2,0" "the option wins" cat /proc/virtual/23500/sched
check_out "Operation not permitted" "a guest after setup cannot change it" \
	vcontext --migrate --xid 23500 --endsetup -- vsched --xid self --fill-rate 4
vattribute --xid 23500 --set --flag ~persistent

# A capped guest alone gets its cap, not more (short window, TCG).
check "sched_share alone: a capped guest is held at its cap" \
	/opt/vserver/bench/sched_share -w 4 -t 10 alone
rm -rf $d
done_testing
