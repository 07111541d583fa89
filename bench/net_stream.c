// SPDX-License-Identifier: GPL-2.0
/*
 * TCP throughput and request/response rate (1-byte ping-pong), side by
 * side:
 *   host:   host <-> host over 127.0.0.1
 *   guest:  guest A <-> guest B, two network contexts on the shared stack
 *           (addresses on a dummy interface)
 *   netns:  network namespace <-> network namespace over a veth pair
 * Rounds are interleaved so that drift hits all kinds equally; prints the
 * means and the ratios guest/host and guest/netns against the goals
 * (>= 0.98 and >= 1.2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "libvserver.h"

enum { HOST, GUEST, NETNS, NKINDS };

static const char *names[NKINDS] = { "host loopback", "guest<->guest",
				     "netns veth" };
static const char *server_ip[NKINDS] = { "127.0.0.1", "192.0.2.101",
					 "10.99.0.2" };

#define PORT		20950
#define CHUNK		65536
#define RR_COUNT	2000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int guest_enter(uint32_t nid, const char *ip)
{
	struct vs_net_addr a;

	if (vs_net_create(nid, NULL) != (long)nid)
		return -1;
	if (vs_parse_net_addr(ip, &a) || vs_net_add(nid, &a))
		return -1;
	return 0;
}

/* Server: accept one connection per test, sink or echo; exit on EOF. */
static void serve(int kind, int ready)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT + kind) };
	static char buf[CHUNK];
	int one = 1, lfd, fd;
	char mode;

	if (kind == GUEST && guest_enter(20950, server_ip[GUEST]))
		_exit(1);
	inet_pton(AF_INET, server_ip[kind], &sa.sin_addr);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 4))
		_exit(2);
	if (write(ready, "y", 1) != 1)
		_exit(3);
	close(ready);
	for (;;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			_exit(4);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (read(fd, &mode, 1) != 1)
			_exit(0);
		if (mode == 'q')
			_exit(0);
		if (mode == 's') {
			while (read(fd, buf, sizeof(buf)) > 0)
				;
		} else {
			char c;

			while (read(fd, &c, 1) == 1)
				if (write(fd, &c, 1) != 1)
					break;
		}
		close(fd);
	}
}

static int dial(int kind, char mode)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(PORT + kind) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, server_ip[kind], &sa.sin_addr);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, &mode, 1) != 1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* MB/s over @secs seconds. */
static double stream(int kind, double secs)
{
	static char buf[CHUNK];
	double t0, t;
	long long bytes = 0;
	int fd = dial(kind, 's');
	ssize_t n;

	if (fd < 0)
		return -1;
	t = t0 = now();
	do {
		n = write(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		bytes += n;
		t = now();
	} while (t - t0 < secs);
	close(fd);
	return t > t0 ? bytes / (t - t0) / 1e6 : -1;
}

/* Mean round trip of a 1-byte request/response, in microseconds. */
static double rr(int kind)
{
	double t0;
	char c = 'x';
	int i, fd = dial(kind, 'r');

	if (fd < 0)
		return -1;
	t0 = now();
	for (i = 0; i < RR_COUNT; i++)
		if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1)
			break;
	close(fd);
	return i == RR_COUNT ? (now() - t0) / RR_COUNT * 1e6 : -1;
}

/* Start the server of @kind; for NETNS it runs in a new net namespace. */
static pid_t start_server(int kind)
{
	int ready[2], go[2];
	char c = 0, cmd[256];
	pid_t pid;

	if (pipe(ready) || pipe(go))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (kind == NETNS) {
			if (unshare(CLONE_NEWNET))
				_exit(5);
			if (write(ready[1], "n", 1) != 1 ||
			    read(go[0], &c, 1) != 1)
				_exit(6);
			if (system("ip link set lo up && ip link set veth0 up &&"
				   " ip addr add 10.99.0.2/24 dev veth0"))
				_exit(7);
		}
		serve(kind, ready[1]);
	}
	close(ready[1]);
	close(go[0]);
	if (kind == NETNS) {
		if (read(ready[0], &c, 1) != 1)
			return -1;
		/* vsva goes to the client's namespace (start_client()). */
		snprintf(cmd, sizeof(cmd),
			 "ip link add vsva type veth &&"
			 " ip link set veth0 netns %d", (int)pid);
		if (system(cmd) || write(go[1], "g", 1) != 1)
			return -1;
	}
	close(go[1]);
	if (read(ready[0], &c, 1) != 1 || c != 'y')
		return -1;
	close(ready[0]);
	return pid;
}

/* A client in its own network context (GUEST) or namespace (NETNS). */
struct client {
	pid_t pid;
	int to, from;
};

static int start_client(int kind, double secs, struct client *cl)
{
	int to[2], from[2];
	char c, cmd[128];

	if (pipe(to) || pipe(from))
		return -1;
	cl->pid = fork();
	if (cl->pid == 0) {
		double res[2];

		close(to[1]);
		close(from[0]);
		if (kind == GUEST && guest_enter(20951, "192.0.2.102"))
			_exit(1);
		if (kind == NETNS) {
			if (unshare(CLONE_NEWNET) ||
			    write(from[1], "n", 1) != 1 ||
			    read(to[0], &c, 1) != 1)
				_exit(1);
			if (system("ip link set lo up && ip link set vsva up &&"
				   " ip addr add 10.99.0.1/24 dev vsva"))
				_exit(1);
		}
		while (read(to[0], &c, 1) == 1) {
			res[0] = stream(kind, secs);
			res[1] = rr(kind);
			if (write(from[1], res, sizeof(res)) != sizeof(res))
				_exit(1);
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	cl->to = to[1];
	cl->from = from[0];
	if (kind == NETNS) {
		snprintf(cmd, sizeof(cmd), "ip link set vsva netns %d",
			 (int)cl->pid);
		if (read(cl->from, &c, 1) != 1 || system(cmd) ||
		    write(cl->to, "g", 1) != 1)
			return -1;
	}
	return 0;
}

/* One round of @cl: throughput into *t, round trip into *l. */
static void ask_client(struct client *cl, double *t, double *l)
{
	double res[2];

	if (write(cl->to, "g", 1) != 1 ||
	    read(cl->from, res, sizeof(res)) != sizeof(res))
		res[0] = res[1] = -1;
	*t = res[0];
	*l = res[1];
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 0.5;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	double tput[NKINDS] = { 0 }, lat[NKINDS] = { 0 };
	struct client cl[NKINDS] = { 0 };
	pid_t srv[NKINDS];
	int k, r, client_ok = 1;

	if (vs_get_version() < 0) {
		fprintf(stderr, "net_stream: kernel without vserver\n");
		return 1;
	}
	if (system("ip link set lo up; ip link show vsbench0 >/dev/null 2>&1 ||"
		   " { ip link add vsbench0 type dummy && ip link set vsbench0 up"
		   " && ip addr add 192.0.2.101/24 dev vsbench0"
		   " && ip addr add 192.0.2.102/24 dev vsbench0; }")) {
		fprintf(stderr, "net_stream: cannot set up the dummy interface\n");
		return 1;
	}
	for (k = 0; k < NKINDS; k++) {
		srv[k] = start_server(k);
		if (srv[k] < 0) {
			fprintf(stderr, "net_stream: %s server failed\n",
				names[k]);
			return 1;
		}
	}
	/* Guest B and the second namespace: clients in their own processes. */
	alarm(300);	/* whatever hangs, the suite goes on */
	for (k = GUEST; k < NKINDS; k++) {
		if (start_client(k, secs, &cl[k])) {
			fprintf(stderr, "net_stream: %s client failed\n",
				names[k]);
			return 1;
		}
	}

	for (r = 0; r < rounds; r++) {
		for (k = 0; k < NKINDS; k++) {
			double t, l;

			if (k != HOST) {
				ask_client(&cl[k], &t, &l);
			} else {
				t = stream(k, secs);
				l = rr(k);
			}
			if (t < 0 || l < 0)
				client_ok = 0;
			tput[k] += t / rounds;
			lat[k] += l / rounds;
		}
	}
	/* A later client holds copies of an earlier one's pipe: close all. */
	for (k = GUEST; k < NKINDS; k++)
		close(cl[k].to);
	for (k = GUEST; k < NKINDS; k++)
		waitpid(cl[k].pid, NULL, 0);
	for (k = 0; k < NKINDS; k++) {
		int fd = dial(k, 'q');

		if (fd >= 0)
			close(fd);
		kill(srv[k], SIGKILL);
		waitpid(srv[k], NULL, 0);
	}
	if (system("ip link del vsva 2>/dev/null")) {
		/* gone with the namespace already */
	}
	if (!client_ok) {
		fprintf(stderr, "net_stream: a client failed\n");
		return 1;
	}
	printf("# net_stream: TCP, %d rounds of %.1f s stream + %d RR\n",
	       rounds, secs, RR_COUNT);
	for (k = 0; k < NKINDS; k++)
		printf("# %-16s %9.1f MB/s %8.1f us/RR %8.0f RR/s\n", names[k],
		       tput[k], lat[k], 1e6 / lat[k]);
	printf("# throughput guest/host:    %.3f (goal >= 0.98)\n",
	       tput[GUEST] / tput[HOST]);
	printf("# throughput guest/netns:   %.3f (goal >= 1.2)\n",
	       tput[GUEST] / tput[NETNS]);
	/* Transactions per second: the inverse of the round trip. */
	printf("# transactions guest/host:  %.3f (goal >= 0.98)\n",
	       lat[HOST] / lat[GUEST]);
	printf("# transactions guest/netns: %.3f (goal >= 1.2)\n",
	       lat[NETNS] / lat[GUEST]);
	return 0;
}
