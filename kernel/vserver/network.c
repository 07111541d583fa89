// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: network contexts -- address sets on the shared host stack.
 *
 * A network context (struct nx_info) holds the IPv4 and IPv6 addresses
 * a guest may use.  Tasks carry it in their LSM blob (struct vx_task,
 * inherited on fork) and every socket they create is stamped with it
 * (struct vx_sock, copied to accepted children).  The LSM socket hooks
 * then enforce, for stamped sockets only:
 *
 *   bind()     an address outside the set fails with -EADDRNOTAVAIL; the
 *              wildcard (0.0.0.0, ::) of a TCP or UDP socket stays the
 *              wildcard when the set holds several addresses of that
 *              family (socket lookup and bind conflicts then honour the
 *              set, see "wildcard sockets" below); otherwise it becomes
 *              the guest's first address;
 *              127.0.0.1 / ::1 become the guest's own loopback address
 *              (NXF_LBACK_REMAP) or fail unless NXF_LBACK_ALLOW;
 *   connect()  and sendmsg() to a destination: loopback destinations are
 *              remapped the same way (or refused with -EPERM); an unbound
 *              socket is first bound to an address of the set, so the
 *              core code never picks a foreign source address;
 *   sendmsg()  IP_PKTINFO / IPV6_PKTINFO may not name a foreign source;
 *   socket()   raw sockets need NXC_RAW_ICMP and may only speak ICMP;
 *              packet sockets are refused; IP_HDRINCL cannot be set.
 *
 * The hooks rewrite the kernel's copy of the socket address that bind(),
 * connect() and sendmsg() pass to the protocol, so no core hunk is needed.
 *
 * Lifecycle mirrors context.c: a hash holds one reference, each member
 * task one; the context is unhashed (from a work item, since the last
 * task may go in softirq context) when its last task is freed, unless it
 * is persistent.  Address lists are RCU lists, changed under @lock, which
 * is taken with bottom halves off because task_free may run in softirq.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/capability.h>
#include <linux/cleanup.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/kernfs.h>
#include <linux/netdevice.h>
#include <linux/netconf.h>
#include <linux/net.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/workqueue.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/inet_sock.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/request_sock.h>
#include <net/route.h>
#include <net/sock.h>

#include "internal.h"

#define NX_HASH_BITS	6

/**
 * struct nx_addr4 - one IPv4 entry of a network context
 * @list: entry in &nx_info.v4
 * @rcu: frees the entry after lockless readers
 * @ip: the address, or the first address of a range
 * @ip2: end of a range (excluded), else 0
 * @mask: netmask
 * @type: NXA_TYPE_ADDR, NXA_TYPE_MASK or NXA_TYPE_RANGE
 */
struct nx_addr4 {
	struct list_head list;
	struct rcu_head rcu;
	__be32 ip;
	__be32 ip2;
	__be32 mask;
	u16 type;
};

/**
 * struct nx_addr6 - one IPv6 entry of a network context
 * @list: entry in &nx_info.v6
 * @rcu: frees the entry after lockless readers
 * @ip: the address
 * @prefix: prefix length; NXA_TYPE_MASK entries match the whole prefix
 * @type: NXA_TYPE_ADDR or NXA_TYPE_MASK
 */
struct nx_addr6 {
	struct list_head list;
	struct rcu_head rcu;
	struct in6_addr ip;
	u32 prefix;
	u16 type;
};

/**
 * struct nx_info - a network context
 * @hlist: entry in the nid hash, under nx_hash_lock
 * @rcu: frees the context after RCU readers
 * @usecnt: references: the hash, each member task, each stamped socket
 * @nid: the network context id
 * @lock: protects the fields below and changes of the lists
 * @tasks: member tasks
 * @dead: ending, nobody may join
 * @flags: NXF_* flags
 * @ncaps: NXC_* capabilities
 * @v4_bcast: broadcast address, or 0
 * @v4_lback: loopback address (NXF_LBACK_REMAP target), or 0
 * @v4: IPv4 entries (struct nx_addr4), RCU list
 * @v6: IPv6 entries (struct nx_addr6), RCU list
 * @nr_v4: entries in @v4
 * @nr_v6: entries in @v6
 * @unhash_work: unhashes the context once its last task is gone
 * @procdir: /proc/virtnet/<nid>
 */
struct nx_info {
	struct hlist_node hlist;
	struct rcu_head rcu;
	refcount_t usecnt;
	u32 nid;
	spinlock_t lock;		/* see above */
	unsigned int tasks;
	bool dead;
	u64 flags;
	u64 ncaps;
	__be32 v4_bcast;
	__be32 v4_lback;
	struct list_head v4;
	struct list_head v6;
	unsigned int nr_v4;
	unsigned int nr_v6;
	struct work_struct unhash_work;
	struct proc_dir_entry *procdir;
};

static DEFINE_HASHTABLE(nx_hash, NX_HASH_BITS);
static DEFINE_SPINLOCK(nx_hash_lock);
static DEFINE_MUTEX(nx_proc_mutex);
static unsigned int nx_hashed;
static u32 nx_dynamic_next = NX_ID_DYNAMIC_MIN;
static struct proc_dir_entry *proc_virtnet;

static struct nx_info *nx_get(struct nx_info *nxi)
{
	refcount_inc(&nxi->usecnt);
	return nxi;
}

static void nx_free_rcu(struct rcu_head *head)
{
	struct nx_info *nxi = container_of(head, struct nx_info, rcu);
	struct nx_addr4 *a4, *n4;
	struct nx_addr6 *a6, *n6;

	list_for_each_entry_safe(a4, n4, &nxi->v4, list)
		kfree(a4);
	list_for_each_entry_safe(a6, n6, &nxi->v6, list)
		kfree(a6);
	kfree(nxi);
}

void nx_put(struct nx_info *nxi)
{
	if (nxi && refcount_dec_and_test(&nxi->usecnt))
		call_rcu(&nxi->rcu, nx_free_rcu);
}

u64 nx_get_flags(struct nx_info *nxi)
{
	return READ_ONCE(nxi->flags);
}

static struct nx_info *__nx_find(u32 nid)
{
	struct nx_info *nxi;

	hash_for_each_possible_rcu(nx_hash, nxi, hlist, nid)
		if (nxi->nid == nid)
			return nxi;
	return NULL;
}

/**
 * nx_lookup - find a live network context by nid
 * @nid: the nid
 *
 * Return: the context with a reference the caller must nx_put(), or NULL.
 */
struct nx_info *nx_lookup(u32 nid)
{
	struct nx_info *nxi;

	rcu_read_lock();
	nxi = __nx_find(nid);
	if (nxi && !refcount_inc_not_zero(&nxi->usecnt))
		nxi = NULL;
	rcu_read_unlock();
	return nxi;
}

/* ---- /proc/virtnet ---- */

/* A guest may only read the files of its own network context. */
static struct nx_info *nx_proc_target(struct seq_file *m)
{
	struct nx_info *nxi = m->private;

	if (vx_current_xid() > VX_ID_SPECTATOR && nx_current_nid() != nxi->nid)
		return NULL;
	return nxi;
}

static const char *nx_type_name(u16 type)
{
	switch (type) {
	case NXA_TYPE_MASK:
		return "mask";
	case NXA_TYPE_RANGE:
		return "range";
	default:
		return "addr";
	}
}

static int nx_info_show(struct seq_file *m, void *v)
{
	struct nx_info *nxi = nx_proc_target(m);
	struct nx_addr4 *a4;
	struct nx_addr6 *a6;

	if (!nxi)
		return -ENOENT;
	seq_printf(m, "ID:\t%u\n", nxi->nid);
	seq_printf(m, "Bcast:\t%pI4\n", &nxi->v4_bcast);
	seq_printf(m, "Lback:\t%pI4\n", &nxi->v4_lback);
	rcu_read_lock();
	list_for_each_entry_rcu(a4, &nxi->v4, list) {
		if (a4->type == NXA_TYPE_RANGE)
			seq_printf(m, "IPv4:\t%pI4-%pI4/%pI4 %s\n", &a4->ip,
				   &a4->ip2, &a4->mask, nx_type_name(a4->type));
		else
			seq_printf(m, "IPv4:\t%pI4/%pI4 %s\n", &a4->ip,
				   &a4->mask, nx_type_name(a4->type));
	}
	list_for_each_entry_rcu(a6, &nxi->v6, list)
		seq_printf(m, "IPv6:\t%pI6c/%u %s\n", &a6->ip, a6->prefix,
			   nx_type_name(a6->type));
	rcu_read_unlock();
	return 0;
}

static int nx_status_show(struct seq_file *m, void *v)
{
	struct nx_info *nxi = nx_proc_target(m);

	if (!nxi)
		return -ENOENT;
	seq_printf(m, "UseCnt:\t%u\n", refcount_read(&nxi->usecnt));
	seq_printf(m, "Tasks:\t%u\n", READ_ONCE(nxi->tasks));
	seq_printf(m, "Flags:\t%016llx\n", READ_ONCE(nxi->flags));
	seq_printf(m, "NCaps:\t%016llx\n", READ_ONCE(nxi->ncaps));
	return 0;
}

static int virtnet_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "#NTotal:\t%u\n", READ_ONCE(nx_hashed));
	return 0;
}

static int nx_proc_attach(struct nx_info *nxi)
{
	struct proc_dir_entry *dir;
	char name[12];

	if (!proc_virtnet)
		return 0;
	guard(mutex)(&nx_proc_mutex);
	snprintf(name, sizeof(name), "%u", nxi->nid);
	dir = proc_mkdir_data(name, 0555, proc_virtnet, nxi);
	if (!dir)
		return -ENOMEM;
	if (!proc_create_single_data("info", 0444, dir, nx_info_show, nxi) ||
	    !proc_create_single_data("status", 0444, dir, nx_status_show,
				     nxi)) {
		proc_remove(dir);
		return -ENOMEM;
	}
	nxi->procdir = dir;
	return 0;
}

static void nx_proc_detach(struct nx_info *nxi)
{
	guard(mutex)(&nx_proc_mutex);
	proc_remove(nxi->procdir);
	nxi->procdir = NULL;
}

static int __init nx_proc_init(void)
{
	proc_virtnet = proc_mkdir("virtnet", NULL);
	if (!proc_virtnet)
		return -ENOMEM;
	proc_create_single("status", 0444, proc_virtnet, virtnet_status_show);
	return 0;
}
fs_initcall(nx_proc_init);

/* ---- lifecycle ---- */

/* Remove a context nobody may join any more from /proc and the hash. */
static void nx_unhash(struct nx_info *nxi)
{
	nx_proc_detach(nxi);
	spin_lock(&nx_hash_lock);
	hash_del_rcu(&nxi->hlist);
	nx_hashed--;
	spin_unlock(&nx_hash_lock);
	nx_put(nxi);		/* the hash's reference */
}

static void nx_unhash_work(struct work_struct *work)
{
	nx_unhash(container_of(work, struct nx_info, unhash_work));
}

/* Mark @nxi dead if nothing keeps it; call with @nxi->lock held. */
static bool nx_should_end(struct nx_info *nxi)
{
	lockdep_assert_held(&nxi->lock);
	if (nxi->tasks || (nxi->flags & NXF_PERSISTENT) || nxi->dead)
		return false;
	nxi->dead = true;
	return true;
}

static u32 nx_dynamic_nid(void)
{
	u32 n, nid = nx_dynamic_next;

	for (n = 0; n <= NX_ID_DYNAMIC_MAX - NX_ID_DYNAMIC_MIN; n++) {
		if (nid > NX_ID_DYNAMIC_MAX)
			nid = NX_ID_DYNAMIC_MIN;
		if (!__nx_find(nid)) {
			nx_dynamic_next = nid + 1;
			return nid;
		}
		nid++;
	}
	return 0;
}

/**
 * nx_create - create and hash a network context
 * @nid: a static nid or %NX_DYNAMIC_ID
 * @flags: NXF_* flags
 *
 * Return: the context with a reference for the caller, or ERR_PTR():
 * -EEXIST if @nid is taken, -EAGAIN if no dynamic nid is free, -ENOMEM.
 */
static struct nx_info *nx_create(u32 nid, u64 flags)
{
	struct nx_info *nxi, *old;
	int ret;

	nxi = kzalloc(sizeof(*nxi), GFP_KERNEL);
	if (!nxi)
		return ERR_PTR(-ENOMEM);
	refcount_set(&nxi->usecnt, 2);	/* the hash and the caller */
	spin_lock_init(&nxi->lock);
	INIT_LIST_HEAD(&nxi->v4);
	INIT_LIST_HEAD(&nxi->v6);
	INIT_WORK(&nxi->unhash_work, nx_unhash_work);
	nxi->flags = flags;

again:
	old = NULL;
	spin_lock(&nx_hash_lock);
	if (nid == NX_DYNAMIC_ID) {
		nid = nx_dynamic_nid();
		if (!nid) {
			spin_unlock(&nx_hash_lock);
			kfree(nxi);
			return ERR_PTR(-EAGAIN);
		}
	} else {
		old = __nx_find(nid);
	}
	/*
	 * A context whose last task just left is unhashed by a work item:
	 * its nid is free again once that ran.
	 */
	if (old && READ_ONCE(old->dead) &&
	    refcount_inc_not_zero(&old->usecnt)) {
		spin_unlock(&nx_hash_lock);
		flush_work(&old->unhash_work);
		nx_put(old);
		goto again;
	}
	if (old) {
		spin_unlock(&nx_hash_lock);
		kfree(nxi);
		return ERR_PTR(-EEXIST);
	}
	nxi->nid = nid;
	hash_add_rcu(nx_hash, &nxi->hlist, nid);
	nx_hashed++;
	spin_unlock(&nx_hash_lock);

	ret = nx_proc_attach(nxi);
	if (ret) {
		nxi->dead = true;
		nx_unhash(nxi);
		nx_put(nxi);
		return ERR_PTR(ret);
	}
	return nxi;
}

static void nx_leave(struct nx_info *nxi)
{
	bool end;

	spin_lock_bh(&nxi->lock);
	nxi->tasks--;
	end = nx_should_end(nxi);
	spin_unlock_bh(&nxi->lock);
	if (end)
		schedule_work(&nxi->unhash_work);
}

/* Called by context.c's task_alloc hook: the child inherits the nid. */
void nx_task_alloc(struct task_struct *task)
{
	struct vx_task *parent = vx_task(current), *child = vx_task(task);
	struct nx_info *nxi = parent->nxi;

	child->nid = parent->nid;
	child->nxi = NULL;
	if (!nxi)
		return;
	/* The parent is a member, so the context is not dead. */
	spin_lock_bh(&nxi->lock);
	nxi->tasks++;
	spin_unlock_bh(&nxi->lock);
	child->nxi = nx_get(nxi);
}

/*
 * Called by vx_exit_task() from do_exit(): the task leaves its network
 * context's member count now, not when its last reference goes.
 */
void nx_task_exit(struct task_struct *task)
{
	struct vx_task *vt = vx_task(task);
	struct nx_info *nxi = vt->nxi;

	if (!nxi)
		return;
	WRITE_ONCE(vt->nxi, NULL);
	nx_leave(nxi);
	nx_put(nxi);
}

/*
 * Called by context.c's task_free hook, for tasks that never reached
 * do_exit() (a fork that failed); may run in softirq context.
 */
void nx_task_free(struct task_struct *task)
{
	struct vx_task *vt = vx_task(task);
	struct nx_info *nxi = vt->nxi;

	if (!nxi)
		return;
	vt->nxi = NULL;
	nx_leave(nxi);
	nx_put(nxi);
}

static int nx_migrate_current(struct nx_info *nxi)
{
	struct vx_task *vt = vx_task(current);
	struct nx_info *old = vt->nxi;

	if (old == nxi)
		return 0;
	if (!thread_group_empty(current))
		return -EBUSY;
	spin_lock_bh(&nxi->lock);
	if (nxi->dead) {
		spin_unlock_bh(&nxi->lock);
		return -ESRCH;
	}
	nxi->tasks++;
	spin_unlock_bh(&nxi->lock);
	WRITE_ONCE(vt->nxi, nx_get(nxi));
	WRITE_ONCE(vt->nid, nxi->nid);
	if (old) {
		nx_leave(old);
		nx_put(old);
	}
	return 0;
}

/*
 * new = (old & ~mask) | (flagword & mask); one-time bits can only be
 * cleared, unknown bits in @mask are refused.  May end a context without
 * tasks whose NXF_PERSISTENT goes.
 */
static int nx_set_flags(struct nx_info *nxi, u64 flagword, u64 mask)
{
	bool end;
	u64 old;

	spin_lock_bh(&nxi->lock);
	old = nxi->flags;
	if (vx_check_flag_update(old, flagword, mask, NXF_MASK,
				 NXF_ONE_TIME)) {
		spin_unlock_bh(&nxi->lock);
		return -EINVAL;
	}
	WRITE_ONCE(nxi->flags, (old & ~mask) | (flagword & mask));
	end = nx_should_end(nxi);
	spin_unlock_bh(&nxi->lock);
	if (end)
		nx_unhash(nxi);
	return 0;
}

/* ---- address sets ---- */

static bool nx_v4_entry_match(const struct nx_addr4 *e, __be32 a)
{
	switch (e->type) {
	case NXA_TYPE_MASK:
		return !((e->ip ^ a) & e->mask);
	case NXA_TYPE_RANGE:
		return ntohl(a) >= ntohl(e->ip) && ntohl(a) < ntohl(e->ip2);
	default:
		return e->ip == a;
	}
}

/* Is @a one of @nxi's IPv4 addresses (including bcast and lback)? */
static bool nx_v4_has(struct nx_info *nxi, __be32 a)
{
	struct nx_addr4 *e;
	bool found = false;

	if (a && (a == READ_ONCE(nxi->v4_bcast) ||
		  a == READ_ONCE(nxi->v4_lback)))
		return true;
	rcu_read_lock();
	list_for_each_entry_rcu(e, &nxi->v4, list)
		if (nx_v4_entry_match(e, a)) {
			found = true;
			break;
		}
	rcu_read_unlock();
	return found;
}

/*
 * The source address for @dst: the first entry whose subnet holds @dst,
 * else the first entry.  0 if the context has no IPv4 address.
 */
static __be32 nx_v4_source(struct nx_info *nxi, __be32 dst)
{
	struct nx_addr4 *e;
	__be32 first = 0, best = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &nxi->v4, list) {
		if (!first)
			first = e->ip;
		if (!((e->ip ^ dst) & e->mask)) {
			best = e->ip;
			break;
		}
	}
	rcu_read_unlock();
	return best ?: first;
}

/* Where 127.0.0.1 leads in @nxi: its loopback address or first address. */
static __be32 nx_v4_lback(struct nx_info *nxi)
{
	return READ_ONCE(nxi->v4_lback) ?: nx_v4_source(nxi, 0);
}

static bool nx_v6_has(struct nx_info *nxi, const struct in6_addr *a)
{
	struct nx_addr6 *e;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &nxi->v6, list) {
		if (e->type == NXA_TYPE_MASK ?
		    ipv6_prefix_equal(&e->ip, a, e->prefix) :
		    ipv6_addr_equal(&e->ip, a)) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

static bool nx_v6_source(struct nx_info *nxi, const struct in6_addr *dst,
			 struct in6_addr *src)
{
	struct nx_addr6 *e;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &nxi->v6, list) {
		if (!found) {
			*src = e->ip;
			found = true;
		}
		if (dst && ipv6_prefix_equal(&e->ip, dst, e->prefix)) {
			*src = e->ip;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/* Does the set hold more than one IPv4 address (or a prefix/range)? */
static bool nx_v4_multi(struct nx_info *nxi)
{
	struct nx_addr4 *e;
	bool multi;

	if (READ_ONCE(nxi->nr_v4) > 1)
		return true;
	rcu_read_lock();
	e = list_first_or_null_rcu(&nxi->v4, struct nx_addr4, list);
	multi = e && e->type != NXA_TYPE_ADDR;
	rcu_read_unlock();
	return multi;
}

static bool nx_v6_multi(struct nx_info *nxi)
{
	struct nx_addr6 *e;
	bool multi;

	if (READ_ONCE(nxi->nr_v6) > 1)
		return true;
	rcu_read_lock();
	e = list_first_or_null_rcu(&nxi->v6, struct nx_addr6, list);
	multi = e && e->type != NXA_TYPE_ADDR;
	rcu_read_unlock();
	return multi;
}

/*
 * Source address selection for a guest with several addresses, after
 * Linux-VServer's ip_v4_find_src(): the route's preferred source if it is
 * in the set; else the set's address whose subnet holds the destination
 * (the longest prefix wins); else the first address of the set on the
 * route's output device; else the first address.  A reply from a
 * wildcard socket so leaves from the address the host itself would use,
 * or the guest's address on the way out.
 */

/* The ADDR entry whose subnet holds @dst with the longest mask, or 0. */
static __be32 nx_v4_subnet_source(struct nx_info *nxi, __be32 dst)
{
	struct nx_addr4 *e;
	__be32 best = 0, mask = 0;

	list_for_each_entry_rcu(e, &nxi->v4, list) {
		if (e->type != NXA_TYPE_ADDR || ((e->ip ^ dst) & e->mask))
			continue;
		if (!best || ntohl(e->mask) > ntohl(mask)) {
			best = e->ip;
			mask = e->mask;
		}
	}
	return best;
}

/* The first non-loopback address of @dev in @nxi's set, or 0. */
static __be32 nx_v4_dev_source(struct nx_info *nxi,
			       const struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rcu(dev);
	struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev)
		if (!ipv4_is_loopback(ifa->ifa_local) &&
		    nx_v4_has(nxi, ifa->ifa_local))
			return ifa->ifa_local;
	return 0;
}

/*
 * The source for @dst on a route with preferred source @pref (0 if none)
 * and output device @dev (NULL if none).  The caller holds RCU.
 */
static __be32 nx_v4_pick(struct nx_info *nxi, __be32 dst, __be32 pref,
			 const struct net_device *dev)
{
	__be32 src;

	if (!nx_v4_multi(nxi))
		return nx_v4_source(nxi, dst);
	if (pref && !ipv4_is_loopback(pref) && nx_v4_has(nxi, pref))
		return pref;
	src = nx_v4_subnet_source(nxi, dst);
	if (!src && dev)
		src = nx_v4_dev_source(nxi, dev);
	return src ?: nx_v4_source(nxi, 0);
}

/**
 * nx_v4_route_source - the source address for @dst from @sk
 * @nxi: the network context
 * @sk: the socket: its namespace, bound device, mark and owner choose
 *	the route, as they will for its packets
 * @dst: the destination, not loopback
 *
 * Return: an address of @nxi, or 0 if it has no IPv4 address.
 */
static __be32 nx_v4_route_source(struct nx_info *nxi, const struct sock *sk,
				 __be32 dst)
{
	struct net *net = sock_net(sk);
	struct flowi4 fl4 = {
		.daddr = dst,
		.flowi4_oif = READ_ONCE(sk->sk_bound_dev_if),
		.flowi4_mark = READ_ONCE(sk->sk_mark),
		.flowi4_uid = sock_net_uid(net, sk),
	};
	struct rtable *rt;
	__be32 src;

	if (!nx_v4_multi(nxi))
		return nx_v4_source(nxi, dst);
	rt = ip_route_output_key(net, &fl4);
	rcu_read_lock();
	if (IS_ERR(rt))
		src = nx_v4_pick(nxi, dst, 0, NULL);
	else
		src = nx_v4_pick(nxi, dst, fl4.saddr, rt->dst.dev);
	rcu_read_unlock();
	if (!IS_ERR(rt))
		ip_rt_put(rt);
	return src;
}

/* The ADDR entry whose prefix holds @dst, the longest one; false if none. */
static bool nx_v6_subnet_source(struct nx_info *nxi,
				const struct in6_addr *dst,
				struct in6_addr *src)
{
	struct nx_addr6 *e;
	int best = -1;

	list_for_each_entry_rcu(e, &nxi->v6, list) {
		if (e->type != NXA_TYPE_ADDR || (int)e->prefix <= best ||
		    !ipv6_prefix_equal(&e->ip, dst, e->prefix))
			continue;
		*src = e->ip;
		best = e->prefix;
	}
	return best >= 0;
}

static bool nx_v6_dev_source(struct nx_info *nxi,
			     const struct net_device *dev,
			     struct in6_addr *src)
{
	struct inet6_dev *idev = __in6_dev_get(dev);
	struct inet6_ifaddr *ifa;

	if (!idev)
		return false;
	list_for_each_entry_rcu(ifa, &idev->addr_list, if_list)
		if (!ipv6_addr_loopback(&ifa->addr) &&
		    nx_v6_has(nxi, &ifa->addr)) {
			*src = ifa->addr;
			return true;
		}
	return false;
}

/* IPv6 counterpart of nx_v4_pick(); false without IPv6 address. */
static bool nx_v6_pick(struct nx_info *nxi, const struct in6_addr *dst,
		       const struct in6_addr *pref,
		       const struct net_device *dev, struct in6_addr *src)
{
	if (!nx_v6_multi(nxi))
		return nx_v6_source(nxi, dst, src);
	if (pref && !ipv6_addr_loopback(pref) && nx_v6_has(nxi, pref)) {
		*src = *pref;
		return true;
	}
	if (nx_v6_subnet_source(nxi, dst, src))
		return true;
	if (dev && nx_v6_dev_source(nxi, dev, src))
		return true;
	return nx_v6_source(nxi, NULL, src);
}

/* IPv6 counterpart of nx_v4_route_source(); false without IPv6 address. */
static bool nx_v6_route_source(struct nx_info *nxi, const struct sock *sk,
			       const struct in6_addr *dst, struct in6_addr *src)
{
	struct net *net = sock_net(sk);
	struct flowi6 fl6 = {
		.daddr = *dst,
		.flowi6_oif = READ_ONCE(sk->sk_bound_dev_if),
		.flowi6_mark = READ_ONCE(sk->sk_mark),
		.flowi6_uid = sock_net_uid(net, sk),
	};
	struct net_device *dev;
	struct in6_addr pref;
	struct dst_entry *d;
	bool found, has_pref;

	if (!nx_v6_multi(nxi))
		return nx_v6_source(nxi, dst, src);
	d = ip6_route_output(net, NULL, &fl6);
	rcu_read_lock();
	dev = d->error ? NULL : d->dev;
	has_pref = dev && !ipv6_dev_get_saddr(net, dev, dst, 0, &pref);
	found = nx_v6_pick(nxi, dst, has_pref ? &pref : NULL, dev, src);
	rcu_read_unlock();
	dst_release(d);
	return found;
}

/* Sockets whose lookups honour the set (patch 0021): TCP and UDP. */
static bool nx_sk_keeps_wildcard(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP || sk->sk_protocol == IPPROTO_UDP;
}

/* ---- socket rules ---- */

/**
 * nx_v4_map_bind - check and rewrite an IPv4 bind address
 * @nxi: the socket's network context
 * @addr: the address (rewritten in place)
 * @wild: a TCP or UDP socket, which may keep the wildcard
 *
 * Return: 0 or -EADDRNOTAVAIL.
 */
static int nx_v4_map_bind(struct nx_info *nxi, __be32 *addr, bool wild)
{
	u64 flags = READ_ONCE(nxi->flags);
	__be32 a = *addr;

	if (a == htonl(INADDR_ANY)) {
		if (wild && nx_v4_multi(nxi))
			return 0;
		a = nx_v4_source(nxi, 0);
		if (!a)
			return -EADDRNOTAVAIL;
		*addr = a;
		return 0;
	}
	if (nx_v4_has(nxi, a))
		return 0;
	if (ipv4_is_loopback(a)) {
		if (a == htonl(INADDR_LOOPBACK) && (flags & NXF_LBACK_REMAP)) {
			a = nx_v4_lback(nxi);
			if (!a)
				return -EADDRNOTAVAIL;
			*addr = a;
			return 0;
		}
		return flags & NXF_LBACK_ALLOW ? 0 : -EADDRNOTAVAIL;
	}
	if (ipv4_is_multicast(a) && (READ_ONCE(nxi->ncaps) & NXC_MULTICAST))
		return 0;
	return -EADDRNOTAVAIL;
}

/**
 * nx_v4_map_dest - check and rewrite an IPv4 destination
 * @nxi: the socket's network context
 * @addr: the destination (rewritten in place)
 *
 * 0.0.0.0 and 127/8 mean "this host": they lead to the context's own
 * loopback address with %NXF_LBACK_REMAP, and are refused without
 * %NXF_LBACK_ALLOW.
 *
 * Return: 0 or -EPERM.
 */
static int nx_v4_map_dest(struct nx_info *nxi, __be32 *addr)
{
	u64 flags = READ_ONCE(nxi->flags);
	__be32 a = *addr;

	if (!ipv4_is_loopback(a) && a != htonl(INADDR_ANY))
		return 0;
	if (a && a == READ_ONCE(nxi->v4_lback))
		return 0;
	if (flags & NXF_LBACK_REMAP) {
		a = nx_v4_lback(nxi);
		if (!a)
			return -EPERM;
		*addr = a;
		return 0;
	}
	return flags & NXF_LBACK_ALLOW ? 0 : -EPERM;
}

static int nx_v6_map_bind(struct nx_info *nxi, struct sock *sk,
			  struct in6_addr *addr)
{
	u64 flags = READ_ONCE(nxi->flags);
	__be32 a4;
	int ret;

	if (ipv6_addr_v4mapped(addr)) {
		a4 = addr->s6_addr32[3];
		ret = nx_v4_map_bind(nxi, &a4, false);
		if (!ret)
			addr->s6_addr32[3] = a4;
		return ret;
	}
	if (ipv6_addr_any(addr) && nx_sk_keeps_wildcard(sk) &&
	    (nx_v6_multi(nxi) || (!ipv6_only_sock(sk) && nx_v4_multi(nxi))))
		return 0;
	if (ipv6_addr_any(addr) ||
	    (ipv6_addr_loopback(addr) && (flags & NXF_LBACK_REMAP))) {
		if (nx_v6_source(nxi, NULL, addr))
			return 0;
		/* No IPv6 address: a dual-stack socket gets the IPv4 one. */
		a4 = ipv6_addr_any(addr) ? nx_v4_source(nxi, 0) :
					   nx_v4_lback(nxi);
		if (!a4 || ipv6_only_sock(sk))
			return -EADDRNOTAVAIL;
		ipv6_addr_set_v4mapped(a4, addr);
		return 0;
	}
	if (nx_v6_has(nxi, addr))
		return 0;
	if (ipv6_addr_loopback(addr))
		return flags & NXF_LBACK_ALLOW ? 0 : -EADDRNOTAVAIL;
	if (ipv6_addr_is_multicast(addr) &&
	    (READ_ONCE(nxi->ncaps) & NXC_MULTICAST))
		return 0;
	return -EADDRNOTAVAIL;
}

static int nx_v6_map_dest(struct nx_info *nxi, struct in6_addr *addr)
{
	u64 flags = READ_ONCE(nxi->flags);
	__be32 a4;
	int ret;

	if (ipv6_addr_v4mapped(addr)) {
		a4 = addr->s6_addr32[3];
		ret = nx_v4_map_dest(nxi, &a4);
		if (!ret)
			addr->s6_addr32[3] = a4;
		return ret;
	}
	if (!ipv6_addr_loopback(addr) && !ipv6_addr_any(addr))
		return 0;
	if (flags & NXF_LBACK_REMAP) {
		if (nx_v6_source(nxi, NULL, addr))
			return 0;
		return -EPERM;
	}
	return flags & NXF_LBACK_ALLOW ? 0 : -EPERM;
}

/* connect() of a UDP socket bound to the wildcard: use @src as source. */
static void nx_set_saddr(struct sock *sk, const struct sockaddr_storage *src)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)src;

	lock_sock(sk);
	if (src->ss_family == AF_INET)
		inet_sk(sk)->inet_saddr =
			((const struct sockaddr_in *)src)->sin_addr.s_addr;
	else if (ipv6_addr_v4mapped(&sin6->sin6_addr))
		inet_sk(sk)->inet_saddr = sin6->sin6_addr.s6_addr32[3];
	else
		inet6_sk(sk)->saddr = sin6->sin6_addr;
	release_sock(sk);
}

/*
 * Bind an unbound socket to the context's address for @dest before the
 * core code picks a source address.  A UDP socket bound to the wildcard
 * gets its source per datagram from the core (nx_sk_source4/6()), or on
 * connect() here; a TCP one from tcp_v4/v6_connect(), which start the
 * route lookup from nx_sk_source4/6() (patch 0026) so that the socket's
 * bhash2 entry moves to that address.
 */
static int nx_bind_source(struct nx_info *nxi, struct socket *sock,
			  const struct sockaddr *dest, bool connecting)
{
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct sockaddr_storage ss = { };
	int len;

	if (sk->sk_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		__be32 dst = dest ? ((const struct sockaddr_in *)dest)->
					sin_addr.s_addr : 0;

		if (inet->inet_saddr)
			return 0;
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = !dst ? nx_v4_source(nxi, 0) :
				       ipv4_is_loopback(dst) ? dst :
				       nx_v4_route_source(nxi, sk, dst);
		if (!sin->sin_addr.s_addr)
			return -EADDRNOTAVAIL;
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		const struct in6_addr *dst = dest ?
			&((const struct sockaddr_in6 *)dest)->sin6_addr : NULL;

		if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
			return 0;
		sin6->sin6_family = AF_INET6;
		if (dst && ipv6_addr_v4mapped(dst)) {
			__be32 a = dst->s6_addr32[3];

			a = ipv4_is_loopback(a) ? a :
			    nx_v4_route_source(nxi, sk, a);
			if (!a)
				return -EADDRNOTAVAIL;
			ipv6_addr_set_v4mapped(a, &sin6->sin6_addr);
		} else if (dst && nx_v6_has(nxi, dst)) {
			sin6->sin6_addr = *dst;
		} else if (dst && !ipv6_addr_any(dst) ?
			   !nx_v6_route_source(nxi, sk, dst, &sin6->sin6_addr) :
			   !nx_v6_source(nxi, NULL, &sin6->sin6_addr)) {
			return -EADDRNOTAVAIL;
		}
		len = sizeof(*sin6);
	}
	/* Raw sockets keep their protocol in inet_num. */
	if (inet->inet_num && sk->sk_type != SOCK_RAW) {
		if (sk->sk_protocol == IPPROTO_TCP)
			return 0;
		if (sk->sk_protocol != IPPROTO_UDP)
			return -EADDRNOTAVAIL;
		if (connecting)
			nx_set_saddr(sk, &ss);
		return 0;
	}
	/* Leave the port to connect(), which picks it per destination. */
	if (sk->sk_type == SOCK_STREAM)
		inet_set_bit(BIND_ADDRESS_NO_PORT, sk);
	return kernel_bind(sock, (struct sockaddr *)&ss, len);
}

static struct nx_info *nx_sock_nxi(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk || (sk->sk_family != AF_INET && sk->sk_family != AF_INET6))
		return NULL;
	return vx_sock(sk)->nxi;
}

static int nx_socket_bind(struct socket *sock, struct sockaddr *address,
			  int addrlen)
{
	struct nx_info *nxi = nx_sock_nxi(sock);

	if (!nxi)
		return 0;
	/* inet_bind() takes AF_UNSPEC for AF_INET: so do we. */
	if (address->sa_family == AF_UNSPEC &&
	    sock->sk->sk_family == AF_INET)
		address->sa_family = AF_INET;
	if (address->sa_family == AF_INET &&
	    addrlen >= (int)sizeof(struct sockaddr_in))
		return nx_v4_map_bind(nxi,
			&((struct sockaddr_in *)address)->sin_addr.s_addr,
			nx_sk_keeps_wildcard(sock->sk));
	if (address->sa_family == AF_INET6 &&
	    addrlen >= SIN6_LEN_RFC2133)
		return nx_v6_map_bind(nxi, sock->sk,
			&((struct sockaddr_in6 *)address)->sin6_addr);
	return 0;
}

/* Check and rewrite a destination, then make sure the socket is bound. */
static int nx_socket_dest(struct nx_info *nxi, struct socket *sock,
			  struct sockaddr *address, int addrlen,
			  bool connecting)
{
	int ret;

	/* udp_sendmsg() takes AF_UNSPEC destinations as AF_INET ones. */
	if (address && address->sa_family == AF_UNSPEC &&
	    sock->sk->sk_family == AF_INET)
		address->sa_family = AF_INET;
	if (address && address->sa_family == AF_INET &&
	    addrlen >= (int)sizeof(struct sockaddr_in)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)address;

		ret = nx_v4_map_dest(nxi, &sin->sin_addr.s_addr);
	} else if (address && address->sa_family == AF_INET6 &&
		   addrlen >= SIN6_LEN_RFC2133) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)address;

		ret = nx_v6_map_dest(nxi, &sin6->sin6_addr);
	} else {
		address = NULL;
		ret = 0;
	}
	if (ret)
		return ret;
	if (address && address->sa_family != sock->sk->sk_family)
		address = NULL;
	return nx_bind_source(nxi, sock, address, connecting);
}

static int nx_socket_connect(struct socket *sock, struct sockaddr *address,
			     int addrlen)
{
	struct nx_info *nxi = nx_sock_nxi(sock);

	if (!nxi || address->sa_family == AF_UNSPEC)
		return 0;
	return nx_socket_dest(nxi, sock, address, addrlen, true);
}

/* IP_PKTINFO / IPV6_PKTINFO may only name an address of the context. */
static int nx_check_cmsg(struct nx_info *nxi, struct msghdr *msg)
{
	struct cmsghdr *cmsg;

	if (!msg->msg_controllen)
		return 0;
	if (msg->msg_control_is_user)
		return -EPERM;
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		if (cmsg->cmsg_level == SOL_IP &&
		    cmsg->cmsg_type == IP_PKTINFO &&
		    cmsg->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo *pi = CMSG_DATA(cmsg);
			__be32 a = pi->ipi_spec_dst.s_addr;

			if (a && !nx_v4_has(nxi, a))
				return -EPERM;
		} else if (cmsg->cmsg_level == SOL_IPV6 &&
			   (cmsg->cmsg_type == IPV6_PKTINFO ||
			    cmsg->cmsg_type == IPV6_2292PKTINFO) &&
			   cmsg->cmsg_len >=
			   CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo *pi = CMSG_DATA(cmsg);
			struct in6_addr *a = &pi->ipi6_addr;

			if (ipv6_addr_any(a))
				continue;
			if (ipv6_addr_v4mapped(a) ?
			    !nx_v4_has(nxi, a->s6_addr32[3]) :
			    !nx_v6_has(nxi, a))
				return -EPERM;
		}
	}
	return 0;
}

static int nx_socket_sendmsg(struct socket *sock, struct msghdr *msg,
			     int size)
{
	struct nx_info *nxi = nx_sock_nxi(sock);
	int ret;

	if (!nxi)
		return 0;
	ret = nx_check_cmsg(nxi, msg);
	if (ret)
		return ret;
	/* A stream socket is bound by connect(); sendto() on it fails. */
	if (sock->sk->sk_type == SOCK_STREAM && !msg->msg_name)
		return 0;
	return nx_socket_dest(nxi, sock, msg->msg_name, msg->msg_namelen,
			      false);
}

static int nx_socket_create(int family, int type, int protocol, int kern)
{
	struct nx_info *nxi = vx_task(current)->nxi;

	if (kern || !nxi)
		return 0;
	if (family == AF_PACKET)
		return -EPERM;
	if ((family == AF_INET || family == AF_INET6) && type == SOCK_RAW) {
		if (!(READ_ONCE(nxi->ncaps) & NXC_RAW_ICMP))
			return -EPERM;
		if (protocol != (family == AF_INET ? IPPROTO_ICMP :
						     IPPROTO_ICMPV6))
			return -EPERM;
	}
	return 0;
}

static int nx_socket_post_create(struct socket *sock, int family, int type,
				 int protocol, int kern)
{
	struct nx_info *nxi = vx_task(current)->nxi;

	if (kern || !nxi || !sock->sk)
		return 0;
	nx_put(vx_sock(sock->sk)->nxi);
	vx_sock(sock->sk)->nxi = nx_get(nxi);
	return 0;
}

static int nx_socket_setsockopt(struct socket *sock, int level, int optname)
{
	if (!nx_sock_nxi(sock))
		return 0;
	if ((level == SOL_IP && optname == IP_HDRINCL) ||
	    (level == SOL_IPV6 && optname == IPV6_HDRINCL))
		return -EPERM;
	return 0;
}

static int nx_sk_alloc(struct sock *sk, int family, gfp_t priority)
{
	struct vx_sock *vs = vx_sock(sk);

	vs->nxi = NULL;
	/* In softirq context, current is whoever was interrupted. */
	vs->xid = in_task() && vx_current_guest() ? vx_current_xid() : 0;
	return 0;
}

static void nx_sk_free(struct sock *sk)
{
	nx_put(vx_sock(sk)->nxi);
	vx_sock(sk)->nxi = NULL;
}

static void nx_sk_clone(const struct sock *sk, struct sock *newsk)
{
	struct nx_info *nxi = vx_sock(sk)->nxi;

	nx_put(vx_sock(newsk)->nxi);
	vx_sock(newsk)->nxi = nxi ? nx_get(nxi) : NULL;
	vx_sock(newsk)->xid = vx_sock(sk)->xid;
}

static struct security_hook_list nx_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(socket_create, nx_socket_create),
	LSM_HOOK_INIT(socket_post_create, nx_socket_post_create),
	LSM_HOOK_INIT(socket_bind, nx_socket_bind),
	LSM_HOOK_INIT(socket_connect, nx_socket_connect),
	LSM_HOOK_INIT(socket_sendmsg, nx_socket_sendmsg),
	LSM_HOOK_INIT(socket_setsockopt, nx_socket_setsockopt),
	LSM_HOOK_INIT(sk_alloc_security, nx_sk_alloc),
	LSM_HOOK_INIT(sk_free_security, nx_sk_free),
	LSM_HOOK_INIT(sk_clone_security, nx_sk_clone),
};

void __init nx_add_hooks(void)
{
	security_add_hooks(nx_hooks, ARRAY_SIZE(nx_hooks), &vserver_lsmid);
}

/* ---- wildcard sockets (patch 0021) ---- */

/* The network context of a full socket; NULL for timewait and request socks. */
static struct nx_info *nx_sk_nxi(const struct sock *sk)
{
	if (!sk_fullsock(sk) || !sk->sk_security)
		return NULL;
	return vx_sock(sk)->nxi;
}

static bool nx_sk_wild(const struct sock *sk)
{
	if (sk->sk_family == AF_INET6)
		return ipv6_addr_any(&sk->sk_v6_rcv_saddr);
	return !sk->sk_rcv_saddr;
}

/* Does wildcard socket @wsk of @nxi take packets for @sk's address? */
static bool nx_sk_takes(const struct sock *wsk, struct nx_info *nxi,
			const struct sock *sk)
{
	if (sk->sk_family == AF_INET ||
	    ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
		return (wsk->sk_family == AF_INET || !ipv6_only_sock(wsk)) &&
		       nx_v4_has(nxi, sk->sk_rcv_saddr);
	return wsk->sk_family == AF_INET6 &&
	       nx_v6_has(nxi, &sk->sk_v6_rcv_saddr);
}

/* First and last address (host order) an IPv4 entry stands for. */
static void nx_v4_span(const struct nx_addr4 *e, u32 *lo, u32 *hi)
{
	*lo = ntohl(e->ip);
	switch (e->type) {
	case NXA_TYPE_MASK:
		*lo &= ntohl(e->mask);
		*hi = *lo | ~ntohl(e->mask);
		break;
	case NXA_TYPE_RANGE:
		*hi = ntohl(e->ip2) - 1;
		break;
	default:
		*hi = *lo;
	}
}

/* Does any address of @nxi's IPv4 entries or loopback lie in [lo, hi]? */
static bool nx_v4_meets(struct nx_info *nxi, u32 lo, u32 hi)
{
	u32 lb = ntohl(READ_ONCE(nxi->v4_lback)), l, h;
	struct nx_addr4 *e;

	if (lb && lb >= lo && lb <= hi)
		return true;
	list_for_each_entry_rcu(e, &nxi->v4, list) {
		nx_v4_span(e, &l, &h);
		if (l <= hi && lo <= h)
			return true;
	}
	return false;
}

static bool nx_v6_meets(struct nx_info *nxi, const struct nx_addr6 *o)
{
	u32 p1 = o->type == NXA_TYPE_MASK ? o->prefix : 128, p2;
	struct nx_addr6 *e;

	list_for_each_entry_rcu(e, &nxi->v6, list) {
		p2 = e->type == NXA_TYPE_MASK ? e->prefix : 128;
		if (ipv6_prefix_equal(&e->ip, &o->ip, min(p1, p2)))
			return true;
	}
	return false;
}

/* Do two guests' wildcard sockets share an address? */
static bool nx_sets_meet(const struct sock *sk, struct nx_info *n1,
			 const struct sock *sk2, struct nx_info *n2)
{
	bool v4 = (sk->sk_family == AF_INET || !ipv6_only_sock(sk)) &&
		  (sk2->sk_family == AF_INET || !ipv6_only_sock(sk2));
	bool v6 = sk->sk_family == AF_INET6 && sk2->sk_family == AF_INET6;
	u32 lb = ntohl(READ_ONCE(n1->v4_lback)), lo, hi;
	struct nx_addr4 *e4;
	struct nx_addr6 *e6;
	bool meet = false;

	rcu_read_lock();
	if (v4) {
		meet = lb && nx_v4_meets(n2, lb, lb);
		list_for_each_entry_rcu(e4, &n1->v4, list) {
			if (meet)
				break;
			nx_v4_span(e4, &lo, &hi);
			meet = nx_v4_meets(n2, lo, hi);
		}
	}
	if (v6 && !meet) {
		list_for_each_entry_rcu(e6, &n1->v6, list) {
			meet = nx_v6_meets(n2, e6);
			if (meet)
				break;
		}
	}
	rcu_read_unlock();
	return meet;
}

/**
 * nx_sk_disjoint - can two bound sockets never take a packet for one address?
 * @sk: the socket being bound
 * @sk2: a socket bound to the same port
 *
 * Called by the bind conflict checks of TCP and UDP.  A guest's wildcard
 * socket stands for the addresses of its set only.
 *
 * Return: true if they cannot conflict.
 */
bool nx_sk_disjoint(const struct sock *sk, const struct sock *sk2)
{
	struct nx_info *n1 = nx_sk_nxi(sk), *n2 = nx_sk_nxi(sk2);
	bool w1, w2;

	if (n1 == n2)
		return false;
	w1 = nx_sk_wild(sk);
	w2 = nx_sk_wild(sk2);
	if (w1 && w2)
		return n1 && n2 && !nx_sets_meet(sk, n1, sk2, n2);
	if (w1)
		return n1 && !nx_sk_takes(sk, n1, sk2);
	if (w2)
		return n2 && !nx_sk_takes(sk2, n2, sk);
	return false;
}

/**
 * nx_sk_same_nx - may two sockets share a SO_REUSEPORT group?
 * @sk: a socket
 * @sk2: another socket
 *
 * Return: true if both belong to the same network context (or the host).
 */
bool nx_sk_same_nx(const struct sock *sk, const struct sock *sk2)
{
	return nx_sk_nxi(sk) == nx_sk_nxi(sk2);
}

/**
 * nx_sk_local4 - may a listening or datagram socket take a packet?
 * @sk: a socket whose address and port match
 * @addr: the packet's destination
 *
 * Called by the TCP listener and UDP socket lookups and UDP broadcast and
 * multicast delivery.
 *
 * Return: false only for a guest's wildcard socket and an address outside
 * its set (its broadcast address counts; group addresses with
 * %NXC_MULTICAST).
 */
bool nx_sk_local4(const struct sock *sk, __be32 addr)
{
	struct nx_info *nxi;

	if (sk->sk_rcv_saddr)
		return true;
	nxi = nx_sk_nxi(sk);
	if (!nxi || nx_v4_has(nxi, addr))
		return true;
	return ipv4_is_multicast(addr) &&
	       (READ_ONCE(nxi->ncaps) & NXC_MULTICAST);
}

/**
 * nx_sk_local6 - IPv6 counterpart of nx_sk_local4()
 * @sk: a socket whose address and port match
 * @addr: the packet's destination
 *
 * Return: false only for a guest's wildcard socket and an address outside
 * its set.
 */
bool nx_sk_local6(const struct sock *sk, const struct in6_addr *addr)
{
	struct nx_info *nxi;

	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		return true;
	nxi = nx_sk_nxi(sk);
	if (!nxi || nx_v6_has(nxi, addr))
		return true;
	return ipv6_addr_is_multicast(addr) &&
	       (READ_ONCE(nxi->ncaps) & NXC_MULTICAST);
}

/**
 * nx_sk_source4 - source address of a datagram from a wildcard socket
 * @sk: the sending socket, not bound to an address
 * @daddr: the destination
 *
 * Called by udp_sendmsg() and tcp_v4_connect().  The choice is
 * nx_v4_route_source()'s.
 *
 * Return: the guest's address for @daddr; 0 (the route's choice) for the
 * host.
 */
__be32 nx_sk_source4(const struct sock *sk, __be32 daddr)
{
	struct nx_info *nxi = nx_sk_nxi(sk);

	if (!nxi)
		return 0;
	if (ipv4_is_loopback(daddr))
		return daddr;
	return nx_v4_route_source(nxi, sk, daddr);
}

/**
 * nx_sk_source6 - IPv6 counterpart of nx_sk_source4()
 * @sk: the sending socket
 * @daddr: the destination
 * @saddr: the source; set to the guest's address for @daddr if unspecified
 */
void nx_sk_source6(const struct sock *sk, const struct in6_addr *daddr,
		   struct in6_addr *saddr)
{
	struct nx_info *nxi;

	if (!ipv6_addr_any(saddr))
		return;
	nxi = nx_sk_nxi(sk);
	if (!nxi)
		return;
	if (nx_v6_has(nxi, daddr))
		*saddr = *daddr;
	else
		nx_v6_route_source(nxi, sk, daddr, saddr);
}

/* ---- interface hiding ---- */

/* The caller's network context if it hides foreign addresses, or NULL. */
static struct nx_info *nx_hiding(void)
{
	struct nx_info *nxi;

	/* In softirq, current is whatever task was interrupted. */
	if (!in_task())
		return NULL;
	nxi = vx_task(current)->nxi;

	if (!nxi || !(READ_ONCE(nxi->flags) & NXF_HIDE_NETIF))
		return NULL;
	return nxi;
}

/* May a task of @nxi see the interface address @addr (nx_addr4_visible())? */
static bool nx_addr4_shown(struct nx_info *nxi, __be32 addr)
{
	u64 flags = READ_ONCE(nxi->flags);

	if ((flags & NXF_HIDE_LBACK) && addr == READ_ONCE(nxi->v4_lback))
		return false;
	return !(flags & NXF_HIDE_NETIF) || nx_v4_has(nxi, addr);
}

/**
 * nx_addr4_visible - may the current task see an interface address?
 * @addr: the address
 *
 * Called by the netlink address dump, SIOCGIFCONF and the route dumps
 * (a configured preferred source).
 *
 * Return: true unless the caller's network context has %NXF_HIDE_NETIF
 * and does not hold @addr, or has %NXF_HIDE_LBACK and @addr is its
 * loopback address.
 */
bool nx_addr4_visible(__be32 addr)
{
	struct nx_info *nxi;

	/* In softirq, current is whatever task was interrupted. */
	if (!in_task())
		return true;
	nxi = vx_task(current)->nxi;
	return !nxi || nx_addr4_shown(nxi, addr);
}

/**
 * nx_lback4_shown - an IPv4 socket address as the current task sees it
 * @addr: a local or peer address
 *
 * Called where the kernel reports socket addresses: inet_getname(), the
 * source of a UDP datagram in recvmsg() and its destination in the
 * IP_PKTINFO, IP_ORIGDSTADDR and IPV6_PKTINFO control messages,
 * /proc/net/tcp and udp, and inet_diag.  A guest with %NXF_HIDE_LBACK
 * sees its loopback address as 127.0.0.1, the address it used to reach
 * it (%NXF_LBACK_REMAP).
 *
 * Return: %INADDR_LOOPBACK for the caller's v4_lback, else @addr.
 */
__be32 nx_lback4_shown(__be32 addr)
{
	struct nx_info *nxi = vx_task(current)->nxi;

	if (nxi && addr && (READ_ONCE(nxi->flags) & NXF_HIDE_LBACK) &&
	    addr == READ_ONCE(nxi->v4_lback))
		return htonl(INADDR_LOOPBACK);
	return addr;
}
EXPORT_SYMBOL_GPL(nx_lback4_shown);

/**
 * nx_lback6_shown - nx_lback4_shown() for an IPv6 socket address
 * @addr: a local or peer address of an IPv6 socket
 * @buf: where a changed address goes; may be @addr
 *
 * A dual-stack socket that reached the guest's loopback address through
 * ::ffff:127.0.0.1 holds it as ::ffff:127.x.y.z.  Called by
 * inet6_getname(), UDPv6 recvmsg(), /proc/net/tcp6 and udp6, inet_diag.
 *
 * Return: @buf holding ::ffff:127.0.0.1 for the caller's v4-mapped
 * v4_lback (%NXF_HIDE_LBACK), else @addr.
 */
const struct in6_addr *nx_lback6_shown(const struct in6_addr *addr,
				       struct in6_addr *buf)
{
	__be32 a;

	if (!ipv6_addr_v4mapped(addr))
		return addr;
	a = addr->s6_addr32[3];
	if (nx_lback4_shown(a) == a)
		return addr;
	ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK), buf);
	return buf;
}
EXPORT_SYMBOL_GPL(nx_lback6_shown);

/**
 * nx_addr6_visible - IPv6 counterpart of nx_addr4_visible()
 * @addr: the address
 *
 * Return: true unless hidden from the current task.
 */
bool nx_addr6_visible(const struct in6_addr *addr)
{
	struct nx_info *nxi = nx_hiding();

	return !nxi || nx_v6_has(nxi, addr);
}

/**
 * nx_sk_visible - may the current task see a socket in /proc/net, sock_diag?
 * @sk: a socket, timewait or request sock
 *
 * A guest with %NXF_HIDE_NETIF sees the sockets of its own network
 * context; a timewait sock, which has no LSM blob, if its local address
 * is one of the guest's.
 *
 * Return: true if visible.
 */
bool nx_sk_visible(const struct sock *sk)
{
	struct nx_info *nxi = nx_hiding();

	if (!nxi)
		return true;
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		sk = inet_reqsk(sk)->rsk_listener;
	if (sk->sk_state == TCP_TIME_WAIT) {
		if (sk->sk_family == AF_INET ||
		    ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
			return nx_v4_has(nxi, sk->sk_rcv_saddr);
		return nx_v6_has(nxi, &sk->sk_v6_rcv_saddr);
	}
	return nx_sk_nxi(sk) == nxi;
}
EXPORT_SYMBOL_GPL(nx_sk_visible);

/* Does @dev carry an address of @nxi, or is it loopback? */
static bool nx_dev_shown(struct nx_info *nxi, const struct net_device *dev)
{
	struct inet6_ifaddr *ifa6;
	struct in_device *in_dev;
	struct inet6_dev *idev;
	struct in_ifaddr *ifa;
	bool found = false;

	if (!dev)
		return false;
	if (dev->flags & IFF_LOOPBACK)
		return true;
	rcu_read_lock();
	in_dev = __in_dev_get_rcu(dev);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (nx_v4_has(nxi, ifa->ifa_local)) {
				found = true;
				break;
			}
		}
	}
	idev = __in6_dev_get(dev);
	if (!found && idev) {
		list_for_each_entry_rcu(ifa6, &idev->addr_list, if_list) {
			if (nx_v6_has(nxi, &ifa6->addr)) {
				found = true;
				break;
			}
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * nx_dev_visible - may the current task see a network interface?
 * @dev: the interface
 *
 * Called by the RTM_GETLINK dump and lookup, /proc/net/dev, the
 * multicast and anycast lists of /proc/net and the SIOCGIF* ioctls; with
 * the output device of a route or the device of a neighbour entry by the
 * RTM_GETROUTE and RTM_GETNEIGH dumps, /proc/net/route, ipv6_route and
 * arp, RTM_GETNEIGH for one entry and nx_route_reply(); through
 * nx_kernfs_visible() for sysfs.
 *
 * Return: true unless the caller's network context has %NXF_HIDE_NETIF
 * and @dev is neither loopback nor carries one of its addresses (or is
 * NULL: a route without a device).
 */
bool nx_dev_visible(const struct net_device *dev)
{
	struct nx_info *nxi = nx_hiding();

	return !nxi || nx_dev_shown(nxi, dev);
}

/**
 * nx_ptype_visible - may the current task see a protocol handler?
 * @pt: an entry of /proc/net/ptype
 * @dev: the device it is bound to, or NULL
 *
 * A guest with %NXF_HIDE_NETIF sees the handlers of the interfaces it
 * sees and the global ones, not those of other contexts' packet
 * sockets: af_packet_priv is the socket for a plain packet socket, but
 * the fanout group when id_match is set (a guest opens no packet
 * sockets, so it never owns a group), and a driver's own data when
 * af_packet_net is unset.
 *
 * Return: true if visible.
 */
bool nx_ptype_visible(const struct packet_type *pt,
		      const struct net_device *dev)
{
	struct nx_info *nxi = nx_hiding();

	if (!nxi)
		return true;
	if (dev && !nx_dev_shown(nxi, dev))
		return false;
	if (!pt->af_packet_net)
		return true;
	return !pt->id_match && nx_sk_nxi(pt->af_packet_priv) == nxi;
}

/* nx_dev_shown() for the interface @name of @net. */
static bool nx_dev_name_shown(struct nx_info *nxi, struct net *net,
			      const char *name)
{
	bool shown;

	rcu_read_lock();
	shown = nx_dev_shown(nxi, dev_get_by_name_rcu(net, name));
	rcu_read_unlock();
	return shown;
}

/*
 * The /proc/net/dev_snmp6 directory of each network namespace, to find
 * the namespace of a directory from proc's lookup and readdir, which
 * give only the directory (/proc/<pid>/net is another task's namespace).
 */
struct nx_netif_dir {
	struct hlist_node node;
	const struct proc_dir_entry *dir;
	struct net *net;
	struct rcu_head rcu;
};

#define NX_NETIF_DIR_BITS 6
static DEFINE_HASHTABLE(nx_netif_dirs, NX_NETIF_DIR_BITS);
static DEFINE_SPINLOCK(nx_netif_dirs_lock);

/**
 * nx_proc_netif_dir - register a /proc directory named by interfaces
 * @dir: the directory (/proc/net/dev_snmp6 of @net)
 * @net: the namespace whose interfaces name its entries
 *
 * Called by the IPv6 proc setup of each namespace once @dir exists.
 *
 * Return: 0 or -ENOMEM.
 */
int nx_proc_netif_dir(const struct proc_dir_entry *dir, struct net *net)
{
	struct nx_netif_dir *d = kmalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	d->dir = dir;
	d->net = net;
	spin_lock(&nx_netif_dirs_lock);
	hash_add_rcu(nx_netif_dirs, &d->node, (unsigned long)dir);
	spin_unlock(&nx_netif_dirs_lock);
	return 0;
}

/**
 * nx_proc_netif_dir_gone - forget a directory of nx_proc_netif_dir()
 * @dir: the directory, before it is removed
 */
void nx_proc_netif_dir_gone(const struct proc_dir_entry *dir)
{
	struct nx_netif_dir *d;

	spin_lock(&nx_netif_dirs_lock);
	hash_for_each_possible(nx_netif_dirs, d, node, (unsigned long)dir)
		if (d->dir == dir) {
			hash_del_rcu(&d->node);
			kfree_rcu(d, rcu);
			break;
		}
	spin_unlock(&nx_netif_dirs_lock);
}

/* The namespace of a directory of nx_proc_netif_dir(), else NULL. */
static struct net *nx_netif_dir_net(const struct proc_dir_entry *dir)
{
	struct nx_netif_dir *d;

	hash_for_each_possible_rcu(nx_netif_dirs, d, node, (unsigned long)dir)
		if (d->dir == dir)
			return d->net;
	return NULL;
}

/**
 * nx_proc_entry_visible - may the current task see a /proc entry?
 * @parent: the directory of the entry
 * @name: its name
 * @len: the length of @name
 *
 * Called for the entries of every proc_dir_entry directory (lookup,
 * readdir, revalidation).  Only the directories of nx_proc_netif_dir()
 * (/proc/net/dev_snmp6) are filtered: their files are named after the
 * interfaces of a namespace, and a guest with %NXF_HIDE_NETIF finds
 * those it sees.
 *
 * Return: false for the file of an interface the caller may not see.
 */
bool nx_proc_entry_visible(const struct proc_dir_entry *parent,
			   const char *name, unsigned int len)
{
	struct nx_info *nxi = nx_hiding();
	char ifname[IFNAMSIZ];
	struct net *net;
	bool shown;

	if (!nxi)
		return true;
	rcu_read_lock();
	net = nx_netif_dir_net(parent);
	if (!net) {
		shown = true;
	} else if (len >= IFNAMSIZ) {
		shown = false;
	} else {
		memcpy(ifname, name, len);
		ifname[len] = '\0';
		shown = nx_dev_name_shown(nxi, net, ifname);
	}
	rcu_read_unlock();
	return shown;
}

/**
 * nx_kernfs_visible - may the current task see an interface in sysfs?
 * @kn: a node of a namespaced sysfs directory
 *
 * Called by kernfs for the entries of namespaced directories when they
 * are listed, looked up or found again in the dentry cache.  Only the
 * network class tags entries with a namespace: they are the interfaces
 * (/sys/class/net/NAME, /sys/devices/.../net/NAME), whose @kn->ns is the
 * struct net and whose name is the interface's.  A guest with
 * %NXF_HIDE_NETIF so sees in /sys/class/net what "ip link" shows it.
 *
 * Return: true unless hidden by nx_dev_visible(); false also for other
 * entries of such a directory (bonding_masters), which name no interface.
 */
bool nx_kernfs_visible(const struct kernfs_node *kn)
{
	struct nx_info *nxi = nx_hiding();

	if (!nxi)
		return true;
	return nx_dev_name_shown(nxi, (struct net *)kn->ns, kn->name);
}

/* Route attributes that tell the way out: device, gateway, next hops. */
static bool nx_rta_is_path(int type)
{
	switch (type) {
	case RTA_OIF:
	case RTA_GATEWAY:
	case RTA_VIA:
	case RTA_MULTIPATH:
	case RTA_NH_ID:
	case RTA_FLOW:
	case RTA_ENCAP:
	case RTA_ENCAP_TYPE:
		return true;
	}
	return false;
}

/*
 * Make an RTA_PREFSRC attribute name the guest's source for @daddr on
 * @dev.  False if the guest has no address of that family: drop it.
 */
static bool nx_fix_prefsrc(struct nx_info *nxi, int family,
			   struct nlattr *pref, const void *daddr,
			   const struct net_device *dev)
{
	struct in6_addr a6;
	__be32 a4;

	if (family == AF_INET) {
		if (nla_len(pref) < sizeof(a4))
			return false;
		a4 = nla_get_in_addr(pref);
		if (ipv4_is_loopback(a4))
			return true;
		a4 = nx_v4_pick(nxi, *(const __be32 *)daddr, a4, dev);
		memcpy(nla_data(pref), &a4, sizeof(a4));
		return a4 != 0;
	}
	if (nla_len(pref) < sizeof(a6))
		return false;
	a6 = nla_get_in6_addr(pref);
	if (ipv6_addr_loopback(&a6))
		return true;
	if (!nx_v6_pick(nxi, daddr, &a6, dev, &a6))
		return false;
	memcpy(nla_data(pref), &a6, sizeof(a6));
	return true;
}

/* Is the interface @ifindex of @net (0: none named) one @nxi sees? */
static bool nx_ifindex_shown(struct nx_info *nxi, struct net *net,
			     int ifindex)
{
	bool shown;

	if (!ifindex)
		return true;
	rcu_read_lock();
	shown = nx_dev_shown(nxi, dev_get_by_index_rcu(net, ifindex));
	rcu_read_unlock();
	return shown;
}

/* May @nxi ask about routes from @a: any, loopback or its own? */
static bool nx_v4_source_ok(struct nx_info *nxi, __be32 a)
{
	return !a || ipv4_is_loopback(a) || nx_v4_has(nxi, a);
}

static bool nx_v6_source_ok(struct nx_info *nxi, const struct in6_addr *a)
{
	return ipv6_addr_any(a) || ipv6_addr_loopback(a) || nx_v6_has(nxi, a);
}

/**
 * nx_route_request - may the current task ask "ip route get" this?
 * @net: the namespace of the lookup
 * @family: %AF_INET or %AF_INET6
 * @src: the source asked for (RTA_SRC): a __be32 or a struct in6_addr,
 *	any address (zero) if none
 * @iif: the input interface asked for (RTA_IIF), or 0
 * @oif: the output interface asked for (RTA_OIF), or 0
 *
 * Called by inet_rtm_getroute() and inet6_rtm_getroute() before the
 * lookup.  A guest with %NXF_HIDE_NETIF may name only interfaces it sees,
 * and for an output route only a source it may send from (its set, or
 * loopback): the host's routing for its other addresses is none of its
 * business.
 *
 * Return: 0; -ENODEV for a hidden interface; -EINVAL for a foreign
 * source (IPv4: what the host is answered for an address it does not
 * have; IPv6 does not check a source for the host).
 */
int nx_route_request(struct net *net, int family, const void *src, int iif,
		     int oif)
{
	struct nx_info *nxi = nx_hiding();

	if (!nxi)
		return 0;
	if (!nx_ifindex_shown(nxi, net, iif) ||
	    !nx_ifindex_shown(nxi, net, oif))
		return -ENODEV;
	if (iif)
		return 0;
	if (family == AF_INET6 && ipv6_addr_v4mapped(src))
		src = &((const struct in6_addr *)src)->s6_addr32[3];
	else if (family == AF_INET6)
		return nx_v6_source_ok(nxi, src) ? 0 : -EINVAL;
	return nx_v4_source_ok(nxi, *(const __be32 *)src) ? 0 : -EINVAL;
}

/**
 * nx_route_reply - fit an "ip route get" answer to the asking guest
 * @net: the namespace of the lookup
 * @skb: the reply: one RTM_NEWROUTE message
 * @daddr: the destination asked for: a __be32 for an IPv4 reply, a
 *	struct in6_addr for an IPv6 one
 *
 * Called by inet_rtm_getroute() and inet6_rtm_getroute() once the reply
 * is built, in the asking task.  Its preferred source, the address the
 * host would send from, becomes the address of the guest's set that the
 * guest's own sockets use towards @daddr on that route (nx_v4_pick()): a
 * guest is never told a source it cannot send from, nor one of the
 * host's addresses.  With %NXF_HIDE_NETIF, a route that leaves through an
 * interface the guest does not see loses its device, gateway, next hops
 * and encapsulation, as the route dumps leave it out; so does a route
 * without one output device (fibmatch of a multipath route).  The host's
 * replies are left alone.
 */
void nx_route_reply(struct net *net, struct sk_buff *skb, const void *daddr)
{
	struct nx_info *nxi = vx_task(current)->nxi;
	struct net_device *dev = NULL;
	int rem, len, cut = 0;
	struct nlmsghdr *nlh;
	struct nlattr *nla;
	struct rtmsg *rtm;
	bool hide, drop;
	u32 oif = 0;

	if (!nxi || skb->len < nlmsg_total_size(sizeof(*rtm)))
		return;
	nlh = nlmsg_hdr(skb);
	if (nlh->nlmsg_type != RTM_NEWROUTE || nlh->nlmsg_len != skb->len)
		return;
	rtm = nlmsg_data(nlh);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return;
	nla = nlmsg_find_attr(nlh, sizeof(*rtm), RTA_OIF);
	if (nla && nla_len(nla) >= sizeof(oif))
		oif = nla_get_u32(nla);
	rcu_read_lock();
	if (oif)
		dev = dev_get_by_index_rcu(net, oif);
	hide = (READ_ONCE(nxi->flags) & NXF_HIDE_NETIF) &&
	       !nx_dev_shown(nxi, dev);
	nla = nlmsg_attrdata(nlh, sizeof(*rtm));
	rem = nlmsg_attrlen(nlh, sizeof(*rtm));
	while (nla_ok(nla, rem)) {
		len = min_t(int, NLA_ALIGN(nla->nla_len), rem);
		if (hide && nx_rta_is_path(nla_type(nla)))
			drop = true;
		else if (nla_type(nla) == RTA_PREFSRC)
			drop = !nx_fix_prefsrc(nxi, rtm->rtm_family, nla,
					       daddr, dev);
		else
			drop = false;
		rem -= len;
		if (!drop) {
			nla = (struct nlattr *)((char *)nla + len);
			continue;
		}
		memmove(nla, (char *)nla + len, rem);
		cut += len;
	}
	rcu_read_unlock();
	nlh->nlmsg_len -= cut;
	skb_trim(skb, skb->len - cut);
}

/*
 * May a listener in @nxi see the rtnetlink notification @nlh?  With
 * %NXF_HIDE_LBACK alone, only its loopback address is hidden.
 */
static bool nx_rtmsg_shown(struct nx_info *nxi, struct net *net,
			   const struct nlmsghdr *nlh)
{
	bool hide_netif = READ_ONCE(nxi->flags) & NXF_HIDE_NETIF;
	const struct nlattr *nla;
	int ifindex;

	if (!hide_netif && nlh->nlmsg_type != RTM_NEWADDR &&
	    nlh->nlmsg_type != RTM_DELADDR)
		return true;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (nlmsg_len(nlh) < sizeof(struct ifinfomsg))
			return false;
		ifindex = ((struct ifinfomsg *)nlmsg_data(nlh))->ifi_index;
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifm = nlmsg_data(nlh);

		if (nlmsg_len(nlh) < sizeof(*ifm))
			return false;
		nla = nlmsg_find_attr(nlh, sizeof(*ifm), IFA_LOCAL) ?:
		      nlmsg_find_attr(nlh, sizeof(*ifm), IFA_ADDRESS);
		if (!nla)
			return false;
		if (ifm->ifa_family == AF_INET && nla_len(nla) >= 4)
			return nx_addr4_shown(nxi, nla_get_in_addr(nla));
		if (!hide_netif)
			return true;
		if (ifm->ifa_family == AF_INET6 && nla_len(nla) >= 16) {
			struct in6_addr a = nla_get_in6_addr(nla);

			return nx_v6_has(nxi, &a);
		}
		return false;
	}
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		nla = nlmsg_find_attr(nlh, sizeof(struct rtmsg), RTA_OIF);
		if (!nla || nla_len(nla) < sizeof(u32))
			return false;
		ifindex = nla_get_u32(nla);
		break;
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		if (nlmsg_len(nlh) < sizeof(struct ndmsg))
			return false;
		ifindex = ((struct ndmsg *)nlmsg_data(nlh))->ndm_ifindex;
		break;
	case RTM_NEWNETCONF:
	case RTM_DELNETCONF:
		nla = nlmsg_find_attr(nlh, sizeof(struct netconfmsg),
				      NETCONFA_IFINDEX);
		if (!nla || nla_len(nla) < sizeof(s32))
			return false;
		ifindex = nla_get_s32(nla);
		/* NETCONFA_IFINDEX_ALL and _DEFAULT: no interface. */
		if (ifindex < 0)
			return true;
		break;
	default:
		return true;
	}
	return nx_dev_shown(nxi, dev_get_by_index_rcu(net, ifindex));
}

/* netlink_broadcast_filtered() filter: true drops @skb for @dsk. */
static int nx_rtnl_filter(struct sock *dsk, struct sk_buff *skb, void *data)
{
	struct nx_info *nxi = vx_sock(dsk)->nxi;
	bool shown;

	if (!nxi || !(READ_ONCE(nxi->flags) &
		      (NXF_HIDE_NETIF | NXF_HIDE_LBACK)))
		return 0;
	rcu_read_lock();
	shown = nx_rtmsg_shown(nxi, sock_net(dsk), nlmsg_hdr(skb));
	rcu_read_unlock();
	return !shown;
}

/**
 * nx_rtnl_notify - send an rtnetlink notification, filtered per listener
 * @rtnl: the namespace's rtnetlink socket
 * @skb: the notification, one message
 * @portid: the requester's port (for @report)
 * @group: the multicast group
 * @report: also send it to @portid
 * @flags: allocation flags
 *
 * Called by rtnl_notify() before nlmsg_notify().  A listener whose
 * socket was made in a network context with %NXF_HIDE_NETIF ("ip monitor"
 * in a guest) does not get the notifications about interfaces, addresses,
 * routes, neighbours and netconf of interfaces it does not see; with
 * %NXF_HIDE_LBACK, none about its loopback address.  The
 * listener's context decides, not the task that caused the change, which
 * may be any task, or none (softirq).
 *
 * Return: true if sent; false (no group) leaves it to nlmsg_notify().
 */
bool nx_rtnl_notify(struct sock *rtnl, struct sk_buff *skb, u32 portid,
		    u32 group, int report, gfp_t flags)
{
	u32 exclude = 0;

	if (!group)
		return false;
	if (report) {
		refcount_inc(&skb->users);
		exclude = portid;
	}
	NETLINK_CB(skb).dst_group = group;
	netlink_broadcast_filtered(rtnl, skb, exclude, group, flags,
				   nx_rtnl_filter, NULL);
	if (report)
		nlmsg_unicast(rtnl, skb, portid);
	return true;
}

/**
 * nx_ns_ncap_capable - ns_capable(), or a network capability for root
 * @ns: the user namespace the capability is checked in
 * @cap: the capability (CAP_NET_ADMIN)
 * @ncap: the NXC_* bit that opens the operation for a guest
 *
 * Return: true if the caller has @cap in @ns, or is root of @ns in a
 * network context holding @ncap.
 */
bool nx_ns_ncap_capable(struct user_namespace *ns, int cap, u64 ncap)
{
	struct nx_info *nxi;

	if (ns_capable(ns, cap))
		return true;
	nxi = vx_task(current)->nxi;
	return nxi && (READ_ONCE(nxi->ncaps) & ncap) &&
	       uid_eq(current_euid(), make_kuid(ns, 0));
}
EXPORT_SYMBOL_GPL(nx_ns_ncap_capable);

/* ---- commands ---- */

/**
 * vc_task_nid - VCMD_task_nid: the nid of a task
 * @c: @c->id is a pid in the caller's pid namespace, 0 for the caller
 *
 * Return: the nid; -ESRCH if there is no such task or it belongs to
 * another guest's context.
 */
long vc_task_nid(struct vx_call *c)
{
	struct task_struct *task;
	u32 nid, xid, self = vx_current_xid();

	if (!c->id)
		return nx_current_nid();
	rcu_read_lock();
	task = find_task_by_vpid(c->id);
	nid = task ? READ_ONCE(vx_task(task)->nid) : 0;
	xid = task ? vx_task_xid(task) : 0;
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	if (self > VX_ID_SPECTATOR && xid != self)
		return -ESRCH;
	return nid;
}

/**
 * vc_nx_info - VCMD_nx_info: the nid of a network context
 * @c: fills struct vcmd_nx_info
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_nx_info(struct vx_call *c)
{
	struct vcmd_nx_info *info = c->data;

	info->nid = c->nxi->nid;
	return 0;
}

/**
 * vc_net_create - VCMD_net_create: create a network context and enter it
 * @c: @c->id is the nid or %NX_DYNAMIC_ID; struct vcmd_net_create, or no
 *	data for %NXF_INIT_SET
 *
 * Return: the new nid; -EINVAL for a bad nid or unknown flags, -EEXIST if
 * the nid is taken, -EAGAIN if no dynamic nid is free, -EBUSY for a
 * multi-threaded caller, -ENOMEM.
 */
long vc_net_create(struct vx_call *c)
{
	struct vcmd_net_create *arg = c->data;
	u64 flags = c->nodata ? NXF_INIT_SET : arg->flagword;
	struct nx_info *nxi;
	long ret;

	if (c->id != NX_DYNAMIC_ID &&
	    (c->id < NX_ID_STATIC_MIN || c->id > NX_ID_STATIC_MAX))
		return -EINVAL;
	if (flags & ~NXF_MASK)
		return -EINVAL;
	if (!thread_group_empty(current))
		return -EBUSY;
	nxi = nx_create(c->id, flags);
	if (IS_ERR(nxi))
		return PTR_ERR(nxi);
	ret = nx_migrate_current(nxi);
	if (!ret)
		ret = nxi->nid;
	else
		nx_set_flags(nxi, 0, 0);	/* ends it if still empty */
	nx_put(nxi);
	return ret;
}

/**
 * vc_net_migrate - VCMD_net_migrate: move the caller into a network context
 * @c: @c->nxi is the target; id 1 makes a host task a spectator
 *
 * Return: 0; -EACCES if the context is %NXF_INFO_PRIVATE and set up,
 * -EBUSY for a multi-threaded caller, -EINVAL for id 1 from a task with
 * a network context, -ESRCH if the context ended.
 */
long vc_net_migrate(struct vx_call *c)
{
	struct nx_info *nxi = c->nxi;
	u64 flags;

	if (!nxi) {
		if (vx_task(current)->nxi)
			return -EINVAL;
		WRITE_ONCE(vx_task(current)->nid, NX_ID_SPECTATOR);
		return 0;
	}
	flags = READ_ONCE(nxi->flags);
	if ((flags & NXF_INFO_PRIVATE) && !(flags & NXF_STATE_SETUP))
		return -EACCES;
	return nx_migrate_current(nxi);
}

static int nx_check_mask4(__be32 mask)
{
	u32 m = ntohl(mask);

	/* Contiguous: the inverted mask plus one is a power of two. */
	return (~m & (~m + 1)) ? -EINVAL : 0;
}

static int nx_add_v4(struct nx_info *nxi, u16 type, __be32 ip, __be32 ip2,
		     __be32 mask)
{
	u16 kind = type & ~(NXA_MOD_BCAST | NXA_MOD_LBACK);
	struct nx_addr4 *e;

	if (nx_check_mask4(mask))
		return -EINVAL;
	if (type == (NXA_TYPE_ADDR | NXA_MOD_BCAST)) {
		WRITE_ONCE(nxi->v4_bcast, ip);
		return 0;
	}
	if (type == (NXA_TYPE_ADDR | NXA_MOD_LBACK)) {
		if (!ipv4_is_loopback(ip))
			return -EINVAL;
		WRITE_ONCE(nxi->v4_lback, ip);
		return 0;
	}
	if (kind != NXA_TYPE_ADDR && kind != NXA_TYPE_MASK &&
	    kind != NXA_TYPE_RANGE)
		return -EINVAL;
	if (type != kind || !ip || ipv4_is_multicast(ip))
		return -EINVAL;
	if (kind == NXA_TYPE_RANGE ? ntohl(ip2) <= ntohl(ip) : ip2 != 0)
		return -EINVAL;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->type = kind;
	e->ip = kind == NXA_TYPE_MASK ? ip & mask : ip;
	e->ip2 = ip2;
	e->mask = mask;

	spin_lock_bh(&nxi->lock);
	if (nx_v4_has(nxi, ip) && kind == NXA_TYPE_ADDR) {
		spin_unlock_bh(&nxi->lock);
		kfree(e);
		return -EEXIST;
	}
	list_add_tail_rcu(&e->list, &nxi->v4);
	/* A second address: "single IP" no longer makes sense. */
	if (++nxi->nr_v4 > 1)
		WRITE_ONCE(nxi->flags, nxi->flags & ~NXF_SINGLE_IP);
	spin_unlock_bh(&nxi->lock);
	return 0;
}

static int nx_remove_v4(struct nx_info *nxi, u16 type, __be32 ip, __be32 ip2)
{
	struct nx_addr4 *e, *n;
	int found = 0;

	if (type == (NXA_TYPE_ADDR | NXA_MOD_BCAST)) {
		WRITE_ONCE(nxi->v4_bcast, 0);
		return 0;
	}
	if (type == (NXA_TYPE_ADDR | NXA_MOD_LBACK)) {
		WRITE_ONCE(nxi->v4_lback, 0);
		return 0;
	}
	if (type != NXA_TYPE_ANY && type != NXA_TYPE_ADDR &&
	    type != NXA_TYPE_MASK && type != NXA_TYPE_RANGE)
		return -EINVAL;
	spin_lock_bh(&nxi->lock);
	list_for_each_entry_safe(e, n, &nxi->v4, list) {
		if (type != NXA_TYPE_ANY &&
		    (e->type != type || e->ip != ip ||
		     (type == NXA_TYPE_RANGE && e->ip2 != ip2)))
			continue;
		list_del_rcu(&e->list);
		nxi->nr_v4--;
		kfree_rcu(e, rcu);
		found++;
	}
	if (type == NXA_TYPE_ANY) {
		WRITE_ONCE(nxi->v4_bcast, 0);
		WRITE_ONCE(nxi->v4_lback, 0);
	}
	spin_unlock_bh(&nxi->lock);
	return found || type == NXA_TYPE_ANY ? 0 : -ENOENT;
}

/**
 * vc_net_add_ipv4 - VCMD_net_add_ipv4 (v2) and VCMD_net_add_ipv4_v1
 * @c: struct vcmd_net_addr_ipv4_v2 or struct vcmd_net_addr_ipv4_v1
 *
 * Return: 0; -EINVAL for an unknown type, non-zero flags, a multicast or
 * zero address, a non-contiguous mask, an empty range or a loopback
 * address that is not in 127/8; -EEXIST if the address is there already;
 * -ENOMEM; -ESRCH / -EPERM from switch.c.
 */
long vc_net_add_ipv4(struct vx_call *c)
{
	struct vcmd_net_addr_ipv4_v1 *v1 = c->data;
	struct vcmd_net_addr_ipv4_v2 *v2 = c->data;

	if (VC_VERSION(c->cmd) == 1) {
		if (v1->flags || (v1->type & NXA_TYPE_RANGE))
			return -EINVAL;
		return nx_add_v4(c->nxi, v1->type, v1->ip, 0, v1->mask);
	}
	if (v2->flags)
		return -EINVAL;
	return nx_add_v4(c->nxi, v2->type, v2->ip, v2->ip2, v2->mask);
}

/**
 * vc_net_remove_ipv4 - VCMD_net_remove_ipv4 (v2) and v1
 * @c: struct vcmd_net_addr_ipv4_v2 or struct vcmd_net_addr_ipv4_v1;
 *	type NXA_TYPE_ANY removes every IPv4 entry
 *
 * Return: 0; -EINVAL for an unknown type or non-zero flags, -ENOENT if no
 * entry matched.
 */
long vc_net_remove_ipv4(struct vx_call *c)
{
	struct vcmd_net_addr_ipv4_v1 *v1 = c->data;
	struct vcmd_net_addr_ipv4_v2 *v2 = c->data;

	if (VC_VERSION(c->cmd) == 1) {
		if (v1->flags)
			return -EINVAL;
		return nx_remove_v4(c->nxi, v1->type, v1->ip, 0);
	}
	if (v2->flags)
		return -EINVAL;
	return nx_remove_v4(c->nxi, v2->type, v2->ip, v2->ip2);
}

/**
 * vc_net_add_v0 - VCMD_net_add_v0: the legacy IPv4 form
 * @c: struct vcmd_net_addr_v0: NXA_TYPE_IPV4 with 1..4 addresses and
 *	their netmasks, or NXA_TYPE_IPV4 | NXA_MOD_BCAST or | NXA_MOD_LBACK
 *	with the broadcast or loopback address in @ip[0]
 *
 * The addresses become NXA_TYPE_ADDR entries, all of them or none.
 *
 * Return: the number of entries set; -EINVAL for another type, a count
 * outside 1..4, or an address or mask net_add_ipv4 refuses; -EEXIST if
 * an address is present; -ENOMEM.
 */
long vc_net_add_v0(struct vx_call *c)
{
	struct vcmd_net_addr_v0 *v0 = c->data;
	struct nx_info *nxi = c->nxi;
	u64 single = READ_ONCE(nxi->flags) & NXF_SINGLE_IP;
	int i, ret;

	switch (v0->type) {
	case NXA_TYPE_IPV4 | NXA_MOD_BCAST:
	case NXA_TYPE_IPV4 | NXA_MOD_LBACK:
		ret = nx_add_v4(nxi, NXA_TYPE_ADDR |
				(v0->type & ~NXA_TYPE_IPV4), v0->ip[0], 0, 0);
		return ret ?: 1;
	case NXA_TYPE_IPV4:
		break;
	default:
		return -EINVAL;
	}
	if (v0->count < 1 || v0->count > ARRAY_SIZE(v0->ip))
		return -EINVAL;
	for (i = 0; i < v0->count; i++) {
		ret = nx_add_v4(nxi, NXA_TYPE_ADDR, v0->ip[i], 0,
				v0->mask[i]);
		if (ret)
			goto remove_added;
	}
	return v0->count;

remove_added:
	while (i--)
		nx_remove_v4(nxi, NXA_TYPE_ADDR, v0->ip[i], 0);
	/* None added: a second address cleared "single IP" for nothing. */
	spin_lock_bh(&nxi->lock);
	if (nxi->nr_v4 <= 1)
		WRITE_ONCE(nxi->flags, nxi->flags | single);
	spin_unlock_bh(&nxi->lock);
	return ret;
}

/**
 * vc_net_remove_v0 - VCMD_net_remove_v0: the legacy IPv4 form
 * @c: struct vcmd_net_addr_v0 with type NXA_TYPE_ANY: every IPv4 entry,
 *	the broadcast and the loopback address
 *
 * Return: 0; -EINVAL for another type.
 */
long vc_net_remove_v0(struct vx_call *c)
{
	struct vcmd_net_addr_v0 *v0 = c->data;

	if (v0->type != NXA_TYPE_ANY)
		return -EINVAL;
	return nx_remove_v4(c->nxi, NXA_TYPE_ANY, 0, 0);
}

/**
 * vc_net_add_ipv6 - VCMD_net_add_ipv6
 * @c: struct vcmd_net_addr_ipv6
 *
 * Return: 0; -EINVAL for an unknown type, non-zero flags, a prefix above
 * 128, the unspecified, loopback, v4-mapped or a multicast address;
 * -EEXIST if the address is there already; -ENOMEM.
 */
long vc_net_add_ipv6(struct vx_call *c)
{
	struct vcmd_net_addr_ipv6 *a = c->data;
	struct nx_info *nxi = c->nxi;
	struct in6_addr ip;
	struct nx_addr6 *e;

	memcpy(&ip, a->ip, sizeof(ip));
	if (a->flags || a->prefix > 128)
		return -EINVAL;
	if (a->type != NXA_TYPE_ADDR && a->type != NXA_TYPE_MASK)
		return -EINVAL;
	if (ipv6_addr_any(&ip) || ipv6_addr_loopback(&ip) ||
	    ipv6_addr_v4mapped(&ip) || ipv6_addr_is_multicast(&ip))
		return -EINVAL;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->type = a->type;
	e->prefix = a->prefix;
	if (a->type == NXA_TYPE_MASK)
		ipv6_addr_prefix(&e->ip, &ip, a->prefix);
	else
		e->ip = ip;
	spin_lock_bh(&nxi->lock);
	if (a->type == NXA_TYPE_ADDR && nx_v6_has(nxi, &ip)) {
		spin_unlock_bh(&nxi->lock);
		kfree(e);
		return -EEXIST;
	}
	list_add_tail_rcu(&e->list, &nxi->v6);
	nxi->nr_v6++;
	spin_unlock_bh(&nxi->lock);
	return 0;
}

/**
 * vc_net_remove_ipv6 - VCMD_net_remove_ipv6
 * @c: struct vcmd_net_addr_ipv6; type NXA_TYPE_ANY removes every entry
 *
 * Return: 0; -EINVAL for an unknown type or non-zero flags, -ENOENT if no
 * entry matched.
 */
long vc_net_remove_ipv6(struct vx_call *c)
{
	struct vcmd_net_addr_ipv6 *a = c->data;
	struct nx_info *nxi = c->nxi;
	struct nx_addr6 *e, *n;
	struct in6_addr ip;
	int found = 0;

	memcpy(&ip, a->ip, sizeof(ip));
	if (a->flags)
		return -EINVAL;
	if (a->type != NXA_TYPE_ANY && a->type != NXA_TYPE_ADDR &&
	    a->type != NXA_TYPE_MASK)
		return -EINVAL;
	spin_lock_bh(&nxi->lock);
	list_for_each_entry_safe(e, n, &nxi->v6, list) {
		if (a->type != NXA_TYPE_ANY &&
		    (e->type != a->type || !ipv6_addr_equal(&e->ip, &ip)))
			continue;
		list_del_rcu(&e->list);
		nxi->nr_v6--;
		kfree_rcu(e, rcu);
		found++;
	}
	spin_unlock_bh(&nxi->lock);
	return found || a->type == NXA_TYPE_ANY ? 0 : -ENOENT;
}

/**
 * vc_get_nflags - VCMD_get_nflags
 * @c: fills struct vcmd_net_flags; mask is all ones
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_get_nflags(struct vx_call *c)
{
	struct vcmd_net_flags *arg = c->data;

	arg->flagword = READ_ONCE(c->nxi->flags);
	arg->mask = ~0ULL;
	return 0;
}

/**
 * vc_set_nflags - VCMD_set_nflags: new = (old & ~mask) | (flagword & mask)
 * @c: struct vcmd_net_flags
 *
 * Return: 0; -EINVAL for unknown bits in the mask or for setting a
 * one-time state bit again.
 */
long vc_set_nflags(struct vx_call *c)
{
	struct vcmd_net_flags *arg = c->data;

	return nx_set_flags(c->nxi, arg->flagword, arg->mask);
}

/**
 * vc_get_ncaps - VCMD_get_ncaps
 * @c: fills struct vcmd_net_caps; cmask is all ones
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_get_ncaps(struct vx_call *c)
{
	struct vcmd_net_caps *arg = c->data;

	arg->ncaps = READ_ONCE(c->nxi->ncaps);
	arg->cmask = ~0ULL;
	return 0;
}

/**
 * vc_set_ncaps - VCMD_set_ncaps: new = (old & ~cmask) | (ncaps & cmask)
 * @c: struct vcmd_net_caps
 *
 * From the host, or from inside the network context during setup, as for
 * the context capabilities (the setting-up task is the host's).
 *
 * Return: 0; -EINVAL for unknown bits being set.
 */
long vc_set_ncaps(struct vx_call *c)
{
	struct vcmd_net_caps *arg = c->data;
	struct nx_info *nxi = c->nxi;
	u64 mask = arg->cmask & NXC_MASK, old;

	if (arg->ncaps & arg->cmask & ~NXC_MASK)
		return -EINVAL;
	spin_lock_bh(&nxi->lock);
	old = nxi->ncaps;
	WRITE_ONCE(nxi->ncaps, (old & ~mask) | (arg->ncaps & mask));
	spin_unlock_bh(&nxi->lock);
	return 0;
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void nx_test_v4_rules(struct kunit *test)
{
	struct nx_info *nxi = nx_create(NX_DYNAMIC_ID, NXF_PERSISTENT |
					NXF_LBACK_REMAP);
	__be32 a;

	KUNIT_ASSERT_FALSE(test, IS_ERR(nxi));
	/* No address yet: the wildcard has nothing to become. */
	a = htonl(INADDR_ANY);
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, false), -EADDRNOTAVAIL);

	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_ADDR,
					htonl(0xc000020a), 0,
					htonl(0xffffff00)), 0);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_ADDR,
					htonl(0xc000020a), 0,
					htonl(0xffffff00)), -EEXIST);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_RANGE,
					htonl(0xc6336410), htonl(0xc6336420),
					htonl(0xffffffff)), 0);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_ADDR, htonl(1), 0,
					htonl(0xff00ff00)), -EINVAL);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_ADDR | NXA_MOD_LBACK,
					htonl(0x7f140001), 0, 0), 0);

	a = htonl(INADDR_ANY);
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, false), 0);
	KUNIT_EXPECT_EQ(test, a, htonl(0xc000020a));
	/* Two entries: a TCP/UDP socket keeps the wildcard. */
	a = htonl(INADDR_ANY);
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, true), 0);
	KUNIT_EXPECT_EQ(test, a, htonl(INADDR_ANY));
	a = htonl(0x7f000001);
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, false), 0);
	KUNIT_EXPECT_EQ(test, a, htonl(0x7f140001));
	a = htonl(0xc000020b);
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, false), -EADDRNOTAVAIL);
	a = htonl(0xc633641f);		/* in the range */
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, false), 0);
	a = htonl(0xc6336420);		/* range end, excluded */
	KUNIT_EXPECT_EQ(test, nx_v4_map_bind(nxi, &a, false), -EADDRNOTAVAIL);

	a = htonl(0x7f000001);
	KUNIT_EXPECT_EQ(test, nx_v4_map_dest(nxi, &a), 0);
	KUNIT_EXPECT_EQ(test, a, htonl(0x7f140001));
	KUNIT_EXPECT_EQ(test, nx_v4_source(nxi, htonl(0xc6336411)),
			htonl(0xc000020a));

	KUNIT_EXPECT_EQ(test, nx_remove_v4(nxi, NXA_TYPE_ADDR,
					   htonl(0xc000020b), 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, nx_remove_v4(nxi, NXA_TYPE_ANY, 0, 0), 0);
	KUNIT_EXPECT_FALSE(test, nx_v4_has(nxi, htonl(0xc000020a)));

	nx_set_flags(nxi, 0, NXF_LBACK_REMAP);
	a = htonl(0x7f000001);
	KUNIT_EXPECT_EQ(test, nx_v4_map_dest(nxi, &a), -EPERM);
	KUNIT_EXPECT_EQ(test, nx_set_flags(nxi, NXF_STATE_SETUP,
					   NXF_STATE_SETUP), -EINVAL);
	KUNIT_EXPECT_EQ(test, nx_set_flags(nxi, 0, NXF_PERSISTENT), 0);
	KUNIT_EXPECT_TRUE(test, nxi->dead);
	nx_put(nxi);
}

/* Bind conflicts of wildcard sockets compare address sets. */
static void nx_test_v4_meets(struct kunit *test)
{
	struct nx_info *nxi = nx_create(NX_DYNAMIC_ID, NXF_PERSISTENT);

	KUNIT_ASSERT_FALSE(test, IS_ERR(nxi));
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_RANGE,
					htonl(0xc6336410), htonl(0xc6336420),
					htonl(0xffffffff)), 0);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_MASK, htonl(0x0a000000),
					0, htonl(0xff000000)), 0);
	KUNIT_EXPECT_TRUE(test, nx_v4_multi(nxi));
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, nx_v4_meets(nxi, 0xc0000201, 0xc0000201));
	KUNIT_EXPECT_TRUE(test, nx_v4_meets(nxi, 0x0a000005, 0x0a000005));
	KUNIT_EXPECT_TRUE(test, nx_v4_meets(nxi, 0x09000000, 0x0a000000));
	KUNIT_EXPECT_TRUE(test, nx_v4_meets(nxi, 0xc633641f, 0xc6336430));
	/* The range's end is excluded. */
	KUNIT_EXPECT_FALSE(test, nx_v4_meets(nxi, 0xc6336420, 0xc6336430));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, nx_set_flags(nxi, 0, NXF_PERSISTENT), 0);
	nx_put(nxi);
}

/* Nested subnets: the longest mask holding the destination wins. */
static void nx_test_v4_subnet_source(struct kunit *test)
{
	struct nx_info *nxi = nx_create(NX_DYNAMIC_ID, NXF_PERSISTENT);

	KUNIT_ASSERT_FALSE(test, IS_ERR(nxi));
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_MASK, htonl(0x0a010208),
					0, htonl(0xfffffff8)), 0);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_ADDR, htonl(0x0a000005),
					0, htonl(0xff000000)), 0);
	KUNIT_EXPECT_EQ(test, nx_add_v4(nxi, NXA_TYPE_ADDR, htonl(0x0a010205),
					0, htonl(0xffffff00)), 0);
	rcu_read_lock();
	/* The MASK entry (/29, first in the list) is no source address. */
	KUNIT_EXPECT_EQ(test, nx_v4_subnet_source(nxi, htonl(0x0a010209)),
			htonl(0x0a010205));
	KUNIT_EXPECT_EQ(test, nx_v4_subnet_source(nxi, htonl(0x0a090909)),
			htonl(0x0a000005));
	KUNIT_EXPECT_EQ(test, nx_v4_subnet_source(nxi, htonl(0xc0000201)), 0);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, nx_set_flags(nxi, 0, NXF_PERSISTENT), 0);
	nx_put(nxi);
}

static struct kunit_case nx_cases[] = {
	KUNIT_CASE(nx_test_v4_rules),
	KUNIT_CASE(nx_test_v4_meets),
	KUNIT_CASE(nx_test_v4_subnet_source),
	{}
};

static struct kunit_suite nx_suite = {
	.name = "vserver_network",
	.test_cases = nx_cases,
};

kunit_test_suite(nx_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
