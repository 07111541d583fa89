#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vattribute and vkill command lines on the host: bad input is refused
# with exit status 2 before any system call.
. "$(dirname "$0")/../lib/tap.sh"
VA=${VA:-build/util/bin/vattribute}
VK=${VK:-build/util/bin/vkill}

plan 21
check_out "Usage:" "vattribute --help" "$VA" --help
check_rc 2 "vattribute without --get/--set" "$VA"
check_rc 2 "vattribute --get and --set" "$VA" --get --set
check_rc 2 "vattribute --set without changes" "$VA" --set
check_rc 2 "vattribute --get with --flag" "$VA" --get --flag virt_mem
check_out "unknown capability in 'sys_bogus'" "unknown capability named" \
	"$VA" --set --bcap sys_bogus
check_rc 2 "capability numbers are not names" "$VA" --set --bcap 12
check_rc 2 "unknown ccap" "$VA" --set --ccap nosuch
check_rc 2 "unknown flag" "$VA" --set --flag ~nosuch
check_out "unknown namespace in 'newfoo'" "unknown umask name" \
	"$VA" --set --umask newfoo
check_rc 2 "bad xid" "$VA" --xid x --get
check_out "Usage:" "vkill --help" "$VK" --help
check_rc 2 "vkill without --xid" "$VK"
check_out "unknown signal 'NOPE'" "vkill unknown signal" "$VK" --xid 5 -s NOPE
check_rc 2 "vkill signal out of range" "$VK" --xid 5 -s 99
check_rc 2 "vkill bad pid" "$VK" --xid 5 -- 12x
check_rc 2 "vkill pid below -1" "$VK" --xid 5 -- -7
VS=${VS:-build/util/bin/vserver-stat}
VP=${VP:-build/util/bin/vps}
check_rc 2 "vserver-stat unknown option" "$VS" --bogus
check_rc 2 "vserver-stat extra argument" "$VS" extra
check_out "Usage:" "vps --help" "$VP" --help
check_out "vps from vserver" "vps --version" "$VP" --version
done_testing
