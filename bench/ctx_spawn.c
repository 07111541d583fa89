// SPDX-License-Identifier: GPL-2.0
/*
 * Cost of starting a command in a new security context.
 *
 * Side by side, interleaved in rounds so that drift hits both equally:
 *   baseline: fork + exec /bin/true + wait
 *   context:  fork + ctx_create (dynamic xid) + exec /bin/true + wait
 *   vcontext: fork + exec "vcontext --create -- /bin/true" + wait
 * and prints each mean and the ratios against the baseline, after a
 * warm-up of N/10 uncounted rounds.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libvserver.h"

enum { BASE, CTX, TOOL, NKINDS };

static const char *names[NKINDS] = { "fork+exec", "fork+ctx_create+exec",
				     "vcontext --create" };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int spawn(int kind, const char *vcontext)
{
	char *true_argv[] = { "/bin/true", NULL };
	char *tool_argv[] = { (char *)vcontext, "--create", "--silent", "--",
			      "/bin/true", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (kind == CTX && vs_ctx_create(VX_DYNAMIC_ID, NULL) < 0)
			_exit(100);
		if (kind == TOOL)
			execv(tool_argv[0], tool_argv);
		else
			execv(true_argv[0], true_argv);
		_exit(101);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	const char *vcontext = argc > 2 ? argv[2] : "/opt/vserver/bin/vcontext";
	double total[NKINDS] = { 0 };
	int i, k;

	if (n <= 0) {
		fprintf(stderr, "usage: ctx_spawn [N] [VCONTEXT]\n");
		return 2;
	}
	if (vs_get_version() < 0) {
		fprintf(stderr, "ctx_spawn: kernel without vserver\n");
		return 1;
	}
	/* Warm up caches and allocators; not counted. */
	for (i = 0; i < n / 10; i++)
		for (k = 0; k < NKINDS; k++)
			if (spawn(k, vcontext))
				return 1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < NKINDS; k++) {
			double t0 = now();

			if (spawn(k, vcontext)) {
				fprintf(stderr, "ctx_spawn: %s failed\n",
					names[k]);
				return 1;
			}
			total[k] += now() - t0;
		}
	}
	printf("# ctx_spawn: N=%d per kind, interleaved\n", n);
	for (k = 0; k < NKINDS; k++)
		printf("# %-24s %8.1f us/op\n", names[k], total[k] / n * 1e6);
	printf("# ratio context/baseline:  %.3f (goal <= 1.10)\n",
	       total[CTX] / total[BASE]);
	printf("# ratio vcontext/baseline: %.3f (two execs: tool + command)\n",
	       total[TOOL] / total[BASE]);
	return 0;
}
