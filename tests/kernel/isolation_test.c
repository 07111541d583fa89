// SPDX-License-Identifier: GPL-2.0
/*
 * Process isolation and bounded root, proved from both sides: a guest
 * cannot see or touch the host's or another guest's processes, the host
 * sees and reaches everything, the spectator sees everything and touches
 * nothing; capabilities outside a context's bounding set are refused even
 * to root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <linux/reboot.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define ALL_CAPS ((1ULL << (CAP_LAST_CAP + 1)) - 1)

/* A host process that sleeps until killed; returns its pid. */
static pid_t host_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static int alive(pid_t pid)
{
	return kill(pid, 0) == 0;
}

static int proc_has(pid_t pid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%d", pid);
	return exists(path);
}

/* Is @pid listed by readdir(/proc)? */
static int proc_lists(pid_t pid)
{
	struct dirent *de;
	int found = 0;
	DIR *d = opendir("/proc");

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (atoi(de->d_name) == pid)
			found = 1;
	closedir(d);
	return found;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

TEST(guest_cannot_see_host_tasks)
{
	pid_t host;

	NEED_VSERVER();
	host = host_sleeper();
	ASSERT_LT(0, host);
	ASSERT_EQ(200, vs_ctx_create(200, NULL));
	EXPECT_EQ(-1, kill(host, 0));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, kill(1, SIGTERM));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_FALSE(proc_has(host));
	EXPECT_FALSE(proc_has(1));
	EXPECT_EQ(0, proc_lists(1));
	EXPECT_EQ(0, proc_lists(host));
	EXPECT_EQ(1, proc_lists(getpid()));
	EXPECT_TRUE(proc_has(getpid()));
	EXPECT_EQ(-1, getpgid(host));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, getsid(1));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, sched_getscheduler(host));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, setpriority(PRIO_PROCESS, host, 5));
	EXPECT_EQ(-1, syscall(SYS_ioprio_get, 1, host));
	EXPECT_EQ(-1, ptrace(PTRACE_ATTACH, host, 0, 0));
	EXPECT_TRUE(errno == EPERM || errno == ESRCH);
	EXPECT_EQ(-1, prlimit(host, RLIMIT_NOFILE, NULL,
			      &(struct rlimit){ 0 }));
	EXPECT_EQ(ESRCH, errno);
	/* Its own tasks are fine. */
	EXPECT_EQ(0, kill(getpid(), 0));
	EXPECT_EQ(0, setpriority(PRIO_PROCESS, 0, 1));
}

TEST(host_sees_and_signals_guests)
{
	pid_t guest;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx_pid(201, VXF_INIT_SET, &guest);
	ASSERT_LE(0, fd);
	EXPECT_EQ(201, vs_task_xid(guest));
	EXPECT_TRUE(alive(guest));
	EXPECT_TRUE(proc_has(guest));
	EXPECT_EQ(1, proc_lists(guest));
	EXPECT_EQ(0, setpriority(PRIO_PROCESS, guest, 2));
	EXPECT_EQ(0, kill(guest, SIGKILL));
	EXPECT_EQ(0, end_ctx(fd, 201));
}

TEST(guests_cannot_see_each_other)
{
	pid_t other;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx_pid(202, VXF_INIT_SET, &other);
	ASSERT_LE(0, fd);
	ASSERT_EQ(203, vs_ctx_create(203, NULL));
	EXPECT_EQ(-1, kill(other, 0));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_EQ(-1, kill(other, SIGKILL));
	EXPECT_EQ(ESRCH, errno);
	EXPECT_FALSE(proc_has(other));
	EXPECT_EQ(0, proc_lists(other));
	EXPECT_EQ(-ESRCH, vs_task_xid(other));
	EXPECT_EQ(-1, ptrace(PTRACE_ATTACH, other, 0, 0));
	close(fd);
}

static int kill_all_in_guest(void *arg)
{
	pid_t kids[3];
	int i, status, killed = 0;

	if (vs_ctx_create(204, NULL) != 204)
		return 100;
	for (i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			for (;;)
				pause();
		}
	}
	if (kill(-1, SIGKILL))
		return 101;
	for (i = 0; i < 3; i++)
		if (waitpid(kids[i], &status, 0) == kids[i] &&
		    WIFSIGNALED(status))
			killed++;
	return killed;
}

TEST(kill_minus_one_stays_inside)
{
	pid_t host, other;
	int fd;

	NEED_VSERVER();
	host = host_sleeper();
	ASSERT_LT(0, host);
	fd = spawn_ctx_pid(205, VXF_INIT_SET, &other);
	ASSERT_LE(0, fd);
	/* All three children of the guest die... */
	EXPECT_EQ(3, in_child(kill_all_in_guest, NULL));
	/* ...and nothing outside it. */
	EXPECT_TRUE(alive(host));
	EXPECT_TRUE(alive(other));
	EXPECT_TRUE(alive(1));
	EXPECT_TRUE(alive(getppid()));
	reap(host);
	EXPECT_EQ(0, end_ctx(fd, 205));
}

TEST(proc_virtual_shows_a_guest_its_own_context_only)
{
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(206, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	/* The host sees every context (and caches the dentries). */
	EXPECT_TRUE(exists("/proc/virtual/206/status"));
	EXPECT_EQ(1, dir_lists("/proc/virtual", "206"));
	ASSERT_EQ(207, vs_ctx_create(207, NULL));
	EXPECT_TRUE(exists("/proc/virtual/207/status"));
	EXPECT_EQ(1, dir_lists("/proc/virtual", "207"));
	EXPECT_TRUE(exists("/proc/virtual/info"));
	EXPECT_EQ(1, dir_lists("/proc/virtual", "status"));
	/* Not the other guest's, though the host just looked it up. */
	EXPECT_FALSE(exists("/proc/virtual/206"));
	EXPECT_FALSE(exists("/proc/virtual/206/status"));
	EXPECT_EQ(0, dir_lists("/proc/virtual", "206"));
	/* Its own context only. */
	EXPECT_EQ(1, dir_lists("/proc/virtual", "#"));
	close(fd);
}

/* In a new guest: does /proc/virtual/216 exist? */
static int guest_sees_216(void *arg)
{
	if (vs_ctx_create(217, NULL) != 217)
		return 2;
	return exists("/proc/virtual/216");
}

/*
 * A guest looking up an entry hidden from it, whose dentry the host has
 * cached, must not invalidate it: that would detach what the host
 * mounted there.
 */
TEST(proc_virtual_guest_leaves_host_mounts)
{
	int fd, ret;

	NEED_VSERVER();
	fd = spawn_ctx(216, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mount("vstest", "/proc/virtual/216", "tmpfs", 0, NULL));
	close(open("/proc/virtual/216/mark", O_CREAT | O_WRONLY, 0600));
	ASSERT_TRUE(exists("/proc/virtual/216/mark"));
	ret = in_child(guest_sees_216, NULL);
	/* Still mounted for the host. */
	EXPECT_TRUE(exists("/proc/virtual/216/mark"));
	umount2("/proc/virtual/216", MNT_DETACH);
	EXPECT_EQ(0, ret);
	close(fd);
}

static int spectator_lists(void *arg)
{
	if (vs_ctx_migrate(VX_ID_SPECTATOR, 0))
		return 2;
	return exists("/proc/virtual/208/status") &&
	       dir_lists("/proc/virtual", "208") == 1 ? 0 : 1;
}

TEST(proc_virtual_shows_the_spectator_every_context)
{
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(208, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, in_child(spectator_lists, NULL));
	EXPECT_EQ(0, end_ctx(fd, 208));
}

static int hidden_guest_sees(void *arg)
{
	uint64_t hide = *(uint64_t *)arg, flags = VXF_INIT_SET | hide;
	uint32_t xid = hide == VXF_HIDE_VINFO ? 209 : 210;
	char own[32];

	if (vs_ctx_create(xid, &flags) != (long)xid)
		return 100;
	snprintf(own, sizeof(own), "/proc/virtual/%u", xid);
	/* The directory is there, empty; nothing in it can be found. */
	return (exists("/proc/virtual") ? 0 : 1) |
	       (dir_lists("/proc/virtual", "*") == 0 ? 0 : 2) |
	       (exists(own) ? 4 : 0) |
	       (exists("/proc/virtual/info") ? 8 : 0) |
	       (exists("/proc/virtual/status") ? 16 : 0) |
	       /* Nor its own context in /proc/self/status. */
	       (proc_field("/proc/self/status", "VxID") == -1 ? 0 : 32) |
	       (proc_field("/proc/self/status", "NxID") == -1 ? 0 : 64) |
	       (proc_field("/proc/self/status", "Pid") > 0 ? 0 : 128);
}

TEST(proc_virtual_hides_everything_with_hide_vinfo)
{
	uint64_t hide_vinfo = VXF_HIDE_VINFO, info_hide = VXF_INFO_HIDE;

	NEED_VSERVER();
	ASSERT_TRUE(exists("/proc/virtual/info"));
	EXPECT_EQ(0, in_child(hidden_guest_sees, &hide_vinfo));
	EXPECT_EQ(0, in_child(hidden_guest_sees, &info_hide));
}

/* The host still reads the context of a hidden guest's task. */
TEST(host_sees_the_vxid_of_a_hidden_guest)
{
	char path[64];
	pid_t pid;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx_pid(213, VXF_INIT_SET | VXF_HIDE_VINFO, &pid);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	EXPECT_EQ(213, proc_field(path, "VxID"));
	EXPECT_EQ(0, end_ctx(fd, 213));
}

TEST(spectator_sees_but_cannot_touch)
{
	pid_t host;

	NEED_VSERVER();
	host = host_sleeper();
	ASSERT_LT(0, host);
	ASSERT_EQ(0, vs_ctx_migrate(VX_ID_SPECTATOR, 0));
	EXPECT_TRUE(proc_has(host));
	EXPECT_EQ(1, proc_lists(host));
	EXPECT_EQ(0, kill(host, 0));
	EXPECT_EQ(-1, kill(host, SIGTERM));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, setpriority(PRIO_PROCESS, host, 3));
	EXPECT_EQ(-1, ptrace(PTRACE_ATTACH, host, 0, 0));
	EXPECT_TRUE(alive(host));
}

TEST(bcaps_default_and_commands)
{
	struct vcmd_bcaps b = { .bcaps = 1ULL << 62, .bmask = 1ULL << 62 };
	uint64_t caps;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(206, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vs_get_bcaps(206, &caps));
	EXPECT_EQ(ALL_CAPS, caps);
	/* Bits past the last capability are ignored (util-vserver sets some). */
	EXPECT_EQ(0, vsc(VCMD_set_bcaps, 206, &b));
	ASSERT_EQ(0, vs_get_bcaps(206, &caps));
	EXPECT_EQ(ALL_CAPS, caps);
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_bcaps, 206, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_bcaps, 206, NULL));
	EXPECT_EQ(-ESRCH, vs_get_bcaps(4244, &caps));
	/* Tools pass bmask ~0: the bits beyond the last cap are ignored. */
	ASSERT_EQ(0, vs_set_bcaps(206, 1ULL << CAP_KILL, ~0ULL));
	ASSERT_EQ(0, vs_get_bcaps(206, &caps));
	EXPECT_EQ(1ULL << CAP_KILL, caps);
	/* The host may give capabilities back. */
	ASSERT_EQ(0, vs_set_bcaps(206, ALL_CAPS, ALL_CAPS));
	ASSERT_EQ(0, vs_get_bcaps(206, &caps));
	EXPECT_EQ(ALL_CAPS, caps);
	EXPECT_EQ(0, end_ctx(fd, 206));
}

TEST(ccaps_commands)
{
	uint64_t caps;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(207, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vs_get_ccaps(207, &caps));
	EXPECT_EQ(0, caps);
	ASSERT_EQ(0, vs_set_ccaps(207, VXC_SET_UTSNAME | VXC_SECURE_MOUNT,
				  ~0ULL));
	ASSERT_EQ(0, vs_get_ccaps(207, &caps));
	EXPECT_EQ(VXC_SET_UTSNAME | VXC_SECURE_MOUNT, caps);
	EXPECT_EQ(-EINVAL, vs_set_ccaps(207, 1ULL << 40, 1ULL << 40));
	EXPECT_EQ(-EINVAL, vs_set_ccaps(207, 0x40, 0x40));
	ASSERT_EQ(0, vs_get_ccaps(207, &caps));
	EXPECT_EQ(VXC_SET_UTSNAME | VXC_SECURE_MOUNT, caps);
	EXPECT_EQ(0, end_ctx(fd, 207));
}

TEST(guest_setup_sets_caps_until_it_ends)
{
	uint64_t caps;

	NEED_VSERVER();
	ASSERT_EQ(208, vs_ctx_create(208, NULL));
	ASSERT_EQ(0, vs_set_bcaps(208, 0, 1ULL << CAP_SYS_MODULE));
	ASSERT_EQ(0, vs_get_bcaps(208, &caps));
	EXPECT_EQ(ALL_CAPS & ~(1ULL << CAP_SYS_MODULE), caps);
	/* The setting-up task is the host's: it may add, as util-vserver does. */
	ASSERT_EQ(0, vs_set_bcaps(208, ALL_CAPS, ALL_CAPS));
	ASSERT_EQ(0, vs_get_bcaps(208, &caps));
	EXPECT_EQ(ALL_CAPS, caps);
	ASSERT_EQ(0, vs_set_bcaps(208, 0, 1ULL << CAP_SYS_MODULE));
	ASSERT_EQ(0, vs_set_ccaps(208, VXC_SET_UTSNAME, VXC_SET_UTSNAME));
	ASSERT_EQ(0, vs_get_ccaps(208, &caps));
	EXPECT_EQ(VXC_SET_UTSNAME, caps);
	/* Setup still works after dropping SYS_ADMIN from the bounds. */
	ASSERT_EQ(0, vs_set_bcaps(208, 0, 1ULL << CAP_SYS_ADMIN));
	ASSERT_EQ(0, vs_set_cflags(208, 0, VXF_STATE_SETUP));
	/* After setup nothing changes any more, least of all upwards. */
	EXPECT_EQ(-EPERM, vs_set_bcaps(208, ALL_CAPS, ALL_CAPS));
	EXPECT_EQ(-EPERM, vs_set_bcaps(208, 0, 1ULL << CAP_KILL));
	EXPECT_EQ(-EPERM, vs_set_ccaps(208, 0, VXC_SET_UTSNAME));
}

TEST(unprivileged_cannot_set_caps)
{
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(209, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	drop_privileges();
	EXPECT_EQ(-EPERM, vs_set_bcaps(209, 0, ~0ULL));
	EXPECT_EQ(-EPERM, vs_set_ccaps(209, 0, ~0ULL));
	close(fd);
}

/* Operations that need exactly one capability each, harmless in the VM. */
static int try_net_raw(void)
{
	int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (s < 0)
		return -errno;
	close(s);
	return 0;
}

static int try_mknod(void)
{
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/tmp/vs-null-%d", getpid());
	ret = mknod(path, S_IFCHR | 0600, makedev(1, 3)) ? -errno : 0;
	unlink(path);
	return ret;
}

static int try_sys_time(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return settimeofday(&tv, NULL) ? -errno : 0;
}

static int try_sys_boot(void)
{
	/* Only changes what Ctrl-Alt-Del does; needs CAP_SYS_BOOT. */
	return reboot(RB_DISABLE_CAD) ? -errno : 0;
}

static int try_sys_admin(void)
{
	/* Remounting / read-write needs CAP_SYS_ADMIN. */
	return mount(NULL, "/", NULL, MS_REMOUNT, NULL) ? -errno : 0;
}

static int try_sys_module(void)
{
	/* Without CAP_SYS_MODULE: EPERM; with it: a bad image. */
	return syscall(SYS_init_module, NULL, 0, "") ? -errno : 0;
}

static int try_chroot(void)
{
	return chroot("/") ? -errno : 0;
}

struct probe {
	int cap;
	int (*fn)(void);
	const char *name;
};

static const struct probe probes[] = {
	{ CAP_NET_RAW, try_net_raw, "raw socket" },
	{ CAP_MKNOD, try_mknod, "mknod" },
	{ CAP_SYS_TIME, try_sys_time, "settimeofday" },
	{ CAP_SYS_BOOT, try_sys_boot, "reboot" },
	{ CAP_SYS_ADMIN, try_sys_admin, "mount" },
	{ CAP_SYS_MODULE, try_sys_module, "init_module" },
	{ CAP_SYS_CHROOT, try_chroot, "chroot" },
};

#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

/* In a new context without @drop in its bounds, run every probe. */
static int probe_without(void *arg)
{
	int drop = *(int *)arg;
	unsigned int i;
	int bad = 0;

	if (vs_ctx_create(210, NULL) != 210)
		return 100;
	if (vs_set_bcaps(210, 0, 1ULL << drop))
		return 101;
	if (vs_set_cflags(210, 0, VXF_STATE_SETUP))
		return 102;
	for (i = 0; i < N_PROBES; i++) {
		int ret = probes[i].fn();

		if (probes[i].cap == drop && ret != -EPERM)
			bad |= 1 << i;	/* must be refused */
		if (probes[i].cap != drop && ret == -EPERM)
			bad |= 1 << i;	/* must not be refused */
	}
	return bad;
}

TEST(each_bcap_guards_exactly_its_operation)
{
	unsigned int i;

	NEED_VSERVER();
	ASSERT_EQ(0, getuid());
	for (i = 0; i < N_PROBES; i++) {
		int cap = probes[i].cap;

		EXPECT_EQ(0, in_child(probe_without, &cap))
			TH_LOG("without %s: probes wrong: mask 0x%x", probes[i].name,
			       in_child(probe_without, &cap));
	}
}

static int secure_guest_refuses_all(void *arg)
{
	unsigned int i;
	int bad = 0;

	if (vs_ctx_create(211, NULL) != 211)
		return 100;
	if (vs_set_bcaps(211, 1ULL << CAP_CHOWN | 1ULL << CAP_KILL, ~0ULL))
		return 101;
	if (vs_set_cflags(211, 0, VXF_STATE_SETUP))
		return 102;
	for (i = 0; i < N_PROBES; i++)
		if (probes[i].cap != CAP_SYS_CHROOT && probes[i].fn() != -EPERM)
			bad |= 1 << i;
	return bad;
}

TEST(root_in_bounded_guest_is_refused)
{
	NEED_VSERVER();
	EXPECT_EQ(0, in_child(secure_guest_refuses_all, NULL));
}

TEST(entering_a_context_bounds_the_task)
{
	unsigned long long bnd = 0, eff = 0;
	char line[128];
	FILE *f;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(212, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vs_set_bcaps(212, 0, 1ULL << CAP_NET_RAW));
	ASSERT_EQ(0, vs_ctx_migrate(212, 0));
	f = fopen("/proc/self/status", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "CapBnd:\t%llx", &bnd);
		sscanf(line, "CapEff:\t%llx", &eff);
	}
	fclose(f);
	EXPECT_EQ(0, bnd & (1ULL << CAP_NET_RAW));
	EXPECT_EQ(0, eff & (1ULL << CAP_NET_RAW));
	EXPECT_NE(0, bnd & (1ULL << CAP_KILL));
	EXPECT_EQ(-EPERM, try_net_raw());
	close(fd);
}

/* Arrange SIGKILL by SIGIO to @target, then trigger it. */
static int sigio_kill(pid_t target)
{
	int fds[2];

	if (pipe(fds))
		return -1;
	if (fcntl(fds[0], F_SETOWN, target) ||
	    fcntl(fds[0], F_SETSIG, SIGKILL) ||
	    fcntl(fds[0], F_SETFL, O_ASYNC | O_NONBLOCK))
		return -1;
	if (write(fds[1], "x", 1) != 1)
		return -1;
	close(fds[0]);
	close(fds[1]);
	return 0;
}

static int guest_sigio(void *arg)
{
	if (vs_ctx_create(214, NULL) != 214)
		return 100;
	/* F_SETOWN does not find the host's pid. */
	if (!sigio_kill(*(pid_t *)arg))
		return 101;
	return errno == ESRCH ? 0 : 102;
}

TEST(sigio_stays_inside)
{
	pid_t host;
	int status;

	NEED_VSERVER();
	host = host_sleeper();
	ASSERT_LT(0, host);
	/* From a guest, SIGIO does not reach the host process... */
	ASSERT_EQ(0, in_child(guest_sigio, &host));
	usleep(100000);
	EXPECT_TRUE(alive(host));
	/* ...while the same from the host does (the probe works). */
	ASSERT_EQ(0, sigio_kill(host));
	ASSERT_EQ(host, waitpid(host, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
}

static int userns_setup(void *arg)
{
	if (vs_ctx_create(215, NULL) != 215)
		return 100;
	if (setgid(65534) || setuid(65534))
		return 101;
	/* A user namespace gives full capabilities -- in that namespace. */
	if (unshare(CLONE_NEWUSER))
		return 102;
	if (vs_set_cflags(215, 0, VXF_STATE_SETUP) != -EPERM)
		return 103;
	if (vs_set_bcaps(215, 0, 1ULL << CAP_KILL) != -EPERM)
		return 104;
	return 0;
}

TEST(user_namespace_root_cannot_set_up_the_context)
{
	NEED_VSERVER();
	EXPECT_EQ(0, in_child(userns_setup, NULL));
}

TEST_HARNESS_MAIN
