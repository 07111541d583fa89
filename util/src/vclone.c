// SPDX-License-Identifier: GPL-2.0
/*
 * vclone - make a new guest tree from an existing one: files shared
 * through the hash store (immutable + iunlink) are hardlinked, everything
 * else is copied with owner, mode, times and extended attributes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vclone";

#define SHARED		(IATTR_IMMUTABLE | IATTR_IXUNLINK)

static bool verbose;
static unsigned long n_linked, n_copied, n_other, n_errors;

/* Source inodes with several links already copied: keep them linked. */
struct seen {
	dev_t dev;
	ino_t ino;
	char *dst;
};
static struct seen *seen;
static size_t nseen, seen_cap;

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vclone [options] SOURCE DEST\n"
"\n"
"Create the guest tree DEST from SOURCE: unified files (immutable +\n"
"iunlink, see vhashify) become hardlinks to the same shared inode, all\n"
"other entries are copied with owner, mode, times and extended\n"
"attributes; hardlinks inside SOURCE stay hardlinks.  DEST must not\n"
"exist and must be on the same filesystem as SOURCE.\n"
"\n"
"Options:\n"
" -v, --verbose          print every entry\n"
" -h, --help             display this help\n"
" -V, --version          display version\n"
"\n"
"Exit status: 0 ok, 1 some entries could not be cloned, 2 usage error.\n");
	exit(EXIT_SUCCESS);
}

static void fail(const char *path, int err, const char *what)
{
	report_errno(err, "%s: %s", path, what);
	n_errors++;
}

static const char *seen_find(const struct stat *st)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (seen[i].dev == st->st_dev && seen[i].ino == st->st_ino)
			return seen[i].dst;
	return NULL;
}

static void seen_add(const struct stat *st, const char *dst)
{
	if (nseen == seen_cap) {
		struct seen *n;

		seen_cap = seen_cap ? seen_cap * 2 : 64;
		n = realloc(seen, seen_cap * sizeof(*n));
		if (!n)
			exit(EXIT_FAILURE);
		seen = n;
	}
	seen[nseen].dev = st->st_dev;
	seen[nseen].ino = st->st_ino;
	seen[nseen].dst = strdup(dst);
	nseen++;
}

static int copy_xattrs(const char *src, const char *dst)
{
	char names[4096], value[4096];
	ssize_t len = llistxattr(src, names, sizeof(names)), i, n;

	if (len < 0)
		return errno == ENOTSUP ? 0 : -errno;
	for (i = 0; i < len; i += strlen(names + i) + 1) {
		const char *name = names + i;

		if (!strcmp(name, VX_XATTR_IATTR))
			continue;
		n = lgetxattr(src, name, value, sizeof(value));
		if (n < 0)
			return -errno;
		if (lsetxattr(dst, name, value, n, 0))
			return -errno;
	}
	return 0;
}

static int copy_meta(const char *dst, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (lchown(dst, st->st_uid, st->st_gid))
		return -errno;
	if (!S_ISLNK(st->st_mode) && chmod(dst, st->st_mode & 07777))
		return -errno;
	if (utimensat(AT_FDCWD, dst, ts, AT_SYMLINK_NOFOLLOW))
		return -errno;
	return 0;
}

static int copy_data(const char *src, const char *dst, const struct stat *st)
{
	int in, out, err = 0;
	off_t left = st->st_size;

	in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		err = -errno;
		close(in);
		return err;
	}
	while (left > 0) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, left, 0);

		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		left -= n;
	}
	close(in);
	if (close(out) && !err)
		err = -errno;
	return err;
}

static void clone_file(const char *src, const char *dst,
		       const struct stat *st)
{
	const char *prev;
	uint32_t flags = 0;
	int err;

	if (st->st_nlink > 1) {
		if ((prev = seen_find(st))) {
			if (link(prev, dst))
				fail(dst, -errno, "cannot link");
			else
				n_linked++;
			return;
		}
	}
	/* A unified file (the store holds a link): one more link to it. */
	if (st->st_nlink > 1 && !vs_get_iattr(src, &flags, NULL) &&
	    (flags & SHARED) == SHARED) {
		if (link(src, dst)) {
			fail(dst, -errno, "cannot link");
			return;
		}
		n_linked++;
		if (verbose)
			printf("link %s\n", dst);
		return;
	}
	err = copy_data(src, dst, st);
	if (!err)
		err = copy_xattrs(src, dst);
	if (!err)
		err = copy_meta(dst, st);
	if (err) {
		fail(dst, err, "cannot copy");
		return;
	}
	n_copied++;
	if (verbose)
		printf("copy %s\n", dst);
	if (st->st_nlink > 1)
		seen_add(st, dst);
}

static void clone_tree(const char *src, const char *dst,
		       const struct stat *st)
{
	struct dirent *de;
	DIR *d;
	int err;

	if (mkdir(dst, 0700)) {
		fail(dst, -errno, "cannot create directory");
		return;
	}
	d = opendir(src);
	if (!d) {
		fail(src, -errno, "cannot read directory");
		return;
	}
	while ((de = readdir(d))) {
		char s[PATH_MAX], t[PATH_MAX], target[PATH_MAX];
		struct stat cs;
		ssize_t n;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
		snprintf(t, sizeof(t), "%s/%s", dst, de->d_name);
		if (lstat(s, &cs)) {
			fail(s, -errno, "cannot stat");
			continue;
		}
		switch (cs.st_mode & S_IFMT) {
		case S_IFDIR:
			clone_tree(s, t, &cs);
			continue;
		case S_IFREG:
			clone_file(s, t, &cs);
			continue;
		case S_IFLNK:
			n = readlink(s, target, sizeof(target) - 1);
			if (n < 0) {
				fail(s, -errno, "cannot read link");
				continue;
			}
			target[n] = '\0';
			if (symlink(target, t)) {
				fail(t, -errno, "cannot create link");
				continue;
			}
			break;
		default:
			if (mknod(t, cs.st_mode & (S_IFMT | 0600),
				  cs.st_rdev)) {
				fail(t, -errno, "cannot create node");
				continue;
			}
			break;
		}
		n_other++;
		err = copy_xattrs(s, t);
		if (!err)
			err = copy_meta(t, &cs);
		if (err)
			fail(t, err, "cannot copy attributes");
	}
	closedir(d);
	err = copy_xattrs(src, dst);
	if (!err)
		err = copy_meta(dst, st);
	if (err)
		fail(dst, err, "cannot copy attributes");
	n_other++;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose",	no_argument, NULL, 'v' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct stat st, pst;
	char parent[PATH_MAX], *slash;
	int c;

	while ((c = getopt_long(argc, argv, "vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage();
		case 'V':
			print_version();
		default:
			usage_error("invalid option");
		}
	}
	if (argc - optind != 2)
		usage_error("expected SOURCE and DEST");
	if (lstat(argv[optind], &st) || !S_ISDIR(st.st_mode))
		usage_error("'%s' is not a directory", argv[optind]);
	if (!lstat(argv[optind + 1], &pst))
		usage_error("'%s' exists already", argv[optind + 1]);
	snprintf(parent, sizeof(parent), "%s", argv[optind + 1]);
	slash = strrchr(parent, '/');
	if (slash)
		*(slash == parent ? slash + 1 : slash) = '\0';
	else
		strcpy(parent, ".");
	if (stat(parent, &pst))
		usage_error("cannot use '%s': %s", parent, strerror(errno));
	if (pst.st_dev != st.st_dev)
		usage_error("'%s' and '%s' are on different filesystems",
			    argv[optind], argv[optind + 1]);

	clone_tree(argv[optind], argv[optind + 1], &st);
	printf("%lu linked, %lu copied, %lu other entries, %lu errors\n",
	       n_linked, n_copied, n_other, n_errors);
	return n_errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
