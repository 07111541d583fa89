// SPDX-License-Identifier: GPL-2.0
/*
 * CPU buckets: set_sched, get_sched, sched_info, set/get_prio_bias, their
 * error paths and /proc/virtual/<xid>/sched; a capped context is really
 * held.  xids 23000-23999.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <time.h>

#include "kselftest_harness.h"
#include "helpers.h"

static long ncpus(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static int sched_supported(uint32_t xid)
{
	struct vcmd_sched_v5 s = { .mask = VXSM_FORCE };

	return vs_set_sched(xid, &s) != -EOPNOTSUPP;
}

#define NEED_SCHED(xid) do { \
	NEED_VSERVER(); \
	if (!sched_supported(xid)) \
		SKIP(return, "kernel without CONFIG_CFS_BANDWIDTH"); \
} while (0)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Spin for @secs of wall time in @n processes; return their CPU seconds. */
static double burn(double secs, int n)
{
	struct rusage ru;
	double end = now_s() + secs;
	int i;

	for (i = 0; i < n; i++) {
		if (fork() == 0) {
			while (now_s() < end)
				;
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	getrusage(RUSAGE_CHILDREN, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static long sched_field(uint32_t xid, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/virtual/%u/sched", xid);
	return proc_field(path, name);
}

static int set_one(uint32_t xid, uint32_t mask, int32_t fill, int32_t intv)
{
	struct vcmd_sched_v5 s = {
		.mask = mask, .fill_rate = { fill, 0 }, .interval = { intv, 0 },
	};

	return vs_set_sched(xid, &s);
}

/* ---- error paths, in the order switch.c checks them ---- */

TEST(old_versions_are_enosys)
{
	struct vcmd_sched_v5 s = { 0 };

	NEED_VSERVER();
	EXPECT_EQ(-ENOSYS, vsc(VC_CMD(SCHED, 1, 4), 23000, &s));
	EXPECT_EQ(-ENOSYS, vsc(VC_CMD(SCHED, 2, 4), 23000, &s));
}

TEST(set_sched_unprivileged_is_eperm)
{
	struct vcmd_sched_v5 s = { .mask = VXSM_FILL_RATE };

	NEED_VSERVER();
	drop_privileges();
	EXPECT_EQ(-EPERM, vs_set_sched(23001, &s));
	EXPECT_EQ(-EPERM, vs_set_prio_bias(23001, 1));
}

TEST(set_sched_bad_pointer_is_efault)
{
	NEED_VSERVER();
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_sched, 23002, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_sched, 23002, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_sched_info, 23002, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_prio_bias, 23002, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_prio_bias, 23002, BAD_PTR));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_sched, 23002, NULL));
}

TEST(no_such_context_is_esrch)
{
	struct vcmd_sched_v5 s = { .mask = VXSM_FILL_RATE };
	struct vcmd_sched_info info;
	int32_t bias;

	NEED_VSERVER();
	EXPECT_EQ(-ESRCH, vs_set_sched(23003, &s));
	EXPECT_EQ(-ESRCH, vs_get_sched(23003, &s));
	EXPECT_EQ(-ESRCH, vs_sched_info(23003, -1, &info));
	EXPECT_EQ(-ESRCH, vs_set_prio_bias(23003, 0));
	EXPECT_EQ(-ESRCH, vs_get_prio_bias(23003, &bias));
}

TEST(set_sched_invalid_arguments)
{
	struct vcmd_sched_v5 s;
	uint32_t xid = 23004;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);

	s = (struct vcmd_sched_v5){ .mask = 0x80000000 };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("unknown mask bit");
	s = (struct vcmd_sched_v5){ .mask = VXSM_CPU_ID, .cpu_id = 4096 };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("no such CPU");
	s = (struct vcmd_sched_v5){ .mask = VXSM_CPU_ID, .cpu_id = -2 };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("CPU -2");
	s = (struct vcmd_sched_v5){ .mask = VXSM_BUCKET_ID, .bucket_id = 1 };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("bucket 1");
	EXPECT_EQ(-EINVAL, set_one(xid, VXSM_FILL_RATE, -1, 0));
	EXPECT_EQ(-EINVAL, set_one(xid, VXSM_INTERVAL, 0, -1));
	s = (struct vcmd_sched_v5){ .mask = VXSM_FILL_RATE2,
				    .fill_rate = { 0, -1 } };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("fill_rate2 -1");
	s = (struct vcmd_sched_v5){ .mask = VXSM_INTERVAL2,
				    .interval = { 0, -1 } };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("interval2 -1");
	s = (struct vcmd_sched_v5){ .mask = VXSM_PRIO_BIAS, .prio_bias = 20 };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("bias 20");
	s = (struct vcmd_sched_v5){ .mask = VXSM_PRIO_BIAS, .prio_bias = -21 };
	EXPECT_EQ(-EINVAL, vs_set_sched(xid, &s)) TH_LOG("bias -21");
	/* Values outside their mask bits are ignored. */
	s = (struct vcmd_sched_v5){ .mask = VXSM_FORCE, .fill_rate = { -5 },
				    .cpu_id = 4096, .prio_bias = 99 };
	EXPECT_EQ(0, vs_set_sched(xid, &s));
	/* Nothing changed by the refused calls. */
	EXPECT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(0, s.fill_rate[0]);
	EXPECT_EQ(0, s.prio_bias);
}

TEST(get_sched_and_info_invalid_arguments)
{
	struct vcmd_sched_v5 s;
	struct vcmd_sched_info info = { .cpu_id = -1, .bucket_id = 1 };
	struct vcmd_prio_bias pb = { .cpu_id = 4096 };
	uint32_t xid = 23005;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	s = (struct vcmd_sched_v5){ .mask = 0x80000000 };
	EXPECT_EQ(-EINVAL, vs_get_sched(xid, &s));
	s = (struct vcmd_sched_v5){ .mask = VXSM_CPU_ID, .cpu_id = 4096 };
	EXPECT_EQ(-EINVAL, vs_get_sched(xid, &s));
	s = (struct vcmd_sched_v5){ .mask = VXSM_BUCKET_ID, .bucket_id = 2 };
	EXPECT_EQ(-EINVAL, vs_get_sched(xid, &s));
	EXPECT_EQ(-EINVAL, vs_sched_info(xid, 4096, &info));
	EXPECT_EQ(-EINVAL, vsc(VCMD_sched_info, xid, &info)) TH_LOG("bucket");
	EXPECT_EQ(-EINVAL, vsc(VCMD_get_prio_bias, xid, &pb));
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_prio_bias, xid, &pb));
	pb = (struct vcmd_prio_bias){ .cpu_id = -1, .prio_bias = 20 };
	EXPECT_EQ(-EINVAL, vsc(VCMD_set_prio_bias, xid, &pb));
}

TEST(guest_cannot_touch_another_context)
{
	struct vcmd_sched_v5 s = { .mask = VXSM_FILL_RATE, .fill_rate = { 1 } };
	struct vcmd_sched_info info;
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(23006, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	ASSERT_EQ(23007, vs_ctx_create(23007, NULL));
	EXPECT_EQ(-EPERM, vs_set_sched(23006, &s));
	EXPECT_EQ(-ESRCH, vs_get_sched(23006, &s));
	EXPECT_EQ(-ESRCH, vs_sched_info(23006, -1, &info));
	close(fd);
}

TEST(guest_after_setup_is_eperm)
{
	struct vcmd_sched_v5 s = { .mask = VXSM_FILL_RATE, .fill_rate = { 1 } };
	uint32_t xid = 23008;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	/* During setup, the guest configures itself (vsched --xid self). */
	EXPECT_EQ(0, vs_set_sched(VX_ID_SELF, &s));
	ASSERT_EQ(0, vs_set_cflags(xid, 0, VXF_STATE_SETUP));
	EXPECT_EQ(-EPERM, vs_set_sched(VX_ID_SELF, &s));
	EXPECT_EQ(-EPERM, vs_set_prio_bias(VX_ID_SELF, 1));
	/* It may still read its bucket. */
	EXPECT_EQ(0, vs_get_sched(VX_ID_SELF, &s));
}

/* ---- behaviour ---- */

TEST(defaults_without_bucket)
{
	struct vcmd_sched_v5 s = { 0 };
	struct vcmd_sched_info info;
	uint32_t xid = 23010;
	long hz;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	ASSERT_EQ(0, vs_sched_info(xid, -1, &info));
	ASSERT_LT(0, info.token_usec);
	hz = 1000000 / info.token_usec;
	ASSERT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(0, s.fill_rate[0]);
	EXPECT_EQ(hz, s.interval[0]);
	EXPECT_EQ(hz, s.tokens_max);
	EXPECT_EQ(hz / 3, s.tokens_min);
	EXPECT_EQ(0, s.mask & VXSM_IDLE_TIME);
	s = (struct vcmd_sched_v5){ .mask = VXSM_MSEC };
	ASSERT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(1000, s.interval[0]);
	EXPECT_EQ(-1, sched_field(xid, "QuotaUs"));
}

TEST(set_get_round_trip)
{
	struct vcmd_sched_v5 s = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_FILL_RATE2 |
			VXSM_INTERVAL2 | VXSM_TOKENS_MIN | VXSM_TOKENS_MAX |
			VXSM_PRIO_BIAS | VXSM_IDLE_TIME,
		.fill_rate = { 1, 3 }, .interval = { 4, 5 },
		.tokens_min = 2, .tokens_max = 9, .prio_bias = 3,
	};
	uint32_t xid = 23011;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(1, s.fill_rate[0]);
	EXPECT_EQ(3, s.fill_rate[1]);
	EXPECT_EQ(4, s.interval[0]);
	EXPECT_EQ(5, s.interval[1]);
	EXPECT_EQ(2, s.tokens_min);
	EXPECT_EQ(9, s.tokens_max);
	EXPECT_EQ(3, s.prio_bias);
	EXPECT_TRUE(s.mask & VXSM_IDLE_TIME);
	EXPECT_EQ(1, sched_field(xid, "IdleTime"));

	/* Fields outside the mask keep their value; idle time goes. */
	s = (struct vcmd_sched_v5){ .mask = VXSM_FILL_RATE,
				    .fill_rate = { 2 } };
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	ASSERT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(2, s.fill_rate[0]);
	EXPECT_EQ(4, s.interval[0]);
	EXPECT_EQ(3, s.prio_bias);
	EXPECT_FALSE(s.mask & VXSM_IDLE_TIME);

	/* Milliseconds. */
	s = (struct vcmd_sched_v5){ .mask = VXSM_INTERVAL | VXSM_MSEC,
				    .interval = { 200 } };
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	s = (struct vcmd_sched_v5){ .mask = VXSM_MSEC };
	ASSERT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(200, s.interval[0]);
}

TEST(quota_is_the_share_of_the_machine)
{
	uint32_t xid = 23012;
	struct vcmd_sched_v5 s;
	struct vcmd_sched_info info;
	long period, quota, tick_us;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, vs_sched_info(xid, -1, &info));
	tick_us = info.token_usec;
	/* 1 token every 4 ticks: 25% of every CPU (refills of 1 token). */
	s = (struct vcmd_sched_v5){ .mask = VXSM_TOKENS_MIN, .tokens_min = 1 };
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL, 1, 4));
	period = sched_field(xid, "PeriodUs");
	quota = sched_field(xid, "QuotaUs");
	EXPECT_EQ(4 * tick_us, period);
	EXPECT_EQ(period * ncpus() / 4, quota);
	EXPECT_EQ(1024, sched_field(xid, "Weight"));
	/* A full rate is no limit. */
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL, 4, 4));
	EXPECT_EQ(-1, sched_field(xid, "QuotaUs"));
	/* Fill rate 0: no limit either. */
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE, 0, 0));
	EXPECT_EQ(-1, sched_field(xid, "QuotaUs"));
}

/*
 * A held context waits for tokens_min tokens: the period covers
 * ceil(tokens_min / fill_rate) intervals, the share stays the same.
 */
TEST(tokens_min_lengthens_the_period)
{
	uint32_t xid = 23020;
	struct vcmd_sched_v5 s = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_TOKENS_MIN,
		.fill_rate = { 2 }, .interval = { 8 }, .tokens_min = 9,
	};
	struct vcmd_sched_info info;
	long tick_us, period, quota;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, vs_sched_info(xid, -1, &info));
	tick_us = info.token_usec;
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	/* 9 tokens at 2 per 8 ticks: 5 intervals, 40 ticks, 10 tokens. */
	period = sched_field(xid, "PeriodUs");
	quota = sched_field(xid, "QuotaUs");
	EXPECT_EQ(40 * tick_us, period);
	EXPECT_EQ(period * ncpus() / 4, quota);
	EXPECT_EQ(10, sched_field(xid, "RefillTokens"));
	EXPECT_EQ(9, sched_field(xid, "TokensMin"));
	/* At most the fill rate: one interval. */
	s = (struct vcmd_sched_v5){ .mask = VXSM_TOKENS_MIN, .tokens_min = 2 };
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	EXPECT_EQ(8 * tick_us, sched_field(xid, "PeriodUs"));
	EXPECT_EQ(2, sched_field(xid, "RefillTokens"));
	/* Far beyond: the CFS maximum of 1 s, still a quarter. */
	s.tokens_min = 100000;
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	EXPECT_EQ(1000000, sched_field(xid, "PeriodUs"));
	EXPECT_EQ(1000000 * ncpus() / 4, sched_field(xid, "QuotaUs"));
}

/* CFS bandwidth is one pool: a bucket of one CPU cannot be set. */
TEST(per_cpu_bucket_is_not_supported)
{
	uint32_t xid = 23021;
	struct vcmd_sched_v5 s = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_CPU_ID,
		.fill_rate = { 1 }, .interval = { 4 }, .cpu_id = 0,
	};
	struct vcmd_prio_bias pb = { .cpu_id = 0, .prio_bias = 3 };

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	EXPECT_EQ(-EOPNOTSUPP, vs_set_sched(xid, &s));
	EXPECT_EQ(-1, sched_field(xid, "QuotaUs"));
	/* -1 is every CPU: the one bucket. */
	s.cpu_id = -1;
	EXPECT_EQ(0, vs_set_sched(xid, &s));
	EXPECT_LT(0, sched_field(xid, "QuotaUs"));
	/* The bias is the group's weight on every CPU: any CPU names it. */
	EXPECT_EQ(0, vsc(VCMD_set_prio_bias, xid, &pb));
	EXPECT_EQ(3, sched_field(xid, "PrioBias"));
	/* Reading one CPU's view is fine: it is the same bucket. */
	s = (struct vcmd_sched_v5){ .mask = VXSM_CPU_ID, .cpu_id = 0 };
	EXPECT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_EQ(1, s.fill_rate[0]);
}

TEST(prio_bias_sets_the_weight)
{
	uint32_t xid = 23013;
	int32_t bias = 99;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, vs_set_prio_bias(xid, 5));
	ASSERT_EQ(0, vs_get_prio_bias(xid, &bias));
	EXPECT_EQ(5, bias);
	EXPECT_EQ(335, sched_field(xid, "Weight"));	/* nice 5 */
	ASSERT_EQ(0, vs_set_prio_bias(xid, -5));
	EXPECT_EQ(3121, sched_field(xid, "Weight"));	/* nice -5 */
	EXPECT_EQ(-5, sched_field(xid, "PrioBias"));
}

TEST(soft_mode_turns_the_share_into_weight)
{
	uint32_t xid = 23014;
	long w;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL, 1, 4));
	ASSERT_LT(0, sched_field(xid, "QuotaUs"));
	ASSERT_EQ(0, vs_set_cflags(xid, VXF_SCHED_PRIO, VXF_SCHED_PRIO));
	EXPECT_EQ(-1, sched_field(xid, "QuotaUs"));
	w = sched_field(xid, "Weight");
	EXPECT_EQ(1024 * ncpus() / 4, w);
	/* sched_hard wins over sched_prio. */
	ASSERT_EQ(0, vs_set_cflags(xid, VXF_SCHED_HARD, VXF_SCHED_HARD));
	EXPECT_LT(0, sched_field(xid, "QuotaUs"));
	EXPECT_EQ(1024, sched_field(xid, "Weight"));
}

TEST(tokens_and_force)
{
	struct vcmd_sched_info info;
	struct vcmd_sched_v5 s = {
		.mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_TOKENS |
			VXSM_MSEC,
		.interval = { 1000 }, .tokens = 0,
	};
	uint32_t xid = 23015;
	long fill;
	int fd;

	NEED_VSERVER();
	/*
	 * Watched from the host: a reader inside the context would itself
	 * be held by the empty bucket until the refill, and read it full.
	 */
	fd = spawn_ctx(xid, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	NEED_SCHED(xid);
	ASSERT_EQ(0, vs_sched_info(xid, -1, &info));
	/* 100 ms of every CPU per second; a 1 s period refills rarely. */
	fill = 100000 / info.token_usec;
	s.fill_rate[0] = fill;
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	EXPECT_GT(fill / 2, sched_field(xid, "Tokens"));
	s = (struct vcmd_sched_v5){ .mask = VXSM_FORCE };
	ASSERT_EQ(0, vs_set_sched(xid, &s));
	/* Full: a period's fill plus the burst (capped at one fill). */
	EXPECT_LE(fill, sched_field(xid, "Tokens"));
	ASSERT_EQ(0, vs_get_sched(xid, &s));
	EXPECT_LE(fill, s.tokens);
	EXPECT_EQ(0, end_ctx(fd, xid));
}

TEST(capped_context_is_held)
{
	struct vcmd_sched_info info;
	uint32_t xid = 23016;
	double cpu, limit, secs = 2.0;
	long n = ncpus();

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	/* 1 token per 10 ticks: 10% of the machine. */
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL, 1, 10));
	cpu = burn(secs, n);
	limit = 0.10 * n * secs;
	/* TCG is slow and coarse: generous, but far below n * secs. */
	EXPECT_GT(limit * 2 + 0.1, cpu) TH_LOG("used %.2f s, cap %.2f s",
					       cpu, limit);
	EXPECT_LT(0, sched_field(xid, "Throttled"));
	EXPECT_LT(0, sched_field(xid, "ThrottledMs"));
	ASSERT_EQ(0, vs_sched_info(xid, -1, &info));
	EXPECT_LT(0, info.hold_msec);
	EXPECT_LE(cpu * 1000 / 2, info.user_msec + info.sys_msec)
		TH_LOG("used %.2f s, sched_info %llu+%llu ms", cpu,
		       (unsigned long long)info.user_msec,
		       (unsigned long long)info.sys_msec);
}

TEST(uncapped_context_is_not_held)
{
	uint32_t xid = 23017;
	double cpu, secs = 1.0;

	NEED_VSERVER();
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL, 0, 10));
	cpu = burn(secs, 1);
	EXPECT_LT(secs * 0.6, cpu);
	EXPECT_EQ(0, sched_field(xid, "Throttled"));
}

TEST(pause_holds_the_context)
{
	uint32_t xid = 23019;
	pid_t kids[8];
	long base, used;
	int fd, i, n = ncpus() < 8 ? ncpus() : 8;

	NEED_VSERVER();
	/*
	 * Watched from the host, with only the burners in the context: a
	 * test process inside would get 1 ms a second too.
	 */
	fd = spawn_ctx(xid, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	NEED_SCHED(xid);
	ASSERT_EQ(0, vs_set_cflags(xid, VXF_SCHED_PAUSE, VXF_SCHED_PAUSE));
	EXPECT_EQ(1000, sched_field(xid, "QuotaUs"));
	EXPECT_EQ(1000000, sched_field(xid, "PeriodUs"));
	base = sched_field(xid, "UsageMs");
	for (i = 0; i < n; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			if (vs_ctx_migrate(xid, 0))
				_exit(1);
			for (;;)
				;
		}
	}
	usleep(1500000);
	used = sched_field(xid, "UsageMs") - base;
	/* 1 ms a second; TCG's ticks make it coarser. */
	EXPECT_GT(150, used) TH_LOG("used %ld ms while paused", used);
	/* The burners are in the group, and held. */
	EXPECT_LT(0, sched_field(xid, "Throttled") +
		     sched_field(xid, "ThrottledNow"));
	ASSERT_EQ(0, vs_set_cflags(xid, 0, VXF_SCHED_PAUSE));
	EXPECT_EQ(-1, sched_field(xid, "QuotaUs"));
	for (i = 0; i < n; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	EXPECT_EQ(0, end_ctx(fd, xid));
}

/* A task in a non-root cgroup keeps its cgroup's group. */
TEST(cgroup_wins_over_the_bucket)
{
	uint32_t xid = 23018;
	char pid[16];
	double cpu, secs = 1.0;
	int fd;

	NEED_VSERVER();
	mkdir("/sys/fs/cgroup", 0755);
	if (!exists("/sys/fs/cgroup/cgroup.controllers") &&
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL))
		SKIP(return, "no cgroup2");
	fd = open("/sys/fs/cgroup/cgroup.subtree_control", O_WRONLY);
	if (fd < 0 || write(fd, "+cpu", 4) != 4)
		SKIP(return, "no cpu controller");
	close(fd);
	if (mkdir("/sys/fs/cgroup/sched23018", 0755) && errno != EEXIST)
		SKIP(return, "cannot create a cgroup");
	fd = open("/sys/fs/cgroup/sched23018/cgroup.procs", O_WRONLY);
	ASSERT_LE(0, fd);
	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_LT(0, write(fd, pid, strlen(pid)));
	close(fd);
	ASSERT_EQ(xid, vs_ctx_create(xid, NULL));
	NEED_SCHED(xid);
	ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL, 1, 20));
	cpu = burn(secs, 1);
	/* 5% would be 0.05 * ncpus s: the cgroup has no limit. */
	EXPECT_LT(secs * 0.5, cpu) TH_LOG("used %.2f s", cpu);
	EXPECT_EQ(0, sched_field(xid, "Throttled"));
}

TEST(many_buckets_come_and_go)
{
	uint32_t xid;
	int i, fd;

	NEED_VSERVER();
	for (i = 0; i < 40; i++) {
		xid = 23100 + i;
		fd = spawn_ctx(xid, VXF_INIT_SET);
		ASSERT_LE(0, fd);
		if (!sched_supported(xid)) {
			close(fd);
			SKIP(return, "kernel without CONFIG_CFS_BANDWIDTH");
		}
		ASSERT_EQ(0, set_one(xid, VXSM_FILL_RATE | VXSM_INTERVAL |
				     VXSM_IDLE_TIME, 1, 8));
		ASSERT_EQ(0, end_ctx(fd, xid));
	}
}

TEST_HARNESS_MAIN
