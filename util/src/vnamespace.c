// SPDX-License-Identifier: GPL-2.0
/*
 * vnamespace - create namespaces for a guest, store them in its context,
 * or enter those of a running guest.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vnamespace";

enum mode { MODE_NONE, MODE_NEW, MODE_ENTER, MODE_SET };

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vnamespace --new [SPACES] [--] COMMAND [ARG...]\n"
" vnamespace --set [--xid XID] [--index N] [SPACES] [-- COMMAND...]\n"
" vnamespace --enter XID [--index N] [--] COMMAND [ARG...]\n"
"\n"
"--new runs COMMAND in new namespaces; --set stores the caller's\n"
"namespaces, root and working directory in a context (its own by\n"
"default); --enter runs COMMAND in the namespaces a context holds --\n"
"how `vserver NAME enter` joins a running guest.\n"
"\n"
"Options:\n"
" -n, --new              new namespaces (default: mount, uts, ipc)\n"
" -s, --set              store the caller's namespaces in the context\n"
" -e, --enter <xid>      enter the namespaces held by context XID\n"
" -x, --xid <xid>        with --set: the context (default: own)\n"
" -i, --index <n>        which of the context's two sets: 0 (default), 1\n"
" -M, --mask <bits>      namespaces as CLONE_* bits (hex)\n"
"     --mount, --uts, --ipc, --pid, --net, --cgroup, --fs\n"
"                        namespaces by name (--fs: root and cwd)\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: COMMAND's; 1 on failure, 2 on usage errors, 126/127 if\n"
"COMMAND cannot be run.\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_MOUNT = 256, OPT_UTS, OPT_IPC, OPT_PID, OPT_NET, OPT_CGROUP,
       OPT_FS };

static const struct { int opt; uint64_t bit; } space_opts[] = {
	{ OPT_MOUNT, VX_SPACE_NS }, { OPT_UTS, VX_SPACE_UTS },
	{ OPT_IPC, VX_SPACE_IPC }, { OPT_PID, VX_SPACE_PID },
	{ OPT_NET, VX_SPACE_NET }, { OPT_CGROUP, VX_SPACE_CGROUP },
	{ OPT_FS, VX_SPACE_FS },
};

static void set_mode(enum mode *m, enum mode want)
{
	if (*m != MODE_NONE)
		usage_error("--new, --set and --enter exclude each other");
	*m = want;
}

/* Run argv, or in a child when a new pid namespace needs one. */
static void __attribute__((noreturn)) run(char **argv, bool fork_first)
{
	int status;
	pid_t pid;

	if (!fork_first)
		exec_command(argv);
	pid = fork();
	if (pid < 0) {
		report_errno(-errno, "fork");
		exit(EXIT_FAILURE);
	}
	if (pid == 0)
		exec_command(argv);
	if (waitpid(pid, &status, 0) != pid)
		exit(EXIT_FAILURE);
	exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "new",	no_argument,		NULL, 'n' },
		{ "set",	no_argument,		NULL, 's' },
		{ "enter",	required_argument,	NULL, 'e' },
		{ "xid",	required_argument,	NULL, 'x' },
		{ "index",	required_argument,	NULL, 'i' },
		{ "mask",	required_argument,	NULL, 'M' },
		{ "mount",	no_argument,		NULL, OPT_MOUNT },
		{ "uts",	no_argument,		NULL, OPT_UTS },
		{ "ipc",	no_argument,		NULL, OPT_IPC },
		{ "pid",	no_argument,		NULL, OPT_PID },
		{ "net",	no_argument,		NULL, OPT_NET },
		{ "cgroup",	no_argument,		NULL, OPT_CGROUP },
		{ "fs",		no_argument,		NULL, OPT_FS },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum mode mode = MODE_NONE;
	uint32_t xid = VX_ID_SELF, index = 0;
	uint64_t mask = 0, supported = 0;
	char *end;
	size_t k;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+nse:x:i:M:hV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			set_mode(&mode, MODE_NEW);
			break;
		case 's':
			set_mode(&mode, MODE_SET);
			break;
		case 'e':
			set_mode(&mode, MODE_ENTER);
			if (vs_parse_xid(optarg, &xid, 0))
				usage_error("invalid xid '%s'", optarg);
			break;
		case 'x':
			if (vs_parse_xid(optarg, &xid, 0))
				usage_error("invalid xid '%s'", optarg);
			break;
		case 'i':
			if (strcmp(optarg, "0") && strcmp(optarg, "1"))
				usage_error("invalid index '%s' (0 or 1)", optarg);
			index = (uint32_t)(optarg[0] - '0');
			break;
		case 'M':
			errno = 0;
			mask |= strtoull(optarg, &end, 16);
			if (errno || *end || !*optarg)
				usage_error("invalid mask '%s' (hex CLONE_* bits)",
					    optarg);
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			for (k = 0; k < sizeof(space_opts) / sizeof(space_opts[0]); k++)
				if (space_opts[k].opt == c)
					break;
			if (k == sizeof(space_opts) / sizeof(space_opts[0]))
				usage_error("invalid option");
			mask |= space_opts[k].bit;
		}
	}
	argv += optind;
	if (mode == MODE_NONE)
		usage_error("one of --new, --set or --enter is required");
	if (mode != MODE_SET && !*argv)
		usage_error("no command given");
	if (mode == MODE_NEW && (xid != VX_ID_SELF || index))
		usage_error("--xid and --index go with --set and --enter");
	if (mode == MODE_ENTER && mask)
		usage_error("--enter takes every namespace the context holds");

	if (vs_get_space_mask(&supported) == 0 && (mask & ~supported))
		usage_error("mask 0x%llx has bits the kernel cannot hold "
			    "(supported: 0x%llx)", (unsigned long long)mask,
			    (unsigned long long)supported);

	switch (mode) {
	case MODE_NEW:
		if (!mask)
			mask = VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC;
		if (unshare((int)(mask & ~VX_SPACE_FS)) < 0) {
			report_errno(-errno, "cannot create namespaces");
			return EXIT_FAILURE;
		}
		run(argv, mask & VX_SPACE_PID);
	case MODE_SET:
		if (!mask)
			mask = supported;
		ret = vs_set_space(xid, mask, index);
		if (ret) {
			report_errno(ret, "cannot store namespaces in %s",
				     xid == VX_ID_SELF ? "own context" : "context");
			return EXIT_FAILURE;
		}
		if (*argv)
			exec_command(argv);
		return EXIT_SUCCESS;
	case MODE_ENTER:
		ret = vs_enter_space(xid, 0, index);
		if (ret) {
			report_errno(ret, "cannot enter the namespaces of context %u",
				     xid);
			return EXIT_FAILURE;
		}
		/* Children of the entering task join the pid namespace. */
		run(argv, true);
	case MODE_NONE:
		break;
	}
	return EXIT_FAILURE;
}
