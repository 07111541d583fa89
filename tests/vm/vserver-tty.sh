#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The admin's terminal stays the admin's: vserver exec, enter and suexec
# run the guest's command on a pseudo-terminal of its own (from the
# guest's devpts), in a session of its own, and relay.  Each check is an
# attack from the guest that must fail; next to it the same attack by a
# host command on the admin's terminal, which must work, shows that the
# check can fail.  ptyrun plays the admin's terminal.  xids 24210-24219.
. "$(dirname "$0")/../lib/tap.sh"

T=/tmp/vserver-tty
export VSERVER_CONFDIR=$T/etc
V="timeout 60 vserver"
PTY=$(cd "$(dirname "$0")" && pwd)/ptyrun
export PTY
BB=/bin/busybox
[ -x $BB ] || BB=$(which busybox)

plan 39

# pty ARG...: ptyrun ARG...; what the terminal showed (without the CRs)
# in $out, the exit status in $rc.
pty() {
	out=$(timeout 60 "$PTY" "$@" 2>&1)
	rc=$?
	out=$(printf '%s' "$out" | tr -d '\r')
}

# ok_if NAME COMMAND...: ok if COMMAND succeeds, else show $rc and $out.
ok_if() {
	local name=$1

	shift
	if "$@"; then
		tap_result ok "$name"
	else
		tap_result fail "$name" "exit $rc: $out"
	fi
}

has() {
	case $out in *"$1"*) return 0 ;; esac
	return 1
}

# notty COMMAND...: without a terminal (the suites' stdin is the console).
notty() {
	"$@" < /dev/null
}

# The fields of a /proc/PID/stat line: pid, session leader, terminal.
stat_fields() {
	set -- $1
	echo "$1 $6 $7"
}

rm -rf $T
mkdir -p $T/etc
# The host's devpts, for ptyrun and for the fallback (init mounts none).
mounted_pts=
if [ ! -c /dev/pts/ptmx ]; then
	mkdir -p /dev/pts
	mount -t devpts -o ptmxmode=0666 devpts /dev/pts && mounted_pts=1
fi

R=$T/root/t1
mkdir -p $R/bin $R/sbin $R/etc $R/proc $R/dev $R/tmp $R/root
cp "$BB" $R/bin/busybox
cp "$PTY" $R/bin/ptyrun
for a in sh cat sleep stat echo tty stty id ln rm mkfifo kill pidof; do
	ln -sf busybox $R/bin/$a
done
ln -sf ../bin/busybox $R/sbin/init
{
	echo root:x:0:0:root:/root:/bin/sh
	echo nobody:x:65534:65534:nobody:/:/bin/sh
} > $R/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' > $R/etc/group
# Left behind by a session: after a second, type into the terminal on
# stdin (which a background job would get as /dev/null without the 3).
cat > $R/bin/sti-later <<'EOF'
#!/bin/sh
trap "" HUP
exec 3<&0
(sleep 1; ptyrun -S "echo INJECTED\n" <&3) &
EOF
chmod 755 $R/bin/sti-later
check "build the guest" $V t1 build -m skeleton --rootdir $T/root \
	--context 24210 --initstyle sysv
check "start it" $V t1 start

# ---- the command's terminal is not the admin's ----
# Device of the file system, major, minor: which terminal it is.
ID='stat -L -c %d:%t:%T'
pty sh -c "$ID /proc/self/fd/0; vserver t1 exec $ID /proc/self/fd/0 \
	/proc/self/fd/1 /proc/self/fd/2; vserver t1 exec $ID /dev/pts/ptmx"
set -- $out
ok_if "exec under a terminal: stdin is a pseudo-terminal" \
	test "$(echo "$2" | cut -d: -f2)" = 88
ok_if "... not the admin's terminal" test -n "$2" -a "$2" != "$1"
ok_if "... and stdout and stderr are the same one" \
	test -n "$2" -a "$3" = "$2" -a "$4" = "$2"
ok_if "... from the guest's own devpts" test "${2%%:*}" = "${5%%:*}"
pty sh -c "$ID /proc/self/fd/0; sh -c '$ID /proc/self/fd/0'"
set -- $out
ok_if "a host command on the admin's terminal has that terminal (control)" \
	test -n "$1" -a "$1" = "$2"

pty sh -c "vserver t1 exec stat -L -c %F /proc/self/fd/0 /proc/self/fd/1 \
	> $T/redirected"
out=$(cat $T/redirected)
ok_if "a redirected stdout stays the file, stdin is the pty" \
	has "character special file
regular"

# ---- nothing of the session is left to the guest ----
pty -l 3 vserver t1 exec sh -c 'trap "" HUP
	(sleep 1; echo LEAK1; echo LEAK2 >&2; echo LEAK3 > /dev/tty) &'
ok_if "a guest process left behind cannot write to the admin's terminal" \
	test "$rc" = 0 -a "${out#*LEAK}" = "$out"
pty -l 3 sh -c 'trap "" HUP; (sleep 1; echo LEAK >&2) &'
ok_if "... a host process left behind can (control)" has LEAK

# The guest may fake input on a terminal (context capability tiocsti):
# the attack is live.
check "give the guest the tiocsti ccap" \
	vattribute --xid 24210 --set --ccap tiocsti
pty vserver t1 exec sh -c 'ptyrun -S "echo X\n"; read -t 3 l
	echo "guest got:[$l]"'
ok_if "TIOCSTI works in the guest, on its own terminal" \
	has "guest got:[echo X]"
pty sh -c 'vserver t1 exec ptyrun -S "echo INJECTED\n"
	read -t 3 l; echo "got:[$l]"'
ok_if "a guest command cannot type into the admin's shell (TIOCSTI)" \
	has "got:[]"
pty sh -c 'vserver t1 exec sti-later; read -t 3 l; echo "got:[$l]"'
ok_if "... nor a guest process left behind" has "got:[]"
pty sh -c '"$PTY" -S "echo INJECTED\n"; read -t 3 l; echo "got:[$l]"'
ok_if "... a host command can (control)" has "got:[echo INJECTED]"

# ---- its own session ----
pty vserver t1 exec cat /proc/self/stat
set -- $(stat_fields "$out")
ok_if "exec under a terminal: the command leads its own session" \
	test -n "$1" -a "$1" = "$2"
ok_if "... which has the pty as its controlling terminal" test "${3:-0}" != 0
pty sh -c 'cat /proc/self/stat; true'
set -- $(stat_fields "$out")
ok_if "a host command in the admin's session does not (control)" \
	test -n "$1" -a "$1" != "$2"
out=$(echo | $V t1 exec cat /proc/self/stat 2>&1)
set -- $(stat_fields "$out")
ok_if "exec without a terminal: its own session too, no terminal" \
	test -n "$1" -a "$1" = "$2" -a "$3" = 0

# ---- exit status, pipes ----
pty vserver t1 exec sh -c 'exit 7'
ok_if "exit status under a terminal" test "$rc" = 7
pty vserver t1 exec sh -c 'kill -KILL $$'
ok_if "... killed by a signal: 128+9" test "$rc" = 137
check_rc 7 "exit status without a terminal" notty $V t1 exec sh -c 'exit 7'
check_out "hello" "exec cat with stdin from a pipe" \
	sh -c "echo hello | $V t1 exec cat"
check_out "fifo" "... no pseudo-terminal without a terminal" \
	sh -c "echo | $V t1 exec stat -L -c %F /proc/self/fd/0"
pty sh -c "echo piped | vserver t1 exec cat"
ok_if "stdin from a pipe, stdout a terminal: the pipe is passed on" has piped
# No other descriptor of vserver's reaches the command.
FD3='test -e /proc/self/fd/3 && echo fd3 || echo none'
out=$(sh -c "$FD3" 3< /dev/null)
ok_if "a descriptor on fd 3 reaches a host command (control)" \
	test "$out" = fd3
out=$($V t1 exec sh -c "$FD3" 3< /dev/null 2>&1)
ok_if "... but not the guest's command" test "$out" = none

# ---- the relay ----
pty -i 'echo $((6*7))\nexit 3\n' vserver t1 enter
ok_if "enter: keys reach the guest's shell, its output and status come back" \
	test "$rc" = 3 -a "${out#*42}" != "$out"
pty vserver t1 suexec nobody sh -c 'id -u; tty'
ok_if "suexec under a terminal: the user on a pseudo-terminal" \
	has "65534
/dev/pts/"
pty vserver t1 exec stty size
ok_if "the window size is copied" has "24 80"
pty -r 33,101 vserver t1 exec sh -c 'sleep 2; stty size'
ok_if "... and follows a change (SIGWINCH)" has "33 101"
for sig in TERM:143 HUP:129; do
	pty sh -c "echo B:\$(stty -g); vserver t1 exec sleep 10 < /dev/tty &
		sleep 2; echo D:\$(stty -g); kill -${sig%:*} \$!; wait \$!
		echo R:\$?; echo A:\$(stty -g)"
	before=$(echo "$out" | sed -n 's/^B://p')
	during=$(echo "$out" | sed -n 's/^D://p')
	after=$(echo "$out" | sed -n 's/^A://p')
	ok_if "SIG${sig%:*} ends vserver, the terminal's modes restored" \
		test -n "$before" -a "$after" = "$before" -a \
		"$(echo "$out" | sed -n 's/^R://p')" = "${sig#*:}"
	ok_if "... which were raw during the session (control)" \
		test -n "$during" -a "$during" != "$before"
done
check_rc 1 "... and the command got SIGHUP from its terminal" \
	notty $V t1 exec pidof sleep

# ---- a guest without a usable /dev/ptmx: the host's devpts ----
for what in "ln -s /dev/tty /dev/ptmx" "mkfifo /dev/ptmx" ":"; do
	$V t1 exec sh -c "rm -f /dev/ptmx; $what" < /dev/null > /dev/null 2>&1
	pty sh -c "$ID /proc/self/fd/0; vserver t1 exec $ID /proc/self/fd/0"
	set -- $out
	ok_if "guest /dev/ptmx replaced ($what): a host pty, not the admin's" \
		test "$(echo "$2" | cut -d: -f2)" = 88 -a "$2" != "$1" -a \
		"${2%%:*}" = "${1%%:*}"
done
$V t1 exec sh -c 'rm -f /dev/ptmx; ln -s pts/ptmx /dev/ptmx' \
	< /dev/null > /dev/null 2>&1

$V t1 stop --now > /dev/null 2>&1
$V t1 delete --force > /dev/null 2>&1
[ -n "$mounted_pts" ] && umount /dev/pts
rm -rf $T
done_testing
