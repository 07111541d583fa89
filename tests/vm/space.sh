#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vnamespace and vuname: a guest with its own namespaces, named and
# entered without a pid file.
. "$(dirname "$0")/../lib/tap.sh"

plan 10
host_name=$(uname -n)
host_release=$(uname -r)

# The way vserver start builds a guest: new namespaces, a context, store.
vnamespace --new --mount --uts --ipc -- \
	vcontext --create --silent --persistent --xid 7000 -- \
	sh -c 'mkdir -p /mnt/g && mount -t tmpfs guestfs /mnt/g &&
	       echo private > /mnt/g/file && vnamespace --set'
check "the guest's setup ran" test -d /proc/virtual/7000
check "vuname --set" vuname --xid 7000 --set -t nodename=guest7000 \
	-t release=9.9.9-guest -t context=/etc/vservers/g7000
check_out "guest7000" "vuname --get nodename" vuname --xid 7000 --get nodename
check_out "context=/etc/vservers/g7000" "vuname lists every field" vuname --xid 7000
check_out "guest7000" "uname -n inside the entered guest" \
	vnamespace --enter 7000 -- vcontext --migrate --xid 7000 -- uname -n
check_out "9.9.9-guest" "uname -r inside the guest may differ from the host" \
	vnamespace --enter 7000 -- uname -r
check_out "$host_name $host_release" "the host keeps its own uname" uname -nr
check_out "private" "the guest's mounts are there after --enter" \
	vnamespace --enter 7000 -- cat /mnt/g/file
check "the guest's mounts are not on the host" test ! -e /mnt/g/file
check_rc 2 "vuname rejects an unknown field" vuname --xid 7000 --set -t bogus=1
vattribute --xid 7000 --set --flag ~persistent
done_testing
