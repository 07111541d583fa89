// SPDX-License-Identifier: GPL-2.0
/*
 * Inode attributes, copy-on-write link breaking and the chroot barrier,
 * on tmpfs and on ext4 (the VM's /dev/vda, made by mke2fs -d on the
 * build host).  Guests use xids 21000-21999.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define EXT4_DEV	"/dev/vda"
#define EXT4_MNT	"/mnt/vx-ext4"
#define SHARED		(IATTR_IMMUTABLE | IATTR_IXUNLINK)

/*
 * Run fn(arg) in a child that is the only task of a new guest @xid,
 * started in directory @cwd (entered from the host, like a guest root).
 */
static int in_guest_at(uint32_t xid, const char *cwd, int (*fn)(void *),
		       void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (cwd && chdir(cwd))
			_exit(98);
		if (vs_ctx_create(xid, NULL) != (long)xid)
			_exit(99);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	ctx_gone(xid, 500);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int in_guest(uint32_t xid, int (*fn)(void *), void *arg)
{
	return in_guest_at(xid, NULL, fn, arg);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -EIO;
}

static char readbuf[4096];

/* Contents of @path (static buffer), or "<errno>" on error. */
static const char *contents(const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(readbuf, sizeof(readbuf), "<%s>", strerror(errno));
		return readbuf;
	}
	n = read(fd, readbuf, sizeof(readbuf) - 1);
	close(fd);
	readbuf[n < 0 ? 0 : n] = '\0';
	return readbuf;
}

static long nlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_nlink;
}

static ino_t ino(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? 0 : st.st_ino;
}

static uint32_t iattr(const char *path)
{
	uint32_t flags = 0;

	if (vs_get_iattr(path, &flags, NULL))
		return 0xffffffff;
	return flags & ~IATTR_TAG;
}

FIXTURE(fs) {
	char dir[128];
	char store[160], a[160], b[160];
};

FIXTURE_VARIANT(fs) {
	const char *type;
};

FIXTURE_VARIANT_ADD(fs, tmpfs) {
	.type = "tmpfs",
};

FIXTURE_VARIANT_ADD(fs, ext4) {
	.type = "ext4",
};

FIXTURE_SETUP(fs)
{
	static int seq;

	if (!kernel_has_vserver())
		SKIP(return, "kernel without CONFIG_VSERVER");
	if (!strcmp(variant->type, "tmpfs")) {
		snprintf(self->dir, sizeof(self->dir), "/tmp/vx-iattr-%d-%d",
			 getpid(), seq++);
		ASSERT_EQ(0, mkdir(self->dir, 0755));
		ASSERT_EQ(0, mount("tmpfs", self->dir, "tmpfs", 0, NULL));
	} else {
		if (!exists(EXT4_DEV))
			SKIP(return, "no ext4 disk %s (scripts/vm.sh attaches it)",
			     EXT4_DEV);
		mkdir("/mnt", 0755);
		mkdir(EXT4_MNT, 0755);
		if (mount(EXT4_DEV, EXT4_MNT, "ext4", 0, NULL) && errno != EBUSY)
			SKIP(return, "cannot mount %s: %s", EXT4_DEV,
			     strerror(errno));
		/* mke2fs -d put a seed tree there on the build host. */
		ASSERT_TRUE(exists(EXT4_MNT "/seed/hello"));
		snprintf(self->dir, sizeof(self->dir), EXT4_MNT "/t-%d-%d",
			 getpid(), seq++);
		ASSERT_EQ(0, mkdir(self->dir, 0755));
	}
	snprintf(self->store, sizeof(self->store), "%s/store", self->dir);
	snprintf(self->a, sizeof(self->a), "%s/a", self->dir);
	snprintf(self->b, sizeof(self->b), "%s/b", self->dir);
	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, mkdir(self->b, 0755));
	ASSERT_EQ(0, mkdir(self->store, 0755));
}

FIXTURE_TEARDOWN(fs)
{
	if (!self->dir[0])
		return;
	if (!strcmp(variant->type, "tmpfs"))
		umount2(self->dir, MNT_DETACH);
	else
		umount2(EXT4_MNT, MNT_DETACH);
}

/* store/NAME with @text, linked as a/NAME and b/NAME, marked shared. */
static int make_shared(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fs) *self, const char *name,
		       const char *text)
{
	char s[200], a[200], b[200];

	snprintf(s, sizeof(s), "%s/%s", self->store, name);
	snprintf(a, sizeof(a), "%s/%s", self->a, name);
	snprintf(b, sizeof(b), "%s/%s", self->b, name);
	if (write_file(s, text) || chmod(s, 0644) || chown(s, 1234, 5678))
		return -1;
	if (setxattr(s, "user.note", "kept", 4, 0) && errno != ENOTSUP)
		return -1;
	if (vs_set_iattr(s, SHARED, SHARED))
		return -1;
	/* Linking an immutable file is allowed with iunlink. */
	if (link(s, a) || link(s, b))
		return -1;
	return 0;
}

static const char *guest_path;

static int guest_append(void *arg)
{
	int fd = open(guest_path, O_WRONLY | O_APPEND);

	if (fd < 0)
		return 10;
	if (write(fd, arg, strlen(arg)) != (ssize_t)strlen(arg))
		return 11;
	return close(fd) ? 12 : 0;
}

TEST_F(fs, get_set_round_trip)
{
	char f[200];
	uint32_t flags, mask;
	int fd, fl;

	snprintf(f, sizeof(f), "%s/f", self->dir);
	ASSERT_EQ(0, write_file(f, "x"));
	ASSERT_EQ(0, vs_get_iattr(f, &flags, &mask));
	EXPECT_EQ(IATTR_TAG, flags);
	EXPECT_EQ(IATTR_IXUNLINK | IATTR_IMMUTABLE | IATTR_COW, mask);
	ASSERT_EQ(0, vs_set_iattr(f, SHARED, SHARED));
	EXPECT_EQ(SHARED, iattr(f));
	/* IMMUTABLE is the ordinary flag (lsattr shows 'i'). */
	fd = open(f, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &fl));
	EXPECT_TRUE(fl & FS_IMMUTABLE_FL);
	/* IXUNLINK lives in security.vserver. */
	EXPECT_EQ(4, getxattr(f, VX_XATTR_IATTR, &fl, sizeof(fl)));
	EXPECT_EQ(IATTR_IXUNLINK, fl);
	/* Not even the host writes it directly (cp -a must not copy it). */
	EXPECT_EQ(-1, setxattr(f, VX_XATTR_IATTR, &fl, sizeof(fl), 0));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, vs_fget_iattr(fd, &flags, NULL));
	EXPECT_EQ(SHARED | IATTR_TAG, flags);
	ASSERT_EQ(0, vs_fset_iattr(fd, 0, IATTR_IMMUTABLE));
	EXPECT_EQ(IATTR_IXUNLINK, iattr(f));
	close(fd);
	ASSERT_EQ(0, vs_set_iattr(f, 0, SHARED));
	EXPECT_EQ(0, iattr(f));
	EXPECT_EQ(-1, getxattr(f, VX_XATTR_IATTR, &fl, sizeof(fl)));
	/* Directories: barrier and cow. */
	ASSERT_EQ(0, vs_get_iattr(self->a, &flags, &mask));
	EXPECT_EQ(IATTR_IXUNLINK | IATTR_IMMUTABLE | IATTR_BARRIER, mask);
	ASSERT_EQ(0, vs_set_iattr(self->a, IATTR_BARRIER, IATTR_BARRIER));
	EXPECT_EQ(IATTR_BARRIER, iattr(self->a));
}

static int guest_set_iattr(void *arg)
{
	return vs_set_iattr(arg, 0, IATTR_IMMUTABLE) == -EPERM ? 0 : 1;
}

static int guest_forge_xattr(void *arg)
{
	uint32_t v = IATTR_IXUNLINK;

	if (setxattr(arg, VX_XATTR_IATTR, &v, 4, 0) != -1 || errno != EPERM)
		return 1;
	if (removexattr(arg, VX_XATTR_IATTR) != -1 || errno != EPERM)
		return 2;
	return 0;
}

static int nobody_set_iattr(void *arg)
{
	drop_privileges();
	return vs_set_iattr(arg, IATTR_IMMUTABLE, IATTR_IMMUTABLE) == -EPERM ?
	       0 : 1;
}

TEST_F(fs, errors)
{
	struct vcmd_iattr arg = { 0 };
	char f[200];

	snprintf(f, sizeof(f), "%s/f", self->dir);
	ASSERT_EQ(0, write_file(f, "x"));
	EXPECT_EQ(-ENOENT, vs_set_iattr("/nonexistent/x", 0, IATTR_COW));
	EXPECT_EQ(-ENOENT, vs_get_iattr("/nonexistent/x", &arg.flags, NULL));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_iattr, 0, BAD_PTR));
	arg.name = 1;
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_iattr, 0, &arg));
	EXPECT_EQ(-EINVAL, vs_set_iattr(f, 0, IATTR_HIDE));
	EXPECT_EQ(-EINVAL, vs_set_iattr(f, 0, 0x10000000));
	EXPECT_EQ(-EINVAL, vs_set_iattr(f, IATTR_BARRIER, IATTR_BARRIER));
	EXPECT_EQ(-EINVAL, vs_set_iattr(self->a, IATTR_COW, IATTR_COW));
	EXPECT_EQ(-EBADF, vs_fset_iattr(-1, 0, IATTR_COW));
	EXPECT_EQ(-EBADF, vs_fget_iattr(9999, &arg.flags, NULL));
	/* A user without capabilities (non-owner of the file), a guest. */
	EXPECT_EQ(0, in_child(nobody_set_iattr, f));
	/* A guest can neither set attributes nor forge the xattr. */
	EXPECT_EQ(0, in_guest(21001, guest_set_iattr, f));
	EXPECT_EQ(0, in_guest(21001, guest_forge_xattr, f));
	EXPECT_EQ(0, iattr(f));
	ASSERT_EQ(0, vs_set_iattr(f, SHARED, SHARED));
	EXPECT_EQ(0, in_guest(21001, guest_set_iattr, f));
	EXPECT_EQ(SHARED, iattr(f));
}

TEST_F(fs, unlink_rules)
{
	char f[200], g[200], h[200];
	int fd;

	snprintf(f, sizeof(f), "%s/f", self->dir);
	snprintf(g, sizeof(g), "%s/g", self->dir);
	snprintf(h, sizeof(h), "%s/h", self->dir);
	ASSERT_EQ(0, write_file(f, "x"));
	ASSERT_EQ(0, write_file(g, "y"));
	/* Plain immutable: no unlink, rename, link or write. */
	ASSERT_EQ(0, vs_set_iattr(f, IATTR_IMMUTABLE, IATTR_IMMUTABLE));
	EXPECT_EQ(-1, unlink(f));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, rename(f, h));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, link(f, h));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, open(f, O_WRONLY));
	EXPECT_EQ(EPERM, errno);
	/* iunlink-but-not-immutable may not be unlinked either. */
	ASSERT_EQ(0, vs_set_iattr(g, IATTR_IXUNLINK, IATTR_IXUNLINK));
	EXPECT_EQ(-1, unlink(g));
	EXPECT_EQ(EPERM, errno);
	/* Immutable + iunlink: unlink, rename and link work, writes not. */
	ASSERT_EQ(0, vs_set_iattr(f, SHARED, SHARED));
	fd = open(f, O_WRONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno);	/* the host never breaks links */
	EXPECT_EQ(0, link(f, h));
	snprintf(g, sizeof(g), "%s/k", self->dir);
	EXPECT_EQ(0, rename(h, g));
	EXPECT_EQ(0, unlink(g));
	EXPECT_EQ(0, unlink(f));
	EXPECT_FALSE(exists(f));
}

static int guest_unlink_rename(void *arg)
{
	char *dir = arg, f[200], g[200];

	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(g, sizeof(g), "%s/g", dir);
	if (rename(f, g))
		return 1;
	if (unlink(g))
		return 2;
	return 0;
}

static int guest_write_immutable(void *arg)
{
	return open(arg, O_WRONLY) == -1 && errno == EPERM ? 0 : 1;
}

TEST_F(fs, guest_unlink_rename)
{
	char s[200], x[200];

	ASSERT_EQ(0, make_shared(_metadata, self, "f", "orig"));
	snprintf(s, sizeof(s), "%s/f", self->store);
	EXPECT_EQ(3, nlink(s));
	EXPECT_EQ(0, in_guest(21002, guest_unlink_rename, self->a));
	EXPECT_EQ(2, nlink(s));
	EXPECT_STREQ("orig", contents(s));
	/* Immutable without iunlink: a guest gets EPERM, no copy. */
	snprintf(x, sizeof(x), "%s/x", self->b);
	ASSERT_EQ(0, write_file(x, "x"));
	ASSERT_EQ(0, vs_set_iattr(x, IATTR_IMMUTABLE, IATTR_IMMUTABLE));
	EXPECT_EQ(0, in_guest(21002, guest_write_immutable, x));
	EXPECT_STREQ("x", contents(x));
}

TEST_F(fs, guest_write_breaks_link)
{
	char s[200], a[200], b[200], note[8] = "";
	struct stat sa, ss;

	ASSERT_EQ(0, make_shared(_metadata, self, "f", "orig"));
	snprintf(s, sizeof(s), "%s/f", self->store);
	snprintf(a, sizeof(a), "%s/f", self->a);
	snprintf(b, sizeof(b), "%s/f", self->b);
	guest_path = a;
	EXPECT_EQ(0, in_guest(21003, guest_append, "A"));
	EXPECT_STREQ("origA", contents(a));
	EXPECT_STREQ("orig", contents(b));
	EXPECT_STREQ("orig", contents(s));
	EXPECT_EQ(1, nlink(a));
	EXPECT_EQ(2, nlink(s));
	EXPECT_EQ(ino(s), ino(b));
	EXPECT_NE(ino(s), ino(a));
	/* The copy keeps owner, mode and xattrs, not the shared attrs. */
	ASSERT_EQ(0, stat(a, &sa));
	ASSERT_EQ(0, stat(s, &ss));
	EXPECT_EQ(ss.st_uid, sa.st_uid);
	EXPECT_EQ(ss.st_gid, sa.st_gid);
	EXPECT_EQ(ss.st_mode, sa.st_mode);
	EXPECT_EQ(0, iattr(a));
	EXPECT_EQ(SHARED, iattr(s));
	if (getxattr(s, "user.note", note, sizeof(note)) == 4) {
		memset(note, 0, sizeof(note));
		EXPECT_EQ(4, getxattr(a, "user.note", note, sizeof(note)));
		EXPECT_STREQ("kept", note);
	}
	/* A second write goes to the private copy; no temporary left. */
	EXPECT_EQ(0, in_guest(21003, guest_append, "B"));
	EXPECT_STREQ("origAB", contents(a));
}

static int guest_truncate(void *arg)
{
	return truncate(arg, 2) ? 1 : 0;
}

static int guest_open_trunc(void *arg)
{
	int fd = open(arg, O_RDWR | O_TRUNC);

	if (fd < 0)
		return 1;
	if (write(fd, "new", 3) != 3)
		return 2;
	return close(fd) ? 3 : 0;
}

static int guest_chmod(void *arg)
{
	return chmod(arg, 0600) ? 1 : 0;
}

static int guest_chown(void *arg)
{
	return chown(arg, 42, 43) ? 1 : 0;
}

static int guest_utimes(void *arg)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };

	return utimes(arg, tv) ? 1 : 0;
}

static int guest_setxattr(void *arg)
{
	return setxattr(arg, "user.mine", "1", 1, 0) ? errno : 0;
}

TEST_F(fs, guest_changes_break_link)
{
	static const struct {
		const char *name;
		int (*fn)(void *);
	} ops[] = {
		{ "t", guest_truncate }, { "o", guest_open_trunc },
		{ "m", guest_chmod }, { "c", guest_chown },
		{ "u", guest_utimes }, { "x", guest_setxattr },
	};
	char s[200], a[200], b[200];
	struct stat sa;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		int ret;

		ASSERT_EQ(0, make_shared(_metadata, self, ops[i].name, "orig"));
		snprintf(s, sizeof(s), "%s/%s", self->store, ops[i].name);
		snprintf(a, sizeof(a), "%s/%s", self->a, ops[i].name);
		snprintf(b, sizeof(b), "%s/%s", self->b, ops[i].name);
		ret = in_guest(21004, ops[i].fn, a);
		if (ops[i].fn == guest_setxattr && ret == ENOTSUP)
			continue;
		EXPECT_EQ(0, ret) TH_LOG("operation %s", ops[i].name);
		EXPECT_EQ(1, nlink(a)) TH_LOG("operation %s", ops[i].name);
		EXPECT_EQ(2, nlink(s)) TH_LOG("operation %s", ops[i].name);
		EXPECT_STREQ("orig", contents(b));
		EXPECT_STREQ("orig", contents(s));
		EXPECT_EQ(SHARED, iattr(b));
		ASSERT_EQ(0, stat(a, &sa));
		if (ops[i].fn == guest_truncate) {
			EXPECT_STREQ("or", contents(a));
		} else if (ops[i].fn == guest_open_trunc) {
			EXPECT_STREQ("new", contents(a));
		} else {
			EXPECT_STREQ("orig", contents(a));
		}
		if (ops[i].fn == guest_chmod) {
			EXPECT_EQ(0600, sa.st_mode & 07777);
		}
		if (ops[i].fn == guest_chown) {
			EXPECT_EQ(42, sa.st_uid);
		}
		if (ops[i].fn == guest_utimes) {
			EXPECT_EQ(2000, sa.st_mtime);
		}
	}
}

TEST_F(fs, single_link_just_unshares)
{
	char f[200];
	ino_t before;

	snprintf(f, sizeof(f), "%s/f", self->a);
	ASSERT_EQ(0, write_file(f, "solo"));
	ASSERT_EQ(0, vs_set_iattr(f, SHARED, SHARED));
	before = ino(f);
	guest_path = f;
	EXPECT_EQ(0, in_guest(21005, guest_append, "!"));
	EXPECT_STREQ("solo!", contents(f));
	EXPECT_EQ(before, ino(f));
	EXPECT_EQ(0, iattr(f));
}

static int guest_racers(void *arg)
{
	int i, status, bad = 0;

	for (i = 0; i < 8; i++) {
		if (fork() == 0) {
			char c[2] = { 'a' + i, 0 };

			_exit(guest_append(c));
		}
	}
	for (i = 0; i < 8; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	return bad;
}

TEST_F(fs, concurrent_writers_break_once)
{
	char s[200], a[200], cmd[300];
	const char *c;
	int i;

	ASSERT_EQ(0, make_shared(_metadata, self, "f", "orig"));
	snprintf(s, sizeof(s), "%s/f", self->store);
	snprintf(a, sizeof(a), "%s/f", self->a);
	guest_path = a;
	EXPECT_EQ(0, in_guest(21006, guest_racers, NULL));
	/* One private copy holding every append. */
	c = contents(a);
	EXPECT_EQ(12, strlen(c));
	EXPECT_EQ(0, strncmp(c, "orig", 4));
	for (i = 0; i < 8; i++)
		EXPECT_TRUE(strchr(c + 4, 'a' + i) != NULL);
	EXPECT_EQ(1, nlink(a));
	EXPECT_EQ(2, nlink(s));
	EXPECT_STREQ("orig", contents(s));
	/* No temporary names left behind. */
	snprintf(cmd, sizeof(cmd), "ls -a %s | grep -q vxcow", self->a);
	EXPECT_NE(0, system(cmd));
}

/*
 * The chroot barrier: DIR/vservers carries BARRIER, the guest lives in
 * DIR/vservers/g1; DIR/secret is outside.
 */
struct escape {
	char root[200];
	char secret[200];
	struct file_handle *fh;
};

static int secret_visible(void)
{
	/* Relative to wherever the escape attempt ended up. */
	return exists("secret") || exists("../secret") ||
	       exists("../../secret") || exists("/secret");
}

static int escape_double_chroot(void *arg)
{
	int fd, i;

	if (chroot(".") || chdir("/"))
		return 90;
	mkdir("/jail", 0755);
	fd = open("/", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || chroot("/jail"))
		return 91;
	if (fchdir(fd))
		return 92;
	for (i = 0; i < 20; i++)
		if (chdir(".."))
			break;
	return secret_visible() || (chroot(".") == 0 && secret_visible()) ?
	       1 : 0;
}

static int escape_dotdot(void *arg)
{
	int fd;

	/* Unconfined (no chroot): walking up must stop at the barrier. */
	if (chdir("..") == 0 || errno != EACCES)
		return 1;
	if (open("../../secret", O_RDONLY) >= 0 || errno != EACCES)
		return 2;
	fd = open("..", O_RDONLY | O_DIRECTORY);
	if (fd >= 0)
		return 3;
	fd = open("..", O_PATH);
	if (fd >= 0 && (fchdir(fd) == 0 || openat(fd, "..", O_PATH) >= 0))
		return 4;
	return secret_visible() ? 5 : 0;
}

static int escape_by_handle(void *arg)
{
	struct escape *e = arg;
	int mfd, fd;

	if (chroot(".") || chdir("/"))
		return 90;
	mfd = open("/", O_RDONLY | O_DIRECTORY);
	if (mfd < 0)
		return 91;
	fd = syscall(SYS_open_by_handle_at, mfd, e->fh, O_RDONLY);
	if (fd >= 0)
		return 1;
	return errno == EPERM || errno == EACCES ? 0 : 2;
}

static int escape_by_path(void *arg)
{
	struct escape *e = arg;

	return chdir(e->root) == 0 || errno != EACCES;
}

static int host_dotdot(void *arg)
{
	struct escape *e = arg;

	return chdir(e->root) || chdir("../..") || !exists("secret");
}

TEST_F(fs, barrier)
{
	struct escape e;
	char vs[180];
	int mount_id;

	snprintf(vs, sizeof(vs), "%s/vservers", self->dir);
	snprintf(e.root, sizeof(e.root), "%s/g1", vs);
	snprintf(e.secret, sizeof(e.secret), "%s/secret", self->dir);
	ASSERT_EQ(0, mkdir(vs, 0755));
	ASSERT_EQ(0, mkdir(e.root, 0755));
	ASSERT_EQ(0, write_file(e.secret, "s"));
	ASSERT_EQ(0, vs_set_iattr(vs, IATTR_BARRIER, IATTR_BARRIER));
	e.fh = malloc(sizeof(*e.fh) + MAX_HANDLE_SZ);
	e.fh->handle_bytes = MAX_HANDLE_SZ;
	ASSERT_EQ(0, syscall(SYS_name_to_handle_at, AT_FDCWD, e.secret, e.fh,
			     &mount_id, 0));
	/* The host passes the barrier. */
	EXPECT_EQ(0, in_child(host_dotdot, &e));
	EXPECT_EQ(0, in_guest_at(21007, e.root, escape_double_chroot, &e));
	EXPECT_EQ(0, in_guest_at(21007, e.root, escape_dotdot, &e));
	EXPECT_EQ(0, in_guest_at(21007, e.root, escape_by_handle, &e));
	/* Through the barrier by path: not even to its own root. */
	EXPECT_EQ(0, in_guest(21007, escape_by_path, &e));
	free(e.fh);
}

/*
 * Changes through a descriptor of a shared file: the descriptor refers
 * to the shared inode and a break cannot re-point it, so each fails with
 * EPERM, also when the name is reached again through /proc/self/fd or
 * AT_EMPTY_PATH after a break, and the other link keeps its attributes.
 */
static int guest_fd_changes(void *arg)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	char proc[64];
	int fd = open(arg, O_RDONLY), wfd;

	if (fd < 0)
		return 10;
	if (fchmod(fd, 0600) != -1 || errno != EPERM)
		return 1;
	if (fchown(fd, 42, 43) != -1 || errno != EPERM)
		return 2;
	if (futimens(fd, ts) != -1 || errno != EPERM)
		return 3;
	if (fsetxattr(fd, "user.mine", "1", 1, 0) != -1 || errno != EPERM)
		return 4;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	wfd = open(proc, O_WRONLY | O_APPEND);
	if (wfd >= 0) {
		if (write(wfd, "X", 1) != 1)
			return 11;
		return 5;
	}
	if (errno != EPERM)
		return 6;
	if (fchownat(fd, "", 42, 43, AT_EMPTY_PATH) != -1 || errno != EPERM)
		return 7;
	if (chmod(proc, 0600) != -1 || errno != EPERM)
		return 8;
	return close(fd) ? 9 : 0;
}

TEST_F(fs, fd_changes_of_shared_file)
{
	char s[200], a[200];
	struct stat st;

	/* Two links only: after a break the store's is the last one. */
	snprintf(s, sizeof(s), "%s/d", self->store);
	snprintf(a, sizeof(a), "%s/d", self->a);
	ASSERT_EQ(0, write_file(s, "orig"));
	ASSERT_EQ(0, chmod(s, 0644));
	ASSERT_EQ(0, vs_set_iattr(s, SHARED, SHARED));
	ASSERT_EQ(0, link(s, a));
	EXPECT_EQ(0, in_guest(21008, guest_fd_changes, a));
	EXPECT_EQ(SHARED, iattr(s));
	EXPECT_STREQ("orig", contents(s));
	ASSERT_EQ(0, stat(s, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_STREQ("orig", contents(a));
}

/* FIOC_GETXFLG / FIOC_SETXFLG: the attributes of an open file. */
static int guest_xflg(void *arg)
{
	int fd = open(arg, O_RDONLY), v = 0;

	if (fd < 0)
		return 10;
	if (ioctl(fd, FIOC_GETXFLG, &v) || v != SHARED)
		return 1;
	v = 0;
	if (ioctl(fd, FIOC_SETXFLG, &v) != -1 || errno != EPERM)
		return 2;
	return close(fd) ? 3 : 0;
}

static int nobody_xflg(void *arg)
{
	int fd = open(arg, O_RDONLY), v = IATTR_IMMUTABLE;

	drop_privileges();
	if (fd < 0)
		return 10;
	return ioctl(fd, FIOC_SETXFLG, &v) == -1 && errno == EPERM ? 0 : 1;
}

TEST_F(fs, xflg_ioctl)
{
	char f[200];
	int fd, dfd, v = -1;
	long flags = 0;

	snprintf(f, sizeof(f), "%s/f", self->dir);
	ASSERT_EQ(0, write_file(f, "x"));
	fd = open(f, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ioctl(fd, FIOC_GETXFLG, &v));
	EXPECT_EQ(0, v);
	v = SHARED;
	EXPECT_EQ(0, ioctl(fd, FIOC_SETXFLG, &v));
	EXPECT_EQ(SHARED, iattr(f));
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	EXPECT_TRUE(flags & FS_IMMUTABLE_FL);
	v = 0;
	EXPECT_EQ(0, ioctl(fd, FIOC_GETXFLG, &v));
	EXPECT_EQ(SHARED, v);
	/* Guests read but cannot set; nor can a user without capabilities. */
	EXPECT_EQ(0, in_guest(21009, guest_xflg, f));
	EXPECT_EQ(0, in_child(nobody_xflg, f));
	EXPECT_EQ(SHARED, iattr(f));
	/* Bits a regular file cannot carry, unknown bits, bad pointers. */
	v = IATTR_BARRIER;
	EXPECT_EQ(-1, ioctl(fd, FIOC_SETXFLG, &v));
	EXPECT_EQ(EINVAL, errno);
	v = 0x10000000;
	EXPECT_EQ(-1, ioctl(fd, FIOC_SETXFLG, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, FIOC_GETXFLG, BAD_PTR));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, FIOC_SETXFLG, BAD_PTR));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(SHARED, iattr(f));
	/* SETXFLG sets all attributes: 0 clears them. */
	v = 0;
	EXPECT_EQ(0, ioctl(fd, FIOC_SETXFLG, &v));
	EXPECT_EQ(0, iattr(f));
	EXPECT_EQ(0, close(fd));
	/* A directory carries the barrier. */
	dfd = open(self->a, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	v = IATTR_BARRIER;
	EXPECT_EQ(0, ioctl(dfd, FIOC_SETXFLG, &v));
	EXPECT_EQ(IATTR_BARRIER, iattr(self->a));
	v = 0;
	EXPECT_EQ(0, ioctl(dfd, FIOC_SETXFLG, &v));
	EXPECT_EQ(0, iattr(self->a));
	EXPECT_EQ(0, close(dfd));
}

/* ---- /proc entries: IATTR_HIDE, _WATCH, _ADMIN ---- */

#define PROC_ENTRY	"/proc/buddyinfo"

/* Is @name listed in /proc? */
static int proc_lists(const char *name)
{
	struct dirent *d;
	DIR *dir = opendir("/proc");
	int found = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (!strcmp(d->d_name, name))
			found = 1;
	closedir(dir);
	return found;
}

/* 0 if the entry is visible (found, listed, opened), 1 if hidden. */
static int proc_entry_hidden(void)
{
	struct stat st;
	int fd, seen = 0;

	seen += !stat(PROC_ENTRY, &st);
	seen += proc_lists("buddyinfo") == 1;
	fd = open(PROC_ENTRY, O_RDONLY);
	seen += fd >= 0;
	if (fd >= 0)
		close(fd);
	if (seen == 3)
		return 0;
	return seen == 0 && errno == ENOENT ? 1 : 2;
}

static int guest_sees_proc_entry(void *arg)
{
	return proc_entry_hidden();
}

static int spectator_sees_proc_entry(void *arg)
{
	if (vs_ctx_migrate(VX_ID_SPECTATOR, 0))
		return 3;
	return proc_entry_hidden();
}

static int guest_hides_proc_entry(void *arg)
{
	return vs_set_iattr(PROC_ENTRY, IATTR_HIDE, IATTR_HIDE) == -EPERM ? 0 : 1;
}

TEST(proc_hide)
{
	uint32_t flags, mask;

	NEED_VSERVER();
	if (!exists(PROC_ENTRY))
		SKIP(return, "no " PROC_ENTRY);
	ASSERT_EQ(0, vs_get_iattr(PROC_ENTRY, &flags, &mask));
	EXPECT_EQ(0, flags & IATTR_FLAGS);
	EXPECT_EQ(IATTR_FLAGS, mask);
	/* The guest's dentry is cached before the entry is hidden. */
	EXPECT_EQ(0, in_guest(21050, guest_sees_proc_entry, NULL));
	ASSERT_EQ(0, vs_set_iattr(PROC_ENTRY, IATTR_HIDE, IATTR_HIDE));
	EXPECT_EQ(0, vs_get_iattr(PROC_ENTRY, &flags, NULL));
	EXPECT_EQ(IATTR_HIDE, flags & IATTR_FLAGS);
	/* The host always sees it; a guest and the spectator do not. */
	EXPECT_EQ(0, proc_entry_hidden());
	EXPECT_EQ(1, in_guest(21050, guest_sees_proc_entry, NULL));
	EXPECT_EQ(1, in_child(spectator_sees_proc_entry, NULL));
	/* WATCH lets the spectator see it, still no guest. */
	EXPECT_EQ(0, vs_set_iattr(PROC_ENTRY, IATTR_WATCH, IATTR_WATCH));
	EXPECT_EQ(0, in_child(spectator_sees_proc_entry, NULL));
	EXPECT_EQ(1, in_guest(21050, guest_sees_proc_entry, NULL));
	EXPECT_EQ(0, in_guest(21050, guest_hides_proc_entry, NULL));
	/* Cleared, the guest sees it again. */
	EXPECT_EQ(0, vs_set_iattr(PROC_ENTRY, 0, IATTR_FLAGS));
	EXPECT_EQ(0, in_guest(21050, guest_sees_proc_entry, NULL));
	EXPECT_EQ(0, vs_get_iattr(PROC_ENTRY, &flags, NULL));
	EXPECT_EQ(0, flags & IATTR_FLAGS);
}

TEST(proc_hide_errors)
{
	uint32_t flags, mask;

	NEED_VSERVER();
	if (!exists(PROC_ENTRY))
		SKIP(return, "no " PROC_ENTRY);
	/* Only HIDE, ADMIN and WATCH fit a /proc entry. */
	EXPECT_EQ(-EINVAL, vs_set_iattr(PROC_ENTRY, 0, IATTR_IMMUTABLE));
	EXPECT_EQ(-EINVAL, vs_set_iattr(PROC_ENTRY, 0, IATTR_HIDE |
					IATTR_IXUNLINK));
	/*
	 * Processes' entries follow the processes: asking for them to be
	 * visible (vprocunhide's "/proc/net/") succeeds, hiding cannot.
	 */
	EXPECT_EQ(0, vs_get_iattr("/proc/self/status", &flags, &mask));
	EXPECT_EQ(IATTR_FLAGS, mask);
	EXPECT_EQ(0, flags & IATTR_FLAGS);
	EXPECT_EQ(-EOPNOTSUPP, vs_set_iattr("/proc/self/status", IATTR_HIDE,
					    IATTR_HIDE));
	EXPECT_EQ(0, vs_set_iattr("/proc/self/net", 0, IATTR_HIDE));
	EXPECT_EQ(-EINVAL, vs_set_iattr("/proc/sys/kernel/hostname", 0,
					IATTR_COW));
	/* Nothing was changed. */
	EXPECT_EQ(0, vs_get_iattr(PROC_ENTRY, &flags, NULL));
	EXPECT_EQ(0, flags & IATTR_FLAGS);
}

/* ---- sysctl entries: the same attributes, kept by path ---- */

#define SYSCTL_LEAF	"/proc/sys/kernel/ostype"
#define SYSCTL_DIR	"/proc/sys/kernel/random"

/* 0 if "kernel/ostype" and "kernel/random/boot_id" are visible, 1 if not. */
static int sysctls_hidden(void *arg)
{
	struct stat st;
	int seen = 0;

	seen += !stat(SYSCTL_LEAF, &st);
	seen += dir_lists("/proc/sys/kernel", "ostype") == 1;
	seen += !stat(SYSCTL_DIR "/boot_id", &st);
	seen += dir_lists("/proc/sys/kernel", "random") == 1;
	if (seen == 4)
		return 0;
	return seen == 0 ? 1 : 2;
}

static int spectator_sysctls_hidden(void *arg)
{
	if (vs_ctx_migrate(VX_ID_SPECTATOR, 0))
		return 3;
	return sysctls_hidden(arg);
}

TEST(sysctl_hide)
{
	uint32_t flags, mask;

	NEED_VSERVER();
	ASSERT_EQ(0, vs_get_iattr(SYSCTL_LEAF, &flags, &mask));
	EXPECT_EQ(0, flags & IATTR_FLAGS);
	EXPECT_EQ(IATTR_FLAGS, mask);
	/* Looked up by a guest first: its cached dentries must not help. */
	EXPECT_EQ(0, in_guest(21051, sysctls_hidden, NULL));
	/* vprocunhide's "-" prefix: --admin --hide. */
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_LEAF, IATTR_ADMIN | IATTR_HIDE,
				  IATTR_ADMIN | IATTR_HIDE));
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_DIR, IATTR_ADMIN | IATTR_HIDE,
				  IATTR_ADMIN | IATTR_HIDE));
	EXPECT_EQ(0, vs_get_iattr(SYSCTL_DIR, &flags, NULL));
	EXPECT_EQ(IATTR_ADMIN | IATTR_HIDE, flags & IATTR_FLAGS);
	/* The host sees them; the guest and the spectator do not. */
	EXPECT_EQ(0, sysctls_hidden(NULL));
	EXPECT_EQ(1, in_guest(21051, sysctls_hidden, NULL));
	EXPECT_EQ(1, in_child(spectator_sysctls_hidden, NULL));
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_LEAF, IATTR_WATCH, IATTR_WATCH));
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_DIR, IATTR_WATCH, IATTR_WATCH));
	EXPECT_EQ(0, in_child(spectator_sysctls_hidden, NULL));
	EXPECT_EQ(1, in_guest(21051, sysctls_hidden, NULL));
	/* vprocunhide's plain lines: --!hide. */
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_LEAF, 0, IATTR_FLAGS));
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_DIR, 0, IATTR_HIDE));
	EXPECT_EQ(0, in_guest(21051, sysctls_hidden, NULL));
	ASSERT_EQ(0, vs_set_iattr(SYSCTL_DIR, 0, IATTR_FLAGS));
	EXPECT_EQ(0, vs_get_iattr(SYSCTL_DIR, &flags, NULL));
	EXPECT_EQ(0, flags & IATTR_FLAGS);
}

TEST_HARNESS_MAIN
