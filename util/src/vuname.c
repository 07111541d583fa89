// SPDX-License-Identifier: GPL-2.0
/*
 * vuname - show or set the uname fields a guest sees, and its name.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vuname";

#define MAX_SETS 16

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vuname --xid XID [--get] [FIELD...]\n"
" vuname --xid XID --set -t FIELD=VALUE [-t FIELD=VALUE...]\n"
"\n"
"Show or set what uname(2) reports inside a guest (the UTS namespace the\n"
"context holds, see vnamespace --set), and the context's name.\n"
"FIELD: context, sysname, nodename, release, version, machine,\n"
"domainname.  Values are at most 64 bytes.\n"
"\n"
"Options:\n"
" -x, --xid <xid>        the context (or 'self')\n"
" -g, --get              print the FIELDs (default: all, as FIELD=VALUE)\n"
" -s, --set              set the -t FIELD=VALUE pairs\n"
" -t, --tag <f=v>        a field and its new value\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "xid",	required_argument,	NULL, 'x' },
		{ "get",	no_argument,		NULL, 'g' },
		{ "set",	no_argument,		NULL, 's' },
		{ "tag",	required_argument,	NULL, 't' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct { uint32_t field; const char *value; } sets[MAX_SETS];
	uint32_t xid = 0, field;
	bool have_xid = false, set = false;
	int c, nsets = 0, i, ret, status = EXIT_SUCCESS;
	char buf[VHI_NAME_LEN], *eq;

	while ((c = getopt_long(argc, argv, "x:gst:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			xid = parse_id_arg(optarg, "xid");
			have_xid = true;
			break;
		case 'g':
			break;
		case 's':
			set = true;
			break;
		case 't':
			eq = strchr(optarg, '=');
			if (!eq)
				usage_error("expected FIELD=VALUE, got '%s'", optarg);
			*eq = 0;
			if (vs_vhi_field_from_name(optarg, &field))
				usage_error("unknown field '%s'", optarg);
			if (strlen(eq + 1) >= VHI_NAME_LEN)
				usage_error("value of %s is longer than 64 bytes",
					    optarg);
			if (nsets == MAX_SETS)
				usage_error("too many -t options");
			sets[nsets].field = field;
			sets[nsets++].value = eq + 1;
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
	if (set && (!nsets || optind < argc))
		usage_error("--set takes -t FIELD=VALUE options only");
	if (!set && nsets)
		usage_error("-t goes with --set");

	if (set) {
		for (i = 0; i < nsets; i++) {
			ret = vs_set_vhi_name(xid, sets[i].field, sets[i].value);
			if (ret) {
				report_errno(ret, "cannot set %s",
					     vs_vhi_field_name(sets[i].field));
				return EXIT_FAILURE;
			}
		}
		return EXIT_SUCCESS;
	}
	for (i = optind; i < argc; i++)
		if (vs_vhi_field_from_name(argv[i], &field))
			usage_error("unknown field '%s'", argv[i]);
	if (optind == argc) {
		for (field = 0; field <= VHIN_MAX; field++) {
			ret = vs_get_vhi_name(xid, field, buf, sizeof(buf));
			if (ret == -EINVAL && field != VHIN_CONTEXT)
				continue;	/* no UTS namespace held */
			if (ret) {
				report_errno(ret, "cannot read %s",
					     vs_vhi_field_name(field));
				return EXIT_FAILURE;
			}
			printf("%s=%s\n", vs_vhi_field_name(field), buf);
		}
		return EXIT_SUCCESS;
	}
	for (i = optind; i < argc; i++) {
		vs_vhi_field_from_name(argv[i], &field);
		ret = vs_get_vhi_name(xid, field, buf, sizeof(buf));
		if (ret) {
			report_errno(ret, "cannot read %s", argv[i]);
			status = EXIT_FAILURE;
			continue;
		}
		printf("%s\n", buf);
	}
	return status;
}
