#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vserver, the admin tool, end to end: guests built from a small
# busybox tree (skeleton), started in both init styles, inspected,
# entered, restarted (also by reboot(2) from inside), stopped, deleted;
# their network context, resource limits and scheduler bucket applied;
# and failed starts that must leave nothing behind.  xids 24000-24999.
. "$(dirname "$0")/../lib/tap.sh"

T=/tmp/vserver-test
export VSERVER_CONFDIR=$T/etc
RUN=/run/vservers
V="timeout 120 vserver"
BB=/bin/busybox
[ -x $BB ] || BB=$(which busybox)

plan 116

# A guest tree: busybox, a passwd, and for the sysv style an rc script
# that starts a web server on the guest's address.
make_tree() {	# DIR
	mkdir -p "$1"/bin "$1"/sbin "$1"/etc/init.d "$1"/root "$1"/tmp \
		"$1"/www "$1"/proc "$1"/dev
	cp "$BB" "$1"/bin/busybox
	for a in sh ps hostname cat sleep id httpd free grep ls reboot halt \
		 poweroff init echo kill pidof; do
		ln -sf busybox "$1"/bin/$a
	done
	ln -sf ../bin/busybox "$1"/sbin/init
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' \
		> "$1"/etc/passwd
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$1"/etc/group
}

rm -rf $T
mkdir -p $T/etc $T/root
ip link add dummy0 type dummy 2>/dev/null
ip link set dummy0 up
# A host address that is not the guest's.
ip addr add 10.98.0.1/24 dev dummy0

# ---- a sysv guest: rc starts httpd on its address ----
make_tree $T/root/g1
cat > $T/root/g1/etc/init.d/rc <<'EOF'
#!/bin/sh
case $1 in
0|6)	kill $(cat /tmp/httpd.pid) 2>/dev/null; echo "rc $1 done" ;;
*)	echo "hello from g1" > /www/index.html
	httpd -p 10.99.0.2:8080 -h /www
	pidof httpd > /tmp/httpd.pid ;;
esac
EOF
chmod 755 $T/root/g1/etc/init.d/rc

check "build -m skeleton" $V g1 build -m skeleton --rootdir $T/root \
	--context 24001 --hostname g1host --interface dummy0:10.99.0.2/24 \
	--initstyle sysv
check_out "24001" "build wrote the context file" cat $VSERVER_CONFDIR/g1/context
check_rc 1 "building an existing guest fails" $V g1 build -m skeleton
mkdir -p $VSERVER_CONFDIR/g1/cgroup
echo 64M > $VSERVER_CONFDIR/g1/cgroup/memory.max
echo "scratch /mnt/scratch tmpfs size=1m,nosuid 0 0" > $VSERVER_CONFDIR/g1/fstab
mkdir -p $VSERVER_CONFDIR/g1/rlimits $VSERVER_CONFDIR/g1/sched
echo 20 > $VSERVER_CONFDIR/g1/rlimits/nproc
echo 3 > $VSERVER_CONFDIR/g1/sched/fill-rate
echo 7 > $VSERVER_CONFDIR/g1/sched/interval
echo 50 > $VSERVER_CONFDIR/g1/sched/tokens-max
echo -500 > $VSERVER_CONFDIR/g1/badness
echo newuts > $VSERVER_CONFDIR/g1/umask
echo namespace > $VSERVER_CONFDIR/g1/ccapabilities
# persistent: stop, restart and reboot must end it all the same
printf 'lback_allow\npersistent\n' > $VSERVER_CONFDIR/g1/nflags
check_rc 3 "status of a stopped guest exits 3" $V g1 status
check_out "would" "start --dry-run only shows" $V g1 start --dry-run
check "--dry-run started nothing" test ! -e /proc/virtual/24001
check "start (sysv)" $V g1 start
check_rc 0 "status of a running guest exits 0" $V g1 status
check_rc 0 "running exits 0" $V g1 running
check_out '"running":true' "status --json" $V --json g1 status
check_out '"addresses":["10.99.0.2/24"]' "status --json lists the address" \
	$V g1 status --json
check_out "g1 " "list shows the guest" $V list
check_out "g1host" "exec: the guest's hostname" $V g1 exec hostname
check_out "VxID:	24001" "exec: in the guest's context" \
	$V g1 exec cat /proc/self/status
out=$($V g1 exec ps 2>&1)
case $out in
*run-vm-tests*|*vserver.sh*) tap_result fail "exec ps: the guest's own processes only" "$out" ;;
*httpd*) tap_result ok "exec ps: the guest's own processes only" ;;
*) tap_result fail "exec ps: the guest's own processes only" "$out" ;;
esac
check_out "10.99.0.2" "the address is on the host's device" ip addr show dev dummy0

# Its network context (nid = xid) holds exactly its address.
check_out "IPv4:	10.99.0.2/255.255.255.0 addr" \
	"exec: in network context 24001, which holds its address" \
	$V g1 exec cat /proc/virtnet/24001/info
check_out "10.99.0.2/255.255.255.0" "naddress --list shows the guest's address" \
	naddress --nid 24001 --list
out=$(nattribute --nid 24001 --get 2>&1)
case $out in
*lback_allow*persistent*|*persistent*lback_allow*)
	tap_result ok "nflags are applied" ;;
*) tap_result fail "nflags are applied" "$out" ;;
esac
check_out "raw_icmp" "ncaps: the secure default" nattribute --nid 24001 --get
check_out "ssign" "binding a foreign host address fails in the guest" \
	$V g1 exec httpd -p 10.98.0.1:8081 -h /www
check_rc 1 "... with a failing bind" $V g1 exec httpd -p 10.98.0.1:8081 -h /www
check "a wildcard bind in the guest" $V g1 exec httpd -p 8083 -h /www
check_out "hello from g1" "... gets the guest's address" \
	wget -q -O - http://10.99.0.2:8083/
out=$(busybox netstat -ltn 2>&1 | grep ':8083 ')
case $out in
*"10.99.0.2:8083 "*) tap_result ok "... and is bound to it, not to 0.0.0.0" ;;
*) tap_result fail "... and is bound to it, not to 0.0.0.0" "$out" ;;
esac

# rlimits/ and sched/ hold before the guest's init runs.
out=$(vlimit --xid 24001 --list | awk '$1 == "nproc"')
case $out in
*" 20 "*" 20"*) tap_result ok "rlimits/nproc is the context's limit" ;;
*) tap_result fail "rlimits/nproc is the context's limit" "$out" ;;
esac
check_out "can't fork" "the guest cannot fork past nproc 20" $V g1 exec sh -c \
	'n=0; while [ $n -lt 25 ]; do sleep 3 & n=$((n + 1)); done; wait'
check_out "fill-rate      3" "sched/fill-rate is the bucket's" vsched --xid 24001 --list
check_out "interval       7" "sched/interval too" vsched --xid 24001 --list
check_out "tokens-max     50" "sched/tokens-max too" vsched --xid 24001 --list
check_out "-500" "badness is the oom_score_adj of what runs in the guest" \
	$V g1 exec cat /proc/self/oom_score_adj
check_out "umask:  0x0000000004000000 newuts" "umask/ reaches the context" \
	vattribute --xid 24001 --get
check_out "unshare-net-refused" "the namespace ccap creates only what umask names" \
	$V g1 exec sh -c 'unshare -u true && { unshare -n true 2>/dev/null || echo unshare-net-refused; }'
check_out "hello from g1" "the guest's daemon serves on its address" \
	wget -q -O - http://10.99.0.2:8080/
check_out "65536" "free shows the guest's memory.max" $V g1 exec free
# Its cgroup namespace is rooted at its cgroup: it sees "/" there, and
# the host sees it in vservers/g1.
check_out "0::/\$" "the guest's cgroup namespace is rooted at its cgroup" \
	sh -c "$V g1 exec cat /proc/self/cgroup | tr '\n' '$'"
check_out "/g1" "... which is its own cgroup on the host" \
	sh -c "cat /proc/\$($V --json g1 status | sed 's/.*\"init_pid\":\([0-9]*\).*/\1/')/cgroup"
check_out "scratch /mnt/scratch tmpfs" "fstab is mounted inside" \
	$V g1 exec cat /proc/mounts
check "a minimal /dev with its own /dev/pts" $V g1 exec sh -c \
	'test -c /dev/null -a -c /dev/pts/ptmx -a -L /dev/ptmx -a ! -e /dev/sda -a ! -e /dev/vda'
check_out "g1host" "enter: a shell in the guest" sh -c "echo 'hostname; exit' | $V g1 enter"
check_out "65534" "suexec nobody" $V g1 suexec nobody id -u
check_rc 1 "suexec of an unknown user" $V g1 suexec nosuchuser id
check_rc 42 "exec passes the exit status on" $V g1 exec sh -c 'exit 42'
check_rc 127 "exec of a missing command: 127" $V g1 exec /no/such/cmd
check_rc 1 "start of a running guest fails" $V g1 start

init1=$($V --json g1 status | sed 's/.*"init_pid":\([0-9]*\).*/\1/')
check "restart" $V g1 restart --timeout 10
init2=$($V --json g1 status | sed 's/.*"init_pid":\([0-9]*\).*/\1/')
check "restart gave the guest a new init" test "$init1" != "$init2" -a -n "$init2"

# reboot(2) inside: the fake init runs rc 6 and calls the kernel, which
# starts our helper, which restarts the guest.
$V g1 exec reboot >/dev/null 2>&1
i=0 init3=$init2
while [ $i -lt 120 ]; do
	sleep 0.5
	init3=$($V --json g1 status 2>/dev/null | sed -n 's/.*"running":true,"init_pid":\([0-9]*\).*/\1/p')
	[ -n "$init3" ] && [ "$init3" != "$init2" ] && break
	i=$((i + 1))
done
if [ -n "$init3" ] && [ "$init3" != "$init2" ]; then
	tap_result ok "reboot inside the guest restarts it"
else
	tap_result fail "reboot inside the guest restarts it" \
		"$(cat $RUN/vshelper.log 2>&1; $V g1 status 2>&1)"
fi
i=0
until wget -q -O /dev/null http://10.99.0.2:8080/ 2>/dev/null || [ $i -ge 30 ]; do
	sleep 0.5
	i=$((i + 1))
done
check_out "hello from g1" "the daemon is back after the reboot" \
	wget -q -O - http://10.99.0.2:8080/

# halt inside: the helper stops it and cleans up.
$V g1 exec halt >/dev/null 2>&1
i=0
while [ $i -lt 60 ] && $V g1 running; do sleep 0.5; i=$((i + 1)); done
check_rc 3 "halt inside the guest stops it" $V g1 running
i=0
while [ $i -lt 20 ] && [ -d $RUN/g1 ]; do sleep 0.5; i=$((i + 1)); done
check "after halt, the helper removed its run directory" test ! -d $RUN/g1
i=0
while [ $i -lt 20 ] && [ -e /proc/virtnet/24001 ]; do sleep 0.5; i=$((i + 1)); done
check "... and its persistent network context ended" test ! -e /proc/virtnet/24001

# ---- a plain guest (busybox init) next to a second sysv one ----
make_tree $T/root/g2
printf '::sysinit:/bin/echo g2 up\n::respawn:/bin/sleep 10000\n' > $T/root/g2/etc/inittab
check "build g2 (plain)" $V g2 build -m skeleton --rootdir $T/root \
	--context 24002 --hostname g2host --interface dummy0:10.99.0.3/24
mkdir -p $VSERVER_CONFDIR/g2/cgroup
echo 32M > $VSERVER_CONFDIR/g2/cgroup/memory.max
check "start g1 again" $V g1 start
check "start g2 (plain: /sbin/init) while g1 runs" $V g2 start
check_out "g2host" "g2 has its own hostname" $V g2 exec hostname
check_out "32768" "g2 has its own memory limit" $V g2 exec free
check_out "10.99.0.3" "g2 has its own address" ip addr show dev dummy0
# busybox init starts the respawn entry after sysinit: wait for it.
i=0
while [ $i -lt 40 ]; do
	out=$($V g2 exec ps 2>&1)
	case $out in *sleep*) break ;; esac
	sleep 0.25
	i=$((i + 1))
done
case $out in
*httpd*) tap_result fail "g2 does not see g1's processes" "$out" ;;
*sleep*) tap_result ok "g2 does not see g1's processes" ;;
*) tap_result fail "g2 does not see g1's processes" "$out" ;;
esac
# sysv without /etc/init.d/rc: the runlevel's links run in order.
make_tree $T/root/g3
mkdir -p $T/root/g3/etc/rc3.d
printf '#!/bin/sh\necho "S10 $1" >> /tmp/rc.log\n' > $T/root/g3/etc/rc3.d/S10one
printf '#!/bin/sh\necho "S20 $1" >> /tmp/rc.log\nexec sleep 10000\n' > $T/root/g3/etc/rc3.d/S20two
chmod 755 $T/root/g3/etc/rc3.d/*
$V g3 build -m skeleton --rootdir $T/root --context 24003 --initstyle sysv >/dev/null
check "start g3 (sysv, rc links only)" $V g3 start
i=0
until grep -q S20 $T/root/g3/tmp/rc.log 2>/dev/null || [ $i -ge 20 ]; do
	sleep 0.5
	i=$((i + 1))
done
check_out "S10 start
S20 start" "the S links ran in order with 'start'" cat $T/root/g3/tmp/rc.log
check "stop g3" $V g3 stop --timeout 20
check "delete g3" $V g3 delete --force
# g1's address came first on dummy0 (its subnet's primary): its stop
# must not take g2's with it.
check "stop g1 while g2 runs" $V g1 stop --timeout 20
check_out "10.99.0.3" "g2 keeps its address" ip addr show dev dummy0
check "stop g2 (busybox init powers off)" $V g2 stop --timeout 20
check_rc 3 "g2 is stopped" $V g2 status
check "no context left" test ! -e /proc/virtual/24001 -a ! -e /proc/virtual/24002
sleep 0.5
check "no network context left" test ! -e /proc/virtnet/24001 -a ! -e /proc/virtnet/24002
out=$(ip addr show dev dummy0)
case $out in
*10.99.0.*) tap_result fail "stop removed the addresses" "$out" ;;
*) tap_result ok "stop removed the addresses" ;;
esac
check "stop removed the cgroups" test ! -d /sys/fs/cgroup/vservers/g1 -a ! -d /sys/fs/cgroup/vservers/g2
check_out "not running" "stop of a stopped guest says so" $V g1 stop
check_rc 3 "exec in a stopped guest exits 3" $V g1 exec true

# ---- failed starts leave nothing behind ----
echo 12Q > $VSERVER_CONFDIR/g2/cgroup/memory.max
check_out "$VSERVER_CONFDIR/g2/cgroup/memory.max" \
	"a bad value is reported with its file" $V g2 start
echo 32M > $VSERVER_CONFDIR/g2/cgroup/memory.max
mv $T/root/g2/sbin/init $T/root/g2/sbin/init.off
check_out "cannot run /sbin/init" "a guest without /sbin/init does not start" \
	$V g2 start
mv $T/root/g2/sbin/init.off $T/root/g2/sbin/init
vcontext --create --persistent --silent --xid 24002 >/dev/null
check_out "in use" "a taken context id is refused" $V g2 start
vattribute --xid 24002 --set --flag ~persistent
sleep 0.2
# Exact names: dummy0's link-local address comes from a random MAC and
# may well contain "2400".
left=$(ip addr show dev dummy0 | grep 10.99.0.; ls -d /proc/virtual/24002 \
	/proc/virtnet/24002 $RUN/g2/ /sys/fs/cgroup/vservers/g2/ 2>/dev/null)
if [ -z "$left" ]; then
	tap_result ok "failed starts left nothing behind"
else
	tap_result fail "failed starts left nothing behind" "$left"
fi

# A table of malformed files on the real kernel: each start fails with
# the file's path and the expected form, and leaves no context, address,
# cgroup or run directory behind (g2 has an address on dummy0).
ntable=0
while IFS='|' read -r rel val want; do
	[ -n "$rel" ] || continue
	rm -rf $VSERVER_CONFDIR/bad
	cp -r $VSERVER_CONFDIR/g2 $VSERVER_CONFDIR/bad
	echo 24050 > $VSERVER_CONFDIR/bad/context
	mkdir -p "$(dirname "$VSERVER_CONFDIR/bad/$rel")"
	printf '%s\n' "$val" > "$VSERVER_CONFDIR/bad/$rel"
	out=$($V bad start 2>&1)
	rc=$?
	left=$(ip addr show dev dummy0 | grep 10.99.0.; ls -d /proc/virtual/24050 \
		$RUN/bad/ /sys/fs/cgroup/vservers/bad/ 2>/dev/null)
	case "$rc:$out" in
	1:*"$VSERVER_CONFDIR/bad/$rel"*"$want"*)
		if [ -z "$left" ]; then
			tap_result ok "bad $rel: one clear error, nothing left"
		else
			tap_result fail "bad $rel: one clear error, nothing left" "$left"
		fi ;;
	*) tap_result fail "bad $rel: one clear error, nothing left" "exit $rc: $out" ;;
	esac
	ntable=$((ntable + 1))
done <<'EOF'
context|0|2..49151
context|x1|2..49151
vdir|var/lib/x|absolute path
uts/nodename|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|1..64 bytes
uts/kernel|x|unknown uname field
flags|virt_mem,bogus|unknown name 'bogus'
bcapabilities|CAP_FLY|Linux capability names
ccapabilities|teleport|context capability names
umask|newfoo|namespace names
badness|-1001|-1000..1000
nflags|nope|network flag names
interfaces/0/ip|10.99.0.300|IPv4 or IPv6
interfaces/0/prefix|64|expected 0..32
interfaces/0/dev|a/b|device name
rlimits/nproc|lots|number or 'inf'
rlimits/cpus|4|unknown resource
rlimits/sigpending|9|not limited per context
sched/tokens|-1|a number
sched/priority-bias|99|-20..19
dlimits/root/reserved|101|percentage
cgroup/memory.max|lots|K, M, G or T
cgroup/pids.max|-5|number of processes
cgroup/io.max|8:0|MAJOR:MINOR
cgroup/cpu.shares|100|unknown cgroup setting
fstab|tmpfs /tmp|too few fields
fstab|x ../etc bind bind|not absolute
apps/init/style|systemd|plain or sysv
apps/init/runlevel|7|0..6 or S
spaces/mask|0x1|hex CLONE_NEW
shell|sh|absolute path
EOF
rm -rf $VSERVER_CONFDIR/bad
check "the table had its 30 rows" test $ntable -eq 30

# dlimits/: a project quota (project id = xid) where the file system has
# project quotas; a start elsewhere fails and leaves nothing behind.
mkdir -p $VSERVER_CONFDIR/g2/dlimits/data
echo $T/root/g2/tmp > $VSERVER_CONFDIR/g2/dlimits/data/directory
echo 1024 > $VSERVER_CONFDIR/g2/dlimits/data/space_total
echo 50 > $VSERVER_CONFDIR/g2/dlimits/data/inodes_total
out=$($V g2 start 2>&1)
left=$(ip addr show dev dummy0 | grep 10.99.0.3; ls -d /proc/virtual/24002 $RUN/g2/ 2>/dev/null)
case "$out" in
*"dlimits: $T/root/g2/tmp is not on a file system with project quotas"*)
	if [ -z "$left" ]; then
		tap_result ok "dlimits/ without project quotas: the start fails, nothing left"
	else
		tap_result fail "dlimits/ without project quotas: the start fails, nothing left" "$left"
	fi ;;
*) tap_result fail "dlimits/ without project quotas: the start fails, nothing left" "$out" ;;
esac
DLIMG=$(dirname "$0")/../kernel/vdlimit-ext4.img.gz
DLM=/mnt/vserver-dl
DLOOP=$(losetup -f 2>/dev/null)
if [ -f "$DLIMG" ] && [ -n "$DLOOP" ] && gunzip -c "$DLIMG" > /tmp/vserver-dl.img &&
   mkdir -p $DLM && losetup "$DLOOP" /tmp/vserver-dl.img &&
   mount -t ext4 -o prjquota "$DLOOP" $DLM; then
	mkdir -p $DLM/g2data
	echo $DLM/g2data > $VSERVER_CONFDIR/g2/dlimits/data/directory
	check "start with dlimits/ on ext4 with project quotas" $V g2 start
	check_out "space_total=1024" "dlimits/ set the project's space limit" \
		vdlimit --xid 24002 $DLM
	check_out "inodes_used=1" "... and put the directory into the project" \
		vdlimit --xid 24002 $DLM
	check "stop g2" $V g2 stop --now
	umount $DLM
	losetup -d "$DLOOP"
else
	for n in 1 2 3 4; do
		skip "dlimits/ on ext4" "no ext4 image with project quotas, or no loop device"
	done
fi
rm -f /tmp/vserver-dl.img
rm -rf $VSERVER_CONFDIR/g2/dlimits

check_rc 1 "delete without --force and without a terminal refuses" \
	sh -c "$V g2 delete < /dev/null"
check "delete --force" $V g2 delete --force
check "delete removed config and root" test ! -e $VSERVER_CONFDIR/g2 -a ! -e $T/root/g2
$V g1 delete --force >/dev/null 2>&1
ip addr del 10.98.0.1/24 dev dummy0 2>/dev/null
ip link del dummy0 2>/dev/null
rm -rf $T
done_testing
