#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# trinity-guest.sh N SEED: Debian's trinity syscall fuzzer, N system calls,
# as root of a guest with util-vserver's secure capabilities, in its own
# network context and chroot.  Then: no oops, no taint, the host's
# sysctls, mounts, addresses and names unchanged, the guest gone.  Part of
# tests/fuzz/run-fuzz.sh (three TAP results).
T=/opt/vserver/tests
. $T/lib/tap.sh
N=${1:-200000}
SEED=${2:-1}
TR=/opt/vserver/fuzz/trinity
R=/tmp/troot
XID=45000

if [ ! -x $TR/usr/bin/trinity ]; then
	for t in "no oops, no taint" "the host is unchanged" "the guest is gone"; do
		skip "trinity: $t" "trinity was not installed when the initramfs was made (make deps)"
	done
	exit 0
fi

# What the host looks like; values that change by themselves are left out.
host_state() {
	for f in $(find /proc/sys -type f 2>/dev/null | sort); do
		case $f in
		*/random/*|*/dentry-state|*/inode-nr|*/inode-state|*/file-nr|\
		*/ns_last_pid|*/aio-nr|*/pty/nr|*/nf_conntrack_count|*/stat_refresh|\
		*/kernel/tainted|*/fs/quota/*|*/vm/drop_caches|*/perf_event_max_sample_rate|\
		*/kernel/watchdog*|*/net/ipv4/tcp_mem|*/net/ipv4/udp_mem)
			continue ;;
		esac
		v=$(cat "$f" 2>/dev/null) && echo "$f=$v"
	done
	echo "hostname=$(hostname) uname=$(uname -a)"
	grep -v "$R" /proc/mounts
	ip -o addr 2>/dev/null
	ip -o link 2>/dev/null | sed 's/qlen.*//'
}

rm -rf $R
mkdir -p $R/proc $R/dev $R/tmp $R/bin
cp -a $TR/. $R/
cp /opt/vserver/bin/vattribute $R/bin/
mknod $R/dev/null c 1 3
mknod $R/dev/zero c 1 5
mknod $R/dev/full c 1 7
mknod $R/dev/random c 1 8
mknod $R/dev/urandom c 1 9
chmod 666 $R/dev/*
mount -t proc proc $R/proc
host_state > /tmp/host.before
taint0=$(cat /proc/sys/kernel/tainted)
dmesg > /tmp/dmesg.before

# trinity refuses to run as root unless told that it is meant; 64-bit
# calls only (no IA32 emulation here); AF_INET sockets for its descriptor
# pool (trinity 1.9 crashes probing families this kernel does not have);
# -T: the taints it stops at (not AUX, see below).
start=$(date +%s)
(cd $R && timeout 3000 chbind --ip 10.99.0.1 -- \
	vcontext --create --xid $XID --silent --chroot -- \
	/bin/vattribute --set --secure --flag ~state_setup -- \
	/usr/bin/trinity --dangerous -q -l off -a 64 -C 2 -N "$N" -s "$SEED" \
		-P INET -T WARN,BAD_PAGE,DIE,MACHINE_CHECK,USER \
	> /tmp/trinity.log 2>&1)
rc=$?
secs=$(( $(date +%s) - start ))
tail -5 /tmp/trinity.log | sed 's/^/# trinity: /'
echo "# trinity: exit $rc after ${secs} s"

dmesg > /tmp/dmesg.after
new=$(diff /tmp/dmesg.before /tmp/dmesg.after | grep '^+' |
	grep -E 'BUG:|WARNING:|KASAN|UBSAN|Oops|general protection|sleeping function called|kernel BUG|circular locking')
# TAINT_AUX (65536) does not count: fanotify_mark() sets it for a mask
# with permission events while it checks its arguments, before it looks
# at the file descriptor or any privilege (Linux 6.12), so that anybody,
# on the host or in a guest, can set it.
taint=$(( $(cat /proc/sys/kernel/tainted) & ~65536 ))
taint0=$(( taint0 & ~65536 ))
if [ -z "$new" ] && [ "$taint" = "$taint0" ] && [ $rc -ne 124 ] &&
   grep -q "Ran [0-9]* syscalls\|syscalls. Successes\|exit" /tmp/trinity.log; then
	tap_result ok "trinity: $N syscalls as guest root in ${secs} s: no oops, no taint"
else
	tap_result fail "trinity: no oops, no taint (exit $rc, taint $taint0 -> $taint)" "$new"
fi

umount $R/proc
host_state > /tmp/host.after
if cmp -s /tmp/host.before /tmp/host.after; then
	tap_result ok "trinity: the host's sysctls, mounts, addresses and names are unchanged"
else
	tap_result fail "trinity: the host is unchanged" \
		"$(diff /tmp/host.before /tmp/host.after | head -40)"
fi

i=0
while [ -e /proc/virtual/$XID ] && [ $i -lt 50 ]; do
	vkill --xid $XID -s KILL 2>/dev/null
	sleep 0.2
	i=$((i + 1))
done
if [ $i -eq 0 ]; then
	tap_result ok "trinity: the guest's context is gone with its last task"
else
	tap_result fail "trinity: the guest's context is gone with its last task" \
		"it was still there after trinity exited"
fi
rm -rf $R
exit 0
