#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, run inside the VM by `make demo`: a real Debian 12 guest from
# the attached disk, built, started, looked into and stopped with vserver.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
fail() { printf '\n\033[1;31mdemo FAILED: %s\033[0m\n' "$*"; exit 1; }
t0=$(cut -d. -f1 /proc/uptime)

step "The VM runs the patched kernel: sys_vserver answers"
run uname -r
run head -3 /proc/virtual/info

step "The Debian 12 guest tree is on the attached disk (ext4, mke2fs -d)"
mkdir -p /srv
mount -t ext4 /dev/vdb /srv || fail "no demo disk (/dev/vdb)"
run ls /srv/guests/demo
run cat /srv/guests/demo/etc/debian_version

step "A dummy interface for the guest's address"
ip link add dummy0 type dummy 2>/dev/null	# (or the one the kernel made)
ip link set dummy0 up
echo 10.42.0.2 > /srv/guests/demo/etc/demo-web.addr

step "vserver demo build: configuration for the existing tree"
run vserver demo build -m skeleton --rootdir /srv/guests --context 42 \
	--hostname demo-guest --interface dummy0:10.42.0.2/24 \
	--initstyle sysv || fail "build"
C=/etc/vservers/demo
mkdir -p $C/cgroup $C/apps/init
echo 128M > $C/cgroup/memory.max
echo 64 > $C/cgroup/pids.max
echo "/etc/init.d/demo-web start" > $C/apps/init/cmd.start
echo "/etc/init.d/demo-web stop" > $C/apps/init/cmd.stop
run find $C -type f
echo "(cgroup/memory.max = 128M, pids.max = 64; the sysv style runs demo-web)"

step "vserver demo start"
run vserver demo start || fail "start"
run vserver demo status || fail "status"

step "Inside the guest: its own processes only"
run vserver demo exec ps -ef
printf '(the VM runs %s processes)\n' "$(ls -d /proc/[0-9]* | wc -l)"

step "Inside the guest: its hostname and uname"
run vserver demo exec hostname
run vserver demo exec uname -a

step "Inside the guest: its IP, where its web server listens"
run vserver demo exec busybox netstat -ltn
run vserver demo status --json

step "Inside the guest: free shows its memory limit, not the VM's RAM"
run vserver demo exec free -m
run free -m

step "Inside the guest: root, but bounded: the host's kernel is out of reach"
# Each must fail: a host sysctl, the host's kernel log, and a disk's
# device node left in the guest's tree (made here by the host).
run vserver demo exec sh -c 'echo "|/tmp/x" > /proc/sys/kernel/core_pattern' &&
	fail "the guest wrote the host's core_pattern"
run vserver demo exec dmesg && fail "the guest read the host's kernel log"
set -- $(stat -L -c '%t %T' /dev/vdb)
mknod /srv/guests/demo/root/disk b $((0x$1)) $((0x$2))
run vserver demo exec head -c1 /root/disk && fail "the guest read a disk"
rm -f /srv/guests/demo/root/disk
run vserver demo exec grep CapEff /proc/self/status

step "The VM host fetches the guest's page on the guest's IP"
printf '$ wget -q -O - http://10.42.0.2/\n'
page=$(timeout 20 wget -q -O - http://10.42.0.2/) || fail "no answer from 10.42.0.2"
echo "$page"
case $page in *"Debian 12 guest"*) ;; *) fail "unexpected page" ;; esac

step "vserver demo stop"
run vserver demo stop || fail "stop"
run vserver demo status
[ -e /proc/virtual/42 ] && fail "context 42 still exists"
ip addr show dev dummy0 | grep -q 10.42.0.2 && fail "the address is still there"
run ls /proc/virtual

t1=$(cut -d. -f1 /proc/uptime)
printf '\n\033[1;32mdemo OK: a Debian 12 guest was built, started, isolated, served a page and stopped (%ss in the VM).\033[0m\n' \
	"$((t1 - t0))"
echo "VSERVER-DEMO-OK"
