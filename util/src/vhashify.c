// SPDX-License-Identifier: GPL-2.0
/*
 * vhashify - unify identical files of guest trees through a hash store.
 *
 * Every regular file that qualifies is looked up in the store by a key
 * made of a content hash, its size, mode, owner and group.  The first
 * file with a key becomes the store's entry (a hardlink under
 * HASHDIR/xx/...); later ones are compared byte by byte with the entry
 * and replaced by a hardlink to it.  Store entries are marked IMMUTABLE +
 * IUNLINK, so guests cannot change them and get a private copy when they
 * write (copy-on-write link breaking).
 *
 * Every change is a link to a temporary name followed by rename(), so an
 * interrupted run leaves each name holding either its old file or the
 * identical shared one; a rerun finishes the job and a run over unified
 * trees changes nothing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vhashify";

#define SHARED		(IATTR_IMMUTABLE | IATTR_IXUNLINK)
#define TMP_PREFIX	".vhashify-"

/* Paths (relative to a tree) never unified unless --no-default-excludes. */
static const char *const default_excludes[] = {
	"etc/*", "var/*", "tmp/*", "run/*", "dev/*", "proc/*", "sys/*",
	"home/*", "root/*", "boot/*", "lost+found/*",
};

/*
 * ... except package metadata that dpkg only replaces by rename or
 * removes, never rewrites in place: 4.3 MB of a Debian minbase tree.
 */
static const char *const default_includes[] = {
	"var/lib/dpkg/info/*",
};

static struct {
	const char *hashdir;
	bool dry_run, verbose, progress, default_excludes;
	const char **excludes;
	size_t nexcludes;
	dev_t hash_dev;
	ino_t hash_ino;
} opt = { .default_excludes = true };

static struct {
	unsigned long files, linked, created, skipped, errors;
	unsigned long long saved;
	time_t last;
} stats;

static volatile sig_atomic_t interrupted;

/* --dry-run: store entries that a real run would have created. */
static char **planned;
static size_t nplanned;

static bool was_planned(const char *entry)
{
	size_t i;

	for (i = 0; i < nplanned; i++)
		if (!strcmp(planned[i], entry))
			return true;
	return false;
}

static void plan_entry(const char *entry)
{
	char **n = realloc(planned, (nplanned + 1) * sizeof(*n));

	if (!n)
		exit(EXIT_FAILURE);
	planned = n;
	planned[nplanned++] = strdup(entry);
}

static void on_signal(int sig)
{
	interrupted = 1;
}

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vhashify [options] TREE...\n"
"\n"
"Replace identical regular files of the TREEs (guest root directories)\n"
"by hardlinks to one copy in a hash store, marked immutable + iunlink.\n"
"Files differing in owner, group or mode are kept apart; device nodes,\n"
"symbolic links, empty files, files with extended attributes and\n"
"excluded paths are left alone.\n"
"\n"
"Options:\n"
" -H, --hashdir <dir>    the hash store (default: .hash next to the\n"
"                        first TREE); must be on the same filesystem\n"
" -x, --exclude <glob>   leave paths matching glob (relative to the tree,\n"
"                        e.g. 'usr/local/*') alone; may repeat\n"
" -X, --exclude-from <file>  read globs from file, one per line\n"
"     --no-default-excludes  also unify etc/ var/ tmp/ run/ dev/ proc/\n"
"                        sys/ home/ root/ boot/ (var/lib/dpkg/info/ is\n"
"                        unified by default)\n"
" -n, --dry-run          show what would be done, change nothing\n"
" -v, --verbose          print every file linked\n"
" -p, --progress         print a status line every second\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Needs CAP_LINUX_IMMUTABLE in the host context (except with --dry-run).\n"
"Exit status: 0 ok, 1 some files could not be handled, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

static void add_exclude(const char *glob)
{
	const char **n = realloc(opt.excludes,
				 (opt.nexcludes + 1) * sizeof(*n));

	if (!n)
		exit(EXIT_FAILURE);
	opt.excludes = n;
	opt.excludes[opt.nexcludes++] = glob;
}

static void read_excludes(const char *file)
{
	char line[PATH_MAX];
	FILE *f = fopen(file, "r");

	if (!f)
		usage_error("cannot read exclude file '%s': %s", file,
			    strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *s = line;

		s[strcspn(s, "\n")] = '\0';
		while (*s == '/')
			s++;
		if (*s && *s != '#')
			add_exclude(strdup(s));
	}
	fclose(f);
}

/* Does @rel match one of the @n globs? */
static bool matches_any(const char *const *globs, size_t n, const char *rel)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!fnmatch(globs[i], rel, 0))
			return true;
	return false;
}

#define GLOBS(a)	(a), sizeof(a) / sizeof((a)[0])

static bool excluded(const char *rel)
{
	if (matches_any(opt.excludes, opt.nexcludes, rel))
		return true;
	if (!opt.default_excludes || matches_any(GLOBS(default_includes), rel))
		return false;
	return matches_any(GLOBS(default_excludes), rel);
}

/*
 * A 128-bit content hash: only a bucket key, every match is verified
 * byte by byte before a file is replaced.
 */
static int hash_file(int fd, uint64_t h[2])
{
	static char buf[1 << 16];
	uint64_t a = 0x6a09e667f3bcc908ULL, b = 0xbb67ae8584caa73bULL;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		ssize_t i;

		for (i = 0; i + 8 <= n; i += 8) {
			uint64_t w;

			memcpy(&w, buf + i, 8);
			a = (a ^ w) * 0x100000001b3ULL;
			b = ((b + w) << 31 | (b + w) >> 33) *
			    0x9e3779b97f4a7c15ULL;
		}
		for (; i < n; i++) {
			a = (a ^ (unsigned char)buf[i]) * 0x100000001b3ULL;
			b = (b + (unsigned char)buf[i]) * 0xc2b2ae3d27d4eb4fULL;
		}
	}
	h[0] = a ^ (a >> 29);
	h[1] = b ^ (b >> 32);
	return n < 0 ? -errno : 0;
}

static bool same_content(int fd1, const char *path2)
{
	static char b1[1 << 16], b2[1 << 16];
	int fd2 = open(path2, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	bool same = fd2 >= 0;
	ssize_t n1, n2;

	if (lseek(fd1, 0, SEEK_SET) != 0)
		same = false;
	while (same) {
		n1 = read(fd1, b1, sizeof(b1));
		n2 = n1 > 0 ? read(fd2, b2, n1) : read(fd2, b2, 1);
		if (n1 < 0 || n1 != n2 || memcmp(b1, b2, n1))
			same = false;
		if (n1 <= 0)
			break;
	}
	if (fd2 >= 0)
		close(fd2);
	return same;
}

static bool has_xattrs(const char *path)
{
	char names[1024];
	ssize_t len = llistxattr(path, names, sizeof(names)), i;

	if (len < 0)
		return errno == ERANGE;
	for (i = 0; i < len; i += strlen(names + i) + 1)
		if (strcmp(names + i, VX_XATTR_IATTR))
			return true;
	return false;
}

static void progress(bool force)
{
	time_t now = time(NULL);

	if (!opt.progress || (!force && now == stats.last))
		return;
	stats.last = now;
	fprintf(stderr, "%s: %lu files, %lu linked, %lu new in store, %llu KiB saved%s",
		tool_name, stats.files, stats.linked, stats.created,
		stats.saved / 1024, force ? "\n" : "\r");
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, 0700) && errno != EEXIST ? -errno : 0;
}

/* Make @path a hardlink to @target atomically (temporary name, rename). */
static int replace_by_link(const char *target, const char *path)
{
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int len = slash ? (int)(slash - path) + 1 : 0;

	snprintf(tmp, sizeof(tmp), "%.*s" TMP_PREFIX "%d", len, path,
		 (int)getpid());
	unlink(tmp);
	if (link(target, tmp))
		return -errno;
	if (rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	return 0;
}

static int mark_shared(const char *path)
{
	uint32_t flags;
	int ret = vs_get_iattr(path, &flags, NULL);

	if (ret)
		return ret;
	if ((flags & SHARED) == SHARED)
		return 0;
	return vs_set_iattr(path, SHARED, SHARED);
}

static void fail(const char *path, int err, const char *what)
{
	report_errno(err, "%s: %s", path, what);
	stats.errors++;
}

static void unify(const char *path, const struct stat *st)
{
	char entry[PATH_MAX];
	uint64_t h[2];
	struct stat es;
	int fd, ret, i;

	stats.files++;
	progress(false);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		fail(path, -errno, "cannot open");
		return;
	}
	ret = hash_file(fd, h);
	if (ret) {
		fail(path, ret, "cannot read");
		goto out_close;
	}
	for (i = 0; i < 16; i++) {
		snprintf(entry, sizeof(entry),
			 "%s/%02x/%014llx%016llx-%llu-%o-%u-%u%s%.0d",
			 opt.hashdir, (unsigned int)(h[0] >> 56),
			 (unsigned long long)(h[0] & 0xffffffffffffffULL),
			 (unsigned long long)h[1],
			 (unsigned long long)st->st_size,
			 (unsigned int)(st->st_mode & 07777),
			 (unsigned int)st->st_uid, (unsigned int)st->st_gid,
			 i ? "-" : "", i);
		if (opt.dry_run && was_planned(entry))
			break;
		if (lstat(entry, &es)) {
			if (errno != ENOENT) {
				fail(entry, -errno, "cannot stat");
				goto out_close;
			}
			/* A new entry: this file becomes the shared one. */
			stats.created++;
			if (opt.verbose || opt.dry_run)
				printf("store %s -> %s\n", path, entry);
			if (opt.dry_run) {
				plan_entry(entry);
				goto out_close;
			}
			*strrchr(entry, '/') = '\0';
			ret = mkdir_p(entry);
			entry[strlen(entry)] = '/';
			if (!ret)
				ret = replace_by_link(path, entry);
			if (!ret)
				ret = mark_shared(entry);
			if (ret)
				fail(path, ret, "cannot add to the store");
			goto out_close;
		}
		if (es.st_dev == st->st_dev && es.st_ino == st->st_ino) {
			/* Already unified (maybe by an interrupted run). */
			if (!opt.dry_run) {
				ret = mark_shared(entry);
				if (ret)
					fail(entry, ret, "cannot mark shared");
			}
			goto out_close;
		}
		if (S_ISREG(es.st_mode) && es.st_size == st->st_size &&
		    same_content(fd, entry))
			break;
		/* A hash collision: try the next suffix. */
	}
	if (i == 16) {
		stats.skipped++;
		goto out_close;
	}
	if (opt.verbose || opt.dry_run)
		printf("link %s -> %s\n", path, entry);
	if (!opt.dry_run) {
		ret = mark_shared(entry);
		if (!ret)
			ret = replace_by_link(entry, path);
		if (ret) {
			fail(path, ret, "cannot link to the store");
			goto out_close;
		}
	}
	stats.linked++;
	if (st->st_nlink == 1)
		stats.saved += st->st_blocks * 512ULL;
out_close:
	close(fd);
}

static void walk(const char *dir, const char *rel, dev_t dev)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		fail(dir, -errno, "cannot read directory");
		return;
	}
	while ((de = readdir(d)) && !interrupted) {
		char path[PATH_MAX], sub[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "",
			 de->d_name);
		if (!strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX))) {
			/* Left over by an interrupted run. */
			if (!opt.dry_run)
				unlink(path);
			continue;
		}
		if (lstat(path, &st)) {
			fail(path, -errno, "cannot stat");
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			/* Never descend into the store or another fs. */
			if (st.st_dev != dev || (st.st_dev == opt.hash_dev &&
						 st.st_ino == opt.hash_ino))
				continue;
			walk(path, sub, dev);
			continue;
		}
		if (!S_ISREG(st.st_mode) || st.st_size == 0 ||
		    excluded(sub) || has_xattrs(path)) {
			stats.skipped++;
			continue;
		}
		if (st.st_dev != opt.hash_dev) {
			stats.skipped++;
			continue;
		}
		unify(path, &st);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "hashdir",	required_argument, NULL, 'H' },
		{ "exclude",	required_argument, NULL, 'x' },
		{ "exclude-from", required_argument, NULL, 'X' },
		{ "no-default-excludes", no_argument, NULL, 256 },
		{ "dry-run",	no_argument, NULL, 'n' },
		{ "verbose",	no_argument, NULL, 'v' },
		{ "progress",	no_argument, NULL, 'p' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	char *hashdir = NULL;
	struct stat st;
	int c, i;

	while ((c = getopt_long(argc, argv, "H:x:X:nvphV", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'H':
			hashdir = optarg;
			break;
		case 'x':
			while (*optarg == '/')
				optarg++;
			add_exclude(optarg);
			break;
		case 'X':
			read_excludes(optarg);
			break;
		case 256:
			opt.default_excludes = false;
			break;
		case 'n':
			opt.dry_run = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'p':
			opt.progress = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (optind >= argc)
		usage_error("no tree given");
	for (i = optind; i < argc; i++)
		if (lstat(argv[i], &st) || !S_ISDIR(st.st_mode))
			usage_error("'%s' is not a directory", argv[i]);
	if (!hashdir) {
		char *first = strdup(argv[optind]), *slash;

		while (strlen(first) > 1 && first[strlen(first) - 1] == '/')
			first[strlen(first) - 1] = '\0';
		slash = strrchr(first, '/');
		if (!slash)
			hashdir = ".hash";
		else if (slash == first)
			hashdir = "/.hash";
		else if (asprintf(&hashdir, "%.*s/.hash",
				  (int)(slash - first), first) < 0)
			exit(EXIT_FAILURE);
	}
	opt.hashdir = hashdir;
	if (!opt.dry_run) {
		int ret = mkdir_p(hashdir);

		if (ret) {
			report_errno(ret, "cannot create the hash store %s",
				     hashdir);
			return EXIT_FAILURE;
		}
		/* Fail early without the privilege or kernel support. */
		ret = vs_get_iattr(hashdir, (uint32_t[]){ 0 }, NULL);
		if (ret) {
			report_errno(ret, "%s", hashdir);
			return EXIT_FAILURE;
		}
	}
	if (!stat(hashdir, &st)) {
		opt.hash_dev = st.st_dev;
		opt.hash_ino = st.st_ino;
	} else {
		/* --dry-run before the store exists: its parent's fs. */
		lstat(argv[optind], &st);
		opt.hash_dev = st.st_dev;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	for (i = optind; i < argc && !interrupted; i++) {
		lstat(argv[i], &st);
		walk(argv[i], "", st.st_dev);
	}
	if (opt.progress)
		progress(true);
	printf("%s%lu files examined, %lu linked (%llu KiB saved), %lu new in store, %lu skipped, %lu errors\n",
	       opt.dry_run ? "dry run: " : "", stats.files, stats.linked,
	       stats.saved / 1024, stats.created, stats.skipped,
	       stats.errors);
	if (interrupted) {
		fprintf(stderr, "%s: interrupted; run again to finish\n",
			tool_name);
		return EXIT_FAILURE;
	}
	return stats.errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
