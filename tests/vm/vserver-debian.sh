#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vserver with a real Debian 12 guest: the image of scripts/demo-image.sh
# attached as /dev/vdb (make check does).  sysv style with a daemon,
# status/JSON, exec, enter, suexec, restart, reboot from inside, stop,
# delete.  Skipped when no image is attached.  xids 24100-24199.
. "$(dirname "$0")/../lib/tap.sh"

T=/tmp/vserver-debian
export VSERVER_CONFDIR=$T/etc
V="timeout 120 vserver"
N=24

mkdir -p /srv
if ! mount -t ext4 /dev/vdb /srv 2>/dev/null || [ ! -d /srv/guests/demo/etc ]; then
	echo "1..0 # SKIP no Debian guest image attached (scripts/demo-image.sh)"
	exit 0
fi
plan $N
ip link add dummy0 type dummy 2>/dev/null
ip link set dummy0 up
echo 10.98.0.2 > /srv/guests/demo/etc/demo-web.addr
rm -rf $T
mkdir -p $T/etc

# The page, once the guest's rc has started its daemon (up to 15 s).
page() {
	i=0
	while [ $i -lt 30 ]; do
		timeout 10 wget -q -O - http://10.98.0.2/ 2>/dev/null && return 0
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}

check "build -m skeleton on the Debian tree" $V demo build -m skeleton \
	--rootdir /srv/guests --context 24100 --hostname deb-guest \
	--interface dummy0:10.98.0.2/24 --initstyle sysv --mark default
C=$VSERVER_CONFDIR/demo
mkdir -p $C/cgroup
echo 96M > $C/cgroup/memory.max
echo "/etc/init.d/demo-web start" > $C/apps/init/cmd.start
echo "/etc/init.d/demo-web stop" > $C/apps/init/cmd.stop
check "start" $V demo start
check_rc 0 "status: running" $V demo status
check_out '"running":true' "status --json" $V --json demo status
check_out '"mark":"default"' "status --json has the mark" $V --json demo status
check_out "12." "exec: the guest is Debian 12" $V demo exec cat /etc/debian_version
check_out "deb-guest" "exec: its hostname" $V demo exec hostname
out=$($V demo exec ps -e -o comm= 2>&1)
case $out in
*run-vm-tests*|*vserver-mon*) tap_result fail "ps shows the guest's processes only" "$out" ;;
*init*) tap_result ok "ps shows the guest's processes only" ;;
*) tap_result fail "ps shows the guest's processes only" "$out" ;;
esac
check_out "init [3]" "pid 1 is the sysv style's init" $V demo exec ps -p 1 -o args=
check_out "Debian 12 guest" "the daemon serves on the guest's address" page
check_out " 96 " "free -m shows memory.max" $V demo exec free -m
check_out "deb-guest" "enter" sh -c "echo 'hostname; exit' | $V demo enter"
check_out "65534" "suexec nobody" $V demo suexec nobody id -u
check_out "VxID:	24100" "exec runs in the context" \
	$V demo exec grep VxID /proc/self/status

pid1=$($V --json demo status | sed 's/.*"init_pid":\([0-9]*\).*/\1/')
check "restart" $V demo restart --timeout 20
pid2=$($V --json demo status | sed -n 's/.*"running":true,"init_pid":\([0-9]*\).*/\1/p')
check "restart: a new init" test -n "$pid2" -a "$pid2" != "$pid1"
$V demo exec busybox reboot >/dev/null 2>&1
i=0 pid3=
while [ $i -lt 120 ]; do
	sleep 0.5
	pid3=$($V --json demo status 2>/dev/null | sed -n 's/.*"running":true,"init_pid":\([0-9]*\).*/\1/p')
	[ -n "$pid3" ] && [ "$pid3" != "$pid2" ] && break
	i=$((i + 1))
done
check "reboot inside the guest restarts it" test -n "$pid3" -a "$pid3" != "$pid2"
check_out "Debian 12 guest" "the daemon is back" page
check "stop" $V demo stop --timeout 20
check_rc 3 "status: stopped" $V demo status
check "no context, no address left" sh -c \
	"test ! -e /proc/virtual/24100 && ! ip addr show dev dummy0 | grep -q 10.98.0.2"
check "stop removed the cgroup" test ! -d /sys/fs/cgroup/vservers/demo
check "delete --force" $V demo delete --force
check "delete removed the configuration" test ! -e $C
umount /srv 2>/dev/null
rm -rf $T
done_testing
