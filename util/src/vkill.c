// SPDX-License-Identifier: GPL-2.0
/*
 * vkill - send a signal to the processes of a context.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vkill";

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vkill --xid XID [-s SIGNAL] [--] [PID...]\n"
"\n"
"Send SIGNAL (default TERM) to processes of context XID: without PID to\n"
"all of them; PID 1 means the context's init, -1 all but its init; any\n"
"other PID must belong to the context.\n"
"\n"
"Options:\n"
" -c, --xid <xid>        the context\n"
" -s, --signal <sig>     signal name (TERM, SIGKILL) or number\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: 0 if every signal was sent, 1 otherwise, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

/* Signal by number or by glibc's abbreviation ("TERM", "SIGTERM"). */
static int parse_signal(const char *s)
{
	char *end;
	long n;
	int i;

	if (*s >= '0' && *s <= '9') {
		n = strtol(s, &end, 10);
		return (*end || n < 0 || n > NSIG - 1) ? -1 : (int)n;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < NSIG; i++) {
		const char *abbr = sigabbrev_np(i);

		if (abbr && !strcasecmp(s, abbr))
			return i;
	}
	return -1;
}

static int parse_pid(const char *s, int32_t *pid)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || end == s || n < -1 || n > 0x7fffffff)
		return -1;
	*pid = (int32_t)n;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL, 'c' },
		{ "signal",	required_argument,	NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	uint32_t xid = 0;
	bool have_xid = false;
	int sig = SIGTERM, c, i, ret, status = EXIT_SUCCESS;
	int32_t pid;

	while ((c = getopt_long(argc, argv, "+c:s:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (vs_parse_xid(optarg, &xid, 0))
				usage_error("invalid xid '%s'", optarg);
			have_xid = true;
			break;
		case 's':
			sig = parse_signal(optarg);
			if (sig < 0)
				usage_error("unknown signal '%s'", optarg);
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (!have_xid)
		usage_error("--xid is required");
	for (i = optind; i < argc; i++)
		if (parse_pid(argv[i], &pid))
			usage_error("invalid pid '%s'", argv[i]);

	if (optind == argc) {
		ret = vs_ctx_kill(xid, 0, sig);
		if (ret) {
			report_errno(ret, "cannot signal context %u", xid);
			return EXIT_FAILURE;
		}
		return EXIT_SUCCESS;
	}
	for (i = optind; i < argc; i++) {
		parse_pid(argv[i], &pid);
		ret = vs_ctx_kill(xid, pid, sig);
		if (ret) {
			report_errno(ret, "cannot signal pid %d of context %u",
				     pid, xid);
			status = EXIT_FAILURE;
		}
	}
	return status;
}
