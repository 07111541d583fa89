// SPDX-License-Identifier: GPL-2.0
/*
 * vattribute - show or change the flags and capabilities of a context.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/capability.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vattribute";

struct options {
	uint32_t xid;
	bool get, set, secure;
	struct change flags, bcaps, ccaps, umask;
	char **argv;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vattribute [--xid XID] --get\n"
" vattribute [--xid XID] --set [options] [-- COMMAND [ARG...]]\n"
"\n"
"Show or change the context flags, bounding capabilities and context\n"
"capabilities of a context, then optionally run COMMAND.\n"
"\n"
"Options:\n"
" -x, --xid <xid>        the context (default: the caller's own)\n"
" -g, --get              show flags and capabilities\n"
" -s, --set              change them as the options below say\n"
"     --flag <list>      context flags, e.g. virt_uptime,~hideinfo\n"
"     --bcap <list>      bounding capabilities (Linux names, e.g.\n"
"                        ~sys_admin or CAP_NET_RAW); '~' or '!' drops\n"
"     --ccap <list>      context capabilities, e.g. set_utsname\n"
"     --umask <list>     namespaces root may create with the namespace\n"
"                        ccap: newns, newuts, newipc, newpid, newnet,\n"
"                        newcgroup, newtime (and util-vserver's fs,\n"
"                        newuser, which grant nothing)\n"
"     --secure           util-vserver's secure defaults: bounding set\n"
"                        reduced to the guest-safe capabilities, ccaps\n"
"                        set_utsname,raw_icmp,audit_control, flag\n"
"                        hide_netif (applied before the other options)\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Lists are comma-separated and options may repeat.  Exit status: 0 ok,\n"
"1 failure, 2 usage error; with COMMAND, its status.\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_FLAG = 256, OPT_BCAP, OPT_CCAP, OPT_SECURE, OPT_UMASK };

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL, 'x' },
		{ "get",	no_argument,		NULL, 'g' },
		{ "set",	no_argument,		NULL, 's' },
		{ "flag",	required_argument,	NULL, OPT_FLAG },
		{ "bcap",	required_argument,	NULL, OPT_BCAP },
		{ "ccap",	required_argument,	NULL, OPT_CCAP },
		{ "secure",	no_argument,		NULL, OPT_SECURE },
		{ "umask",	required_argument,	NULL, OPT_UMASK },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->xid = VX_ID_SELF;
	while ((c = getopt_long(argc, argv, "+x:gshV", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			o->xid = parse_id_arg(optarg, "xid");
			break;
		case 'g':
			o->get = true;
			break;
		case 's':
			o->set = true;
			break;
		case OPT_FLAG:
			parse_change_list(optarg, "context flag",
					  vs_cflag_from_name, &o->flags);
			break;
		case OPT_BCAP:
			parse_change_list(optarg, "capability",
					  vs_bcap_from_name, &o->bcaps);
			break;
		case OPT_CCAP:
			parse_change_list(optarg, "context capability",
					  vs_ccap_from_name, &o->ccaps);
			break;
		case OPT_SECURE:
			o->secure = true;
			break;
		case OPT_UMASK:
			parse_change_list(optarg, "namespace",
					  vs_umask_from_name, &o->umask);
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
	if (o->get && (o->flags.mask || o->bcaps.mask || o->ccaps.mask ||
		       o->umask.mask || o->secure))
		usage_error("--flag, --bcap, --ccap, --umask and --secure go with --set");
	if (o->get && *o->argv)
		usage_error("--get takes no command");
	if (o->set && !o->flags.mask && !o->bcaps.mask && !o->ccaps.mask &&
	    !o->umask.mask && !o->secure)
		usage_error("--set needs --flag, --bcap, --ccap, --umask or --secure");
}

static void print_names(const char *label, uint64_t bits,
			const char *(*name)(uint64_t))
{
	const char *sep = "";
	int i;

	printf("%-7s 0x%016llx", label, (unsigned long long)bits);
	for (i = 0; i < 64; i++) {
		const char *n;

		if (!(bits & (1ULL << i)))
			continue;
		n = name(1ULL << i);
		printf("%s%s", *sep ? sep : " ", n ? n : "?");
		sep = ",";
	}
	putchar('\n');
}

static const char *bcap_name(uint64_t bit)
{
	static char buf[64];
	char *n;
	int cap = __builtin_ctzll(bit);

	n = cap_to_name(cap);
	if (!n)
		return NULL;
	snprintf(buf, sizeof(buf), "%s", strncmp(n, "cap_", 4) ? n : n + 4);
	cap_free(n);
	return buf;
}

static int do_get(struct options *o)
{
	uint64_t flags, bcaps, ccaps, umask;
	int ret;

	ret = vs_get_cflags(o->xid, &flags);
	if (!ret)
		ret = vs_get_bcaps(o->xid, &bcaps);
	if (!ret)
		ret = vs_get_ccaps(o->xid, &ccaps);
	if (!ret)
		ret = vs_get_umask(o->xid, &umask);
	if (ret) {
		if (o->xid == VX_ID_SELF && ret == -ESRCH)
			fprintf(stderr, "%s: the caller is not in a context; use --xid\n",
				tool_name);
		else
			report_errno(ret, "cannot read context %u", o->xid);
		return EXIT_FAILURE;
	}
	print_names("flags:", flags, vs_cflag_name);
	print_names("bcaps:", bcaps, bcap_name);
	print_names("ccaps:", ccaps, vs_ccap_name);
	print_names("umask:", umask, vs_umask_name);
	return EXIT_SUCCESS;
}

static int apply(const char *what, int ret, uint32_t xid)
{
	if (ret == 0)
		return 0;
	if (xid == VX_ID_SELF && ret == -ESRCH)
		fprintf(stderr, "%s: the caller is not in a context; use --xid\n",
			tool_name);
	else
		report_errno(ret, "cannot set %s of context %u", what, xid);
	exit(EXIT_FAILURE);
}

static void do_set(struct options *o)
{
	if (o->secure) {
		apply("bounding capabilities",
		      vs_set_bcaps(o->xid, vs_secure_bcaps(), ~0ULL), o->xid);
		apply("context capabilities",
		      vs_set_ccaps(o->xid, VXC_SET_UTSNAME | VXC_RAW_ICMP |
				   VXC_AUDIT_CONTROL, VXC_SET_UTSNAME |
				   VXC_RAW_ICMP | VXC_AUDIT_CONTROL), o->xid);
		apply("flags", vs_set_cflags(o->xid, VXF_HIDE_NETIF,
					     VXF_HIDE_NETIF), o->xid);
	}
	if (o->ccaps.mask)
		apply("context capabilities",
		      vs_set_ccaps(o->xid, o->ccaps.set, o->ccaps.mask),
		      o->xid);
	if (o->bcaps.mask)
		apply("bounding capabilities",
		      vs_set_bcaps(o->xid, o->bcaps.set, o->bcaps.mask),
		      o->xid);
	if (o->umask.mask)
		apply("umask", vs_set_umask(o->xid, o->umask.set,
					    o->umask.mask), o->xid);
	/* Flags last: they may end the setup state. */
	if (o->flags.mask)
		apply("flags", vs_set_cflags(o->xid, o->flags.set,
					     o->flags.mask), o->xid);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };

	parse(argc, argv, &o);
	if (o.get)
		return do_get(&o);
	do_set(&o);
	if (*o.argv)
		exec_command(o.argv);
	return EXIT_SUCCESS;
}
