// SPDX-License-Identifier: GPL-2.0
/*
 * vserver-stat - one line per running context: processes, memory, CPU
 * time and uptime.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vserver-stat";

#define MAX_CTX 1024

struct ctx_stat {
	uint32_t xid;
	unsigned int procs;
	unsigned long long vsz;		/* bytes */
	unsigned long long rss;		/* bytes */
	unsigned long long utime;	/* clock ticks */
	unsigned long long stime;
	double uptime;			/* seconds */
	char name[64];
};

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vserver-stat [--json]\n"
"\n"
"Show every running context: CTX (xid), PROC QTY (processes), VSZ and\n"
"RSS (memory), userTIME and sysTIME (CPU), UPTIME and NAME (the guest\n"
"whose /etc/vservers/NAME/context holds the xid).  Context 0 is the host.\n"
"\n"
"Options:\n"
"     --json             one JSON object per context, in an array\n"
"     --confdir <dir>    guest configurations (default /etc/vservers)\n"
" -h, --help             display this help\n"
" -V, --version          display version\n");
	exit(EXIT_SUCCESS);
}

static struct ctx_stat *find(struct ctx_stat *tab, int *n, uint32_t xid)
{
	int i;

	for (i = 0; i < *n; i++)
		if (tab[i].xid == xid)
			return &tab[i];
	if (*n == MAX_CTX)
		return NULL;
	memset(&tab[*n], 0, sizeof(tab[*n]));
	tab[*n].xid = xid;
	return &tab[(*n)++];
}

static double read_uptime(void)
{
	double up = 0;
	FILE *f = fopen("/proc/uptime", "r");

	if (f) {
		if (fscanf(f, "%lf", &up) != 1)
			up = 0;
		fclose(f);
	}
	return up;
}

/* The BiasUptime: of /proc/virtual/<xid>/cvirt: host uptime at creation. */
static double read_bias(uint32_t xid)
{
	char path[64], line[128];
	double bias = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/virtual/%u/cvirt", xid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "BiasUptime: %lf", &bias) == 1)
			break;
	fclose(f);
	return bias;
}

/* xid of a process from the VxID: line of its status, or -1. */
static long read_xid(const char *pid)
{
	char path[300], line[256];
	long xid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VxID: %ld", &xid) == 1)
			break;
	fclose(f);
	return xid;
}

static int read_stat(const char *pid, struct ctx_stat *c)
{
	char path[300], buf[1024], *p;
	unsigned long long ut, st, vsz;
	long long rss;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	/* Fields after the command, which may hold spaces and ')'. */
	p = strrchr(buf, ')');
	if (!p)
		return -1;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
		   "%*d %*d %*d %*d %*d %*d %*u %llu %lld", &ut, &st, &vsz,
		   &rss) != 4)
		return -1;
	c->procs++;
	c->utime += ut;
	c->stime += st;
	c->vsz += vsz;
	c->rss += (unsigned long long)(rss > 0 ? rss : 0) * sysconf(_SC_PAGESIZE);
	return 0;
}

static void find_name(const char *confdir, struct ctx_stat *c)
{
	if (c->xid == 0)
		snprintf(c->name, sizeof(c->name), "root server");
	else if (vs_guest_name(confdir, c->xid, c->name, sizeof(c->name)))
		snprintf(c->name, sizeof(c->name), "-");
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void fmt_mem(char *buf, size_t len, unsigned long long bytes)
{
	static const char units[] = "KMGT";
	double v = bytes / 1024.0;
	int u = 0;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

/* util-vserver's time format: 1h23m45s or 3m02s12 (with hundredths). */
static void fmt_time(char *buf, size_t len, double secs)
{
	unsigned long long s = (unsigned long long)secs;
	unsigned int cs = (unsigned int)((secs - s) * 100);

	if (s >= 86400)
		snprintf(buf, len, "%llud%02lluh%02llu", s / 86400,
			 s / 3600 % 24, s / 60 % 60);
	else if (s >= 3600)
		snprintf(buf, len, "%lluh%02llum%02llu", s / 3600, s / 60 % 60,
			 s % 60);
	else
		snprintf(buf, len, "%llum%02llus%02u", s / 60, s % 60, cs);
}

static int cmp_xid(const void *a, const void *b)
{
	const struct ctx_stat *x = a, *y = b;

	return (x->xid > y->xid) - (x->xid < y->xid);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "confdir",	required_argument,	NULL, 'C' },
		{ "help",	no_argument,		NULL, 'h' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct ctx_stat tab[MAX_CTX];
	const char *confdir = "/etc/vservers";
	long hz = sysconf(_SC_CLK_TCK);
	bool json = false;
	struct dirent *de;
	double now;
	int c, n = 0, i;
	DIR *d;

	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'C':
			confdir = optarg;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (vs_get_version() < 0) {
		fprintf(stderr, "%s: %s\n", tool_name,
			vs_strerror(-ENOSYS));
		return EXIT_FAILURE;
	}

	d = opendir("/proc");
	if (!d) {
		report_errno(-errno, "cannot read /proc");
		return EXIT_FAILURE;
	}
	while ((de = readdir(d))) {
		struct ctx_stat *cs;
		long xid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		xid = read_xid(de->d_name);
		if (xid < 0)
			continue;	/* exited meanwhile */
		cs = find(tab, &n, (uint32_t)xid);
		if (cs)
			read_stat(de->d_name, cs);
	}
	closedir(d);
	qsort(tab, n, sizeof(tab[0]), cmp_xid);

	now = read_uptime();
	for (i = 0; i < n; i++) {
		double bias = tab[i].xid ? read_bias(tab[i].xid) : 0;

		tab[i].uptime = bias >= 0 && now >= bias ? now - bias : 0;
		find_name(confdir, &tab[i]);
	}

	if (json) {
		printf("[");
		for (i = 0; i < n; i++) {
			printf("%s\n  {\"ctx\": %u, \"proc\": %u, \"vsz\": %llu, "
			       "\"rss\": %llu, \"user_seconds\": %.2f, "
			       "\"sys_seconds\": %.2f, \"uptime_seconds\": %.2f, "
			       "\"name\": ", i ? "," : "", tab[i].xid,
			       tab[i].procs, tab[i].vsz, tab[i].rss,
			       (double)tab[i].utime / hz,
			       (double)tab[i].stime / hz, tab[i].uptime);
			json_string(tab[i].name);
			putchar('}');
		}
		printf("\n]\n");
		return EXIT_SUCCESS;
	}
	printf("CTX   PROC    VSZ    RSS  userTIME   sysTIME    UPTIME NAME\n");
	for (i = 0; i < n; i++) {
		char vsz[16], rss[16], ut[48], st[48], up[48];

		fmt_mem(vsz, sizeof(vsz), tab[i].vsz);
		fmt_mem(rss, sizeof(rss), tab[i].rss);
		fmt_time(ut, sizeof(ut), (double)tab[i].utime / hz);
		fmt_time(st, sizeof(st), (double)tab[i].stime / hz);
		fmt_time(up, sizeof(up), tab[i].uptime);
		printf("%-5u %4u %6s %6s %9s %9s %9s %s\n", tab[i].xid,
		       tab[i].procs, vsz, rss, ut, st, up, tab[i].name);
	}
	return EXIT_SUCCESS;
}
