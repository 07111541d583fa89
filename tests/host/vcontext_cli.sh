#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vcontext's command line on the host: every bad input gets one clear
# message and exit status 2, before any system call is made.
. "$(dirname "$0")/../lib/tap.sh"
VC=${VC:-build/util/bin/vcontext}

plan 13
check_out "Usage:" "--help prints usage" "$VC" --help
check_rc 0 "--help exits 0" "$VC" --help
check_out "vcontext from vserver" "--version" "$VC" --version
check_rc 2 "no arguments" "$VC"
check_out "Try 'vcontext --help'" "usage errors point at --help" "$VC"
check_rc 2 "unknown option" "$VC" --bogus
check_rc 2 "--create and --migrate together" "$VC" --create --migrate --xid 5 -- true
check_rc 2 "--migrate without --xid" "$VC" --migrate -- true
check_rc 2 "bad xid" "$VC" --create --xid abc -- true
check_rc 2 "xid out of range" "$VC" --create --xid 70000 -- true
check_rc 2 "unknown flag" "$VC" --create --flag nosuch -- true
check_rc 2 "no command" "$VC" --create
check_out "invalid xid '0'" "the message names the bad value" "$VC" --create --xid 0 -- true
done_testing
