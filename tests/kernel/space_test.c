// SPDX-License-Identifier: GPL-2.0
/*
 * Spaces and vhi names: namespaces held by a context, entering them, and
 * the uname fields a guest sees.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* In a child: new UTS namespace, hostname "inside", stored in @xid. */
static int make_guest(void *arg)
{
	uint32_t xid = *(uint32_t *)arg;
	uint64_t flags = VXF_INIT_SET | VXF_PERSISTENT;

	if (unshare(CLONE_NEWUTS | CLONE_NEWNS))
		return 100;
	if (sethostname("inside", 6))
		return 101;
	if (vs_ctx_create(xid, &flags) != (long)xid)
		return 102;
	if (vs_set_space(xid, VX_SPACE_NS | VX_SPACE_UTS, 0))
		return 103;
	return 0;
}

static void end_guest(uint32_t xid)
{
	vs_set_cflags(xid, 0, VXF_PERSISTENT);
}

TEST(space_masks)
{
	uint64_t mask = 0;

	NEED_VSERVER();
	ASSERT_EQ(0, vs_get_space_mask(&mask));
	EXPECT_EQ(VX_SPACE_FS | VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC |
		  VX_SPACE_PID | VX_SPACE_NET | VX_SPACE_CGROUP, mask);
	ASSERT_EQ(0, vs_get_space_default(&mask));
	EXPECT_EQ(VX_SPACE_FS | VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC,
		  mask);
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_space_mask, 0, NULL));
}

TEST(enter_space_joins_the_guests_namespaces)
{
	uint32_t xid = 400;
	struct utsname u;
	char host[65];

	NEED_VSERVER();
	ASSERT_EQ(0, gethostname(host, sizeof(host)));
	ASSERT_EQ(0, in_child(make_guest, &xid));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(host, u.nodename);
	ASSERT_EQ(0, vs_enter_space(xid, 0, 0));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ("inside", u.nodename);
	end_guest(xid);
}

TEST(vhi_names_set_what_the_guest_sees)
{
	uint32_t xid = 401;
	struct utsname u, host;
	char buf[65];

	NEED_VSERVER();
	ASSERT_EQ(0, uname(&host));
	ASSERT_EQ(0, in_child(make_guest, &xid));
	ASSERT_EQ(0, vs_set_vhi_name(xid, VHIN_NODENAME, "web1"));
	ASSERT_EQ(0, vs_set_vhi_name(xid, VHIN_RELEASE, "5.99.0-guest"));
	ASSERT_EQ(0, vs_set_vhi_name(xid, VHIN_MACHINE, "i686"));
	ASSERT_EQ(0, vs_set_vhi_name(xid, VHIN_CONTEXT, "/etc/vservers/web1"));
	ASSERT_EQ(0, vs_get_vhi_name(xid, VHIN_NODENAME, buf, sizeof(buf)));
	EXPECT_STREQ("web1", buf);
	ASSERT_EQ(0, vs_get_vhi_name(xid, VHIN_CONTEXT, buf, sizeof(buf)));
	EXPECT_STREQ("/etc/vservers/web1", buf);
	/* The host is untouched. */
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(host.nodename, u.nodename);
	EXPECT_STREQ(host.release, u.release);
	/* The guest sees the new values. */
	ASSERT_EQ(0, vs_enter_space(xid, 0, 0));
	ASSERT_EQ(0, vs_ctx_migrate(xid, 0));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ("web1", u.nodename);
	EXPECT_STREQ("5.99.0-guest", u.release);
	EXPECT_STREQ("i686", u.machine);
	EXPECT_STREQ(host.sysname, u.sysname);
	end_guest(xid);
}

TEST(vhi_name_errors)
{
	struct vcmd_vhi_name arg = { .field = VHIN_NODENAME };
	uint32_t xid = 402;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(xid, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	/* No UTS namespace stored yet. */
	strcpy(arg.name, "x");
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_vhi_name, xid, &arg));
	EXPECT_EQ(-EINVAL, vsc(VCMD_get_vhi_name, xid, &arg));
	arg.field = VHIN_MAX + 1;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_vhi_name, xid, &arg));
	arg.field = VHIN_CONTEXT;
	/* Padding is ignored (util-vserver leaves it uninitialised). */
	arg.pad[1] = 1;
	EXPECT_EQ(0, vsc(VCMD_set_vhi_name, xid, &arg));
	EXPECT_EQ(0, vsc(VCMD_get_vhi_name, xid, &arg));
	EXPECT_EQ(0, arg.pad[1]);
	memset(arg.name, 'a', sizeof(arg.name));
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_vhi_name, xid, &arg));
	strcpy(arg.name, "ok");
	EXPECT_EQ(0, vsc(VCMD_set_vhi_name, xid, &arg));
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_vhi_name, xid, BAD_PTR));
	EXPECT_EQ(-ESRCH, vsc(VCMD_set_vhi_name, 4245, &arg));
	drop_privileges();
	EXPECT_EQ(-EPERM, vsc(VCMD_set_vhi_name, xid, &arg));
	/* Reading needs no privilege. */
	EXPECT_EQ(0, vsc(VCMD_get_vhi_name, xid, &arg));
	close(fd);
}

TEST(space_errors)
{
	struct vcmd_space_mask m = { .mask = VX_SPACE_UTS };
	uint32_t xid = 403;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(xid, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	/* Nothing stored yet. */
	EXPECT_EQ(-ENOENT, vs_enter_space(xid, 0, 0));
	m.index = 2;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_space, xid, &m));
	m.index = 0;
	m.mask = VX_SPACE_USER;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_space, xid, &m));
	m.mask = 0;
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_space, xid, &m));
	EXPECT_EQ(-ESRCH, vs_enter_space(4246, 0, 0));
	/* The host's own UTS namespace is never stored for vhi names. */
	EXPECT_EQ(-EINVAL, vs_set_space(xid, VX_SPACE_UTS, 1));
	/*
	 * Entering takes a subset of what is stored; the root and the mount
	 * namespace come together, so FS alone asks for NS as well.
	 */
	ASSERT_EQ(0, vs_set_space(xid, VX_SPACE_IPC, 1));
	EXPECT_EQ(-EINVAL, vs_enter_space(xid, VX_SPACE_NET, 1));
	EXPECT_EQ(-EINVAL, vs_enter_space(xid, VX_SPACE_IPC | VX_SPACE_FS, 1));
	EXPECT_EQ(0, vs_enter_space(xid, VX_SPACE_IPC, 1));
	/* v1 is index 0 with a bare mask. */
	EXPECT_EQ(-ENOENT, vsc(VCMD_enter_space_v1, xid,
			       &(uint64_t){ 0 }));
	drop_privileges();
	EXPECT_EQ(-EPERM, vs_enter_space(xid, 0, 1));
	EXPECT_EQ(-EPERM, vs_set_space(xid, VX_SPACE_IPC, 0));
	close(fd);
}

TEST(guest_cannot_enter_spaces)
{
	uint32_t xid = 404;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(xid, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, vs_set_space(xid, VX_SPACE_IPC, 0));
	ASSERT_EQ(405, vs_ctx_create(405, NULL));
	EXPECT_EQ(-EPERM, vs_enter_space(xid, 0, 0));
	EXPECT_EQ(-EPERM, vs_set_space(xid, VX_SPACE_IPC, 0));
	/* Its own, during setup, it may set. */
	EXPECT_EQ(0, vs_set_space(405, VX_SPACE_IPC, 0));
	close(fd);
}

TEST(spaces_go_with_the_context)
{
	uint32_t xid = 406;
	struct vcmd_ctx_stat st;

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(make_guest, &xid));
	end_guest(xid);
	EXPECT_EQ(-ESRCH, vs_ctx_stat(xid, &st));
	EXPECT_EQ(-ESRCH, vs_enter_space(xid, 0, 0));
}

TEST_HARNESS_MAIN
