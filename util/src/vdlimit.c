// SPDX-License-Identifier: GPL-2.0
/*
 * vdlimit - disk space and inode limits of a guest: ext4/xfs project
 * quotas with project id = xid.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vdlimit";

struct options {
	uint32_t xid;
	bool xid_given, assign, remove, set;
	uint64_t space, inodes;
	const char *path;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vdlimit --xid XID [--assign] PATH\n"
" vdlimit --xid XID --set space_total=SIZE [--set inodes_total=N] PATH\n"
" vdlimit --xid XID --remove PATH\n"
"\n"
"Show or set the disk limits of a guest on the file system holding PATH:\n"
"the project quota of project XID (ext4 with the 'project' and 'quota'\n"
"features, or xfs with prjquota).  The guest's files belong to project\n"
"XID once --assign marked its directory tree; new files inherit it, and\n"
"df(1) on such a directory shows the guest's limits.\n"
"\n"
"Options:\n"
" -x, --xid <xid>        the guest's context id (= project id)\n"
" -a, --assign           put PATH and everything below it into project\n"
"                        XID (new files inherit it)\n"
" -s, --set <name>=<val> space_total (KiB, or with a K/M/G unit) or\n"
"                        inodes_total; 'inf' removes that limit\n"
" -r, --remove           remove both limits\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Without --set or --remove, print the use and limits (util-vserver's\n"
"space_used=, space_total=, inodes_used=, inodes_total= lines).\n"
"Exit status: 0 ok, 1 failure, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

/* "space_total=1G" or "inodes_total=1000" (util-vserver's names). */
static void parse_set(struct options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	uint64_t v;
	bool space;

	if (!eq)
		usage_error("--set needs NAME=VALUE, not '%s'", arg);
	if (!strncmp(arg, "space_total", eq - arg) && eq - arg == 11)
		space = true;
	else if (!strncmp(arg, "inodes_total", eq - arg) && eq - arg == 12)
		space = false;
	else
		usage_error("unknown limit '%.*s' (space_total or inodes_total)",
			    (int)(eq - arg), arg);
	/* RLIMIT_NOFILE: a plain count with optional multipliers. */
	if (vs_parse_limit(eq + 1, RLIMIT_NOFILE, &v))
		usage_error("invalid value '%s'", eq + 1);
	/* A space with a unit is in bytes; a bare number in KiB. */
	if (space && v != VS_DLIMIT_INFINITY && strpbrk(eq + 1, "kKmMgG"))
		v = (v + 1023) / 1024;
	if (space)
		o->space = v;
	else
		o->inodes = v;
	o->set = true;
}

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL, 'x' },
		{ "assign",	no_argument,		NULL, 'a' },
		{ "set",	required_argument,	NULL, 's' },
		{ "remove",	no_argument,		NULL, 'r' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->space = VS_DLIMIT_KEEP;
	o->inodes = VS_DLIMIT_KEEP;
	while ((c = getopt_long(argc, argv, "x:as:rhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			if (vs_parse_xid(optarg, &o->xid, 0))
				usage_error("invalid xid '%s' (expected 2..65535)",
					    optarg);
			o->xid_given = true;
			break;
		case 'a':
			o->assign = true;
			break;
		case 's':
			parse_set(o, optarg);
			break;
		case 'r':
			o->remove = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (!o->xid_given)
		usage_error("--xid is required");
	if (optind != argc - 1)
		usage_error("expected exactly one PATH");
	o->path = argv[optind];
	if (o->set && o->remove)
		usage_error("--set and --remove exclude each other");
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct vs_dlimit dl;
	int ret;

	parse(argc, argv, &o);
	if (o.assign) {
		ret = vs_dlimit_assign(o.path, o.xid);
		if (ret) {
			report_errno(ret, "cannot put %s into project %u",
				     o.path, o.xid);
			return EXIT_FAILURE;
		}
	}
	if (o.remove) {
		o.space = VS_DLIMIT_INFINITY;
		o.inodes = VS_DLIMIT_INFINITY;
	}
	if (o.set || o.remove) {
		ret = vs_dlimit_set(o.path, o.xid, o.space, o.inodes);
		if (ret) {
			report_errno(ret, "cannot set the limits of project %u on %s",
				     o.xid, o.path);
			return EXIT_FAILURE;
		}
		return EXIT_SUCCESS;
	}
	if (o.assign)
		return EXIT_SUCCESS;
	ret = vs_dlimit_get(o.path, o.xid, &dl);
	if (ret) {
		report_errno(ret, "cannot read the limits of project %u on %s",
			     o.xid, o.path);
		return EXIT_FAILURE;
	}
	printf("space_used=%llu\n", (unsigned long long)dl.space_used);
	if (dl.space_total == VS_DLIMIT_INFINITY)
		printf("space_total=inf\n");
	else
		printf("space_total=%llu\n", (unsigned long long)dl.space_total);
	printf("inodes_used=%llu\n", (unsigned long long)dl.inodes_used);
	if (dl.inodes_total == VS_DLIMIT_INFINITY)
		printf("inodes_total=inf\n");
	else
		printf("inodes_total=%llu\n",
		       (unsigned long long)dl.inodes_total);
	return EXIT_SUCCESS;
}
