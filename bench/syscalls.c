// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall-heavy micro-benchmarks on the host and inside a guest, side by
 * side in the same boot: getpid, open+close, stat, fork+exec+wait, pipe
 * ping-pong.  The guest runs in a context with util-vserver's secure
 * capabilities and the virt_* flags, so every LSM hook of vserver is on
 * its path.  Two processes, one on the host and one in the guest, take
 * turns on one CPU in short chunks; each pair of chunks gives a ratio,
 * guest rate / host rate, and the median over all pairs is printed (goal
 * >= 0.99).  Each round starts two new processes.  With --host-only both
 * are host processes: the ratios then show the bench's own noise floor.
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libvserver.h"

enum { B_GETPID, B_OPEN, B_STAT, B_FORK, B_PIPE, NBENCH };

static const char *names[NBENCH] = {
	"getpid", "open+close", "stat", "fork+exec+wait", "pipe ping-pong",
};
/*
 * Operations per chunk: about 50-100 ms each under TCG.  A chunk of the
 * host and one of the guest make a pair, run back to back, so that both
 * see the same machine; the ratio of a pair is host time / guest time.
 */
static const int ops[NBENCH] = { 200000, 5000, 20000, 20, 2000 };
/* Pairs per benchmark and round; each round has two new processes. */
#define PAIRS 10
static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Chunks are timed in TSC ticks: without ACPI, under TCG, the kernel
 * often cannot calibrate the TSC and falls back to the jiffies clock,
 * whose 4 ms steps are as long as a tenth of a chunk.  The ratio of a
 * pair needs no unit; the rates printed convert with the tick rate
 * measured over the whole run.
 */
static double now(void)
{
#ifdef __x86_64__
	return (double)__builtin_ia32_rdtsc();
#else
	return wall();
#endif
}

static int run_one(int b)
{
	struct stat st;
	int i, fd, p1[2], p2[2];
	char c = 0;
	pid_t pid;

	switch (b) {
	case B_GETPID:
		for (i = 0; i < ops[b]; i++)
			syscall(SYS_getpid);
		return 0;
	case B_OPEN:
		for (i = 0; i < ops[b]; i++) {
			fd = open("/proc/self/stat", O_RDONLY);
			if (fd < 0)
				return -1;
			close(fd);
		}
		return 0;
	case B_STAT:
		for (i = 0; i < ops[b]; i++)
			if (stat("/bin/busybox", &st))
				return -1;
		return 0;
	case B_FORK:
		for (i = 0; i < ops[b]; i++) {
			pid = fork();
			if (pid == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			if (pid < 0 || waitpid(pid, NULL, 0) != pid)
				return -1;
		}
		return 0;
	case B_PIPE:
		if (pipe(p1) || pipe(p2))
			return -1;
		pid = fork();
		if (pid == 0) {
			close(p1[1]);
			close(p2[0]);
			while (read(p1[0], &c, 1) == 1)
				if (write(p2[1], &c, 1) != 1)
					break;
			_exit(0);
		}
		close(p1[0]);
		close(p2[1]);
		for (i = 0; i < ops[b]; i++)
			if (write(p1[1], &c, 1) != 1 || read(p2[0], &c, 1) != 1)
				return -1;
		close(p1[1]);
		close(p2[0]);
		waitpid(pid, NULL, 0);
		return 0;
	}
	return -1;
}

static void pin_last_cpu(void)
{
	cpu_set_t set;
	int cpu, last = -1;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set))
			last = cpu;
	if (last < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(last, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* A side: a process on the host or in a new guest context. */
struct side {
	pid_t pid;
	int cmd, res;
};

/* Serve chunks: read a benchmark number, run a chunk, write its time. */
static void serve(int cmd, int res)
{
	unsigned char b;
	double t0, t;

	while (read(cmd, &b, 1) == 1 && b < NBENCH) {
		t0 = now();
		if (run_one(b))
			_exit(2);
		t = now() - t0;
		if (write(res, &t, sizeof(t)) != sizeof(t))
			_exit(3);
	}
	_exit(0);
}

static int side_start(struct side *s, bool guest)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_UPTIME | VXF_VIRT_LOAD |
			 VXF_VIRT_MEM;
	int c[2], r[2];

	if (pipe(c))
		return -1;
	if (pipe(r)) {
		close(c[0]);
		close(c[1]);
		return -1;
	}
	s->pid = fork();
	if (s->pid == 0) {
		close(c[1]);
		close(r[0]);
		if (guest &&
		    (vs_ctx_create(VX_DYNAMIC_ID, &flags) < 0 ||
		     vs_set_bcaps(VX_ID_SELF, vs_secure_bcaps(), ~0ULL) ||
		     vs_set_cflags(VX_ID_SELF, 0, VXF_STATE_SETUP)))
			_exit(1);
		serve(c[0], r[1]);
	}
	close(c[0]);
	close(r[1]);
	s->cmd = c[1];
	s->res = r[0];
	return s->pid < 0 ? -1 : 0;
}

static int side_chunk(struct side *s, int b, double *t)
{
	unsigned char c = b;

	return write(s->cmd, &c, 1) == 1 &&
	       read(s->res, t, sizeof(*t)) == sizeof(*t) ? 0 : -1;
}

static int side_stop(struct side *s)
{
	int status;

	close(s->cmd);
	close(s->res);
	return waitpid(s->pid, &status, 0) == s->pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @q quantile (0..1) of the sorted @v[@n]. */
static double quantile(const double *v, int n, double q)
{
	return v[(int)(q * (n - 1) + 0.5)];
}

/*
 * One round: two new processes, host and guest (two on the host for
 * @same: the noise floor), then PAIRS pairs of chunks per benchmark, the
 * side that goes first swapping each pair.  Which process is started
 * first swaps each round too: each gets its own /proc/<pid> entries and
 * memory, and the first one must not be the host's every time.
 */
static int run_round(int r, bool same, double *ratio, int n, double host[],
		     double guest[])
{
	int first = r & 1, b, p, k, err = 0;
	struct side s[2];
	double t[2];

	if (side_start(&s[first], first && !same))
		return -1;
	if (side_start(&s[!first], !first && !same)) {
		side_stop(&s[first]);
		return -1;
	}
	/* A warm-up chunk each, not counted. */
	for (b = 0; b < NBENCH && !err; b++)
		for (k = 0; k < 2 && !err; k++)
			err = side_chunk(&s[k], b, &t[k]);
	for (b = 0; b < NBENCH && !err; b++) {
		for (p = 0; p < PAIRS && !err; p++) {
			for (k = 0; k < 2 && !err; k++)
				err = side_chunk(&s[(k + p) & 1], b,
						 &t[(k + p) & 1]);
			if (err)
				break;
			ratio[b * n + p] = t[0] / t[1];
			host[b] += t[0];
			guest[b] += t[1];
		}
	}
	/* The second process holds copies of the first one's pipes. */
	err |= side_stop(&s[!first]);
	err |= side_stop(&s[first]);
	return err;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5, n, r, b;
	double host[NBENCH] = { 0 }, guest[NBENCH] = { 0 };
	bool same = argc > 2 && !strcmp(argv[2], "--host-only");
	double *ratio, *v, w0, c0, hz;

	if (rounds <= 0 || argc > 3 || (argc > 2 && !same)) {
		fprintf(stderr, "usage: syscalls [ROUNDS] [--host-only]\n");
		return 2;
	}
	if (vs_get_version() < 0) {
		fprintf(stderr, "syscalls: kernel without vserver\n");
		return 1;
	}
	n = rounds * PAIRS;
	ratio = calloc((size_t)NBENCH * n, sizeof(*ratio));
	if (!ratio) {
		fprintf(stderr, "syscalls: out of memory\n");
		return 1;
	}
	/*
	 * Host and guest take turns on one CPU: under TCG the vCPUs are not
	 * equal (one takes the timer and console work), and which one a
	 * side lands on would otherwise decide the ratio.
	 */
	pin_last_cpu();
	w0 = wall();
	c0 = now();
	for (r = 0; r < rounds; r++) {
		if (run_round(r, same, ratio + r * PAIRS, n, host, guest)) {
			fprintf(stderr, "syscalls: round %d failed\n", r + 1);
			return 1;
		}
	}
	/* Ticks per second, over the whole run. */
	hz = (now() - c0) / (wall() - w0);
	printf("# syscalls: %d rounds of %d %s pairs per benchmark, one CPU\n",
	       rounds, PAIRS, same ? "host/host (noise floor)" : "host/guest");
	printf("# ratio = guest rate / host rate, median over the pairs (quartiles)\n");
	printf("# %-16s %12s %12s %8s %15s\n", "benchmark", "host op/s",
	       "guest op/s", "ratio", "quartiles");
	for (b = 0; b < NBENCH; b++) {
		v = ratio + b * n;
		qsort(v, n, sizeof(*v), cmp_double);
		printf("# %-16s %12.0f %12.0f %8.3f   %.3f-%.3f\n", names[b],
		       hz * ops[b] * n / host[b],
		       hz * ops[b] * n / guest[b],
		       quantile(v, n, 0.5), quantile(v, n, 0.25),
		       quantile(v, n, 0.75));
	}
	printf("# goal: every ratio >= 0.99 (guest as fast as the host)\n");
	free(ratio);
	return 0;
}
