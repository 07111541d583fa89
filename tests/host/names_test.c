// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver on the host: name tables and argument parsing (no kernel
 * support needed).
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "libvserver.h"

TEST(cflag_names_round_trip)
{
	uint64_t bit;
	int i;

	for (i = 0; i < 64; i++) {
		const char *name = vs_cflag_name(1ULL << i);

		if (!name)
			continue;
		ASSERT_EQ(0, vs_cflag_from_name(name, &bit));
		EXPECT_EQ(1ULL << i, bit);
		/* Every named single bit is one the kernel accepts. */
		EXPECT_NE(0, (1ULL << i) & VXF_MASK) TH_LOG("%s", name);
	}
	ASSERT_EQ(0, vs_cflag_from_name("PERSISTENT", &bit));
	EXPECT_EQ(VXF_PERSISTENT, bit);
	EXPECT_EQ(-EINVAL, vs_cflag_from_name("nosuchflag", &bit));
	EXPECT_EQ(-EINVAL, vs_cflag_from_name("", &bit));
}

TEST(cflag_aliases)
{
	uint64_t bit;

	ASSERT_EQ(0, vs_cflag_from_name("default", &bit));
	EXPECT_EQ(VXF_VIRT_UPTIME | VXF_SC_HELPER, bit);
	ASSERT_EQ(0, vs_cflag_from_name("secure", &bit));
	EXPECT_EQ(VXF_HIDE_NETIF, bit);
}

TEST(parse_cflag_lists)
{
	uint64_t set = 0, mask = 0;

	ASSERT_EQ(0, vs_parse_cflags("persistent,virt_mem", &set, &mask));
	EXPECT_EQ(VXF_PERSISTENT | VXF_VIRT_MEM, set);
	EXPECT_EQ(VXF_PERSISTENT | VXF_VIRT_MEM, mask);
	ASSERT_EQ(0, vs_parse_cflags("~virt_mem,!persistent", &set, &mask));
	EXPECT_EQ(0, set);
	EXPECT_EQ(VXF_PERSISTENT | VXF_VIRT_MEM, mask);
	/* A bad list changes nothing. */
	set = mask = 0;
	EXPECT_EQ(-EINVAL, vs_parse_cflags("persistent,bogus", &set, &mask));
	EXPECT_EQ(0, set);
	EXPECT_EQ(0, mask);
	EXPECT_EQ(-EINVAL, vs_parse_cflags("", &set, &mask));
	EXPECT_EQ(-EINVAL, vs_parse_cflags("~", &set, &mask));
}

TEST(parse_xid)
{
	uint32_t xid;

	ASSERT_EQ(0, vs_parse_xid("2", &xid, 0));
	EXPECT_EQ(2, xid);
	ASSERT_EQ(0, vs_parse_xid("49151", &xid, 0));
	EXPECT_EQ(49151, xid);
	ASSERT_EQ(0, vs_parse_xid("dynamic", &xid, 1));
	EXPECT_EQ(VX_DYNAMIC_ID, xid);
	EXPECT_EQ(-EINVAL, vs_parse_xid("dynamic", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("0", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("1", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("65536", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("-5", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("+5", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("12abc", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("", &xid, 0));
	EXPECT_EQ(-EINVAL, vs_parse_xid("99999999999999999999", &xid, 0));
}

TEST(command_numbers_match_vci)
{
	EXPECT_EQ(0x00000000, VCMD_get_version);
	EXPECT_EQ(0x00010000, VCMD_get_vci);
	EXPECT_EQ(0x09010000, VCMD_ctx_create_v0);
	EXPECT_EQ(0x09010001, VCMD_ctx_create);
	EXPECT_EQ(0x0b010001, VCMD_ctx_migrate);
	EXPECT_EQ(0x2e010000, VCMD_task_xid);
	EXPECT_EQ(0x2e050000, VCMD_vx_info);
	EXPECT_EQ(0x28000000, VCMD_ctx_stat);
	EXPECT_EQ(0x34010000, VCMD_get_cflags);
	EXPECT_EQ(0x34020000, VCMD_set_cflags);
	EXPECT_EQ(0x0c010000, VCMD_ctx_kill);
	EXPECT_EQ(8, sizeof(struct vcmd_ctx_create));
	EXPECT_EQ(16, sizeof(struct vcmd_ctx_flags));
	EXPECT_EQ(8, sizeof(struct vcmd_ctx_kill));
}

TEST_HARNESS_MAIN
