#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `vserver NAME start` until the guest runs its rc, and `stop`, timed over
# N rounds on a busybox guest, next to the bare namespaces+chroot a
# container runtime needs at least (unshare + chroot + true).  lxc-start
# and systemd-nspawn are not in the test VM; where they are, run them
# against the same tree for a side-by-side figure.
N=${1:-10}
T=/tmp/vserver-bench
export VSERVER_CONFDIR=$T/etc
BB=/bin/busybox
now() { cut -d' ' -f1 /proc/uptime | tr -d .; }	# centiseconds

rm -rf $T
mkdir -p $T/etc $T/root/b1/bin $T/root/b1/sbin $T/root/b1/etc/init.d \
	$T/root/b1/proc $T/root/b1/dev $T/root/b1/tmp
cp $BB $T/root/b1/bin/busybox
ln -s busybox $T/root/b1/bin/sh
printf '#!/bin/sh\ntouch /tmp/up\n' > $T/root/b1/etc/init.d/rc
chmod 755 $T/root/b1/etc/init.d/rc
vserver b1 build -m skeleton --rootdir $T/root --context 24900 \
	--initstyle sysv >/dev/null || exit 1

start=0 stop=0 i=0
while [ $i -lt "$N" ]; do
	rm -f $T/root/b1/tmp/up
	t0=$(now)
	vserver b1 start >/dev/null || exit 1
	while [ ! -e $T/root/b1/tmp/up ]; do usleep 1000; done
	t1=$(now)
	vserver b1 stop --timeout 10 >/dev/null || exit 1
	t2=$(now)
	start=$((start + t1 - t0))
	stop=$((stop + t2 - t1))
	i=$((i + 1))
done
t0=$(now)
i=0
while [ $i -lt "$N" ]; do
	unshare -m -u -i -p -f chroot $T/root/b1 /bin/sh -c true || exit 1
	i=$((i + 1))
done
base=$(( $(now) - t0 ))
[ $base -gt 0 ] || base=1
echo "vserver start (until rc ran): $((start * 10 / N)) ms"
echo "vserver stop:                 $((stop * 10 / N)) ms"
echo "unshare+chroot+true baseline: $((base * 10 / N)) ms"
echo "ratio start/baseline:         $((start / base)).$(( (start * 10 / base) % 10 ))"
for rt in lxc-start systemd-nspawn; do
	command -v $rt >/dev/null || echo "$rt: not installed in the VM, not compared"
done
vserver b1 delete --force >/dev/null
rm -rf $T
