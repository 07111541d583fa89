// SPDX-License-Identifier: GPL-2.0
/*
 * vschurn: create and destroy many complete guests, then look for what
 * they left behind.
 *
 * Each round makes a network context with an IPv4 and an IPv6 address, a
 * context with resource limits, a CPU token bucket and a disk limit, ends
 * setup, runs a task that exits, and lets the context end with its last
 * task.  Afterwards /proc/virtual and /proc/virtnet must list none of
 * them and /proc/slabinfo is compared with its state before: no cache may
 * have grown by a fixed share of the rounds (a leak of one object per
 * guest shows up as N objects), and the total may grow by a bounded
 * number of bytes.
 *
 *   vschurn [--rounds N] [--quota MOUNTPOINT] [--no-slab-check] [--keep]
 *
 * --keep makes every context persistent, so that they stay: the check
 * must then fail (the test of the test); they are removed at the end.
 *
 * Exit status: 0 clean, 1 something was left behind, 2 usage or setup.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vserver.h>

#define NR_vserver	236

static long vs(uint32_t cmd, uint32_t id, void *data)
{
	long r = syscall(NR_vserver, cmd, id, data);

	return r < 0 ? -errno : r;
}

static void die(const char *msg, long err)
{
	fprintf(stderr, "vschurn: %s%s%s\n", msg, err ? ": " : "",
		err ? strerror((int)-err) : "");
	exit(2);
}

/* ---- slab accounting ------------------------------------------------- */

#define MAXC	512

struct slab {
	char name[64];
	long objs, size;
};

static int read_slabs(struct slab *s)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && n < MAXC) {
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld %*d %ld", s[n].name, &s[n].objs,
			   &s[n].size) == 3)
			n++;
	}
	fclose(f);
	return n;
}

static void settle(void)
{
	FILE *f = fopen("/proc/sys/vm/drop_caches", "w");

	/* RCU callbacks free tasks and contexts a little later. */
	sleep(2);
	if (f) {
		fputs("3\n", f);
		fclose(f);
	}
	sleep(1);
}

/* ---- one guest ------------------------------------------------------- */

static const char *quota_mnt;
static int opt_keep;

/* Static ids: the host sets a disk limit before the context exists. */
#define ROUND_BASE	20000
#define MAX_ROUNDS	20000
#define WARM_BASE	(ROUND_BASE + MAX_ROUNDS)

static int guest(uint32_t id)
{
	int i = id, status;
	struct vcmd_net_addr_ipv4_v2 a4 = {
		.type = NXA_TYPE_ADDR,
		.ip = htonl(0x0a500000 | (i & 0xffff) << 8 | 1),
		.mask = 0xffffffff,
	};
	struct vcmd_net_addr_ipv6 a6 = {
		.type = NXA_TYPE_ADDR, .prefix = 128,
		.ip = { 0xfd, 0x50, [14] = i >> 8, [15] = i },
	};
	struct vcmd_net_flags nf = { .mask = NXF_STATE_SETUP };
	struct vcmd_ctx_rlimit rl = { .id = RLIMIT_NPROC, .minimum = CRLIM_KEEP,
				      .softlimit = 50, .maximum = 100 };
	struct vcmd_sched_v5 sc = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_TOKENS |
			VXSM_TOKENS_MAX | VXSM_MSEC,
		.fill_rate = { 1, 0 }, .interval = { 4, 0 },
		.tokens = 100, .tokens_max = 200,
	};
	struct vcmd_ctx_flags fl = { .flagword = 0, .mask = VXF_STATE_SETUP };
	struct vcmd_ctx_flags keep = { .flagword = VXF_PERSISTENT,
				       .mask = VXF_PERSISTENT };
	long nid, xid, r;
	pid_t pid;

	nid = vs(VCMD_net_create, id, NULL);
	if (nid < 0)
		return fprintf(stderr, "net_create: %s\n", strerror(-nid)), 1;
	if ((r = vs(VCMD_net_add_ipv4, nid, &a4)) < 0 ||
	    (r = vs(VCMD_net_add_ipv6, nid, &a6)) < 0 ||
	    (r = vs(VCMD_set_nflags, nid, &nf)) < 0)
		return fprintf(stderr, "net setup: %s\n", strerror(-r)), 1;
	xid = vs(VCMD_ctx_create, id, NULL);
	if (xid < 0)
		return fprintf(stderr, "ctx_create: %s\n", strerror(-xid)), 1;
	rl.id = RLIMIT_NPROC;
	if ((r = vs(VCMD_set_rlimit, xid, &rl)) < 0)
		return fprintf(stderr, "set_rlimit: %s\n", strerror(-r)), 1;
	rl.id = VLIMIT_NSOCK;
	if ((r = vs(VCMD_set_rlimit, xid, &rl)) < 0)
		return fprintf(stderr, "set_rlimit nsock: %s\n", strerror(-r)), 1;
	if ((r = vs(VCMD_set_sched, xid, &sc)) < 0)
		return fprintf(stderr, "set_sched: %s\n", strerror(-r)), 1;
	if (opt_keep && id < WARM_BASE &&
	    (r = vs(VCMD_set_cflags, xid, &keep)) < 0)
		return fprintf(stderr, "persistent: %s\n", strerror(-r)), 1;
	if ((r = vs(VCMD_set_cflags, xid, &fl)) < 0)
		return fprintf(stderr, "end setup: %s\n", strerror(-r)), 1;
	pid = fork();
	if (pid == 0)
		_exit(vs(VCMD_task_xid, 0, NULL) == xid ? 0 : 1);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return fprintf(stderr, "the guest's task failed\n"), 1;
	return 0;
}

/*
 * A guest made in a child (creating a context enters it); its disk limit
 * (project id = xid) is the host's, set before and removed after.
 */
static int one_round(uint32_t xid)
{
	struct vcmd_ctx_dlimit_base b = { .name = (uintptr_t)quota_mnt };
	struct vcmd_ctx_dlimit d = {
		.name = (uintptr_t)quota_mnt,
		.space_used = CDLIM_KEEP, .space_total = 1024,
		.inodes_used = CDLIM_KEEP, .inodes_total = 100,
		.reserved = CDLIM_KEEP,
	};
	int status;
	long r;
	pid_t pid;

	if (quota_mnt && ((r = vs(VCMD_add_dlimit, xid, &b)) < 0 ||
			  (r = vs(VCMD_set_dlimit, xid, &d)) < 0)) {
		fprintf(stderr, "vschurn: disk limit of %u: %s\n", xid,
			strerror((int)-r));
		return -1;
	}
	pid = fork();
	if (pid < 0)
		die("fork", -errno);
	if (pid == 0)
		_exit(guest(xid));
	waitpid(pid, &status, 0);
	if (quota_mnt && (r = vs(VCMD_rem_dlimit, xid, &b)) < 0) {
		fprintf(stderr, "vschurn: rem_dlimit %u: %s\n", xid,
			strerror((int)-r));
		return -1;
	}
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}

static int count_ids(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			n++;
	closedir(d);
	return n;
}

/* --keep: the contexts lose their persistence and go. */
static void unkeep(int rounds)
{
	struct vcmd_ctx_flags fl = { .flagword = 0, .mask = VXF_PERSISTENT };
	struct vcmd_net_flags nf = { .flagword = 0, .mask = NXF_PERSISTENT };

	for (int i = 0; i < rounds; i++) {
		vs(VCMD_set_cflags, ROUND_BASE + i, &fl);
		vs(VCMD_set_nflags, ROUND_BASE + i, &nf);
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "rounds", required_argument, NULL, 'n' },
		{ "quota", required_argument, NULL, 'q' },
		{ "no-slab-check", no_argument, NULL, 's' },
		{ "keep", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static struct slab before[MAXC], after[MAXC];
	int rounds = 1000, slab_check = 1, nb, na, c, bad = 0, vx0, nx0;
	long grow_total = 0, limit_objs, limit_bytes;
	struct timespec t0, t1;
	char *end;

	while ((c = getopt_long(argc, argv, "n:q:skh", lo, NULL)) != -1) {
		switch (c) {
		case 'n':
			rounds = strtol(optarg, &end, 10);
			if (*end || rounds < 1 || rounds > MAX_ROUNDS)
				die("--rounds: a number from 1 to 20000", 0);
			break;
		case 'q': quota_mnt = optarg; break;
		case 's': slab_check = 0; break;
		case 'k': opt_keep = 1; break;
		case 'h':
			printf("Usage: vschurn [--rounds N] [--quota MOUNTPOINT] "
			       "[--no-slab-check] [--keep]\n");
			return 0;
		default:
			fprintf(stderr, "Usage: vschurn [--rounds N] "
				"[--quota MOUNTPOINT] [--no-slab-check]\n");
			return 2;
		}
	}
	if (optind != argc)
		die("unexpected argument (see --help)", 0);
	if (vs(VCMD_get_version, 0, NULL) < 0)
		die("not a vserver kernel", 0);
	signal(SIGPIPE, SIG_IGN);

	/* Warm up: slab pages, per-cpu caches, /proc dentries. */
	for (int i = 0; i < rounds / 10 + 1; i++)
		if (one_round(WARM_BASE + i) < 0)
			die("a warm-up guest failed", 0);
	settle();
	vx0 = count_ids("/proc/virtual");
	nx0 = count_ids("/proc/virtnet");
	nb = read_slabs(before);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < rounds; i++)
		if (one_round(ROUND_BASE + i) < 0) {
			fprintf(stderr, "vschurn: guest %d failed\n", i);
			return 1;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	settle();
	printf("# %d guests made and gone in %.1f s\n", rounds,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (count_ids("/proc/virtual") != vx0 ||
	    count_ids("/proc/virtnet") != nx0) {
		printf("# left: %d contexts, %d network contexts (before: %d, %d)\n",
		       count_ids("/proc/virtual"), count_ids("/proc/virtnet"),
		       vx0, nx0);
		bad = 1;
	}
	na = read_slabs(after);
	if (nb < 0 || na < 0) {
		printf("# no /proc/slabinfo: slab usage not compared\n");
		return bad;
	}
	/*
	 * One object per guest left behind grows a cache by @rounds; allow
	 * a quarter of that for caches that merely changed their working set.
	 */
	limit_objs = rounds / 4;
	limit_bytes = 256L * rounds;
	for (int i = 0; i < na; i++) {
		long was = 0, grow;

		for (int j = 0; j < nb; j++)
			if (!strcmp(before[j].name, after[i].name))
				was = before[j].objs;
		grow = after[i].objs - was;
		grow_total += grow * after[i].size;
		if (grow > 16)
			printf("# %-24s %+ld objects (%+ld bytes)\n",
			       after[i].name, grow, grow * after[i].size);
		if (slab_check && grow >= limit_objs) {
			printf("# %s grew by %ld objects: more than %ld\n",
			       after[i].name, grow, limit_objs);
			bad = 1;
		}
	}
	printf("# slab: %+ld bytes after %d guests (%+.1f per guest; "
	       "limits: %ld objects per cache, %ld bytes)%s\n", grow_total,
	       rounds, (double)grow_total / rounds, limit_objs, limit_bytes,
	       slab_check ? "" : " [not enforced]");
	if (slab_check && grow_total > limit_bytes)
		bad = 1;
	if (opt_keep)
		unkeep(rounds);
	return bad;
}
