// SPDX-License-Identifier: GPL-2.0
/*
 * vserver NAME build -m METHOD [options] [-- METHOD-ARGS], vserver NAME
 * delete.
 *
 * build writes the guest's configuration (context, uts/nodename,
 * interfaces/, apps/init/) and fills its root: skeleton (an existing or
 * empty tree), template (a tarball), mmdebstrap or debootstrap (Debian
 * from the archive the host's apt sources name).  A failed build removes
 * everything it created.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"
#include "vserver.h"

#define MAX_BUILD_IFACES 8

enum method { M_NONE, M_SKELETON, M_TEMPLATE, M_MMDEBSTRAP, M_DEBOOTSTRAP,
	      M_CLONE };

struct build {
	struct cli *cli;
	enum method method;
	const char *method_name;
	uint32_t xid;
	const char *hostname;
	const char *rootdir;
	const char *style;
	const char *mark;
	bool dry_run, force;
	int niface;
	struct vs_iface iface[MAX_BUILD_IFACES];
	/* method arguments */
	const char *tarball;
	const char *source;
	char source_dir[VS_PATH_MAX];
	const char *dist;
	const char *mirror;
	const char *include;
	char **extra;
	char confdir[VS_PATH_MAX];
	char vdir[VS_PATH_MAX];
	bool made_confdir, made_vdir;
};

static void __attribute__((noreturn)) build_usage(void)
{
	printf(
"Usage:\n"
" vserver [options] NAME build -m METHOD [options] [-- METHOD-ARGS]\n"
"\n"
"Create guest NAME: its configuration under /etc/vservers/NAME and its\n"
"root directory (default /var/lib/vservers/NAME).\n"
"\n"
"Methods:\n"
" skeleton               configuration only; the root may already exist\n"
" template               unpack a tarball:  -- -t FILE.tar[.gz|.xz|.zst]\n"
" mmdebstrap             Debian:  -- [-d SUITE] [-m MIRROR] [-i PKG,...]\n"
" debootstrap            (suite default: the host's; mirror default: the\n"
"                        host's apt sources)\n"
" clone                  copy-on-write clone of a guest or tree (vclone):\n"
"                        -- --source GUEST|/PATH (same filesystem)\n"
"\n"
"Options:\n"
" -m, --method <m>       the build method (required)\n"
"     --context <xid>    context id 2..49151 (default: the lowest free)\n"
"     --hostname <h>     uts/nodename (default: NAME)\n"
"     --interface <spec> [label=][dev:]ip[/prefix], e.g. eth0:10.0.0.2/24;\n"
"                        may repeat\n"
"     --rootdir <dir>    put the root in DIR/NAME\n"
"     --initstyle <s>    apps/init/style: plain (default) or sysv\n"
"     --mark <word>      apps/init/mark, e.g. 'default' (started at boot)\n"
"     --force            use an existing, non-empty root directory\n"
" -n, --dry-run          show what would be done, change nothing\n"
" -h, --help             display this help\n");
	exit(EXIT_SUCCESS);
}

static void step(struct build *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void step(struct build *b, const char *fmt, ...)
{
	va_list ap;

	printf(b->dry_run ? "would: " : "==> ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

/* rm -r that stays on one file system and never follows links. */
static int remove_tree(const char *path)
{
	if (access(path, F_OK))
		return 0;
	return nftw(path, rm_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

static int put(struct build *b, const char *rel, const char *value)
{
	char path[VS_PATH_MAX], dir[VS_PATH_MAX], *slash, line[1100];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", b->confdir, rel);
	if (b->dry_run) {
		printf("would: write '%s' to %s\n", value, path);
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = 0;
	for (slash = dir + strlen(b->confdir) + 1; (slash = strchr(slash, '/'));
	     slash++) {
		*slash = 0;
		mkdir(dir, 0755);
		*slash = '/';
	}
	mkdir(dir, 0755);
	snprintf(line, sizeof(line), "%s\n", value);
	ret = write_file(path, line);
	if (ret)
		report_errno(ret, "cannot write %s", path);
	return ret;
}

static bool xid_taken(struct cli *cli, uint32_t xid, char *owner, size_t len)
{
	return vs_guest_name(cli->confroot, xid, owner, len) == 0;
}

static uint32_t free_xid(struct cli *cli)
{
	char owner[VS_NAME_MAX + 1];
	struct vcmd_vx_info info;
	uint32_t xid;

	for (xid = 2; xid <= VX_ID_STATIC_MAX; xid++)
		if (!xid_taken(cli, xid, owner, sizeof(owner)) &&
		    vs_vx_info(xid, &info))
			return xid;
	return 0;
}

static bool dir_empty(const char *path)
{
	struct dirent *de;
	bool empty = true;
	DIR *d = opendir(path);

	if (!d)
		return true;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			empty = false;
			break;
		}
	closedir(d);
	return empty;
}

/* The host's Debian suite: VERSION_CODENAME of /etc/os-release. */
static void host_suite(char *buf, size_t len)
{
	char line[256];
	FILE *f = fopen("/etc/os-release", "re");

	snprintf(buf, len, "bookworm");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VERSION_CODENAME=", 17)) {
			line[strcspn(line, "\n")] = 0;
			if (line[17])
				snprintf(buf, len, "%s", line + 17);
		}
	if (f)
		fclose(f);
}

/*
 * The archive the host's apt sources use for Debian: the first "deb" URI
 * (one-line or deb822 format) that is not a security or updates archive.
 */
static int host_mirror(char *buf, size_t len)
{
	static const char *const files[] = {
		"/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list",
	};
	char line[1024], uri[512];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f = fopen(files[i], "re");
		bool deb822_deb = false;

		while (f && fgets(line, sizeof(line), f)) {
			if (!strncmp(line, "Types:", 6))
				deb822_deb = strstr(line, "deb ") ||
					     strstr(line, "deb\n");
			if ((deb822_deb && sscanf(line, "URIs: %511s", uri) == 1) ||
			    sscanf(line, "deb %511s", uri) == 1 ||
			    sscanf(line, "deb [%*[^]]] %511s", uri) == 1) {
				if (strstr(uri, "security") || uri[0] == '[')
					continue;
				snprintf(buf, len, "%s", uri);
				fclose(f);
				return 0;
			}
		}
		if (f)
			fclose(f);
	}
	return -ENOENT;
}

static bool have_program(const char *name)
{
	const char *env = getenv("PATH");
	char dirs[4096], path[VS_PATH_MAX], *dir, *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s",
		 env && *env ? env : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (!access(path, X_OK))
			return true;
	}
	return false;
}

static void parse_method_args(struct build *b, char **args)
{
	int i;

	for (i = 0; args[i]; i++) {
		const char *a = args[i];

		if (b->method == M_TEMPLATE && !strcmp(a, "-t") && args[i + 1]) {
			b->tarball = args[++i];
		} else if (b->method == M_CLONE && !strcmp(a, "--source") &&
			   args[i + 1]) {
			b->source = args[++i];
		} else if ((b->method == M_MMDEBSTRAP ||
			    b->method == M_DEBOOTSTRAP) && args[i + 1] &&
			   (!strcmp(a, "-d") || !strcmp(a, "-m") ||
			    !strcmp(a, "-i"))) {
			if (a[1] == 'd')
				b->dist = args[++i];
			else if (a[1] == 'm')
				b->mirror = args[++i];
			else
				b->include = args[++i];
		} else {
			usage_error("build -m %s: unexpected argument '%s'",
				    b->method_name, a);
		}
	}
	if (b->method == M_TEMPLATE && !b->tarball)
		usage_error("build -m template needs -- -t TARBALL");
	if (b->method == M_CLONE && !b->source)
		usage_error("build -m clone needs -- --source GUEST|/PATH");
}

static const char *tar_filter(const char *file)
{
	size_t n = strlen(file);

	if ((n > 3 && !strcmp(file + n - 3, ".gz")) ||
	    (n > 4 && !strcmp(file + n - 4, ".tgz")))
		return "-z";
	if (n > 3 && !strcmp(file + n - 3, ".xz"))
		return "-J";
	if (n > 4 && !strcmp(file + n - 4, ".zst"))
		return "--zstd";
	if (n > 4 && !strcmp(file + n - 4, ".bz2"))
		return "-j";
	return NULL;
}

static int fill_template(struct build *b)
{
	const char *filter = tar_filter(b->tarball);
	char *argv[10];
	int i = 0, ret;

	argv[i++] = "tar";
	argv[i++] = "-x";
	argv[i++] = "-p";
	if (filter)
		argv[i++] = (char *)filter;
	argv[i++] = "-f";
	argv[i++] = (char *)b->tarball;
	argv[i++] = "-C";
	argv[i++] = b->vdir;
	argv[i] = NULL;
	step(b, "unpack %s into %s", b->tarball, b->vdir);
	if (b->dry_run)
		return 0;
	ret = run_wait(argv, false);
	if (ret) {
		guest_msg(b->cli, "tar failed (exit %d)", ret);
		return -1;
	}
	return 0;
}

/* The tree to clone: a path, or the root of the guest of that name. */
static int resolve_source(struct build *b)
{
	struct vs_guest *g;
	struct stat st;

	if (b->source[0] == '/') {
		snprintf(b->source_dir, sizeof(b->source_dir), "%s", b->source);
	} else {
		g = calloc(1, sizeof(*g));
		if (!g || vs_guest_peek(b->cli->confroot, b->source, g)) {
			guest_msg(b->cli, "clone source '%s' is neither a guest nor an absolute path",
				  b->source);
			free(g);
			return -1;
		}
		snprintf(b->source_dir, sizeof(b->source_dir), "%s", g->vdir);
		free(g);
	}
	if (stat(b->source_dir, &st) || !S_ISDIR(st.st_mode)) {
		guest_msg(b->cli, "clone source %s is not a directory",
			  b->source_dir);
		return -1;
	}
	return 0;
}

static int fill_clone(struct build *b)
{
	char *argv[] = { "vclone", b->source_dir, b->vdir, NULL };
	int ret;

	step(b, "vclone %s %s (shared files become hardlinks)", b->source_dir,
	     b->vdir);
	if (b->dry_run)
		return 0;
	/* vclone creates the root itself; a failure removes it. */
	b->made_vdir = true;
	ret = run_wait(argv, false);
	if (ret) {
		guest_msg(b->cli, "vclone failed (exit %d)", ret);
		return -1;
	}
	return 0;
}

static int fill_debian(struct build *b)
{
	char suite[64], mirror[512], source[700], include[600];
	char *argv[16];
	int i = 0, ret;
	const char *tool = b->method == M_MMDEBSTRAP ? "mmdebstrap" :
			   "debootstrap";

	if (!have_program(tool)) {
		guest_msg(b->cli, "%s is not installed (apt-get install %s)", tool,
			  tool);
		return -1;
	}
	if (b->dist)
		snprintf(suite, sizeof(suite), "%s", b->dist);
	else
		host_suite(suite, sizeof(suite));
	if (b->mirror) {
		snprintf(mirror, sizeof(mirror), "%s", b->mirror);
	} else if (host_mirror(mirror, sizeof(mirror))) {
		guest_msg(b->cli, "no Debian archive in the host's apt sources; give one with -- -m MIRROR");
		return -1;
	}
	argv[i++] = (char *)tool;
	argv[i++] = "--variant=minbase";
	if (b->include) {
		snprintf(include, sizeof(include), "--include=%s", b->include);
		argv[i++] = include;
	}
	argv[i++] = suite;
	argv[i++] = b->vdir;
	if (b->method == M_MMDEBSTRAP) {
		snprintf(source, sizeof(source), "deb %s %s main", mirror, suite);
		argv[i++] = source;
	} else {
		argv[i++] = mirror;
	}
	argv[i] = NULL;
	step(b, "%s %s into %s from %s (this takes a while)", tool, suite,
	     b->vdir, mirror);
	if (b->dry_run)
		return 0;
	ret = run_wait(argv, false);
	if (ret) {
		guest_msg(b->cli, "%s failed (exit %d)", tool, ret);
		return -1;
	}
	return 0;
}

static int write_config(struct build *b, const char *name)
{
	char buf[256];
	int i, ret;

	snprintf(buf, sizeof(buf), "%u", b->xid);
	ret = put(b, "context", buf);
	if (!ret)
		ret = put(b, "name", name);
	if (!ret)
		ret = put(b, "vdir", b->vdir);
	if (!ret)
		ret = put(b, "uts/nodename", b->hostname ? b->hostname : name);
	if (!ret && b->style)
		ret = put(b, "apps/init/style", b->style);
	if (!ret && !b->dry_run) {
		char dir[VS_PATH_MAX];

		/* for cgroup/memory.max and friends */
		snprintf(dir, sizeof(dir), "%s/cgroup", b->confdir);
		mkdir(dir, 0755);
	}
	if (!ret && b->mark)
		ret = put(b, "apps/init/mark", b->mark);
	for (i = 0; !ret && i < b->niface; i++) {
		struct vs_iface *ifc = &b->iface[i];
		char rel[64];

		snprintf(rel, sizeof(rel), "interfaces/%d/ip", i);
		ret = put(b, rel, ifc->ip);
		snprintf(rel, sizeof(rel), "interfaces/%d/prefix", i);
		snprintf(buf, sizeof(buf), "%u", ifc->prefix);
		if (!ret)
			ret = put(b, rel, buf);
		snprintf(rel, sizeof(rel), "interfaces/%d/dev", i);
		if (!ret && ifc->dev[0])
			ret = put(b, rel, ifc->dev);
		snprintf(rel, sizeof(rel), "interfaces/%d/name", i);
		if (!ret && ifc->label[0])
			ret = put(b, rel, ifc->label);
	}
	return ret ? -1 : 0;
}

/* What a Debian or template guest needs from the host: its hostname. */
static void guest_files(struct build *b, const char *name)
{
	char path[VS_PATH_MAX], line[128];

	snprintf(path, sizeof(path), "%s/etc", b->vdir);
	if (b->dry_run || access(path, F_OK))
		return;
	snprintf(path, sizeof(path), "%s/etc/hostname", b->vdir);
	snprintf(line, sizeof(line), "%s\n", b->hostname ? b->hostname : name);
	write_file(path, line);
}

static void undo_build(struct build *b)
{
	if (b->made_vdir && remove_tree(b->vdir))
		guest_msg(b->cli, "could not remove %s completely", b->vdir);
	if (b->made_confdir && remove_tree(b->confdir))
		guest_msg(b->cli, "could not remove %s completely", b->confdir);
}

static const struct {
	const char *name;
	enum method m;
} methods[] = {
	{ "skeleton", M_SKELETON }, { "template", M_TEMPLATE },
	{ "mmdebstrap", M_MMDEBSTRAP }, { "debootstrap", M_DEBOOTSTRAP },
	{ "clone", M_CLONE },
};

enum { OPT_CONTEXT = 256, OPT_HOSTNAME, OPT_INTERFACE, OPT_ROOTDIR,
       OPT_INITSTYLE, OPT_MARK, OPT_FORCE };

static void parse_build(struct build *b, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "method",	required_argument, NULL, 'm' },
		{ "context",	required_argument, NULL, OPT_CONTEXT },
		{ "hostname",	required_argument, NULL, OPT_HOSTNAME },
		{ "interface",	required_argument, NULL, OPT_INTERFACE },
		{ "rootdir",	required_argument, NULL, OPT_ROOTDIR },
		{ "initstyle",	required_argument, NULL, OPT_INITSTYLE },
		{ "mark",	required_argument, NULL, OPT_MARK },
		{ "force",	no_argument,	   NULL, OPT_FORCE },
		{ "dry-run",	no_argument,	   NULL, 'n' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t k;
	int c;

	while ((c = getopt_long(argc, argv, "+m:nh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			for (k = 0; k < sizeof(methods) / sizeof(methods[0]); k++)
				if (!strcmp(optarg, methods[k].name))
					break;
			if (k == sizeof(methods) / sizeof(methods[0]))
				usage_error("unknown build method '%s' (expected skeleton, template, mmdebstrap, debootstrap or clone)",
					    optarg);
			b->method = methods[k].m;
			b->method_name = methods[k].name;
			break;
		case OPT_CONTEXT:
			if (vs_parse_xid(optarg, &b->xid, 0) ||
			    b->xid > VX_ID_STATIC_MAX)
				usage_error("invalid context '%s' (expected 2..49151)",
					    optarg);
			break;
		case OPT_HOSTNAME:
			if (!*optarg || strlen(optarg) >= VHI_NAME_LEN ||
			    strchr(optarg, '/') || strchr(optarg, ' '))
				usage_error("invalid hostname '%s' (expected 1..64 bytes)",
					    optarg);
			b->hostname = optarg;
			break;
		case OPT_INTERFACE:
			if (b->niface >= MAX_BUILD_IFACES)
				usage_error("too many --interface options");
			if (vs_parse_iface(optarg, &b->iface[b->niface]))
				usage_error("invalid interface '%s' (expected [label=][dev:]ip[/prefix], e.g. eth0:10.0.0.2/24)",
					    optarg);
			b->niface++;
			break;
		case OPT_ROOTDIR:
			if (optarg[0] != '/')
				usage_error("--rootdir needs an absolute path");
			b->rootdir = optarg;
			break;
		case OPT_INITSTYLE:
			if (strcmp(optarg, "plain") && strcmp(optarg, "sysv"))
				usage_error("invalid init style '%s' (expected plain or sysv)",
					    optarg);
			b->style = optarg;
			break;
		case OPT_MARK:
			if (!*optarg || strchr(optarg, '/') || strchr(optarg, ' '))
				usage_error("invalid mark '%s'", optarg);
			b->mark = optarg;
			break;
		case OPT_FORCE:
			b->force = true;
			break;
		case 'n':
			b->dry_run = true;
			break;
		case 'h':
			build_usage();
		default:
			usage_error("invalid option for build");
		}
	}
	if (b->method == M_NONE)
		usage_error("build needs -m METHOD");
	b->extra = argv + optind;
	if (b->method == M_SKELETON && *b->extra)
		usage_error("build -m skeleton takes no method arguments");
	parse_method_args(b, b->extra);
}

int cmd_build(struct cli *cli, int argc, char **argv)
{
	struct build b = { .cli = cli };
	char owner[VS_NAME_MAX + 1], base[VS_PATH_MAX];
	struct vs_guest probe;
	int ret = 0;

	parse_build(&b, argc, argv);
	if (b.method == M_CLONE && resolve_source(&b))
		return EXIT_FAILURE;
	snprintf(b.confdir, sizeof(b.confdir), "%s/%s", cli->confroot, cli->name);
	if (!access(b.confdir, F_OK)) {
		guest_msg(cli, "already exists (%s); delete it first", b.confdir);
		return EXIT_FAILURE;
	}
	if (b.rootdir) {
		snprintf(b.vdir, sizeof(b.vdir), "%s/%s", b.rootdir, cli->name);
	} else {
		/* vdirbase from .defaults, as start will compute it */
		memset(&probe, 0, sizeof(probe));
		snprintf(base, sizeof(base), "%s/.defaults/vdirbase",
			 cli->confroot);
		if (read_line(base, base, sizeof(base)) || base[0] != '/')
			snprintf(base, sizeof(base), "%s", VS_VDIRBASE);
		snprintf(b.vdir, sizeof(b.vdir), "%s/%s", base, cli->name);
	}
	if (b.xid && xid_taken(cli, b.xid, owner, sizeof(owner))) {
		guest_msg(cli, "context %u is already used by guest '%s'", b.xid,
			  owner);
		return EXIT_FAILURE;
	}
	if (!b.xid)
		b.xid = free_xid(cli);
	if (!b.xid) {
		guest_msg(cli, "no free context id");
		return EXIT_FAILURE;
	}
	if (b.method == M_CLONE && !access(b.vdir, F_OK)) {
		guest_msg(cli, "%s exists; build -m clone makes a new root",
			  b.vdir);
		return EXIT_FAILURE;
	}
	if (b.method != M_SKELETON && !b.force && !dir_empty(b.vdir)) {
		guest_msg(cli, "%s exists and is not empty (use --force or -m skeleton)",
			  b.vdir);
		return EXIT_FAILURE;
	}
	if (b.method == M_TEMPLATE && access(b.tarball, R_OK)) {
		guest_msg(cli, "cannot read template %s: %s", b.tarball,
			  strerror(errno));
		return EXIT_FAILURE;
	}

	step(&b, "configuration in %s (context %u)", b.confdir, b.xid);
	if (!b.dry_run) {
		if (mkdir(cli->confroot, 0755) && errno != EEXIST) {
			report_errno(-errno, "cannot create %s", cli->confroot);
			return EXIT_FAILURE;
		}
		if (mkdir(b.confdir, 0755)) {
			report_errno(-errno, "cannot create %s", b.confdir);
			return EXIT_FAILURE;
		}
		b.made_confdir = true;
	}
	if (write_config(&b, cli->name))
		goto fail;
	if (access(b.vdir, F_OK)) {
		char *slash;

		if (b.method != M_CLONE)
			step(&b, "root directory %s", b.vdir);
		if (!b.dry_run) {
			snprintf(base, sizeof(base), "%s", b.vdir);
			for (slash = base + 1; (slash = strchr(slash, '/')); slash++) {
				*slash = 0;
				mkdir(base, 0755);
				*slash = '/';
			}
		}
		if (!b.dry_run && b.method != M_CLONE) {
			if (mkdir(b.vdir, 0755)) {
				report_errno(-errno, "cannot create %s", b.vdir);
				goto fail;
			}
			b.made_vdir = true;
		}
	}
	switch (b.method) {
	case M_TEMPLATE:
		ret = fill_template(&b);
		break;
	case M_CLONE:
		ret = fill_clone(&b);
		break;
	case M_MMDEBSTRAP:
	case M_DEBOOTSTRAP:
		ret = fill_debian(&b);
		break;
	default:
		break;
	}
	if (ret)
		goto fail;
	guest_files(&b, cli->name);
	if (!b.dry_run) {
		char err[4096];
		struct vs_guest *g = calloc(1, sizeof(*g));

		/* What we wrote must load: the same checks as start. */
		if (!g || vs_guest_load(cli->confroot, cli->name, g, err,
					sizeof(err))) {
			guest_msg(cli, "the new configuration does not load: %s",
				  g ? err : "out of memory");
			free(g);
			goto fail;
		}
		free(g);
	}
	if (b.dry_run)
		printf("dry run: nothing was changed\n");
	else
		printf("%s: built (context %u, root %s)\n", cli->name, b.xid,
		       b.vdir);
	return EXIT_SUCCESS;
fail:
	undo_build(&b);
	guest_msg(cli, "build failed; removed what it created");
	return EXIT_FAILURE;
}

int cmd_delete(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help",  no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct vs_guest g;
	bool force = false;
	char answer[16];
	int c;

	while ((c = getopt_long(argc, argv, "+fh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = true;
			break;
		case 'h':
			printf(
"Usage:\n"
" vserver [options] NAME delete [--force]\n"
"\n"
"Remove a stopped guest: its root directory and its configuration.\n"
"Asks first unless --force.\n"
"\n"
"Options:\n"
" -f, --force            do not ask\n"
" -h, --help             display this help\n");
			exit(EXIT_SUCCESS);
		default:
			usage_error("invalid option for delete");
		}
	}
	if (optind < argc)
		usage_error("delete takes no arguments");
	if (vs_guest_peek(cli->confroot, cli->name, &g)) {
		guest_msg(cli, "no such guest (no directory %s/%s)",
			  cli->confroot, cli->name);
		return EXIT_FAILURE;
	}
	if (guest_running(cli, &g)) {
		guest_msg(cli, "is running; stop it first");
		return EXIT_FAILURE;
	}
	if (!force) {
		if (!isatty(STDIN_FILENO)) {
			guest_msg(cli, "not deleting without --force (no terminal to ask)");
			return EXIT_FAILURE;
		}
		printf("Delete guest %s: root %s and configuration %s? [y/N] ",
		       g.name, g.vdir, g.confdir);
		fflush(stdout);
		if (!fgets(answer, sizeof(answer), stdin) ||
		    (answer[0] != 'y' && answer[0] != 'Y')) {
			printf("not deleted\n");
			return EXIT_FAILURE;
		}
	}
	if (remove_tree(g.vdir)) {
		report_errno(-errno, "cannot remove %s", g.vdir);
		return EXIT_FAILURE;
	}
	if (remove_tree(g.confdir)) {
		report_errno(-errno, "cannot remove %s", g.confdir);
		return EXIT_FAILURE;
	}
	printf("%s: deleted\n", g.name);
	return EXIT_SUCCESS;
}
