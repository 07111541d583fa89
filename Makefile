# SPDX-License-Identifier: GPL-2.0
#
# vserver: Linux-VServer for Linux 6.12.
#
#   make deps          install the Debian packages the project needs
#   make kernel        patched kernel (build/obj-test/arch/x86/boot/bzImage)
#   make util          the tools and libvserver
#   make check         everything, then all test suites; ends "N passed, N failed"
#   make demo          boot the kernel in qemu and show a context at work
#   make bench         benchmarks inside the VM, printing ratios
#   make check-fuzz    fuzzer, fault injection, churn, trinity (debug kernel)
#   make coverage      line coverage of kernel/vserver (gcov kernel)
#   make deb           Debian packages of the kernel and the tools (build/deb)
#   make check-deb     those packages on a real Debian 12 system in qemu
#   make patch         one combined patch for other distributions
#   make install DESTDIR=...
#
VERSION    := 0.1
TOP        := $(CURDIR)
BUILD      := $(TOP)/build
UTIL_OUT   := $(BUILD)/util
TEST_OUT   := $(BUILD)/tests
PREFIX     ?= /usr
SBINDIR    ?= /usr/sbin
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
LIBDIR     ?= $(PREFIX)/lib
INCDIR     ?= $(PREFIX)/include
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

# CPPFLAGS, CFLAGS and LDFLAGS are the user's (dpkg-buildflags sets them
# for the Debian packages); the project's own flags are kept apart so
# that setting them, in the environment or on the command line, adds to
# the build instead of replacing the include paths.
CC         ?= gcc
CFLAGS     ?= -O2 -g
WARN       := -Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
              -Wstrict-prototypes -Werror=implicit-function-declaration
VS_CPPFLAGS := -I$(TOP)/include/uapi -I$(TOP)/util/lib -I$(TOP)/util/src \
              -DVSERVER_VERSION='"$(VERSION)"' -D_GNU_SOURCE
ALL_CFLAGS  = $(VS_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(WARN)
LDLIBS     := -lcap

TOOLS      := vcontext vattribute vkill vserver-stat vps vnamespace vuname vwait
# network (issue 5)
TOOLS      += naddress chbind nattribute

# limits and scheduler (issue 7)
TOOLS      += vsched
TOOLS      += vlimit vdlimit

# inode attributes, unification (issue 6)
TOOLS      += setattr showattr vhashify vclone

# the vserver admin tool (issue 8)
TOOLS      += vserver
VSERVER_OBJ := $(patsubst %,$(UTIL_OUT)/obj/src/vserver-%.o,build start exec status)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# The rules below must not become the default goal.
.DEFAULT_GOAL := all
$(UTIL_OUT)/bin/vserver $(UTIL_OUT)/static/vserver: $(VSERVER_OBJ)
$(UTIL_OUT)/bin/vserver $(UTIL_OUT)/static/vserver: \
	LDLIBS := $(UTIL_OUT)/libvserver.a $(LDLIBS)
# Paths are bounded with snprintf on purpose.
$(VSERVER_OBJ) $(UTIL_OUT)/obj/src/vserver.o $(UTIL_OUT)/obj/lib/guest.o: \
	WARN += -Wno-format-truncation
install: install-vserver
.PHONY: install-vserver
# The defaults under SYSCONFDIR/vservers/.defaults/ are not overwritten.
install-vserver: util
	install -d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR) \
		$(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/vservers/.defaults
	install -m 644 util/man/vserver-build.8 util/man/vserver-boot.8 \
		util/man/vshelper.8 $(DESTDIR)$(MANDIR)/man8
	for f in util/defaults/*; do \
		t=$(DESTDIR)$(SYSCONFDIR)/vservers/.defaults/$${f##*/}; \
		test -e $$t || install -m 644 $$f $$t || exit 1; \
	done
	install -m 644 util/systemd/vserver@.service \
		util/systemd/vserver-boot.service \
		util/systemd/vservers.target $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 755 util/systemd/vserver-boot $(DESTDIR)$(SBINDIR)
	ln -sf vserver $(DESTDIR)$(SBINDIR)/vshelper

LIB_SRC    := $(wildcard util/lib/*.c)
LIB_OBJ    := $(LIB_SRC:util/lib/%.c=$(UTIL_OUT)/obj/lib/%.o)
TOOL_COMMON := $(UTIL_OUT)/obj/src/tool.o
HEADERS    := $(wildcard include/uapi/linux/*.h util/lib/*.h util/src/*.h)

.SECONDARY:

.PHONY: all deps kernel kernel-debug kernel-gcov coverage kernel-novs kernel-modules config config-distro \
        deb deb-kernel deb-tools check-deb patch util tests initramfs \
        check check-host check-vm check-debug check-fuzz demo bench install clean \
        distclean benches \
        checkpatch

all: util

deps:
	@scripts/deps.sh

# FLAVOUR=distro builds Debian's own config plus vserver (hours).
FLAVOUR    ?= test

kernel:
	@scripts/kernel.sh build $(FLAVOUR)

config:
	@scripts/kernel.sh config $(FLAVOUR)

kernel-debug:
	@scripts/kernel.sh build debug

kernel-gcov:
	@scripts/kernel.sh build gcov

# Line coverage of kernel/vserver: KUnit, every VM suite and the fuzzer on
# the gcov kernel; per-file table and HTML in build/results/coverage/.
coverage: kernel-gcov initramfs
	@scripts/coverage.sh

kernel-novs:
	@scripts/kernel.sh build novs

kernel-modules:
	@scripts/kernel.sh build modules

# Debian's own kernel config plus vserver: Kconfig must keep every
# vserver option (config only: the build takes hours on 2 cores).
config-distro:
	@$(MAKE) -s config FLAVOUR=distro

# The kernel packages of the test (= server) kernel.
deb-kernel:
	@scripts/kernel.sh deb

deb: deb-kernel deb-tools

check-deb: deb
	@mkdir -p $(BUILD)/results
	@scripts/check-deb.sh | tee $(BUILD)/results/deb.tap; \
	python3 scripts/tap-summary.py --vm $(BUILD)/results/deb.tap

patch:
	@scripts/mkpatch.sh

# ---- userspace ---------------------------------------------------------

util: $(UTIL_OUT)/libvserver.a $(UTIL_OUT)/libvserver.pc \
      $(TOOLS:%=$(UTIL_OUT)/bin/%) $(TOOLS:%=$(UTIL_OUT)/static/%)

$(UTIL_OUT)/obj/%.o: util/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(UTIL_OUT)/libvserver.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# make install writes the .pc file again: its paths are install's.
PC_SUBST    = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
              -e 's|@INCDIR@|$(INCDIR)|' -e 's|@VERSION@|$(VERSION)|'
$(UTIL_OUT)/libvserver.pc: util/lib/libvserver.pc.in
	@mkdir -p $(dir $@)
	$(PC_SUBST) $< > $@

$(UTIL_OUT)/bin/%: $(UTIL_OUT)/obj/src/%.o $(TOOL_COMMON) $(UTIL_OUT)/libvserver.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(UTIL_OUT)/static/%: $(UTIL_OUT)/obj/src/%.o $(TOOL_COMMON) $(UTIL_OUT)/libvserver.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -static -o $@ $^ $(LDLIBS)

# ---- tests -------------------------------------------------------------

KSELFTEST_DIR := $(BUILD)/linux/tools/testing/selftests
KTESTS     := $(patsubst tests/kernel/%.c,%,$(wildcard tests/kernel/*_test.c))
HOSTTESTS  := $(patsubst tests/host/%.c,%,$(wildcard tests/host/*_test.c))

tests: util benches $(KTESTS:%=$(TEST_OUT)/kernel/%) $(HOSTTESTS:%=$(TEST_OUT)/host/%)

# tests/vm/vdlimit.sh: an ext4 file system with project quotas (limits).
tests: $(TEST_OUT)/kernel/vdlimit-ext4.img.gz
$(TEST_OUT)/kernel/vdlimit-ext4.img.gz:
	@mkdir -p $(dir $@)
	rm -f $@.img && truncate -s 32M $@.img
	PATH="$$PATH:/sbin:/usr/sbin" mkfs.ext4 -q -F -O quota,project \
		-E quotatype=prjquota $@.img
	gzip -1 -c $@.img > $@ && rm -f $@.img

# kselftest_harness.h comes from the unpacked kernel tree (make kernel).
$(TEST_OUT)/kernel/%: tests/kernel/%.c tests/kernel/helpers.h $(HEADERS) \
		$(UTIL_OUT)/libvserver.a
	@mkdir -p $(dir $@)
	@test -f $(KSELFTEST_DIR)/kselftest_harness.h || \
		{ echo "run 'make kernel' first (kselftest_harness.h)"; exit 1; }
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Wno-sign-compare -I$(KSELFTEST_DIR) -static \
		$(LDFLAGS) -o $@ $< $(UTIL_OUT)/libvserver.a $(LDLIBS) -lpthread

# The fuzzer and the churn (tests/fuzz/), static, in the initramfs.
FUZZERS    := vsfuzz vschurn
tests: $(FUZZERS:%=$(TEST_OUT)/fuzz/%)

$(TEST_OUT)/fuzz/%: tests/fuzz/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-field-initializers $(LDFLAGS) -static \
		-o $@ $< -lpthread

# Helpers of the VM suites (tests/vm/*.c), next to them in the initramfs.
VMHELPERS  := $(patsubst tests/vm/%.c,%,$(wildcard tests/vm/*.c))
tests: $(VMHELPERS:%=$(TEST_OUT)/vm/%)

$(TEST_OUT)/vm/%: tests/vm/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static -o $@ $<

$(TEST_OUT)/host/%: tests/host/%.c $(HEADERS) $(UTIL_OUT)/libvserver.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -Wno-sign-compare -I$(KSELFTEST_DIR) -o $@ $< \
		$(LDFLAGS) $(UTIL_OUT)/libvserver.a $(LDLIBS)

BENCH_OUT  := $(BUILD)/bench
BENCHES    := $(patsubst bench/%.c,%,$(wildcard bench/*.c))

$(BENCH_OUT)/%: bench/%.c $(HEADERS) $(UTIL_OUT)/libvserver.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -static -o $@ $< \
		$(UTIL_OUT)/libvserver.a $(LDLIBS)

benches: $(BENCHES:%=$(BENCH_OUT)/%)

initramfs: util tests benches
	@scripts/mkinitramfs.sh

check-host: tests
	@scripts/run-host-tests.sh

# The VM's own exit status says only that it finished: the summary of its
# TAP output decides whether check-vm passed.
VM_SUMMARY = python3 scripts/tap-summary.py \
	--kunit $(BUILD)/results/console-check.log --vm $(BUILD)/results/check.tap

check-vm: kernel initramfs
	@scripts/vm.sh check; rc=$$?; $(VM_SUMMARY) && exit $$rc

# The suites on the debug kernel (KASAN, lockdep, kmemleak); not part of
# make check because the debug build takes another 13 minutes.
check-debug: kernel-debug initramfs
	@FLAVOUR=debug VM_MEM=2048 scripts/vm.sh check; rc=$$?; \
	$(VM_SUMMARY) && exit $$rc

# The robustness suites on the debug kernel (KASAN, lockdep, kmemleak,
# fault injection): 10^6 fuzzer calls, 10^5 in fault mode, the planted
# bug found and replayed, 1000 guests of churn, trinity in a guest.
FUZZ_CALLS       ?= 1000000
FUZZ_FAULT_CALLS ?= 100000
FUZZ_TRINITY     ?= 200000
check-fuzz: kernel-debug initramfs
	@FLAVOUR=debug VM_MEM=2048 VM_TIMEOUT=$${VM_TIMEOUT:-7200} \
	FUZZ_CALLS=$(FUZZ_CALLS) FUZZ_FAULT_CALLS=$(FUZZ_FAULT_CALLS) \
	FUZZ_TRINITY=$(FUZZ_TRINITY) FUZZ_PLANT=1 scripts/vm.sh fuzz; rc=$$?; \
	$(FUZZ_RING); \
	python3 scripts/tap-summary.py --vm $(BUILD)/results/fuzz.tap && exit $$rc

# The ring of a failed fuzzer run, from the TAP output: the next initramfs
# carries it (tests/fuzz/last.ring) for `vsfuzz --replay` in a VM shell.
FUZZ_RING = sed -n 's/^\# \(R [0-9].*\)/\1/p' $(BUILD)/results/fuzz.tap \
	> $(BUILD)/results/vsfuzz.ring; \
	test -s $(BUILD)/results/vsfuzz.ring || rm -f $(BUILD)/results/vsfuzz.ring

check:
	@scripts/check.sh

demo:
	@scripts/demo.sh

# The Debian guest image of make demo is attached for the vclone bench
# (BENCH=NAME[,NAME...] runs only those benchmarks).
bench: kernel initramfs
	@DISK=$$(scripts/demo-image.sh 2>/dev/null | tail -1) EXT4_SIZE=1200M \
		scripts/vm.sh bench; cat $(BUILD)/results/bench.tap

checkpatch:
	@scripts/checkpatch.sh

# ---- install -----------------------------------------------------------

# The headers go to INCDIR/vserver/ (the uapi one as linux/vserver.h
# below it, so that it never clashes with the libc's kernel headers);
# libvserver.pc says -I$(INCDIR)/vserver.
install: util
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR)/vserver/linux \
		$(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(TOOLS:%=$(UTIL_OUT)/bin/%) $(DESTDIR)$(SBINDIR)
	install -m 644 $(TOOLS:%=util/man/%.8) $(DESTDIR)$(MANDIR)/man8
	install -m 644 $(UTIL_OUT)/libvserver.a $(DESTDIR)$(LIBDIR)
	$(PC_SUBST) util/lib/libvserver.pc.in \
		> $(DESTDIR)$(LIBDIR)/pkgconfig/libvserver.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/libvserver.pc
	install -m 644 util/lib/libvserver.h $(DESTDIR)$(INCDIR)/vserver
	install -m 644 include/uapi/linux/vserver.h \
		$(DESTDIR)$(INCDIR)/vserver/linux
	for t in $(TOOLS); do \
		install -m 644 util/completion/$$t $(DESTDIR)$(BASHCOMPDIR)/$$t; \
	done

# ---- Debian packages of the tools --------------------------------------

# vserver-tools and libvserver-dev in build/deb/ (from a copy of the
# tree); check-deb-tools lints them and installs and purges them in a
# Debian 12 chroot (TAP).
.PHONY: deb-tools check-deb-tools
deb-tools:
	@scripts/deb-tools.sh

check-deb-tools: deb-tools
	@scripts/deb-tools-check.sh

clean:
	rm -rf $(UTIL_OUT) $(TEST_OUT) $(BUILD)/initramfs* $(BUILD)/results

distclean:
	rm -rf $(BUILD)
