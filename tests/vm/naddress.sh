#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# naddress, chbind and nattribute in the VM, with guests on a dummy
# interface: two guests serve the same port on their own addresses.
. "$(dirname "$0")/../lib/tap.sh"

A4=192.0.2.1 B4=192.0.2.2 H4=192.0.2.3
if [ ! -e /sys/class/net/vsnet0 ]; then
	echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad
	ip link add vsnet0 type dummy && ip link set vsnet0 up &&
	ip addr add $A4/24 dev vsnet0 && ip addr add $B4/24 dev vsnet0 &&
	ip addr add $H4/24 dev vsnet0 &&
	ip -6 addr add 2001:db8::1/64 dev vsnet0
fi

plan 33

check_out "192.0.2.1/255.255.255.0 addr" "chbind gives the addresses" \
	chbind --nid 20500 --ip $A4/24 --ip 2001:db8::1/64 -- naddress --list
check_out "2001:db8::1/64 addr" "... IPv6 too" \
	chbind --nid 20500 --ip $A4/24 --ip 2001:db8::1/64 -- naddress --list
check_out "lback 127.20.0.1" "chbind --lback" \
	chbind --nid 20501 --ip $A4 --lback 127.20.0.1 -- naddress --list
check_out "bcast 192.0.2.255" "chbind --bcast" \
	chbind --nid 20502 --ip $A4/24 --bcast 192.0.2.255 -- naddress --list
check_out "single_ip" "chbind --flag" \
	chbind --nid 20503 --ip $A4 --flag single_ip -- nattribute --get
check_out "raw_icmp" "chbind --secure sets raw_icmp" \
	chbind --nid 20504 --secure --ip $A4 -- nattribute --get
check_out "20505" "the command runs in the new network context" \
	chbind --nid 20505 --ip $A4 -- cat /proc/virtnet/20505/info

# A persistent context to work on with naddress and nattribute.
chbind --nid 20510 --ip $A4 --flag persistent -- true
check "naddress --add" naddress --nid 20510 --add --ip 198.51.100.7/24 \
	--ip 2001:db8::7/64
check_out "198.51.100.7/255.255.255.0" "naddress --list shows it" \
	naddress --nid 20510 --list
check_rc 1 "adding it twice fails" naddress --nid 20510 --add --ip 198.51.100.7
check "... unless --silent" naddress --nid 20510 --add --silent --ip 198.51.100.7
check "naddress --remove" naddress --nid 20510 --remove --ip 198.51.100.7
check_rc 1 "removing a missing address fails" \
	naddress --nid 20510 --remove --ip 198.51.100.7
check "naddress --remove --all" naddress --nid 20510 --remove --all
out=$(naddress --nid 20510 --list)
if [ -z "$out" ]; then tap_result ok "no address left"
else tap_result fail "no address left" "$out"; fi
check_out "No such process" "naddress on a missing nid" \
	naddress --nid 20999 --add --ip $A4
check "nattribute --set" nattribute --nid 20510 --set --flag ~persistent
check_rc 254 "chbind on an existing nid exits 254" \
	chbind --silent --nid 20511 --ip $A4 -- chbind --nid 20511 --ip $A4 -- true

# hide_netif (part of the default flags): ip addr shows own addresses only.
out=$(chbind --nid 20530 --ip $A4/24 --ip 2001:db8::1/64 -- ip addr)
case $out in *"inet $A4/24"*) tap_result ok "ip addr in a guest shows its address" ;;
*) tap_result fail "ip addr in a guest shows its address" "$out" ;; esac
case $out in *"inet6 2001:db8::1/64"*) tap_result ok "... and its IPv6 address" ;;
*) tap_result fail "... and its IPv6 address" "$out" ;; esac
case $out in *$B4*|*$H4*|*127.0.0.1*|*2001:db8::3*) tap_result fail "... and no other" "$out" ;;
*) tap_result ok "... and no other" ;; esac
out=$(chbind --nid 20532 --ip $A4 --ip 2001:db8::1/64 -- cat /proc/net/if_inet6)
case $out in 20010db8000000000000000000000001*) tap_result ok "/proc/net/if_inet6 shows the guest's address" ;;
*) tap_result fail "/proc/net/if_inet6 shows the guest's address" "$out" ;; esac
case $out in *20010db8000000000000000000000003*|*00000000000000000000000000000001*)
	tap_result fail "... and no other" "$out" ;;
*) tap_result ok "... and no other" ;; esac
check_out "inet $B4/24" "without hide_netif, every address shows" \
	chbind --nid 20531 --ip $A4 --flag ~hide_netif -- ip addr

# ip route get / ip route: the guest is told its own source, never the
# host's (vsnet0's first address, $A4), nor the device of a hidden link.
if [ ! -e /sys/class/net/vsnet9 ]; then
	ip link add vsnet9 type dummy && ip link set vsnet9 up &&
	ip addr add 100.64.0.1/24 dev vsnet9
fi
check_out "src $A4" "the host's ip route get names its source" \
	ip route get 192.0.2.7
out=$(chbind --nid 20533 --ip $B4/24 -- ip route get 192.0.2.7)
case $out in *"dev vsnet0"*"src $B4"*) tap_result ok "a guest's ip route get names its own" ;;
*) tap_result fail "a guest's ip route get names its own" "$out" ;; esac
out=$(chbind --nid 20534 --ip $B4/24 -- ip route get 100.64.0.7)
case $out in *"src $B4"*) tap_result ok "... through a hidden link too" ;;
*) tap_result fail "... through a hidden link too" "$out" ;; esac
case $out in *vsnet9*) tap_result fail "... without naming that link" "$out" ;;
*) tap_result ok "... without naming that link" ;; esac
check_out "src $A4" "the host's ip route shows the preferred source" ip route
out=$(chbind --nid 20535 --ip $B4/24 -- ip route)
case $out in *"192.0.2.0/24 dev vsnet0"*"src $A4"*|*vsnet9*)
	tap_result fail "a guest's ip route shows neither" "$out" ;;
*"192.0.2.0/24 dev vsnet0"*) tap_result ok "a guest's ip route shows neither" ;;
*) tap_result fail "a guest's ip route shows neither" "$out" ;; esac

# Two guests listen on 0.0.0.0:80; each gets its own address.
(echo guestA | chbind --nid 20520 --ip $A4 -- nc -l -p 80 >/dev/null) &
(echo guestB | chbind --nid 20521 --ip $B4 -- nc -l -p 80 >/dev/null) &
sleep 1
check_out "guestA" "guest A serves port 80 on its address" \
	nc -w 2 $A4 80 </dev/null
check_out "guestB" "guest B serves port 80 on its address" \
	nc -w 2 $B4 80 </dev/null
check_out "requested address" "a guest cannot bind another's address" \
	timeout 5 chbind --nid 20522 --ip $A4 -- httpd -f -p $B4:81
kill %1 %2 2>/dev/null
wait
done_testing
