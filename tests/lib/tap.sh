# SPDX-License-Identifier: GPL-2.0
# Minimal TAP producer for shell test suites (busybox sh and bash).
#
#   . tests/lib/tap.sh
#   plan 3
#   check "name" command args...        ok if the command succeeds
#   check_rc 2 "name" command args...   ok if it exits with status 2
#   check_out "text" "name" cmd...      ok if its output contains text
#   skip "name" "reason"
#   done_testing

TAP_N=0
TAP_FAILED=0

plan() { echo "1..$1"; }

tap_result() {
	TAP_N=$((TAP_N + 1))
	if [ "$1" = ok ]; then
		echo "ok $TAP_N $2"
	else
		echo "not ok $TAP_N $2"
		TAP_FAILED=$((TAP_FAILED + 1))
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
	fi
	return 0
}

check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_result ok "$name"
	else
		tap_result fail "$name" "$out"
	fi
}

check_rc() {
	local want=$1 name=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		tap_result ok "$name"
	else
		tap_result fail "$name" "exit $rc, expected $want: $out"
	fi
}

check_out() {
	local want=$1 name=$2 out
	shift 2
	out=$("$@" 2>&1)
	case $out in
	*"$want"*) tap_result ok "$name" ;;
	*) tap_result fail "$name" "expected '$want' in: $out" ;;
	esac
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N $1 # SKIP $2"
}

done_testing() {
	[ "$TAP_FAILED" -eq 0 ]
}
