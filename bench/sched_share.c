// SPDX-License-Identifier: GPL-2.0
/*
 * CPU shares of contexts with buckets, measured in one boot.
 *
 * Every context runs one CPU-bound loop per CPU, so each would take the
 * whole machine if it could.  After a warm-up, the CPU time of each
 * context over the window (sched_info) is compared with its target, as a
 * share of the machine:
 *
 *   caps   four contexts capped at 10/20/30/40%: each gets its cap
 *   alone  one context capped at 25% on an otherwise idle machine: 25%
 *   idle   the same with --idle-time: more than 25% (the idle CPU time)
 *   busy   the same with --idle-time while host tasks keep every CPU
 *          busy: back at its cap, the idle time is gone
 *   soft   four contexts in priority (soft) mode with shares 10/20/30/40:
 *          proportional shares of the whole machine
 *
 * The buckets hold one fill (tokens_max = fill_rate): with a bigger bucket
 * a context that could not run in some periods (the machine is fully
 * booked in "caps") spends the saved tokens later, above its cap.
 *
 * Usage: sched_share [-w SECONDS] [-t TOLERANCE%] [SCENARIO...]
 * Exit status 1 if a share is off by more than the tolerance (absolute
 * percentage points; default 2).  xids 23900-23949.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libvserver.h"

#define MAX_CTX		4
#define INTERVAL	100	/* ticks per interval: fill rate = percent */

struct scenario {
	const char *name;
	const char *what;
	int n;
	int pct[MAX_CTX];	/* fill rate per 100 ticks */
	int soft;
	int idle;
	int busy;	/* host loops compete */
};

static const struct scenario scenarios[] = {
	{ .name = "caps", .what = "hard caps 10/20/30/40%",
	  .n = 4, .pct = { 10, 20, 30, 40 } },
	{ .name = "alone", .what = "one context capped at 25%, idle machine",
	  .n = 1, .pct = { 25 } },
	{ .name = "idle",
	  .what = "capped at 25% with --idle-time, idle machine",
	  .n = 1, .pct = { 25 }, .idle = 1 },
	{ .name = "busy",
	  .what = "capped at 25% with --idle-time, host CPUs busy",
	  .n = 1, .pct = { 25 }, .idle = 1, .busy = 1 },
	{ .name = "soft", .what = "priority mode, shares 10/20/30/40",
	  .n = 4, .pct = { 10, 20, 30, 40 }, .soft = 1 },
};

static long ncpus;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __attribute__((noreturn)) spin(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}

/* A context with one loop per CPU; reports on @ready when it runs. */
static pid_t start_ctx(uint32_t xid, const struct scenario *sc, int i,
		       int ready)
{
	uint64_t flags = VXF_INIT_SET | (sc->soft ? VXF_SCHED_PRIO : 0);
	struct vcmd_sched_v5 s = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_TOKENS_MAX |
			VXSM_FORCE | (sc->idle ? VXSM_IDLE_TIME : 0),
		.fill_rate = { sc->pct[i], 0 },
		.interval = { INTERVAL, 0 },
		/* A bucket of one fill: no burst, so the cap is exact. */
		.tokens_max = sc->pct[i],
	};
	char ok = 0;
	long c;
	pid_t pid = fork();

	if (pid)
		return pid;
	setpgid(0, 0);
	if (vs_ctx_create(xid, &flags) == (long)xid &&
	    vs_set_sched(VX_ID_SELF, &s) == 0)
		ok = 1;
	for (c = 1; ok && c < ncpus; c++)
		if (fork() == 0)
			spin();
	if (write(ready, &ok, 1) != 1 || !ok)
		_exit(1);
	spin();
}

static int cpu_ms(uint32_t xid, double *ms)
{
	struct vcmd_sched_info info;
	int ret = vs_sched_info(xid, -1, &info);

	if (!ret)
		*ms = (double)(info.user_msec + info.sys_msec);
	return ret;
}

static int run(const struct scenario *sc, int idx, double window,
	       double tol)
{
	double start[MAX_CTX], end[MAX_CTX], t0, t1, share, target, total = 0;
	pid_t pids[MAX_CTX], host = 0;
	int fds[2], i, bad = 0, tsum = 0;
	char ok;

	printf("scenario %s: %s\n", sc->name, sc->what);
	if (pipe(fds))
		return -1;
	for (i = 0; i < sc->n; i++) {
		pids[i] = start_ctx(23900 + idx * 10 + i, sc, i, fds[1]);
		if (read(fds[0], &ok, 1) != 1 || !ok) {
			fprintf(stderr, "sched_share: cannot set up context %d\n",
				23900 + idx * 10 + i);
			bad = -1;
			sc = &(struct scenario){ .n = i + 1 };
			goto out_kill;
		}
	}
	if (sc->busy) {
		host = fork();
		if (host == 0) {
			setpgid(0, 0);
			for (i = 1; i < ncpus; i++)
				if (fork() == 0)
					spin();
			spin();
		}
		setpgid(host, host);
	}
	sleep(sc->busy ? 2 : 1);	/* warm-up; the sampler gives back */
	t0 = now();
	for (i = 0; i < sc->n; i++)
		cpu_ms(23900 + idx * 10 + i, &start[i]);
	usleep((useconds_t)(window * 1e6));
	t1 = now();
	for (i = 0; i < sc->n; i++)
		cpu_ms(23900 + idx * 10 + i, &end[i]);

	for (i = 0; i < sc->n; i++)
		tsum += sc->pct[i];
	for (i = 0; i < sc->n; i++) {
		share = (end[i] - start[i]) / 10.0 / ((t1 - t0) * ncpus);
		total += share;
		/* Soft mode: proportional shares of the whole machine. */
		target = sc->soft ? 100.0 * sc->pct[i] / tsum : sc->pct[i];
		if (sc->idle && !sc->busy) {
			printf("  xid %d  cap %5.1f%%  measured %5.1f%%  %s\n",
			       23900 + idx * 10 + i, target, share,
			       share > target + tol ? "ok (idle time used)" :
			       "NOT ABOVE CAP");
			bad += share <= target + tol;
			continue;
		}
		printf("  xid %d  target %5.1f%%  measured %5.1f%%  diff %+5.1f  %s\n",
		       23900 + idx * 10 + i, target, share, share - target,
		       share - target > tol || target - share > tol ?
		       "OUT OF TOLERANCE" : "ok");
		bad += share - target > tol || target - share > tol;
	}
	printf("  total %5.1f%% of %ld CPUs over %.1f s\n", total, ncpus,
	       t1 - t0);
out_kill:
	if (host > 0)
		kill(-host, SIGKILL);
	for (i = 0; i < sc->n; i++)
		kill(-pids[i], SIGKILL);
	while (wait(NULL) > 0)
		;
	close(fds[0]);
	close(fds[1]);
	return bad;
}

int main(int argc, char **argv)
{
	double window = 30, tol = 2;
	int c, i, j, bad = 0, ran = 0;

	while ((c = getopt(argc, argv, "w:t:h")) != -1) {
		switch (c) {
		case 'w':
			window = atof(optarg);
			break;
		case 't':
			tol = atof(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: sched_share [-w SECONDS] [-t TOLERANCE%%] [caps|alone|idle|busy|soft...]\n");
			return 2;
		}
	}
	if (window <= 0 || tol <= 0) {
		fprintf(stderr, "sched_share: bad window or tolerance\n");
		return 2;
	}
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (vs_get_version() < 0) {
		fprintf(stderr, "sched_share: kernel without vserver\n");
		return 1;
	}
	printf("sched_share: %ld CPUs, window %.0f s, tolerance +-%.1f%%\n",
	       ncpus, window, tol);
	fflush(stdout);
	for (i = 0; i < (int)(sizeof(scenarios) / sizeof(scenarios[0])); i++) {
		int want = optind == argc;

		for (j = optind; j < argc; j++)
			want |= !strcmp(argv[j], scenarios[i].name);
		if (!want)
			continue;
		ran++;
		c = run(&scenarios[i], i, window, tol);
		if (c < 0)
			return 1;
		bad += c;
		fflush(stdout);
	}
	if (!ran) {
		fprintf(stderr, "sched_share: unknown scenario\n");
		return 2;
	}
	printf("sched_share: %s\n", bad ? "SOME SHARES OFF TARGET" :
	       "all shares on target");
	return bad ? 1 : 0;
}
