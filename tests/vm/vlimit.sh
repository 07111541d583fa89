#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vlimit: per-context limits set from the host and from a guest during
# setup, util-vserver's rlimits/ directory, --list; and memory through the
# guest's own cgroup v2: a memory hog is the only one OOM-killed, and free
# inside the guest shows the cgroup's 64M.
. "$(dirname "$0")/../lib/tap.sh"

plan 29

# The guest sets its own limit during setup; the fourth task cannot fork.
check_out "Resource temporarily unavailable" "nproc 3: the third child fails" \
	vcontext --create --silent --xid 22100 -- \
	vlimit --nproc 3 -- sh -c 'sleep 2 & sleep 2 & sleep 2 & wait'

vcontext --create --silent --persistent --xid 22101 > /dev/null
check "set limits from the host" \
	vlimit --xid 22101 --nproc 10 -S --nproc 8 -M --nproc 2 --nofile 1K \
	--as 512M
out=$(vlimit --xid 22101 --list)
case $out in
*"nproc"*" 0 "*" 2 "*" 8 "*" 10"*) tap_result ok "--list shows minimum, soft and hard" ;;
*) tap_result fail "--list shows minimum, soft and hard" "$out" ;;
esac
check_out "1024" "K multiplies by 1024" vlimit --xid 22101 --list
check_out "512M" "a memory size is shown as a size" vlimit --xid 22101 --list
check_out "PROC:" "/proc/virtual/<xid>/limit" cat /proc/virtual/22101/limit

# A limit of one task: nothing can fork; raising it works at once.
vlimit --xid 22101 --nproc 1
check_out "Resource temporarily unavailable" "nproc 1 refuses a fork" \
	vcontext --migrate --xid 22101 -- sh -c 'sleep 0 & wait'
hits=$(vlimit --xid 22101 --list | awk '$1 == "nproc" { print $5 }')
[ "$hits" = 1 ] && tap_result ok "the refused fork is a hit" ||
	tap_result fail "the refused fork is a hit" "hits: $hits"
vlimit --xid 22101 --nproc 2
check "raising the limit takes effect without a restart" \
	vcontext --migrate --xid 22101 -- sh -c 'sleep 0 & wait'
check "--reset-hits" vlimit --xid 22101 --reset-hits
hits=$(vlimit --xid 22101 --list | awk '$1 == "nproc" { print $5 }')
[ "$hits" = 0 ] && tap_result ok "hits are zero after --reset-hits" ||
	tap_result fail "hits are zero after --reset-hits" "hits: $hits"

# util-vserver's rlimits/ directory.
D=/tmp/vlimit-rlimits
rm -rf $D
mkdir -p $D
echo 20 > $D/nproc
echo 100 > $D/nofile.hard
echo 50 > $D/nofile.soft
echo inf > $D/nsock
check "--dir reads the limit files" vlimit --xid 22101 --dir $D
out=$(vlimit --xid 22101 --list)
case $out in
*"nproc"*" 20 "*" 20 "*" 20"*"nofile"*" 50 "*" 100"*) tap_result ok "--dir sets what the files say" ;;
*) tap_result fail "--dir sets what the files say" "$out" ;;
esac
check_rc 1 "a missing --dir fails" vlimit --xid 22101 --dir /nonexistent
check_rc 0 "... unless --missingok" vlimit --xid 22101 --dir /nonexistent \
	--missingok
echo lots > $D/nsock
check_out "invalid limit in $D/nsock" "a bad limit file is named" \
	vlimit --xid 22101 --dir $D
rm $D/nsock
echo 1000 > $D/rss
check_out "ignoring $D/rss" "a limit file the kernel cannot apply is skipped" \
	vlimit --xid 22101 --dir $D
rm $D/rss
check_out "no per-context cpu limit" "a resource the kernel does not limit" \
	vlimit --xid 22101 --cpu 10
vlimit --xid 22101 --locks 5
out=$(vlimit --xid 22101 --list)
case $out in
*"locks "*" 0 "*" 5 "*" 5"*) tap_result ok "--locks sets the file-lock limit" ;;
*) tap_result fail "--locks sets the file-lock limit" "$out" ;;
esac
check_out "anon " "--list reports anonymous memory" vlimit --xid 22101 --list
vlimit --xid 22101 -S --rss 64M
out=$(vlimit --xid 22101 --list)
case $out in
*"rss "*" 64M "*" inf"*) tap_result ok "-S --rss sets the soft RSS limit (fork_rss)" ;;
*) tap_result fail "-S --rss sets the soft RSS limit (fork_rss)" "$out" ;;
esac
check_out "no per-context rss limit" "rss has no hard limit" \
	vlimit --xid 22101 --rss 64M
check_out "no per-context dentry limit" "dentry is not limited" \
	vlimit --xid 22101 --dentry 1000
check_out "No such process" "a context that does not exist" \
	vlimit --xid 22199 --nproc 5
check_out "Operation not permitted" "a guest after setup cannot change its limits" \
	vcontext --create --silent --xid 22102 --endsetup -- vlimit --nproc 5
vattribute --xid 22101 --set --flag ~persistent

# Memory: the guest in its own cgroup (memory.max 64M, pids.max).
CG=/sys/fs/cgroup
[ -e $CG/cgroup.controllers ] || mount -t cgroup2 cgroup2 $CG
echo "+memory +pids" > $CG/cgroup.subtree_control
mkdir -p $CG/vs-22110
echo 64M > $CG/vs-22110/memory.max
[ -e $CG/vs-22110/memory.swap.max ] && echo 0 > $CG/vs-22110/memory.swap.max
echo 40 > $CG/vs-22110/pids.max
out=$(sh -c 'echo $$ > /sys/fs/cgroup/vs-22110/cgroup.procs &&
	exec vcontext --create --silent --xid 22110 --flag virt_mem -- sh -c "
		sleep 30 & bystander=\$!
		dd if=/dev/zero of=/dev/null bs=128M count=1 2>/dev/null
		echo hog=\$?
		kill -0 \$bystander && echo bystander-alive
		kill \$bystander
		free"' 2>&1)
case $out in
*"hog=137"*) tap_result ok "the memory hog is OOM-killed" ;;
*) tap_result fail "the memory hog is OOM-killed" "$out" ;;
esac
case $out in
*"bystander-alive"*) tap_result ok "only the hog dies" ;;
*) tap_result fail "only the hog dies" "$out" ;;
esac
case $out in
*"Mem:"*" 65536 "*) tap_result ok "free inside the guest shows 64M" ;;
*) tap_result fail "free inside the guest shows 64M" "$out" ;;
esac
oom=$(awk '$1 == "oom_kill" { print $2 }' $CG/vs-22110/memory.events)
[ "${oom:-0}" -ge 1 ] && tap_result ok "memory.events counts the OOM kill" ||
	tap_result fail "memory.events counts the OOM kill" "oom_kill: $oom"
done_testing
