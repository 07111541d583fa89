// SPDX-License-Identifier: GPL-2.0
/*
 * sys_vserver(): security contexts -- every command and its error paths.
 *
 * The harness runs each TEST in its own child process, so a test may move
 * itself into a context: the context ends with the test unless it is
 * persistent.  Each test uses its own xids.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

TEST(version_and_vci)
{
	NEED_VSERVER();
	EXPECT_EQ(0x00020308, vs_get_version());
	EXPECT_EQ(0x00020308, vsc(VCMD_get_version, 63, NULL));
	EXPECT_LE(0, vs_get_vci());
	EXPECT_EQ(0, vs_get_vci() & VCI_FEATURE_NO_DYNAMIC);
	EXPECT_TRUE(vs_get_vci() & VCI_FEATURE_COWBL);
	EXPECT_TRUE(vs_get_vci() & VCI_FEATURE_SPACES);
	/* Files carry no context tag. */
	EXPECT_EQ(0, vs_get_vci() & VCI_FEATURE_PPTAG);
}

TEST(unknown_command_is_enosys)
{
	NEED_VSERVER();
	EXPECT_EQ(-ENOSYS, vsc(0x3f3f0000, 0, NULL));
	/* A known command with an unknown version. */
	EXPECT_EQ(-ENOSYS, vsc(VC_CMD(VPROC, 1, 7), 2, NULL));
	/* The unknown command check comes before privilege. */
	drop_privileges();
	EXPECT_EQ(-ENOSYS, vsc(0x3f3f0000, 0, NULL));
}

TEST(host_is_xid_0)
{
	NEED_VSERVER();
	EXPECT_EQ(0, vs_task_xid(0));
	EXPECT_EQ(0, vs_task_xid(getpid()));
	EXPECT_EQ(0, proc_field("/proc/self/status", "VxID"));
	EXPECT_EQ(0, vs_task_xid(1));
}

TEST(proc_virtual_info)
{
	char buf[256] = "";
	int fd;

	NEED_VSERVER();
	fd = open("/proc/virtual/info", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_NE(NULL, strstr(buf, "VCIVersion:\t0002:0308\n"));
	EXPECT_NE(NULL, strstr(buf, "VCISyscall:\t236\n"));
	EXPECT_LE(0, proc_field("/proc/virtual/status", "#CTotal"));
}

TEST(create_static)
{
	uint64_t flags;
	char path[64];

	NEED_VSERVER();
	ASSERT_EQ(100, vs_ctx_create(100, NULL));
	EXPECT_EQ(100, vs_task_xid(0));
	EXPECT_EQ(100, proc_field("/proc/self/status", "VxID"));
	snprintf(path, sizeof(path), "/proc/virtual/%d/status", 100);
	EXPECT_EQ(1, proc_field(path, "Tasks"));
	ASSERT_EQ(0, vs_get_cflags(100, &flags));
	EXPECT_EQ(VXF_INIT_SET, flags);
	/* VX_ID_SELF names the caller's own context. */
	ASSERT_EQ(0, vs_get_cflags(VX_ID_SELF, &flags));
	EXPECT_EQ(VXF_INIT_SET, flags);
}

TEST(create_with_flags)
{
	uint64_t flags = VXF_INFO_HIDE | VXF_STATE_ADMIN, got;

	NEED_VSERVER();
	ASSERT_EQ(101, vs_ctx_create(101, &flags));
	ASSERT_EQ(0, vs_get_cflags(101, &got));
	EXPECT_EQ(flags, got);
}

TEST(create_dynamic)
{
	long xid;

	NEED_VSERVER();
	xid = vs_ctx_create(VX_DYNAMIC_ID, NULL);
	ASSERT_LE(VX_ID_DYNAMIC_MIN, xid);
	ASSERT_GE(VX_ID_DYNAMIC_MAX, xid);
	EXPECT_EQ(xid, vs_task_xid(0));
}

TEST(create_bad_xid)
{
	static const uint32_t bad[] = { 0, 1, VX_ID_DYNAMIC_MIN, 60000,
					VX_ID_DYNAMIC_MAX, 65536, 0x7fffffff };
	unsigned int i;

	NEED_VSERVER();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vs_ctx_create(bad[i], NULL))
			TH_LOG("xid %u", bad[i]);
	EXPECT_EQ(0, vs_task_xid(0));
}

TEST(create_unknown_flags)
{
	uint64_t flags = 1ULL << 63;

	NEED_VSERVER();
	EXPECT_EQ(-EINVAL, vs_ctx_create(102, &flags));
	flags = 1ULL << 40;
	EXPECT_EQ(-EINVAL, vs_ctx_create(102, &flags));
	EXPECT_EQ(0, vs_task_xid(0));
	EXPECT_EQ(-ESRCH, vs_get_cflags(102, &flags));
}

TEST(create_bad_pointer)
{
	NEED_VSERVER();
	EXPECT_EQ(-EFAULT, vsc(VCMD_ctx_create, 103, BAD_PTR));
	/* The argument is read before the xid is checked. */
	EXPECT_EQ(-EFAULT, vsc(VCMD_ctx_create, 0, BAD_PTR));
	EXPECT_EQ(0, vs_task_xid(0));
}

TEST(create_existing)
{
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(104, VXF_STATE_ADMIN);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EEXIST, vs_ctx_create(104, NULL));
	ASSERT_EQ(0, end_ctx(fd, 104));
	/* While the existing context is in setup, the answer is EBUSY. */
	fd = spawn_ctx(104, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBUSY, vs_ctx_create(104, NULL));
	ASSERT_EQ(0, end_ctx(fd, 104));
	EXPECT_EQ(0, vs_task_xid(0));
}

static void *sleeper(void *arg)
{
	pause();
	return NULL;
}

TEST(create_multithreaded_is_ebusy)
{
	pthread_t t;

	NEED_VSERVER();
	ASSERT_EQ(0, pthread_create(&t, NULL, sleeper, NULL));
	EXPECT_EQ(-EBUSY, vs_ctx_create(105, NULL));
	EXPECT_EQ(0, vs_task_xid(0));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(105, &(struct vcmd_ctx_stat){ 0 }));
}

static int create_and_exit(void *arg)
{
	return vs_ctx_create(*(uint32_t *)arg, NULL) < 0;
}

TEST(context_ends_with_last_task)
{
	uint32_t xid = 106;
	struct vcmd_ctx_stat st;

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(create_and_exit, &xid));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(xid, &st));
	EXPECT_FALSE(exists("/proc/virtual/106"));
	/* The xid is free again. */
	ASSERT_EQ(0, in_child(create_and_exit, &xid));
}

static int create_persistent(void *arg)
{
	uint64_t flags = VXF_INIT_SET | VXF_PERSISTENT;

	return vs_ctx_create(*(uint32_t *)arg, &flags) < 0;
}

TEST(persistent_context)
{
	uint32_t xid = 119;
	struct vcmd_ctx_stat st;

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(create_persistent, &xid));
	ASSERT_EQ(0, vs_ctx_stat(xid, &st));
	EXPECT_EQ(0, st.tasks);
	EXPECT_TRUE(exists("/proc/virtual/119/status"));
	EXPECT_EQ(0, proc_field("/proc/virtual/119/status", "Tasks"));
	ASSERT_EQ(0, vs_set_cflags(xid, 0, VXF_PERSISTENT));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(xid, &st));
	EXPECT_FALSE(exists("/proc/virtual/119"));
}

TEST(fork_inherits_context)
{
	struct vcmd_ctx_stat st;
	int fds[2], status;
	pid_t pid;
	char c;

	NEED_VSERVER();
	ASSERT_EQ(107, vs_ctx_create(107, NULL));
	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	if (pid == 0) {
		close(fds[1]);
		if (read(fds[0], &c, 1) != 0)
			_exit(1);
		_exit(vs_task_xid(0) == 107 ? 0 : 1);
	}
	ASSERT_LT(0, pid);
	close(fds[0]);
	EXPECT_EQ(107, vs_task_xid(pid));
	ASSERT_EQ(0, vs_ctx_stat(107, &st));
	EXPECT_EQ(2, st.tasks);
	close(fds[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, vs_ctx_stat(107, &st));
	EXPECT_EQ(1, st.tasks);
}

TEST(threads_are_counted)
{
	struct vcmd_ctx_stat st;
	pthread_t t;

	NEED_VSERVER();
	ASSERT_EQ(108, vs_ctx_create(108, NULL));
	ASSERT_EQ(0, pthread_create(&t, NULL, sleeper, NULL));
	ASSERT_EQ(0, vs_ctx_stat(108, &st));
	EXPECT_EQ(2, st.tasks);
}

TEST(migrate_into_context)
{
	struct vcmd_vx_info info;
	struct vcmd_ctx_stat st;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(104, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vs_ctx_migrate(104, VXM_SET_INIT));
	EXPECT_EQ(104, vs_task_xid(0));
	EXPECT_EQ(104, proc_field("/proc/self/status", "VxID"));
	ASSERT_EQ(0, vs_ctx_stat(104, &st));
	EXPECT_EQ(2, st.tasks);
	ASSERT_EQ(0, vs_vx_info(104, &info));
	EXPECT_EQ(104, info.xid);
	EXPECT_EQ(getpid(), info.initpid);
	close(fd);
}

TEST(migrate_errors)
{
	struct vcmd_ctx_migrate m = { .flagword = 1ULL << 5 };
	int fd;

	NEED_VSERVER();
	EXPECT_EQ(-ESRCH, vs_ctx_migrate(4242, 0));
	EXPECT_EQ(-ESRCH, vs_ctx_migrate(0, 0));
	fd = spawn_ctx(120, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, vsc(VCMD_ctx_migrate, 120, &m));
	EXPECT_EQ(-EFAULT, vsc(VCMD_ctx_migrate, 120, BAD_PTR));
	/* A private context that finished setup cannot be entered. */
	ASSERT_EQ(0, vs_set_cflags(120, VXF_INFO_PRIVATE,
				   VXF_INFO_PRIVATE | VXF_STATE_SETUP));
	EXPECT_EQ(-EACCES, vs_ctx_migrate(120, 0));
	EXPECT_EQ(0, vs_task_xid(0));
	EXPECT_EQ(0, end_ctx(fd, 120));
}

TEST(spectator)
{
	NEED_VSERVER();
	ASSERT_EQ(0, vs_ctx_migrate(VX_ID_SPECTATOR, 0));
	EXPECT_EQ(1, vs_task_xid(0));
	EXPECT_EQ(1, proc_field("/proc/self/status", "VxID"));
	/* The spectator sees the host's tasks... */
	EXPECT_EQ(0, vs_task_xid(1));
	/* ...but administers nothing. */
	EXPECT_EQ(-EPERM, vs_ctx_create(109, NULL));
	EXPECT_EQ(-EINVAL, vs_ctx_migrate(VX_ID_SPECTATOR, VXM_SET_INIT));
}

TEST(guest_cannot_migrate_out)
{
	uint64_t flags;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(121, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(110, vs_ctx_create(110, NULL));
	EXPECT_EQ(-EPERM, vs_ctx_migrate(121, 0));
	EXPECT_EQ(-EPERM, vs_ctx_migrate(0, 0));
	EXPECT_EQ(-EPERM, vs_ctx_migrate(VX_ID_SPECTATOR, 0));
	EXPECT_EQ(-EPERM, vs_ctx_create(112, NULL));
	EXPECT_EQ(-EPERM, vs_ctx_create(VX_DYNAMIC_ID, NULL));
	EXPECT_EQ(110, vs_task_xid(0));
	/* Another guest's context is invisible and untouchable. */
	EXPECT_EQ(-ESRCH, vs_get_cflags(121, &flags));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(121, &(struct vcmd_ctx_stat){ 0 }));
	EXPECT_EQ(-ESRCH, vs_vx_info(121, &(struct vcmd_vx_info){ 0 }));
	EXPECT_EQ(-EPERM, vs_set_cflags(121, 0, VXF_PERSISTENT));
	EXPECT_EQ(-EPERM, vs_ctx_kill(121, 0, 0));
	EXPECT_EQ(-EPERM, vs_ctx_kill(110, 0, 0));
	/* Migrating into its own context (to become init) is allowed. */
	EXPECT_EQ(0, vs_ctx_migrate(110, VXM_SET_INIT));
	close(fd);
}

TEST(guest_sees_only_own_tasks)
{
	NEED_VSERVER();
	ASSERT_EQ(113, vs_ctx_create(113, NULL));
	/* pid 1 is the host's init. */
	EXPECT_EQ(-ESRCH, vs_task_xid(1));
	EXPECT_EQ(-ESRCH, vs_task_xid(getppid()));
	EXPECT_EQ(113, vs_task_xid(getpid()));
	EXPECT_EQ(-ESRCH, vs_task_xid(999999));
}

TEST(guest_setup_ends)
{
	uint64_t flags;

	NEED_VSERVER();
	ASSERT_EQ(114, vs_ctx_create(114, NULL));
	/* During setup the guest configures its own context... */
	ASSERT_EQ(0, vs_set_cflags(114, VXF_VIRT_UPTIME, VXF_VIRT_UPTIME));
	/* ...and ends setup; after that it changes nothing. */
	ASSERT_EQ(0, vs_set_cflags(114, 0, VXF_STATE_SETUP));
	EXPECT_EQ(-EPERM, vs_set_cflags(114, 0, VXF_VIRT_UPTIME));
	ASSERT_EQ(0, vs_get_cflags(114, &flags));
	EXPECT_EQ(VXF_VIRT_UPTIME, flags & VXF_VIRT_UPTIME);
	EXPECT_EQ(0, flags & VXF_STATE_SETUP);
}

TEST(clearing_state_init_makes_caller_init)
{
	struct vcmd_vx_info info;

	NEED_VSERVER();
	ASSERT_EQ(115, vs_ctx_create(115, NULL));
	ASSERT_EQ(0, vs_vx_info(115, &info));
	EXPECT_EQ(0, info.initpid);
	ASSERT_EQ(0, vs_set_cflags(115, 0, VXF_STATE_INIT));
	ASSERT_EQ(0, vs_vx_info(115, &info));
	EXPECT_EQ(getpid(), info.initpid);
	EXPECT_EQ(getpid(), proc_field("/proc/virtual/115/info", "Init"));
}

TEST(unprivileged_caller)
{
	uint64_t flags;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(122, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	drop_privileges();
	EXPECT_EQ(-EPERM, vs_ctx_create(116, NULL));
	EXPECT_EQ(-EPERM, vs_ctx_create(0, NULL));
	EXPECT_EQ(-EPERM, vs_ctx_migrate(122, 0));
	EXPECT_EQ(-EPERM, vs_set_cflags(122, 0, VXF_INFO_HIDE));
	EXPECT_EQ(-EPERM, vs_ctx_kill(122, 0, 0));
	/* Privilege is checked before the argument is read. */
	EXPECT_EQ(-EPERM, vsc(VCMD_ctx_create, 116, BAD_PTR));
	/* Reading is fine. */
	EXPECT_EQ(0, vs_get_cflags(122, &flags));
	EXPECT_EQ(0x00020308, vs_get_version());
	EXPECT_EQ(0, vs_task_xid(0));
	EXPECT_EQ(0, vs_task_xid(1));
	close(fd);
}

TEST(set_cflags_rules)
{
	struct vcmd_ctx_flags f;
	uint64_t flags;

	NEED_VSERVER();
	ASSERT_EQ(117, vs_ctx_create(117, NULL));
	EXPECT_EQ(-EINVAL, vs_set_cflags(117, 1ULL << 63, 1ULL << 63));
	EXPECT_EQ(-EINVAL, vs_set_cflags(117, 0, 1ULL << 40));
	/* Unknown bits outside the mask are ignored. */
	EXPECT_EQ(0, vs_set_cflags(117, 1ULL << 63, 0));
	/* mask selects: only the masked bits change. */
	ASSERT_EQ(0, vs_set_cflags(117, VXF_INFO_HIDE | VXF_VIRT_MEM,
				   VXF_INFO_HIDE));
	ASSERT_EQ(0, vs_get_cflags(117, &flags));
	EXPECT_EQ(VXF_INIT_SET | VXF_INFO_HIDE, flags);
	/* One-time bits cannot be set again once cleared. */
	ASSERT_EQ(0, vs_set_cflags(117, 0, VXF_STATE_ADMIN));
	EXPECT_EQ(-EINVAL, vs_set_cflags(117, VXF_STATE_ADMIN,
					 VXF_STATE_ADMIN));
	/* get_cflags reports mask ~0. */
	ASSERT_EQ(0, vsc(VCMD_get_cflags, 117, &f));
	EXPECT_EQ(~0ULL, f.mask);
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_cflags, 117, NULL));
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_cflags, 117, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_cflags, 117, BAD_PTR));
}

TEST(info_commands_on_missing_context)
{
	struct vcmd_vx_info info;
	struct vcmd_ctx_stat st;
	uint64_t flags;

	NEED_VSERVER();
	EXPECT_EQ(-ESRCH, vs_vx_info(4243, &info));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(4243, &st));
	EXPECT_EQ(-ESRCH, vs_get_cflags(4243, &flags));
	EXPECT_EQ(-ESRCH, vs_set_cflags(4243, 0, 0));
	EXPECT_EQ(-ESRCH, vs_ctx_kill(4243, 0, 0));
	/* The host and the spectator are not contexts one can query. */
	EXPECT_EQ(-ESRCH, vs_get_cflags(0, &flags));
	EXPECT_EQ(-ESRCH, vs_get_cflags(1, &flags));
	/* The host has no context of its own. */
	EXPECT_EQ(-ESRCH, vs_get_cflags(VX_ID_SELF, &flags));
	/* A NULL result pointer is refused before the lookup. */
	EXPECT_EQ(-EFAULT, vsc(VCMD_vx_info, 4243, NULL));
}

static int ctx_sleeper(void *arg)
{
	uint32_t xid = *(uint32_t *)arg;
	int i;

	if (vs_ctx_create(xid, NULL) != xid)
		return 10;
	for (i = 0; i < 3; i++)
		if (fork() == 0)
			break;
	pause();
	return 0;
}

TEST(ctx_kill)
{
	uint32_t xid = 118;
	struct vcmd_ctx_stat st;
	int status, tries;
	pid_t pid;

	NEED_VSERVER();
	pid = fork();
	if (pid == 0)
		_exit(ctx_sleeper(&xid));
	for (tries = 0; tries < 500; tries++) {
		if (!vs_ctx_stat(xid, &st) && st.tasks == 4)
			break;
		usleep(10000);
	}
	ASSERT_EQ(4, st.tasks);
	EXPECT_EQ(-EINVAL, vs_ctx_kill(xid, 0, -1));
	EXPECT_EQ(-EINVAL, vs_ctx_kill(xid, 0, 65));
	EXPECT_EQ(-EINVAL, vs_ctx_kill(xid, -2, SIGKILL));
	EXPECT_EQ(-ESRCH, vs_ctx_kill(xid, getpid(), SIGKILL));
	EXPECT_EQ(-ESRCH, vs_ctx_kill(xid, 1, SIGKILL));
	EXPECT_EQ(0, vs_ctx_kill(xid, 0, 0));
	EXPECT_EQ(0, vs_ctx_kill(xid, 0, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	for (tries = 0; tries < 500; tries++) {
		if (vs_ctx_stat(xid, &st) == -ESRCH)
			break;
		usleep(10000);
	}
	EXPECT_EQ(-ESRCH, vs_ctx_stat(xid, &st));
	/* This test's process was not hit. */
	EXPECT_EQ(0, vs_task_xid(0));
}

static int init_exits_7(void *arg)
{
	if (vs_ctx_create(123, NULL) != 123)
		return 100;
	if (vs_ctx_migrate(123, VXM_SET_INIT))
		return 101;
	usleep(300000);
	return 7;
}

TEST(wait_exit)
{
	struct vcmd_wait_exit r = { -1, -1 };
	pid_t pid;

	NEED_VSERVER();
	pid = fork();
	if (pid == 0)
		_exit(init_exits_7(NULL));
	ASSERT_LT(0, pid);
	/* Wait until the context exists, then for its end. */
	while (vs_ctx_stat(123, &(struct vcmd_ctx_stat){ 0 }) == -ESRCH)
		usleep(1000);
	ASSERT_EQ(0, vs_wait_exit(123, &r));
	EXPECT_EQ(0, r.reboot_cmd);
	EXPECT_EQ(7 << 8, r.exit_code);
	/* After wait_exit the xid is free again. */
	EXPECT_EQ(-ESRCH, vs_ctx_stat(123, &(struct vcmd_ctx_stat){ 0 }));
	waitpid(pid, NULL, 0);
}

TEST(wait_exit_errors)
{
	NEED_VSERVER();
	EXPECT_EQ(-ESRCH, vs_wait_exit(4247, &(struct vcmd_wait_exit){ 0 }));
	EXPECT_EQ(-EFAULT, vsc(VCMD_wait_exit, 4247, NULL));
	ASSERT_EQ(124, vs_ctx_create(124, NULL));
	/* Waiting for one's own context would never end. */
	EXPECT_EQ(-EDEADLK, vs_wait_exit(124, &(struct vcmd_wait_exit){ 0 }));
}

TEST_HARNESS_MAIN
