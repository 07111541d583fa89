// SPDX-License-Identifier: GPL-2.0
/*
 * Context capabilities: each VXC_* bit gives a guest's root exactly its
 * own operation back, and only inside the guest's own namespaces.
 *
 * Every case runs in a child that makes private mount and UTS namespaces
 * (as the host), mounts a scratch tmpfs and a devpts instance, then
 * creates a context whose bounds lack CAP_SYS_ADMIN, CAP_SYS_RESOURCE and
 * CAP_SYSLOG and whose ccaps are the ones under test, and runs every
 * probe: a probe must succeed iff its ccap was given.
 *
 * The quota probe needs the VM's ext4 disk (/dev/vda, mounted by the
 * fixture); the loop probes use device nodes the fixture makes for
 * /dev/loop-control and a free loop device.  The device-mapper control
 * device (VXC_ADMIN_MAPPER) is not in the test kernel: only KUnit's
 * vserver_ccap suite covers which ioctls need that ccap.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/quota.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/resource.h>
#include <sys/xattr.h>
#include <linux/capability.h>
#include <linux/loop.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define XID_BASE	9100
#define EXT4_DEV	"/dev/vda"

#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd 443
#endif

static char dir[64];
/* The fixture mounted EXT4_DEV on dir/q; found a free loop device. */
static int have_quota_fs;
static int have_loop;

static int mkpath(char *buf, size_t len, const char *leaf)
{
	return snprintf(buf, len, "%s/%s", dir, leaf) >= (int)len ? -1 : 0;
}

/* 0: allowed; 1: refused with EPERM, EACCES or EIO; else -errno. */
static int verdict(int ret)
{
	if (ret == 0)
		return 0;
	if (errno == EPERM || errno == EACCES || errno == EIO)
		return 1;
	return -errno;
}

static int try_utsname(void)
{
	return verdict(sethostname("ccap", 4));
}

static int try_rlimit(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return -errno;
	r.rlim_max += 1;
	return verdict(setrlimit(RLIMIT_NOFILE, &r));
}

static int try_syslog(void)
{
	/* SYSLOG_ACTION_SIZE_UNREAD: always a restricted action. */
	return verdict(klogctl(9, NULL, 0) < 0 ? -1 : 0);
}

static int try_secure_mount(void)
{
	char mnt[96];
	int ret;

	mkpath(mnt, sizeof(mnt), "mnt");
	ret = verdict(mount("none", mnt, "tmpfs", 0, NULL));
	if (ret == 0)
		umount(mnt);
	return ret;
}

static int try_secure_remount(void)
{
	char t[96];

	mkpath(t, sizeof(t), "t");
	return verdict(mount(NULL, t, NULL, MS_REMOUNT, NULL));
}

static int try_binary_mount(void)
{
	char mnt[96];
	int ret;

	/* Allowed, a character device is not a block device: ENOTBLK. */
	mkpath(mnt, sizeof(mnt), "mnt");
	ret = mount("/dev/null", mnt, "ext4", MS_NODEV, NULL);
	if (ret == 0) {
		umount(mnt);
		return -EEXIST;
	}
	return errno == ENOTBLK ? 0 : verdict(ret);
}

static int try_tiocsti(void)
{
	char path[96];
	int master, slave, n, unlock = 0, ret;
	char c = 'x';

	mkpath(path, sizeof(path), "pts/ptmx");
	master = open(path, O_RDWR | O_NOCTTY);
	if (master < 0)
		return -errno;
	if (ioctl(master, TIOCSPTLCK, &unlock) || ioctl(master, TIOCGPTN, &n)) {
		close(master);
		return -errno;
	}
	snprintf(path, sizeof(path), "%s/pts/%d", dir, n);
	slave = open(path, O_RDWR | O_NOCTTY);
	if (slave < 0) {
		close(master);
		return -errno;
	}
	/* Not our controlling terminal: needs CAP_SYS_ADMIN or the ccap. */
	ret = verdict(ioctl(slave, TIOCSTI, &c));
	close(slave);
	close(master);
	return ret;
}

static int try_oom_adjust(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	int ret;

	/* After setuid() the file belongs to root: refused at open. */
	if (fd < 0)
		return verdict(-1);
	ret = verdict(write(fd, "-500", 4) == 4 ? 0 : -1);
	close(fd);
	return ret;
}

static int try_xattr(const char *name)
{
	char f[96];

	mkpath(f, sizeof(f), "t/f");
	return verdict(setxattr(f, name, "1", 1, 0));
}

static int try_fs_trusted(void)
{
	return try_xattr("trusted.vstest");
}

static int try_fs_security(void)
{
	return try_xattr("security.vstest");
}

static int try_namespace(void)
{
	return verdict(unshare(CLONE_NEWIPC));
}

static int try_quota_ctl(void)
{
	struct dqblk dq;
	char q[96];
	int fd, ret;

	mkpath(q, sizeof(q), "q");
	fd = open(q, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	/* Another user's quota; ESRCH: allowed, but quotas are off. */
	ret = syscall(__NR_quotactl_fd, fd, QCMD(Q_GETQUOTA, USRQUOTA), 4321,
		      &dq);
	if (ret < 0 && errno == ESRCH)
		ret = 0;
	ret = verdict(ret);
	close(fd);
	return ret;
}

static int try_loop_ctl(void)
{
	char path[96];
	int fd, ret;

	mkpath(path, sizeof(path), "loop-control");
	fd = open(path, O_RDWR);
	if (fd < 0)
		return verdict(-1);
	ret = verdict(ioctl(fd, LOOP_CTL_GET_FREE) < 0 ? -1 : 0);
	close(fd);
	return ret;
}

/* Bind the loop device to a file and release it again. */
static int try_loop_setup(void)
{
	struct loop_info64 info;
	char path[96];
	int fd, back, ret;

	mkpath(path, sizeof(path), "loop");
	fd = open(path, O_RDWR);
	if (fd < 0)
		return verdict(-1);
	/* Reading the state is no setup: never refused. */
	if (ioctl(fd, LOOP_GET_STATUS64, &info) == 0 || errno != ENXIO) {
		close(fd);
		return -EEXIST;
	}
	mkpath(path, sizeof(path), "back");
	back = open(path, O_RDWR);
	if (back < 0) {
		close(fd);
		return -errno;
	}
	ret = verdict(ioctl(fd, LOOP_SET_FD, back));
	if (ret == 0 && ioctl(fd, LOOP_CLR_FD))
		ret = -errno;
	close(back);
	close(fd);
	return ret;
}

struct probe {
	uint64_t ccap;
	int (*fn)(void);
	const char *name;
	const int *avail;	/* NULL: always; else run if *avail */
};

static const struct probe probes[] = {
	{ VXC_SET_UTSNAME, try_utsname, "sethostname", NULL },
	{ VXC_SET_RLIMIT, try_rlimit, "raise hard rlimit", NULL },
	{ VXC_SYSLOG, try_syslog, "syslog", NULL },
	{ VXC_SECURE_MOUNT, try_secure_mount, "mount tmpfs", NULL },
	{ VXC_SECURE_REMOUNT, try_secure_remount, "remount", NULL },
	{ VXC_BINARY_MOUNT, try_binary_mount, "mount ext4", NULL },
	{ VXC_TIOCSTI, try_tiocsti, "TIOCSTI", NULL },
	{ VXC_OOM_ADJUST, try_oom_adjust, "lower oom_score_adj", NULL },
	{ VXC_FS_TRUSTED, try_fs_trusted, "trusted.* xattr", NULL },
	{ VXC_FS_SECURITY, try_fs_security, "security.* xattr", NULL },
	{ VXC_NAMESPACE, try_namespace, "unshare", NULL },
	{ VXC_QUOTA_CTL, try_quota_ctl, "quotactl_fd Q_GETQUOTA",
	  &have_quota_fs },
	{ VXC_ADMIN_CLOOP, try_loop_ctl, "LOOP_CTL_GET_FREE", &have_loop },
	{ VXC_ADMIN_CLOOP, try_loop_setup, "LOOP_SET_FD", &have_loop },
};

#define N_PROBES (sizeof(probes) / sizeof(probes[0]))

struct guest {
	uint64_t ccaps;
	int private_uts;	/* own UTS namespace */
	int private_mnt;	/* own mount namespace */
	int as_nobody;		/* drop to uid 65534 in the guest */
	uint32_t xid;
};

/* As the host: namespaces, scratch mounts; then enter a bounded guest. */
static int enter_guest(const struct guest *g)
{
	uint64_t drop = 1ULL << CAP_SYS_ADMIN | 1ULL << CAP_SYS_RESOURCE |
			1ULL << CAP_SYSLOG;
	struct rlimit nofile = { 256, 256 };
	char path[96];

	/* A finite hard limit that only a privileged caller may raise. */
	if (setrlimit(RLIMIT_NOFILE, &nofile))
		return 89;
	if (unshare((g->private_mnt ? CLONE_NEWNS : 0) |
		    (g->private_uts ? CLONE_NEWUTS : 0)))
		return 90;
	if (g->private_mnt && mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 91;
	mkpath(path, sizeof(path), "t");
	if (mount("none", path, "tmpfs", 0, NULL))
		return 92;
	mkpath(path, sizeof(path), "t/f");
	if (close(open(path, O_CREAT | O_WRONLY, 0644)))
		return 93;
	mkpath(path, sizeof(path), "pts");
	if (mount("devpts", path, "devpts", 0, "newinstance,ptmxmode=0666"))
		return 94;
	/*
	 * Only the host may add ccaps: a helper creates the context, we set
	 * it up from outside and then join it.
	 */
	if (spawn_ctx(g->xid, VXF_INIT_SET) < 0)
		return 95;
	if (vs_set_bcaps(g->xid, ((1ULL << (CAP_LAST_CAP + 1)) - 1) & ~drop,
			 ~0ULL))
		return 96;
	if (vs_set_ccaps(g->xid, g->ccaps, ~0ULL))
		return 97;
	/* What VXC_NAMESPACE may create: try_namespace()'s IPC namespace. */
	if (vsc(VCMD_set_umask, g->xid,
		&(struct vcmd_umask){ .umask = CLONE_NEWIPC, .mask = ~0ULL }))
		return 97;
	if (vs_set_cflags(g->xid, 0, VXF_STATE_SETUP))
		return 88;
	if (vs_ctx_migrate(g->xid, 0))
		return 98;
	if (g->as_nobody && (setgid(65534) || setuid(65534)))
		return 99;
	return 0;
}

/*
 * In the guest: 0 if every probe did the right thing (succeeded iff its
 * ccap was given and the caller is root), else 1 + the index of the first
 * probe that did not; the failing step (88..99) if the setup failed.
 */
static int run_probes(void *arg)
{
	const struct guest *g = arg;
	unsigned int i;
	int ret;

	ret = enter_guest(g);
	if (ret)
		return ret;
	for (i = 0; i < N_PROBES; i++) {
		int want = !g->as_nobody && (g->ccaps & probes[i].ccap) ? 0 : 1;

		if (probes[i].avail && !*probes[i].avail)
			continue;
		if (probes[i].fn() != want)
			return 1 + i;
	}
	return 0;
}

/*
 * As the host: nodes for /dev/loop-control and a free loop device in
 * dir, and a 64 KiB file to back it.
 */
static int setup_loop(void)
{
	char path[96];
	int fd, n;

	mkpath(path, sizeof(path), "loop-control");
	if (mknod(path, S_IFCHR | 0600, makedev(10, 237)))
		return -1;
	fd = open(path, O_RDWR);
	if (fd < 0)
		return -1;
	n = ioctl(fd, LOOP_CTL_GET_FREE);
	close(fd);
	if (n < 0)
		return -1;
	mkpath(path, sizeof(path), "loop");
	if (mknod(path, S_IFBLK | 0600, makedev(7, n)))
		return -1;
	mkpath(path, sizeof(path), "back");
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	if (fd < 0)
		return -1;
	n = ftruncate(fd, 65536);
	close(fd);
	return n;
}

FIXTURE(ccap) {
};

FIXTURE_SETUP(ccap)
{
	char path[96];

	snprintf(dir, sizeof(dir), "/tmp/vs-ccap-%d", getpid());
	ASSERT_EQ(0, mkdir(dir, 0755));
	mkpath(path, sizeof(path), "t");
	ASSERT_EQ(0, mkdir(path, 0755));
	mkpath(path, sizeof(path), "mnt");
	ASSERT_EQ(0, mkdir(path, 0755));
	mkpath(path, sizeof(path), "pts");
	ASSERT_EQ(0, mkdir(path, 0755));
	mkpath(path, sizeof(path), "q");
	ASSERT_EQ(0, mkdir(path, 0755));
	have_quota_fs = !mount(EXT4_DEV, path, "ext4", 0, NULL);
	have_loop = setup_loop() == 0;
}

FIXTURE_TEARDOWN(ccap)
{
	char path[96];

	mkpath(path, sizeof(path), "t");
	rmdir(path);
	mkpath(path, sizeof(path), "mnt");
	rmdir(path);
	mkpath(path, sizeof(path), "pts");
	rmdir(path);
	mkpath(path, sizeof(path), "q");
	if (have_quota_fs)
		umount(path);
	rmdir(path);
	mkpath(path, sizeof(path), "loop-control");
	unlink(path);
	mkpath(path, sizeof(path), "loop");
	unlink(path);
	mkpath(path, sizeof(path), "back");
	unlink(path);
	rmdir(dir);
}

/* Names what a run_probes() status points at. */
static void explain(struct __test_metadata *_metadata, int status)
{
	if (status >= 88 && status <= 99)
		TH_LOG("guest setup failed at step %d", status);
	else if (status > 0 && status <= (int)N_PROBES)
		TH_LOG("wrong result: %s", probes[status - 1].name);
	else if (status)
		TH_LOG("child status %d", status);
}

TEST_F(ccap, no_ccap_refuses_every_probe)
{
	struct guest g = { .ccaps = 0, .private_uts = 1, .private_mnt = 1,
			   .xid = XID_BASE };
	int status;

	NEED_VSERVER();
	ASSERT_EQ(0, getuid());
	status = in_child(run_probes, &g);
	explain(_metadata, status);
	EXPECT_EQ(0, status);
}

/* The host is not restricted; the probes' devices are there. */
TEST_F(ccap, host_root_may_use_quota_and_loop_devices)
{
	NEED_VSERVER();
	if (!have_quota_fs)
		SKIP(return, "no ext4 on " EXT4_DEV ": no quota probe");
	if (!have_loop)
		SKIP(return, "no free loop device: no loop probes");
	EXPECT_EQ(0, try_quota_ctl());
	EXPECT_EQ(0, try_loop_ctl());
	EXPECT_EQ(0, try_loop_setup());
}

TEST_F(ccap, each_ccap_allows_exactly_its_operation)
{
	unsigned int i;

	NEED_VSERVER();
	ASSERT_EQ(0, getuid());
	for (i = 0; i < N_PROBES; i++) {
		struct guest g = { .ccaps = probes[i].ccap, .private_uts = 1,
				   .private_mnt = 1, .xid = XID_BASE + 1 + i };
		int status = in_child(run_probes, &g);

		if (status)
			TH_LOG("with the ccap for %s:", probes[i].name);
		explain(_metadata, status);
		EXPECT_EQ(0, status);
	}
}

static int host_uts_refused(void *arg)
{
	struct guest g = { .ccaps = VXC_SET_UTSNAME, .private_mnt = 1,
			   .xid = XID_BASE + 40 };

	if (enter_guest(&g))
		return 2;
	/* The host's UTS namespace stays the host's. */
	return try_utsname() == 1 ? 0 : 1;
}

static int host_mnt_refused(void *arg)
{
	struct guest g = { .ccaps = VXC_SECURE_MOUNT | VXC_SECURE_REMOUNT,
			   .private_uts = 1, .xid = XID_BASE + 41 };

	if (enter_guest(&g))
		return 4;
	return (try_secure_mount() == 1 ? 0 : 1) |
	       (try_secure_remount() == 1 ? 0 : 2);
}

TEST_F(ccap, ccaps_never_reach_the_hosts_namespaces)
{
	char path[96];

	NEED_VSERVER();
	EXPECT_EQ(0, in_child(host_uts_refused, NULL));
	EXPECT_EQ(0, in_child(host_mnt_refused, NULL));
	/* host_mnt_refused mounted in the host's namespace: clean up. */
	mkpath(path, sizeof(path), "pts");
	umount(path);
	mkpath(path, sizeof(path), "t");
	umount(path);
}

TEST_F(ccap, ccaps_are_for_the_guests_root_only)
{
	struct guest g = { .private_uts = 1, .private_mnt = 1, .as_nobody = 1,
			   .xid = XID_BASE + 42 };
	unsigned int i;
	int status;

	NEED_VSERVER();
	for (i = 0; i < N_PROBES; i++)
		g.ccaps |= probes[i].ccap;
	status = in_child(run_probes, &g);
	explain(_metadata, status);
	EXPECT_EQ(0, status);
}

TEST_HARNESS_MAIN
