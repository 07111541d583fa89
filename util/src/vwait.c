// SPDX-License-Identifier: GPL-2.0
/*
 * vwait - wait until a context has ended and say how.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <linux/reboot.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vwait";

#define EXIT_TIMEOUT 1

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vwait [--timeout SECONDS [--terminate]] [--status-fd FD] [--] XID\n"
"\n"
"Wait until context XID has ended, then print how: FINISHED (its last\n"
"task exited), KILLED (by a signal), REBOOT, HALT or POWEROFF (the\n"
"guest called reboot(2)), with init's exit status, or TIMEOUT.\n"
"\n"
"Options:\n"
" -t, --timeout <sec>    give up after this many seconds\n"
"     --terminate        on timeout, kill the context's processes and\n"
"                        keep waiting\n"
"     --status-fd <fd>   write the result there instead of to stdout\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: 0 when the context ended, 1 on timeout or failure, 2 on\n"
"usage errors.\n");
	exit(EXIT_SUCCESS);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static const char *reason(const struct vcmd_wait_exit *r)
{
	switch (r->reboot_cmd) {
	case 0:
		if (r->exit_code && WIFSIGNALED(r->exit_code))
			return "KILLED";
		return "FINISHED";
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		return "REBOOT";
	case LINUX_REBOOT_CMD_HALT:
		return "HALT";
	case LINUX_REBOOT_CMD_POWER_OFF:
		return "POWEROFF";
	}
	return "REBOOT";
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "timeout",	required_argument,	NULL, 't' },
		{ "terminate",	no_argument,		NULL, 'T' },
		{ "status-fd",	required_argument,	NULL, 'f' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa = { .sa_handler = on_alarm };
	struct vcmd_wait_exit r = { 0 };
	long timeout = 0;
	bool terminate = false, killed = false;
	int fd = STDOUT_FILENO, c, ret;
	uint32_t xid;
	char *end;
	FILE *out;

	while ((c = getopt_long(argc, argv, "+t:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			timeout = strtol(optarg, &end, 10);
			if (*end || !*optarg || timeout <= 0 || timeout > 86400 * 365)
				usage_error("invalid timeout '%s'", optarg);
			break;
		case 'T':
			terminate = true;
			break;
		case 'f':
			fd = (int)strtol(optarg, &end, 10);
			if (*end || !*optarg || fd < 0)
				usage_error("invalid file descriptor '%s'", optarg);
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (optind + 1 != argc)
		usage_error("expected exactly one XID");
	if (vs_parse_xid(argv[optind], &xid, 0))
		usage_error("invalid xid '%s'", argv[optind]);
	if (terminate && !timeout)
		usage_error("--terminate goes with --timeout");
	out = fdopen(fd, "w");
	if (!out) {
		report_errno(-errno, "status fd %d", fd);
		return EXIT_FAILURE;
	}

	sigaction(SIGALRM, &sa, NULL);
	if (timeout)
		alarm((unsigned int)timeout);
	for (;;) {
		ret = vs_wait_exit(xid, &r);
		if (ret != -EINTR)
			break;
		if (!terminate) {
			fprintf(out, "TIMEOUT\n");
			fflush(out);
			return EXIT_TIMEOUT;
		}
		terminate = false;
		killed = true;
		vs_ctx_kill(xid, 0, SIGKILL);
		alarm(5);
	}
	/* We killed it and it was gone before we waited again. */
	if (ret == -ESRCH && killed) {
		fprintf(out, "KILLED %d\n", SIGKILL);
		fflush(out);
		return EXIT_SUCCESS;
	}
	if (ret) {
		report_errno(ret, "cannot wait for context %u", xid);
		return EXIT_FAILURE;
	}
	fprintf(out, "%s %d\n", reason(&r), r.exit_code);
	fflush(out);
	return EXIT_SUCCESS;
}
