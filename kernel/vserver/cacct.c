// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: per-context socket accounting, /proc/virtual/<xid>/cacct.
 *
 * net/socket.c reports each sendmsg() and recvmsg() on a socket with what
 * it returned: the bytes really moved, not the size asked for (a send
 * may be short, a receive gets less than its buffer).  A guest's
 * messages and bytes are counted in its context per socket family;
 * failed calls and the host's sockets are not counted.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/socket.h>
#include <net/sock.h>

#include "internal.h"

static const char * const vx_cacct_names[VXA_SOCK_SIZE] = {
	[VXA_SOCK_UNSPEC]	= "UNSPEC",
	[VXA_SOCK_UNIX]		= "UNIX",
	[VXA_SOCK_INET]		= "INET",
	[VXA_SOCK_INET6]	= "INET6",
	[VXA_SOCK_PACKET]	= "PACKET",
	[VXA_SOCK_OTHER]	= "OTHER",
};

static unsigned int vx_cacct_family(int family)
{
	switch (family) {
	case AF_UNSPEC:
		return VXA_SOCK_UNSPEC;
	case AF_UNIX:
		return VXA_SOCK_UNIX;
	case AF_INET:
		return VXA_SOCK_INET;
	case AF_INET6:
		return VXA_SOCK_INET6;
	case AF_PACKET:
		return VXA_SOCK_PACKET;
	}
	return VXA_SOCK_OTHER;
}

/**
 * vx_sock_acct - count a message a guest sent or received
 * @sock: the socket
 * @ret: what sendmsg()/recvmsg() returned: bytes, or a negative error
 * @send: sent (true) or received
 */
void vx_sock_acct(const struct socket *sock, int ret, bool send)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;
	unsigned int f;

	if (!vxi || ret < 0 || !sock->sk)
		return;
	f = vx_cacct_family(sock->sk->sk_family);
	this_cpu_inc(vxi->cacct->sock[f][send][0]);
	this_cpu_add(vxi->cacct->sock[f][send][1], ret);
}

/* Family @i, direction @dir, messages (@k 0) or bytes (1), all CPUs. */
static u64 vx_cacct_sum(struct vx_info *vxi, unsigned int i, unsigned int dir,
			unsigned int k)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(vxi->cacct, cpu)->sock[i][dir][k];
	return sum;
}

/*
 * One line per family: received and sent, each as messages/bytes
 * (Linux-VServer's layout, without its "fail" column).
 */
int vx_cacct_proc_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = m->private;
	unsigned int i, dir;

	if (vx_current_xid() > VX_ID_SPECTATOR && vx_current_xid() != vxi->xid)
		return -ENOENT;
	for (i = 0; i < VXA_SOCK_SIZE; i++) {
		seq_printf(m, "%s:", vx_cacct_names[i]);
		for (dir = 0; dir < 2; dir++)
			seq_printf(m, "\t%llu/%llu",
				   vx_cacct_sum(vxi, i, dir, 0),
				   vx_cacct_sum(vxi, i, dir, 1));
		seq_putc(m, '\n');
	}
	return 0;
}
