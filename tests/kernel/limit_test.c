// SPDX-License-Identifier: GPL-2.0
/*
 * Per-context resource limits: the commands and their error paths, and
 * every enforced limit failing with the expected errno exactly at the
 * limit, counting a hit, and taking effect at once when raised.
 *
 * Each test creates its own context (xids 22000-22999) and stays in it
 * during setup, so it may set its own limits.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

static long cur(uint32_t xid, uint32_t id)
{
	struct vcmd_rlimit_stat st;

	if (vs_rlimit_stat(xid, id, &st))
		return -1;
	return (long)st.value;
}

static long hits(uint32_t xid, uint32_t id)
{
	struct vcmd_rlimit_stat st;

	if (vs_rlimit_stat(xid, id, &st))
		return -1;
	return st.hits;
}

static long vmax_of(uint32_t xid, uint32_t id)
{
	struct vcmd_rlimit_stat st;

	if (vs_rlimit_stat(xid, id, &st))
		return -1;
	return (long)st.maximum;
}

static int hard(uint32_t xid, uint32_t id, uint64_t v)
{
	return vs_set_rlimit(xid, id, CRLIM_KEEP, CRLIM_KEEP, v);
}

/* Wait (up to 2 s) until resource @id of @xid is back to @want. */
static long settle(uint32_t xid, uint32_t id, long want)
{
	long v = cur(xid, id);
	int i;

	for (i = 0; i < 200 && v != want; i++) {
		usleep(10000);
		v = cur(xid, id);
	}
	return v;
}

static void enter(struct __test_metadata *_metadata, uint32_t xid)
{
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
}

TEST(rlimit_mask)
{
	struct vcmd_ctx_rlimit_mask m;
	uint32_t want = 1U << RLIMIT_NPROC | 1U << RLIMIT_NOFILE |
			1U << RLIMIT_LOCKS | 1U << RLIMIT_AS | 1U << RLIMIT_MSGQUEUE |
			1U << VLIMIT_NSOCK | 1U << VLIMIT_OPENFD |
			1U << VLIMIT_SHMEM | 1U << VLIMIT_SEMARY |
			1U << VLIMIT_NSEMS;

	NEED_VSERVER();
	ASSERT_EQ(0, vs_get_rlimit_mask(&m));
	EXPECT_EQ(want, m.maximum);
	/* RSS has a soft limit (fork_rss) but no hard one. */
	EXPECT_EQ(want | 1U << RLIMIT_RSS, m.softlimit);
	EXPECT_EQ(want | 1U << RLIMIT_RSS, m.minimum);
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_rlimit_mask, 0, NULL));
	/* Anybody may ask, even inside a guest without privileges. */
	enter(_metadata, 22000);
	drop_privileges();
	EXPECT_EQ(0, vs_get_rlimit_mask(&m));
}

TEST(defaults_and_set)
{
	struct vcmd_ctx_rlimit lim;

	NEED_VSERVER();
	enter(_metadata, 22001);
	ASSERT_EQ(0, vs_get_rlimit(22001, RLIMIT_NPROC, &lim));
	EXPECT_EQ(0, lim.minimum);
	EXPECT_EQ(CRLIM_INFINITY, lim.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, lim.maximum);
	/* A hard limit alone pulls the soft limit down with it. */
	ASSERT_EQ(0, vs_set_rlimit(22001, RLIMIT_NPROC, CRLIM_KEEP,
				   CRLIM_KEEP, 100));
	ASSERT_EQ(0, vs_get_rlimit(VX_ID_SELF, RLIMIT_NPROC, &lim));
	EXPECT_EQ(0, lim.minimum);
	EXPECT_EQ(100, lim.softlimit);
	EXPECT_EQ(100, lim.maximum);
	ASSERT_EQ(0, vs_set_rlimit(22001, RLIMIT_NPROC, 3, 50, CRLIM_KEEP));
	ASSERT_EQ(0, vs_get_rlimit(22001, RLIMIT_NPROC, &lim));
	EXPECT_EQ(3, lim.minimum);
	EXPECT_EQ(50, lim.softlimit);
	EXPECT_EQ(100, lim.maximum);
	/* Other resources are untouched. */
	ASSERT_EQ(0, vs_get_rlimit(22001, RLIMIT_NOFILE, &lim));
	EXPECT_EQ(CRLIM_INFINITY, lim.maximum);
}

TEST(set_rlimit_errors)
{
	struct vcmd_ctx_rlimit lim = { .id = RLIMIT_NPROC,
				       .minimum = CRLIM_KEEP,
				       .softlimit = CRLIM_KEEP,
				       .maximum = 10 };
	struct vcmd_rlimit_stat st;
	pid_t pid;
	int status;

	NEED_VSERVER();
	/* No such context. */
	EXPECT_EQ(-ESRCH, vsc(VCMD_set_rlimit, 22999, &lim));
	EXPECT_EQ(-ESRCH, vsc(VCMD_get_rlimit, 22999, &lim));
	EXPECT_EQ(-ESRCH, vsc(VCMD_rlimit_stat, 22999, &lim));
	EXPECT_EQ(-ESRCH, vsc(VCMD_reset_hits, 22999, NULL));
	EXPECT_EQ(-ESRCH, vsc(VCMD_reset_minmax, 22999, NULL));
	enter(_metadata, 22002);
	/* Bad pointers. */
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_rlimit, 22002, NULL));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_rlimit, 22002, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_rlimit_stat, 22002, NULL));
	/* Resources without a per-context limit. */
	lim.id = RLIMIT_CPU;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_rlimit, 22002, &lim));
	EXPECT_EQ(-EINVAL, vsc(VCMD_get_rlimit, 22002, &lim));
	lim.id = VLIMIT_NR;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_rlimit, 22002, &lim));
	lim.id = 0xffffffff;
	EXPECT_EQ(-EINVAL, vsc(VCMD_get_rlimit, 22002, &lim));
	EXPECT_EQ(-EINVAL, vsc(VCMD_rlimit_stat, 22002, &lim));
	/* RSS has no hard limit here (the memory cgroup's job). */
	EXPECT_LT(0, cur(22002, RLIMIT_RSS));
	lim.id = RLIMIT_RSS;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_rlimit, 22002, &lim));
	/* The padding of the legacy layout is ignored (util-vserver). */
	lim.id = RLIMIT_NPROC;
	lim.pad = 0xdeadbeef;
	EXPECT_EQ(0, vsc(VCMD_set_rlimit, 22002, &lim));

	/* After setup, the guest may read its limits but not change them. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (vs_set_cflags(22002, 0, VXF_STATE_SETUP))
			_exit(10);
		if (vs_set_rlimit(22002, RLIMIT_NPROC, CRLIM_KEEP,
				  CRLIM_KEEP, 20) != -EPERM)
			_exit(11);
		if (vs_reset_hits(22002) != -EPERM)
			_exit(12);
		if (vs_reset_minmax(22002) != -EPERM)
			_exit(14);
		/* Another context is invisible to a guest. */
		if (vs_rlimit_stat(1, RLIMIT_NPROC, &st) != -ESRCH ||
		    vs_get_rlimit(0, RLIMIT_NPROC, &lim) != -ESRCH)
			_exit(15);
		if (vs_get_rlimit(22002, RLIMIT_NPROC, &lim) ||
		    lim.maximum != 10)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(unprivileged_host_cannot_set)
{
	pid_t pid;
	int status, fd;

	NEED_VSERVER();
	fd = spawn_ctx(22003, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		drop_privileges();
		if (hard(22003, RLIMIT_NPROC, 5) != -EPERM ||
		    vs_reset_hits(22003) != -EPERM ||
		    vs_reset_minmax(22003) != -EPERM)
			_exit(1);
		/* Reading is allowed. */
		_exit(cur(22003, RLIMIT_NPROC) == 1 ? 0 : 2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, end_ctx(fd, 22003));
}

TEST(nproc_at_the_limit)
{
	pid_t kids[8];
	int i, n = 0;
	pid_t pid;

	NEED_VSERVER();
	enter(_metadata, 22010);
	ASSERT_EQ(1, cur(22010, RLIMIT_NPROC));
	ASSERT_EQ(0, hard(22010, RLIMIT_NPROC, 4));
	for (i = 0; i < 8; i++) {
		pid = fork();
		if (pid == 0) {
			pause();
			_exit(0);
		}
		if (pid < 0)
			break;
		kids[n++] = pid;
	}
	/* Three children and the test make four; the fourth fork fails. */
	EXPECT_EQ(3, n);
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(4, cur(22010, RLIMIT_NPROC));
	EXPECT_EQ(1, hits(22010, RLIMIT_NPROC));
	/* Raising the limit works at once. */
	ASSERT_EQ(0, hard(22010, RLIMIT_NPROC, 5));
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	ASSERT_LT(0, pid);
	kids[n++] = pid;
	EXPECT_EQ(5, cur(22010, RLIMIT_NPROC));
	for (i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	EXPECT_EQ(1, settle(22010, RLIMIT_NPROC, 1));
	/* Threads count too: a clone() beyond the limit fails. */
	ASSERT_EQ(0, hard(22010, RLIMIT_NPROC, 1));
	EXPECT_EQ(-1, fork());
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(2, hits(22010, RLIMIT_NPROC));
}

/* A fork bomb in a guest stops at its limit; the host still forks. */
TEST(fork_bomb_stops_at_the_limit)
{
	struct vcmd_ctx_stat st;
	int ready[2], i, fd2;
	pid_t bomb, pid;
	char c;

	NEED_VSERVER();
	ASSERT_EQ(0, pipe(ready));
	fd2 = spawn_ctx(22012, VXF_INIT_SET);
	ASSERT_LE(0, fd2);
	bomb = fork();
	ASSERT_LE(0, bomb);
	if (bomb == 0) {
		close(ready[0]);
		if (vs_ctx_create(22011, NULL) != 22011 ||
		    hard(22011, RLIMIT_NPROC, 50))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		close(ready[1]);
		/* Every process forks forever. */
		for (;;)
			if (fork() < 0)
				usleep(1000);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	/* Wait until the bomb hits its limit. */
	for (i = 0; i < 500 && hits(22011, RLIMIT_NPROC) < 10; i++)
		usleep(10000);
	EXPECT_LE(10, hits(22011, RLIMIT_NPROC));
	/*
	 * A refused fork counts its child until it has failed: stop the
	 * bomb (a fork that the signal meets starts over), then count.
	 */
	ASSERT_EQ(0, vs_ctx_kill(22011, 0, SIGSTOP));
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(0, vs_ctx_stat(22011, &st));
		if (st.tasks <= 50)
			break;
		usleep(10000);
	}
	EXPECT_EQ(50, st.tasks);
	EXPECT_EQ(50, cur(22011, RLIMIT_NPROC));
	/* The host forks. */
	pid = fork();
	if (pid == 0)
		_exit(7);
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &i, 0));
	EXPECT_EQ(7, WEXITSTATUS(i));
	/* So does another guest. */
	pid = fork();
	if (pid == 0) {
		pid_t k;
		int s;

		if (vs_ctx_migrate(22012, 0))
			_exit(1);
		k = fork();
		if (k == 0)
			_exit(8);
		if (k < 0 || waitpid(k, &s, 0) != k)
			_exit(2);
		_exit(WEXITSTATUS(s));
	}
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &i, 0));
	EXPECT_EQ(8, WEXITSTATUS(i));
	/* Kill the bomb: repeat until its context is gone. */
	for (i = 0; i < 500; i++) {
		if (vs_ctx_kill(22011, 0, SIGKILL) == -ESRCH)
			break;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		usleep(10000);
	}
	waitpid(bomb, NULL, 0);
	EXPECT_EQ(-ESRCH, vs_ctx_stat(22011, &st));
	EXPECT_EQ(0, end_ctx(fd2, 22012));
}

TEST(nofile_at_the_limit)
{
	int fds[4], i, fd;
	long base;

	NEED_VSERVER();
	enter(_metadata, 22020);
	base = cur(22020, RLIMIT_NOFILE);
	ASSERT_LE(0, base);
	ASSERT_EQ(0, hard(22020, RLIMIT_NOFILE, base + 3));
	for (i = 0; i < 3; i++) {
		fds[i] = open("/dev/null", O_RDONLY);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(base + 3, cur(22020, RLIMIT_NOFILE));
	EXPECT_EQ(-1, open("/dev/null", O_RDONLY));
	EXPECT_EQ(ENFILE, errno);
	EXPECT_EQ(1, hits(22020, RLIMIT_NOFILE));
	/* A pipe needs two files. */
	close(fds[0]);
	EXPECT_EQ(-1, pipe(fds));
	EXPECT_EQ(ENFILE, errno);
	/* dup() shares the file: it is not counted. */
	fd = dup(fds[1]);
	EXPECT_LE(0, fd);
	close(fd);
	/* Closing gives it back; raising the limit works at once. */
	fds[0] = open("/dev/null", O_RDONLY);
	EXPECT_LE(0, fds[0]);
	ASSERT_EQ(0, hard(22020, RLIMIT_NOFILE, base + 4));
	fds[3] = open("/dev/null", O_RDONLY);
	EXPECT_LE(0, fds[3]);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	EXPECT_EQ(base, cur(22020, RLIMIT_NOFILE));
	/* OPENFD is the same count with its own limit. */
	EXPECT_EQ(base, cur(22020, VLIMIT_OPENFD));
	ASSERT_EQ(0, hard(22020, VLIMIT_OPENFD, base));
	EXPECT_EQ(-1, open("/dev/null", O_RDONLY));
	EXPECT_EQ(ENFILE, errno);
	EXPECT_EQ(1, hits(22020, VLIMIT_OPENFD));
}

/* fcntl() a POSIX lock of @type on [@start, @start + @len). */
static int plock(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl) ? -errno : 0;
}

/* A scratch file, already unlinked. */
static int scratch(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/vs-locks-%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink(path);
	return fd;
}

TEST(locks_at_the_limit)
{
	int fd, fd2, i;

	NEED_VSERVER();
	enter(_metadata, 22040);
	fd = scratch();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, cur(22040, RLIMIT_LOCKS));
	ASSERT_EQ(0, hard(22040, RLIMIT_LOCKS, 3));
	ASSERT_EQ(0, plock(fd, F_SETLK, F_WRLCK, 0, 10));
	ASSERT_EQ(0, plock(fd, F_SETLK, F_WRLCK, 20, 10));
	ASSERT_EQ(0, plock(fd, F_SETLK, F_WRLCK, 40, 10));
	EXPECT_EQ(3, cur(22040, RLIMIT_LOCKS));
	/* Exactly at the limit: a fourth range fails, and counts a hit. */
	EXPECT_EQ(-ENOLCK, plock(fd, F_SETLK, F_WRLCK, 60, 10));
	EXPECT_EQ(1, hits(22040, RLIMIT_LOCKS));
	/* Filling a gap merges three locks into one: allowed at the limit. */
	EXPECT_EQ(0, plock(fd, F_SETLK, F_WRLCK, 10, 10));
	EXPECT_EQ(2, cur(22040, RLIMIT_LOCKS));
	EXPECT_EQ(0, plock(fd, F_SETLK, F_WRLCK, 60, 10));
	EXPECT_EQ(3, cur(22040, RLIMIT_LOCKS));
	/* Changing the type of a whole lock replaces it: allowed. */
	EXPECT_EQ(0, plock(fd, F_SETLK, F_RDLCK, 60, 10));
	EXPECT_EQ(3, cur(22040, RLIMIT_LOCKS));
	/* Unlocking the middle of [0, 30) splits it: one lock too many. */
	EXPECT_EQ(-ENOLCK, plock(fd, F_SETLK, F_UNLCK, 5, 5));
	EXPECT_EQ(2, hits(22040, RLIMIT_LOCKS));
	/* flock() and OFD locks count against the same limit. */
	fd2 = scratch();
	ASSERT_LE(0, fd2);
	EXPECT_EQ(-1, flock(fd2, LOCK_EX | LOCK_NB));
	EXPECT_EQ(ENOLCK, errno);
	EXPECT_EQ(-ENOLCK, plock(fd2, F_OFD_SETLK, F_RDLCK, 0, 1));
	EXPECT_EQ(4, hits(22040, RLIMIT_LOCKS));
	/* Raising the limit takes effect at once. */
	ASSERT_EQ(0, hard(22040, RLIMIT_LOCKS, 100));
	EXPECT_EQ(0, plock(fd, F_SETLK, F_UNLCK, 5, 5));
	EXPECT_EQ(4, cur(22040, RLIMIT_LOCKS));
	/* A read lock inside a write lock: three pieces. */
	EXPECT_EQ(0, plock(fd, F_SETLK, F_RDLCK, 15, 5));
	EXPECT_EQ(6, cur(22040, RLIMIT_LOCKS));
	EXPECT_EQ(0, flock(fd2, LOCK_SH));
	EXPECT_EQ(7, cur(22040, RLIMIT_LOCKS));
	/* Converting a flock() lock replaces it, also at the limit. */
	ASSERT_EQ(0, hard(22040, RLIMIT_LOCKS, 7));
	EXPECT_EQ(0, flock(fd2, LOCK_EX));
	EXPECT_EQ(7, cur(22040, RLIMIT_LOCKS));
	EXPECT_EQ(0, flock(fd2, LOCK_UN));
	EXPECT_EQ(6, cur(22040, RLIMIT_LOCKS));
	ASSERT_EQ(0, hard(22040, RLIMIT_LOCKS, 1000));
	/* Many overlapping and adjacent ranges of both types, then halves. */
	for (i = 0; i < 200; i++)
		ASSERT_EQ(0, plock(fd, F_SETLK, i % 3 ? F_WRLCK : F_RDLCK,
				   (i * 7) % 500, 1 + i % 13));
	EXPECT_LT(6, cur(22040, RLIMIT_LOCKS));
	for (i = 0; i < 500; i += 2)
		ASSERT_EQ(0, plock(fd, F_SETLK, F_UNLCK, i, 1));
	EXPECT_LT(0, cur(22040, RLIMIT_LOCKS));
	EXPECT_EQ(0, plock(fd, F_SETLK, F_UNLCK, 0, 0));
	EXPECT_EQ(0, cur(22040, RLIMIT_LOCKS));
	/* Closing the file drops its locks. */
	for (i = 0; i < 50; i++)
		ASSERT_EQ(0, plock(fd, F_SETLK, F_WRLCK, i * 2, 1));
	EXPECT_EQ(0, plock(fd2, F_OFD_SETLK, F_WRLCK, 0, 1));
	EXPECT_EQ(0, flock(fd2, LOCK_EX));
	EXPECT_EQ(52, cur(22040, RLIMIT_LOCKS));
	EXPECT_LE(52, vmax_of(22040, RLIMIT_LOCKS));
	close(fd);
	close(fd2);
	EXPECT_EQ(0, cur(22040, RLIMIT_LOCKS));
}

TEST(locks_released_at_exit)
{
	pid_t pid;
	int status, fd;

	NEED_VSERVER();
	enter(_metadata, 22041);
	ASSERT_EQ(0, hard(22041, RLIMIT_LOCKS, 20));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int i;

		fd = scratch();
		for (i = 0; i < 20; i++)
			if (plock(fd, F_SETLK, F_WRLCK, i * 2, 1))
				_exit(1);
		if (plock(fd, F_SETLK, F_WRLCK, 100, 1) != -ENOLCK)
			_exit(2);
		if (cur(22041, RLIMIT_LOCKS) != 20)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, settle(22041, RLIMIT_LOCKS, 0));
	EXPECT_EQ(1, hits(22041, RLIMIT_LOCKS));
	/* Lease: one more kind of lock, counted the same way. */
	fd = scratch();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, hard(22041, RLIMIT_LOCKS, 0));
	EXPECT_EQ(-1, fcntl(fd, F_SETLEASE, F_WRLCK));
	EXPECT_EQ(ENOLCK, errno);
	ASSERT_EQ(0, hard(22041, RLIMIT_LOCKS, 1));
	EXPECT_EQ(0, fcntl(fd, F_SETLEASE, F_WRLCK));
	EXPECT_EQ(1, cur(22041, RLIMIT_LOCKS));
	EXPECT_EQ(0, fcntl(fd, F_SETLEASE, F_UNLCK));
	EXPECT_EQ(0, cur(22041, RLIMIT_LOCKS));
	close(fd);
}

/*
 * A lock belongs to the context that took it, also when another task
 * (here the host) releases it after the taker exited.
 */
TEST(locks_released_by_another_context)
{
	pid_t pid;
	int status, fd, cfd;

	NEED_VSERVER();
	cfd = spawn_ctx(22042, VXF_INIT_SET);
	ASSERT_LE(0, cfd);
	fd = scratch();
	ASSERT_LE(0, fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (vs_ctx_migrate(22042, 0))
			_exit(1);
		if (flock(fd, LOCK_EX) ||
		    plock(fd, F_OFD_SETLK, F_WRLCK, 0, 10))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The file is still open here: its locks stay, charged to 22042. */
	EXPECT_EQ(2, settle(22042, RLIMIT_LOCKS, 2));
	close(fd);
	EXPECT_EQ(0, cur(22042, RLIMIT_LOCKS));
	/* No reference is left behind: the context goes away. */
	EXPECT_EQ(0, end_ctx(cfd, 22042));
}

/*
 * ANON is reported (resident anonymous pages of the context's processes),
 * not limited; DENTRY is neither: dentries are a shared cache.
 */
TEST(anon_is_reported_dentry_is_not_counted)
{
	struct vcmd_ctx_rlimit lim = { .minimum = CRLIM_KEEP,
				       .softlimit = CRLIM_KEEP,
				       .maximum = 100 };
	struct vcmd_rlimit_stat st;
	long before, after, page = sysconf(_SC_PAGESIZE);
	char *p;
	int i;

	NEED_VSERVER();
	enter(_metadata, 22043);
	before = cur(22043, VLIMIT_ANON);
	ASSERT_LE(0, before);
	EXPECT_LE(before, cur(22043, RLIMIT_RSS));
	p = mmap(NULL, 512 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < 512; i++)
		p[i * page] = 1;
	after = cur(22043, VLIMIT_ANON);
	EXPECT_LE(before + 512, after);
	EXPECT_GT(before + 1024, after);
	munmap(p, 512 * page);
	EXPECT_GT(after - 256, cur(22043, VLIMIT_ANON));
	lim.id = VLIMIT_ANON;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_rlimit, 22043, &lim));
	EXPECT_EQ(-EINVAL, vsc(VCMD_get_rlimit, 22043, &lim));
	lim.id = VLIMIT_DENTRY;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_rlimit, 22043, &lim));
	EXPECT_EQ(-EINVAL, vsc(VCMD_get_rlimit, 22043, &lim));
	st = (struct vcmd_rlimit_stat){ .id = VLIMIT_DENTRY };
	EXPECT_EQ(-EINVAL, vsc(VCMD_rlimit_stat, 22043, &st));
}

/* fork_rss: no fork while resident memory is above the RSS soft limit. */
TEST(fork_rss_refuses_forks_above_the_soft_limit)
{
	struct vcmd_ctx_rlimit lim = { .id = RLIMIT_RSS };
	long rss;
	pid_t pid;
	int status;

	NEED_VSERVER();
	enter(_metadata, 22047);
	rss = cur(22047, RLIMIT_RSS);
	ASSERT_LT(16, rss);
	/* A soft limit below the use: without the flag, forks go on. */
	ASSERT_EQ(0, vs_set_rlimit(22047, RLIMIT_RSS, CRLIM_KEEP, rss / 2,
				   CRLIM_KEEP));
	ASSERT_EQ(0, vs_get_rlimit(22047, RLIMIT_RSS, &lim));
	EXPECT_EQ(rss / 2, lim.softlimit);
	EXPECT_EQ(CRLIM_INFINITY, lim.maximum);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, hits(22047, RLIMIT_RSS));
	/* With it: ENOMEM, and a hit. */
	ASSERT_EQ(0, vs_set_cflags(22047, VXF_FORK_RSS, VXF_FORK_RSS));
	EXPECT_EQ(-1, fork());
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(1, hits(22047, RLIMIT_RSS));
	EXPECT_EQ(-1, fork());
	EXPECT_EQ(2, hits(22047, RLIMIT_RSS));
	/* Raising the soft limit above the use lets forks through again. */
	ASSERT_EQ(0, vs_set_rlimit(22047, RLIMIT_RSS, CRLIM_KEEP, rss * 4,
				   CRLIM_INFINITY));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(2, hits(22047, RLIMIT_RSS));
}

TEST(nsock_at_the_limit)
{
	int s[3], sp[2];
	long base;

	NEED_VSERVER();
	enter(_metadata, 22030);
	base = cur(22030, VLIMIT_NSOCK);
	ASSERT_EQ(0, base);
	ASSERT_EQ(0, hard(22030, VLIMIT_NSOCK, 2));
	s[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
	s[1] = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, s[0]);
	ASSERT_LE(0, s[1]);
	EXPECT_EQ(2, cur(22030, VLIMIT_NSOCK));
	EXPECT_EQ(-1, socket(AF_INET, SOCK_STREAM, 0));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(1, hits(22030, VLIMIT_NSOCK));
	close(s[1]);
	EXPECT_EQ(1, settle(22030, VLIMIT_NSOCK, 1));
	/* A socket pair is two sockets. */
	EXPECT_EQ(-1, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
	EXPECT_EQ(ENOBUFS, errno);
	ASSERT_EQ(0, hard(22030, VLIMIT_NSOCK, 3));
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
	EXPECT_EQ(3, cur(22030, VLIMIT_NSOCK));
	close(sp[0]);
	close(sp[1]);
	close(s[0]);
	EXPECT_EQ(0, settle(22030, VLIMIT_NSOCK, 0));
}

TEST(nsock_accept)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int l, c1, c2, a;

	NEED_VSERVER();
	enter(_metadata, 22031);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/tmp/vs-limit-%d",
		 getpid());
	unlink(addr.sun_path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, bind(l, (struct sockaddr *)&addr, sizeof(addr)));
	ASSERT_EQ(0, listen(l, 4));
	ASSERT_EQ(1, cur(22031, VLIMIT_NSOCK));
	ASSERT_EQ(0, hard(22031, VLIMIT_NSOCK, 3));
	c1 = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, c1);
	ASSERT_EQ(0, connect(c1, (struct sockaddr *)&addr, sizeof(addr)));
	a = accept(l, NULL, NULL);
	ASSERT_LE(0, a);
	/* listener, client, accepted */
	EXPECT_EQ(3, cur(22031, VLIMIT_NSOCK));
	ASSERT_EQ(0, hard(22031, VLIMIT_NSOCK, 4));
	c2 = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, c2);
	ASSERT_EQ(0, connect(c2, (struct sockaddr *)&addr, sizeof(addr)));
	/* Four in use: accepting a fifth fails. */
	EXPECT_EQ(-1, accept(l, NULL, NULL));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(1, hits(22031, VLIMIT_NSOCK));
	close(a);
	close(c1);
	close(c2);
	close(l);
	unlink(addr.sun_path);
	EXPECT_EQ(0, settle(22031, VLIMIT_NSOCK, 0));
}

TEST(msgqueue_at_the_limit)
{
	long mnb = -1;
	int q[3], i;

	NEED_VSERVER();
	ASSERT_EQ(0, read_long("/proc/sys/kernel/msgmnb", &mnb));
	ASSERT_LT(0, mnb);
	enter(_metadata, 22040);
	ASSERT_EQ(0, hard(22040, RLIMIT_MSGQUEUE, 2 * mnb));
	for (i = 0; i < 2; i++) {
		q[i] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		ASSERT_LE(0, q[i]);
	}
	EXPECT_EQ(2 * mnb, cur(22040, RLIMIT_MSGQUEUE));
	EXPECT_EQ(-1, msgget(IPC_PRIVATE, IPC_CREAT | 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(1, hits(22040, RLIMIT_MSGQUEUE));
	ASSERT_EQ(0, msgctl(q[0], IPC_RMID, NULL));
	EXPECT_EQ(mnb, settle(22040, RLIMIT_MSGQUEUE, mnb));
	q[2] = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	EXPECT_LE(0, q[2]);
	msgctl(q[1], IPC_RMID, NULL);
	msgctl(q[2], IPC_RMID, NULL);
	EXPECT_EQ(0, settle(22040, RLIMIT_MSGQUEUE, 0));
}

TEST(semary_at_the_limit)
{
	int s1, s2;

	NEED_VSERVER();
	enter(_metadata, 22041);
	ASSERT_EQ(0, hard(22041, VLIMIT_SEMARY, 1));
	s1 = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);
	ASSERT_LE(0, s1);
	EXPECT_EQ(1, cur(22041, VLIMIT_SEMARY));
	EXPECT_EQ(-1, semget(IPC_PRIVATE, 1, IPC_CREAT | 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(1, hits(22041, VLIMIT_SEMARY));
	ASSERT_EQ(0, hard(22041, VLIMIT_SEMARY, 2));
	s2 = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	EXPECT_LE(0, s2);
	semctl(s1, 0, IPC_RMID);
	semctl(s2, 0, IPC_RMID);
	EXPECT_EQ(0, settle(22041, VLIMIT_SEMARY, 0));
}

TEST(shmem_at_the_limit)
{
	long page = sysconf(_SC_PAGESIZE);
	int a, b;

	NEED_VSERVER();
	enter(_metadata, 22043);
	ASSERT_EQ(0, hard(22043, VLIMIT_SHMEM, 16));
	/* Sizes round up to pages. */
	a = shmget(IPC_PRIVATE, 9 * page + 1, IPC_CREAT | 0600);
	ASSERT_LE(0, a);
	EXPECT_EQ(10, cur(22043, VLIMIT_SHMEM));
	EXPECT_EQ(-1, shmget(IPC_PRIVATE, 7 * page, IPC_CREAT | 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(1, hits(22043, VLIMIT_SHMEM));
	/* Exactly up to the limit. */
	b = shmget(IPC_PRIVATE, 6 * page, IPC_CREAT | 0600);
	ASSERT_LE(0, b);
	EXPECT_EQ(16, cur(22043, VLIMIT_SHMEM));
	shmctl(a, IPC_RMID, NULL);
	shmctl(b, IPC_RMID, NULL);
	EXPECT_EQ(0, settle(22043, VLIMIT_SHMEM, 0));
}

TEST(nsems_at_the_limit)
{
	int s1, s2;

	NEED_VSERVER();
	enter(_metadata, 22044);
	ASSERT_EQ(0, hard(22044, VLIMIT_NSEMS, 5));
	s1 = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
	ASSERT_LE(0, s1);
	EXPECT_EQ(3, cur(22044, VLIMIT_NSEMS));
	EXPECT_EQ(1, cur(22044, VLIMIT_SEMARY));
	EXPECT_EQ(-1, semget(IPC_PRIVATE, 3, IPC_CREAT | 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(1, hits(22044, VLIMIT_NSEMS));
	/* The refused set gave its SEMARY charge back. */
	EXPECT_EQ(1, settle(22044, VLIMIT_SEMARY, 1));
	s2 = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
	ASSERT_LE(0, s2);
	EXPECT_EQ(5, cur(22044, VLIMIT_NSEMS));
	semctl(s1, 0, IPC_RMID);
	semctl(s2, 0, IPC_RMID);
	EXPECT_EQ(0, settle(22044, VLIMIT_NSEMS, 0));
	EXPECT_EQ(0, settle(22044, VLIMIT_SEMARY, 0));
}

/* An object that outlives its context gives its charge back safely. */
TEST(ipc_outlives_its_context)
{
	int p[2], q = -1;
	pid_t pid;

	NEED_VSERVER();
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(p[0]);
		if (vs_ctx_create(22042, NULL) != 22042)
			_exit(1);
		q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
		if (write(p[1], &q, sizeof(q)) != sizeof(q))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	ASSERT_EQ(sizeof(q), read(p[0], &q, sizeof(q)));
	ASSERT_LE(0, q);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(0, ctx_gone(22042, 200));
	/* Its queue is still there; removing it must not touch freed memory. */
	EXPECT_EQ(0, msgctl(q, IPC_RMID, NULL));
	/* The xid can be used again, with fresh counters. */
	enter(_metadata, 22042);
	EXPECT_EQ(0, cur(22042, RLIMIT_MSGQUEUE));
}

/* Send @fd over the unix socket @sock. */
static int send_fd(int sock, int fd)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 0;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char buf[CMSG_SPACE(sizeof(int))] = { 0 }, c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf, .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/*
 * A file a guest opened and passed to the host stays charged to the
 * guest's context after its last task: the context's charged files hold
 * it, and closing the file last must not touch freed memory (KASAN in
 * make check-debug).
 */
TEST(file_outlives_its_context)
{
	int sv[2], fd, status;
	pid_t pid;

	NEED_VSERVER();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(sv[0]);
		if (vs_ctx_create(22043, NULL) != 22043)
			_exit(1);
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || cur(22043, RLIMIT_NOFILE) != 1 ||
		    send_fd(sv[1], fd))
			_exit(2);
		_exit(0);
	}
	close(sv[1]);
	fd = recv_fd(sv[0]);
	ASSERT_LE(0, fd);
	close(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(0, ctx_gone(22043, 200));
	EXPECT_EQ(0, close(fd));
	/* The xid can be used again, with fresh counters. */
	enter(_metadata, 22043);
	EXPECT_EQ(0, cur(22043, RLIMIT_NOFILE));
	fd = open("/dev/null", O_RDONLY);
	EXPECT_LE(0, fd);
	EXPECT_EQ(1, cur(22043, RLIMIT_NOFILE));
	close(fd);
	EXPECT_EQ(0, cur(22043, RLIMIT_NOFILE));
}

TEST(address_space_at_the_limit)
{
	long page = sysconf(_SC_PAGESIZE), base;
	void *a, *b;

	NEED_VSERVER();
	enter(_metadata, 22050);
	base = cur(22050, RLIMIT_AS);
	ASSERT_LT(0, base);
	/* Room for 64 more pages. */
	ASSERT_EQ(0, hard(22050, RLIMIT_AS, base + 64));
	a = mmap(NULL, 48 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, a);
	b = mmap(NULL, 32 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	EXPECT_EQ(MAP_FAILED, b);
	EXPECT_EQ(ENOMEM, errno);
	EXPECT_EQ(1, hits(22050, RLIMIT_AS));
	/* Exactly up to the limit. */
	b = mmap(NULL, 16 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	EXPECT_NE(MAP_FAILED, b);
	EXPECT_EQ(base + 64, cur(22050, RLIMIT_AS));
	/* Raising the limit works at once. */
	ASSERT_EQ(0, hard(22050, RLIMIT_AS, base + 96));
	a = mmap(NULL, 32 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	EXPECT_NE(MAP_FAILED, a);
}

/* The address space of the whole context counts, not one process. */
TEST(address_space_is_per_context)
{
	long page = sysconf(_SC_PAGESIZE), base;
	int p[2], status;
	pid_t pid;
	char c;

	NEED_VSERVER();
	enter(_metadata, 22051);
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* The child maps 200 pages and holds them. */
		if (mmap(NULL, 200 * page, PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
			_exit(1);
		close(p[0]);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	base = cur(22051, RLIMIT_AS);
	ASSERT_EQ(0, hard(22051, RLIMIT_AS, base + 100));
	EXPECT_NE(MAP_FAILED, mmap(NULL, 100 * page, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, page, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* The child's pages are free again. */
	EXPECT_NE(MAP_FAILED, mmap(NULL, 150 * page, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

TEST(task_migration_moves_the_count)
{
	int fd;
	pid_t pid;
	int status;

	NEED_VSERVER();
	fd = spawn_ctx(22060, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, cur(22060, RLIMIT_NPROC));
	ASSERT_EQ(0, hard(22060, RLIMIT_NPROC, 2));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (vs_ctx_migrate(22060, 0))
			_exit(1);
		/* The helper and this task: the limit is reached. */
		if (cur(22060, RLIMIT_NPROC) != 2)
			_exit(2);
		if (fork() != -1 || errno != EAGAIN)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, settle(22060, RLIMIT_NPROC, 1));
	EXPECT_EQ(0, end_ctx(fd, 22060));
}

TEST(stat_reset_and_proc)
{
	struct vcmd_rlimit_stat st;
	char path[64], buf[2048] = "";
	int fds[5], i, fd;
	long base;

	NEED_VSERVER();
	enter(_metadata, 22070);
	base = cur(22070, RLIMIT_NOFILE);
	for (i = 0; i < 5; i++)
		fds[i] = open("/dev/null", O_RDONLY);
	for (i = 0; i < 5; i++)
		close(fds[i]);
	ASSERT_EQ(0, vs_rlimit_stat(22070, RLIMIT_NOFILE, &st));
	EXPECT_EQ(base, st.value);
	EXPECT_LE(base + 5, st.maximum);
	EXPECT_EQ(0, st.minimum);
	ASSERT_EQ(0, hard(22070, RLIMIT_NOFILE, base));
	EXPECT_EQ(-1, open("/dev/null", O_RDONLY));
	EXPECT_EQ(1, hits(22070, RLIMIT_NOFILE));
	ASSERT_EQ(0, vs_reset_hits(22070));
	EXPECT_EQ(0, hits(22070, RLIMIT_NOFILE));
	ASSERT_EQ(0, vs_reset_minmax(22070));
	ASSERT_EQ(0, vs_rlimit_stat(22070, RLIMIT_NOFILE, &st));
	EXPECT_EQ(base, st.minimum);
	EXPECT_EQ(base, st.maximum);
	ASSERT_EQ(0, hard(22070, RLIMIT_NOFILE, CRLIM_INFINITY));

	snprintf(path, sizeof(path), "/proc/virtual/%d/limit", 22070);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_NE(NULL, strstr(buf, "PROC:\t       1\t"));
	EXPECT_NE(NULL, strstr(buf, "FILES:"));
	EXPECT_NE(NULL, strstr(buf, "SOCK:"));
	EXPECT_NE(NULL, strstr(buf, "LOCKS:"));
	EXPECT_NE(NULL, strstr(buf, "ANON:"));
	EXPECT_NE(NULL, strstr(buf, "VM:"));
}

TEST_HARNESS_MAIN
