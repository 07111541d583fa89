#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vserver-stat and vps: contexts, their processes and guest names.
. "$(dirname "$0")/../lib/tap.sh"

plan 10
mkdir -p /etc/vservers/web1
echo 6000 > /etc/vservers/web1/context
vcontext --create --silent --xid 6000 --disconnect -- sleep 1000
vcontext --create --silent --xid 6001 --disconnect -- sleep 1000
sleep 1

out=$(vserver-stat)
echo "$out" | sed 's/^/# /'
check_out "CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME" \
	"vserver-stat prints the util-vserver header" echo "$out"
check "the host is listed as root server" \
	sh -c "echo '$out' | grep -q '^0 .*root server\$'"
check "a configured guest is listed with its name" \
	sh -c "echo '$out' | grep -q '^6000 *1 .* web1\$'"
check "an unconfigured context is listed with -" \
	sh -c "echo '$out' | grep -q '^6001 *1 .* -\$'"
check_out '"ctx": 6000, "proc": 1' "--json has the context" vserver-stat --json
check_out '"name": "web1"' "--json has the name" vserver-stat --json
check_out "BiasUptime:" "/proc/virtual/<xid>/cvirt" cat /proc/virtual/6000/cvirt
check_out "6000 web1" "vps shows the guest of a process" vps
check_out "0 MAIN" "vps shows host processes as MAIN" vps
out=$(vcontext --migrate --xid 6000 -- vps)
case $out in
*MAIN*|*6001*) tap_result fail "vps in a guest shows only the guest" "$out" ;;
*"6000 web1"*) tap_result ok "vps in a guest shows only the guest" ;;
*) tap_result fail "vps in a guest shows only the guest" "$out" ;;
esac
vkill --xid 6000 -s KILL
vkill --xid 6001 -s KILL
done_testing
