#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vserver on the host (no vserver kernel needed): command-line errors,
# build --dry-run and skeleton builds in a scratch configuration root, and
# a table of malformed configuration files, each of which must be reported
# with its path and expected form by `start`, which then does nothing.
. "$(dirname "$0")/../lib/tap.sh"
VS=${VS:-$PWD/build/util/bin/vserver}
T=$(mktemp -d /tmp/vserver-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
export VSERVER_CONFDIR=$T/etc VSERVER_RUNDIR=$T/run
mkdir -p "$T/etc" "$T/run"

# Table of bad files: "relative path|content|text the message must hold".
BAD=(
	"context|abc|expected a number 2..49151"
	"context|70000|expected a number 2..49151"
	"context|1|expected a number 2..49151"
	"vdir|relative/path|not an absolute path"
	"uts/nodename|$(printf 'x%.0s' {1..70})|1..64 bytes"
	"uts/bogus|x|unknown uname field"
	"flags|virt_mem,nosuchflag|unknown name 'nosuchflag'"
	"flags|state_setup|set by vserver itself"
	"bcapabilities|CAP_NOPE|Linux capability names"
	"ccapabilities|fly|context capability names"
	"nflags|teleport|network flag names"
	"ncapabilities|raw_socket|network capability names"
	"interfaces/0/ip|10.0.0.256|IPv4 or IPv6 address"
	"interfaces/0/prefix|33|expected 0..32"
	"interfaces/0/ip|10.1.0.1\n10.1.0.2|x"
	"interfaces/dev|eth0/1|not a device name"
	"rlimits/nproc|many|a number or 'inf'"
	"rlimits/bogus.hard|10|unknown resource 'bogus'"
	"rlimits/nofile.max|10|unknown suffix"
	"sched/fill-rate|-3|a number 0.."
	"sched/priority-bias|40|-20..19"
	"sched/speed|1|unknown scheduler setting"
	"dlimits/root/reserved|200|percentage 0..100"
	"cgroup/memory.max|12Q|K, M, G or T"
	"cgroup/pids.max|0|number of processes or 'max'"
	"cgroup/io.max|8:0 rbps=fast|MAJOR:MINOR rbps=N"
	"cgroup/cpuset.cpus|0|unknown cgroup setting"
	"fstab|none /tmp|too few fields"
	"fstab|none tmp tmpfs defaults|not absolute"
	"fstab|/x /../etc bind bind|leaves the guest"
	"apps/init/style|upstart|expected plain or sysv"
	"apps/init/runlevel|9|0..6 or S"
	"apps/init/mark|two words|expected a word"
	"spaces/mask|zz|hex CLONE_NEW"
	"shell|bash|absolute path"
	"nice|-40|-20..19"
)

plan $((47 + ${#BAD[@]} * 3))

check_out "Usage:" "--help prints usage" "$VS" --help
check_out "vserver from vserver" "--version" "$VS" --version
check_rc 2 "no arguments" "$VS"
check_out "Try 'vserver --help'" "usage errors point at --help" "$VS"
check_rc 2 "a name without command" "$VS" g1
check_rc 2 "unknown command" "$VS" g1 fly
check_rc 2 "invalid guest name" "$VS" ../etc start
check_rc 2 "unknown option" "$VS" --bogus list
check_rc 2 "build without -m" "$VS" g1 build
check_out "unknown build method 'rpm'" "build with an unknown method" "$VS" g1 build -m rpm
check_rc 2 "build with a bad --interface" "$VS" g1 build -m skeleton --interface eth0:10.0.0.1/99
check_rc 2 "build with a bad --context" "$VS" g1 build -m skeleton --context 0
check_rc 2 "template without -t" "$VS" g1 build -m template
check_rc 2 "clone without --source" "$VS" g1 build -m clone
check_out "neither a guest nor an absolute path" "clone of an unknown guest" \
	"$VS" g1 build -m clone -- --source nosuchguest
check_out "is not a directory" "clone of a missing tree" \
	"$VS" g1 build -m clone -- --source /nonexistent/tree
check "clone errors created nothing" test ! -e "$T/etc/g1"
mkdir -p "$T/src"
check_out "would: vclone $T/src $T/root/g1" "clone --dry-run names the vclone run" \
	"$VS" g1 build -m clone -n --rootdir "$T/root" -- --source "$T/src"
check "clone --dry-run created nothing" test ! -e "$T/etc/g1" -a ! -e "$T/root/g1"
rmdir "$T/src"
check_out "would: write '24500' to $T/etc/g1/context" "build --dry-run shows the files" \
	"$VS" g1 build -m skeleton -n --context 24500 --rootdir "$T/root"
check "--dry-run created nothing" test ! -e "$T/etc/g1" -a ! -e "$T/root"
check "build -m skeleton" "$VS" g1 build -m skeleton --context 24500 \
	--rootdir "$T/root" --hostname web --interface dummy0:10.9.0.2/24 \
	--initstyle sysv --mark default
check_out "10.9.0.2" "build wrote interfaces/0/ip" cat "$T/etc/g1/interfaces/0/ip"
check_out "web" "build wrote uts/nodename" cat "$T/etc/g1/uts/nodename"
check_out "24500 stopped" "list" bash -c "'$VS' list | tr -s ' '"
check_out '{"schema":1,"guests":[{"name":"g1","context":24500,"running":false' \
	"list --json" "$VS" --json list
check_out "already used by guest 'g1'" "a second guest cannot take the xid" \
	"$VS" g2 build -m skeleton --context 24500 --rootdir "$T/root"
check "the failed build left nothing" test ! -e "$T/etc/g2" -a ! -e "$T/root/g2"
echo "not a tarball" > "$T/bad.tar"
"$VS" g3 build -m template --context 24501 --rootdir "$T/root" -- -t "$T/bad.tar" >/dev/null 2>&1
check "a failed template build removes what it created" \
	test ! -e "$T/etc/g3" -a ! -e "$T/root/g3"
mkdir -p "$T/tpl/etc" "$T/tpl/bin"
echo "template guest" > "$T/tpl/etc/motd"
tar -C "$T/tpl" -czf "$T/tpl.tar.gz" .
check "build -m template from a .tar.gz" "$VS" t1 build -m template \
	--context 24502 --rootdir "$T/root" --hostname tplhost -- -t "$T/tpl.tar.gz"
check_out "template guest" "the template was unpacked" cat "$T/root/t1/etc/motd"
check_out "tplhost" "the guest's /etc/hostname is its nodename" cat "$T/root/t1/etc/hostname"
# mmdebstrap and debootstrap as stand-ins that record their arguments
# and create the target's /etc.
mkdir -p "$T/bin"
for tool in mmdebstrap debootstrap; do
	printf '#!/bin/sh\necho "$*" > %s/%s.args\nfor a; do case $a in /*) mkdir -p "$a/etc" ;; esac; done\n' \
		"$T" "$tool" > "$T/bin/$tool"
	chmod +x "$T/bin/$tool"
done
PATH=$T/bin:$PATH "$VS" m1 build -m mmdebstrap --context 24503 --rootdir "$T/root" \
	-- -d trixie -m http://mirror.example/debian -i busybox > /dev/null 2>&1
check_out "--variant=minbase --include=busybox trixie $T/root/m1 deb http://mirror.example/debian trixie main" \
	"mmdebstrap gets suite, target and the sources line" cat "$T/mmdebstrap.args"
check_out '"name":"m1","context":24503' "an mmdebstrap build leaves a loadable guest" \
	"$VS" m1 status --json
PATH=$T/bin:$PATH "$VS" d2 build -m debootstrap --context 24504 --rootdir "$T/root" \
	-- -d bookworm -m http://mirror.example/debian > /dev/null 2>&1
check_out "--variant=minbase bookworm $T/root/d2 http://mirror.example/debian" \
	"debootstrap gets suite, target and mirror" cat "$T/debootstrap.args"
printf '#!/bin/sh\nexit 3\n' > "$T/bin/mmdebstrap"
PATH=$T/bin:$PATH "$VS" m2 build -m mmdebstrap --context 24505 --rootdir "$T/root" \
	-- -m http://mirror.example/debian > /dev/null 2>&1
check "a failed mmdebstrap build removes what it created" \
	test ! -e "$T/etc/m2" -a ! -e "$T/root/m2"
check_rc 1 "delete without a terminal and without --force" \
	bash -c "'$VS' g1 delete < /dev/null"

mirror=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' \
	/etc/apt/sources.list.d/debian.sources 2>/dev/null)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' \
	/etc/apt/sources.list 2>/dev/null)
if command -v mmdebstrap >/dev/null && [ -n "$mirror" ]; then
	check_out "from $mirror" "mmdebstrap uses the host's apt sources" \
		"$VS" d1 build -m mmdebstrap -n --context 24510 --rootdir "$T/root"
else
	skip "mmdebstrap uses the host's apt sources" "no mmdebstrap or no Debian apt source"
fi
check "the mmdebstrap dry run created nothing" test ! -e "$T/etc/d1"
# vserver-boot starts the guests marked default through systemd.
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "systemctl $*" >> "%s/systemctl.log"\n' "$T" > "$T/bin/systemctl"
chmod +x "$T/bin/systemctl"
PATH=$T/bin:$PATH util/systemd/vserver-boot
check_out "systemctl start vserver@g1.service" "vserver-boot starts the guests marked default" \
	cat "$T/systemctl.log"
check "the bash completion parses" bash -n util/completion/vserver
# The completion with stand-ins for bash-completion's helpers.
comp() {
	bash -c '
	_init_completion() {
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
		cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
	}
	_filedir() { :; }
	_command_offset() { :; }
	. util/completion/vserver
	COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
	_vserver; echo "${COMPREPLY[*]}"' comp "$@"
}
check_out "list d2 g1 m1 t1" "completion: guest names" comp vserver ""
check_out "start status stop" "completion: subcommands" comp vserver g1 st
check_out "mmdebstrap skeleton" "completion: build methods" comp vserver g1 build -m ""
make -s install DESTDIR="$T/inst" >/dev/null 2>&1
check "make install: tool, helper link, units, man pages, completion" \
	test -x "$T/inst/usr/sbin/vserver" -a -L "$T/inst/usr/sbin/vshelper" \
	-a -f "$T/inst/usr/lib/systemd/system/vserver@.service" \
	-a -f "$T/inst/usr/lib/systemd/system/vservers.target" \
	-a -f "$T/inst/usr/share/man/man8/vserver-build.8" \
	-a -f "$T/inst/usr/share/bash-completion/completions/vserver"
# systemd's own checker on the installed units (unknown keys, programs
# that are not there), in a root holding the host's units and ours.
units_verify() {
	local root=$T/sdroot out
	mkdir -p "$root/usr/lib/systemd"
	cp -r /usr/lib/systemd/system "$root/usr/lib/systemd/" &&
	cp -r "$T/inst/usr/sbin" "$root/usr/" &&
	cp "$T"/inst/usr/lib/systemd/system/* "$root/usr/lib/systemd/system/" ||
		return 1
	out=$(cd "$root/usr/lib/systemd/system" &&
	      systemd-analyze verify --root="$root" --man=no \
		vserver@g1.service vserver-boot.service vservers.target 2>&1) &&
		[ -z "$out" ] || { echo "$out"; return 1; }
}
if command -v systemd-analyze >/dev/null &&
   [ -f /usr/lib/systemd/system/sysinit.target ]; then
	check "systemd-analyze verify finds nothing in the units" units_verify
else
	skip "systemd-analyze verify finds nothing in the units" "no systemd on this host"
fi
check_out "vserver-build" "the man page renders" \
	bash -c "MANWIDTH=80 man -l util/man/vserver.8 2>&1 | col -b"

# Each bad file alone: start names the file, exits 1 and leaves no run
# directory behind.
for row in "${BAD[@]}"; do
	rel=${row%%|*}
	rest=${row#*|}
	val=${rest%%|*}
	want=${rest#*|}
	rm -rf "$T/etc/bad" "$T/run"/*
	cp -r "$T/etc/g1" "$T/etc/bad"
	mkdir -p "$(dirname "$T/etc/bad/$rel")"
	printf '%b\n' "$val" > "$T/etc/bad/$rel"
	[ "$want" = x ] && want="more than one line"
	out=$("$VS" bad start 2>&1)
	rc=$?
	if [ $rc -eq 1 ]; then
		tap_result ok "bad $rel: exit 1"
	else
		tap_result fail "bad $rel: exit 1" "exit $rc: $out"
	fi
	case $out in
	*"$T/etc/bad/$rel"*"$want"*) tap_result ok "bad $rel: path and expected form" ;;
	*) tap_result fail "bad $rel: path and expected form" "$out" ;;
	esac
	if [ -z "$(ls "$T/run")" ]; then
		tap_result ok "bad $rel: nothing done"
	else
		tap_result fail "bad $rel: nothing done" "$(ls "$T/run")"
	fi
done
done_testing
