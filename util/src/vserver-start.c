// SPDX-License-Identifier: GPL-2.0
/*
 * vserver NAME start | stop | restart, and the kernel's reboot helper.
 *
 * start is a table of steps, each with its undo; a failing step undoes
 * the ones before it in reverse, so a failed start leaves no context,
 * address, cgroup or run directory behind.  The guest itself is set up by
 * a child: new namespaces (spaces), its mounts (fstab, /proc, a minimal
 * /dev with /dev/pts), pivot_root into the guest's root, a context with
 * the configured xid holding those namespaces, uname, capabilities and
 * flags, after it joined a network context (nid = xid) holding the
 * guest's addresses.  It then waits for the host side to apply the
 * per-xid settings (resource limits, scheduler bucket) before it becomes
 * the guest's init, so the init never runs unlimited.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/capability.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"
#include "vserver.h"

/* Flags every guest gets (util-vserver's "default" plus memory/load). */
#define GUEST_FLAGS	(VXF_VIRT_MEM | VXF_VIRT_UPTIME | VXF_VIRT_LOAD | \
			 VXF_SC_HELPER | VXF_HIDE_NETIF)
#define GUEST_CCAPS	(VXC_SET_UTSNAME | VXC_RAW_ICMP | VXC_AUDIT_CONTROL)
/* Network contexts as chbind + nattribute --secure make them. */
#define GUEST_NFLAGS	NXF_INIT_SET
#define GUEST_NCAPS	NXC_RAW_ICMP
#define STOP_TIMEOUT	30
#define HELPER_SYSCTL	"/proc/sys/kernel/vshelper"

struct start {
	struct cli *cli;
	struct vs_guest *g;
	bool dry_run;
	int ready_fd;		/* guest -> host: 'R', then 'E' + error or EOF */
	int go_fd;		/* host -> guest: 'G' */
	pid_t setup_pid;
	int naddr;		/* interfaces added so far */
	bool made_cgroup;
	bool network;		/* the guest gets network context xid */
	uint64_t nflags;	/* its flags at creation */
	struct vs_net_addr net[VS_MAX_IFACES];
};

struct start_step {
	const char *name;
	int (*apply)(struct start *s);
	void (*undo)(struct start *s);
};

static void step_note(struct start *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void step_note(struct start *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->cli->verbose && !s->dry_run)
		return;
	printf("%s: ", s->dry_run ? "would" : s->g->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ---- step: checks ---- */

static int step_check(struct start *s)
{
	struct vs_guest *g = s->g;
	struct vcmd_vx_info info;
	struct stat st;
	long ver;

	if (stat(g->vdir, &st) || !S_ISDIR(st.st_mode)) {
		guest_msg(s->cli, "root directory %s does not exist (vdir)",
			  g->vdir);
		return -1;
	}
	if (s->dry_run)
		return 0;
	ver = vs_get_version();
	if (ver < 0) {
		guest_msg(s->cli, "%s", vs_strerror((int)ver));
		return -1;
	}
	if (guest_running(s->cli, g)) {
		guest_msg(s->cli, "already running (context %u)", g->xid);
		return -1;
	}
	if (!vs_vx_info(g->xid, &info)) {
		guest_msg(s->cli, "context %u is in use by another guest",
			  g->xid);
		return -1;
	}
	if (g->have_net && !(g->spaces & VX_SPACE_NET)) {
		struct vcmd_nx_info ninfo;
		int i;

		/* A stopped guest's network context goes once its tasks are freed. */
		for (i = 0; i < 40 && !vs_nx_info(g->xid, &ninfo); i++)
			usleep(50000);
		if (!vs_nx_info(g->xid, &ninfo)) {
			guest_msg(s->cli, "network context %u is in use",
				  g->xid);
			return -1;
		}
	}
	return 0;
}

/* ---- step: run directory ---- */

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[VS_PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

static int lock_fd = -1;

/*
 * One start, stop or helper at a time per guest: RUNDIR/NAME.lock.  The
 * guest's processes must not inherit it (see step_guest).
 */
static void lock_guest(struct cli *cli, const char *name)
{
	char path[VS_PATH_MAX];

	if (lock_fd >= 0)
		return;
	mkdir_p(cli->rundir, 0755);
	snprintf(path, sizeof(path), "%s/%s.lock", cli->rundir, name);
	lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock_fd >= 0)
		flock(lock_fd, LOCK_EX);
}

static void remove_rundir(struct cli *cli, const char *name)
{
	static const char *const files[] = {
		"xid", "confroot", "addresses", "stopping", "console",
	};
	char path[VS_PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		run_path(cli, name, files[i], path, sizeof(path));
		unlink(path);
	}
	run_path(cli, name, NULL, path, sizeof(path));
	rmdir(path);
}

static int step_rundir(struct start *s)
{
	char path[VS_PATH_MAX], buf[32];
	int ret;

	run_path(s->cli, s->g->name, NULL, path, sizeof(path));
	step_note(s, "create %s", path);
	if (s->dry_run)
		return 0;
	lock_guest(s->cli, s->g->name);
	ret = mkdir_p(path, 0755);
	if (!ret) {
		snprintf(buf, sizeof(buf), "%u\n", s->g->xid);
		run_path(s->cli, s->g->name, "xid", path, sizeof(path));
		ret = write_file(path, buf);
	}
	if (!ret) {
		run_path(s->cli, s->g->name, "confroot", path, sizeof(path));
		ret = write_file(path, s->g->confroot);
	}
	if (!ret) {
		run_path(s->cli, s->g->name, "stopping", path, sizeof(path));
		unlink(path);
		run_path(s->cli, s->g->name, "addresses", path, sizeof(path));
		ret = write_file(path, "");
	}
	if (ret) {
		report_errno(ret, "cannot create the run directory %s", path);
		return -1;
	}
	return 0;
}

static void undo_rundir(struct start *s)
{
	remove_rundir(s->cli, s->g->name);
}

/* ---- step: the reboot helper ---- */

/*
 * kernel.vshelper runs RUNDIR/vshelper, a link to this program, so a
 * guest's reboot(2) restarts or stops it.  .defaults/apps/vshelper/
 * disabled keeps the host's own helper.
 */
static int step_helper(struct start *s)
{
	char link[VS_PATH_MAX], self[VS_PATH_MAX], cur[VS_PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/.defaults/apps/vshelper/disabled",
		 s->g->confroot);
	if (!access(link, F_OK))
		return 0;
	snprintf(link, sizeof(link), "%s/vshelper", s->cli->rundir);
	step_note(s, "set kernel.vshelper to %s", link);
	if (s->dry_run)
		return 0;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 0;
	self[n] = 0;
	n = readlink(link, cur, sizeof(cur) - 1);
	if (n < 0 || (size_t)n != strlen(self) || strncmp(cur, self, (size_t)n)) {
		unlink(link);
		if (symlink(self, link)) {
			guest_msg(s->cli, "warning: cannot create %s: %s", link,
				  strerror(errno));
			return 0;
		}
	}
	if (read_line(HELPER_SYSCTL, cur, sizeof(cur)) == 0 &&
	    strcmp(cur, link) && write_file(HELPER_SYSCTL, link))
		guest_msg(s->cli, "warning: cannot set kernel.vshelper: reboot in the guest will not restart it");
	return 0;
}

/* ---- step: cgroup ---- */

static const char *controller_of(const char *key, char *buf, size_t len)
{
	snprintf(buf, len, "%s", key);
	buf[strcspn(buf, ".")] = 0;
	return buf;
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* Enable @ctrl for the children of @dir. */
static int enable_controller(const char *dir, const char *ctrl)
{
	char path[VS_PATH_MAX], cur[512], want[64];

	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", dir);
	if (!read_line(path, cur, sizeof(cur)) && has_word(cur, ctrl))
		return 0;
	snprintf(want, sizeof(want), "+%s", ctrl);
	return write_file(path, want);
}

static int step_cgroup(struct start *s)
{
	struct vs_guest *g = s->g;
	char cg[VS_PATH_MAX], base[VS_PATH_MAX], root[VS_PATH_MAX];
	char avail[512], path[VS_PATH_MAX], ctrl[32];
	int i, ret;

	cgroup_path(g->name, cg, sizeof(cg));
	snprintf(path, sizeof(path), "%s", cg);
	snprintf(base, sizeof(base), "%s", dirname(path));
	snprintf(path, sizeof(path), "%s", base);
	snprintf(root, sizeof(root), "%s", dirname(path));
	snprintf(path, sizeof(path), "%s/cgroup.controllers", root);
	if (read_line(path, avail, sizeof(avail))) {
		if (!s->dry_run && mount("cgroup2", root, "cgroup2", 0, NULL) == 0)
			read_line(path, avail, sizeof(avail));
		else
			avail[0] = 0;
	}
	if (access(path, F_OK) && !s->dry_run) {
		if (g->ncgroup) {
			guest_msg(s->cli, "%s/cgroup/%s: no cgroup v2 hierarchy at %s",
				  g->confdir, g->cgroup[0].key, root);
			return -1;
		}
		return 0;	/* nothing configured, nothing to hold it */
	}
	for (i = 0; i < g->ncgroup; i++) {
		controller_of(g->cgroup[i].key, ctrl, sizeof(ctrl));
		if (!s->dry_run && !has_word(avail, ctrl)) {
			guest_msg(s->cli, "%s/cgroup/%s: the %s controller is not available on this host (available: %s)",
				  g->confdir, g->cgroup[i].key, ctrl, avail);
			return -1;
		}
	}
	step_note(s, "create cgroup %s", cg);
	if (s->dry_run) {
		for (i = 0; i < g->ncgroup; i++)
			step_note(s, "write '%s' to %s/%s", g->cgroup[i].value,
				  cg, g->cgroup[i].key);
		return 0;
	}
	if (mkdir(base, 0755) && errno != EEXIST) {
		report_errno(-errno, "cannot create cgroup %s", base);
		return -1;
	}
	/* Controllers the guests may use, where the host has them. */
	for (i = 0; i < 4; i++) {
		static const char *const want[] = { "memory", "pids", "io", "cpu" };

		if (!has_word(avail, want[i]))
			continue;
		enable_controller(root, want[i]);
		enable_controller(base, want[i]);
	}
	if (mkdir(cg, 0755) && errno != EEXIST) {
		report_errno(-errno, "cannot create cgroup %s", cg);
		return -1;
	}
	s->made_cgroup = true;
	for (i = 0; i < g->ncgroup; i++) {
		snprintf(path, sizeof(path), "%s/%s", cg, g->cgroup[i].key);
		ret = write_file(path, g->cgroup[i].value);
		if (ret) {
			guest_msg(s->cli, "%s/cgroup/%s: the kernel refused '%s': %s",
				  g->confdir, g->cgroup[i].key,
				  g->cgroup[i].value, strerror(-ret));
			return -1;
		}
	}
	return 0;
}

static void remove_cgroup(const char *name)
{
	char cg[VS_PATH_MAX];
	int i;

	cgroup_path(name, cg, sizeof(cg));
	for (i = 0; i < 50; i++) {
		if (!rmdir(cg) || errno == ENOENT)
			return;
		usleep(20000);	/* tasks still exiting */
	}
}

static void undo_cgroup(struct start *s)
{
	if (s->made_cgroup)
		remove_cgroup(s->g->name);
}

/* ---- step: host-side addresses (iproute2) ---- */

static int ip_addr(const char *verb, const char *ip, unsigned int prefix,
		   const char *dev, const char *label, bool quiet)
{
	char addr[96], lbl[40];
	char *argv[12] = { "ip", "addr", (char *)verb, addr, "dev",
			   (char *)dev, NULL };

	snprintf(addr, sizeof(addr), "%s/%u", ip, prefix);
	if (label && *label && !strcmp(verb, "add")) {
		snprintf(lbl, sizeof(lbl), "%s:%s", dev, label);
		if (strlen(lbl) <= 15) {
			argv[6] = "label";
			argv[7] = lbl;
			argv[8] = NULL;
		}
	}
	return run_wait(argv, quiet);
}

/*
 * Guests' addresses often share a subnet on one device, and deleting a
 * subnet's first (primary) IPv4 address deletes the others with it: let
 * the kernel promote one instead, so that a guest's stop never takes
 * another guest's address.
 */
static void promote_secondaries(struct start *s, const char *dev)
{
	char path[VS_PATH_MAX];

	snprintf(path, sizeof(path),
		 "/proc/sys/net/ipv4/conf/%s/promote_secondaries", dev);
	if (write_file(path, "1"))
		step_note(s, "cannot set %s (stopping this guest may remove other guests' addresses)",
			  path);
}

static int step_interfaces(struct start *s)
{
	struct vs_guest *g = s->g;
	char path[VS_PATH_MAX], line[128];
	int i, ret;

	/* Its own network namespace: the host's devices are not its. */
	if ((g->spaces & VX_SPACE_NET) && g->niface) {
		step_note(s, "own network namespace: interfaces/ not added to host devices");
		return 0;
	}
	run_path(s->cli, g->name, "addresses", path, sizeof(path));
	for (i = 0; i < g->niface; i++) {
		struct vs_iface *ifc = &g->iface[i];

		if (!ifc->dev[0] || ifc->nodev)
			continue;
		step_note(s, "ip addr add %s/%u dev %s", ifc->ip, ifc->prefix,
			  ifc->dev);
		if (s->dry_run)
			continue;
		if (!strchr(ifc->ip, ':'))
			promote_secondaries(s, ifc->dev);
		ret = ip_addr("add", ifc->ip, ifc->prefix, ifc->dev,
			      ifc->label, false);
		if (ret) {
			guest_msg(s->cli, "%s/interfaces/%s: cannot add %s/%u to %s (ip exited %d)",
				  g->confdir, ifc->id, ifc->ip, ifc->prefix,
				  ifc->dev, ret);
			return -1;
		}
		s->naddr = i + 1;
		/* Recorded for stop, which removes exactly these. */
		snprintf(line, sizeof(line), "%s/%u %s\n", ifc->ip,
			 ifc->prefix, ifc->dev);
		{
			FILE *f = fopen(path, "ae");

			if (f) {
				fputs(line, f);
				fclose(f);
			}
		}
	}
	return 0;
}

/* Remove the addresses a start recorded in RUNDIR/NAME/addresses. */
static void remove_addresses(struct cli *cli, const char *name)
{
	char path[VS_PATH_MAX], line[160], addr[96], dev[32];
	FILE *f;

	run_path(cli, name, "addresses", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *argv[] = { "ip", "addr", "del", addr, "dev", dev, NULL };

		if (sscanf(line, "%95s %31s", addr, dev) == 2)
			run_wait(argv, true);
	}
	fclose(f);
	write_file(path, "");
}

static void undo_interfaces(struct start *s)
{
	remove_addresses(s->cli, s->g->name);
}

/*
 * ---- step: network context ----
 * A guest with interfaces (or nflags/ncapabilities) gets network context
 * nid = xid with exactly its addresses.  The guest's setup process
 * creates it (net_create moves the caller in) before it enters the
 * context, so everything the guest runs is bound to those addresses;
 * here the addresses are only parsed and the flags computed.  The
 * network context ends with its last task; stop and a failed start
 * clear a configured "persistent" so that it ends then too.  A guest
 * whose spaces include the network namespace has its own stack: no
 * network context.
 */
static int step_network(struct start *s)
{
	struct vs_guest *g = s->g;
	char spec[96];
	int i;

	if (g->spaces & VX_SPACE_NET) {
		step_note(s, "own network namespace: no network context");
		return 0;
	}
	if (!g->have_net)
		return 0;
	s->network = true;
	s->nflags = (GUEST_NFLAGS & ~g->nflags_mask) |
		    (g->nflags_set & g->nflags_mask);
	s->nflags &= NXF_MASK;
	for (i = 0; i < g->niface; i++) {
		struct vs_iface *ifc = &g->iface[i];

		snprintf(spec, sizeof(spec), "%s/%u", ifc->ip, ifc->prefix);
		if (vs_parse_net_addr(spec, &s->net[i])) {
			guest_msg(s->cli, "%s/interfaces/%s: '%s' is not an address the kernel takes (expected IP/PREFIX)",
				  g->confdir, ifc->id, spec);
			return -1;
		}
		step_note(s, "network context %u: add %s", g->xid, spec);
	}
	step_note(s, "network context %u: flags 0x%llx, capabilities 0x%llx",
		  g->xid, (unsigned long long)s->nflags,
		  (unsigned long long)((GUEST_NCAPS & ~g->ncaps_mask) |
				       (g->ncaps_set & g->ncaps_mask)));
	if (!g->niface)
		step_note(s, "network context %u has no address: no network in the guest",
			  g->xid);
	return 0;
}

/* Let a persistent network context end once it has no task. */
static void end_network(uint32_t nid)
{
	struct vcmd_nx_info info;

	if (!vs_nx_info(nid, &info))
		vs_set_nflags(nid, 0, NXF_PERSISTENT);
}

static void undo_network(struct start *s)
{
	if (s->network)
		end_network(s->g->xid);
}

/*
 * ---- step: disk limits ----
 * dlimits/NAME/: a project quota with project id = xid on the
 * filesystem holding NAME/directory (ext4 or xfs with project quotas
 * enabled).  A directory not yet in the project is put there, with
 * inheritance, once (as vdlimit --assign does).
 */
static bool in_project(const char *dir, uint32_t xid)
{
	struct fsxattr fsx;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = !ioctl(fd, FS_IOC_FSGETXATTR, &fsx) && fsx.fsx_projid == xid &&
	     (fsx.fsx_xflags & FS_XFLAG_PROJINHERIT);
	close(fd);
	return ok;
}

static int step_dlimits(struct start *s)
{
	struct vs_guest *g = s->g;
	int i, ret;

	for (i = 0; i < g->ndlimit; i++) {
		struct vs_dlimit_conf *dl = &g->dlimit[i];

		step_note(s, "disk limit of project %u on %s", g->xid, dl->dir);
		if (s->dry_run)
			continue;
		ret = vs_dlimit_set(dl->dir, g->xid, dl->space_kib, dl->inodes);
		if (!ret && !in_project(dl->dir, g->xid))
			ret = vs_dlimit_assign(dl->dir, g->xid);
		/* no quota support, no project quota type, quota off */
		if (ret == -ENOSYS || ret == -EINVAL || ret == -ENOTTY ||
		    ret == -EOPNOTSUPP || ret == -ESRCH) {
			guest_msg(s->cli, "dlimits: %s is not on a file system with project quotas (%s; expected ext4 or xfs mounted with prjquota)",
				  dl->dir, strerror(-ret));
			return -1;
		}
		if (ret) {
			guest_msg(s->cli, "dlimits: cannot limit %s: %s",
				  dl->dir, strerror(-ret));
			return -1;
		}
	}
	return 0;
}

/*
 * ---- steps between the guest's context and its init ----
 * The setup process waits in its context (VXF_STATE_SETUP) until step_init
 * releases it, so these limits hold before the guest runs anything.
 */
/* rlimits/NAME sets all three, as vlimit --dir does; suffixes override. */
static uint64_t rlimit_or(uint64_t v, uint64_t plain)
{
	return v != CRLIM_KEEP ? v : plain;
}

static int step_rlimits(struct start *s)
{
	struct vcmd_ctx_rlimit_mask mask = { 0 };
	struct vs_guest *g = s->g;
	int i, ret;

	if (g->nrlimit && !s->dry_run) {
		ret = vs_get_rlimit_mask(&mask);
		if (ret) {
			report_errno(ret, "cannot read the supported limits");
			return -1;
		}
	}
	for (i = 0; i < g->nrlimit; i++) {
		struct vs_rlimit_conf *r = &g->rlimit[i];
		const char *name = vs_rlimit_name(r->id);

		step_note(s, "limit %s of context %u", name, g->xid);
		if (s->dry_run)
			continue;
		if (!(mask.maximum & (1U << r->id))) {
			/* rss, say: the memory cgroup's job on this kernel */
			guest_msg(s->cli, "note: ignoring %s/rlimits/%s: this kernel has no per-context %s limit",
				  g->confdir, name, name);
			continue;
		}
		ret = vs_set_rlimit(g->xid, r->id,
				    rlimit_or(r->minimum, r->value),
				    rlimit_or(r->soft, r->value),
				    rlimit_or(r->hard, r->value));
		if (ret) {
			guest_msg(s->cli, "%s/rlimits/%s: the kernel refused the limit: %s",
				  g->confdir, name, strerror(-ret));
			return -1;
		}
	}
	return 0;
}

static int step_sched(struct start *s)
{
	struct vs_guest *g = s->g;
	int ret;

	if (!(g->sched.mask & ~(VXSM_CPU_ID | VXSM_BUCKET_ID)))
		return 0;
	step_note(s, "scheduler bucket of context %u", g->xid);
	if (s->dry_run)
		return 0;
	ret = vs_set_sched(g->xid, &g->sched);
	if (ret) {
		guest_msg(s->cli, "%s/sched: the kernel refused the bucket: %s",
			  g->confdir, strerror(-ret));
		return -1;
	}
	return 0;
}

/* ---- step: the guest (child side) ---- */

static int ready_w = -1;

static void __attribute__((noreturn, format(printf, 1, 2)))
setup_fail(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	buf[0] = 'E';
	va_start(ap, fmt);
	n = vsnprintf(buf + 1, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	if (write(ready_w, buf, (size_t)n + 1) < 0)
		_exit(EXIT_FAILURE);
	_exit(EXIT_FAILURE);
}

static void mkdirs_in(const char *vdir, const char *rel, char *out, size_t len)
{
	snprintf(out, len, "%s%s", vdir, rel);
	mkdir_p(out, 0755);
}

struct mount_opt {
	const char *name;
	unsigned long set, clear;
};

static const struct mount_opt mount_opts[] = {
	{ "defaults", 0, 0 },	{ "rw", 0, MS_RDONLY },
	{ "ro", MS_RDONLY, 0 },	{ "nosuid", MS_NOSUID, 0 },
	{ "suid", 0, MS_NOSUID }, { "nodev", MS_NODEV, 0 },
	{ "dev", 0, MS_NODEV },	{ "noexec", MS_NOEXEC, 0 },
	{ "exec", 0, MS_NOEXEC }, { "noatime", MS_NOATIME, 0 },
	{ "relatime", MS_RELATIME, 0 }, { "nodiratime", MS_NODIRATIME, 0 },
	{ "bind", MS_BIND, 0 },	{ "rbind", MS_BIND | MS_REC, 0 },
	{ "auto", 0, 0 }, { "noauto", 0, 0 },
};

static void do_fstab_mount(const struct vs_guest *g, const struct vs_mount *m)
{
	char target[VS_PATH_MAX], data[256] = "", opts[256], *tok, *save;
	unsigned long flags = 0;
	size_t i;

	mkdirs_in(g->vdir, m->dst, target, sizeof(target));
	snprintf(opts, sizeof(opts), "%s", m->opts);
	for (tok = strtok_r(opts, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(mount_opts) / sizeof(mount_opts[0]); i++)
			if (!strcmp(tok, mount_opts[i].name))
				break;
		if (i < sizeof(mount_opts) / sizeof(mount_opts[0])) {
			flags = (flags & ~mount_opts[i].clear) | mount_opts[i].set;
		} else {
			if (*data)
				strncat(data, ",", sizeof(data) - strlen(data) - 1);
			strncat(data, tok, sizeof(data) - strlen(data) - 1);
		}
	}
	if (!strcmp(m->type, "bind") || !strcmp(m->type, "none"))
		flags |= strcmp(m->type, "bind") ? 0 : MS_BIND;
	if (flags & MS_BIND) {
		if (mount(m->src, target, NULL, flags & (MS_BIND | MS_REC), NULL))
			setup_fail("fstab: cannot bind %s on %s: %s", m->src,
				   m->dst, strerror(errno));
		if ((flags & ~(MS_BIND | MS_REC)) &&
		    mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags, NULL))
			setup_fail("fstab: cannot remount %s: %s", m->dst,
				   strerror(errno));
		return;
	}
	if (mount(m->src, target, m->type, flags, *data ? data : NULL))
		setup_fail("fstab: cannot mount %s (%s) on %s: %s", m->src,
			   m->type, m->dst, strerror(errno));
}

static bool fstab_has(const struct vs_guest *g, const char *dst)
{
	int i;

	for (i = 0; i < g->nmount; i++)
		if (!strcmp(g->mount[i].dst, dst))
			return true;
	return false;
}

/* A minimal /dev: a few character devices, /dev/pts and /dev/shm. */
static void make_dev(const struct vs_guest *g)
{
	static const struct { const char *name; unsigned int maj, min; } devs[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const struct { const char *name, *to; } links[] = {
		{ "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
		{ "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" },
		{ "ptmx", "pts/ptmx" },
	};
	char dev[VS_PATH_MAX], path[VS_PATH_MAX];
	size_t i;

	mkdirs_in(g->vdir, "/dev", dev, sizeof(dev));
	if (mount("vsdev", dev, "tmpfs", MS_NOSUID | MS_NOEXEC,
		  "mode=0755,size=256k,nr_inodes=512"))
		setup_fail("cannot mount /dev: %s", strerror(errno));
	for (i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, devs[i].name);
		if (mknod(path, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)))
			setup_fail("cannot create /dev/%s: %s", devs[i].name,
				   strerror(errno));
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, links[i].name);
		if (symlink(links[i].to, path))
			setup_fail("cannot create /dev/%s: %s", links[i].name,
				   strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/pts", dev);
	mkdir(path, 0755);
	if (mount("devpts", path, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620,gid=5"))
		setup_fail("cannot mount /dev/pts: %s", strerror(errno));
	snprintf(path, sizeof(path), "%s/shm", dev);
	mkdir(path, 01777);
	if (mount("shm", path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"))
		setup_fail("cannot mount /dev/shm: %s", strerror(errno));
}

static void guest_mounts(const struct vs_guest *g)
{
	char path[VS_PATH_MAX];
	int i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		setup_fail("cannot make the mounts private: %s", strerror(errno));
	if (mount(g->vdir, g->vdir, NULL, MS_BIND | MS_REC, NULL))
		setup_fail("cannot bind %s: %s", g->vdir, strerror(errno));
	if (!fstab_has(g, "/proc")) {
		mkdirs_in(g->vdir, "/proc", path, sizeof(path));
		if (mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  NULL))
			setup_fail("cannot mount /proc: %s", strerror(errno));
	}
	if (!fstab_has(g, "/dev"))
		make_dev(g);
	for (i = 0; i < g->nmount; i++)
		do_fstab_mount(g, &g->mount[i]);
}

/* Make the guest's root the root: pivot_root, or move+chroot on rootfs. */
static void enter_root(const struct vs_guest *g)
{
	if (chdir(g->vdir))
		setup_fail("cannot enter %s: %s", g->vdir, strerror(errno));
	if (syscall(SYS_pivot_root, ".", ".") == 0) {
		if (umount2(".", MNT_DETACH))
			setup_fail("cannot detach the host's root: %s",
				   strerror(errno));
	} else {
		/* The initramfs (rootfs) cannot be pivoted: switch_root's way. */
		if (mount(".", "/", NULL, MS_MOVE, NULL))
			setup_fail("cannot move %s to /: %s", g->vdir,
				   strerror(errno));
		if (chroot("."))
			setup_fail("chroot: %s", strerror(errno));
	}
	if (chdir("/"))
		setup_fail("chdir /: %s", strerror(errno));
}

static void guest_context(const struct vs_guest *g)
{
	uint64_t flags = VXF_INIT_SET;
	uint32_t f;
	long ret;

	ret = vs_ctx_create(g->xid, &flags);
	if (ret == -EEXIST || ret == -EBUSY)
		setup_fail("context %u is in use", g->xid);
	if (ret < 0)
		setup_fail("cannot create context %u: %s", g->xid,
			   vs_strerror((int)ret));
	ret = vs_set_space(g->xid, g->spaces | VX_SPACE_FS, 0);
	if (ret)
		setup_fail("cannot store the namespaces in context %u: %s",
			   g->xid, strerror((int)-ret));
	ret = vs_set_vhi_name(g->xid, VHIN_CONTEXT,
			      strlen(g->confdir) < VHI_NAME_LEN ? g->confdir :
			      g->name);
	for (f = VHIN_SYSNAME; !ret && f <= VHIN_MAX; f++)
		if (g->uts[f][0])
			ret = vs_set_vhi_name(g->xid, f, g->uts[f]);
	if (ret)
		setup_fail("cannot set the uname of context %u: %s", g->xid,
			   strerror((int)-ret));
	/*
	 * util-vserver's secure set plus SYS_BOOT: reboot(2) from a guest is
	 * intercepted (it reaches our helper) but needs the capability.
	 */
	ret = vs_set_bcaps(g->xid, vs_secure_bcaps() | (1ULL << CAP_SYS_BOOT),
			   ~0ULL);
	if (!ret && g->bcaps_mask)
		ret = vs_set_bcaps(g->xid, g->bcaps_set, g->bcaps_mask);
	if (!ret)
		ret = vs_set_ccaps(g->xid, GUEST_CCAPS, GUEST_CCAPS);
	if (!ret && g->ccaps_mask)
		ret = vs_set_ccaps(g->xid, g->ccaps_set, g->ccaps_mask);
	if (!ret && g->umask_mask)
		ret = vs_set_umask(g->xid, g->umask_set, g->umask_mask);
	if (ret)
		setup_fail("cannot set the capabilities of context %u: %s",
			   g->xid, strerror((int)-ret));
	if (g->have_badness) {
		ret = vs_set_badness(g->xid, g->badness);
		if (ret)
			setup_fail("cannot set the badness of context %u: %s",
				   g->xid, strerror((int)-ret));
	}
	ret = vs_set_cflags(g->xid, GUEST_FLAGS, GUEST_FLAGS);
	if (!ret && g->flags_mask)
		ret = vs_set_cflags(g->xid, g->flags_set, g->flags_mask);
	if (ret)
		setup_fail("cannot set the flags of context %u: %s", g->xid,
			   strerror((int)-ret));
}

/* In the guest's setup process, before it enters its context. */
static void guest_network(const struct start *s)
{
	const struct vs_guest *g = s->g;
	uint64_t flags = s->nflags;
	long ret;
	int i;

	if (!s->network)
		return;
	ret = vs_net_create(g->xid, &flags);
	if (ret == -EEXIST)
		setup_fail("network context %u is in use", g->xid);
	if (ret < 0)
		setup_fail("cannot create network context %u: %s", g->xid,
			   vs_strerror((int)ret));
	for (i = 0; i < g->niface; i++) {
		ret = vs_net_add(g->xid, &s->net[i]);
		if (ret)
			setup_fail("%s/interfaces/%s: cannot add %s/%u to network context %u: %s",
				   g->confdir, g->iface[i].id, g->iface[i].ip,
				   g->iface[i].prefix, g->xid,
				   strerror((int)-ret));
	}
	ret = vs_set_ncaps(g->xid, GUEST_NCAPS, NXC_MASK);
	if (!ret && g->ncaps_mask)
		ret = vs_set_ncaps(g->xid, g->ncaps_set, g->ncaps_mask);
	if (ret)
		setup_fail("%s/ncapabilities: the kernel refused them: %s",
			   g->confdir, strerror((int)-ret));
}

static void guest_environment(const struct vs_guest *g)
{
	clearenv();
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	       1);
	setenv("HOME", "/", 1);
	setenv("TERM", "linux", 1);
	setenv("container", "vserver", 1);
	setenv("RUNLEVEL", g->runlevel_start, 1);
	setenv("PREVLEVEL", "N", 1);
}

#define RC_LINKS \
	"case $1 in 0|6) k=K; a=stop ;; *) k=S; a=start ;; esac; " \
	"for s in /etc/rc$1.d/$k*; do [ -x \"$s\" ] && \"$s\" $a; done; exit 0"

/* The rc command of a sysv guest for @level, or its cmd.start/cmd.stop. */
static pid_t spawn_rc(const struct vs_guest *g, const char *cmd,
		      const char *level, const sigset_t *old)
{
	pid_t pid = fork();

	if (pid == 0) {
		sigprocmask(SIG_SETMASK, old, NULL);
		setsid();
		if (*cmd)
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		else if (!access("/etc/init.d/rc", X_OK))
			execl("/etc/init.d/rc", "rc", level, (char *)NULL);
		else if (!access("/etc/rc.d/rc", X_OK))
			execl("/etc/rc.d/rc", "rc", level, (char *)NULL);
		else	/* no rc: the runlevel's links, in order */
			execl("/bin/sh", "sh", "-c", RC_LINKS, "rc", level,
			      (char *)NULL);
		_exit(EXIT_NOT_FOUND);
	}
	return pid;
}

/* Reap children for up to @ms; true once @pid was among them. */
static bool reap_for(pid_t pid, int ms, const sigset_t *set)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	bool seen = pid <= 0;
	int waited = 0;
	pid_t p;

	for (;;) {
		while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
			if (p == pid)
				seen = true;
		if ((seen && pid > 0) || waited >= ms || p < 0)
			return seen || p < 0;
		sigtimedwait(set, NULL, &ts);
		waited += 50;
	}
}

/*
 * The sysv style's minimal init: run the runlevel scripts, reap orphans,
 * and on a shutdown signal (TERM reboot, USR1 halt, USR2/INT/PWR power
 * off, as busybox init) run the stop scripts, end every process and tell
 * the kernel, which calls the host's helper.
 */
static void __attribute__((noreturn)) fake_init(const struct vs_guest *g)
{
	sigset_t set, old;
	siginfo_t si;
	int sig, cmd;
	pid_t pid;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGPWR);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	prctl(PR_SET_NAME, "init");
	{
		char t[32];

		snprintf(t, sizeof(t), "init [%s]", g->runlevel_start);
		set_proc_title(t);
	}
	if (!*g->cmd_start && access("/etc/init.d/rc", X_OK) &&
	    access("/etc/rc.d/rc", X_OK) && access("/bin/sh", X_OK))
		setup_fail("style sysv: no /etc/init.d/rc and no /bin/sh in the guest, and no apps/init/cmd.start");
	if (spawn_rc(g, g->cmd_start, g->runlevel_start, &old) < 0)
		setup_fail("cannot start the runlevel scripts: %s",
			   strerror(errno));
	close_range(3, ~0U, 0);		/* ready_w too: the host sees EOF */
	for (;;) {
		sig = sigwaitinfo(&set, &si);
		if (sig == SIGCHLD || sig < 0) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			continue;
		}
		if (sig == SIGHUP)
			continue;
		break;
	}
	cmd = sig == SIGTERM ? RB_AUTOBOOT :
	      sig == SIGUSR1 ? RB_HALT_SYSTEM : RB_POWER_OFF;
	setenv("RUNLEVEL", cmd == RB_AUTOBOOT ? "6" : g->runlevel_stop, 1);
	setenv("PREVLEVEL", g->runlevel_start, 1);
	pid = spawn_rc(g, g->cmd_stop,
		       cmd == RB_AUTOBOOT ? "6" : g->runlevel_stop, &old);
	reap_for(pid, 20000, &set);
	kill(-1, SIGTERM);
	reap_for(0, 2000, &set);
	kill(-1, SIGKILL);
	reap_for(0, 500, &set);
	reboot(cmd);
	_exit(EXIT_SUCCESS);
}

/*
 * The guest's cgroup namespace is rooted at its cgroup: it sees and may
 * change only that subtree (the kernel lets a guest write cgroupfs only
 * inside its cgroup namespace, and of the root only what cgroup v2
 * delegates).  Without a cgroup of its own it keeps the host's namespace,
 * where it can change nothing.
 */
static void guest_cgroup_ns(struct start *s)
{
	char cg[VS_PATH_MAX];

	if (!(s->g->spaces & VX_SPACE_CGROUP))
		return;
	cgroup_path(s->g->name, cg, sizeof(cg));
	if (access(cg, F_OK)) {
		s->g->spaces &= ~VX_SPACE_CGROUP;
		return;
	}
	if (unshare(CLONE_NEWCGROUP))
		setup_fail("cannot create the cgroup namespace: %s",
			   strerror(errno));
}

/* In the guest's setup process, after the spaces were created. */
static void __attribute__((noreturn)) guest_setup(struct start *s, int go_r)
{
	const struct vs_guest *g = s->g;
	char console[VS_PATH_MAX], go;
	int cfd, nfd, ret;

	setsid();
	ret = join_cgroup(g->name);
	if (ret)
		setup_fail("cannot join the guest's cgroup: %s", strerror(-ret));
	guest_cgroup_ns(s);
	run_path(s->cli, g->name, "console", console, sizeof(console));
	cfd = open(console, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (cfd < 0)
		setup_fail("cannot open %s: %s", console, strerror(errno));
	guest_mounts(g);
	enter_root(g);
	guest_network(s);
	guest_context(g);
	if (write(ready_w, "R", 1) != 1)
		_exit(EXIT_FAILURE);
	if (read(go_r, &go, 1) != 1 || go != 'G')
		_exit(EXIT_FAILURE);	/* the host gave up: tear down */
	close(go_r);

	nfd = open("/dev/null", O_RDONLY);
	if (nfd < 0 || dup2(nfd, 0) < 0 || dup2(cfd, 1) < 0 || dup2(cfd, 2) < 0)
		setup_fail("cannot set up the guest's stdio: %s", strerror(errno));
	if (nfd > 2)
		close(nfd);
	close(cfd);
	/* Nothing of the caller's (pipes, terminals) goes into the guest. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (vs_ctx_migrate(g->xid, VXM_SET_INIT) ||
	    vs_set_cflags(g->xid, 0, VXF_STATE_SETUP))
		setup_fail("cannot finish the setup of context %u", g->xid);
	guest_environment(g);
	if (!strcmp(g->style, "sysv"))
		fake_init(g);
	execl("/sbin/init", "init", (char *)NULL);
	setup_fail("cannot run /sbin/init in the guest: %s", strerror(errno));
}

/*
 * The guest's first process is pid 1 of its pid namespace; its parent
 * stays on the host (outside the context and the guest's cgroup) to reap
 * it, so the context ends as soon as the
 * guest's last process exits, whoever the host's init is.
 */
static void __attribute__((noreturn))
monitor(pid_t child, int ready_fd, int go_fd)
{
	int status;

	int fd = open("/dev/null", O_RDWR);

	close(ready_fd);
	close(go_fd);
	/* Not the caller's stdio: `$(vserver NAME start)` must see EOF. */
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		close(0);
		close(1);
		close(2);
	}
	close_range(3, ~0U, 0);
	prctl(PR_SET_NAME, "vserver-mon");
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	_exit(EXIT_SUCCESS);
}

static int step_guest(struct start *s)
{
	const struct vs_guest *g = s->g;
	int ready[2], go[2], ret;
	char c;
	pid_t pid;

	step_note(s, "new namespaces 0x%llx, mounts, pivot_root to %s, context %u",
		  (unsigned long long)g->spaces, g->vdir, g->xid);
	if (s->dry_run)
		return 0;
	if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
		report_errno(-errno, "pipe");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		report_errno(-errno, "fork");
		return -1;
	}
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (lock_fd >= 0)
			close(lock_fd);
		ready_w = ready[1];
		/* The cgroup namespace comes once the guest's cgroup is joined. */
		if (unshare((int)(g->spaces & ~(VX_SPACE_FS | VX_SPACE_CGROUP))))
			setup_fail("cannot create namespaces 0x%llx: %s",
				   (unsigned long long)g->spaces, strerror(errno));
		if (g->spaces & VX_SPACE_PID) {
			/* The guest's first process is pid 1 of its space. */
			pid = fork();
			if (pid < 0)
				setup_fail("fork: %s", strerror(errno));
			if (pid > 0)
				monitor(pid, ready[1], go[0]);
		}
		guest_setup(s, go[0]);
	}
	close(ready[1]);
	close(go[0]);
	s->ready_fd = ready[0];
	s->go_fd = go[1];
	s->setup_pid = pid;

	ret = (int)read(s->ready_fd, &c, 1);
	if (ret == 1 && c == 'R')
		return 0;
	if (ret == 1 && c == 'E') {
		char msg[1024];
		ssize_t n = read(s->ready_fd, msg, sizeof(msg) - 1);

		msg[n > 0 ? n : 0] = 0;
		guest_msg(s->cli, "%s", msg);
	} else {
		guest_msg(s->cli, "the guest's setup process died");
	}
	return -1;
}

static void kill_context(uint32_t xid)
{
	struct vcmd_vx_info info;
	int i;

	for (i = 0; i < 3 && !vs_vx_info(xid, &info); i++) {
		vs_ctx_kill(xid, 0, SIGKILL);
		if (!wait_context_end(xid, 5))
			return;
	}
}

static void undo_guest(struct start *s)
{
	if (s->go_fd > 0) {
		close(s->go_fd);	/* the setup process exits */
		s->go_fd = -1;
	}
	kill_context(s->g->xid);
	if (s->ready_fd > 0)
		close(s->ready_fd);
	s->ready_fd = -1;
}

/* ---- step: release the init ---- */

static int step_init(struct start *s)
{
	char msg[1024];
	ssize_t n;

	step_note(s, "run the init (style %s)", s->g->style);
	if (s->dry_run)
		return 0;
	if (write(s->go_fd, "G", 1) != 1) {
		guest_msg(s->cli, "the guest's setup process died");
		return -1;
	}
	close(s->go_fd);
	s->go_fd = -1;
	n = read(s->ready_fd, msg, sizeof(msg) - 1);
	if (n <= 0)
		return 0;	/* closed on exec: the init runs */
	msg[n] = 0;
	guest_msg(s->cli, "%s", msg[0] == 'E' ? msg + 1 : msg);
	return -1;
}

static const struct start_step start_steps[] = {
	{ "check",	step_check,	NULL },
	{ "rundir",	step_rundir,	undo_rundir },
	{ "helper",	step_helper,	NULL },
	{ "cgroup",	step_cgroup,	undo_cgroup },
	{ "interfaces",	step_interfaces, undo_interfaces },
	{ "network",	step_network,	undo_network },
	{ "dlimits",	step_dlimits,	NULL },
	{ "guest",	step_guest,	undo_guest },
	{ "rlimits",	step_rlimits,	NULL },
	{ "sched",	step_sched,	NULL },
	{ "init",	step_init,	undo_guest },
};

#define NR_STEPS (int)(sizeof(start_steps) / sizeof(start_steps[0]))

static int do_start(struct cli *cli, struct vs_guest *g, bool dry_run)
{
	struct start s = { .cli = cli, .g = g, .dry_run = dry_run,
			   .ready_fd = -1, .go_fd = -1 };
	int i, j;

	for (i = 0; i < NR_STEPS; i++) {
		if (start_steps[i].apply(&s) == 0)
			continue;
		for (j = i; j >= 0 && !dry_run; j--)
			if (start_steps[j].undo)
				start_steps[j].undo(&s);
		guest_msg(cli, "start failed at step '%s'; nothing left running",
			  start_steps[i].name);
		return EXIT_FAILURE;
	}
	if (s.ready_fd > 0)
		close(s.ready_fd);
	if (!dry_run)
		printf("%s: started in context %u\n", g->name, g->xid);
	return EXIT_SUCCESS;
}

static void __attribute__((noreturn)) start_usage(void)
{
	printf(
"Usage:\n"
" vserver [options] NAME start [--dry-run]\n"
"\n"
"Validate every configuration file of NAME, then start it: cgroup,\n"
"addresses, disk limits, namespaces, mounts, network context, context,\n"
"uname, capabilities, flags, resource limits, scheduler bucket, then\n"
"its init (apps/init/style: plain runs /sbin/init, sysv runs the\n"
"runlevel scripts under a minimal init).  A failed start undoes\n"
"everything.\n"
"\n"
"Options:\n"
" -n, --dry-run          show what would be done, change nothing\n"
" -h, --help             display this help\n");
	exit(EXIT_SUCCESS);
}

int cmd_start(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run",	no_argument,	NULL, 'n' },
		{ "help",	no_argument,	NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct vs_guest *g;
	bool dry = false;
	int c;

	while ((c = getopt_long(argc, argv, "+nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			dry = true;
			break;
		case 'h':
			start_usage();
		default:
			usage_error("invalid option for start");
		}
	}
	if (optind < argc)
		usage_error("start takes no arguments");
	g = calloc(1, sizeof(*g));
	if (!g)
		return EXIT_FAILURE;
	load_guest(cli, g);
	return do_start(cli, g, dry);
}

/* ---- stop ---- */

/* What start left behind: addresses, cgroup, run directory. */
static void cleanup_guest(struct cli *cli, const char *name)
{
	char path[VS_PATH_MAX], buf[32];

	run_path(cli, name, "xid", path, sizeof(path));
	if (!read_line(path, buf, sizeof(buf)))
		end_network((uint32_t)strtoul(buf, NULL, 10));
	remove_addresses(cli, name);
	remove_cgroup(name);
	remove_rundir(cli, name);
}

static int do_stop(struct cli *cli, struct vs_guest *g, int timeout, bool now)
{
	char path[VS_PATH_MAX];

	lock_guest(cli, g->name);
	if (!guest_running(cli, g)) {
		cleanup_guest(cli, g->name);
		guest_msg(cli, "not running");
		return EXIT_SUCCESS;
	}
	run_path(cli, g->name, "stopping", path, sizeof(path));
	write_file(path, "");
	if (!now && timeout > 0) {
		/* The guest's own shutdown first. */
		if (*g->cmd_stop && strcmp(g->style, "sysv")) {
			char *argv[] = { "/bin/sh", "-c", g->cmd_stop, NULL };
			pid_t pid = fork();

			if (pid == 0) {
				if (join_cgroup(g->name) ||
				    vs_enter_space(g->xid, 0, 0) ||
				    join_network(g->xid) ||
				    vs_ctx_migrate(g->xid, 0))
					_exit(EXIT_FAILURE);
				execv(argv[0], argv);
				_exit(EXIT_NOT_FOUND);
			}
		} else {
			vs_ctx_kill(g->xid, 1, SIGUSR2);
		}
		if (wait_context_end(g->xid, timeout))
			guest_msg(cli, "still running after %d s: killing it",
				  timeout);
	}
	kill_context(g->xid);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (guest_running(cli, g)) {
		guest_msg(cli, "context %u does not end", g->xid);
		return EXIT_FAILURE;
	}
	cleanup_guest(cli, g->name);
	printf("%s: stopped\n", g->name);
	return EXIT_SUCCESS;
}

static int parse_stop(int argc, char **argv, const char *what, int *timeout,
		      bool *now)
{
	static const struct option longopts[] = {
		{ "timeout",	required_argument, NULL, 't' },
		{ "now",	no_argument,	   NULL, 'k' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	long v;
	int c;

	*timeout = STOP_TIMEOUT;
	while ((c = getopt_long(argc, argv, "+t:kh", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			v = strtol(optarg, &end, 10);
			if (*end || !*optarg || v < 0 || v > 3600)
				usage_error("invalid timeout '%s' (expected 0..3600 seconds)",
					    optarg);
			*timeout = (int)v;
			break;
		case 'k':
			*now = true;
			break;
		case 'h':
			printf(
"Usage:\n"
" vserver [options] NAME %s [--timeout SECONDS] [--now]\n"
"\n"
"Ask the guest to shut down (apps/init/cmd.stop, or SIGUSR2 to its init:\n"
"power off), wait, then kill what is left of its context, remove its\n"
"addresses and cgroup.%s\n"
"\n"
"Options:\n"
" -t, --timeout <s>      wait this long for the guest's own shutdown\n"
"                        (default %d)\n"
" -k, --now              kill the context without waiting\n"
" -h, --help             display this help\n", what,
			       strcmp(what, "restart") ? "" : "  Then start it again.",
			       STOP_TIMEOUT);
			exit(EXIT_SUCCESS);
		default:
			usage_error("invalid option for %s", what);
		}
	}
	if (optind < argc)
		usage_error("%s takes no arguments", what);
	return 0;
}

int cmd_stop(struct cli *cli, int argc, char **argv)
{
	struct vs_guest *g = calloc(1, sizeof(*g));
	bool now = false;
	int timeout;

	parse_stop(argc, argv, "stop", &timeout, &now);
	if (!g)
		return EXIT_FAILURE;
	load_guest(cli, g);
	return do_stop(cli, g, timeout, now);
}

int cmd_restart(struct cli *cli, int argc, char **argv)
{
	struct vs_guest *g = calloc(1, sizeof(*g));
	bool now = false;
	int timeout, ret;

	parse_stop(argc, argv, "restart", &timeout, &now);
	if (!g)
		return EXIT_FAILURE;
	load_guest(cli, g);
	ret = do_stop(cli, g, timeout, now);
	if (ret)
		return ret;
	return do_start(cli, g, false);
}

/* ---- the kernel's reboot helper ---- */

/*
 * "vshelper ACTION XID", started by the kernel in the host context when a
 * guest calls reboot(2) (restart, halt, poweroff) or, for contexts with
 * sc_helper, when one ended (shutdown).  Its run directory is the one its
 * link lives in.
 */
int vshelper_main(int argc, char **argv)
{
	char rundir[VS_PATH_MAX], path[VS_PATH_MAX], buf[VS_PATH_MAX];
	char name[VS_NAME_MAX + 1] = "";
	struct cli cli = { 0 };
	struct vs_guest *g;
	struct dirent *de;
	unsigned long xid;
	bool stopping;
	int fd;
	DIR *d;

	/* Started by the kernel without stdio. */
	fd = open("/dev/null", O_RDWR);
	while (fd >= 0 && fd < 3)
		fd = dup(fd);
	if (argc != 3)
		return EXIT_USAGE;
	xid = strtoul(argv[2], NULL, 10);
	snprintf(path, sizeof(path), "%s", argv[0]);
	snprintf(rundir, sizeof(rundir), "%s", dirname(path));
	d = opendir(rundir);
	if (!d)
		return EXIT_FAILURE;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) > VS_NAME_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/%s/xid", rundir, de->d_name);
		if (!read_line(path, buf, sizeof(buf)) &&
		    strtoul(buf, NULL, 10) == xid) {
			snprintf(name, sizeof(name), "%s", de->d_name);
			break;
		}
	}
	closedir(d);
	if (!name[0])
		return EXIT_SUCCESS;	/* not a guest we started */

	snprintf(path, sizeof(path), "%s/%s/confroot", rundir, name);
	if (read_line(path, buf, sizeof(buf)))
		return EXIT_FAILURE;
	cli.confroot = buf;
	cli.rundir = rundir;
	cli.name = name;
	snprintf(path, sizeof(path), "%s/%s/stopping", rundir, name);
	stopping = !access(path, F_OK);

	/* Log what happens next: RUNDIR/vshelper.log outlives the guest. */
	snprintf(path, sizeof(path), "%s/vshelper.log", rundir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	printf("vshelper: %s %lu (%s)%s\n", argv[1], xid, name,
	       stopping ? ", stop in progress" : "");
	fflush(stdout);

	if (!strcmp(argv[1], "shutdown")) {
		/* The context ended; unless a stop runs, clean up after it. */
		lock_guest(&cli, name);
		g = calloc(1, sizeof(*g));
		if (!g || vs_guest_peek(cli.confroot, name, g))
			return EXIT_FAILURE;
		if (!stopping && !guest_running(&cli, g))
			cleanup_guest(&cli, name);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "restart") && strcmp(argv[1], "halt") &&
	    strcmp(argv[1], "poweroff"))
		return EXIT_SUCCESS;	/* swsusp: nothing to do */
	if (stopping) {
		/* vserver stop runs: the guest's shutdown has finished. */
		vs_ctx_kill((uint32_t)xid, 0, SIGKILL);
		return EXIT_SUCCESS;
	}
	g = calloc(1, sizeof(*g));
	if (!g || vs_guest_load(cli.confroot, name, g, path, sizeof(path)))
		return EXIT_FAILURE;
	/* Let the guest's init finish, then stop (and start) it. */
	wait_context_end((uint32_t)xid, 5);
	if (do_stop(&cli, g, 0, true))
		return EXIT_FAILURE;
	if (!strcmp(argv[1], "restart"))
		return do_start(&cli, g, false);
	return EXIT_SUCCESS;
}
