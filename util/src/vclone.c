// SPDX-License-Identifier: GPL-2.0
/*
 * vclone - make a new guest tree from an existing one: files shared
 * through the hash store (immutable + iunlink) are hardlinked, everything
 * else is copied with owner, mode, times and extended attributes.
 *
 * The walk works on directory file descriptors: entries come from
 * getdents64 with their type, source and destination are reached with
 * the *at() calls, and a unified file costs one get_iattr (relative to
 * the source directory, which is the working directory while its files
 * are looked at) and one linkat().  A copied file is stat'ed through its
 * open descriptor only, so what is copied is what was checked.
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
#include <sys/xattr.h>
#include <unistd.h>

#include "libvserver.h"
#include "tool.h"

const char *tool_name = "vclone";

#define SHARED		(IATTR_IMMUTABLE | IATTR_IXUNLINK)
#define DENTS_BUF	32768

static bool verbose;
static bool have_iattr = true;	/* false once get_iattr says ENOSYS */
static int cwd_fd = -1;		/* the source directory we are in */
static int root_dfd = -1;	/* DEST, for links to earlier copies */
static unsigned long n_linked, n_copied, n_other, n_skipped, n_errors;

/*
 * Source inodes with several links that were copied: later names of the
 * same inode become links to the copy (a small open-addressing table).
 */
struct seen {
	dev_t dev;
	ino_t ino;
	char *dst;		/* relative to DEST */
};
static struct seen *seen;
static size_t seen_used, seen_size;

static void __attribute__((noreturn)) usage(void)
{
	printf(
"Usage:\n"
" vclone [options] SOURCE DEST\n"
"\n"
"Create the guest tree DEST from SOURCE: unified files (immutable +\n"
"iunlink, see vhashify) become hardlinks to the same shared inode, all\n"
"other entries are copied with owner, mode, times and extended\n"
"attributes (holes of sparse files stay holes); hardlinks inside SOURCE\n"
"stay hardlinks and sockets are skipped.  DEST must not exist and must\n"
"be on the same filesystem as SOURCE.\n"
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

static size_t seen_hash(dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev << 32 ^ (uint64_t)ino) *
		     0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 20);
}

static struct seen *seen_slot(dev_t dev, ino_t ino)
{
	size_t i = seen_hash(dev, ino) & (seen_size - 1);

	while (seen[i].dst && (seen[i].dev != dev || seen[i].ino != ino))
		i = (i + 1) & (seen_size - 1);
	return &seen[i];
}

static const char *seen_find(const struct stat *st)
{
	return seen_size ? seen_slot(st->st_dev, st->st_ino)->dst : NULL;
}

static void seen_add(const struct stat *st, const char *dst)
{
	struct seen *s;

	if (2 * (seen_used + 1) > seen_size) {
		struct seen *old = seen;
		size_t i, old_size = seen_size;

		seen_size = seen_size ? 2 * seen_size : 64;
		seen = calloc(seen_size, sizeof(*seen));
		if (!seen) {
			report_errno(-ENOMEM, "hardlink table");
			exit(EXIT_FAILURE);
		}
		for (i = 0; i < old_size; i++)
			if (old[i].dst)
				*seen_slot(old[i].dev, old[i].ino) = old[i];
		free(old);
	}
	s = seen_slot(st->st_dev, st->st_ino);
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->dst = strdup(dst);
	if (!s->dst) {
		report_errno(-ENOMEM, "hardlink table");
		exit(EXIT_FAILURE);
	}
	seen_used++;
}

/*
 * Extended attributes of @src onto @dst, except the shared attributes.
 * By descriptor when both are >= 0, else by (not followed) path.
 */
static int copy_xattrs(int src, const char *spath, int dst, const char *dpath)
{
	char names[4096], value[4096];
	ssize_t len, i, n;

	len = src >= 0 ? flistxattr(src, names, sizeof(names)) :
			 llistxattr(spath, names, sizeof(names));
	if (len < 0)
		return errno == ENOTSUP ? 0 : -errno;
	for (i = 0; i < len; i += strlen(names + i) + 1) {
		const char *name = names + i;

		if (!strcmp(name, VX_XATTR_IATTR))
			continue;
		n = src >= 0 ? fgetxattr(src, name, value, sizeof(value)) :
			       lgetxattr(spath, name, value, sizeof(value));
		if (n < 0)
			return -errno;
		if (dst >= 0 ? fsetxattr(dst, name, value, n, 0) :
			       lsetxattr(dpath, name, value, n, 0))
			return -errno;
	}
	return 0;
}

/* Owner, mode and times of an open file or directory; mode after owner
 * (chown clears set-id bits), times last.
 */
static int copy_meta_fd(int fd, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (fchown(fd, st->st_uid, st->st_gid) ||
	    fchmod(fd, st->st_mode & 07777) || futimens(fd, ts))
		return -errno;
	return 0;
}

/* The same for an entry that cannot be opened (symlink, device node). */
static int copy_meta_at(int dfd, const char *name, const struct stat *st)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };

	if (fchownat(dfd, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (!S_ISLNK(st->st_mode) && fchmodat(dfd, name, st->st_mode & 07777, 0))
		return -errno;
	if (utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW))
		return -errno;
	return 0;
}

/* Bytes [off, end) of @in to the same offsets of @out. */
static int copy_range(int in, int out, off_t off, off_t end)
{
	static bool no_cfr;
	char buf[65536];

	while (off < end) {
		off_t o_in = off, o_out = off;
		ssize_t n = -1;

		if (!no_cfr) {
			n = copy_file_range(in, &o_in, out, &o_out, end - off, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS ||
				      errno == EINVAL || errno == EOPNOTSUPP))
				no_cfr = true;
			else if (n < 0)
				return -errno;
		}
		if (no_cfr) {
			size_t want = end - off < (off_t)sizeof(buf) ?
				      (size_t)(end - off) : sizeof(buf);

			n = pread(in, buf, want, off);
			if (n > 0 && pwrite(out, buf, n, off) != n)
				return -errno ? -errno : -EIO;
			if (n < 0)
				return -errno;
		}
		if (n == 0)
			return -EIO;	/* the source shrank */
		off += n;
	}
	return 0;
}

/*
 * All data of @in; a file with fewer blocks than its size may have
 * holes, which stay holes (only the data ranges are copied).
 */
static int copy_data(int in, int out, const struct stat *st)
{
	off_t data, hole = 0;
	int err;

	if ((off_t)st->st_blocks * 512 >= st->st_size)
		return copy_range(in, out, 0, st->st_size);
	while (hole < st->st_size) {
		data = lseek(in, hole, SEEK_DATA);
		if (data < 0)
			break;		/* ENXIO: only a hole is left */
		hole = lseek(in, data, SEEK_HOLE);
		if (hole < 0)
			return -errno;
		if (hole > st->st_size)
			hole = st->st_size;
		err = copy_range(in, out, data, hole);
		if (err)
			return err;
	}
	if (ftruncate(out, st->st_size))
		return -errno;
	return 0;
}

static void verbose_entry(const char *what, const char *path)
{
	if (verbose)
		printf("%s %s\n", what, path);
}

/* A unified file of the source: IMMUTABLE + IUNLINK. */
static bool is_shared(int sfd, const char *name)
{
	uint32_t flags = 0;
	int err;

	if (!have_iattr)
		return false;
	if (cwd_fd != sfd) {
		if (fchdir(sfd))
			return false;
		cwd_fd = sfd;
	}
	err = vs_get_iattr(name, &flags, NULL);
	if (err == -ENOSYS)
		have_iattr = false;
	return !err && (flags & SHARED) == SHARED;
}

static void clone_file(int sfd, int dfd, const char *name,
		       const char *spath, const char *dpath, const char *rel)
{
	struct stat st;
	const char *prev;
	int in, out, err;

	if (is_shared(sfd, name)) {
		if (linkat(sfd, name, dfd, name, 0))
			fail(dpath, -errno, "cannot link");
		else
			n_linked++;
		verbose_entry("link", dpath);
		return;
	}
	in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK |
		    O_CLOEXEC);
	if (in < 0) {
		fail(spath, -errno, "cannot open");
		return;
	}
	if (fstat(in, &st)) {
		fail(spath, -errno, "cannot stat");
		goto out_close_in;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(spath, -EAGAIN, "changed while cloning");
		goto out_close_in;
	}
	if (st.st_nlink > 1 && (prev = seen_find(&st))) {
		if (linkat(root_dfd, prev, dfd, name, 0))
			fail(dpath, -errno, "cannot link");
		else
			n_linked++;
		verbose_entry("link", dpath);
		goto out_close_in;
	}
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		     O_CLOEXEC, 0600);
	if (out < 0) {
		fail(dpath, -errno, "cannot create");
		goto out_close_in;
	}
	err = copy_data(in, out, &st);
	if (!err)
		err = copy_xattrs(in, NULL, out, NULL);
	if (!err)
		err = copy_meta_fd(out, &st);
	if (close(out) && !err)
		err = -errno;
	if (err) {
		fail(dpath, err, "cannot copy");
		goto out_close_in;
	}
	n_copied++;
	verbose_entry("copy", dpath);
	if (st.st_nlink > 1)
		seen_add(&st, rel);
out_close_in:
	close(in);
}

/* A symlink, device node or FIFO: created, then its attributes. */
static void clone_special(int sfd, int dfd, const char *name,
			  const char *spath, const char *dpath, const char *rel)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int err;

	if (fstatat(sfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		fail(spath, -errno, "cannot stat");
		return;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFLNK:
		n = readlinkat(sfd, name, target, sizeof(target) - 1);
		if (n < 0) {
			fail(spath, -errno, "cannot read link");
			return;
		}
		target[n] = '\0';
		if (symlinkat(target, dfd, name)) {
			fail(dpath, -errno, "cannot create link");
			return;
		}
		break;
	case S_IFSOCK:
		/* as util-vserver: a socket means nothing without its server */
		n_skipped++;
		verbose_entry("skip", dpath);
		return;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		if (mknodat(dfd, name, st.st_mode & (S_IFMT | 0600),
			    st.st_rdev)) {
			fail(dpath, -errno, "cannot create node");
			return;
		}
		break;
	default:
		/* a directory or a file now: it changed under us */
		fail(spath, -EAGAIN, "changed while cloning");
		return;
	}
	n_other++;
	verbose_entry("make", dpath);
	err = copy_xattrs(-1, spath, -1, dpath);
	if (!err)
		err = copy_meta_at(dfd, name, &st);
	if (err)
		fail(dpath, err, "cannot copy attributes");
}

static void clone_dir(int sfd, int dfd, const struct stat *st,
		      const char *spath, const char *dpath, const char *rel);

static void clone_subdir(int sfd, int dfd, const char *name,
			 const char *spath, const char *dpath, const char *rel)
{
	struct stat st;
	int csfd, cdfd;

	csfd = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		      O_CLOEXEC);
	if (csfd < 0) {
		fail(spath, -errno, "cannot open directory");
		return;
	}
	if (fstat(csfd, &st)) {
		fail(spath, -errno, "cannot stat");
		goto out_close_src;
	}
	if (mkdirat(dfd, name, 0700)) {
		fail(dpath, -errno, "cannot create directory");
		goto out_close_src;
	}
	cdfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		      O_CLOEXEC);
	if (cdfd < 0) {
		fail(dpath, -errno, "cannot open directory");
		goto out_close_src;
	}
	clone_dir(csfd, cdfd, &st, spath, dpath, rel);
	close(cdfd);
out_close_src:
	if (cwd_fd == csfd)
		cwd_fd = -1;
	close(csfd);
}

static void clone_dir(int sfd, int dfd, const struct stat *st,
		      const char *spath, const char *dpath, const char *rel)
{
	char *buf = malloc(DENTS_BUF);
	ssize_t len, pos;
	int err;

	if (!buf) {
		report_errno(-ENOMEM, "%s", spath);
		exit(EXIT_FAILURE);
	}
	while ((len = getdents64(sfd, buf, DENTS_BUF)) > 0) {
		for (pos = 0; pos < len;) {
			struct dirent64 *de = (struct dirent64 *)(buf + pos);
			char s[PATH_MAX], d[PATH_MAX], r[PATH_MAX];
			const char *name = de->d_name;
			unsigned char type = de->d_type;
			struct stat cs;

			pos += de->d_reclen;
			if (name[0] == '.' && (!name[1] ||
					       (name[1] == '.' && !name[2])))
				continue;
			if (snprintf(s, sizeof(s), "%s/%s", spath, name) >=
				     (int)sizeof(s) ||
			    snprintf(d, sizeof(d), "%s/%s", dpath, name) >=
				     (int)sizeof(d) ||
			    snprintf(r, sizeof(r), "%s%s%s", rel,
				     *rel ? "/" : "", name) >= (int)sizeof(r)) {
				fail(s, -ENAMETOOLONG, "cannot clone");
				continue;
			}
			if (type == DT_UNKNOWN) {
				if (fstatat(sfd, name, &cs, AT_SYMLINK_NOFOLLOW)) {
					fail(s, -errno, "cannot stat");
					continue;
				}
				type = IFTODT(cs.st_mode);
			}
			if (type == DT_DIR)
				clone_subdir(sfd, dfd, name, s, d, r);
			else if (type == DT_REG)
				clone_file(sfd, dfd, name, s, d, r);
			else
				clone_special(sfd, dfd, name, s, d, r);
		}
	}
	if (len < 0)
		fail(spath, -errno, "cannot read directory");
	free(buf);
	err = copy_xattrs(sfd, NULL, dfd, NULL);
	if (!err)
		err = copy_meta_fd(dfd, st);
	if (err)
		fail(dpath, err, "cannot copy attributes");
	n_other++;
}

static const char *absolute(const char *path, char *buf)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return path;
	if (!getcwd(cwd, sizeof(cwd)) ||
	    snprintf(buf, PATH_MAX, "%s/%s", strcmp(cwd, "/") ? cwd : "",
		     path) >= PATH_MAX) {
		report_errno(-ENAMETOOLONG, "%s", path);
		exit(EXIT_FAILURE);
	}
	return buf;
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
	char parent[PATH_MAX], sbuf[PATH_MAX], dbuf[PATH_MAX], *slash;
	const char *src, *dst;
	int c, sfd;

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
	src = argv[optind];
	dst = argv[optind + 1];
	if (lstat(src, &st) || !S_ISDIR(st.st_mode))
		usage_error("'%s' is not a directory", src);
	if (!lstat(dst, &pst))
		usage_error("'%s' exists already", dst);
	snprintf(parent, sizeof(parent), "%s", dst);
	slash = strrchr(parent, '/');
	if (slash)
		*(slash == parent ? slash + 1 : slash) = '\0';
	else
		strcpy(parent, ".");
	if (stat(parent, &pst))
		usage_error("cannot use '%s': %s", parent, strerror(errno));
	if (pst.st_dev != st.st_dev)
		usage_error("'%s' and '%s' are on different filesystems",
			    src, dst);

	/* Paths for messages and for the few path-based calls (xattrs of
	 * symlinks and device nodes), which must not depend on the
	 * working directory the walk changes.
	 */
	src = absolute(src, sbuf);
	dst = absolute(dst, dbuf);
	sfd = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sfd < 0 || fstat(sfd, &st)) {
		report_errno(-errno, "%s", src);
		return EXIT_FAILURE;
	}
	if (mkdir(dst, 0700)) {
		report_errno(-errno, "%s: cannot create directory", dst);
		return EXIT_FAILURE;
	}
	root_dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root_dfd < 0) {
		report_errno(-errno, "%s", dst);
		return EXIT_FAILURE;
	}
	clone_dir(sfd, root_dfd, &st, src, dst, "");
	printf("%lu linked, %lu copied, %lu other entries, %lu skipped, %lu errors\n",
	       n_linked, n_copied, n_other, n_skipped, n_errors);
	return n_errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
