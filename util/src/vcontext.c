// SPDX-License-Identifier: GPL-2.0
/*
 * vcontext - create or enter a security context and run a command in it.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"
#include "libvserver.h"

const char *tool_name = "vcontext";

#define EXIT_EXISTS	254	/* --create: the xid is taken (util-vserver) */

enum mode { MODE_NONE, MODE_CREATE, MODE_MIGRATE };

struct options {
	enum mode mode;
	uint32_t xid;
	bool have_xid;
	uint64_t flags, flagmask;
	bool persistent;
	bool disconnect;
	bool initpid;
	bool endsetup;
	bool chroot;
	bool silent;
	bool silentexist;
	char **argv;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vcontext --create [options] [--] COMMAND [ARG...]\n"
" vcontext --migrate --xid XID [options] [--] COMMAND [ARG...]\n"
"\n"
"Create a security context, or move into an existing one, and run\n"
"COMMAND inside it.\n"
"\n"
"Options:\n"
" -c, --create           create a new context (the caller enters it)\n"
" -m, --migrate          enter the existing context --xid XID\n"
" -x, --xid <xid>        context id: 2..49151, or 'dynamic' (default\n"
"                        with --create)\n"
" -f, --flag <list>      context flags to set (comma list, '~NAME'\n"
"                        clears); see vcontext(8)\n"
" -p, --persistent       the context outlives its last task\n"
" -d, --disconnect       run COMMAND in the background, in a new session\n"
" -i, --initpid          COMMAND becomes the context's init\n"
" -e, --endsetup         end the setup state after entering\n"
"     --chroot           chroot to the current directory after entering\n"
" -s, --silent           do not report the new context id\n"
"     --silentexist      exit 254 quietly if the context exists\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Without COMMAND, --create --persistent only creates the context.\n"
"\n"
"Exit status: COMMAND's status; 1 on failure, 2 on usage errors,\n"
"126/127 if COMMAND cannot be run, 254 if --create finds the xid taken.\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_CHROOT = 256, OPT_SILENTEXIST };

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "create",	no_argument,		NULL, 'c' },
		{ "migrate",	no_argument,		NULL, 'm' },
		{ "xid",	required_argument,	NULL, 'x' },
		{ "flag",	required_argument,	NULL, 'f' },
		{ "persistent",	no_argument,		NULL, 'p' },
		{ "disconnect",	no_argument,		NULL, 'd' },
		{ "initpid",	no_argument,		NULL, 'i' },
		{ "endsetup",	no_argument,		NULL, 'e' },
		{ "chroot",	no_argument,		NULL, OPT_CHROOT },
		{ "silent",	no_argument,		NULL, 's' },
		{ "silentexist", no_argument,		NULL, OPT_SILENTEXIST },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+cmx:f:pdieshV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'm':
			if (o->mode != MODE_NONE)
				usage_error("--create and --migrate exclude each other");
			o->mode = c == 'c' ? MODE_CREATE : MODE_MIGRATE;
			break;
		case 'x':
			if (vs_parse_xid(optarg, &o->xid, 1))
				usage_error("invalid xid '%s' (expected 2..65535 or 'dynamic')",
					    optarg);
			o->have_xid = true;
			break;
		case 'f':
			if (vs_parse_cflags(optarg, &o->flags, &o->flagmask))
				usage_error("unknown context flag in '%s'",
					    optarg);
			break;
		case 'p':
			o->persistent = true;
			break;
		case 'd':
			o->disconnect = true;
			break;
		case 'i':
			o->initpid = true;
			break;
		case 'e':
			o->endsetup = true;
			break;
		case OPT_CHROOT:
			o->chroot = true;
			break;
		case 's':
			o->silent = true;
			break;
		case OPT_SILENTEXIST:
			o->silentexist = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	o->argv = argv + optind;

	if (o->mode == MODE_NONE)
		usage_error("one of --create or --migrate is required");
	if (o->mode == MODE_MIGRATE && !o->have_xid)
		usage_error("--migrate needs --xid");
	if (o->mode == MODE_MIGRATE && o->xid == VX_DYNAMIC_ID)
		usage_error("--migrate needs a numeric --xid");
	if (o->mode == MODE_MIGRATE && (o->flagmask || o->persistent))
		usage_error("--flag and --persistent go with --create");
	if (!*o->argv && !(o->mode == MODE_CREATE && o->persistent))
		usage_error("no command given");
	if (!*o->argv && (o->disconnect || o->initpid || o->chroot))
		usage_error("--disconnect, --initpid and --chroot need a command");
}

static int do_create(struct options *o)
{
	uint64_t flags = VXF_INIT_SET;
	long ret;

	flags = (flags & ~o->flagmask) | (o->flags & o->flagmask);
	if (o->persistent)
		flags |= VXF_PERSISTENT;
	ret = vs_ctx_create(o->have_xid ? o->xid : VX_DYNAMIC_ID, &flags);
	if (ret == -EEXIST || ret == -EBUSY) {
		if (!o->silentexist)
			report_errno(ret, "cannot create context %u", o->xid);
		exit(EXIT_EXISTS);
	}
	if (ret < 0) {
		report_errno(ret, "cannot create context");
		exit(EXIT_FAILURE);
	}
	o->xid = (uint32_t)ret;
	if (!o->silent)
		fprintf(stderr, "New security context is %u\n", o->xid);
	return 0;
}

static void do_migrate(struct options *o)
{
	int ret = vs_ctx_migrate(o->xid, 0);

	if (ret < 0) {
		report_errno(ret, "cannot enter context %u", o->xid);
		exit(EXIT_FAILURE);
	}
}

/* Steps after entering: init, setup state, chroot, disconnect. */
static void finish(struct options *o)
{
	int ret;

	if (o->disconnect) {
		pid_t pid = fork();

		if (pid < 0) {
			report_errno(-errno, "fork");
			exit(EXIT_FAILURE);
		}
		if (pid > 0)
			exit(EXIT_SUCCESS);
		setsid();
	}
	if (o->initpid) {
		ret = vs_ctx_migrate(o->xid, VXM_SET_INIT);
		if (ret < 0) {
			report_errno(ret, "cannot become init of context %u",
				     o->xid);
			exit(EXIT_FAILURE);
		}
	}
	if (o->endsetup) {
		ret = vs_set_cflags(o->xid, 0, VXF_STATE_SETUP);
		if (ret < 0) {
			report_errno(ret, "cannot end setup of context %u",
				     o->xid);
			exit(EXIT_FAILURE);
		}
	}
	if (o->chroot && chroot(".") < 0) {
		report_errno(-errno, "chroot");
		exit(EXIT_FAILURE);
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };

	parse(argc, argv, &o);
	if (o.mode == MODE_CREATE)
		do_create(&o);
	else
		do_migrate(&o);
	if (!*o.argv) {
		printf("%u\n", o.xid);
		return EXIT_SUCCESS;
	}
	finish(&o);
	exec_command(o.argv);
}
