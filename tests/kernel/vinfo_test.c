// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/virtual/<xid>/nsproxy and cacct: the namespaces a context holds,
 * and what its sockets really moved, per family.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "helpers.h"

/* Read @path into @buf (NUL-terminated); bytes read or -1. */
static int slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* Append "@index\t@bit\t<readlink /proc/self/ns/@ns>\n" to @buf. */
static int expect_line(char *buf, size_t len, int index, const char *bit,
		       const char *ns)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", ns);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = '\0';
	snprintf(buf + strlen(buf), len - strlen(buf), "%d\t%s\t%s\n", index,
		 bit, link);
	return 0;
}

/*
 * In a child: new mount, UTS and IPC namespaces stored as space 0 and the
 * IPC namespace as space 1; nsproxy must name exactly these.
 */
static int nsproxy_names_the_spaces(void *arg)
{
	char want[512] = "", got[512], path[64];
	uint32_t xid = 4701;

	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC))
		return 100;
	if (vs_ctx_create(xid, NULL) != (long)xid)
		return 101;
	if (vs_set_space(xid, VX_SPACE_NS | VX_SPACE_UTS | VX_SPACE_IPC, 0) ||
	    vs_set_space(xid, VX_SPACE_IPC, 1))
		return 102;
	if (expect_line(want, sizeof(want), 0, "NS", "mnt") ||
	    expect_line(want, sizeof(want), 0, "UTS", "uts") ||
	    expect_line(want, sizeof(want), 0, "IPC", "ipc") ||
	    expect_line(want, sizeof(want), 1, "IPC", "ipc"))
		return 103;
	snprintf(path, sizeof(path), "/proc/virtual/%u/nsproxy", xid);
	if (slurp(path, got, sizeof(got)) < 0)
		return 104;
	if (strcmp(want, got)) {
		fprintf(stderr, "# want:\n%s# got:\n%s", want, got);
		return 1;
	}
	return 0;
}

TEST(nsproxy_shows_the_namespaces_of_each_space)
{
	NEED_VSERVER();
	EXPECT_EQ(0, in_child(nsproxy_names_the_spaces, NULL));
}

TEST(nsproxy_is_empty_before_set_space)
{
	char buf[64], path[64];
	int fd;

	NEED_VSERVER();
	fd = spawn_ctx(4702, VXF_INIT_SET);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/proc/virtual/%u/nsproxy", 4702);
	EXPECT_EQ(0, slurp(path, buf, sizeof(buf)));
	EXPECT_EQ(0, end_ctx(fd, 4702));
}

/* The received and sent messages/bytes of @family's row in @text. */
static int cacct_row(const char *text, const char *family,
		     unsigned long long v[4])
{
	char key[16];
	const char *p;

	snprintf(key, sizeof(key), "\n%s:", family);
	if (!strncmp(text, key + 1, strlen(key + 1)))
		p = text + strlen(key + 1);
	else if ((p = strstr(text, key)))
		p += strlen(key);
	else
		return -1;
	return sscanf(p, "\t%llu/%llu\t%llu/%llu", &v[0], &v[1], &v[2],
		      &v[3]) == 4 ? 0 : -1;
}

#define CACCT_XID	4703

/*
 * In a fresh persistent context: 1000 bytes over UNIX, 3 x 700 over
 * UDP/IPv4 into a 1000 byte buffer.
 */
static int move_bytes(void *arg)
{
	uint64_t flags = VXF_INIT_SET | VXF_PERSISTENT;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	char buf[1000] = { 0 };
	int sv[2], u, i;

	if (vs_ctx_create(CACCT_XID, &flags) != CACCT_XID)
		return 100;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 101;
	if (send(sv[0], buf, 1000, 0) != 1000 ||
	    recv(sv[1], buf, sizeof(buf), MSG_WAITALL) != 1000)
		return 102;
	/* A failed call is not counted: nothing is waiting. */
	if (recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT) != -1)
		return 103;
	u = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (u < 0 || bind(u, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(u, (struct sockaddr *)&a, &alen))
		return 104;
	for (i = 0; i < 3; i++)
		if (sendto(u, buf, 700, 0, (struct sockaddr *)&a,
			   sizeof(a)) != 700)
			return 105;
	/* Only what was moved counts, not the buffer's size. */
	for (i = 0; i < 3; i++)
		if (recv(u, buf, sizeof(buf), 0) != 700)
			return 106;
	return 0;
}

TEST(cacct_counts_what_the_sockets_moved)
{
	unsigned long long v[4];
	char text[1024], path[64];

	NEED_VSERVER();
	ASSERT_EQ(0, in_child(move_bytes, NULL));
	snprintf(path, sizeof(path), "/proc/virtual/%u/cacct", CACCT_XID);
	ASSERT_LT(0, slurp(path, text, sizeof(text)));
	/* received msgs/bytes, sent msgs/bytes */
	ASSERT_EQ(0, cacct_row(text, "UNIX", v));
	EXPECT_EQ(1, v[0]);
	EXPECT_EQ(1000, v[1]);
	EXPECT_EQ(1, v[2]);
	EXPECT_EQ(1000, v[3]);
	ASSERT_EQ(0, cacct_row(text, "INET", v));
	EXPECT_EQ(3, v[0]);
	EXPECT_EQ(2100, v[1]);
	EXPECT_EQ(3, v[2]);
	EXPECT_EQ(2100, v[3]);
	ASSERT_EQ(0, cacct_row(text, "INET6", v));
	EXPECT_EQ(0, v[0] + v[1] + v[2] + v[3]);
	ASSERT_EQ(0, cacct_row(text, "UNSPEC", v));
	EXPECT_EQ(0, v[0] + v[1] + v[2] + v[3]);
	EXPECT_EQ(0, vs_set_cflags(CACCT_XID, 0, VXF_PERSISTENT));
}

static int host_socket_traffic(void *arg)
{
	char buf[64] = { 0 };
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	return send(sv[0], buf, sizeof(buf), 0) != sizeof(buf);
}

/* Another context's (here: the host's) traffic is not counted. */
TEST(cacct_counts_only_the_contexts_own_sockets)
{
	uint64_t flags = VXF_INIT_SET | VXF_PERSISTENT;
	unsigned long long v[4];
	char text[1024], path[64];

	NEED_VSERVER();
	if (fork() == 0)
		_exit(vs_ctx_create(4704, &flags) != 4704);
	ASSERT_LT(0, wait(NULL));
	ASSERT_EQ(0, in_child(host_socket_traffic, NULL));
	snprintf(path, sizeof(path), "/proc/virtual/%u/cacct", 4704);
	ASSERT_LT(0, slurp(path, text, sizeof(text)));
	ASSERT_EQ(0, cacct_row(text, "UNIX", v));
	EXPECT_EQ(0, v[0] + v[1] + v[2] + v[3]);
	EXPECT_EQ(0, vs_set_cflags(4704, 0, VXF_PERSISTENT));
}

TEST_HARNESS_MAIN
