/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the kselftest-style vserver suites.  Include after
 * kselftest_harness.h.
 */
#ifndef VSERVER_TEST_HELPERS_H
#define VSERVER_TEST_HELPERS_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvserver.h"

#define BAD_PTR ((void *)1)

static inline long vsc(uint32_t cmd, uint32_t id, void *data)
{
	return vs_syscall(cmd, id, data);
}

static inline int kernel_has_vserver(void)
{
	return vs_get_version() != -ENOSYS;
}

#define NEED_VSERVER() do { \
	if (!kernel_has_vserver()) \
		SKIP(return, "kernel without CONFIG_VSERVER"); \
} while (0)

/* Value of "Name:\t<n>" in a /proc file, or -1. */
static inline long proc_field(const char *path, const char *name)
{
	char line[256];
	size_t len = strlen(name);
	long val = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':')
			val = strtol(line + len + 1, NULL, 0);
	fclose(f);
	return val;
}

/* The number a file such as /proc/sys/kernel/msgmnb holds: 0, or -1. */
static inline int read_long(const char *path, long *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%ld", val) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

static inline int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static inline void drop_privileges(void)
{
	if (setgid(65534) || setuid(65534))
		abort();
}

/*
 * How many entries readdir(@dir) lists named @name; for "*" all but "."
 * and ".."; for "#" those named by a number.  -1: cannot list.
 */
static inline int dir_lists(const char *dir, const char *name)
{
	struct dirent *de;
	int found = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (!strcmp(name, "*"))
			found += strcmp(de->d_name, ".") &&
				 strcmp(de->d_name, "..");
		else if (!strcmp(name, "#"))
			found += de->d_name[0] >= '0' && de->d_name[0] <= '9';
		else
			found += !strcmp(de->d_name, name);
	}
	closedir(d);
	return found;
}

/* Run fn in a child and return its exit status (or -1). */
static inline int in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/*
 * Start a helper process that creates context @xid with @flags and stays
 * in it until the returned descriptor is closed (or this process exits).
 * Returns the descriptor, or -1.
 */
static inline int spawn_ctx_pid(uint32_t xid, uint64_t flags, pid_t *pidp)
{
	int ready[2], hold[2];
	char c = 0;
	pid_t pid;

	if (pipe(ready) || pipe(hold))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		c = vs_ctx_create(xid, &flags) == (long)xid;
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	if (pidp)
		*pidp = pid;
	if (read(ready[0], &c, 1) != 1 || !c) {
		close(hold[1]);
		hold[1] = -1;
	}
	close(ready[0]);
	return hold[1];
}

static inline int spawn_ctx(uint32_t xid, uint64_t flags)
{
	return spawn_ctx_pid(xid, flags, NULL);
}

/* Wait up to @tries * 10 ms until context @xid is gone: 0, or -1. */
static inline int ctx_gone(uint32_t xid, int tries)
{
	struct vcmd_ctx_stat st;

	for (; tries > 0; tries--) {
		if (vs_ctx_stat(xid, &st) == -ESRCH)
			return 0;
		usleep(10000);
	}
	return vs_ctx_stat(xid, &st) == -ESRCH ? 0 : -1;
}

/* Close a spawn_ctx() descriptor and wait until the context is gone. */
static inline int end_ctx(int fd, uint32_t xid)
{
	close(fd);
	return ctx_gone(xid, 500);
}

#endif /* VSERVER_TEST_HELPERS_H */
