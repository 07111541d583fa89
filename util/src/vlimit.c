// SPDX-License-Identifier: GPL-2.0
/*
 * vlimit - show or set the resource limits of a context.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vlimit";

/* Which of a resource's limits an option sets. */
#define SET_MIN		1
#define SET_SOFT	2
#define SET_HARD	4

struct setting {
	bool set;
	bool from_dir;		/* read from --dir, not the command line */
	uint64_t val[3];	/* minimum, soft, hard; CRLIM_KEEP: leave */
};

struct options {
	uint32_t xid;
	bool xid_given, list, reset_hits, reset_minmax, missingok;
	const char *dir;
	struct setting lim[VLIMIT_NR];
	char **argv;
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vlimit [--xid XID] [[-M|-S|-H] --RESOURCE VALUE]... [--dir DIR [--missingok]]\n"
"        [--list] [-- COMMAND [ARG...]]\n"
"\n"
"Set the resource limits of a context (counted for all its processes\n"
"together), show its use, then optionally run COMMAND.\n"
"\n"
"Options:\n"
" -c, --xid <xid>        the context (default: the caller's own)\n"
" -M                     the next --RESOURCE sets the minimum\n"
" -S                     the next --RESOURCE sets the soft limit\n"
" -H                     the next --RESOURCE sets the hard limit (the\n"
"                        default; -S and -H combine: -SH)\n"
"     --RESOURCE <value> a limit: a number, with k/m/g (x1000) or K/M/G\n"
"                        (x1024), or 'inf' for none\n"
" -d, --dir <dir>        read util-vserver's limit files DIR/RESOURCE (all\n"
"                        three limits) and DIR/RESOURCE.{min,soft,hard};\n"
"                        resources given on the command line win\n"
"     --missingok        no error if DIR does not exist\n"
" -l, --list             show use and limits of every resource\n"
"     --reset-hits       zero the hit counters\n"
"     --reset-minmax     restart the minimum/maximum seen from now\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Resources: nproc (tasks), nofile and openfd (open files), nsock\n"
"(sockets), as, rss and memlock (pages; a value with a K/M/G unit is\n"
"a size in bytes), msgqueue (bytes of SysV message queues), shmem\n"
"(pages of SysV shared memory), semary and nsems (SysV semaphore sets\n"
"and semaphores), locks (POSIX, flock and lease locks); anon (resident\n"
"anonymous pages) is only reported; rss takes a soft limit (-S), which\n"
"refuses forks of a context with the fork_rss flag; --list shows which\n"
"this kernel limits.\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage error; with COMMAND, its status.\n");
	exit(EXIT_SUCCESS);
}

enum {
	OPT_MISSINGOK = 256, OPT_RESET_HITS, OPT_RESET_MINMAX,
	OPT_RES = 1024,		/* + limit id */
};

static void set_value(struct setting *s, unsigned int which, uint64_t v)
{
	s->set = true;
	if (which & SET_MIN)
		s->val[0] = v;
	if (which & SET_SOFT)
		s->val[1] = v;
	if (which & SET_HARD)
		s->val[2] = v;
}

static void parse(int argc, char **argv, struct options *o)
{
	static struct option longopts[64] = {
		{ "xid",		required_argument, NULL, 'c' },
		{ "dir",		required_argument, NULL, 'd' },
		{ "missingok",		no_argument,	   NULL, OPT_MISSINGOK },
		{ "list",		no_argument,	   NULL, 'l' },
		{ "all",		no_argument,	   NULL, 'l' },
		{ "reset-hits",		no_argument,	   NULL, OPT_RESET_HITS },
		{ "reset-minmax",	no_argument,	   NULL, OPT_RESET_MINMAX },
		{ "help",		no_argument,	   NULL, 'h' },
		{ "version",		no_argument,	   NULL, 'V' },
	};
	unsigned int which = 0, n = 9, id;
	int c;

	for (id = 0; id < VLIMIT_NR; id++)
		if (vs_rlimit_name(id))
			longopts[n++] = (struct option){ vs_rlimit_name(id),
				required_argument, NULL, OPT_RES + id };
	for (id = 0; id < VLIMIT_NR; id++) {
		o->lim[id].val[0] = CRLIM_KEEP;
		o->lim[id].val[1] = CRLIM_KEEP;
		o->lim[id].val[2] = CRLIM_KEEP;
	}
	o->xid = VX_ID_SELF;
	while ((c = getopt_long(argc, argv, "+c:d:lMSHhV", longopts,
				NULL)) != -1) {
		if (c >= OPT_RES && c < OPT_RES + VLIMIT_NR) {
			uint64_t v;
			int ret;

			id = c - OPT_RES;
			ret = vs_parse_limit(optarg, id, &v);
			if (ret)
				usage_error("invalid value '%s' for --%s%s", optarg,
					    vs_rlimit_name(id), ret == -ERANGE ?
					    " (too large)" : "");
			set_value(&o->lim[id], which ? which : SET_HARD, v);
			which = 0;
			continue;
		}
		switch (c) {
		case 'c':
			o->xid = parse_id_arg(optarg, "xid");
			o->xid_given = true;
			break;
		case 'd':
			o->dir = optarg;
			break;
		case OPT_MISSINGOK:
			o->missingok = true;
			break;
		case 'l':
			o->list = true;
			break;
		case OPT_RESET_HITS:
			o->reset_hits = true;
			break;
		case OPT_RESET_MINMAX:
			o->reset_minmax = true;
			break;
		case 'M':
			which |= SET_MIN;
			break;
		case 'S':
			which |= SET_SOFT;
			break;
		case 'H':
			which |= SET_HARD;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (which)
		usage_error("-M, -S and -H go before a --RESOURCE option");
	if (o->missingok && !o->dir)
		usage_error("--missingok goes with --dir");
	o->argv = argv + optind;
}

/* Read one limit file; false if it does not exist. */
static bool read_limit_file(const char *path, uint32_t id, uint64_t *val)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return false;
		report_errno(-errno, "cannot read %s", path);
		exit(EXIT_FAILURE);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		report_errno(-errno, "cannot read %s", path);
		exit(EXIT_FAILURE);
	}
	buf[n] = '\0';
	if (vs_parse_limit(buf, id, val)) {
		fprintf(stderr, "%s: invalid limit in %s\n", tool_name, path);
		exit(EXIT_FAILURE);
	}
	return true;
}

/*
 * util-vserver's rlimits/ directory: NAME sets all three limits,
 * NAME.min, NAME.soft and NAME.hard one each.  Resources set on the
 * command line are not read.
 */
static void read_dir(struct options *o)
{
	static const char *const suffix[] = { ".min", ".soft", ".hard" };
	struct stat st;
	char path[4096];
	uint32_t id;
	uint64_t v;
	int i;

	if (stat(o->dir, &st)) {
		if (errno == ENOENT && o->missingok)
			return;
		report_errno(-errno, "cannot read %s", o->dir);
		exit(EXIT_FAILURE);
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s is not a directory\n", tool_name,
			o->dir);
		exit(EXIT_FAILURE);
	}
	for (id = 0; id < VLIMIT_NR; id++) {
		const char *name = vs_rlimit_name(id);

		if (!name || o->lim[id].set)
			continue;
		snprintf(path, sizeof(path), "%s/%s", o->dir, name);
		if (read_limit_file(path, id, &v))
			set_value(&o->lim[id], SET_MIN | SET_SOFT | SET_HARD, v);
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/%s%s", o->dir, name,
				 suffix[i]);
			if (read_limit_file(path, id, &v))
				set_value(&o->lim[id], 1U << i, v);
		}
		o->lim[id].from_dir = o->lim[id].set;
	}
}

static void __attribute__((noreturn)) fail_xid(int ret, const char *what,
					       uint32_t xid)
{
	if (xid == VX_ID_SELF && ret == -ESRCH)
		fprintf(stderr, "%s: the caller is not in a context; use --xid\n",
			tool_name);
	else if (xid == VX_ID_SELF)
		report_errno(ret, "cannot %s of the own context", what);
	else
		report_errno(ret, "cannot %s of context %u", what, xid);
	exit(EXIT_FAILURE);
}

/* Check every setting first: nothing changes unless all can be applied. */
static void apply(struct options *o)
{
	struct vcmd_ctx_rlimit_mask mask;
	struct vcmd_ctx_rlimit cur;
	uint32_t id;
	int ret;

	ret = vs_get_rlimit_mask(&mask);
	if (ret) {
		report_errno(ret, "cannot read the supported limits");
		exit(EXIT_FAILURE);
	}
	for (id = 0; id < VLIMIT_NR; id++) {
		if (!o->lim[id].set)
			continue;
		/* rss has a soft limit only (for the fork_rss flag). */
		if (!(mask.maximum & (1U << id)) &&
		    !((mask.softlimit & (1U << id)) &&
		      (o->lim[id].val[2] == CRLIM_KEEP ||
		       o->lim[id].val[2] == CRLIM_INFINITY))) {
			/*
			 * A guest configuration may name limits this kernel
			 * does not have (rss is the memory cgroup's job): say
			 * so, and start the guest anyway.
			 */
			if (o->lim[id].from_dir) {
				fprintf(stderr, "%s: ignoring %s/%s: this kernel has no per-context %s limit\n",
					tool_name, o->dir, vs_rlimit_name(id),
					vs_rlimit_name(id));
				o->lim[id].set = false;
				continue;
			}
			fprintf(stderr, "%s: this kernel has no per-context %s limit\n",
				tool_name, vs_rlimit_name(id));
			exit(EXIT_FAILURE);
		}
		ret = vs_get_rlimit(o->xid, id, &cur);
		if (ret)
			fail_xid(ret, "read the limits", o->xid);
	}
	for (id = 0; id < VLIMIT_NR; id++) {
		struct setting *s = &o->lim[id];

		if (!s->set)
			continue;
		ret = vs_set_rlimit(o->xid, id, s->val[0], s->val[1], s->val[2]);
		if (ret)
			fail_xid(ret, "set the limits", o->xid);
	}
}

static void print_val(uint64_t v, uint32_t id)
{
	char buf[32];

	if (v == CRLIM_INFINITY) {
		printf(" %9s", "inf");
		return;
	}
	if (vs_rlimit_in_pages(id)) {
		unsigned long long kb = v * (sysconf(_SC_PAGESIZE) / 1024);

		if (kb >= 1024 * 1024 && !(kb % (1024 * 1024)))
			snprintf(buf, sizeof(buf), "%lluG", kb / (1024 * 1024));
		else if (kb >= 1024 && !(kb % 1024))
			snprintf(buf, sizeof(buf), "%lluM", kb / 1024);
		else
			snprintf(buf, sizeof(buf), "%lluK", kb);
		printf(" %9s", buf);
		return;
	}
	printf(" %9llu", (unsigned long long)v);
}

static void list(struct options *o)
{
	struct vcmd_ctx_rlimit_mask mask;
	uint32_t id;
	int ret;

	ret = vs_get_rlimit_mask(&mask);
	if (ret) {
		report_errno(ret, "cannot read the supported limits");
		exit(EXIT_FAILURE);
	}
	printf("%-9s %9s %9s %9s %9s %9s %9s %9s\n", "RESOURCE", "CURRENT",
	       "MIN", "MAX", "HITS", "MINIMUM", "SOFT", "HARD");
	for (id = 0; id < VLIMIT_NR; id++) {
		struct vcmd_rlimit_stat st;
		struct vcmd_ctx_rlimit lim;

		ret = vs_rlimit_stat(o->xid, id, &st);
		if (ret == -EINVAL)
			continue;
		if (ret)
			fail_xid(ret, "read the use", o->xid);
		printf("%-9s", vs_rlimit_name(id));
		print_val(st.value, id);
		print_val(st.minimum, id);
		print_val(st.maximum, id);
		printf(" %9u", st.hits);
		if ((mask.maximum | mask.softlimit) & (1U << id) &&
		    !vs_get_rlimit(o->xid, id, &lim)) {
			print_val(lim.minimum, id);
			print_val(lim.softlimit, id);
			print_val(lim.maximum, id);
		} else {
			printf(" %9s %9s %9s", "-", "-", "-");
		}
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	uint32_t id;
	bool any = false;
	int ret;

	parse(argc, argv, &o);
	if (o.dir)
		read_dir(&o);
	for (id = 0; id < VLIMIT_NR; id++)
		any |= o.lim[id].set;
	if (!any && !o.list && !o.reset_hits && !o.reset_minmax && !o.dir &&
	    !*o.argv)
		usage_error("nothing to do: give limits, --list or a command");
	if (any)
		apply(&o);
	if (o.reset_hits) {
		ret = vs_reset_hits(o.xid);
		if (ret)
			fail_xid(ret, "reset the hit counters", o.xid);
	}
	if (o.reset_minmax) {
		ret = vs_reset_minmax(o.xid);
		if (ret)
			fail_xid(ret, "reset the minimum and maximum", o.xid);
	}
	if (o.list) {
		list(&o);
		fflush(stdout);
	}
	if (*o.argv)
		exec_command(o.argv);
	return EXIT_SUCCESS;
}
