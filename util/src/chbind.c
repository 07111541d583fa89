// SPDX-License-Identifier: GPL-2.0
/*
 * chbind - run a command in a new network context with given addresses.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "chbind";

#define MAX_ADDRS 64

struct options {
	uint32_t nid;
	bool silent, secure;
	struct vs_net_addr addrs[MAX_ADDRS];
	unsigned int n;
	const char *bcast, *lback;
	struct change flags, ncaps;
	char **argv;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" chbind [options] --ip ADDR[/PREFIX]... -- COMMAND [ARG...]\n"
"\n"
"Create a network context, give it the addresses, enter it and run\n"
"COMMAND there.  COMMAND and its children can only bind to and send from\n"
"those addresses; 127.0.0.1 and ::1 lead to the context's own loopback\n"
"address.\n"
"\n"
"Options:\n"
" -n, --nid <nid>        the nid to create (default: a free dynamic one)\n"
" -i, --ip <addr>        an address, as naddress(8) takes it; may repeat\n"
" -b, --bcast <addr>     the IPv4 broadcast address\n"
" -L, --lback <addr>     the loopback address (in 127.0.0.0/8)\n"
"     --flag <list>      network flags, e.g. single_ip,~lback_remap\n"
"     --ncap <list>      network capabilities, e.g. raw_icmp\n"
"     --secure           ncap raw_icmp and flag hide_netif\n"
" -s, --silent           no message when the context exists already\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: the status of COMMAND; 1 failure, 2 usage error, 254 the nid\n"
"exists, 126/127 COMMAND cannot be run.\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_FLAG = 256, OPT_NCAP, OPT_SECURE };

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "nid",	required_argument,	NULL, 'n' },
		{ "ip",		required_argument,	NULL, 'i' },
		{ "bcast",	required_argument,	NULL, 'b' },
		{ "lback",	required_argument,	NULL, 'L' },
		{ "flag",	required_argument,	NULL, OPT_FLAG },
		{ "ncap",	required_argument,	NULL, OPT_NCAP },
		{ "secure",	no_argument,		NULL, OPT_SECURE },
		{ "silent",	no_argument,		NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->nid = NX_DYNAMIC_ID;
	while ((c = getopt_long(argc, argv, "+n:i:b:L:shV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			if (vs_parse_xid(optarg, &o->nid, 1) ||
			    (o->nid > NX_ID_STATIC_MAX &&
			     o->nid != NX_DYNAMIC_ID))
				usage_error("invalid nid '%s' (expected 2..49151 or 'dynamic')",
					    optarg);
			break;
		case 'i':
			if (o->n == MAX_ADDRS)
				usage_error("too many addresses (at most %d)",
					    MAX_ADDRS);
			if (vs_parse_net_addr(optarg, &o->addrs[o->n]))
				usage_error("invalid address '%s'", optarg);
			o->n++;
			break;
		case 'b':
			o->bcast = optarg;
			break;
		case 'L':
			o->lback = optarg;
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
		case 's':
			o->silent = true;
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
	if (!o->n)
		usage_error("at least one --ip is required");
	if (!*o->argv)
		usage_error("no command given");
}

static void check(int ret, const char *what)
{
	if (!ret)
		return;
	report_errno(ret, "cannot %s", what);
	exit(EXIT_FAILURE);
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	unsigned int i;
	long nid;

	parse(argc, argv, &o);
	nid = vs_net_create(o.nid, NULL);
	if (nid == -EEXIST) {
		if (!o.silent)
			fprintf(stderr, "%s: network context %u exists already\n",
				tool_name, o.nid);
		return 254;
	}
	if (nid < 0)
		check((int)nid, "create a network context");
	for (i = 0; i < o.n; i++) {
		char what[96], buf[64];

		inet_ntop(o.addrs[i].family, o.addrs[i].ip, buf, sizeof(buf));
		snprintf(what, sizeof(what), "add %s", buf);
		check(vs_net_add((uint32_t)nid, &o.addrs[i]), what);
	}
	if (o.bcast)
		check(vs_net_set_bcast((uint32_t)nid, o.bcast),
		      "set the broadcast address");
	if (o.lback)
		check(vs_net_set_lback((uint32_t)nid, o.lback),
		      "set the loopback address");
	if (o.secure) {
		o.ncaps.set |= NXC_RAW_ICMP & ~(o.ncaps.mask & ~o.ncaps.set);
		o.ncaps.mask |= NXC_RAW_ICMP;
		o.flags.set |= NXF_HIDE_NETIF & ~(o.flags.mask & ~o.flags.set);
		o.flags.mask |= NXF_HIDE_NETIF;
	}
	if (o.ncaps.mask)
		check(vs_set_ncaps((uint32_t)nid, o.ncaps.set, o.ncaps.mask),
		      "set the network capabilities");
	if (o.flags.mask)
		check(vs_set_nflags((uint32_t)nid, o.flags.set, o.flags.mask),
		      "set the network flags");
	exec_command(o.argv);
}
