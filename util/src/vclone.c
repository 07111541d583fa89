// SPDX-License-Identifier: GPL-2.0
/*
 * vclone - make a new guest tree from an existing one: files shared
 * through the hash store (immutable + iunlink) are hardlinked, everything
 * else is copied with owner, mode, times and extended attributes.
 *
 * The walk works on directory file descriptors: entries come from
 * getdents64 with their type, source and destination are reached with
 * the *at() calls, and a unified file costs one get_iattr (relative to
 * the source directory, which is the working directory of the thread
 * while its files are looked at) and one linkat().  A copied file is
 * stat'ed through its open descriptor only, so what is copied is what
 * was checked.
 *
 * Directories are cloned by several threads (--jobs): a cold source is
 * mostly waiting for its directory and inode blocks, and those reads
 * overlap.  Each thread has its own working directory (unshare
 * CLONE_FS).  A directory's owner, mode, times and extended attributes
 * are set once everything below it is done, as in a depth-first walk.
 *
 * New entries are created with their final mode (umask 0) where that
 * is safe, and chown/chmod are skipped when owner and mode are already
 * right: every entry the clone creates gets the group of DEST as
 * created (its directories keep their first group until their subtree
 * is done, so set-gid and grpid inheritance both give that group).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
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
#define MAX_JOBS	64

static bool verbose;
static bool have_iattr = true;	/* false once get_iattr says ENOSYS */
static int root_dfd = -1;	/* DEST, for links to earlier copies */
static unsigned long n_linked, n_copied, n_other, n_skipped, n_errors;

/*
 * Entries are created with their final permission bits (umask 0) unless
 * DEST inherits a default ACL; new_uid/new_gid/new_sgid are the owner,
 * group and inherited set-gid bit every new entry gets.
 */
static bool exact_create;
static uid_t new_uid;
static gid_t new_gid;
static mode_t new_sgid;

/* The source directory that is this thread's working directory. */
static __thread int cwd_fd = -1;
static __thread bool own_cwd;	/* the working directory is ours alone */

#define count(n)	__atomic_fetch_add(&(n), 1, __ATOMIC_RELAXED)

/*
 * A directory being cloned.  It stays (with both descriptors open) until
 * its own entries and all its subdirectories are done: @pending counts
 * its own walk and each unfinished subdirectory.
 */
struct dir {
	struct dir *parent;
	struct dir *next;	/* on the work stack */
	unsigned int pending;
	int sfd, dfd;
	struct stat st;		/* the source directory */
	mode_t mode;		/* of the new directory as created */
	char *name;		/* in the parent */
	char *spath, *dpath, *rel;
};

/* Directories waiting for a thread, and how many threads hold one. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct dir *top;
	unsigned int busy;
} work = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0 };

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
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

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
" -j, --jobs=N           clone with N threads (default: 2 per CPU, at most 8)\n"
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
	count(n_errors);
}

static void __attribute__((noreturn)) out_of_memory(const char *what)
{
	report_errno(-ENOMEM, "%s", what);
	exit(EXIT_FAILURE);
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
		if (!seen)
			out_of_memory("hardlink table");
		for (i = 0; i < old_size; i++)
			if (old[i].dst)
				*seen_slot(old[i].dev, old[i].ino) = old[i];
		free(old);
	}
	s = seen_slot(st->st_dev, st->st_ino);
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->dst = strdup(dst);
	if (!s->dst)
		out_of_memory("hardlink table");
	seen_used++;
}

/*
 * Extended attributes of @src onto @dst, except the shared attributes.
 * By descriptor when both are >= 0, else by (not followed) path.
 * Return: how many were copied, or -errno.
 */
static int copy_xattrs(int src, const char *spath, int dst, const char *dpath)
{
	char names[4096], value[4096];
	ssize_t len, i, n;
	int copied = 0;

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
		copied++;
	}
	return copied;
}

/*
 * Owner, extended attributes, mode and times of a new entry from @st;
 * @mode is what it was created with.  By descriptor when @fd >= 0, else
 * by @name in @dfd (symlinks, device nodes: xattrs by @spath/@dpath).
 * The order matters: a change of owner drops security.capability and
 * the set-id bits, so the owner comes first and the mode after the
 * xattrs (an ACL changes the mode); the times last.  Owner and mode
 * are only changed when they differ.
 */
static int copy_attrs(int sfd, int fd, int dfd, const char *name,
		      const char *spath, const char *dpath,
		      const struct stat *st, mode_t mode)
{
	struct timespec ts[2] = { st->st_atim, st->st_mtim };
	bool is_lnk = S_ISLNK(st->st_mode);
	int n;

	if (st->st_uid != new_uid || st->st_gid != new_gid) {
		if (fd >= 0 ? fchown(fd, st->st_uid, st->st_gid) :
			      fchownat(dfd, name, st->st_uid, st->st_gid,
				       AT_SYMLINK_NOFOLLOW))
			return -errno;
	}
	n = fd >= 0 ? copy_xattrs(sfd, NULL, fd, NULL) :
		      copy_xattrs(-1, spath, -1, dpath);
	if (n < 0)
		return n;
	if (!is_lnk && (n || !exact_create || mode != (st->st_mode & 07777))) {
		if (fd >= 0 ? fchmod(fd, st->st_mode & 07777) :
			      fchmodat(dfd, name, st->st_mode & 07777, 0))
			return -errno;
	}
	if (fd >= 0 ? futimens(fd, ts) :
		      utimensat(dfd, name, ts, AT_SYMLINK_NOFOLLOW))
		return -errno;
	return 0;
}

/* Bytes [off, end) of @in to the same offsets of @out. */
static int copy_range(int in, int out, off_t off, off_t end)
{
	static __thread bool no_cfr;	/* per thread: no locking */
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
static bool is_shared(const struct dir *d, const char *name, const char *spath)
{
	uint32_t flags = 0;
	int err;

	if (!__atomic_load_n(&have_iattr, __ATOMIC_RELAXED))
		return false;
	if (!own_cwd) {
		/* no working directory of our own: the whole path */
		err = vs_get_iattr(spath, &flags, NULL);
	} else {
		if (cwd_fd != d->sfd) {
			if (fchdir(d->sfd))
				return false;
			cwd_fd = d->sfd;
		}
		err = vs_get_iattr(name, &flags, NULL);
	}
	if (err == -ENOSYS)
		__atomic_store_n(&have_iattr, false, __ATOMIC_RELAXED);
	return !err && (flags & SHARED) == SHARED;
}

/* A copy of the open regular file @in as @name in @dfd. */
static int copy_file(int in, int dfd, const char *name, const struct stat *st)
{
	mode_t mode = exact_create ? st->st_mode & 0777 : 0600;
	int out, err;

	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		     O_CLOEXEC, mode);
	if (out < 0)
		return -errno;
	err = copy_data(in, out, st);
	if (!err)
		err = copy_attrs(in, out, -1, NULL, NULL, NULL, st, mode);
	if (close(out) && !err)
		err = -errno;
	return err;
}

static void clone_file(const struct dir *d, const char *name,
		       const char *spath, const char *dpath, const char *rel)
{
	struct stat st;
	const char *prev;
	int in, err;

	if (is_shared(d, name, spath)) {
		if (linkat(d->sfd, name, d->dfd, name, 0))
			fail(dpath, -errno, "cannot link");
		else
			count(n_linked);
		verbose_entry("link", dpath);
		return;
	}
	in = openat(d->sfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY |
		    O_NONBLOCK | O_CLOEXEC);
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
	if (st.st_nlink == 1) {
		err = copy_file(in, d->dfd, name, &st);
		goto out_copied;
	}
	/*
	 * Several names: the first one found is copied, the others become
	 * links to the copy.  Rare, so one lock around both is enough.
	 */
	pthread_mutex_lock(&seen_lock);
	prev = seen_find(&st);
	if (prev) {
		err = linkat(root_dfd, prev, d->dfd, name, 0) ? -errno : 0;
		pthread_mutex_unlock(&seen_lock);
		if (err)
			fail(dpath, err, "cannot link");
		else
			count(n_linked);
		verbose_entry("link", dpath);
		goto out_close_in;
	}
	err = copy_file(in, d->dfd, name, &st);
	if (!err)
		seen_add(&st, rel);
	pthread_mutex_unlock(&seen_lock);
out_copied:
	if (err) {
		fail(dpath, err, "cannot copy");
	} else {
		count(n_copied);
		verbose_entry("copy", dpath);
	}
out_close_in:
	close(in);
}

/* A symlink, device node or FIFO: created, then its attributes. */
static void clone_special(const struct dir *d, const char *name,
			  const char *spath, const char *dpath)
{
	char target[PATH_MAX];
	struct stat st;
	mode_t mode = 0;
	ssize_t n;
	int err;

	if (fstatat(d->sfd, name, &st, AT_SYMLINK_NOFOLLOW)) {
		fail(spath, -errno, "cannot stat");
		return;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFLNK:
		n = readlinkat(d->sfd, name, target, sizeof(target) - 1);
		if (n < 0) {
			fail(spath, -errno, "cannot read link");
			return;
		}
		target[n] = '\0';
		if (symlinkat(target, d->dfd, name)) {
			fail(dpath, -errno, "cannot create link");
			return;
		}
		break;
	case S_IFSOCK:
		/* as util-vserver: a socket means nothing without its server */
		count(n_skipped);
		verbose_entry("skip", dpath);
		return;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
		mode = exact_create ? st.st_mode & 0777 : 0600;
		if (mknodat(d->dfd, name, (st.st_mode & S_IFMT) | mode,
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
	count(n_other);
	verbose_entry("make", dpath);
	err = copy_attrs(-1, -1, d->dfd, name, spath, dpath, &st, mode);
	if (err)
		fail(dpath, err, "cannot copy attributes");
}

static void work_push(struct dir *d)
{
	pthread_mutex_lock(&work.lock);
	d->next = work.top;
	work.top = d;
	pthread_cond_signal(&work.more);
	pthread_mutex_unlock(&work.lock);
}

/*
 * One part of @d is done (its own entries, or a subdirectory): when it
 * was the last, its attributes are set and its parent is told.
 */
static void dir_done(struct dir *d)
{
	while (d && !__atomic_sub_fetch(&d->pending, 1, __ATOMIC_ACQ_REL)) {
		struct dir *parent = d->parent;
		int err;

		if (d->dfd >= 0) {
			err = copy_attrs(d->sfd, d->dfd, -1, NULL, NULL, NULL,
					 &d->st, d->mode);
			if (err)
				fail(d->dpath, err, "cannot copy attributes");
			count(n_other);
			close(d->dfd);
		}
		if (d->sfd >= 0)
			close(d->sfd);
		free(d);
		d = parent;
	}
}

/* A directory of @parent, to be cloned by some thread. */
static void dir_add(struct dir *parent, const char *name, const char *spath,
		    const char *dpath, const char *rel)
{
	size_t ln = strlen(name) + 1, ls = strlen(spath) + 1;
	size_t ld = strlen(dpath) + 1, lr = strlen(rel) + 1;
	struct dir *d = calloc(1, sizeof(*d) + ln + ls + ld + lr);

	if (!d)
		out_of_memory(spath);
	d->name = (char *)(d + 1);
	d->spath = d->name + ln;
	d->dpath = d->spath + ls;
	d->rel = d->dpath + ld;
	memcpy(d->name, name, ln);
	memcpy(d->spath, spath, ls);
	memcpy(d->dpath, dpath, ld);
	memcpy(d->rel, rel, lr);
	d->parent = parent;
	d->pending = 1;
	d->sfd = d->dfd = -1;
	__atomic_add_fetch(&parent->pending, 1, __ATOMIC_RELAXED);
	work_push(d);
}

/*
 * Open the source directory and create its copy.  The new directory
 * gets its final mode at once when the walk can still write into it.
 */
static bool dir_open(struct dir *d)
{
	const struct dir *p = d->parent;

	d->sfd = openat(p->sfd, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (d->sfd < 0) {
		fail(d->spath, -errno, "cannot open directory");
		return false;
	}
	if (fstat(d->sfd, &d->st)) {
		fail(d->spath, -errno, "cannot stat");
		return false;
	}
	d->mode = 0700;
	if (exact_create && (d->st.st_mode & 0700) == 0700 &&
	    !(d->st.st_mode & 06000))
		d->mode = d->st.st_mode & 01777;
	if (mkdirat(p->dfd, d->name, d->mode)) {
		fail(d->dpath, -errno, "cannot create directory");
		return false;
	}
	d->mode |= new_sgid;
	d->dfd = openat(p->dfd, d->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_CLOEXEC);
	if (d->dfd < 0) {
		fail(d->dpath, -errno, "cannot open directory");
		return false;
	}
	return true;
}

/* The entries of @d; its subdirectories go onto the work stack. */
static void clone_entries(struct dir *d, char *buf)
{
	ssize_t len, pos;

	cwd_fd = -1;	/* a descriptor number may have been reused */
	while ((len = getdents64(d->sfd, buf, DENTS_BUF)) > 0) {
		for (pos = 0; pos < len;) {
			struct dirent64 *de = (struct dirent64 *)(buf + pos);
			char s[PATH_MAX], dp[PATH_MAX], r[PATH_MAX];
			const char *name = de->d_name;
			unsigned char type = de->d_type;
			struct stat cs;

			pos += de->d_reclen;
			if (name[0] == '.' && (!name[1] ||
					       (name[1] == '.' && !name[2])))
				continue;
			if (snprintf(s, sizeof(s), "%s/%s", d->spath, name) >=
				     (int)sizeof(s) ||
			    snprintf(dp, sizeof(dp), "%s/%s", d->dpath, name) >=
				     (int)sizeof(dp) ||
			    snprintf(r, sizeof(r), "%s%s%s", d->rel,
				     *d->rel ? "/" : "", name) >= (int)sizeof(r)) {
				fail(s, -ENAMETOOLONG, "cannot clone");
				continue;
			}
			if (type == DT_UNKNOWN) {
				if (fstatat(d->sfd, name, &cs,
					    AT_SYMLINK_NOFOLLOW)) {
					fail(s, -errno, "cannot stat");
					continue;
				}
				type = IFTODT(cs.st_mode);
			}
			if (type == DT_DIR)
				dir_add(d, name, s, dp, r);
			else if (type == DT_REG)
				clone_file(d, name, s, dp, r);
			else
				clone_special(d, name, s, dp);
		}
	}
	if (len < 0)
		fail(d->spath, -errno, "cannot read directory");
}

/* A thread: take directories off the stack until all are done. */
static void *worker(void *arg)
{
	char *buf = malloc(DENTS_BUF);
	struct dir *d;

	if (!buf)
		out_of_memory("directory buffer");
	/* a working directory of its own for the relative get_iattr */
	own_cwd = arg || !unshare(CLONE_FS);
	pthread_mutex_lock(&work.lock);
	for (;;) {
		while (!work.top && work.busy)
			pthread_cond_wait(&work.more, &work.lock);
		d = work.top;
		if (!d)
			break;
		work.top = d->next;
		work.busy++;
		pthread_mutex_unlock(&work.lock);

		if (d->sfd >= 0 || dir_open(d))
			clone_entries(d, buf);
		dir_done(d);

		pthread_mutex_lock(&work.lock);
		work.busy--;
	}
	/* nothing left and nobody busy: wake the others to stop too */
	pthread_cond_broadcast(&work.more);
	pthread_mutex_unlock(&work.lock);
	free(buf);
	return NULL;
}

static unsigned int default_jobs(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (cpus < 1)
		cpus = 1;
	return cpus > 4 ? 8 : 2 * cpus;
}

/* Clone @root (both descriptors open) with @jobs threads. */
static void clone_tree(struct dir *root, unsigned int jobs)
{
	pthread_t tid[MAX_JOBS];
	unsigned int i, started = 0;

	work_push(root);
	for (i = 1; i < jobs; i++) {
		if (pthread_create(&tid[i], NULL, worker, NULL))
			break;
		started++;
	}
	/* alone, the main thread's working directory is its own */
	worker(started ? NULL : (void *)1);
	for (i = 1; i <= started; i++)
		pthread_join(tid[i], NULL);
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
		{ "jobs",	required_argument, NULL, 'j' },
		{ "verbose",	no_argument, NULL, 'v' },
		{ "help",	no_argument, NULL, 'h' },
		{ "version",	no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct stat st, pst, dst_st;
	char parent[PATH_MAX], sbuf[PATH_MAX], dbuf[PATH_MAX], *slash, *end;
	unsigned int jobs = default_jobs();
	const char *src, *dst;
	struct dir *root;
	unsigned long n;
	int c, sfd;

	while ((c = getopt_long(argc, argv, "j:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || n < 1 || n > MAX_JOBS)
				usage_error("--jobs: '%s' is not a number from 1 to %d",
					    optarg, MAX_JOBS);
			jobs = n;
			break;
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
	umask(0);
	if (mkdir(dst, 0700)) {
		report_errno(-errno, "%s: cannot create directory", dst);
		return EXIT_FAILURE;
	}
	root_dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (root_dfd < 0 || fstat(root_dfd, &dst_st)) {
		report_errno(-errno, "%s", dst);
		return EXIT_FAILURE;
	}
	/* What every new entry gets: see the comment at the top. */
	new_uid = dst_st.st_uid;
	new_gid = dst_st.st_gid;
	new_sgid = dst_st.st_mode & S_ISGID;
	exact_create = fgetxattr(root_dfd, "system.posix_acl_default",
				 NULL, 0) < 0;

	root = calloc(1, sizeof(*root));
	if (!root)
		out_of_memory(dst);
	root->pending = 1;
	root->sfd = sfd;
	root->dfd = root_dfd;
	root->st = st;
	root->mode = dst_st.st_mode & 07777;
	root->name = "";
	root->rel = "";
	root->spath = (char *)src;
	root->dpath = (char *)dst;
	clone_tree(root, jobs);
	printf("%lu linked, %lu copied, %lu other entries, %lu skipped, %lu errors\n",
	       n_linked, n_copied, n_other, n_skipped, n_errors);
	return n_errors ? EXIT_FAILURE : EXIT_SUCCESS;
}
