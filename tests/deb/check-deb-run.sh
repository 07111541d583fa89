#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the Debian 12 system of `make check-deb`, at boot, from
# vserver-check.service; writes TAP to the second serial port.  The same
# disk boots twice:
#   boot 1: systemd reached multi-user.target, the vserver kernel runs;
#           two guests are built (`vserver NAME build`) and marked to
#           start at boot; then a reboot;
#   boot 2: the guests came up at boot, serve each other on their own
#           addresses, cannot reach the host's loopback; enter, exec,
#           `systemctl restart vserver@web1` and a reboot inside a guest
#           work; then a poweroff, which must stop the guests (the host
#           side reads that off the console).
. /usr/local/lib/vserver-check/tap.sh

OUT=/dev/ttyS1
STATE=/var/lib/vserver-check
exec > "$OUT" 2>&1

# The boot is done (the system is running or degraded), or 300 s passed.
wait_boot() {
	timeout 300 systemctl is-system-running --wait > /dev/null 2>&1
	systemctl is-system-running 2>/dev/null
}

init_pid() {
	vserver --json "$1" status 2>/dev/null |
		sed -n 's/.*"running":true,"init_pid":\([0-9]*\).*/\1/p'
}

# Wait up to $2 half-seconds until the guest $1 runs with an init other
# than $3; print that init.
wait_new_init() {
	i=0
	while [ $i -lt "$2" ]; do
		p=$(init_pid "$1")
		[ -n "$p" ] && [ "$p" != "$3" ] && { echo "$p"; return 0; }
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}

# A guest tree: busybox, a sysv rc that serves /www on the guest address.
make_guest() {	# NAME ADDRESS CONTEXT
	d=/srv/guests/$1
	mkdir -p $d/bin $d/sbin $d/etc/init.d $d/www $d/root $d/tmp $d/proc \
		$d/dev
	cp /bin/busybox $d/bin/busybox
	for a in sh ps cat sleep httpd wget echo reboot halt poweroff kill \
		 pidof hostname id; do
		ln -sf busybox $d/bin/$a
	done
	printf 'root:x:0:0:root:/root:/bin/sh\n' > $d/etc/passwd
	printf 'root:x:0:\n' > $d/etc/group
	echo "hello from $1" > $d/www/index.html
	cat > $d/etc/init.d/rc <<-EOF
	#!/bin/sh
	case \$1 in
	0|6)	kill \$(pidof httpd) 2>/dev/null ;;
	*)	httpd -p $2:80 -h /www ;;
	esac
	EOF
	chmod 755 $d/etc/init.d/rc
	vserver "$1" build -m skeleton --rootdir /srv/guests --context "$3" \
		--hostname "$1" --interface "dummy0:$2/24" --initstyle sysv &&
	echo default > "/etc/vservers/$1/apps/init/mark"
}

mkdir -p $STATE
if [ ! -f $STATE/boot1 ]; then
	echo "### SUITE deb/boot1"
	plan 6
	state=$(wait_boot)
	check "boot 1: systemd reached multi-user.target (state '$state')" \
		test "$state" = running
	check "boot 1: no failed unit" sh -c \
		'n=$(systemctl list-units --failed --no-legend | wc -l); systemctl list-units --failed --no-legend; test $n = 0'
	check_out "-vserver" "the vserver kernel runs" uname -r
	check_out "VCIVersion" "sys_vserver answers" cat /proc/virtual/info
	check "vserver web1 build (marked default)" make_guest web1 10.77.0.2 201
	check "vserver web2 build (marked default)" make_guest web2 10.77.0.3 202
	touch $STATE/boot1
	echo "### EXIT 0"
	sync
	systemctl reboot
	exit 0
fi

echo "### SUITE deb/boot2"
plan 15
state=$(wait_boot)
check "boot 2: systemd reached multi-user.target (state '$state')" \
	test "$state" = running
check "boot 2: no failed unit" sh -c \
	'n=$(systemctl list-units --failed --no-legend | wc -l); systemctl list-units --failed --no-legend; test $n = 0'
check "web1 came up at boot (vservers.target)" vserver web1 running
check "web2 came up at boot" vserver web2 running
check_out "active" "... as vserver@web1.service" systemctl is-active vserver@web1
check_out "hello from web2" "web1 reaches web2's service on web2's address" \
	vserver web1 exec wget -q -O - http://10.77.0.3/
check_out "hello from web1" "web2 reaches web1's on web1's address" \
	vserver web2 exec wget -q -O - http://10.77.0.2/
# A host service on the loopback: the host reaches it, a guest does not
# (its 127.0.0.1 is its own loopback address).
mkdir -p /tmp/hostweb && echo "host only" > /tmp/hostweb/index.html
busybox httpd -p 127.0.0.1:8080 -h /tmp/hostweb
check_out "host only" "the host's loopback service answers the host (control)" \
	busybox wget -q -O - http://127.0.0.1:8080/
check_rc 1 "... not a guest" vserver web1 exec wget -q -O - \
	http://127.0.0.1:8080/
check_out "web1" "vserver web1 exec" vserver web1 exec hostname
check_out "uid=0" "vserver web1 enter" sh -c 'echo id | vserver web1 enter'
init1=$(init_pid web1)
systemctl restart vserver@web1
check "systemctl restart vserver@web1 gives the guest a new init" \
	wait_new_init web1 60 "$init1"
init2=$(init_pid web1)
vserver web1 exec reboot > /dev/null 2>&1
check "a reboot inside web1 restarts it" wait_new_init web1 120 "$init2"
check_out "active" "... and its unit stays active" systemctl is-active vserver@web1
check_out "hello from web1" "... and it serves again" sh -c \
	'for i in 1 2 3 4 5 6 7 8 9 10; do vserver web2 exec wget -q -O - http://10.77.0.2/ && exit 0; sleep 1; done; exit 1'
echo "### EXIT 0"
# The host side checks the console: both guests stopped, within the
# units' timeout, before the power went off.
echo "### POWEROFF $(date +%s)"
sync
systemctl poweroff
