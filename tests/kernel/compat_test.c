// SPDX-License-Identifier: GPL-2.0
/*
 * util-vserver compatibility: the calls util-vserver 0.30.215's tools make
 * on the way from `vserver NAME start` to exec, enter and stop, with the
 * arguments they really pass (the "same context" id (u32)-2, implicit
 * padding left uninitialised, a bounding set computed in int arithmetic)
 * and the answers the original kernel gave.  The containment half of each
 * test is an attack that must fail once setup has ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <arpa/inet.h>
#include <signal.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* util-vserver's VC_SAMECTX, as its CTX_USER2KERNEL() passes it. */
#define SAMECTX		((uint32_t)-2)
/* What `vattribute --secure` passes to set_bcaps (bit 31 sign-extends). */
#define UV_SECURE_BCAPS	0xffffffffb44c04ffULL
/* ... and to set_ccaps: ~vc_get_insecureccaps(). */
#define UV_SECURE_CCAPS	(VXC_SET_UTSNAME | VXC_RAW_ICMP | VXC_AUDIT_CONTROL)
/* `vspace --default` */
#define UV_SPACES	(VX_SPACE_FS | VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC)
/* Garbage the way an uninitialised stack slot holds it. */
#define JUNK		0xa5

/* set_space or enter_space v2 as util-vserver calls them: junk padding. */
static int uv_space(uint32_t cmd, uint32_t id, uint64_t mask, uint32_t index)
{
	struct vcmd_space_mask m;

	memset(&m, JUNK, sizeof(m));
	m.mask = mask;
	m.index = index;
	return vsc(cmd, id, &m);
}

#define uv_set_space(id, mask, index)	uv_space(VCMD_set_space, id, mask, index)
#define uv_enter_space(id, mask, index) \
	uv_space(VCMD_enter_space, id, mask, index)

static int uv_set_vhi(uint32_t id, uint32_t field, const char *name)
{
	struct vcmd_vhi_name v;

	memset(&v, JUNK, sizeof(v));
	v.field = field;
	strcpy(v.name, name);
	return vsc(VCMD_set_vhi_name, id, &v);
}

/* 1 if writing @s to @path failed with EACCES/EPERM, 0 if it worked. */
static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, s, strlen(s)) < 0 && (errno == EACCES || errno == EPERM);
	close(fd);
	return ret;
}

static ino_t ns_ino(const char *ns)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	return stat(path, &st) ? 0 : st.st_ino;
}

static int has_cap(int cap)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	return !!(d[cap / 32].effective & (1U << (cap % 32)));
}

/*
 * `vspace --new --default`, `vcontext --create --xid X`, `vspace --set`
 * with the same-context id, `vuname` for the context name and the node
 * name: the start of util-vserver's start sequence, in a child.
 */
static int uv_begin(uint32_t xid)
{
	uint64_t flags = VXF_INIT_SET;

	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC))
		return 100;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return 101;
	if (vs_ctx_create(xid, &flags) != (long)xid)
		return 102;
	if (uv_set_space(SAMECTX, UV_SPACES, 0))
		return 103;
	if (uv_set_vhi(SAMECTX, VHIN_CONTEXT, "/etc/vservers/uv"))
		return 104;
	if (uv_set_vhi(SAMECTX, VHIN_NODENAME, "uv-guest"))
		return 105;
	return 0;
}

static int samectx_child(void *arg)
{
	uint32_t xid = *(uint32_t *)arg;
	struct vcmd_vx_info info;
	struct vcmd_vhi_name v;
	uint64_t flags;
	int ret = uv_begin(xid);

	if (ret)
		return ret;
	/* Every id from 2^31 up names the caller's own context. */
	if (vsc(VCMD_vx_info, SAMECTX, &info) || info.xid != xid)
		return 110;
	if (vsc(VCMD_vx_info, 0x80000000U, &info) || info.xid != xid)
		return 111;
	if (vs_get_cflags(SAMECTX, &flags) || !(flags & VXF_STATE_SETUP))
		return 112;
	/* get_vhi_name: junk padding in, zeroed padding out. */
	memset(&v, JUNK, sizeof(v));
	v.field = VHIN_CONTEXT;
	if (vsc(VCMD_get_vhi_name, SAMECTX, &v) ||
	    strcmp(v.name, "/etc/vservers/uv") || v.pad[0] || v.pad[2])
		return 113;
	return 0;
}

TEST(same_context_id_and_junk_padding)
{
	uint32_t xid = 470;
	struct vcmd_vx_info info;
	char name[65];

	NEED_VSERVER();
	EXPECT_EQ(0, in_child(samectx_child, &xid));
	/* The context ended with its task. */
	EXPECT_EQ(0, ctx_gone(xid, 500));
	/* The host has no context of its own to name. */
	EXPECT_EQ(-ESRCH, vsc(VCMD_vx_info, SAMECTX, &info));
	EXPECT_EQ(-ESRCH, vs_get_vhi_name(SAMECTX, VHIN_CONTEXT, name,
					  sizeof(name)));
	/* ctx_create has no "same" context: -2 is no xid it can make. */
	EXPECT_EQ(-EINVAL, vs_ctx_create(SAMECTX, NULL));
}

static int secure_caps_child(void *arg)
{
	uint32_t xid = *(uint32_t *)arg;
	uint64_t caps;
	int ret = uv_begin(xid);

	if (ret)
		return ret;
	/* vattribute --set --secure: set_ccaps, then set_bcaps. */
	if (vs_set_ccaps(SAMECTX, UV_SECURE_CCAPS, ~0ULL))
		return 120;
	if (vs_set_bcaps(SAMECTX, UV_SECURE_BCAPS, ~0ULL))
		return 121;
	/* Added from inside during setup, not only cleared. */
	if (vs_get_ccaps(SAMECTX, &caps) || caps != UV_SECURE_CCAPS)
		return 122;
	/* Nothing from capability 32 up: the secure set does not widen. */
	if (vs_get_bcaps(SAMECTX, &caps) || caps != 0xb44c04ffULL)
		return 123;
	/* An explicit `bcapabilities` entry does grant one. */
	if (vs_set_bcaps(SAMECTX, 1ULL << CAP_SYSLOG, 1ULL << CAP_SYSLOG) ||
	    vs_get_bcaps(SAMECTX, &caps) || caps != (0xb44c04ffULL |
						     1ULL << CAP_SYSLOG))
		return 124;
	/* Bits past the last capability are ignored, not refused. */
	if (vs_set_bcaps(SAMECTX, 1ULL << 62, 1ULL << 62) ||
	    vs_get_bcaps(SAMECTX, &caps) || (caps >> 62))
		return 125;
	/* ccaps the kernel does not know are still refused. */
	if (vs_set_ccaps(SAMECTX, 1ULL << 40, 1ULL << 40) != -EINVAL)
		return 126;
	return 0;
}

TEST(secure_caps_from_inside_during_setup)
{
	uint32_t xid = 471;

	NEED_VSERVER();
	EXPECT_EQ(0, in_child(secure_caps_child, &xid));
}

/*
 * `vcontext --migrate-self --endsetup --pivot-root`: enter_space index 1
 * (nothing there yet), unshare, pivot_root, set_space NS|FS index 1, end
 * setup; with the secure bounds already set.
 */
static int pivot_child(void *arg)
{
	uint32_t xid = *(uint32_t *)arg;
	uint64_t caps;
	int ret = uv_begin(xid);

	if (ret)
		return ret;
	if (vs_set_bcaps(SAMECTX, UV_SECURE_BCAPS, ~0ULL))
		return 130;
	/*
	 * The guest's root, in a vdir that is a mount (pivot_root cannot
	 * leave the initramfs the test VM runs from: chroot there first).
	 */
	if ((mkdir("/tmp/uvdir", 0755) && errno != EEXIST) ||
	    mount("uvdir", "/tmp/uvdir", "tmpfs", 0, NULL) ||
	    mkdir("/tmp/uvdir/root", 0755) ||
	    mount("uvroot", "/tmp/uvdir/root", "tmpfs", 0, NULL))
		return 131;
	if (chroot("/tmp/uvdir") || chdir("/root"))
		return 133;
	/* Only the host enters spaces: util-vserver falls back to unshare. */
	if (uv_enter_space(SAMECTX, VX_SPACE_NS | VX_SPACE_FS, 1) != -EPERM)
		return 134;
	if (unshare(CLONE_NEWNS))
		return 135;
	if (mkdir("./.oldroot", 0700))
		return 136;
	if (syscall(SYS_pivot_root, ".", "./.oldroot"))
		return 137;
	if (umount2("/.oldroot", MNT_DETACH) || rmdir("/.oldroot"))
		return 138;
	if (uv_set_space(SAMECTX, VX_SPACE_NS | VX_SPACE_FS, 1))
		return 139;
	if (has_cap(CAP_SYS_ADMIN) != 1)
		return 140;
	/* --endsetup */
	if (vs_set_cflags(SAMECTX, 0, VXF_STATE_SETUP))
		return 141;
	/* From here on, the bounds bind: every attack below must fail. */
	if (has_cap(CAP_SYS_ADMIN) != 0)
		return 142;
	if (unshare(CLONE_NEWNS) != -1 || errno != EPERM)
		return 143;
	if (vs_set_bcaps(SAMECTX, ~0ULL, ~0ULL) != -EPERM)
		return 144;
	if (vs_set_ccaps(SAMECTX, VXC_SECURE_MOUNT, VXC_SECURE_MOUNT) != -EPERM)
		return 145;
	if (vs_get_bcaps(SAMECTX, &caps) || caps != 0xb44c04ffULL)
		return 146;
	if (mount("x", "/", "tmpfs", 0, NULL) != -1)
		return 147;
	return 0;
}

TEST(setup_keeps_own_caps_until_endsetup)
{
	uint32_t xid = 472;

	NEED_VSERVER();
	EXPECT_EQ(0, in_child(pivot_child, &xid));
	/* The host's own view: the same steps without a context work. */
	EXPECT_EQ(1, has_cap(CAP_SYS_ADMIN));
}

/* A persistent guest holding the default spaces, the util-vserver way. */
static int subset_guest(void *arg)
{
	uint32_t xid = *(uint32_t *)arg;
	int ret = uv_begin(xid);

	if (ret)
		return ret;
	if (sethostname("uv-guest", 8))
		return 150;
	if (vs_set_cflags(SAMECTX, VXF_PERSISTENT, VXF_PERSISTENT))
		return 151;
	/* --migrate-self --chroot --namespace: set_space NS|FS again. */
	if (uv_set_space(SAMECTX, VX_SPACE_NS | VX_SPACE_FS, 0))
		return 152;
	return 0;
}

static uint32_t subset_xid = 473;

/* `vspace --enter X --uts`: the node name only. */
static int enter_uts(void *arg)
{
	ino_t mnt = ns_ino("mnt");
	struct utsname u;

	if (uv_enter_space(subset_xid, VX_SPACE_UTS, 0))
		return 160;
	if (uname(&u) || strcmp(u.nodename, "uv-guest"))
		return 161;
	return ns_ino("mnt") == mnt ? 0 : 162;
}

/* `vspace --enter X --mount --fs`: the mounts and root only. */
static int enter_mount(void *arg)
{
	const char *host = arg;
	ino_t mnt = ns_ino("mnt");
	struct utsname u;

	if (uv_enter_space(subset_xid, VX_SPACE_NS | VX_SPACE_FS, 0))
		return 170;
	if (uname(&u) || strcmp(u.nodename, host))
		return 171;
	return ns_ino("mnt") != mnt ? 0 : 172;
}

TEST(enter_space_takes_subsets)
{
	struct utsname host;
	char name[65];

	NEED_VSERVER();
	ASSERT_EQ(0, uname(&host));
	ASSERT_EQ(0, in_child(subset_guest, &subset_xid));
	/* set_space NS|FS kept the UTS namespace stored before. */
	ASSERT_EQ(0, vs_get_vhi_name(subset_xid, VHIN_NODENAME, name,
				     sizeof(name)));
	EXPECT_STREQ("uv-guest", name);
	EXPECT_EQ(0, in_child(enter_uts, NULL));
	EXPECT_EQ(0, in_child(enter_mount, host.nodename));
	/* Nothing that is not stored. */
	EXPECT_EQ(-EINVAL, uv_enter_space(subset_xid, VX_SPACE_NET, 0));
	EXPECT_EQ(-ENOENT, uv_enter_space(subset_xid, VX_SPACE_UTS, 1));
	/* The host itself is unchanged by all this. */
	ASSERT_EQ(0, uname(&host));
	EXPECT_STRNE("uv-guest", host.nodename);
	vs_set_cflags(subset_xid, 0, VXF_PERSISTENT);
	EXPECT_EQ(0, ctx_gone(subset_xid, 500));
}

/*
 * The whole of `vserver NAME start`, `exec`, `status` and `stop` as
 * util-vserver 0.30.215 runs them (scripts/vserver.start and the tools it
 * calls), system call by system call, in its order.
 */
#define SEQ_XID		475
#define SEQ_CFGDIR	"/etc/vservers/uvseq"

struct seq_start {
	int ready[2];	/* the guest's init says it runs */
	int hold[2];	/* it waits here until stopped */
	char root[64];	/* the guest's root directory */
};

static int uv_start_seq(void *arg)
{
	struct seq_start *st = arg;
	struct vcmd_net_addr_ipv4_v1 addr;
	struct vcmd_ctx_rlimit lim;
	uint64_t flags = NXF_STATE_SETUP | NXF_STATE_ADMIN | NXF_HIDE_NETIF;
	char c = 1;

	/* chbind --secure --ip 10.77.0.75/24: ncontext, nattribute, naddress */
	if (vs_net_create(SEQ_XID, &flags) != SEQ_XID)
		return 200;
	if (vs_set_ncaps(SAMECTX, NXC_RAW_ICMP, NXC_RAW_ICMP))
		return 201;
	memset(&addr, JUNK, sizeof(addr));
	addr.type = NXA_TYPE_ADDR;
	addr.flags = 0;
	addr.ip = htonl(0x0a4d004b);
	addr.mask = htonl(0xffffff00);
	if (vsc(VCMD_net_add_ipv4_v1, SAMECTX, &addr))
		return 202;
	/* vspace --new --default; vcontext --create --xid; vspace --set */
	if (uv_begin(SEQ_XID))
		return 203;
	/* vlimit: the implicit padding after the id is junk as well */
	memset(&lim, JUNK, sizeof(lim));
	lim.id = RLIMIT_NPROC;
	lim.minimum = CRLIM_KEEP;
	lim.softlimit = 5000;
	lim.maximum = 5000;
	if (vsc(VCMD_set_rlimit, SAMECTX, &lim))
		return 204;
	/* vuname --set -t context=CFGDIR */
	if (uv_set_vhi(SAMECTX, VHIN_CONTEXT, SEQ_CFGDIR))
		return 205;
	/* vattribute --set --secure --flag default */
	if (vs_set_ccaps(SAMECTX, UV_SECURE_CCAPS, ~0ULL) ||
	    vs_set_bcaps(SAMECTX, UV_SECURE_BCAPS, ~0ULL))
		return 206;
	if (vs_set_cflags(SAMECTX, VXF_VIRT_UPTIME | VXF_SC_HELPER |
			  VXF_HIDE_NETIF, VXF_VIRT_UPTIME | VXF_SC_HELPER |
			  VXF_HIDE_NETIF))
		return 207;
	/* vcontext --migrate-self --endsetup --chroot --namespace --initpid */
	if (chdir(st->root) || chroot("."))
		return 208;
	if (uv_set_space(SAMECTX, VX_SPACE_NS | VX_SPACE_FS, 0))
		return 209;
	if (vs_set_cflags(SAMECTX, 0, VXF_STATE_INIT | VXF_STATE_SETUP))
		return 210;
	/* The guest's init runs now; it stays within the secure bounds. */
	if (has_cap(CAP_SYS_ADMIN) != 0 || has_cap(CAP_CHOWN) != 1)
		return 211;
	if (write(st->ready[1], &c, 1) != 1)
		return 212;
	while (read(st->hold[0], &c, 1) > 0)
		;
	return 0;
}

/* `vserver uvseq exec`: vspace --enter X --default --mount --fs, then
 * vcontext --migrate --chroot --xid X. */
static int uv_exec(void *arg)
{
	struct utsname u;
	struct stat st;

	if (uv_enter_space(SEQ_XID, UV_SPACES | VX_SPACE_NS | VX_SPACE_FS, 0))
		return 220;
	if (chroot("."))
		return 221;
	if (vs_net_migrate(SEQ_XID) || vs_ctx_migrate(SEQ_XID, 0))
		return 222;
	if (vs_task_xid(0) != SEQ_XID || vs_task_nid(0) != SEQ_XID)
		return 223;
	if (uname(&u) || strcmp(u.nodename, "uv-guest"))
		return 224;
	/* In the guest's root: the marker file the test left there. */
	if (stat("/uvseq-root", &st))
		return 225;
	/* Entering does not bring the host's powers along. */
	if (has_cap(CAP_SYS_ADMIN) != 0 || unshare(CLONE_NEWNS) == 0)
		return 226;
	return 0;
}

TEST(util_vserver_start_exec_stop)
{
	struct seq_start st = { .root = "/tmp/uvseq" };
	struct vcmd_virt_stat vs;
	struct vcmd_wait_exit we;
	char name[65], marker[96], c;
	int status;
	pid_t pid;

	NEED_VSERVER();
	ASSERT_EQ(0, pipe(st.ready));
	ASSERT_EQ(0, pipe(st.hold));
	mkdir(st.root, 0755);
	snprintf(marker, sizeof(marker), "%s/uvseq-root", st.root);
	ASSERT_LE(0, close(open(marker, O_CREAT | O_WRONLY, 0644)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(st.ready[0]);
		close(st.hold[1]);
		_exit(uv_start_seq(&st));
	}
	close(st.ready[1]);
	close(st.hold[0]);
	if (read(st.ready[0], &c, 1) != 1) {
		waitpid(pid, &status, 0);
		ASSERT_EQ(0, WEXITSTATUS(status));
	}
	/* vserver status: running, and the context names this guest. */
	EXPECT_EQ(1, proc_field("/proc/virtual/475/status", "Tasks"));
	ASSERT_EQ(0, vs_get_vhi_name(SEQ_XID, VHIN_CONTEXT, name, sizeof(name)));
	EXPECT_STREQ(SEQ_CFGDIR, name);
	/* vserver-stat: the UPTIME column. */
	ASSERT_EQ(0, vsc(VCMD_virt_stat, SEQ_XID, &vs));
	EXPECT_LT(0, vs.uptime);
	EXPECT_EQ(1, vs.nr_threads);
	/* vserver exec */
	EXPECT_EQ(0, in_child(uv_exec, NULL));
	/* vserver stop: vattribute --flag !SC_HELPER, vkill -s INT -- 1, vwait */
	EXPECT_EQ(0, vs_set_cflags(SEQ_XID, 0, VXF_SC_HELPER));
	EXPECT_EQ(0, vs_ctx_kill(SEQ_XID, 1, SIGINT));
	EXPECT_EQ(0, vs_wait_exit(SEQ_XID, &we));
	waitpid(pid, &status, 0);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
	EXPECT_EQ(0, ctx_gone(SEQ_XID, 500));
	close(st.hold[1]);
	unlink(marker);
}

/* ---- configuration entries: umask, badness, dlimits ---- */

static int umask_child(void *arg)
{
	uint32_t xid = 476;
	uint64_t flags = VXF_INIT_SET;
	struct vcmd_umask um = { .umask = 0x20200, .mask = ~0ULL };

	if (vs_ctx_create(xid, &flags) != xid)
		return 1;
	if (vs_set_ccaps(SAMECTX, VXC_NAMESPACE, VXC_NAMESPACE) ||
	    vs_set_bcaps(SAMECTX, UV_SECURE_BCAPS, ~0ULL))
		return 2;
	/* util-vserver's default umask: fs,newns ("fs" grants nothing). */
	if (vsc(VCMD_set_umask, SAMECTX, &um))
		return 3;
	um.umask = CLONE_NEWUTS;
	um.mask = CLONE_NEWUTS;
	if (vsc(VCMD_set_umask, SAMECTX, &um))
		return 4;
	um.umask = 1ULL << 40;
	um.mask = ~0ULL;
	if (vsc(VCMD_set_umask, SAMECTX, &um) != -EINVAL)
		return 5;
	if (vsc(VCMD_get_umask, SAMECTX, &um) ||
	    um.umask != (0x20200 | CLONE_NEWUTS))
		return 6;
	if (vs_set_cflags(SAMECTX, 0, VXF_STATE_SETUP))
		return 7;
	/* Now a guest: what the umask names, and nothing else. */
	if (unshare(CLONE_NEWUTS) || unshare(CLONE_NEWNS))
		return 8;
	if (unshare(CLONE_NEWNET) != -1 || errno != EPERM)
		return 9;
	if (unshare(CLONE_NEWIPC) != -1 || errno != EPERM)
		return 10;
	if (unshare(CLONE_NEWUTS | CLONE_NEWPID) != -1 || errno != EPERM)
		return 11;
	/* No more changes after setup. */
	um.umask = ~0ULL;
	um.mask = ~0ULL;
	return vsc(VCMD_set_umask, SAMECTX, &um) == -EPERM ? 0 : 12;
}

static int host_unshare_net(void *arg)
{
	return unshare(CLONE_NEWNET) ? 1 : 0;
}

TEST(umask_limits_what_namespace_ccap_creates)
{
	NEED_VSERVER();
	EXPECT_EQ(0, in_child(umask_child, NULL));
	/* The host needs no umask. */
	EXPECT_EQ(0, in_child(host_unshare_net, NULL));
}

/* The oom_score_adj of @pid, or -99999 if it cannot be read. */
static long oom_adj(pid_t pid)
{
	char path[64];
	long adj;

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	return read_long(path, &adj) ? -99999 : adj;
}

static int badness_child(void *arg)
{
	int *adj = arg;

	/* Root without SYS_RESOURCE/OOM_ADJUST cannot go below the floor. */
	if (vs_set_bcaps(477, UV_SECURE_BCAPS, ~0ULL) ||
	    vs_set_cflags(477, 0, VXF_STATE_SETUP) || vs_ctx_migrate(477, 0))
		return 1;
	if (oom_adj(getpid()) != *adj)
		return 2;
	return write_str("/proc/self/oom_score_adj", "-1000") ? 0 : 3;
}

TEST(badness_is_the_oom_score_adj)
{
	struct vcmd_badness b = { .bias = 500 };
	pid_t pid;
	int fd, adj = 500;

	NEED_VSERVER();
	fd = spawn_ctx_pid(477, VXF_INIT_SET, &pid);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vsc(VCMD_get_badness, 477, &b));
	EXPECT_EQ(0, b.bias);
	b.bias = 500;
	ASSERT_EQ(0, vsc(VCMD_set_badness, 477, &b));
	/* The process in the context, and one that enters later. */
	EXPECT_EQ(500, oom_adj(pid));
	EXPECT_EQ(0, in_child(badness_child, &adj));
	b.bias = -5000;
	ASSERT_EQ(0, vsc(VCMD_set_badness, 477, &b));
	ASSERT_EQ(0, vsc(VCMD_get_badness, 477, &b));
	EXPECT_EQ(-1000, b.bias);
	EXPECT_EQ(-1000, oom_adj(pid));
	/* The host is untouched. */
	EXPECT_EQ(0, oom_adj(getpid()));
	drop_privileges();
	EXPECT_EQ(-EPERM, vsc(VCMD_set_badness, 477, &b));
	close(fd);
}

#define DL_MNT	"/mnt/compat-dlimit"

/* Mount the ext4 image with project quotas beside this binary at DL_MNT. */
static int dl_mount(void)
{
	char exe[256], cmd[768];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	snprintf(cmd, sizeof(cmd),
		 "img=%s/vdlimit-ext4.img.gz; [ -f $img ] || exit 1; "
		 "gunzip -c $img > /tmp/compat-dl.img && mkdir -p " DL_MNT
		 " && loop=$(losetup -f) && losetup $loop /tmp/compat-dl.img"
		 " && mount -t ext4 -o prjquota $loop " DL_MNT, exe);
	return system(cmd) ? -1 : 0;
}

static void dl_umount(void)
{
	if (system("loop=$(awk '$2 == \"" DL_MNT "\" { print $1 }' "
		   "/proc/mounts); umount " DL_MNT " && losetup -d $loop; "
		   "rm -f /tmp/compat-dl.img"))
		return;
}

static int dl(uint32_t cmd, uint32_t xid, const char *path, uint32_t space,
	      uint32_t inodes, struct vcmd_ctx_dlimit *out)
{
	struct vcmd_ctx_dlimit d;
	long ret;

	memset(&d, JUNK, sizeof(d));
	d.name = (uintptr_t)path;
	d.space_total = space;
	d.inodes_total = inodes;
	ret = vsc(cmd, xid, &d);
	if (ret)
		return ret;
	if (out)
		*out = d;
	return 0;
}

static int dl_guest(void *arg)
{
	struct vcmd_ctx_dlimit d;

	if (vs_ctx_migrate(478, 0))
		return 1;
	/* A guest reads its own limits, no other's, and changes none. */
	if (dl(VCMD_get_dlimit, SAMECTX, DL_MNT, 0, 0, &d) ||
	    d.space_total != 1024)
		return 2;
	if (dl(VCMD_get_dlimit, 4479, DL_MNT, 0, 0, &d) != -EPERM)
		return 4;
	return dl(VCMD_set_dlimit, SAMECTX, DL_MNT, CDLIM_INFINITY,
		  CDLIM_INFINITY, NULL) == -EPERM ? 0 : 3;
}

TEST(dlimits_are_project_quotas)
{
	struct vcmd_ctx_dlimit_base base = { .name = (uintptr_t)DL_MNT };
	struct vcmd_ctx_dlimit d = { 0 };
	struct fsxattr fa;
	int fd, ctx;

	NEED_VSERVER();
	if (dl_mount())
		SKIP(return, "no ext4 image with project quotas, or no loop");
	ctx = spawn_ctx(478, VXF_INIT_SET);
	ASSERT_LE(0, ctx);
	/* util-vserver's vdlimit: add, set, get, remove. */
	EXPECT_EQ(0, vsc(VCMD_add_dlimit, 478, &base));
	EXPECT_EQ(0, dl(VCMD_set_dlimit, 478, DL_MNT, 1024, 20, NULL));
	/* A tree in the guest's project is charged. */
	ASSERT_EQ(0, mkdir(DL_MNT "/g", 0755));
	fd = open(DL_MNT "/g", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, FS_IOC_FSGETXATTR, &fa));
	fa.fsx_projid = 478;
	fa.fsx_xflags |= FS_XFLAG_PROJINHERIT;
	ASSERT_EQ(0, ioctl(fd, FS_IOC_FSSETXATTR, &fa));
	close(fd);
	ASSERT_LE(0, close(open(DL_MNT "/g/f", O_CREAT | O_WRONLY, 0644)));
	ASSERT_EQ(0, dl(VCMD_get_dlimit, 478, DL_MNT, 0, 0, &d));
	EXPECT_EQ(1024, d.space_total);
	EXPECT_EQ(20, d.inodes_total);
	EXPECT_EQ(2, d.inodes_used);
	EXPECT_EQ(0, d.reserved);
	/* CDLIM_KEEP leaves a limit alone. */
	EXPECT_EQ(0, dl(VCMD_set_dlimit, 478, DL_MNT, CDLIM_KEEP, 30, NULL));
	ASSERT_EQ(0, dl(VCMD_get_dlimit, 478, DL_MNT, 0, 0, &d));
	EXPECT_EQ(1024, d.space_total);
	EXPECT_EQ(30, d.inodes_total);
	EXPECT_EQ(0, in_child(dl_guest, NULL));
	/* Bad input changes nothing. */
	EXPECT_EQ(-ENOENT, dl(VCMD_set_dlimit, 478, DL_MNT "/none", 1, 1,
			      NULL));
	EXPECT_EQ(-EOPNOTSUPP, dl(VCMD_get_dlimit, 478, "/proc", 0, 0, NULL));
	EXPECT_EQ(-EFAULT, dl(VCMD_get_dlimit, 478, BAD_PTR, 0, 0, NULL));
	EXPECT_EQ(-EINVAL, dl(VCMD_set_dlimit, 0, DL_MNT, 1, 1, NULL));
	EXPECT_EQ(-EINVAL, dl(VCMD_get_dlimit, 1, DL_MNT, 0, 0, NULL));
	ASSERT_EQ(0, dl(VCMD_get_dlimit, 478, DL_MNT, 0, 0, &d));
	EXPECT_EQ(1024, d.space_total);
	/* A guest that does not run: util-vserver sets limits before start. */
	EXPECT_EQ(0, dl(VCMD_set_dlimit, 4479, DL_MNT, 2048, CDLIM_KEEP, NULL));
	ASSERT_EQ(0, dl(VCMD_get_dlimit, 4479, DL_MNT, 0, 0, &d));
	EXPECT_EQ(2048, d.space_total);
	EXPECT_EQ(CDLIM_INFINITY, d.inodes_total);
	EXPECT_EQ(0, vsc(VCMD_rem_dlimit, 4479, &base));
	/* Removed: no limits. */
	EXPECT_EQ(0, vsc(VCMD_rem_dlimit, 478, &base));
	ASSERT_EQ(0, dl(VCMD_get_dlimit, 478, DL_MNT, 0, 0, &d));
	EXPECT_EQ(CDLIM_INFINITY, d.space_total);
	EXPECT_EQ(CDLIM_INFINITY, d.inodes_total);
	close(ctx);
	unlink(DL_MNT "/g/f");
	rmdir(DL_MNT "/g");
	dl_umount();
}

/* A guest after setup, against the new commands: each must fail. */
static int new_commands_guest(void *arg)
{
	struct vcmd_badness b = { .bias = -1000 };
	struct vcmd_umask um = { .umask = CLONE_NEWNET, .mask = ~0ULL };
	struct vcmd_virt_stat vs;

	if (vs_set_cflags(480, 0, VXF_STATE_SETUP) || vs_ctx_migrate(480, 0))
		return 1;
	if (vsc(VCMD_set_badness, SAMECTX, &b) != -EPERM)
		return 2;
	if (vsc(VCMD_set_umask, SAMECTX, &um) != -EPERM)
		return 3;
	/* Another context does not exist for it... */
	if (vsc(VCMD_virt_stat, 479, &vs) != -ESRCH ||
	    vsc(VCMD_get_umask, 479, &um) != -ESRCH ||
	    vsc(VCMD_get_badness, 479, &b) != -ESRCH)
		return 4;
	/* ... its own does. */
	return vsc(VCMD_virt_stat, SAMECTX, &vs) ? 5 : 0;
}

TEST(new_commands_from_a_guest)
{
	struct vcmd_badness b = { .bias = -1000 };
	struct vcmd_virt_stat vs;
	int a, g;

	NEED_VSERVER();
	a = spawn_ctx(479, VXF_INIT_SET);
	ASSERT_LE(0, a);
	g = spawn_ctx(480, VXF_INIT_SET);
	ASSERT_LE(0, g);
	EXPECT_EQ(0, in_child(new_commands_guest, NULL));
	/* The host reaches both. */
	EXPECT_EQ(0, vsc(VCMD_virt_stat, 479, &vs));
	EXPECT_EQ(0, vsc(VCMD_set_badness, 480, &b));
	EXPECT_EQ(-EFAULT, vsc(VCMD_virt_stat, 479, BAD_PTR));
	EXPECT_EQ(-ESRCH, vsc(VCMD_virt_stat, 4481, &vs));
	close(a);
	close(g);
}

TEST_HARNESS_MAIN
