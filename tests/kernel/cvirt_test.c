// SPDX-License-Identifier: GPL-2.0
/*
 * What a guest learns about the machine: uptime, load, memory and CPUs,
 * through /proc and sysinfo(2), with and without the VXF_VIRT_* flags.
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define CG "/sys/fs/cgroup"

static double proc_uptime(void)
{
	double up = -1;
	FILE *f = fopen("/proc/uptime", "r");

	if (f) {
		if (fscanf(f, "%lf", &up) != 1)
			up = -1;
		fclose(f);
	}
	return up;
}

/* "running/threads" of /proc/loadavg. */
static int proc_loadavg_tasks(int *running, int *threads)
{
	double a, b, c;
	int ret = -1;
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%lf %lf %lf %d/%d", &a, &b, &c, running,
			   threads) == 5)
			ret = 0;
		fclose(f);
	}
	return ret;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -errno;
}

/* Put the caller into a new memory cgroup limited to @bytes. */
static int enter_memcg(const char *name, const char *bytes)
{
	char path[128], pid[16];

	mkdir(CG, 0755);
	if (!exists(CG "/cgroup.controllers") &&
	    mount("cgroup2", CG, "cgroup2", 0, NULL))
		return -errno;
	if (write_file(CG "/cgroup.subtree_control", "+memory"))
		return -EOPNOTSUPP;
	snprintf(path, sizeof(path), CG "/%s", name);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), CG "/%s/memory.max", name);
	if (write_file(path, bytes))
		return -EINVAL;
	snprintf(path, sizeof(path), CG "/%s/cgroup.procs", name);
	snprintf(pid, sizeof(pid), "%d", getpid());
	return write_file(path, pid);
}

TEST(uptime_counts_from_context_creation)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_UPTIME;
	struct sysinfo si;
	double host, guest;

	NEED_VSERVER();
	host = proc_uptime();
	ASSERT_LT(0, host);
	ASSERT_EQ(300, vs_ctx_create(300, &flags));
	sleep(1);
	guest = proc_uptime();
	/* Without the flag the guest would see host + 1 s. */
	EXPECT_LE(0.9, guest);
	EXPECT_GT(host + 0.9, guest) TH_LOG("host %.2f guest %.2f", host, guest);
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_LE(1, si.uptime);
	EXPECT_GT((long)(host + 1.0) + 1, si.uptime);
}

TEST(uptime_without_flag_is_the_hosts)
{
	double host, guest;

	NEED_VSERVER();
	host = proc_uptime();
	ASSERT_EQ(301, vs_ctx_create(301, NULL));
	guest = proc_uptime();
	EXPECT_LE(host, guest);
}

TEST(loadavg_counts_the_contexts_tasks)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_LOAD;
	int running, threads, host_threads, i;
	pid_t kids[2];
	struct sysinfo si;

	NEED_VSERVER();
	ASSERT_EQ(0, proc_loadavg_tasks(&running, &host_threads));
	ASSERT_EQ(302, vs_ctx_create(302, &flags));
	ASSERT_EQ(0, proc_loadavg_tasks(&running, &threads));
	EXPECT_EQ(1, threads);
	/* The reader does not count itself as load. */
	EXPECT_EQ(0, running);
	EXPECT_LT(threads, host_threads);
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				;
	}
	ASSERT_EQ(0, proc_loadavg_tasks(&running, &threads));
	EXPECT_EQ(3, threads);
	EXPECT_LE(1, running);
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_EQ(3, si.procs);
	for (i = 0; i < 2; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
}

TEST(memory_is_the_cgroup_limit)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_MEM;
	unsigned long long total = 0, avail = 0, memfree = 0;
	char line[128];
	struct sysinfo si;
	FILE *f;
	int ret;

	NEED_VSERVER();
	ret = enter_memcg("vs-cvirt-64m", "67108864");
	if (ret == -EOPNOTSUPP)
		SKIP(return, "no memory cgroup controller");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(303, vs_ctx_create(303, &flags));

	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_EQ(64ULL << 20, (unsigned long long)si.totalram * si.mem_unit);
	EXPECT_GE(si.totalram, si.freeram);
	EXPECT_LT(0, si.freeram);

	f = fopen("/proc/meminfo", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "MemTotal: %llu kB", &total);
		sscanf(line, "MemFree: %llu kB", &memfree);
		sscanf(line, "MemAvailable: %llu kB", &avail);
	}
	fclose(f);
	EXPECT_EQ(65536, total);
	EXPECT_GE(total, memfree);
	EXPECT_GE(total, avail);
	EXPECT_LE(memfree, avail);
}

TEST(memory_without_flag_is_the_hosts)
{
	struct sysinfo host, si;
	int ret;

	NEED_VSERVER();
	ASSERT_EQ(0, sysinfo(&host));
	ret = enter_memcg("vs-cvirt-64m-b", "67108864");
	if (ret == -EOPNOTSUPP)
		SKIP(return, "no memory cgroup controller");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(304, vs_ctx_create(304, NULL));
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_EQ(host.totalram, si.totalram);
	EXPECT_LT(64ULL << 20, (unsigned long long)si.totalram * si.mem_unit);
}

TEST(memory_without_limit_is_the_hosts)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_MEM;
	struct sysinfo host, si;

	NEED_VSERVER();
	ASSERT_EQ(0, sysinfo(&host));
	ASSERT_EQ(305, vs_ctx_create(305, &flags));
	ASSERT_EQ(0, sysinfo(&si));
	EXPECT_EQ(host.totalram, si.totalram);
}

/* Lines of @path that start with @prefix followed by a digit. */
static int count_cpu_lines(const char *path, const char *prefix)
{
	char line[512];
	size_t len = strlen(prefix);
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, len) &&
		    (line[len] >= '0' && line[len] <= '9'))
			n++;
	fclose(f);
	return n;
}

/* Lines of @path that start with @prefix. */
static int count_prefix(const char *path, const char *prefix)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, prefix, strlen(prefix)))
			n++;
	fclose(f);
	return n;
}

static int count_processors(void)
{
	/* "processor\t: N" */
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/cpuinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "processor", 9))
			n++;
	fclose(f);
	return n;
}

static int pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

TEST(cpus_are_the_pinned_ones)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_CPU;
	int host = count_processors();

	NEED_VSERVER();
	if (host < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(host, count_cpu_lines("/proc/stat", "cpu"));
	ASSERT_EQ(0, pin_to_cpu0());
	/* Pinned but on the host: the host's view. */
	EXPECT_EQ(host, count_processors());
	ASSERT_EQ(302, vs_ctx_create(302, &flags));
	EXPECT_EQ(1, count_processors());
	EXPECT_EQ(1, count_prefix("/proc/stat", "cpu0 "));
	EXPECT_EQ(1, count_cpu_lines("/proc/stat", "cpu"));
}

/* The first line of @path, newline removed; "" if it cannot be read. */
static void first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (f && fgets(buf, len, f))
		buf[strcspn(buf, "\n")] = '\0';
	if (f)
		fclose(f);
}

TEST(sys_cpu_lists_are_the_pinned_ones)
{
	uint64_t flags = VXF_INIT_SET | VXF_VIRT_CPU;
	char host[64], buf[64];

	NEED_VSERVER();
	first_line("/sys/devices/system/cpu/online", host, sizeof(host));
	ASSERT_NE(0, host[0]);
	if (!strcmp(host, "0"))
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, pin_to_cpu0());
	first_line("/sys/devices/system/cpu/online", buf, sizeof(buf));
	EXPECT_STREQ(host, buf);
	ASSERT_EQ(304, vs_ctx_create(304, &flags));
	first_line("/sys/devices/system/cpu/online", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	first_line("/sys/devices/system/cpu/possible", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	first_line("/sys/devices/system/cpu/present", buf, sizeof(buf));
	EXPECT_STREQ("0", buf);
	/* What glibc makes of it. */
	EXPECT_EQ(1, sysconf(_SC_NPROCESSORS_ONLN));
}

TEST(sys_cpu_lists_without_flag_are_the_hosts)
{
	char host[64], buf[64];

	NEED_VSERVER();
	first_line("/sys/devices/system/cpu/online", host, sizeof(host));
	ASSERT_EQ(0, pin_to_cpu0());
	ASSERT_EQ(305, vs_ctx_create(305, NULL));
	first_line("/sys/devices/system/cpu/online", buf, sizeof(buf));
	EXPECT_STREQ(host, buf);
}

TEST(cpus_without_flag_are_the_hosts)
{
	int host = count_processors();

	NEED_VSERVER();
	ASSERT_EQ(0, pin_to_cpu0());
	ASSERT_EQ(303, vs_ctx_create(303, NULL));
	EXPECT_EQ(host, count_processors());
	EXPECT_EQ(host, count_cpu_lines("/proc/stat", "cpu"));
}

TEST_HARNESS_MAIN
