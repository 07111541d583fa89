// SPDX-License-Identifier: GPL-2.0
/*
 * vsched - set or show the CPU bucket of a context.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vsched";

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vsched --xid XID [options] [--dir DIR [--missingok]] [-- COMMAND...]\n"
" vsched --xid XID --list\n"
"\n"
"Set the CPU bucket of a context: it gets FILL-RATE tokens every\n"
"INTERVAL ticks (one token is one tick of CPU time of every CPU), so\n"
"FILL-RATE/INTERVAL of the machine: a hard cap, or with the context flag\n"
"sched_prio (without sched_hard) a weight in that proportion.  Options\n"
"not given keep their value; --dir reads util-vserver's sched/ files\n"
"first, the options override them.  With a COMMAND, run it afterwards.\n"
"\n"
"Options:\n"
" -x, --xid <xid>            the context (or 'self')\n"
"     --fill-rate <n>        tokens per interval (0: no limit)\n"
"     --interval <n>         interval in ticks (ms with --msec)\n"
"     --fill-rate2 <n>       tokens per interval2 while the host is idle\n"
"     --interval2 <n>        the idle-time interval\n"
"     --tokens <n>           tokens in the bucket now\n"
"     --tokens-min <n>       tokens to resume at (reported only)\n"
"     --tokens-max <n>       bucket size: the burst\n"
"     --priority-bias <n>    nice level of the whole context, -20..19\n"
"     --prio-bias <n>        the same\n"
"     --idle-time            use idle time of the host (rate 2)\n"
"     --force                fill the bucket now\n"
"     --cpu-id <n>           a CPU (-1: all; buckets are per context)\n"
"     --bucket-id <n>        the bucket (0)\n"
"     --msec                 intervals are in milliseconds\n"
"     --dir <dir>            read the sched/ configuration directory\n"
"     --missingok            a missing --dir is not an error\n"
" -l, --list                 show the bucket and the CPU time used\n"
" -h, --help                 display this help\n"
" -V, --version              display version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage error; with COMMAND its status.\n");
	exit(EXIT_SUCCESS);
}

enum {
	OPT_FILL_RATE = 256, OPT_INTERVAL, OPT_FILL_RATE2, OPT_INTERVAL2,
	OPT_TOKENS, OPT_TOKENS_MIN, OPT_TOKENS_MAX, OPT_PRIO_BIAS,
	OPT_IDLE_TIME, OPT_FORCE, OPT_CPU_ID, OPT_BUCKET_ID, OPT_MSEC,
	OPT_DIR, OPT_MISSINGOK,
};

static const char *const opt_keys[] = {
	[OPT_FILL_RATE - OPT_FILL_RATE] = "fill-rate",
	[OPT_INTERVAL - OPT_FILL_RATE] = "interval",
	[OPT_FILL_RATE2 - OPT_FILL_RATE] = "fill-rate2",
	[OPT_INTERVAL2 - OPT_FILL_RATE] = "interval2",
	[OPT_TOKENS - OPT_FILL_RATE] = "tokens",
	[OPT_TOKENS_MIN - OPT_FILL_RATE] = "tokens-min",
	[OPT_TOKENS_MAX - OPT_FILL_RATE] = "tokens-max",
	[OPT_PRIO_BIAS - OPT_FILL_RATE] = "priority-bias",
};

static int list(uint32_t xid)
{
	struct vcmd_sched_v5 s = { 0 };
	struct vcmd_sched_info info;
	int ret;

	ret = vs_get_sched(xid, &s);
	if (ret) {
		report_errno(ret, "cannot read the bucket");
		return EXIT_FAILURE;
	}
	ret = vs_sched_info(xid, -1, &info);
	if (ret) {
		report_errno(ret, "cannot read the CPU time");
		return EXIT_FAILURE;
	}
	printf("fill-rate      %d\n", s.fill_rate[0]);
	printf("interval       %d\n", s.interval[0]);
	printf("fill-rate2     %d\n", s.fill_rate[1]);
	printf("interval2      %d\n", s.interval[1]);
	printf("tokens         %d\n", s.tokens);
	printf("tokens-min     %d\n", s.tokens_min);
	printf("tokens-max     %d\n", s.tokens_max);
	printf("priority-bias  %d\n", s.prio_bias);
	printf("idle-time      %s\n", s.mask & VXSM_IDLE_TIME ? "yes" : "no");
	printf("user-msec      %llu\n", (unsigned long long)info.user_msec);
	printf("sys-msec       %llu\n", (unsigned long long)info.sys_msec);
	printf("hold-msec      %llu\n", (unsigned long long)info.hold_msec);
	printf("token-usec     %u\n", info.token_usec);
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "xid",		required_argument, NULL, 'x' },
		{ "fill-rate",		required_argument, NULL, OPT_FILL_RATE },
		{ "interval",		required_argument, NULL, OPT_INTERVAL },
		{ "fill-rate2",		required_argument, NULL, OPT_FILL_RATE2 },
		{ "interval2",		required_argument, NULL, OPT_INTERVAL2 },
		{ "tokens",		required_argument, NULL, OPT_TOKENS },
		{ "tokens-min",		required_argument, NULL, OPT_TOKENS_MIN },
		{ "tokens-max",		required_argument, NULL, OPT_TOKENS_MAX },
		{ "priority-bias",	required_argument, NULL, OPT_PRIO_BIAS },
		{ "prio-bias",		required_argument, NULL, OPT_PRIO_BIAS },
		{ "idle-time",		no_argument,	   NULL, OPT_IDLE_TIME },
		{ "force",		no_argument,	   NULL, OPT_FORCE },
		{ "cpu-id",		required_argument, NULL, OPT_CPU_ID },
		{ "bucket-id",		required_argument, NULL, OPT_BUCKET_ID },
		{ "msec",		no_argument,	   NULL, OPT_MSEC },
		{ "dir",		required_argument, NULL, OPT_DIR },
		{ "missingok",		no_argument,	   NULL, OPT_MISSINGOK },
		{ "list",		no_argument,	   NULL, 'l' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "version",		no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct vcmd_sched_v5 opts = { 0 }, s = { 0 };
	const char *dir = NULL;
	bool have_xid = false, do_list = false, missingok = false;
	uint32_t xid = 0;
	int32_t val;
	char bad[4096] = "";
	int c, ret;

	while ((c = getopt_long(argc, argv, "+x:lhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'x':
			xid = parse_id_arg(optarg, "xid");
			have_xid = true;
			break;
		case OPT_FILL_RATE ... OPT_PRIO_BIAS:
			if (vs_sched_parse_int(optarg, &val))
				usage_error("invalid number '%s' for --%s", optarg,
					    opt_keys[c - OPT_FILL_RATE]);
			vs_sched_set_field(&opts, opt_keys[c - OPT_FILL_RATE],
					   val);
			break;
		case OPT_CPU_ID:
		case OPT_BUCKET_ID:
			if (vs_sched_parse_int(optarg, &val))
				usage_error("invalid number '%s'", optarg);
			vs_sched_set_field(&opts, c == OPT_CPU_ID ? "cpu-id" :
					   "bucket-id", val);
			break;
		case OPT_IDLE_TIME:
			opts.mask |= VXSM_IDLE_TIME;
			break;
		case OPT_FORCE:
			opts.mask |= VXSM_FORCE;
			break;
		case OPT_MSEC:
			opts.mask |= VXSM_MSEC;
			break;
		case OPT_DIR:
			dir = optarg;
			break;
		case OPT_MISSINGOK:
			missingok = true;
			break;
		case 'l':
			do_list = true;
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
	if (missingok && !dir)
		usage_error("--missingok goes with --dir");
	if (do_list) {
		if (opts.mask || dir || optind < argc)
			usage_error("--list takes no other options");
		return list(xid);
	}
	if (!opts.mask && !dir && optind == argc)
		usage_error("nothing to do: give bucket options, --dir or --list");

	if (dir) {
		ret = vs_sched_read_dir(dir, &s, bad, sizeof(bad));
		if (ret == -ENOENT && missingok) {
			s.mask = 0;
		} else if (ret == -EINVAL) {
			fprintf(stderr, "%s: %s: not a number\n", tool_name, bad);
			return EXIT_FAILURE;
		} else if (ret) {
			report_errno(ret, "cannot read %s", dir);
			return EXIT_FAILURE;
		}
	}
	/* Options override the files. */
	if (opts.mask & VXSM_FILL_RATE)
		s.fill_rate[0] = opts.fill_rate[0];
	if (opts.mask & VXSM_INTERVAL)
		s.interval[0] = opts.interval[0];
	if (opts.mask & VXSM_FILL_RATE2)
		s.fill_rate[1] = opts.fill_rate[1];
	if (opts.mask & VXSM_INTERVAL2)
		s.interval[1] = opts.interval[1];
	if (opts.mask & VXSM_TOKENS)
		s.tokens = opts.tokens;
	if (opts.mask & VXSM_TOKENS_MIN)
		s.tokens_min = opts.tokens_min;
	if (opts.mask & VXSM_TOKENS_MAX)
		s.tokens_max = opts.tokens_max;
	if (opts.mask & VXSM_PRIO_BIAS)
		s.prio_bias = opts.prio_bias;
	if (opts.mask & VXSM_CPU_ID)
		s.cpu_id = opts.cpu_id;
	if (opts.mask & VXSM_BUCKET_ID)
		s.bucket_id = opts.bucket_id;
	s.mask |= opts.mask;

	if (s.mask & ~(VXSM_CPU_ID | VXSM_BUCKET_ID | VXSM_MSEC)) {
		ret = vs_set_sched(xid, &s);
		if (ret == -EOPNOTSUPP && (s.mask & VXSM_CPU_ID) &&
		    s.cpu_id != -1) {
			fprintf(stderr, "%s: the kernel has one bucket for all CPUs: leave out --cpu-id (or use -1)\n",
				tool_name);
			return EXIT_FAILURE;
		}
		if (ret) {
			report_errno(ret, "cannot set the bucket of %s",
				     xid == VX_ID_SELF ? "this context" :
				     "the context");
			return EXIT_FAILURE;
		}
	}
	if (optind < argc)
		exec_command(argv + optind);
	return EXIT_SUCCESS;
}
