// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall-heavy micro-benchmarks on the host and inside a guest, side by
 * side in the same boot: getpid, open+close, stat, fork+exec+wait, pipe
 * ping-pong.  The guest runs in a context with util-vserver's secure
 * capabilities and the virt_* flags, so every LSM hook of vserver is on
 * its path.  Rounds alternate host and guest, each in a new process on
 * the same CPU; the ratio printed is guest rate / host rate (goal >= 0.99).
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
/* Operations per round (fork+exec is slow under TCG). */
static const int ops[NBENCH] = { 1000000, 50000, 100000, 200, 20000 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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

static int run_round(double t[NBENCH])
{
	int b;

	for (b = 0; b < NBENCH; b++) {
		double t0 = now();

		if (run_one(b))
			return -1;
		t[b] = now() - t0;
	}
	return 0;
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

/*
 * One round in a fresh process, in a new guest context or on the host;
 * its timings come back in @t.  A new process per round and side
 * keeps one process's memory placement from deciding a whole side.
 */
static int side_round(bool guest, double t[NBENCH])
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_UPTIME | VXF_VIRT_LOAD |
			 VXF_VIRT_MEM;
	int p[2], status;
	bool got;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(p[0]);
		if (guest &&
		    (vs_ctx_create(VX_DYNAMIC_ID, &flags) < 0 ||
		     vs_set_bcaps(VX_ID_SELF, vs_secure_bcaps(), ~0ULL) ||
		     vs_set_cflags(VX_ID_SELF, 0, VXF_STATE_SETUP)))
			_exit(1);
		if (run_round(t))
			_exit(2);
		_exit(write(p[1], t, sizeof(double) * NBENCH) ==
		      (ssize_t)(sizeof(double) * NBENCH) ? 0 : 3);
	}
	close(p[1]);
	got = read(p[0], t, sizeof(double) * NBENCH) ==
	      (ssize_t)(sizeof(double) * NBENCH);
	close(p[0]);
	if (waitpid(pid, &status, 0) < 0 || !got || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, r, b, k;
	double host[NBENCH] = { 0 }, guest[NBENCH] = { 0 }, t[NBENCH];

	if (rounds <= 0) {
		fprintf(stderr, "usage: syscalls [ROUNDS]\n");
		return 2;
	}
	if (vs_get_version() < 0) {
		fprintf(stderr, "syscalls: kernel without vserver\n");
		return 1;
	}
	/*
	 * Host and guest take turns on one CPU: under TCG the vCPUs are not
	 * equal (one takes the timer and console work), and which one a
	 * side lands on would otherwise decide the ratio.
	 */
	pin_last_cpu();
	/* One warm-up round each, not counted; the order swaps per round. */
	for (r = -1; r < rounds; r++) {
		for (k = 0; k < 2; k++) {
			bool g = (k + r) & 1;

			if (side_round(g, t)) {
				fprintf(stderr, "syscalls: the %s round failed\n",
					g ? "guest" : "host");
				return 1;
			}
			for (b = 0; b < NBENCH && r >= 0; b++)
				(g ? guest : host)[b] += t[b];
		}
	}
	printf("# syscalls: %d rounds, host and guest alternating, a new process each\n",
	       rounds);
	printf("# %-16s %12s %12s %8s\n", "benchmark", "host op/s",
	       "guest op/s", "ratio");
	for (b = 0; b < NBENCH; b++) {
		double h = ops[b] * rounds / host[b];
		double g = ops[b] * rounds / guest[b];

		printf("# %-16s %12.0f %12.0f %8.3f\n", names[b], h, g, g / h);
	}
	printf("# goal: every ratio >= 0.99 (guest as fast as the host)\n");
	return 0;
}
