// SPDX-License-Identifier: GPL-2.0
/*
 * Guest root never reaches the host: every test is an attack a guest's
 * root makes on a host-global object, run in a context set up as
 * `vserver NAME start` sets one up (util-vserver's secure bounding set
 * plus CAP_SYS_BOOT, setup ended), which must fail with the documented
 * error, and the same operation run from the host, which must work:
 * proof that the test can fail.  Documentation/userspace-api/vserver.rst
 * ("Threat model") lists each interface and its test here.
 *
 * A "guest" below is a process that migrated into such a context; the
 * attacks that need a task running the guest's own program (not one
 * that still runs host code) exec this binary again with --probe.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kcmp.h>
#include <linux/mount.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define XID_BASE	31000

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_fsopen
#define __NR_fsopen 430
#define __NR_fsconfig 431
#endif
#ifndef FSCONFIG_CMD_CREATE
#define FSCONFIG_CMD_CREATE 6
#endif
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup 425
#endif

/* The context capabilities `vserver NAME start` gives a guest. */
#define GUEST_CCAPS	(VXC_SET_UTSNAME | VXC_RAW_ICMP | VXC_AUDIT_CONTROL)

/* Exit codes of a guest child that could not be set up. */
#define SETUP_FAILED	200

/**
 * struct guest - how a guest child is made
 * @xid: its context
 * @ccaps: its context capabilities
 * @unshare: namespaces the host makes for it first (CLONE_NEW*)
 * @before: run as the host, in the child, before it enters
 * @arg: argument of @before and of the attack
 */
struct guest {
	uint32_t xid;
	uint64_t ccaps;
	int unshare;
	int (*before)(void *arg);
	void *arg;
};

static uint64_t guest_bcaps(void)
{
	return vs_secure_bcaps() | 1ULL << CAP_SYS_BOOT;
}

/*
 * In a child: become a guest of @g as vserver start makes one (the
 * context is created and configured by the host, its setup ended), then
 * run @fn.  Returns @fn's result: 0 if the operation worked, else the
 * errno it failed with; SETUP_FAILED + step if the guest could not be
 * made.
 */
static int as_guest(const struct guest *g, int (*fn)(void *))
{
	int status, hold;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (g->unshare && unshare(g->unshare))
			_exit(SETUP_FAILED + 1);
		if (g->before && g->before(g->arg))
			_exit(SETUP_FAILED + 2);
		hold = spawn_ctx(g->xid, VXF_INIT_SET);
		if (hold < 0)
			_exit(SETUP_FAILED + 3);
		if (vs_set_bcaps(g->xid, guest_bcaps(), ~0ULL) ||
		    vs_set_ccaps(g->xid, g->ccaps, ~0ULL) ||
		    vs_set_cflags(g->xid, 0, VXF_STATE_SETUP))
			_exit(SETUP_FAILED + 4);
		if (vs_ctx_migrate(g->xid, 0))
			_exit(SETUP_FAILED + 5);
		_exit(fn(g->arg));
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	/* The context ends with its holder; the next guest reuses the xid. */
	ctx_gone(g->xid, 500);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The same operation run by the host, in a child. */
static int as_host(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* 0 if @ret (a system call's result) is not -1, else errno. */
static int err(long ret)
{
	return ret == -1 ? errno : 0;
}

/* A user-space software event: of a task (@pid), or of a CPU. */
static long perf_open(unsigned long long config, pid_t pid, int cpu)
{
	struct perf_event_attr pe = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(pe),
		.config = config,
		.disabled = 1,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};

	return syscall(SYS_perf_event_open, &pe, pid, cpu, -1, 0);
}

/* err() of a system call that returns a new descriptor, closed here. */
static int closed(long fd)
{
	if (fd >= 0)
		close((int)fd);
	return err(fd);
}

static const struct guest plain = { .xid = XID_BASE, .ccaps = GUEST_CCAPS };

static pid_t host_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			pause();
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int read_text(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return errno;
	buf[n] = 0;
	return 0;
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? errno : 0;
}

/* ---- 1. sysctls ---- */

/* Write a sysctl's own value back: 0 if it could be written. */
static int sysctl_rewrite(void *arg)
{
	char buf[4096];
	int ret = read_text(arg, buf, sizeof(buf));

	return ret ?: write_text(arg, buf);
}

static const char *const host_sysctls[] = {
	"/proc/sys/kernel/core_pattern",	/* a helper the host runs */
	"/proc/sys/kernel/modprobe",
	"/proc/sys/kernel/panic_on_oops",
	"/proc/sys/vm/panic_on_oom",
	"/proc/sys/kernel/perf_event_paranoid",
	"/proc/sys/dev/tty/legacy_tiocsti",
	"/proc/sys/kernel/sysrq",
	"/proc/sys/kernel/vshelper",
	"/proc/sys/net/ipv4/ip_forward",	/* the host's network */
	"/proc/sys/net/core/somaxconn",
	"/proc/sys/kernel/shmmax",		/* the host's IPC */
	"/proc/sys/fs/mqueue/msg_max",
	"/proc/sys/user/max_user_namespaces",
	"/proc/sys/kernel/hostname",		/* the host's UTS */
};

TEST(sysctl_host_tables_are_read_only)
{
	size_t i;

	NEED_VSERVER();
	for (i = 0; i < ARRAY_SIZE(host_sysctls); i++) {
		struct guest g = plain;

		if (!exists(host_sysctls[i]))
			continue;
		g.arg = (void *)host_sysctls[i];
		EXPECT_EQ(EACCES, as_guest(&g, sysctl_rewrite))
			TH_LOG("guest wrote %s", host_sysctls[i]);
		EXPECT_EQ(0, as_host(sysctl_rewrite, (void *)host_sysctls[i]))
			TH_LOG("host could not write %s", host_sysctls[i]);
	}
}

static int held_fd;

static int open_core_pattern(void *arg)
{
	held_fd = open("/proc/sys/kernel/core_pattern", O_WRONLY);
	return held_fd < 0;
}

static int write_held_fd(void *arg)
{
	return err(write(held_fd, "core\n", 5));
}

/*
 * A descriptor the host opened does not make the table writable: each
 * write is checked again (and fails with EPERM, as for a table that went
 * read-only under an open file).
 */
TEST(sysctl_host_descriptor_stays_read_only)
{
	struct guest g = plain;
	char old[256];

	NEED_VSERVER();
	ASSERT_EQ(0, read_text("/proc/sys/kernel/core_pattern", old,
			       sizeof(old)));
	g.before = open_core_pattern;
	EXPECT_EQ(EPERM, as_guest(&g, write_held_fd));
	write_text("/proc/sys/kernel/core_pattern", old);
}

static int uts_ns_hostname(void *arg)
{
	return write_text("/proc/sys/kernel/hostname", "escape-guest");
}

/* Its own namespaces' tables stay writable, as for the host. */
TEST(sysctl_own_namespaces_are_writable)
{
	struct guest g = plain;

	NEED_VSERVER();
	/* (ip_forward would also need CAP_NET_ADMIN, as in any netns.) */
	g.arg = "/proc/sys/net/ipv4/tcp_keepalive_time";
	g.unshare = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
	EXPECT_EQ(0, as_guest(&g, sysctl_rewrite));
	g.arg = "/proc/sys/kernel/shmmax";
	EXPECT_EQ(0, as_guest(&g, sysctl_rewrite));
	g.arg = "/proc/sys/fs/mqueue/msg_max";
	EXPECT_EQ(0, as_guest(&g, sysctl_rewrite));
	EXPECT_EQ(0, as_guest(&g, uts_ns_hostname));
	/* The host name as sethostname(2): with VXC_SET_UTSNAME only. */
	g.ccaps = 0;
	EXPECT_EQ(EACCES, as_guest(&g, uts_ns_hostname));
}

/* ---- 2. a host process that enters a guest ---- */

/*
 * --probe PID: what a task running the guest's own program can do to
 * process PID.  Exit 0 if it reached nothing, else the step that worked.
 */
static int probe_entered(pid_t pid)
{
	char path[64], buf[256];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	if (readlink(path, buf, sizeof(buf)) >= 0)
		return 1;
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		return 2;
	snprintf(path, sizeof(path), "/proc/%d/cwd/", pid);
	if (opendir(path))
		return 3;
	snprintf(path, sizeof(path), "/proc/%d/environ", pid);
	if (open(path, O_RDONLY) >= 0)
		return 4;
	snprintf(path, sizeof(path), "/proc/%d/fd/0", pid);
	if (open(path, O_RDONLY) >= 0)
		return 5;
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	if (open(path, O_RDONLY) >= 0)
		return 6;
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) == 0)
		return 7;
	/* It can still see it and signal it. */
	if (kill(pid, 0))
		return 8;
	return 0;
}

/* --probe-reach PID: exit 0 if the exe of PID can be read. */
static int probe_reach(pid_t pid)
{
	char path[64], buf[256];

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	return readlink(path, buf, sizeof(buf)) >= 0 ? 0 : 1;
}

/* This program again, as `escape_test WHAT [PID]`: its exit status. */
static int run_self(const char *what, pid_t pid)
{
	char arg[16];
	int status;
	pid_t child;

	snprintf(arg, sizeof(arg), "%d", pid);
	child = fork();
	if (child == 0) {
		execl("/proc/self/exe", "escape_test", what, pid ? arg : NULL,
		      (char *)NULL);
		_exit(99);
	}
	if (child < 0 || waitpid(child, &status, 0) != child)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int entered_attack(void *arg)
{
	int hold[2], status;
	char c;
	pid_t pid;

	/* We entered: the guest's own tasks cannot reach into us... */
	if (run_self("--probe", getpid()))
		return 1;
	/* ...nor into a child of ours before it execs... */
	if (pipe(hold))
		return 2;
	pid = fork();
	if (pid == 0) {
		close(hold[1]);
		read(hold[0], &c, 1);
		_exit(0);
	}
	close(hold[0]);
	if (run_self("--probe", pid))
		return 3;
	close(hold[1]);
	waitpid(pid, NULL, 0);
	/* ...but after exec the program is the guest's own. */
	if (pipe(hold))
		return 5;
	pid = fork();
	if (pid == 0) {
		char fd[16];

		close(hold[0]);
		snprintf(fd, sizeof(fd), "%d", hold[1]);
		execl("/proc/self/exe", "escape_test", "--hold", fd,
		      (char *)NULL);
		_exit(99);
	}
	close(hold[1]);
	if (read(hold[0], &c, 1) != 1)
		return 6;
	close(hold[0]);
	status = run_self("--probe-reach", pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return status ? 4 : 0;
}

static int host_reaches_entered(void *arg)
{
	return run_self("--probe-reach", *(pid_t *)arg);
}

TEST(entered_host_process_is_out_of_reach)
{
	pid_t host;

	NEED_VSERVER();
	EXPECT_EQ(0, as_guest(&plain, entered_attack));
	/* The host reaches a process the same way. */
	host = host_sleeper();
	EXPECT_EQ(0, as_host(host_reaches_entered, &host));
	reap(host);
}

/* ---- 3. the admin's terminal ---- */

static int tiocsti_own_tty(void *arg)
{
	char c = 'x';
	int master, slave;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return 100 + errno;
	setsid();
	slave = open(ptsname(master), O_RDWR);
	if (slave < 0)
		return 110 + errno;
	return err(ioctl(slave, TIOCSTI, &c));
}

static int mount_devpts(void)
{
	struct stat st;

	mkdir("/dev/pts", 0755);
	if (!stat("/dev/pts/ptmx", &st))
		return 0;
	return mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
}

TEST(tiocsti_refused_whatever_the_sysctl)
{
	const char *sysctl = "/proc/sys/dev/tty/legacy_tiocsti";
	struct guest g = plain;
	char old[16];

	NEED_VSERVER();
	if (!exists(sysctl) || mount_devpts())
		SKIP(return, "no legacy_tiocsti sysctl or no devpts");
	ASSERT_EQ(0, read_text(sysctl, old, sizeof(old)));
	ASSERT_EQ(0, write_text(sysctl, "1"));
	EXPECT_EQ(EIO, as_guest(&g, tiocsti_own_tty));
	EXPECT_EQ(0, as_host(tiocsti_own_tty, NULL));
	/* VXC_TIOCSTI is the explicit opt-in. */
	g.ccaps |= VXC_TIOCSTI;
	EXPECT_EQ(0, as_guest(&g, tiocsti_own_tty));
	write_text(sysctl, old);
}

/* ---- 4. link breaking cannot be raced into a kernel BUG ---- */

#define COW_FILES	40
#define COW_SIZE	(256 * 1024)
static char cow_dir[64];
static volatile int cow_done;
static int cow_seen;

/* Move every temporary file of link breaking away, as an attacker. */
static void *cow_mover(void *arg)
{
	char from[400], to[400];
	struct dirent *de;
	DIR *d;

	while (!cow_done) {
		d = opendir(cow_dir);
		if (!d)
			break;
		while ((de = readdir(d))) {
			if (strncmp(de->d_name, ".vxcow.", 7))
				continue;
			cow_seen++;
			snprintf(from, sizeof(from), "%s/%s", cow_dir, de->d_name);
			snprintf(to, sizeof(to), "%s/sub/%s", cow_dir, de->d_name);
			rename(from, to);
		}
		closedir(d);
	}
	return NULL;
}

static int cow_race(void *arg)
{
	char path[200], buf[16];
	pthread_t t;
	int i, fd, bad = 0;

	if (pthread_create(&t, NULL, cow_mover, NULL))
		return 100;
	for (i = 0; i < COW_FILES; i++) {
		snprintf(path, sizeof(path), "%s/f%d", cow_dir, i);
		fd = open(path, O_WRONLY | O_APPEND);
		if (fd < 0 || write(fd, "!", 1) != 1)
			bad++;
		if (fd >= 0)
			close(fd);
		/* The guest now has its own copy, the store keeps the data. */
		snprintf(path, sizeof(path), "%s/f%d", cow_dir, i);
		fd = open(path, O_RDONLY);
		if (fd < 0 || pread(fd, buf, 1, COW_SIZE) != 1 || buf[0] != '!')
			bad++;
		if (fd >= 0)
			close(fd);
	}
	cow_done = 1;
	pthread_join(t, NULL);
	if (bad)
		return 101;
	return cow_seen ? 102 : 0;
}

TEST(link_breaking_has_no_temporary_name)
{
	char store[128], path[256];
	static char data[COW_SIZE];
	int i, fd;

	NEED_VSERVER();
	snprintf(cow_dir, sizeof(cow_dir), "/tmp/vx-cow-%d", getpid());
	ASSERT_EQ(0, mkdir(cow_dir, 0755));
	ASSERT_EQ(0, mount("tmpfs", cow_dir, "tmpfs", 0, NULL));
	snprintf(path, sizeof(path), "%s/sub", cow_dir);
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(store, sizeof(store), "%s/store", cow_dir);
	ASSERT_EQ(0, mkdir(store, 0755));
	memset(data, 'v', sizeof(data));
	for (i = 0; i < COW_FILES; i++) {
		char name[200];

		snprintf(path, sizeof(path), "%s/f%d", store, i);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		ASSERT_LE(0, fd);
		ASSERT_EQ(COW_SIZE, write(fd, data, COW_SIZE));
		close(fd);
		ASSERT_EQ(0, vs_set_iattr(path, IATTR_IMMUTABLE | IATTR_IXUNLINK,
					  IATTR_IMMUTABLE | IATTR_IXUNLINK));
		snprintf(name, sizeof(name), "%s/f%d", cow_dir, i);
		ASSERT_EQ(0, link(path, name));
	}
	EXPECT_EQ(0, as_guest(&plain, cow_race));
	/* The shared originals are untouched. */
	snprintf(path, sizeof(path), "%s/f0", store);
	fd = open(path, O_RDONLY);
	EXPECT_LE(0, fd);
	EXPECT_EQ(COW_SIZE, lseek(fd, 0, SEEK_END));
	close(fd);
	umount2(cow_dir, MNT_DETACH);
	rmdir(cow_dir);
}

/* ---- 5. abstract AF_UNIX names ---- */

static int abstract_addr(struct sockaddr_un *sun, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	strcpy(sun->sun_path + 1, name);
	return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static int abstract_listen(const char *name)
{
	struct sockaddr_un sun;
	int len = abstract_addr(&sun, name);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, len) || listen(fd, 4))
		return -1;
	return fd;
}

static int abstract_connect(void *arg)
{
	struct sockaddr_un sun;
	int len = abstract_addr(&sun, arg);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), ret;

	if (fd < 0)
		return 100;
	ret = err(connect(fd, (struct sockaddr *)&sun, len));
	close(fd);
	return ret;
}

static int squat_pipe[2], squat_go[2];

/*
 * Bind the host daemon's name, let a host client connect, and report
 * whether the client came to us: 0 if it did not.
 */
static int abstract_squat(void *arg)
{
	struct pollfd p;
	char c;
	int fd = abstract_listen(arg);

	if (fd < 0)
		return errno;
	if (write(squat_pipe[1], "b", 1) != 1 || read(squat_go[0], &c, 1) != 1)
		return 101;
	p.fd = fd;
	p.events = POLLIN;
	return poll(&p, 1, 100) == 0 ? 0 : 102;
}

TEST(abstract_unix_names_are_per_context)
{
	struct guest g = plain;
	struct pollfd p;
	char name[64], c;
	int hostfd, status;
	pid_t pid;

	NEED_VSERVER();
	snprintf(name, sizeof(name), "vx-escape-%d", getpid());
	hostfd = abstract_listen(name);
	ASSERT_LE(0, hostfd);
	g.arg = name;
	/* A host daemon's name does not exist for a guest... */
	EXPECT_EQ(ECONNREFUSED, as_guest(&g, abstract_connect));
	/* ...a guest binds its own, and host clients still reach the host. */
	ASSERT_EQ(0, pipe(squat_pipe));
	ASSERT_EQ(0, pipe(squat_go));
	pid = fork();
	if (pid == 0)
		_exit(as_guest(&g, abstract_squat));
	ASSERT_EQ(1, read(squat_pipe[0], &c, 1));
	EXPECT_EQ(0, abstract_connect(name));
	p.fd = hostfd;
	p.events = POLLIN;
	EXPECT_EQ(1, poll(&p, 1, 1000));
	ASSERT_EQ(1, write(squat_go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(hostfd);
}

/* ---- 6. module autoloading ---- */

#define MODPROBE_SCRIPT	"/tmp/vx-escape-modprobe"
#define MODPROBE_MARK	"/tmp/vx-escape-modprobe.ran"

/* A socket family that is not built in: the kernel asks modprobe. */
static int unloaded_family(void *arg)
{
	int fd = socket(AF_APPLETALK, SOCK_DGRAM, 0);

	if (fd >= 0)
		close(fd);
	return exists(MODPROBE_MARK);
}

TEST(no_module_autoload_for_guests)
{
	const char *sysctl = "/proc/sys/kernel/modprobe";
	char old[256];
	int fd;

	NEED_VSERVER();
	ASSERT_EQ(0, read_text(sysctl, old, sizeof(old)));
	fd = open(MODPROBE_SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	dprintf(fd, "#!/bin/sh\necho \"$@\" >> %s\n", MODPROBE_MARK);
	close(fd);
	unlink(MODPROBE_MARK);
	ASSERT_EQ(0, write_text(sysctl, MODPROBE_SCRIPT));
	EXPECT_EQ(0, as_guest(&plain, unloaded_family));
	EXPECT_EQ(1, as_host(unloaded_family, NULL));
	write_text(sysctl, old);
	unlink(MODPROBE_MARK);
	unlink(MODPROBE_SCRIPT);
}

/* ---- 7. capabilities in the credentials ---- */

static int status_caps(const char *field, unsigned long long *val)
{
	char line[256];
	size_t len = strlen(field);
	FILE *f = fopen("/proc/self/status", "r");
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':')
			found = sscanf(line + len + 1, "%llx", val) == 1;
	fclose(f);
	return found ? 0 : -1;
}

static int map_page_zero(void *arg)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_FIXED, -1, 0);

	return p == MAP_FAILED ? errno : 0;
}

/* 0 if every capability set of ours lies within the guest's bounds. */
static int caps_bounded(void)
{
	static const char *const sets[] = {
		"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
	};
	unsigned long long v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sets); i++)
		if (status_caps(sets[i], &v) || (v & ~guest_bcaps()))
			return 1 + i;
	return 0;
}

static int cred_sets(void *arg)
{
	return caps_bounded();
}

static int cred_sets_after_exec(void *arg)
{
	return run_self("--caps", 0);
}

/* CapEff 0x1ffffffffff in a guest's /proc/self/status is gone. */
TEST(credentials_are_bounded)
{
	NEED_VSERVER();
	EXPECT_EQ(0, as_guest(&plain, cred_sets));
	EXPECT_EQ(0, as_guest(&plain, cred_sets_after_exec));
	/* The host keeps all it has (the probe can fail). */
	EXPECT_NE(0, as_host(cred_sets, NULL));
}

/*
 * As vserver start makes a guest: the setting-up process creates the
 * context (with every capability in its bounds), narrows the bounds,
 * ends the setup and goes on as the guest.
 */
static int self_made_guest(void *arg)
{
	uint32_t xid = XID_BASE + 8;
	uint64_t flags = VXF_INIT_SET;
	int ret;

	if (vs_ctx_create(xid, &flags) != xid)
		return 100;
	if (vs_set_bcaps(xid, guest_bcaps(), ~0ULL) ||
	    vs_set_cflags(xid, 0, VXF_STATE_SETUP))
		return 101;
	ret = caps_bounded();
	if (ret)
		return ret;
	return map_page_zero(NULL) == EPERM ? 0 : 102;
}

TEST(credentials_are_bounded_when_setup_ends)
{
	NEED_VSERVER();
	EXPECT_EQ(0, as_host(self_made_guest, NULL));
	ctx_gone(XID_BASE + 8, 500);
}

static int bounded_after_setup(void *arg)
{
	int *fds = arg;
	char c;

	/* In the context while it was set up, woken after. */
	if (write(fds[3], "m", 1) != 1 || read(fds[0], &c, 1) != 1)
		return 30;
	return caps_bounded();
}

/* Tasks already in a context when its setup ends are bounded too. */
TEST(credentials_of_members_are_bounded_when_setup_ends)
{
	uint32_t xid = XID_BASE + 7;
	int fds[4], status, hold;
	pid_t member;
	char c;

	NEED_VSERVER();
	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(0, pipe(fds + 2));
	hold = spawn_ctx(xid, VXF_INIT_SET);
	ASSERT_LE(0, hold);
	member = fork();
	if (member == 0) {
		if (vs_ctx_migrate(xid, 0))
			_exit(40);
		_exit(bounded_after_setup(fds));
	}
	ASSERT_EQ(1, read(fds[2], &c, 1));
	ASSERT_EQ(0, vs_set_bcaps(xid, guest_bcaps(), ~0ULL));
	ASSERT_EQ(0, vs_set_cflags(xid, 0, VXF_STATE_SETUP));
	ASSERT_EQ(1, write(fds[1], "g", 1));
	ASSERT_EQ(member, waitpid(member, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(hold);
}

TEST(host_maps_page_zero)
{
	NEED_VSERVER();
	EXPECT_EQ(0, as_host(map_page_zero, NULL));
	EXPECT_EQ(EPERM, as_guest(&plain, map_page_zero));
}

/* ---- 8. disk limits: the guest's project ---- */

#define EXT4_DEV	"/dev/vda"
#define EXT4_MNT	"/mnt/vx-escape"
#define PROJ_DIR	EXT4_MNT "/guest"

/* What a guest would do to leave its project (quota): 0 if it could. */
static int leave_project(void *arg)
{
	struct fsxattr fa;
	int fd = open(PROJ_DIR, O_RDONLY | O_DIRECTORY), flags, ret = 0;

	if (fd < 0)
		return 100;
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa))
		return 101;
	switch ((long)arg) {
	case 0:		/* clear project inheritance (chattr -P) */
		fa.fsx_xflags &= ~FS_XFLAG_PROJINHERIT;
		ret = err(ioctl(fd, FS_IOC_FSSETXATTR, &fa));
		break;
	case 1:		/* move to another project (chattr -p) */
		fa.fsx_projid = 0;
		ret = err(ioctl(fd, FS_IOC_FSSETXATTR, &fa));
		break;
	case 2:		/* the old flags interface */
		if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
			return 102;
		flags &= ~FS_PROJINHERIT_FL;
		ret = err(ioctl(fd, FS_IOC_SETFLAGS, &flags));
		break;
	}
	close(fd);
	return ret;
}

static int set_project(unsigned int projid)
{
	struct fsxattr fa;
	int fd = open(PROJ_DIR, O_RDONLY | O_DIRECTORY), ret;

	if (fd < 0 || ioctl(fd, FS_IOC_FSGETXATTR, &fa))
		return -1;
	fa.fsx_projid = projid;
	fa.fsx_xflags |= FS_XFLAG_PROJINHERIT;
	ret = ioctl(fd, FS_IOC_FSSETXATTR, &fa);
	close(fd);
	return ret;
}

TEST(guest_stays_in_its_project)
{
	struct guest g = plain;
	long how;

	NEED_VSERVER();
	if (!exists(EXT4_DEV))
		SKIP(return, "no ext4 disk %s", EXT4_DEV);
	mkdir("/mnt", 0755);
	mkdir(EXT4_MNT, 0755);
	ASSERT_EQ(0, mount(EXT4_DEV, EXT4_MNT, "ext4", 0, NULL));
	mkdir(PROJ_DIR, 0755);
	if (set_project(XID_BASE)) {
		umount2(EXT4_MNT, MNT_DETACH);
		SKIP(return, "no project ids on %s: %s", EXT4_DEV,
		     strerror(errno));
	}
	for (how = 0; how < 3; how++) {
		g.arg = (void *)how;
		EXPECT_EQ(EINVAL, as_guest(&g, leave_project))
			TH_LOG("way %ld", how);
		EXPECT_EQ(0, as_host(leave_project, (void *)how))
			TH_LOG("way %ld", how);
		ASSERT_EQ(0, set_project(XID_BASE));
	}
	rmdir(PROJ_DIR);
	umount2(EXT4_MNT, MNT_DETACH);
}

/* ---- 9. cgroup v2 ---- */

#define CG	"/sys/fs/cgroup"
#define CG_G	CG "/vx-escape"

static int cgroup_setup(void)
{
	if (!exists(CG "/cgroup.controllers") &&
	    mount("cgroup2", CG, "cgroup2", 0, NULL))
		return -1;
	if (mkdir(CG_G, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

/* As the host, before entering: into our cgroup and its namespace. */
static int cgroup_enter(void *arg)
{
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_text(CG_G "/cgroup.procs", pid))
		return -1;
	return arg ? unshare(CLONE_NEWCGROUP) : 0;
}

struct cg_attack {
	pid_t host;
	int nons;
};

static int cgroup_attack(void *arg)
{
	struct cg_attack *a = arg;
	char pid[16];
	int ret;

	snprintf(pid, sizeof(pid), "%d", getpid());
	/* Leave the guest's cgroup (and its limits) for the root... */
	ret = write_text(CG "/cgroup.procs", pid);
	if (ret != EACCES)
		return 10;
	/* ...raise the limits the host set on it, kill it whole... */
	if (write_text(CG_G "/pids.max", "max") != EACCES)
		return 11;
	if (write_text(CG_G "/cgroup.kill", "1") != EACCES)
		return 12;
	/* ...or pull a host process in. */
	if (mkdir(CG_G "/child", 0755))
		return 13;
	snprintf(pid, sizeof(pid), "%d", a->host);
	ret = write_text(CG_G "/child/cgroup.procs", pid);
	if (ret != ESRCH)
		return 14;
	/* Its own subtree is its own: delegation works. */
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_text(CG_G "/child/cgroup.procs", pid))
		return 15;
	if (mkdir(CG_G "/child/grandchild", 0755) ||
	    rmdir(CG_G "/child/grandchild"))
		return 16;
	if (write_text(CG_G "/cgroup.procs", pid))
		return 17;
	return rmdir(CG_G "/child") ? 18 : 0;
}

static int cgroup_no_ns(void *arg)
{
	return err(mkdir(CG_G "/child", 0755));
}

static int cgroup_host(void *arg)
{
	int ret = write_text(CG_G "/pids.max", "max");

	return ret ?: err(mkdir(CG_G "/child", 0755)) ?:
	       err(rmdir(CG_G "/child"));
}

TEST(cgroup_writes_stay_in_the_guests_subtree)
{
	struct guest g = plain;
	struct cg_attack a;

	NEED_VSERVER();
	if (cgroup_setup())
		SKIP(return, "no cgroup2");
	write_text(CG "/cgroup.subtree_control", "+pids");
	a.host = host_sleeper();
	g.before = cgroup_enter;
	g.arg = &a;
	EXPECT_EQ(0, as_guest(&g, cgroup_attack));
	/* Without a cgroup namespace of its own, a guest changes nothing. */
	g.arg = NULL;
	EXPECT_EQ(EACCES, as_guest(&g, cgroup_no_ns));
	EXPECT_EQ(0, as_host(cgroup_host, NULL));
	reap(a.host);
	rmdir(CG_G);
}

/* ---- 10. pid-addressed calls and host information ---- */

static pid_t target;

static int pid_calls(void *arg)
{
	struct iovec local, remote;
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = target,
	};
	struct __user_cap_data_struct data[2];
	char buf[8];
	void *head;
	size_t len;
	int bad = 0;

	/* Each must fail as for a pid nobody has: ESRCH, no oracle. */
	errno = 0;
	if (getpriority(PRIO_PROCESS, target) != -1 || errno != ESRCH)
		bad |= 1 << 0;
	if (syscall(SYS_capget, &hdr, data) != -1 || errno != ESRCH)
		bad |= 1 << 1;
	if (syscall(SYS_get_robust_list, target, &head, &len) != -1 ||
	    errno != ESRCH)
		bad |= 1 << 2;
	if (perf_open(PERF_COUNT_SW_TASK_CLOCK, target, -1) != -1 ||
	    errno != ESRCH)
		bad |= 1 << 3;
	if (syscall(__NR_pidfd_open, target, 0) != -1 || errno != ESRCH)
		bad |= 1 << 4;
	if (syscall(SYS_kcmp, getpid(), target, KCMP_VM, 0, 0) != -1 ||
	    errno != ESRCH)
		bad |= 1 << 5;
	local.iov_base = buf;
	local.iov_len = sizeof(buf);
	remote.iov_base = &target;
	remote.iov_len = sizeof(buf);
	if (process_vm_readv(target, &local, 1, &remote, 1, 0) != -1 ||
	    errno != ESRCH)
		bad |= 1 << 6;
	if (ptrace(PTRACE_ATTACH, target, 0, 0) != -1 || errno != ESRCH)
		bad |= 1 << 7;
	if (fcntl(0, F_SETOWN, target) != -1 || errno != ESRCH)
		bad |= 1 << 8;
	if (getpgid(target) != -1 || errno != ESRCH)
		bad |= 1 << 9;
	return bad;
}

static int pid_calls_host(void *arg)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = target,
	};
	struct __user_cap_data_struct data[2];
	int fd;

	errno = 0;
	if (getpriority(PRIO_PROCESS, target) == -1 && errno)
		return 1;
	if (syscall(SYS_capget, &hdr, data))
		return 2;
	fd = syscall(__NR_pidfd_open, target, 0);
	if (fd < 0)
		return 3;
	close(fd);
	return 0;
}

TEST(pid_calls_do_not_find_host_processes)
{
	NEED_VSERVER();
	target = host_sleeper();
	ASSERT_LT(0, target);
	EXPECT_EQ(0, as_guest(&plain, pid_calls));
	EXPECT_EQ(0, as_host(pid_calls_host, NULL));
	reap(target);
}

static int own_group(void *arg)
{
	/* Our group's leader is the host's, but we are in it. */
	return err(kill(-getpgrp(), 0)) ?: err(getpriority(PRIO_PGRP, 0));
}

static int host_group_leader(void *arg)
{
	return setpgid(0, 0) ? errno : as_guest(&plain, own_group);
}

/* A guest started in the admin's process group still finds the group. */
TEST(guest_finds_its_own_group_in_a_host_session)
{
	NEED_VSERVER();
	EXPECT_EQ(0, as_host(host_group_leader, NULL));
}

/* 20 - the lowest nice value among uid 0's tasks the caller finds. */
static int user_priority(void *arg)
{
	return 20 - getpriority(PRIO_USER, 0);
}

TEST(per_user_priority_sees_only_the_guest)
{
	pid_t host;

	NEED_VSERVER();
	host = host_sleeper();
	ASSERT_EQ(0, setpriority(PRIO_PROCESS, host, -5));
	EXPECT_EQ(20, as_guest(&plain, user_priority));
	/* The host also finds its kernel threads (nice -20). */
	EXPECT_LE(25, as_host(user_priority, NULL));
	reap(host);
}

static int read_kernel_log(void *arg)
{
	char buf[128];

	return err(klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf)));
}

static int read_dev_kmsg(void *arg)
{
	return closed(open("/dev/kmsg", O_RDONLY | O_NONBLOCK));
}

TEST(kernel_log_needs_ccap_syslog)
{
	struct guest g = plain;

	NEED_VSERVER();
	EXPECT_EQ(EPERM, as_guest(&g, read_kernel_log));
	EXPECT_EQ(EPERM, as_guest(&g, read_dev_kmsg));
	EXPECT_EQ(0, as_host(read_kernel_log, NULL));
	g.ccaps |= VXC_SYSLOG;
	EXPECT_EQ(0, as_guest(&g, read_kernel_log));
}

static int uevent_pipe[2];

/* A uevent listener: 0 if it heard nothing for a while after the go. */
static int uevent_listen(void *arg)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char buf[4096];
	struct pollfd p;
	int fd;

	fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&nl, sizeof(nl)))
		return 100;
	if (write(uevent_pipe[1], "r", 1) != 1)
		return 101;
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, 1000) != 1)
		return 0;
	return recv(fd, buf, sizeof(buf), 0) > 0 ? 1 : 0;
}

static int uevent_round(int guest)
{
	pid_t pid;
	char c;
	int status;

	if (pipe(uevent_pipe))
		return -1;
	pid = fork();
	if (pid == 0)
		_exit(guest ? as_guest(&plain, uevent_listen) :
			      uevent_listen(NULL));
	if (read(uevent_pipe[0], &c, 1) != 1)
		return -1;
	write_text("/sys/class/mem/null/uevent", "change");
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	close(uevent_pipe[0]);
	close(uevent_pipe[1]);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(uevents_do_not_reach_guests)
{
	NEED_VSERVER();
	if (!exists("/sys/class/mem/null/uevent"))
		SKIP(return, "no sysfs");
	EXPECT_EQ(0, uevent_round(1));
	EXPECT_EQ(1, uevent_round(0));
}

/* ---- 11. what a distribution kernel builds in ---- */

static int sysrq_trigger(void *arg)
{
	/* 'h' only prints the help to the kernel log. */
	return write_text("/proc/sysrq-trigger", "h");
}

static int chmod_proc_entry(void *arg)
{
	return err(chmod("/proc/sysrq-trigger", 0222));
}

static int sysfs_write(void *arg)
{
	return write_text("/sys/class/mem/null/uevent", "change");
}

TEST(proc_and_sys_are_read_only)
{
	NEED_VSERVER();
	if (!exists("/proc/sysrq-trigger"))
		SKIP(return, "no CONFIG_MAGIC_SYSRQ");
	EXPECT_EQ(EACCES, as_guest(&plain, sysrq_trigger));
	EXPECT_EQ(0, as_host(sysrq_trigger, NULL));
	EXPECT_EQ(EPERM, as_guest(&plain, chmod_proc_entry));
	EXPECT_EQ(EACCES, as_guest(&plain, sysfs_write));
	EXPECT_EQ(0, as_host(sysfs_write, NULL));
}

static int add_user_key(void *arg)
{
	return err(syscall(SYS_add_key, "user", "vx-escape", "x", 1,
			   KEY_SPEC_USER_KEYRING));
}

static int read_user_keyring(void *arg)
{
	return err(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
			   KEY_SPEC_USER_KEYRING, 0));
}

static int request_a_key(void *arg)
{
	return err(syscall(SYS_request_key, "user", "vx-escape-none", "info",
			   KEY_SPEC_PROCESS_KEYRING));
}

TEST(keyrings_are_the_hosts)
{
	int ret;

	NEED_VSERVER();
	if (syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING,
		    0) < 0 && errno == ENOSYS)
		SKIP(return, "no CONFIG_KEYS");
	EXPECT_EQ(0, as_host(read_user_keyring, NULL));
	EXPECT_EQ(0, as_host(add_user_key, NULL));
	/* Host root's keyring does not exist for a guest's root. */
	ret = as_guest(&plain, read_user_keyring);
	EXPECT_TRUE(ret == EACCES || ret == ENOKEY) TH_LOG("%d", ret);
	ret = as_guest(&plain, add_user_key);
	EXPECT_TRUE(ret == EACCES || ret == ENOKEY) TH_LOG("%d", ret);
	/* No upcall to /sbin/request-key on the host for a guest. */
	EXPECT_EQ(EACCES, as_guest(&plain, request_a_key));
}

static int bpf_map(void *arg)
{
	union bpf_attr attr = {
		.map_type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4,
		.value_size = 4,
		.max_entries = 1,
	};
	return closed(syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));
}

static int new_userfaultfd(void *arg)
{
	return closed(syscall(SYS_userfaultfd, O_CLOEXEC));
}

static int new_io_uring(void *arg)
{
	char params[120] = { 0 };

	return closed(syscall(__NR_io_uring_setup, 4, params));
}

static int cpu_wide_perf(void *arg)
{
	return closed(perf_open(PERF_COUNT_SW_CPU_CLOCK, -1, 0));
}

static int own_task_perf(void *arg)
{
	return closed(perf_open(PERF_COUNT_SW_TASK_CLOCK, 0, -1));
}

static int bpf_map_as_nobody(void *arg)
{
	drop_privileges();
	return bpf_map(arg);
}

TEST(kernel_attack_surfaces_are_closed)
{
	const char *unpriv = "/proc/sys/kernel/unprivileged_bpf_disabled";
	char old[16];

	NEED_VSERVER();
	EXPECT_EQ(0, as_host(bpf_map, NULL));
	EXPECT_EQ(EPERM, as_guest(&plain, bpf_map));
	/* Even where any host user may use bpf(2). */
	if (!read_text(unpriv, old, sizeof(old)) && !write_text(unpriv, "0")) {
		EXPECT_EQ(0, as_host(bpf_map_as_nobody, NULL));
		EXPECT_EQ(EPERM, as_guest(&plain, bpf_map));
		write_text(unpriv, old);
	}
	EXPECT_EQ(0, as_host(new_userfaultfd, NULL));
	EXPECT_EQ(EPERM, as_guest(&plain, new_userfaultfd));
	EXPECT_EQ(0, as_host(new_io_uring, NULL));
	EXPECT_EQ(EPERM, as_guest(&plain, new_io_uring));
	EXPECT_EQ(0, as_host(cpu_wide_perf, NULL));
	EXPECT_EQ(EACCES, as_guest(&plain, cpu_wide_perf));
	/* Its own tasks' events stay. */
	EXPECT_EQ(0, as_guest(&plain, own_task_perf));
}

static int audit_user_message(void *arg)
{
	struct {
		struct nlmsghdr nh;
		char text[64];
	} msg = { 0 };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT), ret;

	if (fd < 0)
		return 100;
	strcpy(msg.text, "vx-escape: forged");
	msg.nh.nlmsg_len = NLMSG_LENGTH(strlen(msg.text) + 1);
	msg.nh.nlmsg_type = AUDIT_FIRST_USER_MSG;
	msg.nh.nlmsg_flags = NLM_F_REQUEST;
	ret = err(sendto(fd, &msg, msg.nh.nlmsg_len, 0,
			 (struct sockaddr *)&kernel, sizeof(kernel)));
	close(fd);
	return ret;
}

TEST(audit_is_the_hosts)
{
	NEED_VSERVER();
	EXPECT_EQ(0, as_host(audit_user_message, NULL));
	EXPECT_EQ(ECONNREFUSED, as_guest(&plain, audit_user_message));
}

static char dev_node[64];

static int open_node(void *arg)
{
	return closed(open(dev_node, O_RDONLY | O_NONBLOCK));
}

/* A device node in the guest's tree: only the harmless ones open. */
TEST(device_nodes_are_allowlisted)
{
	static struct { unsigned int type, maj, min; int denied; } dev[] = {
		{ S_IFCHR, 1, 3, 0 },		/* null */
		{ S_IFCHR, 1, 9, 0 },		/* urandom */
		{ S_IFCHR, 5, 0, 0 },		/* tty */
		{ S_IFCHR, 1, 1, 1 },		/* mem */
		{ S_IFCHR, 1, 11, 1 },		/* kmsg */
		{ S_IFCHR, 5, 1, 1 },		/* the host's console */
		{ S_IFCHR, 4, 64, 1 },		/* ttyS0 */
		{ S_IFCHR, 10, 130, 1 },	/* watchdog */
		{ S_IFBLK, 7, 0, 1 },		/* loop0, without the ccap */
		{ S_IFBLK, 0, 0, 1 },		/* the VM's disk, below */
	};
	struct stat st;
	size_t i;
	int host, guest;

	NEED_VSERVER();
	if (!stat("/dev/vda", &st)) {
		dev[ARRAY_SIZE(dev) - 1].maj = major(st.st_rdev);
		dev[ARRAY_SIZE(dev) - 1].min = minor(st.st_rdev);
	}
	for (i = 0; i < ARRAY_SIZE(dev); i++) {
		snprintf(dev_node, sizeof(dev_node), "/tmp/vx-escape-dev%zu", i);
		unlink(dev_node);
		ASSERT_EQ(0, mknod(dev_node, dev[i].type | 0600,
				   makedev(dev[i].maj, dev[i].min)));
		host = as_host(open_node, NULL);
		guest = as_guest(&plain, open_node);
		if (dev[i].denied) {
			EXPECT_EQ(EPERM, guest)
				TH_LOG("device %u:%u", dev[i].maj, dev[i].min);
		} else {
			EXPECT_EQ(host, guest)
				TH_LOG("device %u:%u", dev[i].maj, dev[i].min);
		}
		/* Devices the VM lacks fail on the host as well. */
		EXPECT_TRUE(host == 0 || host == ENXIO || host == ENODEV)
			TH_LOG("host: %u:%u: %d", dev[i].maj, dev[i].min, host);
		unlink(dev_node);
	}
}

static int mount_fs(void *arg)
{
	char dir[64];
	int ret;

	snprintf(dir, sizeof(dir), "/tmp/vx-escape-mnt-%d", getpid());
	mkdir(dir, 0755);
	ret = err(mount("none", dir, arg, 0, NULL));
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	return ret;
}

static int fsopen_create(void *arg)
{
	int fd = syscall(__NR_fsopen, arg, 0), ret;

	if (fd < 0)
		return errno;
	ret = err(syscall(__NR_fsconfig, fd, FSCONFIG_CMD_CREATE, NULL, NULL,
			  0));
	close(fd);
	return ret;
}

/* A mount namespace of its own (made by the host), where ccaps apply. */
static int private_mounts(void *arg)
{
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/* Filesystems through which root controls the kernel itself. */
static const char *const host_fs[] = { "binfmt_misc", "bpf", "securityfs" };

TEST(secure_mount_mounts_only_safe_filesystems)
{
	struct guest g = plain;
	size_t i;

	NEED_VSERVER();
	g.ccaps |= VXC_SECURE_MOUNT;
	g.unshare = CLONE_NEWNS;
	g.before = private_mounts;
	g.arg = "tmpfs";
	EXPECT_EQ(0, as_guest(&g, mount_fs));
	g.arg = "proc";
	EXPECT_EQ(0, as_guest(&g, mount_fs));
	for (i = 0; i < ARRAY_SIZE(host_fs); i++) {
		g.arg = (void *)host_fs[i];
		EXPECT_EQ(EPERM, as_guest(&g, mount_fs))
			TH_LOG("mount %s", host_fs[i]);
		/* fsopen(2) and fsconfig(2) never pass the sb_mount hook. */
		EXPECT_EQ(EPERM, as_guest(&g, fsopen_create))
			TH_LOG("fsopen %s", host_fs[i]);
		EXPECT_EQ(0, as_host(mount_fs, (void *)host_fs[i]))
			TH_LOG("host mount %s", host_fs[i]);
	}
	/* cgroup2 from the host's cgroup namespace would reset its options. */
	g.arg = "cgroup2";
	EXPECT_EQ(EPERM, as_guest(&g, mount_fs));
}

#define RO_BIND	"/tmp/vx-escape-ro"

/* The host binds a directory read-only into the guest's namespace. */
static int ro_bind(void *arg)
{
	if (private_mounts(NULL) || (mkdir(RO_BIND, 0755) && errno != EEXIST) ||
	    mount(RO_BIND, RO_BIND, NULL, MS_BIND, NULL) ||
	    mount(NULL, RO_BIND, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL))
		return -1;
	return 0;
}

/* Make it writable again: mount(2), mount_setattr(2), fspick(2). */
static int make_writable(void *arg)
{
	struct mount_attr attr = { .attr_clr = MOUNT_ATTR_RDONLY };

	switch ((long)arg) {
	case 0:
		return err(mount(NULL, RO_BIND, NULL, MS_REMOUNT | MS_BIND, NULL));
	case 1:
		return err(syscall(SYS_mount_setattr, AT_FDCWD, RO_BIND, 0,
				   &attr, sizeof(attr)));
	}
	return closed(syscall(SYS_fspick, AT_FDCWD, RO_BIND, 0));
}

TEST(remounts_need_ccap_secure_remount)
{
	struct guest g = plain;
	long how;

	NEED_VSERVER();
	g.unshare = CLONE_NEWNS;
	g.before = ro_bind;
	for (how = 0; how < 3; how++) {
		g.ccaps = GUEST_CCAPS | VXC_SECURE_MOUNT;
		g.arg = (void *)how;
		EXPECT_EQ(EPERM, as_guest(&g, make_writable))
			TH_LOG("way %ld", how);
		g.ccaps |= VXC_SECURE_REMOUNT;
		EXPECT_EQ(0, as_guest(&g, make_writable))
			TH_LOG("way %ld", how);
	}
	rmdir(RO_BIND);
}

static char watched[64];

static int watch_shared(void *arg)
{
	int fd = inotify_init1(IN_CLOEXEC), ret;

	if (fd < 0)
		return 100;
	ret = err(inotify_add_watch(fd, watched, IN_OPEN | IN_ACCESS));
	close(fd);
	return ret;
}

/* A file unified between guests: marks would spy on the other guests. */
TEST(no_watches_on_shared_files)
{
	int fd;

	NEED_VSERVER();
	snprintf(watched, sizeof(watched), "/tmp/vx-escape-shared-%d",
		 getpid());
	fd = open(watched, O_WRONLY | O_CREAT, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, vs_set_iattr(watched, IATTR_IMMUTABLE | IATTR_IXUNLINK,
				  IATTR_IMMUTABLE | IATTR_IXUNLINK));
	EXPECT_EQ(EACCES, as_guest(&plain, watch_shared));
	EXPECT_EQ(0, as_host(watch_shared, NULL));
	vs_set_iattr(watched, 0, IATTR_IMMUTABLE | IATTR_IXUNLINK);
	unlink(watched);
}

/*
 * PTRACE_TRACEME makes the parent the tracer.  A guest task may ask it of
 * a parent on the host or in its own context, never of a parent in
 * another guest, and a host task never of a guest parent (make coverage
 * found that no suite reached this hook).
 */
struct traceme {
	uint32_t parent, child;		/* contexts; 0: the host */
};

static int traceme_in(void *arg)
{
	const struct traceme *t = arg;
	int go[2], status;
	char b;
	pid_t c;

	if (pipe(go))
		return SETUP_FAILED;
	c = fork();
	if (c == 0) {
		close(go[1]);
		if (t->child && vs_ctx_migrate(t->child, 0))
			_exit(SETUP_FAILED + 1);
		if (read(go[0], &b, 1) != 0)	/* the parent has moved */
			_exit(SETUP_FAILED + 2);
		_exit(err(ptrace(PTRACE_TRACEME, 0, 0, 0)));
	}
	close(go[0]);
	if (c < 0 || (t->parent && vs_ctx_migrate(t->parent, 0))) {
		kill(c, SIGKILL);
		return SETUP_FAILED + 3;
	}
	close(go[1]);
	/*
	 * Not waitpid(c): a task that entered from the host is out of the
	 * guest's reach (pid lookups included) until it execs.
	 */
	if (wait(&status) != c)
		return SETUP_FAILED + 4;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

TEST(traceme_only_to_the_host_or_the_same_context)
{
	uint32_t a = XID_BASE + 40, b = XID_BASE + 41;
	int fa, fb;

	NEED_VSERVER();
	fa = spawn_ctx(a, VXF_INIT_SET);
	fb = spawn_ctx(b, VXF_INIT_SET);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	EXPECT_EQ(EPERM, in_child(traceme_in, &(struct traceme){ a, b }));
	EXPECT_EQ(EPERM, in_child(traceme_in, &(struct traceme){ a, 0 }));
	EXPECT_EQ(0, in_child(traceme_in, &(struct traceme){ a, a }));
	EXPECT_EQ(0, in_child(traceme_in, &(struct traceme){ 0, b }));
	EXPECT_EQ(0, in_child(traceme_in, &(struct traceme){ 0, 0 }));
	/* b's holder has a's descriptor too: it goes first. */
	EXPECT_EQ(0, end_ctx(fb, b));
	EXPECT_EQ(0, end_ctx(fa, a));
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--caps"))
		return caps_bounded();
	if (argc == 3 && !strcmp(argv[1], "--probe"))
		return probe_entered(atoi(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "--probe-reach"))
		return probe_reach(atoi(argv[2]));
	/* --hold FD: tell FD that the exec is done, then wait. */
	if (argc == 3 && !strcmp(argv[1], "--hold")) {
		if (write(atoi(argv[2]), "r", 1) != 1)
			return 1;
		for (;;)
			pause();
	}
	return test_harness_run(argc, argv);
}
