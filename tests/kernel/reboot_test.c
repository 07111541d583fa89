// SPDX-License-Identifier: GPL-2.0
/*
 * reboot(2) inside a guest never reaches the host: it kills the guest
 * (VXF_REBOOT_KILL) or starts the host's vshelper with the action.  A
 * test that failed here would reboot the test VM, which the harness
 * reports as a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <linux/reboot.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define HELPER_PATH "/proc/sys/kernel/vshelper"

static char out_file[64];

/* Install a helper that writes its arguments and VS_CMD to out_file. */
static int install_helper(void)
{
	char script[64];
	FILE *f;

	snprintf(out_file, sizeof(out_file), "/tmp/vshelper-%d.out", getpid());
	snprintf(script, sizeof(script), "/tmp/vshelper-%d.sh", getpid());
	unlink(out_file);
	f = fopen(script, "w");
	if (!f)
		return -1;
	fprintf(f, "#!/bin/sh\necho \"$1 $2 $VS_CMD\" > %s.tmp\nmv %s.tmp %s\n",
		out_file, out_file, out_file);
	fclose(f);
	chmod(script, 0755);
	f = fopen(HELPER_PATH, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", script);
	fclose(f);
	return 0;
}

/* Wait for the helper's output; returns it, or "" after 10 s. */
static const char *helper_output(void)
{
	static char buf[128];
	int i;

	buf[0] = 0;
	for (i = 0; i < 1000; i++) {
		FILE *f = fopen(out_file, "r");

		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = 0;
			fclose(f);
			buf[strcspn(buf, "\n")] = 0;
			return buf;
		}
		usleep(10000);
	}
	return buf;
}

struct guest_reboot {
	uint32_t xid;
	uint64_t flags;
	int cmd;
};

static int reboot_in_guest(void *arg)
{
	struct guest_reboot *g = arg;
	uint64_t flags = VXF_INIT_SET | g->flags;

	if (vs_ctx_create(g->xid, &flags) != (long)g->xid)
		return 100;
	if (reboot(g->cmd))
		return errno == EPERM ? 101 : 102;
	return 0;
}

TEST(reboot_kill_stops_only_the_guest)
{
	struct guest_reboot g = { 500, VXF_REBOOT_KILL, RB_AUTOBOOT };

	NEED_VSERVER();
	/* The guest's reboot kills the guest, caller included. */
	EXPECT_EQ(128, in_child(reboot_in_guest, &g));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(500, &(struct vcmd_ctx_stat){ 0 }));
}

TEST(reboot_calls_the_helper)
{
	static const struct { int cmd; const char *want; } cases[] = {
		{ RB_AUTOBOOT, "restart 501 01234567" },
		{ RB_HALT_SYSTEM, "halt 501 cdef0123" },
		{ RB_POWER_OFF, "poweroff 501 4321fedc" },
	};
	unsigned int i;

	NEED_VSERVER();
	ASSERT_EQ(0, install_helper());
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct guest_reboot g = { 501, 0, cases[i].cmd };

		unlink(out_file);
		EXPECT_EQ(0, in_child(reboot_in_guest, &g));
		EXPECT_STREQ(cases[i].want, helper_output());
	}
}

TEST(guest_cannot_kexec_or_switch_cad)
{
	struct guest_reboot g = { 502, 0, LINUX_REBOOT_CMD_KEXEC };

	NEED_VSERVER();
	EXPECT_EQ(101, in_child(reboot_in_guest, &g));
	/* Ctrl-Alt-Del is the host's: accepted, ignored. */
	g.cmd = RB_DISABLE_CAD;
	EXPECT_EQ(0, in_child(reboot_in_guest, &g));
}

static int nobody_reboots(void *arg)
{
	uint64_t flags = VXF_INIT_SET | VXF_REBOOT_KILL;

	if (vs_ctx_create(503, &flags) != 503)
		return 100;
	drop_privileges();
	if (reboot(RB_AUTOBOOT) == 0)
		return 1;
	/* Still alive: the context was not killed. */
	return errno == EPERM ? 0 : 2;
}

TEST(only_the_guests_root_reboots_it)
{
	NEED_VSERVER();
	EXPECT_EQ(0, in_child(nobody_reboots, NULL));
	EXPECT_EQ(-ESRCH, vs_ctx_stat(503, &(struct vcmd_ctx_stat){ 0 }));
}

static int end_with_helper(void *arg)
{
	uint64_t flags = VXF_INIT_SET | VXF_SC_HELPER;

	return vs_ctx_create(503, &flags) == 503 ? 0 : 100;
}

TEST(sc_helper_reports_the_end_of_a_context)
{
	NEED_VSERVER();
	ASSERT_EQ(0, install_helper());
	ASSERT_EQ(0, in_child(end_with_helper, NULL));
	EXPECT_STREQ("shutdown 503 00000000", helper_output());
}

TEST(spectator_cannot_reboot)
{
	NEED_VSERVER();
	ASSERT_EQ(0, vs_ctx_migrate(VX_ID_SPECTATOR, 0));
	EXPECT_EQ(-1, reboot(RB_AUTOBOOT));
	EXPECT_EQ(EPERM, errno);
}

static int guest_sets_helper(void *arg)
{
	FILE *f;

	if (vs_ctx_create(504, NULL) != 504)
		return 100;
	f = fopen(HELPER_PATH, "w");
	if (!f)
		return errno == EACCES || errno == EPERM ? 0 : 101;
	fprintf(f, "/tmp/evil\n");
	return fclose(f) == EOF && errno == EPERM ? 0 : 102;
}

TEST(guest_cannot_choose_the_helper)
{
	char path[256] = "";
	FILE *f;

	NEED_VSERVER();
	EXPECT_EQ(0, in_child(guest_sets_helper, NULL));
	f = fopen(HELPER_PATH, "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(path, sizeof(path), f));
	fclose(f);
	EXPECT_EQ(NULL, strstr(path, "/tmp/evil"));
}

static int reboot_twice(void *arg)
{
	uint64_t flags = VXF_INIT_SET;

	if (vs_ctx_create(505, &flags) != 505)
		return 100;
	if (reboot(RB_AUTOBOOT))
		return 101;
	usleep(200000);
	/* The second request starts no second helper. */
	if (reboot(RB_HALT_SYSTEM))
		return 102;
	return 0;
}

TEST(one_helper_per_context)
{
	NEED_VSERVER();
	ASSERT_EQ(0, install_helper());
	EXPECT_EQ(0, in_child(reboot_twice, NULL));
	EXPECT_STREQ("restart 505 01234567", helper_output());
	usleep(500000);
	EXPECT_STREQ("restart 505 01234567", helper_output());
}

TEST_HARNESS_MAIN
