// SPDX-License-Identifier: GPL-2.0
/*
 * nattribute - show or change the flags and capabilities of a network
 * context.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "nattribute";

struct options {
	uint32_t nid;
	bool get, set, secure;
	struct change flags, ncaps;
	char **argv;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" nattribute [--nid NID] --get\n"
" nattribute [--nid NID] --set [options] [-- COMMAND [ARG...]]\n"
"\n"
"Show or change the flags and capabilities of a network context, then\n"
"optionally run COMMAND.\n"
"\n"
"Options:\n"
" -n, --nid <nid>        the network context (default: the caller's own)\n"
" -g, --get              show flags and capabilities\n"
" -s, --set              change them as the options below say\n"
"     --flag <list>      network flags, e.g. single_ip,~lback_remap\n"
"     --ncap <list>      network capabilities, e.g. raw_icmp\n"
"     --secure           ncap raw_icmp and flag hide_netif\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Lists are comma-separated, '~' or '!' clears.  Exit status: 0 ok,\n"
"1 failure, 2 usage error; with COMMAND, its status.\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_FLAG = 256, OPT_NCAP, OPT_SECURE };

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "nid",	required_argument,	NULL, 'n' },
		{ "get",	no_argument,		NULL, 'g' },
		{ "set",	no_argument,		NULL, 's' },
		{ "flag",	required_argument,	NULL, OPT_FLAG },
		{ "ncap",	required_argument,	NULL, OPT_NCAP },
		{ "secure",	no_argument,		NULL, OPT_SECURE },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->nid = VX_ID_SELF;
	while ((c = getopt_long(argc, argv, "+n:gshV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			o->nid = parse_id_arg(optarg, "nid");
			break;
		case 'g':
			o->get = true;
			break;
		case 's':
			o->set = true;
			break;
		case OPT_FLAG:
			parse_change_list(optarg, "network flag", vs_nflag_from_name,
					  &o->flags);
			break;
		case OPT_NCAP:
			parse_change_list(optarg, "network capability", vs_ncap_from_name,
					  &o->ncaps);
			break;
		case OPT_SECURE:
			o->secure = true;
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
	if (o->get == o->set)
		usage_error("exactly one of --get or --set is required");
	if (o->get && (o->flags.mask || o->ncaps.mask || o->secure))
		usage_error("--flag, --ncap and --secure go with --set");
	if (o->get && *o->argv)
		usage_error("--get takes no command");
	if (o->set && !o->flags.mask && !o->ncaps.mask && !o->secure)
		usage_error("--set needs --flag, --ncap or --secure");
}

static void print_names(const char *label, uint64_t bits,
			const char *(*name)(uint64_t))
{
	const char *sep = " ";
	int i;

	printf("%-7s 0x%016llx", label, (unsigned long long)bits);
	for (i = 0; i < 64; i++) {
		const char *n;

		if (!(bits & (1ULL << i)))
			continue;
		n = name(1ULL << i);
		printf("%s%s", sep, n ? n : "?");
		sep = ",";
	}
	putchar('\n');
}

static void fail(const struct options *o, int ret, const char *what)
{
	if (o->nid == VX_ID_SELF && ret == -ESRCH)
		fprintf(stderr, "%s: the caller is not in a network context; use --nid\n",
			tool_name);
	else
		report_errno(ret, "cannot %s", what);
	exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	uint64_t flags, ncaps;
	int ret;

	parse(argc, argv, &o);
	if (o.get) {
		ret = vs_get_nflags(o.nid, &flags);
		if (!ret)
			ret = vs_get_ncaps(o.nid, &ncaps);
		if (ret)
			fail(&o, ret, "read the network context");
		print_names("flags:", flags, vs_nflag_name);
		print_names("ncaps:", ncaps, vs_ncap_name);
		return EXIT_SUCCESS;
	}
	if (o.secure) {
		o.ncaps.set |= NXC_RAW_ICMP & ~(o.ncaps.mask & ~o.ncaps.set);
		o.ncaps.mask |= NXC_RAW_ICMP;
		o.flags.set |= NXF_HIDE_NETIF & ~(o.flags.mask & ~o.flags.set);
		o.flags.mask |= NXF_HIDE_NETIF;
	}
	if (o.ncaps.mask) {
		ret = vs_set_ncaps(o.nid, o.ncaps.set, o.ncaps.mask);
		if (ret)
			fail(&o, ret, "set the network capabilities");
	}
	if (o.flags.mask) {
		ret = vs_set_nflags(o.nid, o.flags.set, o.flags.mask);
		if (ret)
			fail(&o, ret, "set the network flags");
	}
	if (*o.argv)
		exec_command(o.argv);
	return EXIT_SUCCESS;
}
