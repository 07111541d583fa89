#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, run inside the VM by `make demo`.
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step "The kernel speaks vserver (sys_vserver, syscall 236)"
run uname -r
run cat /proc/virtual/info

step "The host shell is context 0"
run grep VxID /proc/self/status

step "Create context 42 and run a shell in it"
run vcontext --create --xid 42 -- sh -c '
	echo "inside: $(grep VxID /proc/self/status)"
	echo "inside: /proc/virtual/42/status says:"
	sed "s/^/    /" /proc/virtual/42/status
	echo "inside: try to create another context (must fail):"
	vcontext --create --xid 43 -- true
	echo "inside: try to migrate back to the host (must fail):"
	vcontext --migrate --xid 1 -- true
	true'

step "Context 42 ended with its last task"
run ls /proc/virtual/

step "A persistent context outlives its creator"
run vcontext --create --persistent --xid 44
run cat /proc/virtual/44/status
run vcontext --migrate --xid 44 -- grep VxID /proc/self/status

printf '\n\033[1mdemo finished: contexts created, entered and isolated.\033[0m\n'
