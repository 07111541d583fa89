// SPDX-License-Identifier: GPL-2.0
/*
 * vsfuzz: a table-driven fuzzer of sys_vserver().
 *
 * Every command of include/uapi/linux/vserver.h is a row below: its
 * argument size and direction, what its id names, who may call it, and
 * the kind of every field (flags, capabilities, ids, addresses, limits,
 * scheduler values, paths).  Calls get well-formed arguments most of the
 * time, and otherwise random or mutated bytes, NULL, an unmapped or a
 * kernel address, a structure that runs into a PROT_NONE guard page, or
 * a read-only page for commands that write back.
 *
 * Actors run at once, each a process: the host; the spectator (xid 1);
 * guest A (its context and network context past setup) and guest B (both
 * still in setup), whose results are checked against the permission
 * rules of vserver.rst; and a racer whose threads hammer create, migrate,
 * kill and set on three ids, creating and migrating in children that exit
 * at once, so that contexts end with their last task all the time.
 *
 * The kernel log is watched for BUG, WARNING, KASAN, UBSAN, lockdep and
 * "sleeping function" lines.  The last calls of every actor are kept in a
 * ring in shared memory; when something is found the rings are written to
 * --ring FILE, which --replay FILE runs again, call by call, from one
 * process.  --fault fails the k-th allocation or user copy of each call in
 * turn (/proc/thread-self/fail-nth), k = 1, 2, ... until the call runs
 * through, to walk the error paths.
 *
 * Exit status: 0 clean, 1 a report or a broken property, 2 bad usage or
 * setup.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vserver.h>

#define NR_vserver	236

/* ---- the command table ------------------------------------------------ */

enum gen {
	G_END, G_ZERO, G_RAND, G_SMALL, G_VXF, G_VXC, G_BCAPS, G_NXF, G_NXC,
	G_SPACE, G_INDEX, G_VHIN, G_NAME, G_PID, G_SIG, G_NXA, G_NXAF, G_IP4,
	G_IP4MASK, G_IP6, G_IP6MASK, G_PREFIX, G_COUNT, G_RLIMID, G_RLIM,
	G_SCHEDM, G_CPU, G_RATE, G_TOKENS, G_PRIO, G_PATH, G_IATTR, G_UMASK,
	G_BADNESS, G_DLIM, G_DLIMF, G_REBOOT,
};

struct field {
	unsigned short off, size;
	enum gen gen;
};

enum idk { I_NONE, I_VX, I_NX, I_PID, I_FD, I_PROJ, I_NEWVX, I_NEWNX };
enum perm { P_ANY, P_INFO, P_SETUP, P_ADMIN };

#define A_IN	1
#define A_OUT	2
#define A_OPT	4
#define A_CHILD	8	/* changes the caller's context: run in a child */
#define A_BLOCK	16	/* may sleep until a context ends: bounded by a timer */

struct cmd {
	const char *name;
	uint32_t nr;
	unsigned short size;
	unsigned char flags, idk, perm, weight;
	struct field f[10];
};

#define F(type, m, g) { offsetof(type, m), sizeof(((type *)0)->m), g }
#define FA(type, m, i, g) \
	{ offsetof(type, m) + (i) * sizeof(((type *)0)->m[0]), \
	  sizeof(((type *)0)->m[0]), g }
#define C(cmd) #cmd, VCMD_##cmd

static const struct cmd cmds[] = {
	{ C(get_version), 0, 0, I_NONE, P_ANY, 1 },
	{ C(get_vci), 0, 0, I_NONE, P_ANY, 1 },
	{ C(task_xid), 0, 0, I_PID, P_ANY, 3 },
	{ C(vx_info), sizeof(struct vcmd_vx_info), A_OUT, I_VX, P_INFO, 3 },
	{ C(ctx_stat), sizeof(struct vcmd_ctx_stat), A_OUT, I_VX, P_INFO, 3 },
	{ C(virt_stat), sizeof(struct vcmd_virt_stat), A_OUT, I_VX, P_INFO, 2 },
	{ C(ctx_create_v0), sizeof(struct vcmd_ctx_create),
	  A_IN | A_OPT | A_CHILD, I_NEWVX, P_ADMIN, 1,
	  { F(struct vcmd_ctx_create, flagword, G_VXF) } },
	{ C(ctx_create), sizeof(struct vcmd_ctx_create),
	  A_IN | A_OPT | A_CHILD, I_NEWVX, P_ADMIN, 2,
	  { F(struct vcmd_ctx_create, flagword, G_VXF) } },
	{ C(ctx_migrate_v0), sizeof(struct vcmd_ctx_migrate),
	  A_IN | A_OPT | A_CHILD, I_VX, P_SETUP, 1,
	  { F(struct vcmd_ctx_migrate, flagword, G_VXF) } },
	{ C(ctx_migrate), sizeof(struct vcmd_ctx_migrate),
	  A_IN | A_OPT | A_CHILD, I_VX, P_SETUP, 2,
	  { F(struct vcmd_ctx_migrate, flagword, G_VXF) } },
	{ C(ctx_kill), sizeof(struct vcmd_ctx_kill), A_IN, I_VX, P_ADMIN, 3,
	  { F(struct vcmd_ctx_kill, pid, G_PID),
	    F(struct vcmd_ctx_kill, sig, G_SIG) } },
	{ C(wait_exit), sizeof(struct vcmd_wait_exit), A_OUT | A_BLOCK, I_VX,
	  P_INFO, 1 },
	{ C(get_cflags), sizeof(struct vcmd_ctx_flags), A_OUT, I_VX, P_INFO, 3 },
	{ C(set_cflags), sizeof(struct vcmd_ctx_flags), A_IN, I_VX, P_SETUP, 6,
	  { F(struct vcmd_ctx_flags, flagword, G_VXF),
	    F(struct vcmd_ctx_flags, mask, G_VXF) } },
	{ C(get_ccaps), sizeof(struct vcmd_ctx_caps), A_OUT, I_VX, P_INFO, 2 },
	{ C(set_ccaps), sizeof(struct vcmd_ctx_caps), A_IN, I_VX, P_SETUP, 4,
	  { F(struct vcmd_ctx_caps, ccaps, G_VXC),
	    F(struct vcmd_ctx_caps, cmask, G_VXC) } },
	{ C(get_bcaps), sizeof(struct vcmd_bcaps), A_OUT, I_VX, P_INFO, 2 },
	{ C(set_bcaps), sizeof(struct vcmd_bcaps), A_IN, I_VX, P_SETUP, 4,
	  { F(struct vcmd_bcaps, bcaps, G_BCAPS),
	    F(struct vcmd_bcaps, bmask, G_BCAPS) } },
	{ C(get_umask), sizeof(struct vcmd_umask), A_OUT, I_VX, P_INFO, 1 },
	{ C(set_umask), sizeof(struct vcmd_umask), A_IN, I_VX, P_SETUP, 2,
	  { F(struct vcmd_umask, umask, G_UMASK),
	    F(struct vcmd_umask, mask, G_UMASK) } },
	{ C(get_badness), sizeof(struct vcmd_badness), A_OUT, I_VX, P_INFO, 1 },
	{ C(set_badness), sizeof(struct vcmd_badness), A_IN, I_VX, P_SETUP, 2,
	  { F(struct vcmd_badness, bias, G_BADNESS) } },
	{ C(set_vhi_name), sizeof(struct vcmd_vhi_name), A_IN, I_VX, P_SETUP, 5,
	  { F(struct vcmd_vhi_name, field, G_VHIN),
	    F(struct vcmd_vhi_name, name, G_NAME),
	    F(struct vcmd_vhi_name, pad, G_RAND) } },
	{ C(get_vhi_name), sizeof(struct vcmd_vhi_name), A_IN | A_OUT, I_VX,
	  P_INFO, 3, { F(struct vcmd_vhi_name, field, G_VHIN) } },
	{ C(enter_space_v1), sizeof(__u64), A_IN | A_CHILD, I_VX, P_ADMIN, 1,
	  { { 0, 8, G_SPACE } } },
	{ C(enter_space), sizeof(struct vcmd_space_mask), A_IN | A_CHILD, I_VX,
	  P_ADMIN, 1, { F(struct vcmd_space_mask, mask, G_SPACE),
			F(struct vcmd_space_mask, index, G_INDEX),
			F(struct vcmd_space_mask, pad, G_RAND) } },
	{ C(set_space_v1), sizeof(__u64), A_IN, I_VX, P_SETUP, 1,
	  { { 0, 8, G_SPACE } } },
	{ C(set_space), sizeof(struct vcmd_space_mask), A_IN, I_VX, P_SETUP, 3,
	  { F(struct vcmd_space_mask, mask, G_SPACE),
	    F(struct vcmd_space_mask, index, G_INDEX),
	    F(struct vcmd_space_mask, pad, G_RAND) } },
	{ C(get_space_mask), sizeof(__u64), A_OUT, I_NONE, P_ANY, 1 },
	{ C(get_space_default), sizeof(__u64), A_OUT, I_NONE, P_ANY, 1 },

	{ C(task_nid), 0, 0, I_PID, P_ANY, 2 },
	{ C(nx_info), sizeof(struct vcmd_nx_info), A_OUT, I_NX, P_INFO, 2 },
	{ C(net_create_v0), sizeof(struct vcmd_net_create),
	  A_IN | A_OPT | A_CHILD, I_NEWNX, P_ADMIN, 1,
	  { F(struct vcmd_net_create, flagword, G_NXF) } },
	{ C(net_create), sizeof(struct vcmd_net_create),
	  A_IN | A_OPT | A_CHILD, I_NEWNX, P_ADMIN, 2,
	  { F(struct vcmd_net_create, flagword, G_NXF) } },
	{ C(net_migrate), 0, A_CHILD, I_NX, P_ADMIN, 1 },
	{ C(net_add_v0), sizeof(struct vcmd_net_addr_v0), A_IN, I_NX,
	  P_SETUP, 2, { F(struct vcmd_net_addr_v0, type, G_NXA),
			F(struct vcmd_net_addr_v0, count, G_COUNT),
			FA(struct vcmd_net_addr_v0, ip, 0, G_IP4),
			FA(struct vcmd_net_addr_v0, ip, 1, G_IP4),
			FA(struct vcmd_net_addr_v0, ip, 2, G_IP4),
			FA(struct vcmd_net_addr_v0, mask, 0, G_IP4MASK),
			FA(struct vcmd_net_addr_v0, mask, 1, G_IP4MASK) } },
	{ C(net_remove_v0), sizeof(struct vcmd_net_addr_v0), A_IN, I_NX,
	  P_SETUP, 2, { F(struct vcmd_net_addr_v0, type, G_NXA),
			F(struct vcmd_net_addr_v0, count, G_COUNT),
			FA(struct vcmd_net_addr_v0, ip, 0, G_IP4),
			FA(struct vcmd_net_addr_v0, mask, 0, G_IP4MASK) } },
	{ C(net_add_ipv4_v1), sizeof(struct vcmd_net_addr_ipv4_v1), A_IN, I_NX,
	  P_SETUP, 2, { F(struct vcmd_net_addr_ipv4_v1, type, G_NXA),
			F(struct vcmd_net_addr_ipv4_v1, flags, G_NXAF),
			F(struct vcmd_net_addr_ipv4_v1, ip, G_IP4),
			F(struct vcmd_net_addr_ipv4_v1, mask, G_IP4MASK) } },
	{ C(net_remove_ipv4_v1), sizeof(struct vcmd_net_addr_ipv4_v1), A_IN,
	  I_NX, P_SETUP, 2,
	  { F(struct vcmd_net_addr_ipv4_v1, type, G_NXA),
	    F(struct vcmd_net_addr_ipv4_v1, flags, G_NXAF),
	    F(struct vcmd_net_addr_ipv4_v1, ip, G_IP4),
	    F(struct vcmd_net_addr_ipv4_v1, mask, G_IP4MASK) } },
	{ C(net_add_ipv4), sizeof(struct vcmd_net_addr_ipv4_v2), A_IN, I_NX,
	  P_SETUP, 4, { F(struct vcmd_net_addr_ipv4_v2, type, G_NXA),
			F(struct vcmd_net_addr_ipv4_v2, flags, G_NXAF),
			F(struct vcmd_net_addr_ipv4_v2, ip, G_IP4),
			F(struct vcmd_net_addr_ipv4_v2, ip2, G_IP4),
			F(struct vcmd_net_addr_ipv4_v2, mask, G_IP4MASK) } },
	{ C(net_remove_ipv4), sizeof(struct vcmd_net_addr_ipv4_v2), A_IN, I_NX,
	  P_SETUP, 3, { F(struct vcmd_net_addr_ipv4_v2, type, G_NXA),
			F(struct vcmd_net_addr_ipv4_v2, flags, G_NXAF),
			F(struct vcmd_net_addr_ipv4_v2, ip, G_IP4),
			F(struct vcmd_net_addr_ipv4_v2, ip2, G_IP4),
			F(struct vcmd_net_addr_ipv4_v2, mask, G_IP4MASK) } },
	{ C(net_add_ipv6), sizeof(struct vcmd_net_addr_ipv6), A_IN, I_NX,
	  P_SETUP, 4, { F(struct vcmd_net_addr_ipv6, type, G_NXA),
			F(struct vcmd_net_addr_ipv6, flags, G_NXAF),
			F(struct vcmd_net_addr_ipv6, prefix, G_PREFIX),
			F(struct vcmd_net_addr_ipv6, ip, G_IP6),
			F(struct vcmd_net_addr_ipv6, mask, G_IP6MASK) } },
	{ C(net_remove_ipv6), sizeof(struct vcmd_net_addr_ipv6), A_IN, I_NX,
	  P_SETUP, 3, { F(struct vcmd_net_addr_ipv6, type, G_NXA),
			F(struct vcmd_net_addr_ipv6, flags, G_NXAF),
			F(struct vcmd_net_addr_ipv6, prefix, G_PREFIX),
			F(struct vcmd_net_addr_ipv6, ip, G_IP6),
			F(struct vcmd_net_addr_ipv6, mask, G_IP6MASK) } },
	{ C(get_nflags), sizeof(struct vcmd_net_flags), A_OUT, I_NX, P_INFO, 2 },
	{ C(set_nflags), sizeof(struct vcmd_net_flags), A_IN, I_NX, P_SETUP, 4,
	  { F(struct vcmd_net_flags, flagword, G_NXF),
	    F(struct vcmd_net_flags, mask, G_NXF) } },
	{ C(get_ncaps), sizeof(struct vcmd_net_caps), A_OUT, I_NX, P_INFO, 1 },
	{ C(set_ncaps), sizeof(struct vcmd_net_caps), A_IN, I_NX, P_SETUP, 2,
	  { F(struct vcmd_net_caps, ncaps, G_NXC),
	    F(struct vcmd_net_caps, cmask, G_NXC) } },

	{ C(get_rlimit), sizeof(struct vcmd_ctx_rlimit), A_IN | A_OUT, I_VX,
	  P_INFO, 2, { F(struct vcmd_ctx_rlimit, id, G_RLIMID) } },
	{ C(set_rlimit), sizeof(struct vcmd_ctx_rlimit), A_IN, I_VX, P_SETUP, 5,
	  { F(struct vcmd_ctx_rlimit, id, G_RLIMID),
	    F(struct vcmd_ctx_rlimit, pad, G_RAND),
	    F(struct vcmd_ctx_rlimit, minimum, G_RLIM),
	    F(struct vcmd_ctx_rlimit, softlimit, G_RLIM),
	    F(struct vcmd_ctx_rlimit, maximum, G_RLIM) } },
	{ C(get_rlimit_mask), sizeof(struct vcmd_ctx_rlimit_mask), A_OUT,
	  I_NONE, P_ANY, 1 },
	{ C(reset_hits), 0, 0, I_VX, P_SETUP, 1 },
	{ C(reset_minmax), 0, 0, I_VX, P_SETUP, 1 },
	{ C(rlimit_stat), sizeof(struct vcmd_rlimit_stat), A_IN | A_OUT, I_VX,
	  P_INFO, 2, { F(struct vcmd_rlimit_stat, id, G_RLIMID) } },

	{ C(set_sched), sizeof(struct vcmd_sched_v5), A_IN, I_VX, P_SETUP, 5,
	  { F(struct vcmd_sched_v5, mask, G_SCHEDM),
	    F(struct vcmd_sched_v5, cpu_id, G_CPU),
	    F(struct vcmd_sched_v5, bucket_id, G_CPU),
	    FA(struct vcmd_sched_v5, fill_rate, 0, G_RATE),
	    FA(struct vcmd_sched_v5, fill_rate, 1, G_RATE),
	    FA(struct vcmd_sched_v5, interval, 0, G_RATE),
	    FA(struct vcmd_sched_v5, interval, 1, G_RATE),
	    F(struct vcmd_sched_v5, tokens, G_TOKENS),
	    F(struct vcmd_sched_v5, tokens_max, G_TOKENS),
	    F(struct vcmd_sched_v5, prio_bias, G_PRIO) } },
	{ C(get_sched), sizeof(struct vcmd_sched_v5), A_IN | A_OUT, I_VX,
	  P_INFO, 2, { F(struct vcmd_sched_v5, mask, G_SCHEDM),
		       F(struct vcmd_sched_v5, cpu_id, G_CPU),
		       F(struct vcmd_sched_v5, bucket_id, G_CPU) } },
	{ C(sched_info), sizeof(struct vcmd_sched_info), A_IN | A_OUT, I_VX,
	  P_INFO, 2, { F(struct vcmd_sched_info, cpu_id, G_CPU),
		       F(struct vcmd_sched_info, bucket_id, G_CPU) } },
	{ C(set_prio_bias), sizeof(struct vcmd_prio_bias), A_IN, I_VX,
	  P_SETUP, 2, { F(struct vcmd_prio_bias, cpu_id, G_CPU),
			F(struct vcmd_prio_bias, prio_bias, G_PRIO) } },
	{ C(get_prio_bias), sizeof(struct vcmd_prio_bias), A_IN | A_OUT, I_VX,
	  P_INFO, 1, { F(struct vcmd_prio_bias, cpu_id, G_CPU) } },

	{ C(get_iattr), sizeof(struct vcmd_iattr), A_IN | A_OUT, I_NONE,
	  P_ANY, 2, { F(struct vcmd_iattr, name, G_PATH) } },
	{ C(set_iattr), sizeof(struct vcmd_iattr), A_IN, I_NONE, P_ADMIN, 3,
	  { F(struct vcmd_iattr, name, G_PATH),
	    F(struct vcmd_iattr, tag, G_SMALL),
	    F(struct vcmd_iattr, flags, G_IATTR),
	    F(struct vcmd_iattr, mask, G_IATTR) } },
	{ C(fget_iattr), sizeof(struct vcmd_fiattr), A_OUT, I_FD, P_ANY, 1 },
	{ C(fset_iattr), sizeof(struct vcmd_fiattr), A_IN, I_FD, P_ADMIN, 2,
	  { F(struct vcmd_fiattr, tag, G_SMALL),
	    F(struct vcmd_fiattr, flags, G_IATTR),
	    F(struct vcmd_fiattr, mask, G_IATTR) } },

	{ C(add_dlimit), sizeof(struct vcmd_ctx_dlimit_base), A_IN, I_PROJ,
	  P_ADMIN, 2, { F(struct vcmd_ctx_dlimit_base, name, G_PATH),
			F(struct vcmd_ctx_dlimit_base, flags, G_DLIMF) } },
	{ C(rem_dlimit), sizeof(struct vcmd_ctx_dlimit_base), A_IN, I_PROJ,
	  P_ADMIN, 2, { F(struct vcmd_ctx_dlimit_base, name, G_PATH),
			F(struct vcmd_ctx_dlimit_base, flags, G_DLIMF) } },
	{ C(set_dlimit), sizeof(struct vcmd_ctx_dlimit), A_IN, I_PROJ,
	  P_ADMIN, 3, { F(struct vcmd_ctx_dlimit, name, G_PATH),
			F(struct vcmd_ctx_dlimit, space_used, G_DLIM),
			F(struct vcmd_ctx_dlimit, space_total, G_DLIM),
			F(struct vcmd_ctx_dlimit, inodes_used, G_DLIM),
			F(struct vcmd_ctx_dlimit, inodes_total, G_DLIM),
			F(struct vcmd_ctx_dlimit, reserved, G_SMALL),
			F(struct vcmd_ctx_dlimit, flags, G_DLIMF) } },
	{ C(get_dlimit), sizeof(struct vcmd_ctx_dlimit), A_IN | A_OUT, I_PROJ,
	  P_ANY, 2, { F(struct vcmd_ctx_dlimit, name, G_PATH) } },
};

#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))
#define ARG_MAX_SIZE	80

/* ---- shared state: rings, counters, findings ------------------------- */

#define RING	1024
#define NACTORS	5

enum role { R_HOST, R_RACER, R_SPECT, R_GUEST_A, R_GUEST_B };
static const char *const role_name[] = {
	"host", "racer", "spectator", "guest-a", "guest-b"
};

/* How a call's data pointer was made (replayed the same way). */
enum dkind { D_GOOD, D_RANDOM, D_MUTATED, D_NULL, D_UNMAPPED, D_KERNEL,
	     D_GUARD, D_TIGHT, D_RDONLY, D_NKINDS };
static const char *const dkind_name[] = {
	"good", "random", "mutated", "null", "unmapped", "kernel", "guard",
	"tight", "rdonly"
};

struct rec {
	uint64_t seq;
	uint32_t cmd, id;
	int32_t ret;
	uint8_t dkind, fault, actor, len;
	uint8_t data[ARG_MAX_SIZE];
};

struct ring {
	uint32_t next;
	struct rec r[RING];
};

struct shared {
	atomic_ullong seq;		/* calls issued, all actors */
	atomic_int stop;
	atomic_int violations;
	atomic_int restarts;
	atomic_int timeouts;		/* children that did not finish */
	uint32_t xid_a, xid_b, nid_a, nid_b;
	pid_t sup_pid;
	char first_violation[512];
	struct ring ring[NACTORS];
	atomic_ullong per_actor[NACTORS];
};

static struct shared *sh;

/* ---- options ---------------------------------------------------------- */

static uint64_t opt_seed;
static uint64_t opt_calls = 100000;
static int opt_fault;
static const char *opt_ring = "/tmp/vsfuzz.ring";
static const char *opt_replay;
static int opt_verbose;
static const char *opt_dir = "/tmp/vsfuzz";

/* Fixed ids, so that a replay can make the same contexts again. */
#define POOL_BASE	40000
#define POOL_N		8
#define RACE_BASE	40010
#define RACE_N		3

/* ---- random numbers: xorshift64*, one state per actor or thread ------- */

static __thread uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static int chance(int percent)
{
	return below(100) < (uint32_t)percent;
}

static void seed_rng(uint64_t s)
{
	rs = s * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
	if (!rs)
		rs = 1;
	for (int i = 0; i < 8; i++)
		rnd();
}

/* ---- helpers ----------------------------------------------------------- */

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "vsfuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void kmsg_note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static long vs(uint32_t cmd, uint32_t id, void *data)
{
	long r = syscall(NR_vserver, cmd, id, data);

	return r < 0 ? -errno : r;
}

static void violation(int role, const char *fmt, ...)
{
	char buf[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (atomic_fetch_add(&sh->violations, 1) == 0)
		snprintf(sh->first_violation, sizeof(sh->first_violation),
			 "%s: %s", role_name[role], buf);
	fprintf(stderr, "vsfuzz: property broken: %s: %s\n",
		role_name[role], buf);
}

static const struct cmd *find_cmd(uint32_t nr)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (cmds[i].nr == nr)
			return &cmds[i];
	return NULL;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* ---- memory for bad pointers ------------------------------------------ */

static char *guard_page;	/* a page followed by a PROT_NONE page */
static char *ro_page;		/* a read-only page */
static char *hole;		/* an address with nothing mapped */
static long page;

static void map_pages(void)
{
	page = sysconf(_SC_PAGESIZE);
	guard_page = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (guard_page == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	mprotect(guard_page + page, page, PROT_NONE);
	ro_page = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	hole = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ro_page == MAP_FAILED || hole == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	munmap(hole, page);
}

/* ---- paths and file descriptors the generators hand out --------------- */

static char long_path[5000];
static const char *paths[] = {
	"/tmp/vsfuzz/file", "/tmp/vsfuzz/dir", "/tmp/vsfuzz/q",
	"/tmp/vsfuzz/q/file", "/tmp/vsfuzz/link", "/tmp/vsfuzz/none",
	"/proc/kallsyms", "/proc/vsfuzz-none", "/proc/sys/kernel/vsfuzz",
	"", "relative", long_path,
};
#define NPATHS	(sizeof(paths) / sizeof(paths[0]))

static int fds[8];

static void make_scratch(void)
{
	char p[256];

	mkdir(opt_dir, 0755);
	snprintf(p, sizeof(p), "%s/dir", opt_dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/q", opt_dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/file", opt_dir);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	snprintf(p, sizeof(p), "%s/link", opt_dir);
	if (symlink("file", p) && errno != EEXIST)
		die("symlink %s: %s", p, strerror(errno));
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
}

static void open_fds(void)
{
	char p[256];
	int sv[2];

	snprintf(p, sizeof(p), "%s/file", opt_dir);
	fds[0] = open(p, O_RDWR);
	snprintf(p, sizeof(p), "%s/dir", opt_dir);
	fds[1] = open(p, O_RDONLY | O_DIRECTORY);
	fds[2] = open("/proc/kallsyms", O_RDONLY);
	if (pipe(sv) == 0) {
		fds[3] = sv[0];
		fds[4] = sv[1];
	}
	fds[5] = socket(AF_INET, SOCK_DGRAM, 0);
	fds[6] = -1;
	fds[7] = 1000;
}

/* ---- field generators ------------------------------------------------- */

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[below(n)];
}
#define PICK(...) ({ const uint64_t v_[] = { __VA_ARGS__ }; \
		     pick(v_, sizeof(v_) / sizeof(v_[0])); })

/* A random subset of @known bits, now and then with a stray bit. */
static uint64_t bits(uint64_t known)
{
	uint64_t v = rnd() & known;

	if (chance(10))
		v |= 1ULL << below(64);
	if (chance(5))
		v = rnd();
	if (chance(10))
		v = chance(50) ? 0 : ~0ULL;
	return v;
}

static uint32_t ip4(void)
{
	switch (below(6)) {
	case 0: return htonl(0x0a4d0000 | below(256));	/* 10.77.0.x */
	case 1: return htonl(0x7f000001);
	case 2: return 0;
	case 3: return 0xffffffff;
	case 4: return htonl(0xe0000001);		/* multicast */
	default: return (uint32_t)rnd();
	}
}

static uint32_t ip4mask(void)
{
	uint32_t n = below(34);

	if (n == 33)
		return (uint32_t)rnd();
	return n ? htonl(~0U << (32 - n)) : 0;
}

static uint64_t gen_value(enum gen g)
{
	switch (g) {
	case G_ZERO: return 0;
	case G_SMALL: return chance(80) ? below(4) : rnd();
	case G_VXF: return bits(VXF_MASK | VXF_STATE_SETUP | VXF_STATE_INIT |
				VXF_PERSISTENT | VXF_SCHED_PAUSE);
	case G_VXC: return bits(VXC_MASK);
	case G_BCAPS: return chance(20) ? 0xffffffff80000000ULL | rnd() :
				bits((1ULL << 41) - 1);
	case G_NXF: return bits(NXF_MASK);
	case G_NXC: return bits(NXC_MASK);
	case G_SPACE: return bits(VX_SPACE_FS | VX_SPACE_NS | VX_SPACE_CGROUP |
				  VX_SPACE_UTS | VX_SPACE_IPC | VX_SPACE_USER |
				  VX_SPACE_PID | VX_SPACE_NET);
	case G_INDEX: return chance(90) ? below(3) : rnd();
	case G_VHIN: return chance(90) ? below(8) : rnd();
	case G_PID: return PICK(0, 1, (uint64_t)-1, 2, getpid(), sh->sup_pid,
				99999, 0x7fffffff);
	case G_SIG: return chance(80) ? PICK(0, SIGKILL, SIGTERM, SIGSTOP,
					     SIGCONT, SIGHUP, SIGUSR1, 64, 65)
				      : rnd();
	case G_NXA: return chance(85) ?
		PICK(NXA_TYPE_ADDR, NXA_TYPE_ADDR, NXA_TYPE_MASK, NXA_TYPE_RANGE,
		     NXA_TYPE_ADDR | NXA_MOD_BCAST, NXA_TYPE_ADDR | NXA_MOD_LBACK,
		     NXA_TYPE_ANY, NXA_TYPE_NONE, NXA_TYPE_IPV4,
		     NXA_TYPE_IPV4 | NXA_TYPE_ADDR, NXA_TYPE_IPV6 | NXA_TYPE_MASK)
		: rnd();
	case G_NXAF: return chance(70) ? 0 : rnd();
	case G_IP4: return ip4();
	case G_IP4MASK: return ip4mask();
	case G_PREFIX: return chance(90) ? below(130) : rnd();
	case G_COUNT: return chance(80) ? below(6) : rnd();
	case G_RLIMID: return chance(90) ? below(VLIMIT_NR + 2) : rnd();
	case G_RLIM: return PICK(CRLIM_INFINITY, CRLIM_KEEP, 0, 1, 16, 1000,
				 1ULL << 40, (uint64_t)-3) + (chance(10) ? rnd() : 0);
	case G_SCHEDM: return bits(VXSM_MASK);
	case G_CPU: return PICK(0, 1, (uint64_t)-1, 2, 4096, 0x80000000);
	case G_RATE: return PICK(0, 1, 5, 10, 100, 1000, (uint64_t)-1,
				 0x7fffffff);
	case G_TOKENS: return PICK(0, 1, 100, 500, (uint64_t)-1, 0x7fffffff);
	case G_PRIO: return (uint64_t)(int64_t)((int)below(50) - 25);
	case G_IATTR: return bits(IATTR_MASK | IATTR_TAG);
	case G_UMASK: return chance(80) ? below(01000) : rnd();
	case G_BADNESS: return PICK(0, 1, (uint64_t)-1, 1000, (uint64_t)-1000,
				    0x7fffffffffffffffULL, 1ULL << 63);
	case G_DLIM: return PICK(CDLIM_UNSET, CDLIM_INFINITY, CDLIM_KEEP, 1,
				 100, 100000, 0x7fffffff);
	case G_DLIMF: return chance(80) ? 0 : rnd();
	case G_PATH:
		if (chance(5))
			return rnd();
		if (chance(3))
			return (uintptr_t)hole;
		return (uintptr_t)paths[below(NPATHS)];
	case G_RAND:
	default:
		return rnd();
	}
}

static void gen_field(const struct field *f, uint8_t *buf)
{
	uint64_t v;

	switch (f->gen) {
	case G_NAME:
		memset(buf + f->off, 0, f->size);
		{
			/* lengths: empty, short, the longest, no NUL */
			unsigned int len = PICK(0, 1, 8, 63, 64, 65);

			if (chance(30))
				len = below(f->size + 1);
			for (unsigned int i = 0; i < len && i < f->size; i++)
				buf[f->off + i] = 'a' + below(26);
		}
		return;
	case G_IP6:
	case G_IP6MASK:
		for (unsigned int i = 0; i < f->size; i++)
			buf[f->off + i] = (uint8_t)rnd();
		if (f->gen == G_IP6MASK) {
			unsigned int n = below(129);

			memset(buf + f->off, 0, f->size);
			for (unsigned int i = 0; i < n; i++)
				buf[f->off + i / 8] |= 0x80 >> (i % 8);
		} else if (chance(70)) {
			/* fd77::x, ::1, :: */
			memset(buf + f->off, 0, f->size);
			switch (below(3)) {
			case 0:
				buf[f->off] = 0xfd;
				buf[f->off + 1] = 0x77;
				buf[f->off + 15] = below(256);
				break;
			case 1:
				buf[f->off + 15] = 1;
				break;
			}
		}
		return;
	default:
		v = gen_value(f->gen);
		memcpy(buf + f->off, &v, f->size < 8 ? f->size : 8);
	}
}

/* ---- ids -------------------------------------------------------------- */

struct actor {
	enum role role;
	uint32_t xid, nid;		/* own context, own network context */
};

static uint32_t gen_id(enum idk k, const struct actor *a)
{
	switch (k) {
	case I_NONE:
		return chance(90) ? 0 : (uint32_t)rnd();
	case I_PID:
		return (uint32_t)gen_value(G_PID);
	case I_FD:
		return chance(90) ? (uint32_t)fds[below(8)] : below(64);
	case I_NEWVX:
	case I_NEWNX:
		if (a->role == R_RACER)
			return RACE_BASE + below(RACE_N);
		return (uint32_t)PICK(POOL_BASE + 3, POOL_BASE + 4, POOL_BASE + 5,
				      POOL_BASE + 6, (uint64_t)-1, (uint64_t)-1,
				      0, 1, 49151, 49152, 65535, 65536,
				      (uint64_t)-2, 0x80000000);
	default:
		break;
	}
	/* I_VX, I_NX, I_PROJ */
	if (a->role == R_RACER)
		return chance(90) ? RACE_BASE + below(RACE_N) :
				    (uint32_t)PICK(0, 1, (uint64_t)-1);
	switch (below(12)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return (uint32_t)-1;
	case 3: return (uint32_t)-2;
	case 4: return k == I_NX ? sh->nid_a : sh->xid_a;
	case 5: return k == I_NX ? sh->nid_b : sh->xid_b;
	case 6: return (uint32_t)rnd();
	case 7: return 2 + below(65534);
	default: return POOL_BASE + below(POOL_N);
	}
}

/* ---- one call --------------------------------------------------------- */

struct call {
	const struct cmd *c;		/* NULL: an unknown command */
	uint32_t nr, id;
	enum dkind dk;
	unsigned int len;
	uint8_t data[ARG_MAX_SIZE];
};

/* The pointer a call passes, made from its kind and its bytes. */
static void *place(struct call *cl, uint8_t *local)
{
	unsigned int size = cl->len;

	switch (cl->dk) {
	case D_NULL: return NULL;
	case D_UNMAPPED: return hole;
	case D_KERNEL: return (void *)0xffffffff81000000UL;
	case D_GUARD: {
		/* The structure runs 1..size bytes into the guard page. */
		unsigned int over = size ? 1 + cl->data[0] % size : 1;
		char *p = guard_page + page - size + over;

		memcpy(guard_page + page - size + over, cl->data, size - over);
		return p;
	}
	case D_TIGHT:
		memcpy(guard_page + page - size, cl->data, size);
		return guard_page + page - size;
	case D_RDONLY: return ro_page;
	default:
		memcpy(local, cl->data, size);
		return local;
	}
}

static void gen_call(struct call *cl, const struct actor *a)
{
	static unsigned int total_weight;
	unsigned int w;
	size_t i;

	if (!total_weight)
		for (i = 0; i < NCMDS; i++)
			total_weight += cmds[i].weight;
	memset(cl, 0, sizeof(*cl));
	if (chance(2)) {
		/* An unknown command next to a known one. */
		const struct cmd *near = &cmds[below(NCMDS)];

		cl->nr = near->nr ^ PICK(1, 2, 0x10000, 0x1000000, 0x800,
					 0x40000000, 0x80000000);
		if (chance(20))
			cl->nr = (uint32_t)rnd();
		cl->c = find_cmd(cl->nr);
		cl->id = (uint32_t)rnd();
		cl->len = ARG_MAX_SIZE;
		for (i = 0; i < ARG_MAX_SIZE; i++)
			cl->data[i] = (uint8_t)rnd();
		cl->dk = D_RANDOM;
		return;
	}
	w = below(total_weight);
	for (i = 0; i < NCMDS - 1 && w >= cmds[i].weight; i++)
		w -= cmds[i].weight;
	cl->c = &cmds[i];
	cl->nr = cl->c->nr;
	cl->id = gen_id(cl->c->idk, a);
	cl->len = cl->c->size ? cl->c->size : 8;
	for (const struct field *f = cl->c->f; f->gen != G_END; f++)
		gen_field(f, cl->data);

	w = below(100);
	if (w < 70)
		cl->dk = D_GOOD;
	else if (w < 76)
		cl->dk = D_RANDOM;
	else if (w < 84)
		cl->dk = D_MUTATED;
	else
		cl->dk = D_NULL + below(D_NKINDS - D_NULL);
	if (cl->dk == D_RANDOM)
		for (i = 0; i < cl->len; i++)
			cl->data[i] = (uint8_t)rnd();
	if (cl->dk == D_MUTATED)
		for (int n = 1 + below(3); n; n--)
			cl->data[below(cl->len)] ^= 1 << below(8);
	if (cl->dk == D_GUARD)
		cl->data[0] = (uint8_t)below(256);
	/* The read-only page only makes sense for commands that write. */
	if (cl->dk == D_RDONLY && !(cl->c->flags & A_OUT))
		cl->dk = D_GOOD;
}

static void record(int actor, const struct call *cl, long ret, int fault)
{
	struct ring *rg = &sh->ring[actor];
	struct rec *r = &rg->r[__atomic_fetch_add(&rg->next, 1,
						  __ATOMIC_RELAXED) % RING];

	r->seq = atomic_fetch_add(&sh->seq, 1);
	r->cmd = cl->nr;
	r->id = cl->id;
	r->ret = (int32_t)ret;
	r->dkind = cl->dk;
	r->fault = fault;
	r->actor = actor;
	r->len = cl->len;
	memcpy(r->data, cl->data, cl->len);
	atomic_fetch_add(&sh->per_actor[actor], 1);
}

static volatile sig_atomic_t alarmed;
static void on_alarm(int sig)
{
	alarmed = 1;
}

/*
 * fail-nth: the k-th fault site (allocation, user copy) the next calls of
 * this thread reach fails.  Reading it back tells whether it was reached.
 */
static int fail_fd = -1;

static void fail_arm(int k)
{
	char s[16];

	if (fail_fd < 0)
		fail_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_fd < 0)
		die("fault mode: /proc/thread-self/fail-nth: %s "
		    "(a kernel with CONFIG_FAULT_INJECTION)", strerror(errno));
	snprintf(s, sizeof(s), "%d", k);
	if (pwrite(fail_fd, s, strlen(s), 0) < 0)
		die("fail-nth: %s", strerror(errno));
}

/* Return 1 if the armed fault was injected; disarm in any case. */
static int fail_check(void)
{
	char s[16] = "";
	ssize_t n = pread(fail_fd, s, sizeof(s) - 1, 0);
	int injected = n >= 1 && s[0] == '0';

	if (pwrite(fail_fd, "0", 1, 0) < 0 && errno != EFAULT)
		die("fail-nth: %s", strerror(errno));
	return injected;
}

static long issue(struct call *cl, int fault, int *injected)
{
	uint8_t local[ARG_MAX_SIZE + 8] __attribute__((aligned(8)));
	void *p = place(cl, local);
	long ret;

	*injected = 0;
	if (cl->c && (cl->c->flags & A_BLOCK)) {
		struct itimerval it = { .it_value = { 0, 20000 } };

		alarmed = 0;
		setitimer(ITIMER_REAL, &it, NULL);
	}
	if (fault)
		fail_arm(fault);
	ret = vs(cl->nr, cl->id, p);
	if (fault)
		*injected = fail_check();
	if (cl->c && (cl->c->flags & A_BLOCK)) {
		struct itimerval off = { };

		setitimer(ITIMER_REAL, &off, NULL);
	}
	return ret;
}

/*
 * A call that changes the caller's context runs in a child that exits.
 * The host's and the racer's children are not waited for (they may sit in
 * a paused context); at most MAX_CHILDREN of them run at once.
 */
#define NOT_ISSUED	(-100000L)
#define IN_FLIGHT	(-100001L)
#define MAX_CHILDREN	16
static atomic_int children;

static void reap(void)
{
	while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
		atomic_fetch_sub(&children, 1);
}

static long issue_child(struct call *cl, int fault, int *injected, int async)
{
	int status, waited = -1;
	struct pollfd pfd;
	pid_t pid;

	*injected = 0;	/* a child that does not finish reports nothing */
	reap();		/* earlier children, timed out or not waited for */
	if (async && atomic_load(&children) >= MAX_CHILDREN)
		return NOT_ISSUED;
	pid = fork();
	if (pid < 0)
		return NOT_ISSUED;	/* a guest's process limit, say */
	if (pid == 0) {
		int inj = 0;
		long ret;

		/* fail-nth is per task: the child opens its own. */
		if (fail_fd >= 0) {
			close(fail_fd);
			fail_fd = -1;
		}
		ret = issue(cl, fault, &inj);

		/* In the new context, a second call now and then. */
		if (ret >= 0 && chance(30))
			vs(VCMD_vx_info, (uint32_t)-1, NULL);
		_exit((inj ? 0x80 : 0) | (int)(ret < 0 ? -ret & 0x7f : 0));
	}
	if (async) {
		atomic_fetch_add(&children, 1);
		return IN_FLIGHT;
	}
	/*
	 * Wait up to a second.  A child in a paused context (1 ms of CPU a
	 * second) is killed and left to reap() with the others.
	 */
	pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd.events = POLLIN;
	if (pfd.fd >= 0) {
		waited = poll(&pfd, 1, 1000);
		close(pfd.fd);
	}
	if (waited == 0 || waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		atomic_fetch_add(&children, 1);
		if (atomic_fetch_add(&sh->timeouts, 1) < 20)
			kmsg_note("vsfuzz: child %d: %s(%u) fault %d did not "
				  "finish in a second\n", pid,
				  cl->c ? cl->c->name : "?", cl->id, fault);
		return -ETIMEDOUT;
	}
	if (!WIFEXITED(status))
		return -EINTR;
	*injected = !!(WEXITSTATUS(status) & 0x80);
	return -(long)(WEXITSTATUS(status) & 0x7f);
}

/* ---- the permission properties (Documentation/.../vserver.rst) -------- */

static void check_result(const struct actor *a, const struct call *cl,
			 long ret)
{
	const struct cmd *c = cl->c;
	uint32_t own, target;
	int self_setup;

	/* A child in a paused context did not finish: no result. */
	if (ret == -ETIMEDOUT && c && (c->flags & A_CHILD))
		return;
	if (!c) {
		if (ret != -ENOSYS)
			violation(a->role, "unknown command %#x returned %ld",
				  cl->nr, ret);
		return;
	}
	if (ret == -ENOSYS) {
		violation(a->role, "%s returned ENOSYS", c->name);
		return;
	}
	if (a->role == R_HOST || a->role == R_RACER)
		return;
	if (c->idk != I_VX && c->idk != I_NX && c->idk != I_NEWVX &&
	    c->idk != I_NEWNX)
		goto anyid;
	own = c->idk == I_NX || c->idk == I_NEWNX ? a->nid : a->xid;
	target = (int32_t)cl->id < 0 ? own : cl->id;
	self_setup = a->role == R_GUEST_B;

	switch (c->perm) {
	case P_ADMIN:
		if (ret != -EPERM)
			violation(a->role, "%s(%u) returned %ld, not EPERM",
				  c->name, cl->id, ret);
		break;
	case P_SETUP:
		if (target != own) {
			if (ret != -EPERM)
				violation(a->role, "%s(%u) on another context "
					  "returned %ld, not EPERM", c->name,
					  cl->id, ret);
		} else if (!self_setup && ret >= 0 &&
			   !(a->role == R_SPECT &&
			     (cl->nr == VCMD_ctx_migrate ||
			      cl->nr == VCMD_ctx_migrate_v0))) {
			violation(a->role, "%s(%u) changed its own context "
				  "after setup (returned %ld)", c->name,
				  cl->id, ret);
		}
		break;
	case P_INFO:
		if (a->role != R_SPECT && target != own && ret != -ESRCH)
			violation(a->role, "%s(%u) read another context "
				  "(returned %ld, not ESRCH)", c->name, cl->id,
				  ret);
		break;
	}
	return;
anyid:
	/* A guest cannot find out about a host task. */
	if ((cl->nr == VCMD_task_xid || cl->nr == VCMD_task_nid) &&
	    a->role != R_SPECT && cl->id == (uint32_t)sh->sup_pid && ret >= 0)
		violation(a->role, "%s saw the host's pid %u (returned %ld)",
			  c->name, cl->id, ret);
	if (c->perm == P_ADMIN && ret != -EPERM)
		violation(a->role, "%s returned %ld, not EPERM", c->name, ret);
}

/* ---- actors ----------------------------------------------------------- */

/*
 * Each actor has its share of the calls (per cent): the guests' calls
 * mostly fail early and would otherwise crowd out the host's.
 */
static const unsigned int share[NACTORS] = { 50, 15, 10, 13, 12 };

static int quota_done(int slot)
{
	uint64_t q = opt_fault ? (slot == R_HOST ? opt_calls : 0) :
				 opt_calls * share[slot] / 100;

	if (slot == R_HOST && !opt_fault)	/* the rest of the division */
		q = opt_calls - opt_calls * (100 - share[R_HOST]) / 100;
	return atomic_load(&sh->per_actor[slot]) >= q;
}

static void one_call(int slot, const struct actor *a)
{
	struct call cl;
	long ret;
	int injected = 0, k = 0;

	gen_call(&cl, a);
	do {
		if (opt_fault)
			k++;
		/*
		 * Another actor's such call must fail (or change nothing):
		 * it runs in place, and a success is a broken property.
		 */
		if (cl.c && (cl.c->flags & A_CHILD) && a->role == R_HOST)
			ret = issue_child(&cl, k, &injected, !opt_fault);
		else
			ret = issue(&cl, k, &injected);
		if (ret == NOT_ISSUED)
			return;
		record(slot, &cl, ret, k > 255 ? 255 : k);
		if ((!opt_fault || k == 1) && ret != IN_FLIGHT)
			check_result(a, &cl, ret);
	} while (opt_fault && injected && k < 200 &&
		 !quota_done(slot));
}

static void fuzz_loop(int slot, const struct actor *a)
{
	unsigned int n = 0;

	while (!atomic_load(&sh->stop) && !quota_done(slot)) {
		one_call(slot, a);
		/* A guest is still in its own context. */
		if (a->role >= R_SPECT && (++n & 63) == 0) {
			long x = vs(VCMD_task_xid, 0, NULL);

			if (x != (long)a->xid)
				violation(a->role, "left its context: xid %ld",
					  x);
		}
	}
}

static int in_race(const uint32_t *race, size_t n, const struct call *cl)
{
	for (size_t i = 0; i < n; i++)
		if (cl->c && cl->nr == race[i])
			return 1;
	return 0;
}

struct racer_arg {
	struct actor a;
	uint64_t seed;
};

static void *racer_thread(void *p)
{
	struct racer_arg *ra = p;
	static const uint32_t race[] = {
		VCMD_ctx_create, VCMD_ctx_migrate, VCMD_ctx_kill,
		VCMD_set_cflags, VCMD_set_sched, VCMD_net_create,
		VCMD_net_migrate, VCMD_net_add_ipv4, VCMD_set_rlimit,
		VCMD_vx_info, VCMD_ctx_stat, VCMD_set_space, VCMD_set_bcaps,
		VCMD_set_vhi_name, VCMD_set_nflags,
	};

	seed_rng(ra->seed);
	while (!atomic_load(&sh->stop) && !quota_done(R_RACER)) {
		struct call cl;
		long ret;
		int inj = 0;

		/* Only the commands that race on an id's lifetime. */
		do
			gen_call(&cl, &ra->a);
		while (!in_race(race, sizeof(race) / sizeof(race[0]), &cl));
		if (cl.dk != D_GOOD && chance(70))
			cl.dk = D_GOOD;
		if (cl.c->flags & A_CHILD)
			ret = issue_child(&cl, 0, &inj, 1);
		else
			ret = issue(&cl, 0, &inj);
		if (ret == NOT_ISSUED)
			continue;
		record(R_RACER, &cl, ret, 0);
		if (ret != IN_FLIGHT)
			check_result(&ra->a, &cl, ret);
	}
	return NULL;
}

static void run_racer(uint64_t seed)
{
	struct racer_arg ra[3];
	pthread_t t[3];
	struct actor a = { .role = R_RACER };

	for (int i = 0; i < 3; i++) {
		ra[i].a = a;
		ra[i].seed = seed * 7 + i;
		if (pthread_create(&t[i], NULL, racer_thread, &ra[i]))
			die("pthread_create failed");
	}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
}

/* Make an actor's contexts from inside the actor process. */
static void become_guest(struct actor *a, int end_setup)
{
	struct vcmd_net_addr_ipv4_v2 ad = {
		.type = NXA_TYPE_ADDR,
		.ip = htonl(0x0a4d0100 | (a->xid & 0xff)),
		.mask = 0xffffffff,
	};
	struct vcmd_ctx_flags fl = { .flagword = 0, .mask = VXF_STATE_SETUP };
	struct vcmd_net_flags nf = { .flagword = 0, .mask = NXF_STATE_SETUP };
	long r;

	/* What is left of an earlier run of this actor. */
	r = vs(VCMD_net_create, a->nid, NULL);
	if (r < 0 && r != -EEXIST)
		die("%s: net_create %u: %s", role_name[a->role], a->nid,
		    strerror((int)-r));
	if (r == -EEXIST && vs(VCMD_net_migrate, a->nid, NULL) < 0)
		die("%s: net_migrate %u failed", role_name[a->role], a->nid);
	vs(VCMD_net_add_ipv4, a->nid, &ad);
	if (end_setup)
		vs(VCMD_set_nflags, a->nid, &nf);
	r = vs(VCMD_ctx_create, a->xid, NULL);
	if (r < 0)
		die("%s: ctx_create %u: %s", role_name[a->role], a->xid,
		    strerror((int)-r));
	if (end_setup && vs(VCMD_set_cflags, a->xid, &fl) < 0)
		die("%s: could not end setup", role_name[a->role]);
}

static void actor_main(int slot, uint64_t seed)
{
	struct actor a = { .role = slot };
	struct sigaction sa = { .sa_handler = on_alarm };

	/* Random signals from ctx_kill must not end a guest early. */
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGALRM && s != SIGCHLD)
			signal(s, SIG_IGN);
	sigaction(SIGALRM, &sa, NULL);
	seed_rng(seed);
	open_fds();
	switch (a.role) {
	case R_SPECT:
		if (vs(VCMD_ctx_migrate, VX_ID_SPECTATOR, NULL) < 0)
			die("spectator: migrate to xid 1 failed");
		a.xid = VX_ID_SPECTATOR;
		a.nid = 0;
		break;
	case R_GUEST_A:
	case R_GUEST_B:
		a.xid = a.role == R_GUEST_A ? sh->xid_a : sh->xid_b;
		a.nid = a.role == R_GUEST_A ? sh->nid_a : sh->nid_b;
		become_guest(&a, a.role == R_GUEST_A);
		break;
	case R_RACER:
		run_racer(seed);
		_exit(0);
	default:
		break;
	}
	fuzz_loop(slot, &a);
	_exit(0);
}

/* ---- the kernel log --------------------------------------------------- */

static const char *const bad_lines[] = {
	"BUG:", "WARNING:", "KASAN", "UBSAN", "sleeping function called",
	"Oops", "general protection fault", "kernel BUG", "circular locking",
	"inconsistent lock state", "lock held when returning",
	"unreferenced object",
};

static int kmsg_fd = -1;
static int reports;
static char first_report[512];

static void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* Read what the kernel logged since the last look; count reports. */
static void kmsg_scan(void)
{
	char buf[8192];

	if (kmsg_fd < 0)
		return;
	for (;;) {
		ssize_t n = read(kmsg_fd, buf, sizeof(buf) - 1);
		char *msg;

		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		buf[n] = 0;
		msg = strchr(buf, ';');
		msg = msg ? msg + 1 : buf;
		for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]);
		     i++) {
			if (!strstr(msg, bad_lines[i]))
				continue;
			if (!reports++)
				snprintf(first_report, sizeof(first_report),
					 "%.*s", (int)strcspn(msg, "\n"), msg);
			printf("# kernel: %.*s\n", (int)strcspn(msg, "\n"), msg);
			break;
		}
	}
}

/* ---- the ring file ---------------------------------------------------- */

static int rec_cmp(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;

	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void write_ring(const char *path)
{
	struct rec *all = calloc(NACTORS * RING, sizeof(*all));
	size_t n = 0;
	FILE *f = fopen(path, "w");

	if (!all || !f)
		die("%s: %s", path, strerror(errno));
	for (int a = 0; a < NACTORS; a++) {
		uint32_t cnt = sh->ring[a].next < RING ? sh->ring[a].next : RING;

		for (uint32_t i = 0; i < cnt; i++)
			all[n++] = sh->ring[a].r[i];
	}
	qsort(all, n, sizeof(*all), rec_cmp);
	fprintf(f, "# vsfuzz ring: seed %" PRIu64 ", %zu calls, oldest first\n"
		"# seq actor cmd id data fault ret bytes\n", opt_seed, n);
	for (size_t i = 0; i < n; i++) {
		const struct rec *r = &all[i];
		const struct cmd *c = find_cmd(r->cmd);

		fprintf(f, "R %" PRIu64 " %s %#010x %u %s %u %d ", r->seq,
			role_name[r->actor], r->cmd, r->id,
			dkind_name[r->dkind], r->fault, r->ret);
		for (unsigned int j = 0; j < r->len; j++)
			fprintf(f, "%02x", r->data[j]);
		fprintf(f, " %s\n", c ? c->name : "unknown");
	}
	fclose(f);
	free(all);
}

/* ---- contexts: before, after, cleanup ----------------------------------- */

static int list_ids(const char *dir, uint32_t *ids, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		char *end;
		unsigned long v = strtoul(e->d_name, &end, 10);

		if (*end == 0 && end != e->d_name)
			ids[n++] = v;
	}
	closedir(d);
	return n;
}

static int in_list(uint32_t v, const uint32_t *l, int n)
{
	for (int i = 0; i < n; i++)
		if (l[i] == v)
			return 1;
	return 0;
}

static uint32_t base_vx[4096], base_nx[4096];
static int nbase_vx, nbase_nx;

/* Kill what the fuzzer made; persistent contexts lose that flag first. */
static int cleanup(void)
{
	uint32_t ids[4096];
	int n, left = 0;

	for (int round = 0; round < 50; round++) {
		n = list_ids("/proc/virtual", ids, 4096);
		left = 0;
		for (int i = 0; i < n; i++) {
			struct vcmd_ctx_flags fl = {
				.flagword = 0,
				.mask = VXF_PERSISTENT | VXF_SCHED_PAUSE |
					VXF_SCHED_HARD,
			};
			struct vcmd_ctx_kill k = { .pid = 0, .sig = SIGKILL };

			if (in_list(ids[i], base_vx, nbase_vx))
				continue;
			left++;
			vs(VCMD_set_cflags, ids[i], &fl);
			vs(VCMD_ctx_kill, ids[i], &k);
		}
		n = list_ids("/proc/virtnet", ids, 4096);
		for (int i = 0; i < n; i++) {
			struct vcmd_net_flags nf = {
				.flagword = 0, .mask = NXF_PERSISTENT,
			};

			if (in_list(ids[i], base_nx, nbase_nx))
				continue;
			left++;
			vs(VCMD_set_nflags, ids[i], &nf);
		}
		if (!left)
			break;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(100000);
	}
	if (left) {
		n = list_ids("/proc/virtual", ids, 4096);
		for (int i = 0; i < n; i++)
			if (!in_list(ids[i], base_vx, nbase_vx)) {
				struct vcmd_ctx_stat st = { };

				vs(VCMD_ctx_stat, ids[i], &st);
				printf("# context %u left: %u uses, %u tasks\n",
				       ids[i], st.usecnt, st.tasks);
			}
		n = list_ids("/proc/virtnet", ids, 4096);
		for (int i = 0; i < n; i++)
			if (!in_list(ids[i], base_nx, nbase_nx))
				printf("# network context %u left\n", ids[i]);
	}
	return left;
}

/* Before a guest actor starts again: its contexts must go. */
static void reset_actor(int role)
{
	uint32_t xid = role == R_GUEST_A ? sh->xid_a : sh->xid_b;
	uint32_t nid = role == R_GUEST_A ? sh->nid_a : sh->nid_b;
	struct vcmd_ctx_flags fl = {
		.mask = VXF_PERSISTENT | VXF_SCHED_PAUSE | VXF_SCHED_HARD,
	};
	struct vcmd_net_flags nf = { .mask = NXF_PERSISTENT };
	struct vcmd_ctx_kill k = { .pid = 0, .sig = SIGKILL };
	char p[64];

	if (role != R_GUEST_A && role != R_GUEST_B)
		return;
	for (int i = 0; i < 100; i++) {
		vs(VCMD_set_cflags, xid, &fl);
		vs(VCMD_ctx_kill, xid, &k);
		vs(VCMD_set_nflags, nid, &nf);
		snprintf(p, sizeof(p), "/proc/virtual/%u", xid);
		if (access(p, F_OK)) {
			snprintf(p, sizeof(p), "/proc/virtnet/%u", nid);
			if (access(p, F_OK))
				return;
		}
		usleep(20000);
	}
}

/* The host sees every task of every guest actor. */
static void check_visible(const pid_t *pids)
{
	char p[64];

	for (int a = R_SPECT; a < NACTORS; a++) {
		if (pids[a] <= 0 || kill(pids[a], 0))
			continue;
		snprintf(p, sizeof(p), "/proc/%d/status", pids[a]);
		if (access(p, R_OK))
			violation(a, "the host cannot see pid %d", pids[a]);
	}
}

/*
 * An actor that makes no progress for STALL_SECS is a finding: a task
 * stuck in the kernel.  The kernel stacks of every task in D state go to
 * the output and the blocked tasks to the kernel log (sysrq w).
 */
#define STALL_SECS	120

static void dump_blocked(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char p[300], buf[4096];

	write_file("/proc/sysrq-trigger", "w");
	if (!d)
		return;
	while ((e = readdir(d))) {
		FILE *f;
		char state = 0, comm[64] = "";
		int fd;
		ssize_t n;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/stat", e->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fscanf(f, "%*d (%63[^)]) %c", comm, &state) != 2)
			state = 0;
		fclose(f);
		if (state != 'D')
			continue;
		printf("# stuck task %s (%s), kernel stack:\n", e->d_name, comm);
		snprintf(p, sizeof(p), "/proc/%s/stack", e->d_name);
		fd = open(p, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = 0;
			for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
				printf("#   %s\n", l);
		}
	}
	closedir(d);
}

/* A line in the kernel log: the console shows how far a long run is. */
static void kmsg_note(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(fd, buf, strlen(buf)) < 0)
		buf[0] = 0;
	close(fd);
}

/* Where a task is: its context, cgroup and scheduling state. */
static void note_task(pid_t pid)
{
	static const char *const files[] = { "cgroup", "status", "sched" };
	char p[64], buf[2048];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int fd;
		ssize_t n;

		snprintf(p, sizeof(p), "/proc/%d/%s", pid, files[i]);
		fd = open(p, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n"))
			if (i != 1 || !strncmp(l, "VxID", 4) ||
			    !strncmp(l, "NxID", 4) || !strncmp(l, "State", 5))
				kmsg_note("vsfuzz: pid %d %s: %s\n", pid,
					  files[i], l);
	}
}

static void check_progress(const pid_t *pids)
{
	static uint64_t last[NACTORS];
	static time_t since[NACTORS], beat;
	static int dumped_at;
	time_t now = time(NULL);

	/* Children that hang: show where (once at 10, then every 100). */
	if (atomic_load(&sh->timeouts) >= dumped_at + (dumped_at ? 100 : 10)) {
		dumped_at = atomic_load(&sh->timeouts);
		kmsg_note("vsfuzz: %d children did not finish in a second; "
			  "blocked tasks follow\n", dumped_at);
		dump_blocked();
		for (int a = 0; a < NACTORS; a++)
			if (pids[a] > 0)
				note_task(pids[a]);
	}
	if (now - beat >= 30) {
		beat = now;
		kmsg_note("vsfuzz: %llu calls (host %llu, racer %llu, spectator "
			  "%llu, guest-a %llu, guest-b %llu)\n",
			  (unsigned long long)atomic_load(&sh->seq),
			  (unsigned long long)sh->per_actor[0],
			  (unsigned long long)sh->per_actor[1],
			  (unsigned long long)sh->per_actor[2],
			  (unsigned long long)sh->per_actor[3],
			  (unsigned long long)sh->per_actor[4]);
	}

	for (int a = 0; a < NACTORS; a++) {
		uint64_t n = atomic_load(&sh->per_actor[a]);

		if (n != last[a] || pids[a] <= 0 || quota_done(a)) {
			last[a] = n;
			since[a] = now;
			continue;
		}
		if (now - since[a] < STALL_SECS)
			continue;
		violation(a, "no call finished for %d s (pid %d): stuck in "
			  "the kernel?", STALL_SECS, pids[a]);
		kmsg_note("vsfuzz: %s (pid %d) made no progress for %d s\n",
			  role_name[a], pids[a], STALL_SECS);
		dump_blocked();
		atomic_store(&sh->stop, 1);
		since[a] = now;
	}
}

/* ---- iattr state the fuzzer may change outside its directory ----------- */

static struct vcmd_iattr kallsyms_attr;

static void save_attrs(void)
{
	kallsyms_attr.name = (uintptr_t)"/proc/kallsyms";
	vs(VCMD_get_iattr, 0, &kallsyms_attr);
}

static void restore_attrs(void)
{
	struct vcmd_iattr ia = kallsyms_attr;

	ia.name = (uintptr_t)"/proc/kallsyms";
	ia.mask = IATTR_FLAGS;
	vs(VCMD_set_iattr, 0, &ia);
}

/* ---- fault injection knobs -------------------------------------------- */

static void fault_setup(void)
{
	static const char *const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
		{ "/sys/kernel/debug/fail_usercopy/verbose", "0" },
	};

	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access("/proc/self/fail-nth", F_OK))
		die("fault mode needs a kernel with CONFIG_FAULT_INJECTION "
		    "(make kernel-debug)");
	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (write_file(knobs[i][0], knobs[i][1]))
			die("fault mode: cannot write %s (CONFIG_FAILSLAB, "
			    "CONFIG_FAULT_INJECTION_DEBUG_FS)", knobs[i][0]);
}

/* ---- replay ------------------------------------------------------------ */

static int parse_hex(const char *s, uint8_t *out, unsigned int max)
{
	unsigned int n = 0, v;

	while (s[0] && s[1] && n < max && sscanf(s, "%2x", &v) == 1) {
		out[n++] = v;
		s += 2;
	}
	return n;
}

/*
 * The fixed ids the ring names, each held by a task as the actors held
 * theirs (a replayed call that clears persistence must not end them), and
 * made again when a replayed ctx_kill ended the holder, as the supervisor
 * restarts actors.
 */
#define NHOLD	(RACE_BASE + RACE_N - POOL_BASE)
static pid_t holders[NHOLD];

static void hold_contexts(void)
{
	int made = 0;

	for (int i = 0; i < NHOLD; i++) {
		uint32_t id = POOL_BASE + i;
		int status;

		if (holders[i] > 0 && waitpid(holders[i], &status, WNOHANG) == 0)
			continue;
		made++;
		holders[i] = fork();
		if (holders[i] == 0) {
			for (int sig = 1; sig < 32; sig++)
				if (sig != SIGKILL && sig != SIGSTOP)
					signal(sig, SIG_IGN);
			if (vs(VCMD_net_create, id, NULL) == -EEXIST)
				vs(VCMD_net_migrate, id, NULL);
			if (vs(VCMD_ctx_create, id, NULL) == -EEXIST)
				vs(VCMD_ctx_migrate, id, NULL);
			for (;;)
				pause();
		}
	}
	if (made)	/* they are in their contexts before the next call */
		usleep(20000);
}

static void release_contexts(void)
{
	for (int i = 0; i < NHOLD; i++)
		if (holders[i] > 0) {
			kill(holders[i], SIGKILL);
			waitpid(holders[i], NULL, 0);
		}
}

/*
 * The replay runs on the host: an id by which a guest actor named its own
 * context becomes that context's id.
 */
static uint32_t replay_id(const char *actor, const struct cmd *c, uint32_t id)
{
	int nx = c && (c->idk == I_NX || c->idk == I_NEWNX);

	if ((int32_t)id >= 0 || !c || c->idk == I_NEWVX || c->idk == I_NEWNX)
		return id;
	if (!strcmp(actor, "guest-a"))
		return nx ? sh->nid_a : sh->xid_a;
	if (!strcmp(actor, "guest-b"))
		return nx ? sh->nid_b : sh->xid_b;
	if (!strcmp(actor, "spectator") && !nx)
		return VX_ID_SPECTATOR;
	return id;
}

static int replay(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0;
	struct sigaction sa = { .sa_handler = on_alarm };

	if (!f)
		die("%s: %s", path, strerror(errno));
	sigaction(SIGALRM, &sa, NULL);
	kmsg_open();
	hold_contexts();
	while (fgets(line, sizeof(line), f)) {
		char actor[32], kind[32], hex[2 * ARG_MAX_SIZE + 2], name[64];
		unsigned long long seq;
		unsigned int cmd, id, fault;
		int ret, inj = 0;
		struct call cl = { };
		long r;

		if (line[0] != 'R')
			continue;
		if (sscanf(line, "R %llu %31s %x %u %31s %u %d %161s %63s", &seq,
			   actor, &cmd, &id, kind, &fault, &ret, hex, name) < 8)
			die("%s: bad line: %s", path, line);
		cl.nr = cmd;
		cl.id = replay_id(actor, find_cmd(cmd), id);
		cl.c = find_cmd(cmd);
		cl.len = parse_hex(hex, cl.data, ARG_MAX_SIZE);
		for (int k = 0; k < D_NKINDS; k++)
			if (!strcmp(kind, dkind_name[k]))
				cl.dk = k;
		if (cl.c && (cl.c->flags & A_CHILD))
			r = issue_child(&cl, fault, &inj, 0);
		else
			r = issue(&cl, fault, &inj);
		if (opt_verbose)
			printf("# replay %llu %s(%u) = %ld (was %d)\n", seq,
			       cl.c ? cl.c->name : "unknown", id, r, ret);
		n++;
		kmsg_scan();
		if ((n & 15) == 0)
			hold_contexts();
	}
	fclose(f);
	release_contexts();
	usleep(200000);
	kmsg_scan();
	cleanup();
	printf("# replayed %d calls from %s: %d kernel reports\n", n, path,
	       reports);
	if (reports)
		printf("# first: %s\n", first_report);
	return reports ? 1 : 0;
}

/* ---- main -------------------------------------------------------------- */

static void usage(FILE *out, int status)
{
	fprintf(out,
"Usage: vsfuzz [--seed N] [--calls N] [--fault] [--ring FILE] [--dir DIR]\n"
"       vsfuzz --replay FILE [--verbose]\n"
"Fuzz sys_vserver() from the host, the spectator, two guests and a racer;\n"
"watch the kernel log; write the last calls to --ring FILE on a finding.\n"
"  --seed N     random seed (default: from the clock; printed)\n"
"  --calls N    system calls in all (default 100000)\n"
"  --fault      fail the k-th allocation or user copy of each call in turn\n"
"  --ring FILE  where the ring of last calls goes (default /tmp/vsfuzz.ring)\n"
"  --dir DIR    scratch directory (default /tmp/vsfuzz)\n"
"  --replay F   run the calls of a ring file again, in order\n"
"Exit status: 0 clean, 1 kernel report or broken property, 2 usage.\n");
	exit(status);
}

static uint64_t parse_num(const char *opt, const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s || *s == '-')
		die("%s: not a number: '%s'", opt, s);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "calls", required_argument, NULL, 'n' },
		{ "fault", no_argument, NULL, 'f' },
		{ "ring", required_argument, NULL, 'r' },
		{ "replay", required_argument, NULL, 'R' },
		{ "dir", required_argument, NULL, 'd' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	pid_t pids[NACTORS] = { };
	int seeded = 0, c, left, status, alive;
	struct timespec t0, t1;
	long ver;

	while ((c = getopt_long(argc, argv, "s:n:fr:R:d:vh", lo, NULL)) != -1) {
		switch (c) {
		case 's': opt_seed = parse_num("--seed", optarg); seeded = 1; break;
		case 'n': opt_calls = parse_num("--calls", optarg); break;
		case 'f': opt_fault = 1; break;
		case 'r': opt_ring = optarg; break;
		case 'R': opt_replay = optarg; break;
		case 'd': opt_dir = optarg; break;
		case 'v': opt_verbose = 1; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (optind != argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (!opt_calls)
		die("--calls: must be at least 1");
	setvbuf(stdout, NULL, _IOLBF, 0);
	ver = vs(VCMD_get_version, 0, NULL);
	if (ver < 0)
		die("sys_vserver: %s (not a vserver kernel)", strerror((int)-ver));
	if (vs(VCMD_task_xid, 0, NULL) != 0)
		die("run it on the host (xid 0)");
	if (getuid() != 0)
		die("run it as root");

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	sh->sup_pid = getpid();
	sh->xid_a = POOL_BASE + 1;
	sh->xid_b = POOL_BASE + 2;
	sh->nid_a = POOL_BASE + 1;
	sh->nid_b = POOL_BASE + 2;
	map_pages();
	make_scratch();
	nbase_vx = list_ids("/proc/virtual", base_vx, 4096);
	nbase_nx = list_ids("/proc/virtnet", base_nx, 4096);
	save_attrs();

	if (opt_replay) {
		int r = replay(opt_replay);

		restore_attrs();
		return r;
	}
	if (!seeded) {
		clock_gettime(CLOCK_REALTIME, &t0);
		opt_seed = (uint64_t)t0.tv_sec * 1000003ULL ^ t0.tv_nsec ^ getpid();
	}
	if (opt_fault)
		fault_setup();
	printf("# vsfuzz: seed %" PRIu64 ", %" PRIu64 " calls%s, %zu commands\n",
	       opt_seed, opt_calls, opt_fault ? ", fault injection" : "",
	       NCMDS);
	kmsg_open();
	clock_gettime(CLOCK_MONOTONIC, &t0);

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* The fault mode walks error paths from one actor: the host. */
	for (int a = 0; a < NACTORS; a++) {
		if (opt_fault && a != R_HOST)
			continue;
		pids[a] = fork();
		if (pids[a] < 0)
			die("fork: %s", strerror(errno));
		if (pids[a] == 0)
			actor_main(a, opt_seed + 0x1000 * a);
	}
	/*
	 * Restart guests that a random ctx_kill or migration ended.  The
	 * supervisor is the subreaper: the actors' children that outlive
	 * them are reaped here.
	 */
	do {
		pid_t pid;

		usleep(200000);
		kmsg_scan();
		if (reports)
			atomic_store(&sh->stop, 1);
		check_visible(pids);
		check_progress(pids);
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int a = 0; a < NACTORS; a++) {
				if (pids[a] != pid)
					continue;
				pids[a] = -1;	/* ended: restart below */
				if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
					atomic_store(&sh->stop, 1);
			}
		}
		alive = 0;
		for (int a = 0; a < NACTORS; a++) {
			if (pids[a] > 0) {
				kill(pids[a], SIGCONT);
				alive++;
				continue;
			}
			if (pids[a] == 0 || atomic_load(&sh->stop) ||
			    quota_done(a)) {
				pids[a] = 0;
				continue;
			}
			/* Its contexts go first, then it starts again. */
			reset_actor(a);
			atomic_fetch_add(&sh->restarts, 1);
			pids[a] = fork();
			if (pids[a] == 0)
				actor_main(a, opt_seed + 0x1000 * a +
					   atomic_load(&sh->restarts));
			alive++;
		}
	} while (alive && !atomic_load(&sh->stop));
	atomic_store(&sh->stop, 1);
	for (int a = 0; a < NACTORS; a++)
		if (pids[a] > 0) {
			kill(pids[a], SIGCONT);
			kill(pids[a], SIGKILL);
			waitpid(pids[a], NULL, 0);
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	left = cleanup();
	restore_attrs();
	usleep(200000);
	kmsg_scan();

	printf("# %llu calls in %.1f s (host %llu, racer %llu, spectator %llu, "
	       "guest-a %llu, guest-b %llu; %d actor restarts)\n",
	       (unsigned long long)atomic_load(&sh->seq),
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (unsigned long long)sh->per_actor[0],
	       (unsigned long long)sh->per_actor[1],
	       (unsigned long long)sh->per_actor[2],
	       (unsigned long long)sh->per_actor[3],
	       (unsigned long long)sh->per_actor[4],
	       atomic_load(&sh->restarts));
	printf("# seed %" PRIu64 ": %d reports, %d broken properties, "
	       "%d contexts left\n", opt_seed, reports,
	       atomic_load(&sh->violations), left);
	if (reports || atomic_load(&sh->violations)) {
		write_ring(opt_ring);
		if (reports)
			printf("# first report: %s\n", first_report);
		if (atomic_load(&sh->violations))
			printf("# first broken property: %s\n",
			       sh->first_violation);
		printf("# ring of the last calls: %s (vsfuzz --replay %s)\n",
		       opt_ring, opt_ring);
		return 1;
	}
	return left ? 1 : 0;
}
