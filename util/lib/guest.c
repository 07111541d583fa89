// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: a guest's configuration for the vserver tool.
 *
 * util-vserver's layout: one value per file under CONFROOT/NAME/, with
 * fall-backs under CONFROOT/.defaults/ for everything that is not tied to
 * one guest (context, name, vdir, uts/, interfaces/).  Every file is
 * checked; a bad one is reported as "PATH: problem (expected FORM)".
 * Settings `vserver NAME start` applies through other parts of
 * libvserver (rlimits/, sched/, dlimits/, nflags, ncapabilities) are
 * validated here and kept in struct vs_guest in their parsed form.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libvserver.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct loader {
	struct vs_guest *g;
	char defaults[VS_PATH_MAX];
	char *err;
	size_t errlen;
	int nerr;
};

const char *vs_confroot(const char *opt)
{
	const char *env = getenv("VSERVER_CONFDIR");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return VS_CONFDIR;
}

int vs_valid_name(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > VS_NAME_MAX || !isalnum((unsigned char)name[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return 0;
	return 1;
}

static void __attribute__((format(printf, 3, 4)))
bad(struct loader *l, const char *path, const char *fmt, ...)
{
	size_t used = strlen(l->err);
	va_list ap;

	l->nerr++;
	if (used + 2 >= l->errlen)
		return;
	if (used)
		l->err[used++] = '\n';
	snprintf(l->err + used, l->errlen - used, "%s: ", path);
	used = strlen(l->err);
	va_start(ap, fmt);
	vsnprintf(l->err + used, l->errlen - used, fmt, ap);
	va_end(ap);
}

/* Whole file into buf, trailing white space removed; -errno. */
static int slurp(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n >= 0 && (size_t)n == len - 1) {
		char extra;

		if (read(fd, &extra, 1) == 1)
			n = -2;
	}
	close(fd);
	if (n == -2)
		return -EFBIG;
	if (n < 0)
		return -errno;
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = 0;
	return 0;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/*
 * Find REL in the guest's directory, or (if @dflt) in .defaults; the path
 * used goes to @path.  Returns false if neither has it.
 */
static bool locate(struct loader *l, const char *rel, bool dflt, char *path)
{
	snprintf(path, VS_PATH_MAX, "%s/%s", l->g->confdir, rel);
	if (exists(path))
		return true;
	if (!dflt)
		return false;
	snprintf(path, VS_PATH_MAX, "%s/%s", l->defaults, rel);
	return exists(path);
}

/*
 * A one-line value.  Returns 1 if read, 0 if absent, -1 if bad (already
 * reported).
 */
static int value(struct loader *l, const char *rel, bool dflt, char *buf,
		 size_t len, char *path)
{
	char tmp[VS_PATH_MAX];
	int ret;

	if (!path)
		path = tmp;
	if (!locate(l, rel, dflt, path))
		return 0;
	ret = slurp(path, buf, len);
	if (ret == -EFBIG) {
		bad(l, path, "value too long (expected at most %zu bytes)",
		    len - 1);
		return -1;
	}
	if (ret) {
		bad(l, path, "cannot read: %s", strerror(-ret));
		return -1;
	}
	if (strchr(buf, '\n')) {
		bad(l, path, "more than one line (expected one value)");
		return -1;
	}
	return 1;
}

static bool parse_ulong(const char *s, unsigned long long min,
			unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	if (out)
		*out = v;
	return true;
}

static bool parse_long(const char *s, long long min, long long max)
{
	long long v;
	char *end;

	if (!*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	return !errno && !*end && v >= min && v <= max;
}

/* ---- context, name, vdir, uts ---- */

static void load_identity(struct loader *l)
{
	struct vs_guest *g = l->g;
	char buf[VS_PATH_MAX], path[VS_PATH_MAX];
	unsigned long long v;
	int r;

	r = value(l, "context", false, buf, sizeof(buf), path);
	if (r > 0) {
		if (!parse_ulong(buf, VX_ID_STATIC_MIN, VX_ID_STATIC_MAX, &v))
			bad(l, path, "'%s' is not a context id (expected a number 2..49151)",
			    buf);
		else
			g->xid = (uint32_t)v;
	}
	r = value(l, "name", false, buf, sizeof(buf), path);
	if (r > 0 && (!*buf || strlen(buf) > VS_NAME_MAX))
		bad(l, path, "bad name (expected 1..64 bytes)");

	r = value(l, "vdir", false, buf, sizeof(buf), path);
	if (r > 0) {
		if (buf[0] != '/')
			bad(l, path, "'%s' is not an absolute path (expected the guest's root directory)",
			    buf);
		else
			snprintf(g->vdir, sizeof(g->vdir), "%s", buf);
	} else if (r == 0) {
		char base[VS_PATH_MAX] = VS_VDIRBASE;

		r = value(l, "vdirbase", true, base, sizeof(base), path);
		if (r > 0 && base[0] != '/')
			bad(l, path, "'%s' is not an absolute path (expected the directory holding guests)",
			    base);
		if (r <= 0)
			snprintf(base, sizeof(base), "%s", VS_VDIRBASE);
		snprintf(g->vdir, sizeof(g->vdir), "%s/%s", base, g->name);
	}
}

static void load_uts(struct loader *l)
{
	struct vs_guest *g = l->g;
	char dir[VS_PATH_MAX], path[VS_PATH_MAX], buf[256];
	struct dirent *de;
	uint32_t field;
	DIR *d;

	snprintf(g->uts[VHIN_NODENAME], VHI_NAME_LEN, "%s", g->name);
	snprintf(dir, sizeof(dir), "%s/uts", g->confdir);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (vs_vhi_field_from_name(de->d_name, &field) ||
		    field == VHIN_CONTEXT) {
			bad(l, path, "unknown uname field (expected sysname, nodename, release, version, machine or domainname)");
			continue;
		}
		if (slurp(path, buf, sizeof(buf)) || strchr(buf, '\n') ||
		    strlen(buf) >= VHI_NAME_LEN || !*buf) {
			bad(l, path, "bad value (expected one line of 1..64 bytes)");
			continue;
		}
		snprintf(g->uts[field], VHI_NAME_LEN, "%s", buf);
	}
	closedir(d);
}

/* ---- name lists: flags, capabilities ---- */

static int nflag_from_name(const char *name, uint64_t *bit)
{
	static const struct { const char *n; uint64_t b; } t[] = {
		{ "lock", 0x1 }, { "private", 0x8 }, { "single_ip", 0x100 },
		{ "lback_remap", 0x200 }, { "lback_allow", 0x400 },
		{ "hide_netif", 0x2000000 }, { "hide_lback", 0x4000000 },
		{ "sc_helper", 1ULL << 36 }, { "persistent", 1ULL << 38 },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(t); i++)
		if (!strcasecmp(name, t[i].n)) {
			*bit = t[i].b;
			return 0;
		}
	return -EINVAL;
}

static int ncap_from_name(const char *name, uint64_t *bit)
{
	static const struct { const char *n; uint64_t b; } t[] = {
		{ "tun_create", 0x1 }, { "raw_icmp", 0x100 },
		{ "multicast", 0x1000 },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(t); i++)
		if (!strcasecmp(name, t[i].n)) {
			*bit = t[i].b;
			return 0;
		}
	return -EINVAL;
}

/*
 * A list file: names separated by new lines or commas, '#' comments,
 * '~' or '!' to clear.
 */
static void load_list(struct loader *l, const char *rel,
		      int (*lookup)(const char *, uint64_t *),
		      const char *expected, uint64_t *set, uint64_t *mask)
{
	char path[VS_PATH_MAX], buf[4096], *line, *save = NULL;

	if (!locate(l, rel, true, path))
		return;
	if (slurp(path, buf, sizeof(buf))) {
		bad(l, path, "cannot read (expected %s)", expected);
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2 = NULL, *hash = strchr(line, '#');

		if (hash)
			*hash = 0;
		for (tok = strtok_r(line, ", \t", &s2); tok;
		     tok = strtok_r(NULL, ", \t", &s2)) {
			uint64_t s = 0, m = 0;

			if (vs_parse_list(tok, lookup, &s, &m)) {
				bad(l, path, "unknown name '%s' (expected %s)",
				    tok, expected);
				continue;
			}
			if (set) {
				*set = (*set & ~m) | s;
				*mask |= m;
			}
		}
	}
}

static void load_lists(struct loader *l)
{
	struct vs_guest *g = l->g;
	char path[VS_PATH_MAX];

	load_list(l, "flags", vs_cflag_from_name,
		  "context flag names as in vattribute --flag, e.g. virt_mem",
		  &g->flags_set, &g->flags_mask);
	load_list(l, "cflags", vs_cflag_from_name,
		  "context flag names as in vattribute --flag, e.g. virt_mem",
		  &g->flags_set, &g->flags_mask);
	if ((g->flags_set | g->flags_mask) & VXF_ONE_TIME) {
		if (!locate(l, "flags", true, path))
			locate(l, "cflags", true, path);
		bad(l, path, "state_* flags are set by vserver itself (expected other context flags)");
	}
	load_list(l, "bcapabilities", vs_bcap_from_name,
		  "Linux capability names, e.g. NET_ADMIN or ~CHOWN",
		  &g->bcaps_set, &g->bcaps_mask);
	load_list(l, "ccapabilities", vs_ccap_from_name,
		  "context capability names, e.g. set_utsname",
		  &g->ccaps_set, &g->ccaps_mask);
	load_list(l, "umask", vs_umask_from_name,
		  "namespace names, e.g. newns,newuts",
		  &g->umask_set, &g->umask_mask);
	load_list(l, "nflags", nflag_from_name,
		  "network flag names, e.g. single_ip, lback_remap",
		  &g->nflags_set, &g->nflags_mask);
	load_list(l, "ncapabilities", ncap_from_name,
		  "network capability names: tun_create, raw_icmp, multicast",
		  &g->ncaps_set, &g->ncaps_mask);
	if (locate(l, "nflags", true, path) ||
	    locate(l, "ncapabilities", true, path))
		g->have_net = 1;
}

/* ---- interfaces/ ---- */

static bool valid_ifname(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n > 15)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]))
			return false;
	return true;
}

static int mask_to_prefix(const char *s, unsigned int *prefix)
{
	struct in_addr a;
	uint32_t m;
	unsigned int p = 0;

	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	m = ntohl(a.s_addr);
	while (m & 0x80000000u) {
		p++;
		m <<= 1;
	}
	if (m)
		return -EINVAL;
	*prefix = p;
	return 0;
}

static int set_ip(struct vs_iface *ifc, const char *ip)
{
	unsigned char tmp[16];

	if (strlen(ip) >= sizeof(ifc->ip))
		return -EINVAL;
	if (inet_pton(AF_INET, ip, tmp) == 1)
		ifc->family = AF_INET;
	else if (inet_pton(AF_INET6, ip, tmp) == 1)
		ifc->family = AF_INET6;
	else
		return -EINVAL;
	strcpy(ifc->ip, ip);
	return 0;
}

int vs_parse_iface(const char *spec, struct vs_iface *ifc)
{
	char buf[256], *ip = buf, *p;
	unsigned long long v;

	memset(ifc, 0, sizeof(*ifc));
	if (strlen(spec) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, spec);
	p = strchr(ip, '=');
	if (p) {
		*p = 0;
		if (!valid_ifname(ip))
			return -EINVAL;
		snprintf(ifc->label, sizeof(ifc->label), "%s", ip);
		ip = p + 1;
	}
	/* "dev:" before an IPv4 address, or before "[v6]" */
	p = strchr(ip, ':');
	if (p && (strchr(ip, '.') || p[1] == '[') &&
	    (!strchr(p + 1, ':') || p[1] == '[')) {
		*p = 0;
		if (!valid_ifname(ip))
			return -EINVAL;
		snprintf(ifc->dev, sizeof(ifc->dev), "%s", ip);
		ip = p + 1;
	}
	if (*ip == '[') {
		p = strchr(ip, ']');
		if (!p)
			return -EINVAL;
		memmove(p, p + 1, strlen(p));
		ip++;
	}
	p = strchr(ip, '/');
	if (p)
		*p++ = 0;
	if (set_ip(ifc, ip))
		return -EINVAL;
	if (!p) {
		ifc->prefix = ifc->family == AF_INET ? 32 : 128;
	} else if (parse_ulong(p, 0, ifc->family == AF_INET ? 32 : 128, &v)) {
		ifc->prefix = (unsigned int)v;
	} else if (ifc->family != AF_INET || mask_to_prefix(p, &ifc->prefix)) {
		return -EINVAL;
	}
	return 0;
}

static void load_iface(struct loader *l, const char *id, const char *ddev,
		       int dprefix)
{
	struct vs_guest *g = l->g;
	struct vs_iface *ifc;
	char rel[512], path[VS_PATH_MAX], buf[256];
	unsigned long long v;
	int r;

	snprintf(rel, sizeof(rel), "interfaces/%s/disabled", id);
	if (locate(l, rel, false, path))
		return;
	if (g->niface >= VS_MAX_IFACES) {
		snprintf(path, sizeof(path), "%s/interfaces/%s", g->confdir, id);
		bad(l, path, "too many interfaces (expected at most %d)",
		    VS_MAX_IFACES);
		return;
	}
	ifc = &g->iface[g->niface];
	memset(ifc, 0, sizeof(*ifc));
	snprintf(ifc->id, sizeof(ifc->id), "%s", id);

	snprintf(rel, sizeof(rel), "interfaces/%s/ip", id);
	r = value(l, rel, false, buf, sizeof(buf), path);
	if (r == 0) {
		snprintf(path, sizeof(path), "%s/interfaces/%s/ip", g->confdir, id);
		bad(l, path, "missing (expected an IPv4 or IPv6 address)");
		return;
	}
	if (r < 0)
		return;
	if (set_ip(ifc, buf)) {
		bad(l, path, "'%s' is not an address (expected an IPv4 or IPv6 address without prefix)",
		    buf);
		return;
	}
	ifc->prefix = dprefix >= 0 ? (unsigned int)dprefix :
		      ifc->family == AF_INET ? 32 : 128;

	snprintf(rel, sizeof(rel), "interfaces/%s/prefix", id);
	r = value(l, rel, false, buf, sizeof(buf), path);
	if (r > 0) {
		if (!parse_ulong(buf, 0, ifc->family == AF_INET ? 32 : 128, &v))
			bad(l, path, "'%s' is not a prefix length (expected 0..%d)",
			    buf, ifc->family == AF_INET ? 32 : 128);
		else
			ifc->prefix = (unsigned int)v;
	}
	snprintf(rel, sizeof(rel), "interfaces/%s/mask", id);
	r = value(l, rel, false, buf, sizeof(buf), path);
	if (r > 0 && (ifc->family != AF_INET ||
		      mask_to_prefix(buf, &ifc->prefix)))
		bad(l, path, "'%s' is not a netmask (expected e.g. 255.255.255.0, IPv4 only)",
		    buf);

	snprintf(rel, sizeof(rel), "interfaces/%s/nodev", id);
	ifc->nodev = locate(l, rel, false, path);
	snprintf(ifc->dev, sizeof(ifc->dev), "%s", ddev);
	snprintf(rel, sizeof(rel), "interfaces/%s/dev", id);
	r = value(l, rel, false, buf, sizeof(buf), path);
	if (r > 0) {
		if (!valid_ifname(buf))
			bad(l, path, "'%s' is not a device name (expected e.g. eth0, at most 15 bytes)",
			    buf);
		else
			snprintf(ifc->dev, sizeof(ifc->dev), "%s", buf);
	}
	snprintf(rel, sizeof(rel), "interfaces/%s/name", id);
	r = value(l, rel, false, buf, sizeof(buf), path);
	if (r > 0) {
		if (!valid_ifname(buf))
			bad(l, path, "'%s' is not a label (expected at most 15 bytes, no ':' or '/')",
			    buf);
		else
			snprintf(ifc->label, sizeof(ifc->label), "%s", buf);
	}
	g->niface++;
}

static void load_interfaces(struct loader *l)
{
	struct vs_guest *g = l->g;
	char dir[VS_PATH_MAX], path[VS_PATH_MAX], ddev[16] = "", buf[64];
	struct dirent **names;
	unsigned long long v;
	int dprefix = -1, n, i;

	if (value(l, "interfaces/dev", false, buf, sizeof(buf), path) > 0) {
		if (!valid_ifname(buf))
			bad(l, path, "'%s' is not a device name (expected e.g. eth0)",
			    buf);
		else
			snprintf(ddev, sizeof(ddev), "%s", buf);
	}
	if (value(l, "interfaces/prefix", false, buf, sizeof(buf), path) > 0) {
		if (!parse_ulong(buf, 0, 128, &v))
			bad(l, path, "'%s' is not a prefix length (expected 0..128)",
			    buf);
		else
			dprefix = (int)v;
	}
	snprintf(dir, sizeof(dir), "%s/interfaces", g->confdir);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && !stat(path, &st) &&
		    S_ISDIR(st.st_mode))
			load_iface(l, names[i]->d_name, ddev, dprefix);
		free(names[i]);
	}
	free(names);
	if (g->niface)
		g->have_net = 1;
}

/* ---- directories of settings: rlimits, sched, dlimits, cgroup ---- */

/* Call @fn for each entry of REL in the guest's directory or .defaults. */
static void each_entry(struct loader *l, const char *rel,
		       void (*fn)(struct loader *, const char *name,
				  const char *path))
{
	char dir[2][VS_PATH_MAX], path[VS_PATH_MAX], other[VS_PATH_MAX];
	struct dirent *de;
	int k;

	snprintf(dir[0], VS_PATH_MAX, "%s/%s", l->g->confdir, rel);
	snprintf(dir[1], VS_PATH_MAX, "%s/%s", l->defaults, rel);
	for (k = 0; k < 2; k++) {
		DIR *d = opendir(dir[k]);

		if (!d)
			continue;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			if (k == 1) {
				snprintf(other, sizeof(other), "%s/%s", dir[0],
					 de->d_name);
				if (exists(other))
					continue;
			}
			snprintf(path, sizeof(path), "%s/%s", dir[k], de->d_name);
			fn(l, de->d_name, path);
		}
		closedir(d);
	}
}

static const char *const rlimit_names[] = {
	"cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile",
	"memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio",
	"rttime", "nsock", "openfd", "anon", "shmem", "semary", "nsems",
	"dentry", "mapped",
};

/* The configuration of resource @id, added on first use. */
static struct vs_rlimit_conf *rlimit_conf(struct vs_guest *g, uint32_t id)
{
	struct vs_rlimit_conf *r;
	int i;

	for (i = 0; i < g->nrlimit; i++)
		if (g->rlimit[i].id == id)
			return &g->rlimit[i];
	if (g->nrlimit == VS_MAX_RLIMITS)
		return NULL;
	r = &g->rlimit[g->nrlimit++];
	r->id = id;
	r->value = r->minimum = r->soft = r->hard = CRLIM_KEEP;
	return r;
}

static void rlimit_store(struct loader *l, const char *res, const char *dot,
			 const char *buf, const char *path)
{
	struct vs_rlimit_conf *r;
	uint64_t val;
	uint32_t id;

	if (vs_rlimit_from_name(res, &id)) {
		bad(l, path, "'%s' is not limited per context by this kernel (expected nproc, nofile, as, rss, memlock, locks, msgqueue, nsock, openfd, anon, shmem, semary, nsems, dentry, cpu, fsize, data, stack or core)",
		    res);
		return;
	}
	r = rlimit_conf(l->g, id);
	if (!r || vs_parse_limit(buf, id, &val))
		return;
	if (!dot)
		r->value = val;
	else if (!strcmp(dot, ".hard"))
		r->hard = val;
	else if (!strcmp(dot, ".soft"))
		r->soft = val;
	else
		r->minimum = val;
}

static void rlimit_entry(struct loader *l, const char *name, const char *path)
{
	char res[64], buf[64], *dot;
	size_t i;

	snprintf(res, sizeof(res), "%s", name);
	dot = strchr(res, '.');
	if (dot) {
		if (strcmp(dot, ".hard") && strcmp(dot, ".soft") &&
		    strcmp(dot, ".min")) {
			bad(l, path, "unknown suffix '%s' (expected RESOURCE, RESOURCE.hard, .soft or .min)",
			    dot);
			return;
		}
		*dot = 0;
	}
	for (i = 0; i < ARRAY_LEN(rlimit_names); i++)
		if (!strcasecmp(res, rlimit_names[i]))
			break;
	if (i == ARRAY_LEN(rlimit_names)) {
		bad(l, path, "unknown resource '%s' (expected an rlimit name such as nproc, nofile, as, or nsock, openfd, anon, shmem, semary, nsems, dentry)",
		    res);
		return;
	}
	if (slurp(path, buf, sizeof(buf)) ||
	    (strcmp(buf, "inf") && !parse_ulong(buf, 0, ULLONG_MAX - 2, NULL)))
		bad(l, path, "bad limit (expected a number or 'inf')");
	else
		rlimit_store(l, res, dot ? strchr(name, '.') : NULL, buf, path);
	l->g->have_rlimits = 1;
}

static void sched_entry(struct loader *l, const char *name, const char *path)
{
	static const char *const keys[] = {
		"fill-rate", "interval", "tokens", "tokens-min", "tokens-max",
		"fill-rate2", "interval2", "cpu-id", "bucket-id",
	};
	unsigned long long v;
	char buf[64];
	size_t i;

	l->g->have_sched = 1;
	if (!strcmp(name, "idle-time")) {
		l->g->sched.mask |= VXSM_IDLE_TIME;
		return;		/* a flag: present or not */
	}
	if (!strcmp(name, "priority-bias")) {
		if (slurp(path, buf, sizeof(buf)) || !parse_long(buf, -20, 19))
			bad(l, path, "bad value (expected a number -20..19)");
		else
			vs_sched_set_field(&l->g->sched, name,
					   (int32_t)strtol(buf, NULL, 10));
		return;
	}
	for (i = 0; i < ARRAY_LEN(keys); i++)
		if (!strcmp(name, keys[i]))
			break;
	if (i == ARRAY_LEN(keys)) {
		bad(l, path, "unknown scheduler setting (expected fill-rate, interval, tokens, tokens-min, tokens-max, priority-bias, idle-time, fill-rate2, interval2, cpu-id, bucket-id)");
		return;
	}
	if (slurp(path, buf, sizeof(buf)) ||
	    !parse_ulong(buf, 0, INT_MAX, &v))
		bad(l, path, "bad value (expected a number 0..%d)", INT_MAX);
	else
		vs_sched_set_field(&l->g->sched, name, (int32_t)v);
}

static void dlimit_entry(struct loader *l, const char *name, const char *path)
{
	static const char *const nums[] = {
		"space_total", "inodes_total", "space_used", "inodes_used",
	};
	char file[VS_PATH_MAX], buf[VS_PATH_MAX];
	struct vs_dlimit_conf dl = {
		.space_kib = VS_DLIMIT_KEEP, .inodes = VS_DLIMIT_KEEP,
	};
	unsigned long long v;
	struct dirent *de;
	bool have_dir = false;
	DIR *d;
	size_t i;

	l->g->have_dlimits = 1;
	d = opendir(path);
	if (!d) {
		bad(l, path, "not a directory (expected dlimits/NAME/{directory,space_total,inodes_total,reserved})");
		return;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (slurp(file, buf, sizeof(buf))) {
			bad(l, file, "cannot read");
			continue;
		}
		if (!strcmp(de->d_name, "directory")) {
			have_dir = true;
			if (buf[0] != '/')
				bad(l, file, "'%s' is not an absolute path (expected the guest directory the limit applies to)",
				    buf);
			snprintf(dl.dir, sizeof(dl.dir), "%s", buf);
			continue;
		}
		if (!strcmp(de->d_name, "reserved")) {
			if (!parse_ulong(buf, 0, 100, NULL))
				bad(l, file, "bad value (expected a percentage 0..100)");
			continue;
		}
		for (i = 0; i < ARRAY_LEN(nums); i++)
			if (!strcmp(de->d_name, nums[i]))
				break;
		if (i == ARRAY_LEN(nums))
			bad(l, file, "unknown disk limit setting (expected directory, space_total, inodes_total, reserved)");
		else if (strcmp(buf, "inf") &&
			 !parse_ulong(buf, 0, UINT32_MAX - 2, &v))
			bad(l, file, "bad value (expected a number or 'inf')");
		else if (i == 0)	/* space_total, KiB */
			dl.space_kib = strcmp(buf, "inf") ? v : VS_DLIMIT_INFINITY;
		else if (i == 1)
			dl.inodes = strcmp(buf, "inf") ? v : VS_DLIMIT_INFINITY;
		/* space_used, inodes_used: util-vserver's cache, not limits */
	}
	closedir(d);
	if (!have_dir) {
		snprintf(file, sizeof(file), "%s/directory", path);
		bad(l, file, "missing (expected the directory the limit applies to)");
	} else if (l->g->ndlimit < VS_MAX_DLIMITS) {
		l->g->dlimit[l->g->ndlimit++] = dl;
	}
}

/* "max" or a number with an optional K/M/G/T suffix. */
static bool valid_bytes(const char *s)
{
	unsigned long long v;
	char *end;

	if (!strcmp(s, "max"))
		return true;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	(void)v;
	if (errno)
		return false;
	return !*end || (strchr("KkMmGgTt", *end) && !end[1]);
}

static bool valid_io_max(char *buf)
{
	char *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tok, *s2 = NULL;
		unsigned int maj, min;
		char tail;
		int keys = 0;

		tok = strtok_r(line, " \t", &s2);
		if (!tok || sscanf(tok, "%u:%u%c", &maj, &min, &tail) != 2)
			return false;
		while ((tok = strtok_r(NULL, " \t", &s2))) {
			char *eq = strchr(tok, '=');

			if (!eq)
				return false;
			*eq = 0;
			if (strcmp(tok, "rbps") && strcmp(tok, "wbps") &&
			    strcmp(tok, "riops") && strcmp(tok, "wiops"))
				return false;
			if (strcmp(eq + 1, "max") &&
			    !parse_ulong(eq + 1, 0, ULLONG_MAX, NULL))
				return false;
			keys++;
		}
		if (!keys)
			return false;
		n++;
	}
	return n > 0;
}

static void cgroup_entry(struct loader *l, const char *name, const char *path)
{
	struct vs_guest *g = l->g;
	struct vs_cgroup_value *cv;
	char buf[512], copy[512];
	const char *expected = NULL;
	bool ok;

	if (slurp(path, buf, sizeof(buf))) {
		bad(l, path, "cannot read or too long");
		return;
	}
	strcpy(copy, buf);
	if (!strcmp(name, "memory.max") || !strcmp(name, "memory.high") ||
	    !strcmp(name, "memory.swap.max")) {
		ok = valid_bytes(buf) && !strchr(buf, '\n');
		expected = "bytes, optionally with K, M, G or T, or 'max'";
	} else if (!strcmp(name, "pids.max")) {
		ok = !strcmp(buf, "max") || parse_ulong(buf, 1, INT_MAX, NULL);
		expected = "a number of processes or 'max'";
	} else if (!strcmp(name, "cpu.weight")) {
		ok = parse_ulong(buf, 1, 10000, NULL);
		expected = "a weight 1..10000";
	} else if (!strcmp(name, "cpu.max")) {
		char q[32], tail[2];
		unsigned long p;
		int n = sscanf(buf, "%31s %lu %1s", q, &p, tail);

		ok = (n == 1 || n == 2) &&
		     (!strcmp(q, "max") || parse_ulong(q, 1, ULLONG_MAX, NULL));
		expected = "'QUOTA [PERIOD]' in microseconds, QUOTA may be 'max'";
	} else if (!strcmp(name, "io.max")) {
		ok = valid_io_max(copy);
		expected = "lines 'MAJOR:MINOR rbps=N wbps=N riops=N wiops=N', N a number or 'max'";
	} else {
		bad(l, path, "unknown cgroup setting (expected memory.max, memory.high, memory.swap.max, pids.max, cpu.max, cpu.weight or io.max)");
		return;
	}
	if (!ok) {
		bad(l, path, "bad value '%s' (expected %s)", buf, expected);
		return;
	}
	if (g->ncgroup >= VS_MAX_CGROUP)
		return;
	cv = &g->cgroup[g->ncgroup++];
	snprintf(cv->key, sizeof(cv->key), "%s", name);
	snprintf(cv->value, sizeof(cv->value), "%s", buf);
}

/* ---- fstab ---- */

static void load_fstab(struct loader *l)
{
	struct vs_guest *g = l->g;
	char path[VS_PATH_MAX], buf[8192], *line, *save = NULL;
	int lineno = 0;

	if (!locate(l, "fstab", true, path))
		return;
	if (slurp(path, buf, sizeof(buf))) {
		bad(l, path, "cannot read (expected at most 8 KiB of fstab lines)");
		return;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char f[6][256], *hash = strchr(line, '#');
		struct vs_mount *m;
		int n;

		lineno++;
		if (hash)
			*hash = 0;
		n = sscanf(line, "%255s %255s %31s %255s %255s %255s", f[0],
			   f[1], f[2], f[3], f[4], f[5]);
		if (n <= 0)
			continue;
		if (n < 4) {
			bad(l, path, "line %d: too few fields (expected 'SOURCE TARGET TYPE OPTIONS [0 0]')",
			    lineno);
			continue;
		}
		if (f[1][0] != '/') {
			bad(l, path, "line %d: target '%s' is not absolute (expected a path inside the guest, e.g. /tmp)",
			    lineno, f[1]);
			continue;
		}
		if (strstr(f[1], "/../") || !strcmp(f[1] + strlen(f[1]) -
						      (strlen(f[1]) >= 3 ? 3 : 0), "/..")) {
			bad(l, path, "line %d: target '%s' leaves the guest (expected no '..')",
			    lineno, f[1]);
			continue;
		}
		if (g->nmount >= VS_MAX_FSTAB) {
			bad(l, path, "too many lines (expected at most %d mounts)",
			    VS_MAX_FSTAB);
			return;
		}
		m = &g->mount[g->nmount++];
		snprintf(m->src, sizeof(m->src), "%s", f[0]);
		snprintf(m->dst, sizeof(m->dst), "%s", f[1]);
		snprintf(m->type, sizeof(m->type), "%s", f[2]);
		snprintf(m->opts, sizeof(m->opts), "%s", f[3]);
	}
}

/* ---- apps/init, spaces, shell ---- */

static void load_init(struct loader *l)
{
	struct vs_guest *g = l->g;
	char path[VS_PATH_MAX], buf[1024];
	int r;

	snprintf(g->style, sizeof(g->style), "plain");
	r = value(l, "apps/init/style", true, buf, sizeof(buf), path);
	if (r > 0) {
		if (strcmp(buf, "plain") && strcmp(buf, "sysv"))
			bad(l, path, "unknown init style '%s' (expected plain or sysv)",
			    buf);
		else
			snprintf(g->style, sizeof(g->style), "%s", buf);
	}
	snprintf(g->runlevel, sizeof(g->runlevel), "3");
	r = value(l, "apps/init/runlevel", true, buf, sizeof(buf), path);
	if (r > 0) {
		if (strlen(buf) != 1 || !strchr("0123456sS", buf[0]))
			bad(l, path, "bad runlevel '%s' (expected 0..6 or S)", buf);
		else
			snprintf(g->runlevel, sizeof(g->runlevel), "%s", buf);
	}
	snprintf(g->runlevel_start, sizeof(g->runlevel_start), "%s",
		 g->runlevel);
	r = value(l, "apps/init/runlevel.start", true, buf, sizeof(buf), path);
	if (r > 0) {
		if (strlen(buf) != 1 || !strchr("0123456sS", buf[0]))
			bad(l, path, "bad runlevel '%s' (expected 0..6 or S)", buf);
		else
			snprintf(g->runlevel_start, 8, "%s", buf);
	}
	snprintf(g->runlevel_stop, sizeof(g->runlevel_stop), "0");
	r = value(l, "apps/init/runlevel.stop", true, buf, sizeof(buf), path);
	if (r > 0) {
		if (strlen(buf) != 1 || !strchr("0123456sS", buf[0]))
			bad(l, path, "bad runlevel '%s' (expected 0..6 or S)", buf);
		else
			snprintf(g->runlevel_stop, 8, "%s", buf);
	}
	r = value(l, "apps/init/cmd.start", true, g->cmd_start,
		  sizeof(g->cmd_start), path);
	if (r > 0 && !*g->cmd_start)
		bad(l, path, "empty (expected a shell command line)");
	r = value(l, "apps/init/cmd.stop", true, g->cmd_stop,
		  sizeof(g->cmd_stop), path);
	if (r > 0 && !*g->cmd_stop)
		bad(l, path, "empty (expected a shell command line)");
	r = value(l, "apps/init/mark", false, buf, sizeof(buf), path);
	if (r > 0) {
		size_t i;

		for (i = 0; buf[i]; i++)
			if (!isalnum((unsigned char)buf[i]) && !strchr("._-", buf[i]))
				break;
		if (!*buf || buf[i] || i >= sizeof(g->mark))
			bad(l, path, "bad mark '%s' (expected a word such as 'default')",
			    buf);
		else
			snprintf(g->mark, sizeof(g->mark), "%s", buf);
	}
}

static void load_spaces(struct loader *l)
{
	struct vs_guest *g = l->g;
	char path[VS_PATH_MAX], buf[64], *end;
	uint64_t supported = 0;
	int r;

	g->spaces = VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC | VX_SPACE_PID |
		    VX_SPACE_CGROUP;
	r = value(l, "spaces/mask", true, buf, sizeof(buf), path);
	if (r > 0) {
		unsigned long long m;

		errno = 0;
		m = strtoull(buf, &end, 16);
		if (errno || *end || !*buf ||
		    (m & ~(VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC |
			   VX_SPACE_PID | VX_SPACE_NET | VX_SPACE_CGROUP |
			   VX_SPACE_FS)) || !(m & VX_SPACE_NS) ||
		    !(m & VX_SPACE_UTS))
			bad(l, path, "bad mask '%s' (expected hex CLONE_NEW* bits including mount 0x20000 and uts 0x4000000)",
			    buf);
		else
			g->spaces = m;
	}
	if (locate(l, "spaces/net", true, path))
		g->spaces |= VX_SPACE_NET;
	if (locate(l, "spaces/nopid", true, path))
		g->spaces &= ~VX_SPACE_PID;
	if (vs_get_space_mask(&supported) == 0 &&
	    (g->spaces & ~VX_SPACE_FS & ~supported)) {
		if (!locate(l, "spaces/mask", true, path))
			snprintf(path, sizeof(path), "%s/spaces", g->confdir);
		bad(l, path, "the kernel cannot hold these namespaces (expected a subset of 0x%llx)",
		    (unsigned long long)supported);
	}
}

static void load_misc(struct loader *l)
{
	struct vs_guest *g = l->g;
	char path[VS_PATH_MAX], buf[256];
	int r;

	snprintf(g->shell, sizeof(g->shell), "/bin/sh");
	r = value(l, "shell", true, buf, sizeof(buf), path);
	if (r > 0) {
		if (buf[0] != '/')
			bad(l, path, "'%s' is not an absolute path (expected e.g. /bin/bash)",
			    buf);
		else
			snprintf(g->shell, sizeof(g->shell), "%s", buf);
	}
	r = value(l, "nice", true, buf, sizeof(buf), path);
	if (r > 0 && !parse_long(buf, -20, 19))
		bad(l, path, "bad value '%s' (expected -20..19)", buf);
	r = value(l, "badness", true, buf, sizeof(buf), path);
	if (r > 0 && !parse_long(buf, -1000, 1000)) {
		bad(l, path, "bad value '%s' (expected -1000..1000, the guest's oom_score_adj)",
		    buf);
	} else if (r > 0) {
		g->have_badness = 1;
		g->badness = (int)strtol(buf, NULL, 10);
	}
}

static int guest_init(const char *confroot, const char *name,
		      struct vs_guest *g, struct loader *l)
{
	struct stat st;

	memset(g, 0, sizeof(*g));
	if (!vs_valid_name(name))
		return -EINVAL;
	confroot = vs_confroot(confroot);
	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->confroot, sizeof(g->confroot), "%s", confroot);
	snprintf(g->confdir, sizeof(g->confdir), "%s/%s", confroot, name);
	snprintf(l->defaults, sizeof(l->defaults), "%s/.defaults", confroot);
	l->g = g;
	if (stat(g->confdir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

int vs_guest_load(const char *confroot, const char *name, struct vs_guest *g,
		  char *err, size_t errlen)
{
	struct loader l = { .err = err, .errlen = errlen };
	char path[VS_PATH_MAX];
	int ret;

	if (errlen)
		err[0] = 0;
	ret = guest_init(confroot, name, g, &l);
	if (ret)
		return ret;
	load_identity(&l);
	if (!g->xid) {
		snprintf(path, sizeof(path), "%s/context", g->confdir);
		if (!exists(path))
			bad(&l, path, "missing (expected a context id 2..49151)");
	}
	load_uts(&l);
	load_lists(&l);
	load_interfaces(&l);
	each_entry(&l, "rlimits", rlimit_entry);
	each_entry(&l, "sched", sched_entry);
	each_entry(&l, "dlimits", dlimit_entry);
	each_entry(&l, "cgroup", cgroup_entry);
	load_fstab(&l);
	load_init(&l);
	load_spaces(&l);
	load_misc(&l);
	return l.nerr ? -EINVAL : 0;
}

int vs_guest_peek(const char *confroot, const char *name, struct vs_guest *g)
{
	char scratch[1024];
	struct loader l = { .err = scratch, .errlen = sizeof(scratch) };
	int ret;

	scratch[0] = 0;
	ret = guest_init(confroot, name, g, &l);
	if (ret)
		return ret;
	load_identity(&l);
	load_init(&l);
	return 0;
}
