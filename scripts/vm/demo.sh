#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, run inside the VM by `make demo`.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "The kernel speaks vserver (sys_vserver, syscall 236)"
run uname -r
run cat /proc/virtual/info

step "The host shell is context 0 and sees every process"
run grep VxID /proc/self/status
printf '$ ls /proc | grep -c "^[0-9]"\n'
ls /proc | grep -c '^[0-9]'

step "A guest: context 42, util-vserver's secure capabilities, 64 MiB"
CG=/sys/fs/cgroup
[ -e $CG/cgroup.controllers ] || mount -t cgroup2 cgroup2 $CG
echo +memory > $CG/cgroup.subtree_control
mkdir -p $CG/guest42 && echo 64M > $CG/guest42/memory.max
echo "(memory.max of cgroup guest42 = 64M)"
run vcontext --create --persistent --xid 42 \
	--flag virt_mem,virt_uptime,virt_load
run vattribute --xid 42 --set --secure
run vattribute --xid 42 --get

step "Inside the guest"
host_pid=$$
sh -c 'echo $$ > /sys/fs/cgroup/guest42/cgroup.procs
	exec vcontext --migrate --xid 42 -- sh -c "
	echo \"\$ grep VxID /proc/self/status\"; grep VxID /proc/self/status
	echo \"\$ ps   (only the guest'"'"'s own processes)\"; ps
	echo \"\$ kill -0 '$host_pid'   (the host shell)\"; kill -0 '$host_pid'
	echo \"\$ free   (the 64M limit, not the VM'"'"'s RAM)\"; free
	echo \"\$ uptime   (counts from the guest'"'"'s start)\"; uptime
	echo \"\$ mknod /tmp/null c 1 3   (root, but no CAP_MKNOD)\"
	mknod /tmp/null c 1 3
	echo \"\$ vcontext --create --xid 43 -- true   (no contexts from a guest)\"
	vcontext --create --xid 43 -- true
	true"'

step "Stop the guest: kill its processes, drop persistence"
run vcontext --migrate --xid 42 --disconnect -- sleep 1000
run cat /proc/virtual/42/status
run vkill --xid 42 -s KILL
run vattribute --xid 42 --set --flag ~persistent
sleep 0.2
run ls /proc/virtual/

printf '\n\033[1mdemo finished: a context was created, entered, isolated and stopped.\033[0m\n'
