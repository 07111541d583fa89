// SPDX-License-Identifier: GPL-2.0
/*
 * naddress - add, remove or list the addresses of a network context.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "naddress";

#define MAX_ADDRS 64

enum mode { MODE_NONE, MODE_ADD, MODE_REMOVE, MODE_LIST };

struct options {
	uint32_t nid;
	enum mode mode;
	bool silent, all;
	struct vs_net_addr addrs[MAX_ADDRS];
	unsigned int n;
	const char *bcast, *lback;
	bool rm_bcast, rm_lback;
	char **argv;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" naddress [--nid NID] --add [--ip ADDR[/PREFIX]]... [--bcast B] [--lback L]\n"
"          [-- COMMAND [ARG...]]\n"
" naddress [--nid NID] --remove (--ip ADDR... | --all) [--bcast B] [--lback L]\n"
" naddress [--nid NID] --list\n"
"\n"
"Change or show the set of IPv4 and IPv6 addresses a network context may\n"
"use, then optionally run COMMAND.  Only the context changes: put the\n"
"addresses on a host interface with ip(8).\n"
"\n"
"Options:\n"
" -n, --nid <nid>        the network context (default: the caller's own)\n"
" -a, --add              add the addresses given\n"
" -r, --remove           remove the addresses given\n"
" -l, --list             list the addresses, broadcast and loopback\n"
" -i, --ip <addr>        192.0.2.10, 192.0.2.10/24, 192.0.2.10/255.255.255.0,\n"
"                        192.0.2.16-192.0.2.32 (range, end excluded) or\n"
"                        2001:db8::10/64; may repeat\n"
"     --all              with --remove: every address\n"
" -b, --bcast <addr>     the IPv4 broadcast address (--remove: clear it)\n"
" -L, --lback <addr>     the address in 127.0.0.0/8 that 127.0.0.1 leads to\n"
"                        in the context (--remove: clear it)\n"
" -s, --silent           no messages for addresses already present/absent\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage error; with COMMAND, its status.\n");
	exit(EXIT_SUCCESS);
}

enum { OPT_ALL = 256 };

static void set_mode(struct options *o, enum mode m)
{
	if (o->mode != MODE_NONE && o->mode != m)
		usage_error("only one of --add, --remove or --list");
	o->mode = m;
}

static void parse(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "nid",	required_argument,	NULL, 'n' },
		{ "add",	no_argument,		NULL, 'a' },
		{ "remove",	no_argument,		NULL, 'r' },
		{ "list",	no_argument,		NULL, 'l' },
		{ "ip",		required_argument,	NULL, 'i' },
		{ "all",	no_argument,		NULL, OPT_ALL },
		{ "bcast",	required_argument,	NULL, 'b' },
		{ "lback",	required_argument,	NULL, 'L' },
		{ "silent",	no_argument,		NULL, 's' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	o->nid = VX_ID_SELF;
	while ((c = getopt_long(argc, argv, "+n:arli:b:L:shV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			o->nid = parse_id_arg(optarg, "nid");
			break;
		case 'a':
			set_mode(o, MODE_ADD);
			break;
		case 'r':
			set_mode(o, MODE_REMOVE);
			break;
		case 'l':
			set_mode(o, MODE_LIST);
			break;
		case 'i':
			if (o->n == MAX_ADDRS)
				usage_error("too many addresses (at most %d)",
					    MAX_ADDRS);
			if (vs_parse_net_addr(optarg, &o->addrs[o->n]))
				usage_error("invalid address '%s'", optarg);
			o->n++;
			break;
		case OPT_ALL:
			o->all = true;
			break;
		case 'b':
			o->bcast = optarg;
			o->rm_bcast = true;
			break;
		case 'L':
			o->lback = optarg;
			o->rm_lback = true;
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
	if (o->mode == MODE_NONE)
		usage_error("one of --add, --remove or --list is required");
	if (o->mode == MODE_LIST && (o->n || o->all || o->rm_bcast ||
				     o->rm_lback || *o->argv))
		usage_error("--list takes no addresses and no command");
	if (o->mode == MODE_ADD) {
		if (o->all)
			usage_error("--all goes with --remove");
		if (!o->n && !o->bcast && !o->lback)
			usage_error("--add needs --ip, --bcast or --lback");
	}
	if (o->mode == MODE_REMOVE) {
		/* The address given with --bcast/--lback does not matter. */
		o->bcast = o->lback = NULL;
		if (o->all && o->n)
			usage_error("--all and --ip exclude each other");
		if (!o->n && !o->all && !o->rm_bcast && !o->rm_lback)
			usage_error("--remove needs --ip, --all, --bcast or --lback");
		if (*o->argv)
			usage_error("--remove takes no command");
	}
}

static void fail(struct options *o, int ret, const char *what,
		 const char *arg)
{
	if (o->nid == VX_ID_SELF && ret == -ESRCH)
		fprintf(stderr, "%s: the caller is not in a network context; use --nid\n",
			tool_name);
	else if (o->nid == VX_ID_SELF)
		report_errno(ret, "cannot %s %s", what, arg);
	else
		report_errno(ret, "cannot %s %s (nid %u)", what, arg, o->nid);
	exit(EXIT_FAILURE);
}

static int do_list(struct options *o)
{
	char path[64], line[256];
	long nid = o->nid;
	FILE *f;

	if (o->nid == VX_ID_SELF) {
		nid = vs_task_nid(0);
		if (nid < 0)
			fail(o, (int)nid, "read", "the network context");
		if (nid <= 1) {
			fprintf(stderr, "%s: the caller is not in a network context; use --nid\n",
				tool_name);
			return EXIT_FAILURE;
		}
	}
	snprintf(path, sizeof(path), "/proc/virtnet/%ld/info", nid);
	f = fopen(path, "r");
	if (!f) {
		report_errno(errno == ENOENT ? -ESRCH : -errno,
			     "cannot read network context %ld", nid);
		return EXIT_FAILURE;
	}
	while (fgets(line, sizeof(line), f)) {
		char *val = strchr(line, '\t');

		if (!val)
			continue;
		*val++ = '\0';
		if (!strcmp(line, "IPv4:") || !strcmp(line, "IPv6:"))
			printf("%s", val);
		else if ((!strcmp(line, "Bcast:") || !strcmp(line, "Lback:")) &&
			 strcmp(val, "0.0.0.0\n"))
			printf("%s %s", !strcmp(line, "Bcast:") ? "bcast" :
			       "lback", val);
	}
	fclose(f);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	unsigned int i;
	int ret;

	parse(argc, argv, &o);
	if (o.mode == MODE_LIST)
		return do_list(&o);

	for (i = 0; i < o.n; i++) {
		char arg[64];

		inet_ntop(o.addrs[i].family, o.addrs[i].ip, arg, sizeof(arg));
		if (o.mode == MODE_ADD)
			ret = vs_net_add(o.nid, &o.addrs[i]);
		else
			ret = vs_net_remove(o.nid, &o.addrs[i]);
		if (o.silent && (ret == -EEXIST || ret == -ENOENT))
			ret = 0;
		if (ret)
			fail(&o, ret, o.mode == MODE_ADD ? "add" : "remove",
			     arg);
	}
	if (o.all) {
		ret = vs_net_remove_all(o.nid);
		if (ret)
			fail(&o, ret, "remove", "the addresses");
	}
	if (o.rm_bcast) {
		ret = vs_net_set_bcast(o.nid, o.bcast);
		if (ret)
			fail(&o, ret, "set", "the broadcast address");
	}
	if (o.rm_lback) {
		ret = vs_net_set_lback(o.nid, o.lback);
		if (ret)
			fail(&o, ret, "set", "the loopback address");
	}
	if (*o.argv)
		exec_command(o.argv);
	return EXIT_SUCCESS;
}
