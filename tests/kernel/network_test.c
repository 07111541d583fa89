// SPDX-License-Identifier: GPL-2.0
/*
 * Network contexts: every command and its error paths, and the socket
 * rules (bind, connect, sendmsg, raw and packet sockets) for TCP, UDP and
 * IPv6 on a dummy interface shared by the host and two guests:
 *
 *   vsnet0  192.0.2.1/24 2001:db8::1/64  guest A (loopback 127.20.0.1)
 *           192.0.2.2/24 2001:db8::2/64  guest B (loopback 127.20.0.2)
 *           192.0.2.3/24 2001:db8::3/64  the host only
 *           192.0.2.4/24 2001:db8::4/64  guest A's second address
 *           192.0.2.5/24 2001:db8::5/64  guest B's second address
 *
 * Each TEST runs in its own child process, so a test may enter a network
 * context; it ends with the test.  nids 20000-20999.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/inet_diag.h>
#include <linux/neighbour.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

#define A4 "192.0.2.1"
#define B4 "192.0.2.2"
#define H4 "192.0.2.3"
#define A6 "2001:db8::1"
#define B6 "2001:db8::2"
#define H6 "2001:db8::3"
#define ALB "127.20.0.1"
#define A4B "192.0.2.4"
#define B4B "192.0.2.5"
#define A6B "2001:db8::4"
#define B6B "2001:db8::5"
#define BLB "127.20.0.2"

/* Create the shared dummy interface once per boot; 0 or -1. */
static int net_setup(void)
{
	if (exists("/sys/class/net/vsnet0")) {
		/* Made by another suite: add what we need, if missing. */
		if (system("{ for a in " A4B " " B4B "; do"
			   " ip addr add $a/24 dev vsnet0; done;"
			   " for a in " A6B " " B6B "; do"
			   " ip -6 addr add $a/64 nodad dev vsnet0; done; }"
			   " >/dev/null 2>&1") < 0)
			return -1;
		return 0;
	}
	if (system("echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad;"
		   "ip link set lo up && ip link add vsnet0 type dummy &&"
		   "ip link set vsnet0 up &&"
		   "ip addr add " A4 "/24 dev vsnet0 &&"
		   "ip addr add " B4 "/24 dev vsnet0 &&"
		   "ip addr add " H4 "/24 dev vsnet0 &&"
		   "ip addr add " A4B "/24 dev vsnet0 &&"
		   "ip addr add " B4B "/24 dev vsnet0 &&"
		   "ip -6 addr add " A6 "/64 dev vsnet0 &&"
		   "ip -6 addr add " B6 "/64 dev vsnet0 &&"
		   "ip -6 addr add " H6 "/64 dev vsnet0 &&"
		   "ip -6 addr add " A6B "/64 dev vsnet0 &&"
		   "ip -6 addr add " B6B "/64 dev vsnet0"
		   " >/dev/null 2>&1"))
		return -1;
	usleep(200000);
	return 0;
}

#define NEED_NET() do { \
	NEED_VSERVER(); \
	if (net_setup()) \
		SKIP(return, "cannot set up the dummy interface"); \
} while (0)

static int add_addr(uint32_t nid, const char *s)
{
	struct vs_net_addr a;

	if (vs_parse_net_addr(s, &a))
		return -EINVAL;
	return vs_net_add(nid, &a);
}

/* Enter network context @nid with one IPv4, one IPv6 and a loopback. */
static int enter_guest(uint32_t nid, const char *ip4, const char *ip6,
		       const char *lback)
{
	char buf[64];

	if (vs_net_create(nid, NULL) != (long)nid)
		return -1;
	snprintf(buf, sizeof(buf), "%s/24", ip4);
	if (add_addr(nid, buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s/64", ip6);
	if (add_addr(nid, buf))
		return -1;
	if (lback && vs_net_set_lback(nid, lback))
		return -1;
	return 0;
}

static struct sockaddr_in sin4(const char *ip, int port)
{
	struct sockaddr_in s = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &s.sin_addr);
	return s;
}

static struct sockaddr_in6 sin6(const char *ip, int port)
{
	struct sockaddr_in6 s = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port) };

	inet_pton(AF_INET6, ip, &s.sin6_addr);
	return s;
}

/* @ip:@port as an IPv4 or IPv6 socket address in @s; its length. */
static socklen_t sa_pton(int family, const char *ip, int port,
			 struct sockaddr_in6 *s)
{
	if (family == AF_INET6) {
		*s = sin6(ip, port);
		return sizeof(*s);
	}
	*(struct sockaddr_in *)s = sin4(ip, port);
	return sizeof(struct sockaddr_in);
}

/* bind() result: 0 or -errno; the bound address into @out. */
static int try_bind4(int type, const char *ip, int port, char *out)
{
	struct sockaddr_in s = sin4(ip, port);
	socklen_t len = sizeof(s);
	int fd = socket(AF_INET, type, 0), ret;

	ret = bind(fd, (struct sockaddr *)&s, sizeof(s)) ? -errno : 0;
	if (!ret && out) {
		getsockname(fd, (struct sockaddr *)&s, &len);
		inet_ntop(AF_INET, &s.sin_addr, out, 64);
	}
	close(fd);
	return ret;
}

static int try_bind6(int type, const char *ip, char *out)
{
	struct sockaddr_in6 s = sin6(ip, 0);
	socklen_t len = sizeof(s);
	int fd = socket(AF_INET6, type, 0), ret;

	ret = bind(fd, (struct sockaddr *)&s, sizeof(s)) ? -errno : 0;
	if (!ret && out) {
		getsockname(fd, (struct sockaddr *)&s, &len);
		inet_ntop(AF_INET6, &s.sin6_addr, out, 64);
	}
	close(fd);
	return ret;
}

static int tcp_listener4(const char *ip, int port)
{
	struct sockaddr_in s = sin4(ip, port);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&s, sizeof(s)) || listen(fd, 8)) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* connect() to ip:port; 0 or -errno, the local address into @local. */
static int try_connect4(int type, const char *ip, int port, char *local)
{
	struct sockaddr_in s = sin4(ip, port);
	socklen_t len = sizeof(s);
	int fd = socket(AF_INET, type, 0), ret;

	ret = connect(fd, (struct sockaddr *)&s, sizeof(s)) ? -errno : 0;
	if (!ret && local) {
		getsockname(fd, (struct sockaddr *)&s, &len);
		inet_ntop(AF_INET, &s.sin_addr, local, 64);
	}
	close(fd);
	return ret;
}

/* An IPv4 or IPv6 socket address as text. */
static void sa_ntop(const struct sockaddr_in6 *s, char *out)
{
	if (s->sin6_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)s)->sin_addr,
			  out, 64);
	else
		inet_ntop(AF_INET6, &s->sin6_addr, out, 64);
}

/* Peer address of the next connection on @lfd, or "" after 2 s. */
static void accept_peer(int lfd, char *peer)
{
	struct sockaddr_in6 s;
	socklen_t len = sizeof(s);
	struct timeval tv = { 2, 0 };
	int fd;

	peer[0] = '\0';
	setsockopt(lfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	fd = accept(lfd, (struct sockaddr *)&s, &len);
	if (fd < 0)
		return;
	sa_ntop(&s, peer);
	close(fd);
}

/* ---- commands ---- */

TEST(create_info_and_proc)
{
	struct vcmd_nx_info info = { 0 };
	uint64_t flags, ncaps;
	char buf[512] = "";
	int fd;

	NEED_VSERVER();
	EXPECT_TRUE(vs_get_vci() & VCI_FEATURE_NETV2);
	EXPECT_EQ(0, vs_task_nid(0));
	ASSERT_EQ(20000, vs_net_create(20000, NULL));
	EXPECT_EQ(20000, vs_task_nid(0));
	EXPECT_EQ(20000, vs_task_nid(getpid()));
	EXPECT_EQ(20000, proc_field("/proc/self/status", "NxID"));
	ASSERT_EQ(0, vs_nx_info(VX_ID_SELF, &info));
	EXPECT_EQ(20000, info.nid);
	ASSERT_EQ(0, vs_get_nflags(20000, &flags));
	EXPECT_EQ(NXF_INIT_SET, flags);
	ASSERT_EQ(0, vs_get_ncaps(20000, &ncaps));
	EXPECT_EQ(0, ncaps);
	EXPECT_EQ(1, proc_field("/proc/virtnet/20000/status", "Tasks"));
	EXPECT_LE(1, proc_field("/proc/virtnet/status", "#NTotal"));

	ASSERT_EQ(0, add_addr(20000, "192.0.2.1/24"));
	ASSERT_EQ(0, add_addr(20000, "198.51.100.16-198.51.100.32"));
	ASSERT_EQ(0, add_addr(20000, "2001:db8::1/64"));
	ASSERT_EQ(0, vs_net_set_lback(20000, ALB));
	ASSERT_EQ(0, vs_net_set_bcast(20000, "192.0.2.255"));
	fd = open("/proc/virtnet/20000/info", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	EXPECT_NE(NULL, strstr(buf, "ID:\t20000\n"));
	EXPECT_NE(NULL, strstr(buf, "IPv4:\t192.0.2.1/255.255.255.0 addr\n"));
	EXPECT_NE(NULL, strstr(buf, "IPv4:\t198.51.100.16-198.51.100.32/"));
	EXPECT_NE(NULL, strstr(buf, "IPv6:\t2001:db8::1/64 addr\n"));
	EXPECT_NE(NULL, strstr(buf, "Lback:\t" ALB "\n"));
	EXPECT_NE(NULL, strstr(buf, "Bcast:\t192.0.2.255\n"));
}

TEST(create_dynamic_and_flags)
{
	uint64_t flags = NXF_SINGLE_IP | NXF_STATE_ADMIN, got;
	long nid;

	NEED_VSERVER();
	nid = vs_net_create(NX_DYNAMIC_ID, &flags);
	ASSERT_LE(NX_ID_DYNAMIC_MIN, nid);
	ASSERT_GE(NX_ID_DYNAMIC_MAX, nid);
	ASSERT_EQ(0, vs_get_nflags(nid, &got));
	EXPECT_EQ(flags, got);
}

TEST(create_errors)
{
	static const uint32_t bad[] = { 0, 1, NX_ID_DYNAMIC_MIN, 65535,
					65536 };
	uint64_t flags = 1ULL << 60;
	unsigned int i;

	NEED_VSERVER();
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, vs_net_create(bad[i], NULL))
			TH_LOG("nid %u", bad[i]);
	EXPECT_EQ(-EINVAL, vs_net_create(20001, &flags));
	EXPECT_EQ(-EFAULT, vsc(VCMD_net_create, 20001, BAD_PTR));
	EXPECT_EQ(0, vs_task_nid(0));
	ASSERT_EQ(20001, vsc(VCMD_net_create_v0, 20001, NULL));
	EXPECT_EQ(-EEXIST, vs_net_create(20001, NULL));
}

TEST(unprivileged_callers)
{
	struct vcmd_nx_info info;
	struct vs_net_addr a;
	uint64_t flags;

	NEED_VSERVER();
	ASSERT_EQ(20002, vs_net_create(20002, NULL));
	ASSERT_EQ(0, vs_parse_net_addr("192.0.2.1", &a));
	drop_privileges();
	EXPECT_EQ(-EPERM, vs_net_create(20003, NULL));
	EXPECT_EQ(-EPERM, vs_net_migrate(20002));
	EXPECT_EQ(-EPERM, vs_net_add(20002, &a));
	EXPECT_EQ(-EPERM, vs_set_nflags(20002, 0, NXF_HIDE_NETIF));
	EXPECT_EQ(-EPERM, vs_set_ncaps(20002, 0, NXC_RAW_ICMP));
	/* Reading is fine for the host (xid 0), privileged or not. */
	EXPECT_EQ(0, vs_get_nflags(20002, &flags));
	EXPECT_EQ(0, vs_nx_info(20002, &info));
}

TEST(missing_context)
{
	struct vcmd_nx_info info;
	struct vs_net_addr a;
	uint64_t v;

	NEED_VSERVER();
	ASSERT_EQ(0, vs_parse_net_addr("192.0.2.1", &a));
	EXPECT_EQ(-ESRCH, vs_nx_info(20999, &info));
	EXPECT_EQ(-ESRCH, vs_get_nflags(20999, &v));
	EXPECT_EQ(-ESRCH, vs_get_ncaps(20999, &v));
	EXPECT_EQ(-ESRCH, vs_set_nflags(20999, 0, 0));
	EXPECT_EQ(-ESRCH, vs_set_ncaps(20999, 0, 0));
	EXPECT_EQ(-ESRCH, vs_net_add(20999, &a));
	EXPECT_EQ(-ESRCH, vs_net_remove(20999, &a));
	EXPECT_EQ(-ESRCH, vs_net_migrate(20999));
	/* The host has no network context of its own. */
	EXPECT_EQ(-ESRCH, vs_nx_info(VX_ID_SELF, &info));
	EXPECT_EQ(-EFAULT, vsc(VCMD_nx_info, 20999, NULL));
	EXPECT_EQ(-ESRCH, vs_task_nid(999999));
}

TEST(add_remove_ipv4_errors)
{
	struct vcmd_net_addr_ipv4_v1 v1 = { .type = NXA_TYPE_ADDR };
	struct vcmd_net_addr_ipv4_v2 v2 = { .type = NXA_TYPE_ADDR };

	NEED_VSERVER();
	ASSERT_EQ(20004, vs_net_create(20004, NULL));
	inet_pton(AF_INET, "192.0.2.1", &v1.ip);
	v1.mask = htonl(0xffffff00);
	EXPECT_EQ(0, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	EXPECT_EQ(-EEXIST, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	v1.flags = 1;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	v1.flags = 0;
	v1.mask = htonl(0xff00ff00);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	v1.mask = htonl(0xffffffff);
	v1.type = 0x7;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	v1.type = NXA_TYPE_RANGE;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	v1.type = NXA_TYPE_ADDR;
	inet_pton(AF_INET, "224.0.0.1", &v1.ip);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	v1.ip = 0;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	/* The loopback address must be in 127/8. */
	v1.type = NXA_TYPE_ADDR | NXA_MOD_LBACK;
	inet_pton(AF_INET, "192.0.2.9", &v1.ip);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4_v1, 20004, &v1));
	EXPECT_EQ(-EFAULT, vsc(VCMD_net_add_ipv4_v1, 20004, BAD_PTR));

	/* v2: ranges must not be empty; ip2 only for ranges. */
	v2.type = NXA_TYPE_RANGE;
	inet_pton(AF_INET, "198.51.100.9", &v2.ip);
	inet_pton(AF_INET, "198.51.100.9", &v2.ip2);
	v2.mask = htonl(0xffffffff);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4, 20004, &v2));
	inet_pton(AF_INET, "198.51.100.20", &v2.ip2);
	EXPECT_EQ(0, vsc(VCMD_net_add_ipv4, 20004, &v2));
	EXPECT_EQ(0, vsc(VCMD_net_remove_ipv4, 20004, &v2));
	EXPECT_EQ(-ENOENT, vsc(VCMD_net_remove_ipv4, 20004, &v2));
	v2.type = NXA_TYPE_ADDR;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv4, 20004, &v2));
	v2.ip2 = 0;
	v2.flags = 2;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_remove_ipv4, 20004, &v2));
	v2.flags = 0;
	v2.type = 0x33;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_remove_ipv4, 20004, &v2));

	/* v1 remove of one address, then of every address. */
	v1.type = NXA_TYPE_ADDR;
	inet_pton(AF_INET, "192.0.2.1", &v1.ip);
	EXPECT_EQ(0, vsc(VCMD_net_remove_ipv4_v1, 20004, &v1));
	EXPECT_EQ(-ENOENT, vsc(VCMD_net_remove_ipv4_v1, 20004, &v1));
	v1.type = NXA_TYPE_ANY;
	EXPECT_EQ(0, vsc(VCMD_net_remove_ipv4_v1, 20004, &v1));
}

/* Does /proc/virtnet/@nid/info have the line @line? */
static int info_has(uint32_t nid, const char *line)
{
	char path[64], buf[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/virtnet/%u/info", nid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, line, strlen(line)))
			found = 1;
	fclose(f);
	return found;
}

TEST(add_remove_v0)
{
	struct vcmd_net_addr_v0 v0 = { .type = NXA_TYPE_IPV4, .count = 2 };

	NEED_VSERVER();
	ASSERT_EQ(20070, vs_net_create(20070, NULL));
	inet_pton(AF_INET, "192.0.2.1", &v0.ip[0]);
	inet_pton(AF_INET, "198.51.100.1", &v0.ip[1]);
	v0.mask[0] = v0.mask[1] = htonl(0xffffff00);
	EXPECT_EQ(2, vsc(VCMD_net_add_v0, 20070, &v0));
	EXPECT_EQ(1, info_has(20070, "IPv4:\t192.0.2.1/255.255.255.0 addr"));
	EXPECT_EQ(1, info_has(20070, "IPv4:\t198.51.100.1/255.255.255.0"));
	/* All or nothing: 203.0.113.1 is not kept when .2.1 exists. */
	inet_pton(AF_INET, "203.0.113.1", &v0.ip[0]);
	inet_pton(AF_INET, "192.0.2.1", &v0.ip[1]);
	EXPECT_EQ(-EEXIST, vsc(VCMD_net_add_v0, 20070, &v0));
	EXPECT_EQ(0, info_has(20070, "IPv4:\t203.0.113.1"));
	/* Errors. */
	v0.count = 0;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_v0, 20070, &v0));
	v0.count = 5;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_v0, 20070, &v0));
	v0.count = 1;
	v0.mask[0] = htonl(0xff00ff00);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_v0, 20070, &v0));
	v0.type = NXA_TYPE_ADDR;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_v0, 20070, &v0));
	EXPECT_EQ(-EFAULT, vsc(VCMD_net_add_v0, 20070, BAD_PTR));
	EXPECT_EQ(-ESRCH, vsc(VCMD_net_add_v0, 20071, &v0));
	/* Broadcast and loopback addresses in ip[0]. */
	v0.type = NXA_TYPE_IPV4 | NXA_MOD_BCAST;
	inet_pton(AF_INET, "192.0.2.255", &v0.ip[0]);
	EXPECT_EQ(1, vsc(VCMD_net_add_v0, 20070, &v0));
	EXPECT_EQ(1, info_has(20070, "Bcast:\t192.0.2.255"));
	v0.type = NXA_TYPE_IPV4 | NXA_MOD_LBACK;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_v0, 20070, &v0));
	inet_pton(AF_INET, "127.20.0.9", &v0.ip[0]);
	EXPECT_EQ(1, vsc(VCMD_net_add_v0, 20070, &v0));
	EXPECT_EQ(1, info_has(20070, "Lback:\t127.20.0.9"));
	/* Remove: only everything at once. */
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_remove_v0, 20070, &v0));
	v0.type = NXA_TYPE_ANY;
	EXPECT_EQ(0, vsc(VCMD_net_remove_v0, 20070, &v0));
	EXPECT_EQ(0, info_has(20070, "IPv4:"));
	EXPECT_EQ(1, info_has(20070, "Lback:\t0.0.0.0"));
}

/* A refused add_v0 leaves "single IP" as it found it. */
TEST(add_v0_refused_keeps_single_ip)
{
	struct vcmd_net_addr_v0 v0 = { .type = NXA_TYPE_IPV4, .count = 1 };
	uint64_t flags = NXF_SINGLE_IP, got;

	NEED_VSERVER();
	ASSERT_EQ(20072, vs_net_create(20072, &flags));
	inet_pton(AF_INET, "192.0.2.7", &v0.ip[0]);
	v0.mask[0] = v0.mask[1] = htonl(0xffffff00);
	ASSERT_EQ(1, vsc(VCMD_net_add_v0, 20072, &v0));
	ASSERT_EQ(0, vs_get_nflags(20072, &got));
	EXPECT_EQ(NXF_SINGLE_IP, got & NXF_SINGLE_IP);
	/* The new address comes first and is taken back. */
	v0.count = 2;
	inet_pton(AF_INET, "192.0.2.8", &v0.ip[0]);
	inet_pton(AF_INET, "192.0.2.7", &v0.ip[1]);
	EXPECT_EQ(-EEXIST, vsc(VCMD_net_add_v0, 20072, &v0));
	EXPECT_EQ(0, info_has(20072, "IPv4:\t192.0.2.8"));
	ASSERT_EQ(0, vs_get_nflags(20072, &got));
	EXPECT_EQ(NXF_SINGLE_IP, got & NXF_SINGLE_IP);
	/* Two addresses do clear it. */
	v0.count = 1;
	ASSERT_EQ(1, vsc(VCMD_net_add_v0, 20072, &v0));
	ASSERT_EQ(0, vs_get_nflags(20072, &got));
	EXPECT_EQ(0, got & NXF_SINGLE_IP);
}

TEST(add_remove_ipv6_errors)
{
	struct vcmd_net_addr_ipv6 a = { .type = NXA_TYPE_ADDR,
					.prefix = 64 };

	NEED_VSERVER();
	ASSERT_EQ(20005, vs_net_create(20005, NULL));
	inet_pton(AF_INET6, "2001:db8::1", a.ip);
	EXPECT_EQ(0, vsc(VCMD_net_add_ipv6, 20005, &a));
	EXPECT_EQ(-EEXIST, vsc(VCMD_net_add_ipv6, 20005, &a));
	a.prefix = 129;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv6, 20005, &a));
	a.prefix = 64;
	a.flags = 1;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv6, 20005, &a));
	a.flags = 0;
	a.type = NXA_TYPE_RANGE;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv6, 20005, &a));
	a.type = NXA_TYPE_ADDR;
	inet_pton(AF_INET6, "::1", a.ip);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv6, 20005, &a));
	inet_pton(AF_INET6, "ff02::1", a.ip);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv6, 20005, &a));
	inet_pton(AF_INET6, "::ffff:192.0.2.1", a.ip);
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_add_ipv6, 20005, &a));
	inet_pton(AF_INET6, "2001:db8::9", a.ip);
	EXPECT_EQ(-ENOENT, vsc(VCMD_net_remove_ipv6, 20005, &a));
	inet_pton(AF_INET6, "2001:db8::1", a.ip);
	EXPECT_EQ(0, vsc(VCMD_net_remove_ipv6, 20005, &a));
	a.type = NXA_TYPE_ANY;
	EXPECT_EQ(0, vsc(VCMD_net_remove_ipv6, 20005, &a));
	a.type = 0x44;
	EXPECT_EQ(-EINVAL, vsc(VCMD_net_remove_ipv6, 20005, &a));
	EXPECT_EQ(-EFAULT, vsc(VCMD_net_add_ipv6, 20005, BAD_PTR));
}

TEST(flags_and_caps)
{
	uint64_t v;

	NEED_VSERVER();
	ASSERT_EQ(20006, vs_net_create(20006, NULL));
	EXPECT_EQ(0, vs_set_nflags(20006, NXF_SINGLE_IP, NXF_SINGLE_IP));
	ASSERT_EQ(0, vs_get_nflags(20006, &v));
	EXPECT_EQ(NXF_INIT_SET | NXF_SINGLE_IP, v);
	/* Unknown bits; one-time bits can only be cleared. */
	EXPECT_EQ(-EINVAL, vs_set_nflags(20006, 0, 1ULL << 50));
	EXPECT_EQ(-EINVAL, vs_set_nflags(20006, NXF_STATE_SETUP,
					 NXF_STATE_SETUP));
	EXPECT_EQ(0, vs_set_nflags(20006, 0, NXF_STATE_ADMIN));
	EXPECT_EQ(-EINVAL, vs_set_nflags(20006, NXF_STATE_ADMIN,
					 NXF_STATE_ADMIN));
	/* A second address clears "single IP". */
	ASSERT_EQ(0, add_addr(20006, "192.0.2.1"));
	ASSERT_EQ(0, add_addr(20006, "192.0.2.2"));
	ASSERT_EQ(0, vs_get_nflags(20006, &v));
	EXPECT_EQ(0, v & NXF_SINGLE_IP);

	EXPECT_EQ(0, vs_set_ncaps(20006, NXC_RAW_ICMP, NXC_RAW_ICMP));
	ASSERT_EQ(0, vs_get_ncaps(20006, &v));
	EXPECT_EQ(NXC_RAW_ICMP, v);
	EXPECT_EQ(-EINVAL, vs_set_ncaps(20006, 1ULL << 40, 1ULL << 40));
	EXPECT_EQ(-EFAULT, vsc(VCMD_get_ncaps, 20006, NULL));
	EXPECT_EQ(-EFAULT, vsc(VCMD_set_nflags, 20006, BAD_PTR));
}

static int make_persistent(void *arg)
{
	uint64_t flags = NXF_PERSISTENT;

	return vs_net_create(20007, &flags) == 20007 ? 0 : 1;
}

TEST(persistent_and_lifecycle)
{
	uint64_t v;

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(make_persistent, NULL));
	/* It outlives its only task ... */
	EXPECT_EQ(0, vs_get_nflags(20007, &v));
	EXPECT_EQ(0, proc_field("/proc/virtnet/20007/status", "Tasks"));
	/* ... a host task may join it and leave again ... */
	ASSERT_EQ(0, vs_net_migrate(20007));
	EXPECT_EQ(20007, vs_task_nid(0));
	/* ... and it ends when the flag goes and no task is left. */
	ASSERT_EQ(0, vs_set_nflags(20007, 0, NXF_PERSISTENT));
	EXPECT_EQ(0, vs_get_nflags(20007, &v));
	EXPECT_EQ(1, proc_field("/proc/virtnet/20007/status", "Tasks"));
	/* Still there while we are in it: the nid is taken. */
	EXPECT_EQ(1, in_child(make_persistent, NULL));
}

static int create_and_exit(void *arg)
{
	return vs_net_create(20008, NULL) == 20008 ? 0 : 1;
}

TEST(ends_with_last_task)
{
	uint64_t v;
	int tries;

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(create_and_exit, NULL));
	for (tries = 0; tries < 200; tries++) {
		if (vs_get_nflags(20008, &v) == -ESRCH)
			break;
		usleep(10000);
	}
	EXPECT_EQ(-ESRCH, vs_get_nflags(20008, &v));
	EXPECT_FALSE(exists("/proc/virtnet/20008"));
	/* The nid is free again. */
	ASSERT_EQ(0, in_child(create_and_exit, NULL));
}

static int make_persistent_9(void *arg)
{
	uint64_t flags = NXF_PERSISTENT;

	return vs_net_create(20009, &flags) == 20009 ? 0 : 1;
}

/* In a guest context: another network context is invisible. */
static int guest_view(void *arg)
{
	struct vcmd_nx_info info;
	uint64_t v;

	if (vs_ctx_create(20010, NULL) != 20010)
		return 1;
	/* Its /proc/virtnet files cannot be read, the host's tasks ... */
	if (proc_field("/proc/virtnet/20009/status", "Tasks") != -1)
		return 7;
	if (vs_task_nid(1) != -ESRCH)
		return 8;
	if (vs_nx_info(20009, &info) != -ESRCH)
		return 2;
	if (vs_get_nflags(20009, &v) != -ESRCH)
		return 3;
	if (vs_set_nflags(20009, 0, 0) != -EPERM)
		return 4;
	if (vs_net_create(20011, NULL) != -EPERM)
		return 5;
	if (vs_net_migrate(20009) != -EPERM)
		return 6;
	return 0;
}

TEST(spectator_and_guest_view)
{
	NEED_VSERVER();
	ASSERT_EQ(0, in_child(make_persistent_9, NULL));
	EXPECT_EQ(0, in_child(guest_view, NULL));
	EXPECT_EQ(0, vs_set_nflags(20009, 0, NXF_PERSISTENT));
	/* The host may become a network spectator (nid 1). */
	ASSERT_EQ(0, vs_net_migrate(1));
	EXPECT_EQ(1, vs_task_nid(0));
}

static int make_private(void *arg)
{
	uint64_t flags = NXF_PERSISTENT | NXF_INFO_PRIVATE;

	return vs_net_create(20012, &flags) == 20012 ? 0 : 1;
}

static void *idle_thread(void *arg)
{
	pause();
	return NULL;
}

TEST(migrate_errors)
{
	pthread_t t;

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(make_private, NULL));
	/* A private context that finished its setup cannot be entered. */
	EXPECT_EQ(-EACCES, vs_net_migrate(20012));
	EXPECT_EQ(0, vs_set_nflags(20012, 0, NXF_PERSISTENT));
	/* A multi-threaded process never straddles two contexts. */
	ASSERT_EQ(0, pthread_create(&t, NULL, idle_thread, NULL));
	EXPECT_EQ(-EBUSY, vs_net_create(20013, NULL));
	EXPECT_EQ(0, vs_task_nid(0));
}

/* A guest in setup may change its own network context, until it ends. */
static int guest_setup(void *arg)
{
	uint64_t flags = NXF_STATE_SETUP | NXF_STATE_ADMIN, v;

	if (vs_net_create(20014, &flags) != 20014 ||
	    vs_set_ncaps(20014, NXC_RAW_ICMP | NXC_MULTICAST, ~0ULL))
		return 1;
	if (vs_ctx_create(20014, NULL) != 20014)
		return 2;
	if (vs_set_ncaps(VX_ID_SELF, 0, NXC_MULTICAST))
		return 3;
	if (vs_set_ncaps(VX_ID_SELF, NXC_MULTICAST, NXC_MULTICAST))
		return 4;
	if (vs_get_ncaps(VX_ID_SELF, &v) || v != (NXC_RAW_ICMP | NXC_MULTICAST))
		return 5;
	if (vs_set_nflags(VX_ID_SELF, 0, NXF_STATE_SETUP))
		return 6;
	/* Setup is over: no more changes from inside. */
	if (vs_set_ncaps(VX_ID_SELF, 0, NXC_RAW_ICMP) != -EPERM ||
	    vs_set_ncaps(VX_ID_SELF, NXC_TUN_CREATE, NXC_TUN_CREATE) != -EPERM)
		return 7;
	return 0;
}

TEST(guest_during_setup)
{
	NEED_VSERVER();
	EXPECT_EQ(0, in_child(guest_setup, NULL));
}

/* ---- sockets ---- */

TEST(bind_rules_ipv4)
{
	char got[64];

	NEED_NET();
	/* The host binds anything. */
	EXPECT_EQ(0, try_bind4(SOCK_STREAM, B4, 0, NULL));
	ASSERT_EQ(0, enter_guest(20020, A4, A6, ALB));
	EXPECT_EQ(0, try_bind4(SOCK_STREAM, A4, 0, got));
	EXPECT_STREQ(A4, got);
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind4(SOCK_STREAM, B4, 0, NULL));
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind4(SOCK_DGRAM, H4, 0, NULL));
	/* The wildcard becomes the guest's address. */
	EXPECT_EQ(0, try_bind4(SOCK_STREAM, "0.0.0.0", 0, got));
	EXPECT_STREQ(A4, got);
	EXPECT_EQ(0, try_bind4(SOCK_DGRAM, "0.0.0.0", 0, got));
	EXPECT_STREQ(A4, got);
	/* 127.0.0.1 becomes the guest's loopback address. */
	EXPECT_EQ(0, try_bind4(SOCK_STREAM, "127.0.0.1", 0, got));
	EXPECT_STREQ(ALB, got);
	EXPECT_EQ(0, try_bind4(SOCK_DGRAM, ALB, 0, got));
	EXPECT_STREQ(ALB, got);
	/* Another guest's loopback address is not ours. */
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind4(SOCK_STREAM, BLB, 0, NULL));
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind4(SOCK_STREAM, "224.0.0.5", 0,
					    NULL));
	/* Without the remap, 127.0.0.1 is simply not available. */
	ASSERT_EQ(0, vs_set_nflags(20020, 0, NXF_LBACK_REMAP));
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind4(SOCK_STREAM, "127.0.0.1", 0,
					    NULL));
	ASSERT_EQ(0, vs_set_nflags(20020, NXF_LBACK_ALLOW, NXF_LBACK_ALLOW));
	EXPECT_EQ(0, try_bind4(SOCK_STREAM, "127.0.0.1", 0, got));
	EXPECT_STREQ("127.0.0.1", got);
}

/* UDP connect() to ip; the peer and local addresses; 0 or -errno. */
static int udp6_connect(const char *ip, char *peer, char *local)
{
	struct sockaddr_in6 d = sin6(ip, 20085), l;
	socklen_t len = sizeof(d);
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), ret = 0;

	if (connect(fd, (struct sockaddr *)&d, sizeof(d)) ||
	    getpeername(fd, (struct sockaddr *)&d, &len))
		ret = -errno;
	len = sizeof(l);
	if (!ret && getsockname(fd, (struct sockaddr *)&l, &len))
		ret = -errno;
	if (!ret) {
		inet_ntop(AF_INET6, &d.sin6_addr, peer, 64);
		inet_ntop(AF_INET6, &l.sin6_addr, local, 64);
	}
	close(fd);
	return ret;
}

TEST(bind_rules_ipv6)
{
	char got[64], local[64];

	NEED_NET();
	ASSERT_EQ(0, enter_guest(20021, A4, A6, ALB));
	EXPECT_EQ(0, try_bind6(SOCK_STREAM, A6, got));
	EXPECT_STREQ(A6, got);
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind6(SOCK_STREAM, B6, NULL));
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind6(SOCK_DGRAM, H6, NULL));
	EXPECT_EQ(0, try_bind6(SOCK_STREAM, "::", got));
	EXPECT_STREQ(A6, got);
	EXPECT_EQ(0, try_bind6(SOCK_DGRAM, "::1", got));
	EXPECT_STREQ(A6, got);
	/* ::1 as a destination leads to the guest's own address too. */
	ASSERT_EQ(0, udp6_connect("::1", got, local));
	EXPECT_STREQ(A6, got);
	EXPECT_STREQ(A6, local);
	/* v4-mapped addresses follow the IPv4 rules. */
	EXPECT_EQ(0, try_bind6(SOCK_STREAM, "::ffff:" A4, got));
	EXPECT_STREQ("::ffff:" A4, got);
	EXPECT_EQ(-EADDRNOTAVAIL, try_bind6(SOCK_STREAM, "::ffff:" B4, NULL));
}

TEST(connect_picks_guest_source)
{
	char local[64], peer[64];
	int lfd;

	NEED_NET();
	lfd = tcp_listener4(H4, 20080);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, enter_guest(20022, A4, A6, ALB));
	ASSERT_EQ(0, try_connect4(SOCK_STREAM, H4, 20080, local));
	EXPECT_STREQ(A4, local);
	accept_peer(lfd, peer);
	EXPECT_STREQ(A4, peer);
	/* UDP: connect() binds too. */
	ASSERT_EQ(0, try_connect4(SOCK_DGRAM, H4, 20081, local));
	EXPECT_STREQ(A4, local);
	close(lfd);
}

TEST(sendto_picks_guest_source)
{
	struct sockaddr_in dst = sin4(H4, 20082), from;
	socklen_t len = sizeof(from);
	struct timeval tv = { 2, 0 };
	char buf[8], peer[64] = "";
	int rfd, sfd;

	NEED_NET();
	rfd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(rfd, (struct sockaddr *)&dst, sizeof(dst)));
	setsockopt(rfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	ASSERT_EQ(0, enter_guest(20023, A4, A6, ALB));
	sfd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(2, sendto(sfd, "hi", 2, 0, (struct sockaddr *)&dst,
			    sizeof(dst)));
	ASSERT_EQ(2, recvfrom(rfd, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &len));
	inet_ntop(AF_INET, &from.sin_addr, peer, sizeof(peer));
	EXPECT_STREQ(A4, peer);
	close(sfd);
	close(rfd);
}

TEST(ipv6_connect_and_sendto)
{
	struct sockaddr_in6 dst = sin6(H6, 20083), from;
	socklen_t len = sizeof(from);
	struct timeval tv = { 2, 0 };
	char buf[8], peer[64] = "";
	int rfd, sfd, lfd, fd;

	NEED_NET();
	rfd = socket(AF_INET6, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(rfd, (struct sockaddr *)&dst, sizeof(dst)));
	setsockopt(rfd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(lfd, (struct sockaddr *)&dst, sizeof(dst)));
	ASSERT_EQ(0, listen(lfd, 4));
	ASSERT_EQ(0, enter_guest(20024, A4, A6, ALB));
	sfd = socket(AF_INET6, SOCK_DGRAM, 0);
	ASSERT_EQ(2, sendto(sfd, "hi", 2, 0, (struct sockaddr *)&dst,
			    sizeof(dst)));
	ASSERT_EQ(2, recvfrom(rfd, buf, sizeof(buf), 0,
			      (struct sockaddr *)&from, &len));
	inet_ntop(AF_INET6, &from.sin6_addr, peer, sizeof(peer));
	EXPECT_STREQ(A6, peer);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&dst, sizeof(dst)));
	accept_peer(lfd, peer);
	EXPECT_STREQ(A6, peer);
	close(fd);
	close(sfd);
	close(rfd);
	close(lfd);
}

TEST(no_spoofed_source)
{
	struct sockaddr_in dst = sin4(H4, 20084);
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr msg = {
		.msg_name = &dst, .msg_namelen = sizeof(dst),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	struct in_pktinfo *pi = (struct in_pktinfo *)CMSG_DATA(cm);
	int fd, one = 1;

	NEED_NET();
	ASSERT_EQ(0, enter_guest(20025, A4, A6, ALB));
	cm->cmsg_level = SOL_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(*pi));
	inet_pton(AF_INET, B4, &pi->ipi_spec_dst);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(-1, sendmsg(fd, &msg, 0));
	EXPECT_EQ(EPERM, errno);
	inet_pton(AF_INET, A4, &pi->ipi_spec_dst);
	EXPECT_EQ(1, sendmsg(fd, &msg, 0));
	close(fd);

	/* No raw IP header of one's own ... */
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_UDP);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno);
	/* ... no packet sockets ... */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno);
	/* ... raw ICMP only with NXC_RAW_ICMP, and without IP_HDRINCL. */
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, vs_set_ncaps(20025, NXC_RAW_ICMP, NXC_RAW_ICMP));
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, setsockopt(fd, SOL_IP, IP_HDRINCL, &one, sizeof(one)));
	EXPECT_EQ(EPERM, errno);
	close(fd);
}

/*
 * One ICMP echo over a ping socket (SOCK_DGRAM, IPPROTO_ICMP or
 * IPPROTO_ICMPV6) to @dst, bound to @bind_ip first unless NULL: 0 once
 * the reply is in, or -errno; the socket's local address into @local.
 */
static int ping_once(int family, const char *bind_ip, const char *dst,
		     char *local)
{
	struct sockaddr_in6 d, b, l;
	socklen_t slen = sa_pton(family, dst, 0, &d), len = sizeof(l);
	struct timeval tv = { 2, 0 };
	unsigned char echo[8] = { family == AF_INET ? 8 : 128 }, reply[64];
	int fd = socket(family, SOCK_DGRAM,
			family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	int ret = 0;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind_ip && bind(fd, (struct sockaddr *)&b,
			    sa_pton(family, bind_ip, 0, &b)))
		ret = -errno;
	else if (sendto(fd, echo, sizeof(echo), 0, (struct sockaddr *)&d,
			slen) != sizeof(echo))
		ret = -errno;
	else if (recv(fd, reply, sizeof(reply), 0) < 8)
		ret = -errno;
	/* An echo reply: type 0 (ICMP) or 129 (ICMPv6). */
	else if (reply[0] != (family == AF_INET ? 0 : 129))
		ret = -EPROTO;
	if (!ret && local) {
		getsockname(fd, (struct sockaddr *)&l, &len);
		sa_ntop(&l, local);
	}
	close(fd);
	return ret;
}

TEST(ping_socket_stays_in_set)
{
	char local[64];

	NEED_NET();
	/* Unprivileged ICMP echo for gid 0, as ping(8) uses it. */
	ASSERT_EQ(0, system("echo 0 0 > /proc/sys/net/ipv4/ping_group_range"));
	ASSERT_EQ(0, enter_guest(20026, A4, A6, ALB));
	/* Unbound: the guest's own address is the source and gets the reply. */
	EXPECT_EQ(0, ping_once(AF_INET, NULL, H4, local));
	EXPECT_STREQ(A4, local);
	EXPECT_EQ(0, ping_once(AF_INET6, NULL, H6, local));
	EXPECT_STREQ(A6, local);
	/* Bound to its address: fine; to another guest's: refused. */
	EXPECT_EQ(0, ping_once(AF_INET, A4, H4, local));
	EXPECT_EQ(-EADDRNOTAVAIL, ping_once(AF_INET, B4, H4, NULL));
	EXPECT_EQ(-EADDRNOTAVAIL, ping_once(AF_INET6, B6, H6, NULL));
	/* 127.0.0.1 leads to the guest's loopback, not the host's. */
	EXPECT_EQ(0, ping_once(AF_INET, NULL, "127.0.0.1", local));
	EXPECT_STREQ(ALB, local);
	EXPECT_EQ(0, system("echo 1 0 > /proc/sys/net/ipv4/ping_group_range"));
}

/* Guest server: enter @nid, listen on 0.0.0.0:port, answer @tag. */
static pid_t guest_server(uint32_t nid, const char *ip4, const char *lb,
			  const char *listen_ip, int port, char tag, int *ready)
{
	int p[2];
	pid_t pid;
	char c = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		int lfd, fd;

		close(p[0]);
		if (enter_guest(nid, ip4, nid == 20030 ? A6 : B6, lb))
			_exit(1);
		lfd = tcp_listener4(listen_ip, port);
		c = lfd >= 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1 || lfd < 0)
			_exit(1);
		for (;;) {
			fd = accept(lfd, NULL, NULL);
			if (fd < 0)
				_exit(1);
			if (write(fd, &tag, 1) != 1)
				_exit(1);
			close(fd);
		}
	}
	close(p[1]);
	*ready = read(p[0], &c, 1) == 1 && c == 'y';
	close(p[0]);
	return pid;
}

/* The byte a TCP server at @sa answers, 0 if refused, -1 on timeout. */
static int ask(const struct sockaddr *sa, socklen_t len)
{
	struct timeval tv = { 2, 0 };
	int fd = socket(sa->sa_family, SOCK_STREAM, 0);
	char c = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, sa, len)) {
		close(fd);
		return 0;
	}
	if (read(fd, &c, 1) != 1)
		c = -1;
	close(fd);
	return c;
}

static int ask4(const char *ip, int port)
{
	struct sockaddr_in s = sin4(ip, port);

	return ask((struct sockaddr *)&s, sizeof(s));
}

TEST(two_guests_same_port)
{
	int ra = 0, rb = 0;
	pid_t a, b;

	NEED_NET();
	a = guest_server(20030, A4, ALB, "0.0.0.0", 20090, 'A', &ra);
	b = guest_server(20031, B4, BLB, "0.0.0.0", 20090, 'B', &rb);
	EXPECT_TRUE(ra);
	EXPECT_TRUE(rb);
	EXPECT_EQ('A', ask4(A4, 20090));
	EXPECT_EQ('B', ask4(B4, 20090));
	/* Nobody listens on the host's own address. */
	EXPECT_EQ(0, ask4(H4, 20090));
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
}

TEST(loopback_is_private)
{
	int ra = 0, hfd;
	pid_t b;

	NEED_NET();
	/* A host service on 127.0.0.1 and guest B's on its "localhost". */
	hfd = tcp_listener4("127.0.0.1", 20091);
	ASSERT_LE(0, hfd);
	b = guest_server(20032, B4, BLB, "127.0.0.1", 20092, 'B', &ra);
	ASSERT_TRUE(ra);
	/* B's 127.0.0.1 is its own loopback address. */
	EXPECT_EQ('B', ask4(BLB, 20092));

	ASSERT_EQ(0, enter_guest(20033, A4, A6, ALB));
	/* Guest A reaches neither the host's 127.0.0.1 ... */
	EXPECT_EQ(-ECONNREFUSED, try_connect4(SOCK_STREAM, "127.0.0.1", 20091,
					      NULL));
	/* ... nor B's loopback address, which leads to A's own. */
	EXPECT_EQ(0, ask4(BLB, 20092));
	EXPECT_EQ(0, ask4("127.0.0.1", 20092));
	/* Without the remap and LBACK_ALLOW, loopback is refused. */
	ASSERT_EQ(0, vs_set_nflags(20033, 0, NXF_LBACK_REMAP));
	EXPECT_EQ(-EPERM, try_connect4(SOCK_STREAM, "127.0.0.1", 20091, NULL));
	EXPECT_EQ(-EPERM, try_connect4(SOCK_STREAM, "0.0.0.0", 20091, NULL));
	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	close(hfd);
}

/* ---- wildcard sockets of guests with several addresses ---- */

/*
 * Child: enter network context @nid with the addresses @addrs (NULL
 * terminated, "ip/prefix"), bind a @family/@type socket to the wildcard
 * on @port and answer every connection or datagram with @tag.  The bind
 * result (0 or errno) into *@err; the child's pid, to be killed.
 */
static pid_t wild_server(uint32_t nid, const char *const *addrs, int family,
			 int type, int port, char tag, int *err)
{
	int p[2], ret = -1;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct sockaddr_in6 s6 = sin6("::", port);
		struct sockaddr_in s4 = sin4("0.0.0.0", port);
		struct sockaddr_storage peer;
		socklen_t len;
		int fd, c;
		char buf[8];

		close(p[0]);
		ret = vs_net_create(nid, NULL) == (long)nid ? 0 : EINVAL;
		for (; !ret && *addrs; addrs++)
			ret = add_addr(nid, *addrs) ? EINVAL : 0;
		fd = socket(family, type, 0);
		if (!ret && bind(fd, family == AF_INET ?
				 (struct sockaddr *)&s4 :
				 (struct sockaddr *)&s6,
				 family == AF_INET ? sizeof(s4) : sizeof(s6)))
			ret = errno;
		if (!ret && type == SOCK_STREAM && listen(fd, 8))
			ret = errno;
		if (write(p[1], &ret, sizeof(ret)) != sizeof(ret) || ret)
			_exit(1);
		for (;;) {
			len = sizeof(peer);
			if (type == SOCK_STREAM) {
				c = accept(fd, NULL, NULL);
				if (c < 0 || write(c, &tag, 1) != 1)
					_exit(1);
				close(c);
				continue;
			}
			if (recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &len) < 0 ||
			    sendto(fd, &tag, 1, 0, (struct sockaddr *)&peer,
				   len) != 1)
				_exit(1);
		}
	}
	close(p[1]);
	if (read(p[0], &ret, sizeof(ret)) != sizeof(ret))
		ret = -1;
	close(p[0]);
	*err = ret;
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static int ask6(const char *ip, int port)
{
	struct sockaddr_in6 s = sin6(ip, port);

	return ask((struct sockaddr *)&s, sizeof(s));
}

/*
 * One UDP datagram to ip:port (IPv4 or IPv6 text) from an unconnected
 * socket: the answer's byte and source address into @src; 0 after 1 s.
 */
static int udp_ask(const char *ip, int port, char *src)
{
	struct sockaddr_storage d = { 0 }, from;
	socklen_t len = sizeof(from);
	struct timeval tv = { 1, 0 };
	int family = strchr(ip, ':') ? AF_INET6 : AF_INET;
	int fd = socket(family, SOCK_DGRAM, 0);
	char c = 0;

	if (family == AF_INET)
		*(struct sockaddr_in *)&d = sin4(ip, port);
	else
		*(struct sockaddr_in6 *)&d = sin6(ip, port);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	src[0] = '\0';
	if (sendto(fd, "?", 1, 0, (struct sockaddr *)&d, sizeof(d)) != 1 ||
	    recvfrom(fd, &c, 1, 0, (struct sockaddr *)&from, &len) != 1) {
		close(fd);
		return 0;
	}
	if (from.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr,
			  src, 64);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&from)->sin6_addr,
			  src, 64);
	close(fd);
	return c;
}

/* A connected UDP socket asks ip:port: the answer or -errno (refused). */
static int udp_ask_connected4(const char *ip, int port)
{
	struct sockaddr_in d = sin4(ip, port);
	struct timeval tv = { 1, 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;
	char c = 0;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&d, sizeof(d)) ||
	    send(fd, "?", 1, 0) != 1 || recv(fd, &c, 1, 0) != 1)
		ret = -errno;
	else
		ret = c;
	close(fd);
	return ret;
}

static const char *const a_set[] = { A4 "/24", A4B "/24", A6 "/64",
				     A6B "/64", NULL };
static const char *const b_set[] = { B4 "/24", B4B "/24", B6 "/64",
				     B6B "/64", NULL };

TEST(wildcard_tcp_all_guest_addresses)
{
	int ea = -1, eb = -1;
	pid_t a, b;

	NEED_NET();
	/* Two guests with two addresses each: both bind 0.0.0.0:20100. */
	a = wild_server(20040, a_set, AF_INET, SOCK_STREAM, 20100, 'A', &ea);
	b = wild_server(20041, b_set, AF_INET, SOCK_STREAM, 20100, 'B', &eb);
	EXPECT_EQ(0, ea);
	EXPECT_EQ(0, eb);
	/* Each answers on every address of its set ... */
	EXPECT_EQ('A', ask4(A4, 20100));
	EXPECT_EQ('A', ask4(A4B, 20100));
	EXPECT_EQ('B', ask4(B4, 20100));
	EXPECT_EQ('B', ask4(B4B, 20100));
	/* ... and on no other: the host's address is refused. */
	EXPECT_EQ(0, ask4(H4, 20100));
	EXPECT_EQ(0, ask4("127.0.0.1", 20100));
	stop(a);
	stop(b);
}

TEST(wildcard_udp_all_guest_addresses)
{
	char src[64];
	int ea = -1, eb = -1;
	pid_t a, b;

	NEED_NET();
	a = wild_server(20042, a_set, AF_INET, SOCK_DGRAM, 20101, 'A', &ea);
	b = wild_server(20043, b_set, AF_INET, SOCK_DGRAM, 20101, 'B', &eb);
	ASSERT_EQ(0, ea);
	ASSERT_EQ(0, eb);
	EXPECT_EQ('A', udp_ask(A4, 20101, src));
	EXPECT_EQ('A', udp_ask(A4B, 20101, src));
	/* The answer's source (picked for the reply) is one of A's. */
	EXPECT_TRUE(!strcmp(src, A4) || !strcmp(src, A4B));
	EXPECT_EQ('B', udp_ask(B4B, 20101, src));
	EXPECT_TRUE(!strcmp(src, B4) || !strcmp(src, B4B));
	/* A datagram to the host's address reaches nobody: port unreachable. */
	EXPECT_EQ(-ECONNREFUSED, udp_ask_connected4(H4, 20101));
	stop(a);
	stop(b);
}

TEST(wildcard_ipv6_all_guest_addresses)
{
	char src[64];
	int ea = -1, eb = -1, ua = -1;
	pid_t a, b, u;

	NEED_NET();
	/* A dual-stack :: listener takes A's IPv6 and IPv4 addresses. */
	a = wild_server(20044, a_set, AF_INET6, SOCK_STREAM, 20102, 'A', &ea);
	b = wild_server(20045, b_set, AF_INET6, SOCK_STREAM, 20102, 'B', &eb);
	u = wild_server(20046, a_set, AF_INET6, SOCK_DGRAM, 20103, 'U', &ua);
	ASSERT_EQ(0, ea);
	ASSERT_EQ(0, eb);
	ASSERT_EQ(0, ua);
	EXPECT_EQ('A', ask6(A6, 20102));
	EXPECT_EQ('A', ask6(A6B, 20102));
	EXPECT_EQ('A', ask4(A4B, 20102));
	EXPECT_EQ('B', ask6(B6B, 20102));
	EXPECT_EQ(0, ask6(H6, 20102));
	EXPECT_EQ(0, ask6("::1", 20102));
	EXPECT_EQ(0, ask4(H4, 20102));
	EXPECT_EQ('U', udp_ask(A6B, 20103, src));
	EXPECT_TRUE(!strcmp(src, A6) || !strcmp(src, A6B));
	EXPECT_EQ('U', udp_ask(A4, 20103, src));
	EXPECT_EQ(0, udp_ask(H6, 20103, src));
	stop(a);
	stop(b);
	stop(u);
}

static const char *const ah_set[] = { A4B "/24", H4 "/24", NULL };

TEST(wildcard_bind_conflicts)
{
	int ea = -1, eb = -1, e;
	pid_t a, b, c;
	int fd;

	NEED_NET();
	a = wild_server(20047, a_set, AF_INET, SOCK_STREAM, 20104, 'A', &ea);
	b = wild_server(20048, b_set, AF_INET, SOCK_DGRAM, 20104, 'B', &eb);
	ASSERT_EQ(0, ea);
	ASSERT_EQ(0, eb);
	/* A guest sharing an address with A conflicts with A ... */
	c = wild_server(20049, ah_set, AF_INET, SOCK_STREAM, 20104, 'C', &e);
	EXPECT_EQ(EADDRINUSE, e);
	stop(c);
	/* ... and so do the host's wildcard and A's own address ... */
	EXPECT_EQ(-EADDRINUSE, tcp_listener4("0.0.0.0", 20104));
	EXPECT_EQ(-EADDRINUSE, tcp_listener4(A4B, 20104));
	EXPECT_EQ(-EADDRINUSE, try_bind4(SOCK_DGRAM, "0.0.0.0", 20104, NULL));
	EXPECT_EQ(-EADDRINUSE, try_bind4(SOCK_DGRAM, B4B, 20104, NULL));
	/* ... but an address outside every guest's set does not. */
	fd = tcp_listener4(H4, 20104);
	EXPECT_LE(0, fd);
	EXPECT_EQ(0, try_bind4(SOCK_DGRAM, H4, 20104, NULL));
	close(fd);
	stop(a);
	stop(b);
	/* The other way round: a host wildcard keeps guests away. */
	fd = tcp_listener4("0.0.0.0", 20105);
	ASSERT_LE(0, fd);
	a = wild_server(20052, a_set, AF_INET, SOCK_STREAM, 20105, 'A', &ea);
	EXPECT_EQ(EADDRINUSE, ea);
	stop(a);
	close(fd);
}

/* In guest A (two addresses): sources of a wildcard UDP socket. */
static int wild_sources(void *arg)
{
	struct sockaddr_in s4 = sin4("0.0.0.0", 20106), h4 = sin4(H4, 20107);
	struct sockaddr_in6 s6 = sin6("::", 20106), h6 = sin6(H6, 20107);
	const char *const *a;
	socklen_t len;
	char got[64];
	int fd;

	if (vs_net_create(20050, NULL) != 20050)
		return 1;
	for (a = a_set; *a; a++)
		if (add_addr(20050, *a))
			return 2;
	/* connect() of a wildcard UDP socket picks a source of the set. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(fd, (struct sockaddr *)&s4, sizeof(s4)) ||
	    connect(fd, (struct sockaddr *)&h4, sizeof(h4)))
		return 3;
	len = sizeof(s4);
	getsockname(fd, (struct sockaddr *)&s4, &len);
	inet_ntop(AF_INET, &s4.sin_addr, got, sizeof(got));
	if (strcmp(got, A4) && strcmp(got, A4B))
		return 4;
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (bind(fd, (struct sockaddr *)&s6, sizeof(s6)) ||
	    connect(fd, (struct sockaddr *)&h6, sizeof(h6)))
		return 5;
	len = sizeof(s6);
	getsockname(fd, (struct sockaddr *)&s6, &len);
	inet_ntop(AF_INET6, &s6.sin6_addr, got, sizeof(got));
	if (strcmp(got, A6) && strcmp(got, A6B))
		return 6;
	close(fd);
	return 0;
}

/* sendto() from a wildcard UDP socket: the host sees a source of A's set. */
static int wild_sendto(void *arg)
{
	struct sockaddr_in6 s6 = sin6("::", 0), h6 = sin6(H6, 20109);
	struct sockaddr_in s4 = sin4("0.0.0.0", 0), h4 = sin4(H4, 20109);
	const char *const *a;
	int fd;

	if (vs_net_create(20051, NULL) != 20051)
		return 1;
	for (a = a_set; *a; a++)
		if (add_addr(20051, *a))
			return 2;
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (bind(fd, (struct sockaddr *)&s6, sizeof(s6)))
		return 3;
	if (sendto(fd, "6", 1, 0, (struct sockaddr *)&h6, sizeof(h6)) != 1)
		return 4;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(fd, (struct sockaddr *)&s4, sizeof(s4)) ||
	    sendto(fd, "4", 1, 0, (struct sockaddr *)&h4, sizeof(h4)) != 1)
		return 5;
	return 0;
}

/* Source of the next datagram on @fd, "" after 2 s. */
static void recv_source(int fd, char *src)
{
	struct sockaddr_in6 from;
	socklen_t len = sizeof(from);
	struct timeval tv = { 2, 0 };
	char c;

	src[0] = '\0';
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (recvfrom(fd, &c, 1, 0, (struct sockaddr *)&from, &len) != 1)
		return;
	if (from.sin6_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&from)->sin_addr,
			  src, 64);
	else
		inet_ntop(AF_INET6, &from.sin6_addr, src, 64);
}

TEST(wildcard_sources_stay_in_set)
{
	struct sockaddr_in h4 = sin4(H4, 20109);
	struct sockaddr_in6 h6 = sin6(H6, 20109);
	int f4 = socket(AF_INET, SOCK_DGRAM, 0);
	int f6 = socket(AF_INET6, SOCK_DGRAM, 0);
	char src[64];

	NEED_NET();
	EXPECT_EQ(0, in_child(wild_sources, NULL));
	ASSERT_EQ(0, bind(f4, (struct sockaddr *)&h4, sizeof(h4)));
	ASSERT_EQ(0, bind(f6, (struct sockaddr *)&h6, sizeof(h6)));
	ASSERT_EQ(0, in_child(wild_sendto, NULL));
	recv_source(f6, src);
	EXPECT_TRUE(!strcmp(src, A6) || !strcmp(src, A6B));
	recv_source(f4, src);
	EXPECT_TRUE(!strcmp(src, A4) || !strcmp(src, A4B));
	close(f4);
	close(f6);
}

/*
 * connect() a TCP socket of @family bound to the wildcard and @port to
 * @dst: 0 if its local address is then one of @want (and the port kept).
 */
static int wild_tcp_connect(int family, int v6only, int port,
			    const char *dst, const char *const *want)
{
	struct sockaddr_in6 s6 = sin6("::", port), d6 = sin6(dst, 20130);
	struct sockaddr_in s4 = sin4("0.0.0.0", port), d4 = sin4(dst, 20130);
	struct sockaddr_in6 got;
	socklen_t len = sizeof(got);
	char addr[64];
	int fd = socket(family, SOCK_STREAM, 0);

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only));
	if (family == AF_INET ?
	    bind(fd, (struct sockaddr *)&s4, sizeof(s4)) ||
	    connect(fd, (struct sockaddr *)&d4, sizeof(d4)) :
	    bind(fd, (struct sockaddr *)&s6, sizeof(s6)) ||
	    connect(fd, (struct sockaddr *)&d6, sizeof(d6)))
		return 1;
	if (getsockname(fd, (struct sockaddr *)&got, &len))
		return 2;
	if (got.sin6_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&got)->sin_addr,
			  addr, sizeof(addr));
	else
		inet_ntop(AF_INET6, &got.sin6_addr, addr, sizeof(addr));
	if (ntohs(got.sin6_port) != port)
		return 3;
	for (; *want; want++)
		if (!strcmp(addr, *want))
			return 0;
	return 4;
}

static int wild_tcp_sources(void *arg)
{
	static const char *const v4[] = { A4, A4B, NULL };
	static const char *const v6[] = { A6, A6B, NULL };
	static const char *const mapped[] = { "::ffff:" A4, "::ffff:" A4B,
					      NULL };
	const char *const *a;

	if (vs_net_create(20063, NULL) != 20063)
		return 1;
	for (a = a_set; *a; a++)
		if (add_addr(20063, *a))
			return 2;
	if (wild_tcp_connect(AF_INET, 0, 20131, H4, v4))
		return 3;
	if (wild_tcp_connect(AF_INET6, 1, 20132, H6, v6))
		return 4;
	if (wild_tcp_connect(AF_INET6, 0, 20133, "::ffff:" H4, mapped))
		return 5;
	return 0;
}

/* A multi-address guest's TCP socket bound to 0.0.0.0:port connects. */
TEST(wildcard_tcp_connect_with_port)
{
	struct sockaddr_in6 h6 = sin6(H6, 20130);
	int l4 = tcp_listener4(H4, 20130), l6 = socket(AF_INET6, SOCK_STREAM, 0);
	char peer[64];
	int i;

	NEED_NET();
	ASSERT_LE(0, l4);
	ASSERT_EQ(0, bind(l6, (struct sockaddr *)&h6, sizeof(h6)));
	ASSERT_EQ(0, listen(l6, 8));
	EXPECT_EQ(0, in_child(wild_tcp_sources, NULL));
	/* The host saw the connections come from A's addresses. */
	for (i = 0; i < 2; i++) {
		accept_peer(l4, peer);
		EXPECT_TRUE(!strcmp(peer, A4) || !strcmp(peer, A4B));
	}
	accept_peer(l6, peer);
	EXPECT_TRUE(!strcmp(peer, A6) || !strcmp(peer, A6B));
	close(l4);
	close(l6);
}

/* ---- socket tables (NXF_HIDE_NETIF) ---- */

/* Does /proc/net/@file list local port @port (or, for unix, @name)? */
static int proc_net_has(const char *file, int port, const char *name)
{
	char path[64], line[512], want[16];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/net/%s", file);
	snprintf(want, sizeof(want), ":%04X ", port);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* tcp/udp: "sl local_address rem_address ..."; local only. */
		char *sp = strchr(line, ':');

		if (name ? strstr(line, name) != NULL :
		    sp && (sp = strchr(sp + 1, ':')) && !strncmp(sp, want, 6))
			found = 1;
	}
	fclose(f);
	return found;
}

/*
 * sock_diag dump of @family/@proto (AF_UNIX: @proto ignored): does a
 * socket with local port @port (AF_UNIX: inode @port) show up?  -1 on
 * error.
 */
static int diag_has(int family, int proto, unsigned int port)
{
	struct {
		struct nlmsghdr nlh;
		union {
			struct inet_diag_req_v2 in;
			struct unix_diag_req un;
		};
	} req = { 0 };
	char buf[16384];
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_SOCK_DIAG);
	int found = 0, done = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	if (family == AF_UNIX) {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.un));
		req.un.sdiag_family = AF_UNIX;
		req.un.udiag_states = ~0U;
	} else {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.in));
		req.in.sdiag_family = family;
		req.in.sdiag_protocol = proto;
		req.in.idiag_states = ~0U;
	}
	if (sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&nl,
		   sizeof(nl)) < 0) {
		close(fd);
		return -1;
	}
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				if (((struct nlmsgerr *)NLMSG_DATA(h))->error)
					found = -1;
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (found < 0)
				continue;
			if (family == AF_UNIX) {
				struct unix_diag_msg *m = NLMSG_DATA(h);

				found |= m->udiag_ino == port;
			} else {
				struct inet_diag_msg *m = NLMSG_DATA(h);

				found |= ntohs(m->id.idiag_sport) == port;
			}
		}
	}
	close(fd);
	return found;
}

/* An abstract unix socket named @name; its inode into @ino. */
static int unix_bound(const char *name, unsigned int *ino)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct stat st;

	strncpy(a.sun_path + 1, name, sizeof(a.sun_path) - 2);
	if (bind(fd, (struct sockaddr *)&a,
		 offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name)) ||
	    listen(fd, 1) || fstat(fd, &st)) {
		close(fd);
		return -1;
	}
	*ino = st.st_ino;
	return fd;
}

/* A raw ICMP (@type SOCK_RAW) or ICMP echo socket bound to @ip. */
static int icmp_bound(int type, const char *ip)
{
	struct sockaddr_in s = sin4(ip, 0);
	int fd = socket(AF_INET, type, IPPROTO_ICMP);

	if (fd < 0 || bind(fd, (struct sockaddr *)&s, sizeof(s))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A4 and H4 as /proc/net prints them (little-endian x86). */
#define A4_HEX "010200C0"
#define H4_HEX "030200C0"

static int proc_net_word(const char *file, const char *word);
static int capture_open(int ifindex);

/* Does /proc/net/@file list the socket of inode @ino? */
static int proc_net_ino(const char *file, unsigned int ino)
{
	char word[16];

	snprintf(word, sizeof(word), "%u", ino);
	return proc_net_word(file, word);
}

static unsigned int sock_ino(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? 0 : st.st_ino;
}

/* A netlink socket bound to a port, as "ip monitor" has one. */
static int netlink_bound(void)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);

	if (fd >= 0 && bind(fd, (struct sockaddr *)&nl, sizeof(nl))) {
		close(fd);
		return -1;
	}
	return fd;
}

struct tables {
	unsigned int host_ino, guest_ino;
	unsigned int host_pk, host_nl;	/* packet, netlink */
};

/* In guest A (HIDE_NETIF): what the socket tables show. */
static int guest_tables(void *arg)
{
	struct tables *t = arg;
	int l4, l6, u4, nl;

	if (enter_guest(20055, A4, A6, ALB))
		return 1;
	l4 = tcp_listener4(A4, 20111);
	u4 = socket(AF_INET, SOCK_DGRAM, 0);
	l6 = socket(AF_INET6, SOCK_STREAM, 0);
	{
		struct sockaddr_in s = sin4(A4, 20113);
		struct sockaddr_in6 s6 = sin6(A6, 20115);

		if (l4 < 0 || bind(u4, (struct sockaddr *)&s, sizeof(s)) ||
		    bind(l6, (struct sockaddr *)&s6, sizeof(s6)) ||
		    listen(l6, 1))
			return 2;
	}
	if (unix_bound("vsnet-guest", &t->guest_ino) < 0)
		return 3;
	nl = netlink_bound();
	if (nl < 0)
		return 3;
	if (vs_set_ncaps(20055, NXC_RAW_ICMP, NXC_RAW_ICMP) ||
	    icmp_bound(SOCK_RAW, A4) < 0 || icmp_bound(SOCK_DGRAM, A4) < 0)
		return 9;
	/* Its own sockets ... */
	if (proc_net_has("tcp", 20111, NULL) != 1 ||
	    proc_net_has("udp", 20113, NULL) != 1 ||
	    proc_net_has("tcp6", 20115, NULL) != 1 ||
	    proc_net_has("unix", 0, "@vsnet-guest") != 1 ||
	    proc_net_has("raw", 0, A4_HEX ":0001") != 1 ||
	    proc_net_has("icmp", 0, A4_HEX ":") != 1 ||
	    proc_net_ino("netlink", sock_ino(nl)) != 1)
		return 4;
	if (diag_has(AF_INET, IPPROTO_TCP, 20111) != 1 ||
	    diag_has(AF_INET, IPPROTO_UDP, 20113) != 1 ||
	    diag_has(AF_INET6, IPPROTO_TCP, 20115) != 1 ||
	    diag_has(AF_UNIX, 0, t->guest_ino) != 1)
		return 5;
	/* ... but not the host's. */
	if (proc_net_has("tcp", 20110, NULL) != 0 ||
	    proc_net_has("udp", 20112, NULL) != 0 ||
	    proc_net_has("tcp6", 20114, NULL) != 0 ||
	    proc_net_has("unix", 0, "@vsnet-host") != 0 ||
	    proc_net_has("raw", 0, H4_HEX ":") != 0 ||
	    proc_net_has("icmp", 0, H4_HEX ":") != 0 ||
	    proc_net_ino("packet", t->host_pk) != 0 ||
	    proc_net_ino("netlink", t->host_nl) != 0 ||
	    proc_net_word("ptype", "packet_rcv") != 0 ||
	    proc_net_word("ptype", "packet_rcv_fanout") != 0)
		return 6;
	if (diag_has(AF_INET, IPPROTO_TCP, 20110) != 0 ||
	    diag_has(AF_INET, IPPROTO_UDP, 20112) != 0 ||
	    diag_has(AF_INET6, IPPROTO_TCP, 20114) != 0 ||
	    diag_has(AF_UNIX, 0, t->host_ino) != 0)
		return 7;
	/* Without NXF_HIDE_NETIF everything shows. */
	if (vs_set_nflags(20055, 0, NXF_HIDE_NETIF) ||
	    proc_net_has("tcp", 20110, NULL) != 1 ||
	    diag_has(AF_INET, IPPROTO_TCP, 20110) != 1 ||
	    proc_net_has("unix", 0, "@vsnet-host") != 1 ||
	    proc_net_ino("packet", t->host_pk) != 1 ||
	    proc_net_ino("netlink", t->host_nl) != 1 ||
	    proc_net_word("ptype", "packet_rcv") != 1 ||
	    proc_net_word("ptype", "packet_rcv_fanout") != 1)
		return 8;
	close(nl);
	return 0;
}

TEST(socket_tables_show_own_sockets)
{
	struct tables t = { 0 };
	struct sockaddr_in s = sin4(H4, 20112);
	struct sockaddr_in6 s6 = sin6(H6, 20114);
	int l4, u4, l6, un, raw, ping, pk, nl, pf;
	int fanout = 42 | PACKET_FANOUT_CPU << 16;

	NEED_NET();
	l4 = tcp_listener4(H4, 20110);
	ASSERT_LE(0, l4);
	u4 = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(u4, (struct sockaddr *)&s, sizeof(s)));
	l6 = socket(AF_INET6, SOCK_STREAM, 0);
	ASSERT_EQ(0, bind(l6, (struct sockaddr *)&s6, sizeof(s6)));
	ASSERT_EQ(0, listen(l6, 1));
	un = unix_bound("vsnet-host", &t.host_ino);
	ASSERT_LE(0, un);
	/* ICMP echo sockets for gid 0, as ping(8) uses them. */
	ASSERT_EQ(0, system("echo 0 0 > /proc/sys/net/ipv4/ping_group_range"));
	raw = icmp_bound(SOCK_RAW, H4);
	ASSERT_LE(0, raw);
	ping = icmp_bound(SOCK_DGRAM, H4);
	ASSERT_LE(0, ping);
	/* A packet socket on vsnet0, which guest A sees, and a netlink one. */
	pk = capture_open(if_nametoindex("vsnet0"));
	ASSERT_LE(0, pk);
	nl = netlink_bound();
	ASSERT_LE(0, nl);
	t.host_pk = sock_ino(pk);
	t.host_nl = sock_ino(nl);
	/* A fanout group: its handler's af_packet_priv is no socket. */
	pf = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	ASSERT_LE(0, pf);
	ASSERT_EQ(0, setsockopt(pf, SOL_PACKET, PACKET_FANOUT, &fanout,
				sizeof(fanout)));
	EXPECT_EQ(1, proc_net_word("ptype", "packet_rcv_fanout"));
	/* The host sees its sockets. */
	EXPECT_EQ(1, proc_net_ino("packet", t.host_pk));
	EXPECT_EQ(1, proc_net_ino("netlink", t.host_nl));
	EXPECT_EQ(1, proc_net_word("ptype", "packet_rcv"));
	EXPECT_EQ(1, proc_net_has("raw", 0, H4_HEX ":0001"));
	EXPECT_EQ(1, proc_net_has("icmp", 0, H4_HEX ":"));
	EXPECT_EQ(1, proc_net_has("tcp", 20110, NULL));
	EXPECT_EQ(1, diag_has(AF_INET, IPPROTO_TCP, 20110));
	EXPECT_EQ(1, diag_has(AF_UNIX, 0, t.host_ino));
	EXPECT_EQ(0, in_child(guest_tables, &t));
	EXPECT_EQ(0, system("echo 1 0 > /proc/sys/net/ipv4/ping_group_range"));
	close(l4);
	close(u4);
	close(l6);
	close(un);
	close(raw);
	close(ping);
	close(pk);
	close(nl);
	close(pf);
}

/* ---- interfaces (NXF_HIDE_NETIF) ---- */

/*
 * RTM_GETLINK: with @name, look that interface up (0 or -errno); without,
 * dump all and return 1 if @want shows up, else 0.
 */
static int rtm_getlink(const char *name, const char *want)
{
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
		char attrs[64];
	} req = { 0 };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	int ret = 0, done = 0;
	char buf[32768];
	ssize_t n;

	if (fd < 0)
		return -errno;
	req.nlh.nlmsg_type = RTM_GETLINK;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | (name ? NLM_F_ACK : NLM_F_DUMP);
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifi));
	req.ifi.ifi_family = AF_UNSPEC;
	if (name) {
		struct rtattr *rta = (struct rtattr *)((char *)&req +
						       req.nlh.nlmsg_len);

		rta->rta_type = IFLA_IFNAME;
		rta->rta_len = RTA_LENGTH(strlen(name) + 1);
		strcpy(RTA_DATA(rta), name);
		req.nlh.nlmsg_len += RTA_ALIGN(rta->rta_len);
	}
	if (sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&nl,
		   sizeof(nl)) < 0) {
		close(fd);
		return -errno;
	}
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct ifinfomsg *ifi = NLMSG_DATA(h);
			struct rtattr *rta = IFLA_RTA(ifi);
			int len = IFLA_PAYLOAD(h);

			if (h->nlmsg_type == NLMSG_ERROR) {
				ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			for (; want && RTA_OK(rta, len);
			     rta = RTA_NEXT(rta, len))
				if (rta->rta_type == IFLA_IFNAME &&
				    !strcmp(RTA_DATA(rta), want))
					ret = 1;
			if (name)
				done = 1;
		}
	}
	close(fd);
	return ret;
}

/* Does /proc/net/dev list interface @name? */
static int proc_net_dev_has(const char *name)
{
	char line[512], want[32];
	int found = 0;
	FILE *f = fopen("/proc/net/dev", "r");

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%s:", name);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line + strspn(line, " "), want, strlen(want)))
			found = 1;
	fclose(f);
	return found;
}

/* Append attribute @type, @len bytes of @data, to the request @nlh. */
static void nl_put(struct nlmsghdr *nlh, int type, const void *data, int len)
{
	struct rtattr *rta = (struct rtattr *)((char *)nlh +
					       NLMSG_ALIGN(nlh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/*
 * Send request @nlh to rtnetlink, read the one reply into @buf: its
 * length, 0 for an acknowledgement, or -errno (an NLMSG_ERROR's too).
 */
static int rtnl_ask(const struct nlmsghdr *nlh, char *buf, int size)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	int n;

	if (fd < 0)
		return -errno;
	if (sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&nl,
		   sizeof(nl)) < 0 || (n = recv(fd, buf, size, 0)) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	if (!NLMSG_OK(h, n))
		return -EPROTO;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return n;
}

static int rtm_dump_count(int type, int family, int ifindex);

/* The netconf (ip netconf) and stats (ip stats) dumps list @ifindex. */
static int dev_dumps_list(int ifindex)
{
	return (rtm_dump_count(RTM_GETNETCONF, AF_INET, ifindex) > 0) |
	       (rtm_dump_count(RTM_GETNETCONF, AF_INET6, ifindex) > 0) << 1 |
	       (rtm_dump_count(RTM_GETSTATS, AF_UNSPEC, ifindex) > 0) << 2;
}

/* RTM_GETSTATS for @ifindex (ip stats show dev): 0 or -errno. */
static int stats_get(int ifindex)
{
	struct {
		struct nlmsghdr nlh;
		struct if_stats_msg ifsm;
	} req = { 0 };
	char buf[4096];
	int ret;

	req.nlh.nlmsg_type = RTM_GETSTATS;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ifsm));
	req.ifsm.ifindex = ifindex;
	req.ifsm.filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	ret = rtnl_ask(&req.nlh, buf, sizeof(buf));
	return ret < 0 ? ret : 0;
}

/*
 * /proc/net files that name interfaces: their multicast and anycast
 * memberships.  Bit i set if the i-th lists @name.
 */
static const char *const mcast_files[] = {
	"igmp", "mcfilter", "igmp6", "mcfilter6", "anycast6", "dev_mcast",
};

static int mcast_views(const char *name)
{
	unsigned int i;
	int views = 0;

	for (i = 0; i < sizeof(mcast_files) / sizeof(mcast_files[0]); i++)
		if (proc_net_word(mcast_files[i], name) == 1)
			views |= 1 << i;
	return views;
}

/*
 * From a child in a new network namespace: 1 if /proc/@pid/net/dev_snmp6
 * (@pid's namespace, not the child's) lists vsnet1, 0 if not, -1 on error.
 */
static int snmp6_from_netns(pid_t pid)
{
	char dir[64];
	int status;
	pid_t c;

	snprintf(dir, sizeof(dir), "/proc/%d/net/dev_snmp6", pid);
	c = fork();
	if (c == 0) {
		if (unshare(CLONE_NEWNET) ||
		    dir_lists(dir, "vsnet0") != 1)
			_exit(2);
		_exit(dir_lists(dir, "vsnet1"));
	}
	if (c < 0 || waitpid(c, &status, 0) != c || !WIFEXITED(status) ||
	    WEXITSTATUS(status) > 1)
		return -1;
	return WEXITSTATUS(status);
}

/* In guest A (HIDE_NETIF): which interfaces show. */
static int guest_links(void *arg)
{
	const int *views = arg;	/* the host's mcast_views of vsnet0, 1 */
	int own = if_nametoindex("vsnet0"), foreign = if_nametoindex("vsnet1");

	if (enter_guest(20056, A4, A6, ALB))
		return 1;
	/* lo and vsnet0, which carries A's addresses ... */
	if (rtm_getlink(NULL, "lo") != 1 || rtm_getlink(NULL, "vsnet0") != 1)
		return 2;
	if (rtm_getlink("vsnet0", NULL) != 0 || !if_nametoindex("vsnet0"))
		return 3;
	if (proc_net_dev_has("vsnet0") != 1 || proc_net_dev_has("lo") != 1)
		return 4;
	/* ... but not the host-only vsnet1. */
	if (rtm_getlink(NULL, "vsnet1") != 0)
		return 5;
	if (rtm_getlink("vsnet1", NULL) != -ENODEV)
		return 6;
	if (if_nametoindex("vsnet1") || errno != ENODEV)
		return 7;
	if (proc_net_dev_has("vsnet1") != 0)
		return 8;
	if (dir_lists("/proc/net/dev_snmp6", "vsnet1") != 0 ||
	    exists("/proc/net/dev_snmp6/vsnet1") ||
	    dir_lists("/proc/net/dev_snmp6", "vsnet0") != 1 ||
	    !exists("/proc/net/dev_snmp6/vsnet0") ||
	    snmp6_from_netns(getpid()) != 0)
		return 13;
	if (mcast_views("vsnet1") != 0 || mcast_views("vsnet0") != *views)
		return 10;
	if (dev_dumps_list(own) != 7 || dev_dumps_list(foreign) != 0 ||
	    stats_get(own) || stats_get(foreign) != -ENODEV)
		return 12;
	/* Without NXF_HIDE_NETIF it shows again. */
	if (vs_set_nflags(20056, 0, NXF_HIDE_NETIF) ||
	    rtm_getlink(NULL, "vsnet1") != 1 ||
	    rtm_getlink("vsnet1", NULL) != 0 || proc_net_dev_has("vsnet1") != 1)
		return 9;
	if (mcast_views("vsnet1") != views[1] || dev_dumps_list(foreign) != 7)
		return 11;
	if (dir_lists("/proc/net/dev_snmp6", "vsnet1") != 1 ||
	    !exists("/proc/net/dev_snmp6/vsnet1") ||
	    snmp6_from_netns(getpid()) != 1)
		return 14;
	return 0;
}

TEST(interfaces_show_own_links)
{
	int views[2];

	NEED_NET();
	if (!exists("/sys/class/net/vsnet1"))
		ASSERT_EQ(0, system("ip link add vsnet1 type dummy &&"
				    "ip link set vsnet1 up &&"
				    "ip addr add 198.51.100.1/24 dev vsnet1"));
	/* The host sees every interface. */
	EXPECT_EQ(1, rtm_getlink(NULL, "vsnet1"));
	EXPECT_EQ(0, rtm_getlink("vsnet1", NULL));
	EXPECT_EQ(1, proc_net_dev_has("vsnet1"));
	EXPECT_EQ(1, dir_lists("/proc/net/dev_snmp6", "vsnet1"));
	/* Every interface is in the all-hosts and all-nodes groups. */
	views[0] = mcast_views("vsnet0");
	views[1] = mcast_views("vsnet1");
	EXPECT_EQ(0x5, views[1] & 0x5);
	EXPECT_EQ(7, dev_dumps_list(if_nametoindex("vsnet1")));
	EXPECT_EQ(0, stats_get(if_nametoindex("vsnet1")));
	EXPECT_EQ(0, in_child(guest_links, views));
}

static int routed_setup(void);

/*
 * An rtnetlink socket subscribed to link and IPv4 address events, or -1.
 * Nothing arrives before it is bound.
 */
static int link_monitor(void)
{
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK |
					       RTMGRP_IPV4_IFADDR };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK,
			NETLINK_ROUTE);

	if (fd < 0 || bind(fd, (struct sockaddr *)&nl, sizeof(nl))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Drain @fd: bit 0 if an event about @own came, bit 1 for @foreign. */
static int link_events(int fd, int own, int foreign)
{
	char buf[8192];
	int seen = 0;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			int ifindex;

			if (h->nlmsg_type == RTM_NEWLINK)
				ifindex = ((struct ifinfomsg *)
					   NLMSG_DATA(h))->ifi_index;
			else if (h->nlmsg_type == RTM_NEWADDR)
				ifindex = ((struct ifaddrmsg *)
					   NLMSG_DATA(h))->ifa_index;
			else
				continue;
			seen |= (ifindex == own) | (ifindex == foreign) << 1;
		}
	}
	return seen;
}

/* The host changes both links: what "ip monitor" shows ... */
static int change_links(void)
{
	return system("ip link set vsnet0 mtu 1400 && ip link set vsnet1 mtu 1400"
		      " && ip addr add 198.51.100.9/24 dev vsnet1"
		      " && ip addr del 198.51.100.9/24 dev vsnet1"
		      " && ip link set vsnet0 mtu 1500 &&"
		      " ip link set vsnet1 mtu 1500");
}

struct monitor {
	int ready, go;		/* pipe ends: the child writes, then reads */
	int own, foreign;	/* vsnet0, vsnet1 */
};

/* ... in guest A (HIDE_NETIF): a child listening while the host acts. */
static int guest_monitor(void *arg)
{
	const struct monitor *m = arg;
	char c = 0;
	int fd;

	if (enter_guest(20057, A4, A6, ALB))
		return 1;
	fd = link_monitor();
	if (fd < 0 || write(m->ready, &c, 1) != 1 || read(m->go, &c, 1) != 1)
		return 2;
	/* 1: vsnet0 only; 3: it heard of vsnet1 too. */
	return link_events(fd, m->own, m->foreign) == 1 ? 0 : 3;
}

TEST(link_events_show_own_links)
{
	int ready[2], go[2], host, status;
	struct monitor m;
	char c = 0;
	pid_t pid;

	NEED_NET();
	ASSERT_EQ(0, routed_setup());
	m.own = if_nametoindex("vsnet0");
	m.foreign = if_nametoindex("vsnet1");
	host = link_monitor();
	ASSERT_LE(0, host);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	m.ready = ready[1];
	m.go = go[0];
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(guest_monitor(&m));
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, change_links());
	ASSERT_EQ(1, write(go[1], &c, 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The host hears of both. */
	EXPECT_EQ(3, link_events(host, m.own, m.foreign));
	close(host);
}

/* ---- routes and neighbours (NXF_HIDE_NETIF) ---- */

/*
 * Dump RTM_GETROUTE, RTM_GETNEIGH, RTM_GETNETCONF (@family) or
 * RTM_GETSTATS: how many entries have (output, neighbour) device
 * @ifindex, or -errno.
 */
static int rtm_dump_count(int type, int family, int ifindex)
{
	struct {
		struct nlmsghdr nlh;
		union {
			struct rtmsg rtm;
			struct if_stats_msg ifsm;
		} u;
	} req = { 0 };
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	int count = 0, done = 0;
	char buf[32768];
	ssize_t n;

	if (fd < 0)
		return -errno;
	req.nlh.nlmsg_type = type;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_len = NLMSG_LENGTH(type == RTM_GETNEIGH ?
					 sizeof(struct ndmsg) :
					 type == RTM_GETNETCONF ?
					 sizeof(struct netconfmsg) :
					 sizeof(req.u));
	/* Each header starts with the family. */
	req.u.rtm.rtm_family = family;
	if (type == RTM_GETSTATS)
		req.u.ifsm.filter_mask =
			IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
	if (sendto(fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *)&nl,
		   sizeof(nl)) < 0) {
		count = -errno;
		goto out;
	}
	while (!done && (n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct rtattr *rta;
			int len, want;

			if (h->nlmsg_type == NLMSG_ERROR) {
				count = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == RTM_NEWNEIGH) {
				struct ndmsg *ndm = NLMSG_DATA(h);

				count += ndm->ndm_ifindex == ifindex;
				continue;
			}
			if (h->nlmsg_type == RTM_NEWSTATS) {
				struct if_stats_msg *ifsm = NLMSG_DATA(h);

				count += (int)ifsm->ifindex == ifindex;
				continue;
			}
			if (h->nlmsg_type == RTM_NEWROUTE) {
				rta = RTM_RTA(NLMSG_DATA(h));
				len = RTM_PAYLOAD(h);
				want = RTA_OIF;
			} else if (h->nlmsg_type == RTM_NEWNETCONF) {
				rta = (struct rtattr *)((char *)NLMSG_DATA(h) +
					NLMSG_ALIGN(sizeof(struct netconfmsg)));
				len = NLMSG_PAYLOAD(h, sizeof(struct netconfmsg));
				want = NETCONFA_IFINDEX;
			} else {
				continue;
			}
			for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
				if (rta->rta_type == want &&
				    *(int *)RTA_DATA(rta) == ifindex)
					count++;
		}
	}
out:
	close(fd);
	return count;
}

/* Does a line of /proc/net/@file (past the header) hold the word @word? */
static int proc_net_word(const char *file, const char *word)
{
	char path[64], line[512], *tok, *save;
	int found = 0, first = 1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/net/%s", file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		/* ipv6_route has no header line. */
		if (first && strcmp(file, "ipv6_route")) {
			first = 0;
			continue;
		}
		for (tok = strtok_r(line, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save))
			if (!strcmp(tok, word))
				found = 1;
	}
	fclose(f);
	return found;
}

/*
 * RTM_NEWNEIGH: a permanent neighbour @ip on @ifindex; RTM_GETNEIGH: look
 * it up (ip neigh get).  0 or -errno.
 */
static int neigh_msg(int type, int family, const char *ip, int ifindex)
{
	struct {
		struct nlmsghdr nlh;
		struct ndmsg ndm;
		char attrs[64];
	} req = { 0 };
	static const unsigned char lladdr[6] = { 2, 0, 0, 0, 0, 7 };
	unsigned char dst[16];
	char buf[1024];
	int ret;

	req.nlh.nlmsg_type = type;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	if (type == RTM_NEWNEIGH)
		req.nlh.nlmsg_flags |= NLM_F_ACK | NLM_F_CREATE |
				       NLM_F_REPLACE;
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.ndm));
	req.ndm.ndm_family = family;
	req.ndm.ndm_ifindex = ifindex;
	/* neigh_get() takes no state. */
	if (type == RTM_NEWNEIGH)
		req.ndm.ndm_state = NUD_PERMANENT;
	inet_pton(family, ip, dst);
	nl_put(&req.nlh, NDA_DST, dst, family == AF_INET ? 4 : 16);
	if (type == RTM_NEWNEIGH)
		nl_put(&req.nlh, NDA_LLADDR, lladdr, sizeof(lladdr));
	ret = rtnl_ask(&req.nlh, buf, sizeof(buf));
	if (ret <= 0)
		return ret;
	return ((struct nlmsghdr *)buf)->nlmsg_type == RTM_NEWNEIGH ? 0 :
									-EPROTO;
}

#define add_neigh(family, ip, ifindex) \
	neigh_msg(RTM_NEWNEIGH, family, ip, ifindex)

struct dev_pair {
	int own;	/* vsnet0: carries the guest's addresses */
	int foreign;	/* vsnet1: the host's only */
};

/* Routes and neighbours of @ifindex / @name: each view, as a bit mask. */
static int route_views(int ifindex, const char *name)
{
	return (rtm_dump_count(RTM_GETROUTE, AF_INET, ifindex) > 0) |
	       (rtm_dump_count(RTM_GETROUTE, AF_INET6, ifindex) > 0) << 1 |
	       (rtm_dump_count(RTM_GETNEIGH, AF_INET, ifindex) > 0) << 2 |
	       (rtm_dump_count(RTM_GETNEIGH, AF_INET6, ifindex) > 0) << 3 |
	       (proc_net_word("route", name) == 1) << 4 |
	       (proc_net_word("ipv6_route", name) == 1) << 5 |
	       (proc_net_word("arp", name) == 1) << 6;
}

#define ALL_VIEWS 0x7f

/* In guest A (HIDE_NETIF): whose routes and neighbours show. */
static int guest_routes(void *arg)
{
	const struct dev_pair *d = arg;

	if (enter_guest(20062, A4, A6, ALB))
		return 1;
	if (route_views(d->own, "vsnet0") != ALL_VIEWS)
		return 2;
	if (route_views(d->foreign, "vsnet1") != 0)
		return 3;
	/* Nor may it look one up by the index of a hidden interface. */
	if (neigh_msg(RTM_GETNEIGH, AF_INET, "192.0.2.7", d->own) ||
	    neigh_msg(RTM_GETNEIGH, AF_INET, "198.51.100.7", d->foreign) !=
	    -ENODEV ||
	    neigh_msg(RTM_GETNEIGH, AF_INET6, "2001:db8:1::7", d->foreign) !=
	    -ENODEV)
		return 7;
	/* fib_trie lists every prefix: none for a hiding guest. */
	if (proc_net_word("fib_trie", "198.51.100.1") != 0 ||
	    proc_net_word("fib_trie", "192.0.2.1") != 0)
		return 5;
	/* Without NXF_HIDE_NETIF they show again. */
	if (vs_set_nflags(20062, 0, NXF_HIDE_NETIF) ||
	    route_views(d->foreign, "vsnet1") != ALL_VIEWS)
		return 4;
	if (proc_net_word("fib_trie", "198.51.100.1") != 1)
		return 6;
	return 0;
}

TEST(routes_show_own_links)
{
	struct dev_pair d;

	NEED_NET();
	if (!exists("/sys/class/net/vsnet1"))
		ASSERT_EQ(0, system("ip link add vsnet1 type dummy &&"
				    "ip link set vsnet1 up &&"
				    "ip addr add 198.51.100.1/24 dev vsnet1"));
	/* An IPv6 route and neighbours on both interfaces. */
	ASSERT_EQ(0, system("ip -6 addr add 2001:db8:1::1/64 dev vsnet1"
			    " 2>/dev/null || true"));
	d.own = if_nametoindex("vsnet0");
	d.foreign = if_nametoindex("vsnet1");
	ASSERT_NE(0, d.own);
	ASSERT_NE(0, d.foreign);
	ASSERT_EQ(0, add_neigh(AF_INET, "192.0.2.7", d.own));
	ASSERT_EQ(0, add_neigh(AF_INET, "198.51.100.7", d.foreign));
	ASSERT_EQ(0, add_neigh(AF_INET6, "2001:db8::7", d.own));
	ASSERT_EQ(0, add_neigh(AF_INET6, "2001:db8:1::7", d.foreign));
	/* The host sees both interfaces' routes and neighbours. */
	EXPECT_EQ(ALL_VIEWS, route_views(d.own, "vsnet0"));
	EXPECT_EQ(ALL_VIEWS, route_views(d.foreign, "vsnet1"));
	EXPECT_EQ(1, proc_net_word("fib_trie", "198.51.100.1"));
	EXPECT_EQ(0, neigh_msg(RTM_GETNEIGH, AF_INET, "198.51.100.7",
			       d.foreign));
	EXPECT_EQ(0, in_child(guest_routes, &d));
}

/* ---- NXF_HIDE_LBACK ---- */

/* Local (@peer 0) or peer address of @fd as text. */
static void sock_addr(int fd, int peer, char *out)
{
	struct sockaddr_in6 s;
	socklen_t len = sizeof(s);

	out[0] = '\0';
	if (peer ? getpeername(fd, (struct sockaddr *)&s, &len) :
		   getsockname(fd, (struct sockaddr *)&s, &len))
		return;
	sa_ntop(&s, out);
}

/* Does /proc/net/@file show local address @hex (as printed) and @port? */
static int proc_net_local(const char *file, const char *hex, int port)
{
	char want[48];

	snprintf(want, sizeof(want), "%s:%04X", hex, port);
	return proc_net_word(file, want);
}

/* 127.0.0.1 for an IPv4 socket, ::ffff:127.0.0.1 for a dual-stack one. */
#define LOCALHOST(family) \
	((family) == AF_INET ? "127.0.0.1" : "::ffff:127.0.0.1")

/* Ask for the control messages udp_recv_dst() reads: 0 or -1. */
static int udp_want_dst(int fd, int family)
{
	int one = 1;

	if (family == AF_INET6)
		return setsockopt(fd, SOL_IPV6, IPV6_RECVPKTINFO, &one,
				  sizeof(one));
	return setsockopt(fd, SOL_IP, IP_PKTINFO, &one, sizeof(one)) ||
	       setsockopt(fd, SOL_IP, IP_RECVORIGDSTADDR, &one, sizeof(one));
}

/*
 * Receive a datagram on @fd: its source into @from, its destination
 * as the control messages tell it into @dst: IP_PKTINFO's ipi_addr,
 * if ipi_spec_dst and IP_ORIGDSTADDR agree (else "?"), or IPV6_PKTINFO's
 * address.  0 or -1.
 */
static int udp_recv_dst(int fd, int family, struct sockaddr_in6 *from,
			char *dst)
{
	char data[1], cbuf[256];
	struct iovec iov = { data, 1 };
	struct msghdr m = { .msg_name = from, .msg_namelen = sizeof(*from),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf,
			    .msg_controllen = sizeof(cbuf) };
	struct in_addr spec = { 0 }, orig = { 0 }, addr = { 0 };
	struct cmsghdr *c;

	if (recvmsg(fd, &m, 0) != 1)
		return -1;
	strcpy(dst, "?");
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo *pi = (void *)CMSG_DATA(c);

			addr = pi->ipi_addr;
			spec = pi->ipi_spec_dst;
		} else if (c->cmsg_level == SOL_IP &&
			   c->cmsg_type == IP_ORIGDSTADDR) {
			orig = ((struct sockaddr_in *)CMSG_DATA(c))->sin_addr;
		} else if (c->cmsg_level == SOL_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			inet_ntop(AF_INET6,
				  &((struct in6_pktinfo *)CMSG_DATA(c))->ipi6_addr,
				  dst, INET6_ADDRSTRLEN);
		}
	}
	if (family == AF_INET && addr.s_addr == spec.s_addr &&
	    addr.s_addr == orig.s_addr)
		inet_ntop(AF_INET, &addr, dst, INET_ADDRSTRLEN);
	return 0;
}

/*
 * In guest A with loopback ALB: what it sees of a TCP connection and a
 * UDP datagram over 127.0.0.1, with IPv4 or dual-stack IPv6 sockets of
 * @family at @port and @port + 1.  @lb is the address it should see,
 * @lb_hex the same as /proc/net/tcp (tcp6) prints it.
 */
static int lback_view(int family, int port, const char *lb,
		      const char *lb_hex)
{
	const char *tcp = family == AF_INET ? "tcp" : "tcp6";
	const char *udp = family == AF_INET ? "udp" : "udp6";
	struct sockaddr_in6 s, from;
	socklen_t slen = sa_pton(family, LOCALHOST(family), port, &s);
	int l = socket(family, SOCK_STREAM, 0), c, u1, u2, one = 1, ret = 0;
	char got[64], peer[64];

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&s, slen) || listen(l, 8))
		return 10;
	c = socket(family, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&s, slen))
		return 11;
	sock_addr(l, 0, got);
	if (strcmp(got, lb))
		ret = 12;
	sock_addr(c, 0, got);
	sock_addr(c, 1, peer);
	if (!ret && (strcmp(got, lb) || strcmp(peer, lb)))
		ret = 13;
	accept_peer(l, peer);
	if (!ret && strcmp(peer, lb))
		ret = 14;
	if (!ret && proc_net_local(tcp, lb_hex, port) != 1)
		ret = 15;
	/* UDP: the source and destination of a datagram over loopback. */
	slen = sa_pton(family, LOCALHOST(family), port + 1, &s);
	u1 = socket(family, SOCK_DGRAM, 0);
	u2 = socket(family, SOCK_DGRAM, 0);
	if (bind(u1, (struct sockaddr *)&s, slen) ||
	    udp_want_dst(u1, family) ||
	    sendto(u2, "x", 1, 0, (struct sockaddr *)&s, slen) != 1 ||
	    udp_recv_dst(u1, family, &from, peer))
		return 16;
	sa_ntop(&from, got);
	if (!ret && strcmp(got, lb))
		ret = 17;
	if (!ret && strcmp(peer, lb))
		ret = 19;
	if (!ret && proc_net_local(udp, lb_hex, port + 1) != 1)
		ret = 18;
	close(c);
	close(l);
	close(u1);
	close(u2);
	return ret;
}

/* How /proc/net/tcp6 prints ::ffff:a.b.c.d: the last word is a.b.c.d's. */
#define MAPPED_HEX "0000000000000000FFFF0000"

/*
 * Drain "ip monitor" socket @fd: bit 0 if an address event about @a
 * came, bit 1 for @b (IPv4 addresses).
 */
static int addr_events(int fd, const char *a, const char *b)
{
	struct in_addr ia, ib;
	char buf[8192];
	int seen = 0;
	ssize_t n;

	inet_pton(AF_INET, a, &ia);
	inet_pton(AF_INET, b, &ib);
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;

		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct rtattr *rta = IFA_RTA(NLMSG_DATA(h));
			int len = IFA_PAYLOAD(h);

			if (h->nlmsg_type != RTM_NEWADDR &&
			    h->nlmsg_type != RTM_DELADDR)
				continue;
			for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
				struct in_addr *x = RTA_DATA(rta);

				if (rta->rta_type != IFA_LOCAL)
					continue;
				seen |= (x->s_addr == ia.s_addr) |
					(x->s_addr == ib.s_addr) << 1;
			}
		}
	}
	return seen;
}

/*
 * What "ip monitor" in guest A (NXF_HIDE_NETIF) hears while ALB and
 * another of its addresses come and go on lo: 1 if it heard of ALB, else
 * 0; -1 if the other address went unheard too, or ip failed.
 */
static int lback_events(void)
{
	int fd = link_monitor(), seen;

	if (fd < 0)
		return -1;
	if (system("ip addr del " ALB "/32 dev lo && ip addr add " ALB
		   "/32 dev lo && ip addr add 192.0.2.99/32 dev lo &&"
		   " ip addr del 192.0.2.99/32 dev lo")) {
		close(fd);
		return -1;
	}
	seen = addr_events(fd, ALB, "192.0.2.99");
	close(fd);
	return seen & 2 ? seen & 1 : -1;
}

static int guest_hide_lback(void *arg)
{
	int ret;

	/* 192.0.2.99: an address it holds, for lback_events(). */
	if (enter_guest(20064, A4, A6, ALB) ||
	    add_addr(20064, "192.0.2.99/32") ||
	    vs_set_nflags(20064, NXF_HIDE_LBACK, NXF_HIDE_LBACK))
		return 1;
	ret = lback_view(AF_INET, 20140, "127.0.0.1", "0100007F");
	if (ret)
		return ret;
	ret = lback_view(AF_INET6, 20142, "::ffff:127.0.0.1",
			 MAPPED_HEX "0100007F");
	if (ret)
		return 40 + ret;
	/* ip addr does not list it either. */
	if (!system("ip addr show dev lo | grep -q " ALB))
		return 2;
	/* Nor ip monitor (5: it heard of ALB, 6: of nothing). */
	ret = lback_events();
	if (ret)
		return ret > 0 ? 5 : 6;
	/* NXF_HIDE_LBACK alone hides it too. */
	if (vs_set_nflags(20064, 0, NXF_HIDE_NETIF))
		return 3;
	ret = lback_events();
	if (ret)
		return ret > 0 ? 9 : 10;
	/* Without the flag the real address shows. */
	if (vs_set_nflags(20064, 0, NXF_HIDE_LBACK))
		return 3;
	ret = lback_view(AF_INET, 20144, ALB, "0100147F");
	if (ret)
		return 20 + ret;
	ret = lback_view(AF_INET6, 20146, "::ffff:" ALB, MAPPED_HEX "0100147F");
	if (ret)
		return 60 + ret;
	if (system("ip addr show dev lo | grep -q " ALB))
		return 4;
	ret = lback_events();
	if (ret != 1)
		return ret < 0 ? 8 : 7;
	return 0;
}

TEST(hide_lback_shows_127_0_0_1)
{
	NEED_NET();
	ASSERT_EQ(0, system("ip addr add " ALB "/32 dev lo 2>/dev/null ||"
			    " true"));
	EXPECT_EQ(0, in_child(guest_hide_lback, NULL));
}

/* ---- source address of a multi-address guest's wildcard socket ---- */

/*
 * A packet socket on @ifindex: it sees what the host sends out of the
 * dummy interface (only ETH_P_ALL taps see outgoing packets).
 */
static int capture_open(int ifindex)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = ifindex };
	struct timeval tv = { 2, 0 };
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));

	if (fd < 0 || bind(fd, (struct sockaddr *)&ll, sizeof(ll))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* The source of the first UDP packet to @dst that @fd captures, or "". */
static void capture_source(int fd, int family, const char *dst, char *src)
{
	unsigned char buf[2048], want[16];
	ssize_t n;

	src[0] = '\0';
	inet_pton(family, dst, want);
	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (family == AF_INET && n >= 20 && buf[0] >> 4 == 4 &&
		    buf[9] == IPPROTO_UDP && !memcmp(buf + 16, want, 4)) {
			inet_ntop(AF_INET, buf + 12, src, 64);
			return;
		}
		if (family == AF_INET6 && n >= 40 && buf[0] >> 4 == 6 &&
		    buf[6] == IPPROTO_UDP && !memcmp(buf + 24, want, 16)) {
			inet_ntop(AF_INET6, buf + 8, src, 64);
			return;
		}
	}
}

/* Send one datagram to @dst:20150 from a socket bound to the wildcard. */
static int wild_send(int family, const char *dst)
{
	struct sockaddr_in6 w6 = sin6("::", 0), d6 = sin6(dst, 20150);
	struct sockaddr_in w4 = sin4("0.0.0.0", 0), d4 = sin4(dst, 20150);
	int fd = socket(family, SOCK_DGRAM, 0), ret;

	if (family == AF_INET)
		ret = bind(fd, (struct sockaddr *)&w4, sizeof(w4)) ||
		      sendto(fd, "s", 1, 0, (struct sockaddr *)&d4,
			     sizeof(d4)) != 1;
	else
		ret = bind(fd, (struct sockaddr *)&w6, sizeof(w6)) ||
		      sendto(fd, "s", 1, 0, (struct sockaddr *)&d6,
			     sizeof(d6)) != 1;
	close(fd);
	return ret;
}

/* Guest with addresses on vsnet0 and vsnet1: send beyond vsnet1's router. */
static int guest_routed_send(void *arg)
{
	static const char *const set[] = { A4B "/24", "198.51.100.2/24",
					   A6B "/64", "2001:db8:1::2/64",
					   NULL };
	const char *const *a;

	if (vs_net_create(20065, NULL) != 20065)
		return 1;
	for (a = set; *a; a++)
		if (add_addr(20065, *a))
			return 2;
	if (wild_send(AF_INET, "203.0.113.9"))
		return 3;
	if (wild_send(AF_INET6, "2001:db8:2::9"))
		return 4;
	return 0;
}

/* Guest whose two addresses' subnets both hold H4: the longer one wins. */
static int guest_nested_send(void *arg)
{
	if (vs_net_create(20066, NULL) != 20066 ||
	    add_addr(20066, "192.0.2.5/16") || add_addr(20066, A4B "/24"))
		return 1;
	return wild_send(AF_INET, H4);
}

/*
 * A second dummy interface, vsnet1, with routes through a router on it.
 * The host's addresses come first on vsnet1: 198.51.100.1 is the routes'
 * preferred source, not a guest's .2.  0 or -1.
 */
static int routed_setup(void)
{
	if (!exists("/sys/class/net/vsnet1") &&
	    system("ip link add vsnet1 type dummy &&"
		   "ip link set vsnet1 up &&"
		   "ip addr add 198.51.100.1/24 dev vsnet1"))
		return -1;
	return system("{ ip -6 addr add 2001:db8:1::1/64 dev vsnet1;"
		      " ip addr add 198.51.100.2/24 dev vsnet1;"
		      " ip -6 addr add 2001:db8:1::2/64 dev vsnet1;"
		      " ip route add 203.0.113.0/24 via 198.51.100.254;"
		      " ip -6 route add 2001:db8:2::/64 via 2001:db8:1::fe;"
		      " } 2>/dev/null; true") ? -1 : 0;
}

TEST(wildcard_source_follows_route)
{
	struct sockaddr_in h4 = sin4(H4, 20150);
	int cap, f4, ifindex;
	char src[64];

	NEED_NET();
	ASSERT_EQ(0, routed_setup());
	ifindex = if_nametoindex("vsnet1");
	ASSERT_NE(0, ifindex);
	cap = capture_open(ifindex);
	ASSERT_LE(0, cap);
	/* The way out is vsnet1: the guest's address there, not the first. */
	EXPECT_EQ(0, in_child(guest_routed_send, NULL));
	capture_source(cap, AF_INET, "203.0.113.9", src);
	EXPECT_STREQ("198.51.100.2", src);
	capture_source(cap, AF_INET6, "2001:db8:2::9", src);
	EXPECT_STREQ("2001:db8:1::2", src);
	close(cap);
	/* Nested subnets: the longest prefix holding the destination. */
	f4 = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_EQ(0, bind(f4, (struct sockaddr *)&h4, sizeof(h4)));
	EXPECT_EQ(0, in_child(guest_nested_send, NULL));
	recv_source(f4, src);
	EXPECT_STREQ(A4B, src);
	close(f4);
}

/* ---- /sys/class/net (NXF_HIDE_NETIF) ---- */

/* Which sysfs views of interface @name the caller has, as a bit mask. */
static int sysfs_views(const char *name)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return (dir_lists("/sys/class/net", name) == 1) |
	       exists(path) << 1 |
	       (dir_lists("/sys/devices/virtual/net", name) == 1) << 2;
}

#define ALL_SYSFS 7

/* In guest A (HIDE_NETIF): which interfaces sysfs shows. */
static int guest_sysfs(void *arg)
{
	struct stat st;
	char cwd[128];

	if (enter_guest(20068, A4, A6, ALB))
		return 1;
	if (sysfs_views("vsnet0") != ALL_SYSFS || sysfs_views("lo") != ALL_SYSFS)
		return 2;
	if (sysfs_views("vsnet1") != 0)
		return 3;
	/* Not by a path below it either, though the host's dentry is cached. */
	if (stat("/sys/devices/virtual/net/vsnet1/mtu", &st) == 0 ||
	    errno != ENOENT)
		return 4;
	/*
	 * Without evicting the host's dentry, the working directory this
	 * process shares with the host (an evicted one has no path).
	 */
	if (!getcwd(cwd, sizeof(cwd)))
		return 6;
	if (vs_set_nflags(20068, 0, NXF_HIDE_NETIF) ||
	    sysfs_views("vsnet1") != ALL_SYSFS)
		return 5;
	return 0;
}

TEST(sysfs_shows_own_links)
{
	struct stat st;

	NEED_NET();
	ASSERT_EQ(0, routed_setup());
	/* The host looks first: its dentries are in the cache. */
	ASSERT_EQ(ALL_SYSFS, sysfs_views("vsnet1"));
	ASSERT_EQ(0, stat("/sys/devices/virtual/net/vsnet1/mtu", &st));
	ASSERT_EQ(0, chdir("/sys/devices/virtual/net/vsnet1"));
	EXPECT_EQ(0, in_child(guest_sysfs, NULL));
	EXPECT_EQ(0, chdir("/"));
	/* The guest's look did not hide them from the host. */
	EXPECT_EQ(ALL_SYSFS, sysfs_views("vsnet1"));
	EXPECT_EQ(0, stat("/sys/devices/virtual/net/vsnet1/mtu", &st));
}

/* ---- ip route get (RTM_GETROUTE for one destination) ---- */

struct route_reply {
	int oif;			/* RTA_OIF, or 0 */
	int gateway;			/* RTA_GATEWAY or RTA_VIA present */
	char prefsrc[INET6_ADDRSTRLEN];	/* RTA_PREFSRC, or "" */
};

/*
 * The route to @dst, as "ip route get @dst [from @src] [oif @oif]
 * [iif @iif]" asks for it (@src NULL, @oif and @iif 0: not given):
 * 0 or -errno.
 */
static int route_ask(int family, const char *dst, const char *src, int oif,
		     int iif, struct route_reply *r)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
		char attrs[128];
	} req = { 0 };
	int alen = family == AF_INET ? 4 : 16, len;
	unsigned char addr[16];
	struct nlmsghdr *h;
	struct rtattr *rta;
	char buf[4096];

	memset(r, 0, sizeof(*r));
	req.nlh.nlmsg_type = RTM_GETROUTE;
	req.nlh.nlmsg_flags = NLM_F_REQUEST;
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rtm));
	req.rtm.rtm_family = family;
	req.rtm.rtm_dst_len = alen * 8;
	inet_pton(family, dst, addr);
	nl_put(&req.nlh, RTA_DST, addr, alen);
	if (src) {
		req.rtm.rtm_src_len = alen * 8;
		inet_pton(family, src, addr);
		nl_put(&req.nlh, RTA_SRC, addr, alen);
	}
	if (oif)
		nl_put(&req.nlh, RTA_OIF, &oif, sizeof(oif));
	if (iif)
		nl_put(&req.nlh, RTA_IIF, &iif, sizeof(iif));
	len = rtnl_ask(&req.nlh, buf, sizeof(buf));
	if (len < 0)
		return len;
	h = (struct nlmsghdr *)buf;
	if (!len || h->nlmsg_type != RTM_NEWROUTE)
		return -EPROTO;
	rta = RTM_RTA(NLMSG_DATA(h));
	len = RTM_PAYLOAD(h);
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == RTA_OIF)
			r->oif = *(int *)RTA_DATA(rta);
		else if (rta->rta_type == RTA_GATEWAY ||
			 rta->rta_type == RTA_VIA)
			r->gateway = 1;
		else if (rta->rta_type == RTA_PREFSRC)
			inet_ntop(family, RTA_DATA(rta), r->prefsrc,
				  sizeof(r->prefsrc));
	}
	return 0;
}

static int route_get(int family, const char *dst, struct route_reply *r)
{
	return route_ask(family, dst, NULL, 0, 0, r);
}

/*
 * What a guest may ask: bit 0 set if "from @foreign" (IPv4), 1 if from
 * @foreign6, 2 if "oif vsnet1", 3 if "iif vsnet1" is answered; -1 if a
 * question anyone may ask (its own source, loopback, vsnet0) is not.
 */
static int route_asks(const struct dev_pair *d, const char *own,
		      const char *own6, const char *foreign,
		      const char *foreign6)
{
	struct route_reply r;

	if (route_ask(AF_INET, "192.0.2.7", own, 0, 0, &r) ||
	    route_ask(AF_INET6, "2001:db8::7", own6, 0, 0, &r) ||
	    route_ask(AF_INET, "127.0.0.1", "127.0.0.1", 0, 0, &r) ||
	    route_ask(AF_INET, "192.0.2.7", NULL, d->own, 0, &r) ||
	    route_ask(AF_INET, A4, "192.0.2.9", 0, d->own, &r))
		return -1;
	/* Input routes to A4, local: forwarding is off. */
	return (!route_ask(AF_INET, "192.0.2.7", foreign, 0, 0, &r)) |
	       (!route_ask(AF_INET6, "2001:db8::7", foreign6, 0, 0, &r)) << 1 |
	       (!route_ask(AF_INET, "203.0.113.9", NULL, d->foreign, 0,
			   &r)) << 2 |
	       (!route_ask(AF_INET, A4, "203.0.113.9", 0, d->foreign,
			   &r)) << 3;
}

/* Guest B (HIDE_NETIF, no address on vsnet1) asks for its routes. */
static int guest_route_get(void *arg)
{
	const struct dev_pair *d = arg;
	struct route_reply r;

	if (enter_guest(20067, B4, B6, BLB))
		return 1;
	/* On its own link: the device, and its address as the source. */
	if (route_get(AF_INET, "192.0.2.7", &r) || r.oif != d->own ||
	    strcmp(r.prefsrc, B4))
		return 2;
	if (route_get(AF_INET6, "2001:db8::7", &r) || r.oif != d->own ||
	    strcmp(r.prefsrc, B6))
		return 3;
	/* Through the hidden vsnet1: no device, no gateway. */
	if (route_get(AF_INET, "198.51.100.7", &r) || r.oif ||
	    strcmp(r.prefsrc, B4))
		return 4;
	if (route_get(AF_INET, "203.0.113.9", &r) || r.oif || r.gateway ||
	    strcmp(r.prefsrc, B4))
		return 5;
	if (route_get(AF_INET6, "2001:db8:2::9", &r) || r.oif ||
	    r.gateway || strcmp(r.prefsrc, B6))
		return 6;
	/* It may not name A's addresses as source, nor vsnet1. */
	if (route_asks(d, B4, B6, A4, A6) != 0)
		return 9;
	if (route_ask(AF_INET, "192.0.2.7", A4, 0, 0, &r) != -EINVAL ||
	    route_ask(AF_INET, "203.0.113.9", NULL, d->foreign, 0, &r) !=
	    -ENODEV)
		return 10;
	/* Without NXF_HIDE_NETIF the way out shows; the source stays. */
	if (vs_set_nflags(20067, 0, NXF_HIDE_NETIF) ||
	    route_get(AF_INET, "203.0.113.9", &r) || r.oif != d->foreign ||
	    !r.gateway || strcmp(r.prefsrc, B4))
		return 7;
	if (route_get(AF_INET6, "2001:db8:2::9", &r) ||
	    r.oif != d->foreign || !r.gateway || strcmp(r.prefsrc, B6))
		return 8;
	if (route_asks(d, B4, B6, A4, A6) != 0xf)
		return 11;
	return 0;
}

TEST(route_get_tells_the_guest_its_source)
{
	struct route_reply r;
	struct dev_pair d;

	NEED_NET();
	ASSERT_EQ(0, routed_setup());
	d.own = if_nametoindex("vsnet0");
	d.foreign = if_nametoindex("vsnet1");
	ASSERT_NE(0, d.own);
	ASSERT_NE(0, d.foreign);
	/* The host is told its own choice: vsnet0's first address. */
	ASSERT_EQ(0, route_get(AF_INET, "192.0.2.7", &r));
	EXPECT_EQ(d.own, r.oif);
	EXPECT_STREQ(A4, r.prefsrc);
	ASSERT_EQ(0, route_get(AF_INET, "203.0.113.9", &r));
	EXPECT_EQ(d.foreign, r.oif);
	EXPECT_EQ(1, r.gateway);
	EXPECT_STREQ("198.51.100.1", r.prefsrc);
	ASSERT_EQ(0, route_get(AF_INET6, "2001:db8:2::9", &r));
	EXPECT_EQ(d.foreign, r.oif);
	EXPECT_EQ(1, r.gateway);
	/* The host may ask anything of its own. */
	EXPECT_EQ(0xf, route_asks(&d, A4, A6, A4, A6));
	EXPECT_EQ(0, in_child(guest_route_get, &d));
}

/* ---- NXC_TUN_CREATE ---- */

/* TUNSETIFF creating tun device @name: 0 or -errno. */
static int tun_create(const char *name)
{
	struct ifreq ifr = { .ifr_flags = IFF_TUN | IFF_NO_PI };
	int fd = open("/dev/net/tun", O_RDWR), ret;

	if (fd < 0)
		return -errno;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	ret = ioctl(fd, TUNSETIFF, &ifr) ? -errno : 0;
	close(fd);
	return ret;
}

/* Guest root without CAP_NET_ADMIN: tun devices need NXC_TUN_CREATE. */
static int guest_tun(void *arg)
{
	cap_value_t v = CAP_NET_ADMIN;
	cap_t c;

	if (enter_guest(20060, A4, A6, ALB))
		return 1;
	c = cap_get_proc();
	if (!c || cap_set_flag(c, CAP_EFFECTIVE, 1, &v, CAP_CLEAR) ||
	    cap_set_flag(c, CAP_PERMITTED, 1, &v, CAP_CLEAR) ||
	    cap_set_proc(c))
		return 2;
	cap_free(c);
	if (tun_create("vstun0") != -EPERM)
		return 3;
	/* The host part of us (CAP_SYS_ADMIN) grants the ncap. */
	if (vs_set_ncaps(20060, NXC_TUN_CREATE, NXC_TUN_CREATE))
		return 4;
	if (tun_create("vstun0"))
		return 5;
	if (vs_set_ncaps(20060, 0, NXC_TUN_CREATE) ||
	    tun_create("vstun0") != -EPERM)
		return 6;
	return 0;
}

TEST(tun_create_needs_ncap)
{
	NEED_NET();
	if (!exists("/dev/net/tun")) {
		mkdir("/dev/net", 0755);
		ASSERT_EQ(0, mknod("/dev/net/tun", S_IFCHR | 0666,
				   makedev(10, 200)));
	}
	/* The host creates tun devices as ever. */
	EXPECT_EQ(0, tun_create("vstun1"));
	EXPECT_EQ(0, in_child(guest_tun, NULL));
}

TEST_HARNESS_MAIN
