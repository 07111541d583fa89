#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vserver start for a guest whose spaces include the network namespace:
# it has its own stack, so it gets no network context, and its
# interfaces/ addresses are not put on the host's devices.  xids
# 24950-24959.
. "$(dirname "$0")/../lib/tap.sh"

T=/tmp/vserver-netns-test
export VSERVER_CONFDIR=$T/etc
V="timeout 120 vserver"
BB=/bin/busybox
[ -x $BB ] || BB=$(which busybox)

plan 10

rm -rf $T
R=$T/root/n1
mkdir -p $T/etc $R/bin $R/sbin $R/etc $R/proc $R/dev $R/tmp $R/root
cp "$BB" $R/bin/busybox
for a in sh cat sleep readlink; do
	ln -sf busybox $R/bin/$a
done
ln -sf ../bin/busybox $R/sbin/init
printf '::respawn:/bin/sleep 10000\n' > $R/etc/inittab
printf 'root:x:0:0:root:/root:/bin/sh\n' > $R/etc/passwd
ip link add dummy0 type dummy 2>/dev/null
ip link set dummy0 up

check "build a guest with an interface" $V n1 build -m skeleton \
	--rootdir $T/root --context 24950 --interface dummy0:10.96.0.2/24
mkdir -p $VSERVER_CONFDIR/n1/spaces
touch $VSERVER_CONFDIR/n1/spaces/net
check_out "own network namespace: no network context" \
	"start --dry-run: no network context with spaces/net" \
	$V n1 start --dry-run
check "start" $V n1 start
check "no network context 24950" test ! -e /proc/virtnet/24950
check_out "NxID:	0" "the guest's tasks have no nid" \
	$V n1 exec cat /proc/self/status
host_ns=$(readlink /proc/self/ns/net)
out=$($V n1 exec readlink /proc/self/ns/net 2>&1)
case $out in
net:*)	if [ "$out" != "$host_ns" ]; then
		tap_result ok "the guest has its own network namespace"
	else
		tap_result fail "the guest has its own network namespace" "$out"
	fi ;;
*)	tap_result fail "the guest has its own network namespace" "$out" ;;
esac
out=$($V n1 exec cat /proc/net/dev 2>&1)
case $out in
*dummy0*|*vsnet*) tap_result fail "its stack has only lo" "$out" ;;
*lo:*) tap_result ok "its stack has only lo" ;;
*) tap_result fail "its stack has only lo" "$out" ;;
esac
out=$(ip addr show dev dummy0)
case $out in
*10.96.0.2*) tap_result fail "the address is not on the host's device" "$out" ;;
*) tap_result ok "the address is not on the host's device" ;;
esac
check "stop" $V n1 stop --timeout 20
check "delete" $V n1 delete --force
rm -rf $T
done_testing
