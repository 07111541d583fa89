/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver: security contexts -- the in-kernel interface.
 *
 * The core kernel calls only the inlines below; each is an empty inline
 * when CONFIG_VSERVER=n, so a kernel built without vserver behaves as
 * stock.
 */
#ifndef _LINUX_VSERVER_H
#define _LINUX_VSERVER_H

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/security.h>
#include <linux/types.h>
#include <uapi/linux/vserver.h>

struct cpumask;
struct file_lock_core;
struct inode;
struct kern_ipc_perm;
struct mm_struct;
struct proc_dir_entry;
struct task_struct;
struct user_namespace;
struct seq_file;
struct socket;
struct sysinfo;
struct timespec64;

#ifdef CONFIG_VSERVER

/* The xid of @task: 0 for the host. */
u32 vx_task_xid(const struct task_struct *task);

/* May the current task see @p (its /proc entry, kill(-1))? */
bool vx_task_visible(struct task_struct *p);

void vx_exit_task(struct task_struct *task);
void vx_proc_pid_status(struct seq_file *m, struct task_struct *task);

/* reboot(2) from a guest: true if handled, with the result in *ret. */
bool vx_reboot(unsigned int cmd, int *ret);

/* /proc and sysinfo(2) as a guest with VXF_VIRT_* flags sees them. */
void vx_virt_uptime(struct timespec64 *uptime, u64 *idle_nsec);
bool vx_virt_loadavg(struct seq_file *m);
bool vx_virt_meminfo(struct seq_file *m);
void vx_virt_sysinfo(struct sysinfo *info);
const struct cpumask *vx_cpus_visible(void);
/* cpumap_print_to_pagebuf() of a list of CPUs the caller is shown. */
ssize_t vx_cpumap_print_to_pagebuf(char *buf, const struct cpumask *map);

/*
 * ns_capable() / capable() at a place a context capability (VXC_*) can
 * open for a guest's root.
 */
bool vx_ns_ccap_capable(struct user_namespace *ns, int cap, u64 ccap);
bool vx_ccap_capable(int cap, u64 ccap);
/* clone(2)/unshare(2) of namespaces: VXC_NAMESPACE and the umask. */
bool vx_ns_unshare_capable(struct user_namespace *ns, unsigned long flags);

/* /proc/virtual: a guest sees its own <xid>/ only (kernel/vserver/proc.c). */
extern struct proc_dir_entry *vx_proc_virtual;
bool vx_proc_virtual_visible(const char *name, unsigned int len);

/* /proc/net/dev_snmp6: a hiding guest sees its interfaces (network.c). */
bool nx_proc_entry_visible(const struct proc_dir_entry *parent,
			   const char *name, unsigned int len);
struct net;
int nx_proc_netif_dir(const struct proc_dir_entry *dir, struct net *net);
void nx_proc_netif_dir_gone(const struct proc_dir_entry *dir);

/* May the current task see the /proc entry @name in @parent? */
static inline bool vx_proc_entry_visible(const struct proc_dir_entry *parent,
					 const char *name, unsigned int len)
{
	if (parent == vx_proc_virtual)
		return vx_proc_virtual_visible(name, len);
	return nx_proc_entry_visible(parent, name, len);
}

/*
 * /proc entries with IATTR_HIDE (kernel/vserver/proc.c); the attributes
 * live in the entry (fs/proc/generic.c).
 */
bool vx_proc_hidden(u8 vx_flags);
int proc_vx_flags(struct inode *inode);
int proc_set_vx_flags(struct inode *inode, u8 flags);

/* The same attributes of sysctl entries, kept by path (proc.c). */
struct ctl_table_header;
struct ctl_table;
int vx_sysctl_flags(struct ctl_table_header *head,
		    const struct ctl_table *table, const u8 *set);
bool vx_sysctl_entry_hidden(struct ctl_table_header *head,
			    const struct ctl_table *table);
/* ... and through the inode of a sysctl (fs/proc/proc_sysctl.c). */
int proc_sys_vx_flags(struct inode *inode, const u8 *set);

/* Is a /proc entry with attributes @vx_flags hidden from the current task? */
static inline bool vx_proc_entry_hidden(u8 vx_flags)
{
	return unlikely(vx_flags & IATTR_HIDE) && vx_proc_hidden(vx_flags);
}

/* sendmsg()/recvmsg() on @sock returned @ret (/proc/virtual/<xid>/cacct). */
void vx_sock_acct(const struct socket *sock, int ret, bool send);

/*
 * Network contexts (kernel/vserver/network.c)
 */

struct in6_addr;

/* May the current task see this interface address (NXF_HIDE_NETIF)? */
bool nx_addr4_visible(__be32 addr);
bool nx_addr6_visible(const struct in6_addr *addr);

struct sock;

/*
 * Listener and datagram socket lookup: may @sk take a packet for @addr?
 * False only for a guest's wildcard socket and an address outside its set.
 */
bool nx_sk_local4(const struct sock *sk, __be32 addr);
bool nx_sk_local6(const struct sock *sk, const struct in6_addr *addr);

/*
 * Bind conflicts: true if @sk and @sk2 can never take a packet for the
 * same address (a guest's wildcard socket and an address, or another
 * guest's wildcard, outside its set).
 */
bool nx_sk_disjoint(const struct sock *sk, const struct sock *sk2);

/* SO_REUSEPORT groups: do @sk and @sk2 belong to one network context? */
bool nx_sk_same_nx(const struct sock *sk, const struct sock *sk2);

/*
 * The source address of a datagram from a guest's wildcard socket to
 * @daddr: an address of its set (0 / unchanged for the host).
 */
__be32 nx_sk_source4(const struct sock *sk, __be32 daddr);
void nx_sk_source6(const struct sock *sk, const struct in6_addr *daddr,
		   struct in6_addr *saddr);

/* /proc/net socket tables, sock_diag: may the current task see @sk? */
bool nx_sk_visible(const struct sock *sk);

/*
 * getsockname(), recvfrom(), /proc/net/{tcp,udp}, inet_diag: @addr as the
 * current task sees it (127.0.0.1 for its loopback with NXF_HIDE_LBACK).
 */
__be32 nx_lback4_shown(__be32 addr);

/*
 * The same for an IPv6 socket address (::ffff:127.0.0.1 for its mapped
 * loopback address): @addr, or @buf holding what is shown; @buf may be
 * @addr.
 */
const struct in6_addr *nx_lback6_shown(const struct in6_addr *addr,
				       struct in6_addr *buf);

struct net_device;

/*
 * ip link, ip route, ip neigh, /proc/net/{dev,route,ipv6_route,arp},
 * SIOCGIF*: may the current task see @dev (one of its addresses, or
 * loopback, with NXF_HIDE_NETIF)?
 */
bool nx_dev_visible(const struct net_device *dev);

struct packet_type;

/* /proc/net/ptype: may the current task see @pt, bound to @dev (or NULL)? */
bool nx_ptype_visible(const struct packet_type *pt,
		      const struct net_device *dev);

struct kernfs_node;

/*
 * sysfs: may the current task see @kn, a node of a namespaced directory
 * (a network interface in /sys/class/net)?
 */
bool nx_kernfs_visible(const struct kernfs_node *kn);

struct net;
struct sk_buff;

/*
 * rtnl_notify(): send a notification to a group, skipping the listeners
 * that must not see its subject; false if left to nlmsg_notify().
 */
bool nx_rtnl_notify(struct sock *rtnl, struct sk_buff *skb, u32 portid,
		    u32 group, int report, gfp_t flags);

/*
 * ip route get: may the current task ask for source @src (__be32 or
 * struct in6_addr), input interface @iif, output interface @oif?
 */
int nx_route_request(struct net *net, int family, const void *src, int iif,
		     int oif);

/*
 * ip route get: fit the RTM_NEWROUTE reply in @skb for destination
 * @daddr (__be32 or struct in6_addr) to the current task: its own
 * source address, no hidden device or gateway.
 */
void nx_route_reply(struct net *net, struct sk_buff *skb, const void *daddr);

/*
 * ns_capable() where a network capability (NXC_*) can open the operation
 * for a guest's root (TUNSETIFF creating a device: NXC_TUN_CREATE).
 */
bool nx_ns_ncap_capable(struct user_namespace *ns, int cap, u64 ncap);

/*
 * Resource limits (kernel/vserver/limit.c)
 */

/* May the caller's context map @npages more pages (RLIMIT_AS)? */
bool vx_may_expand_vm(struct mm_struct *mm, unsigned long npages);

/*
 * security_shm_alloc() / security_sem_alloc(), then the size charged to
 * the caller's context (VLIMIT_SHMEM pages, VLIMIT_NSEMS semaphores).
 */
int vx_shm_alloc(struct kern_ipc_perm *perm, unsigned long pages);
int vx_sem_alloc(struct kern_ipc_perm *perm, int nsems);

/*
 * fs/locks.c: a lock enters (charge to the caller's context, which the
 * lock keeps) or leaves (uncharge that context) an inode's lock list;
 * may the caller's context hold @n more locks (RLIMIT_LOCKS)?
 */
void vx_lock_charge(struct file_lock_core *flc);
void vx_lock_uncharge(struct file_lock_core *flc);
bool vx_locks_avail(unsigned int n);

/*
 * Scheduler buckets (kernel/vserver/sched.c)
 */

struct task_group;

/**
 * struct vx_tg_stat - figures of a context's task group (vx_tg_stat())
 * @period: CFS bandwidth period, ns
 * @quota: runtime per period, ns; U64_MAX: none
 * @burst: burst, ns
 * @runtime: runtime left in this period, ns
 * @throttled_ns: time the group spent throttled
 * @exec_ns: CPU time the group used
 * @weight: its weight (1024: one nice-0 task)
 * @nr_periods: periods with activity
 * @nr_throttled: periods in which it was throttled
 * @throttled_cpus: CPUs on which it is throttled now
 */
struct vx_tg_stat {
	u64 period;
	u64 quota;
	u64 burst;
	u64 runtime;
	u64 throttled_ns;
	u64 exec_ns;
	unsigned long weight;
	u32 nr_periods;
	u32 nr_throttled;
	u32 throttled_cpus;
};

/* The task group of @p's context, or NULL (kernel/vserver/sched.c). */
struct task_group *vx_task_sched_group(struct task_struct *p);
bool vx_sched_group_path(struct task_group *tg, char *buf, int buflen);

/*
 * kernel/sched/vserver.c.  The group a task of a context is scheduled in
 * (@tg: its cgroup's group); the vx_tg_*() helpers need
 * CONFIG_CFS_BANDWIDTH.
 */
struct task_group *vx_sched_task_group(struct task_struct *p,
				       struct task_group *tg);
struct task_group *vx_tg_create(void);
void vx_tg_destroy(struct task_group *tg);
int vx_tg_set_bandwidth(struct task_group *tg, u64 period, u64 quota,
			u64 burst);
void vx_tg_set_runtime(struct task_group *tg, u64 runtime);
int vx_tg_set_weight(struct task_group *tg, unsigned long weight);
unsigned long vx_tg_nice_weight(int nice);
void vx_tg_move_task(struct task_struct *p);
void vx_tg_forks_lock(void);
void vx_tg_forks_unlock(void);
void vx_tg_stat(struct task_group *tg, int cpu, struct vx_tg_stat *st);

/*
 * Inode attributes and the chroot barrier (kernel/vserver/inode.c)
 */

struct inode;
struct path;

/*
 * may_delete(), vfs_link(): IATTR_IXUNLINK (or IATTR_COW) set on @inode.
 * An immutable inode with it may be unlinked, renamed and linked; one
 * without it may not; an inode with it but not immutable may not either
 * (Linux-VServer's "iunlink-but-not-immutable").
 */
bool vx_iunlink(const struct inode *inode);

/*
 * Break a shared (immutable + iunlink) hardlink before a guest changes it:
 * @mask MAY_WRITE for an open for writing or truncate(), 0 for a change
 * of attributes (chmod, chown, utimes, setxattr).  0: go on with @path;
 * -ESTALE: the name now holds a private copy, look it up again; or an
 * error.
 */
int vx_cow_break(const struct path *path, int mask);

/* open_by_handle_at(): may the caller decode any handle (host only)? */
bool vx_may_decode_any_fh(void);

struct file;

/* do_vfs_ioctl(): FIOC_GETXFLG / FIOC_SETXFLG on @file. */
long vx_xflg_ioctl(struct file *file, unsigned int cmd, void __user *argp);

/*
 * Host-global objects out of a guest's reach (kernel/vserver/global.c,
 * task.c, ccap.c, inode.c).
 */
struct ctl_table_header;
struct ctl_table;
struct pid;
struct sock;

/* sysctl_perm(): a write a guest may not make (a host-wide table). */
bool vx_sysctl_write_denied(const struct ctl_table_header *head,
			    const struct ctl_table *table);

/* find_task_by_vpid(), find_vpid(): @p / @pid, or NULL if not visible. */
struct task_struct *vx_task_found(struct task_struct *p);
struct pid *vx_pid_found(struct pid *pid);

/* af_unix: may the caller find the abstract name @sk is bound to? */
bool vx_unix_name_visible(const struct sock *sk);

/* tiocsti(): dev.tty.legacy_tiocsti as it applies to the caller. */
bool vx_tiocsti_legacy(bool legacy);

/* fileattr_set_prepare(): may the caller not change project ids? */
bool vx_projid_fixed(void);

struct fs_context;

/* mount_capable(): CAP_SYS_ADMIN in @ns, or a mount ccap for the type. */
bool vx_mount_capable(struct fs_context *fc, struct user_namespace *ns);

/* mount_setattr(), fspick(): after may_mount(), for a guest's remounts. */
bool vx_may_remount(void);

#else /* !CONFIG_VSERVER */

static inline u32 vx_task_xid(const struct task_struct *task)
{
	return 0;
}

static inline bool vx_task_visible(struct task_struct *p)
{
	return true;
}

static inline void vx_exit_task(struct task_struct *task)
{
}

static inline void vx_proc_pid_status(struct seq_file *m,
				      struct task_struct *task)
{
}

static inline bool vx_reboot(unsigned int cmd, int *ret)
{
	return false;
}

static inline void vx_virt_uptime(struct timespec64 *uptime, u64 *idle_nsec)
{
}

static inline bool vx_virt_loadavg(struct seq_file *m)
{
	return false;
}

static inline bool vx_virt_meminfo(struct seq_file *m)
{
	return false;
}

static inline void vx_virt_sysinfo(struct sysinfo *info)
{
}

static inline const struct cpumask *vx_cpus_visible(void)
{
	return cpu_possible_mask;
}

static inline ssize_t vx_cpumap_print_to_pagebuf(char *buf,
						 const struct cpumask *map)
{
	return cpumap_print_to_pagebuf(true, buf, map);
}

static inline bool vx_ns_ccap_capable(struct user_namespace *ns, int cap,
				      u64 ccap)
{
	return ns_capable(ns, cap);
}

static inline bool vx_ccap_capable(int cap, u64 ccap)
{
	return capable(cap);
}

static inline bool vx_ns_unshare_capable(struct user_namespace *ns,
					 unsigned long flags)
{
	return ns_capable(ns, CAP_SYS_ADMIN);
}

static inline bool vx_proc_entry_visible(const struct proc_dir_entry *parent,
					 const char *name, unsigned int len)
{
	return true;
}

static inline bool vx_proc_entry_hidden(u8 vx_flags)
{
	return false;
}

struct ctl_table_header;
struct ctl_table;
static inline bool vx_sysctl_entry_hidden(struct ctl_table_header *head,
					  const struct ctl_table *table)
{
	return false;
}

struct net;

static inline int nx_proc_netif_dir(const struct proc_dir_entry *dir,
				    struct net *net)
{
	return 0;
}

static inline void nx_proc_netif_dir_gone(const struct proc_dir_entry *dir)
{
}

static inline void vx_sock_acct(const struct socket *sock, int ret, bool send)
{
}

/*
 * Network contexts (kernel/vserver/network.c)
 */

struct in6_addr;

static inline bool nx_addr4_visible(__be32 addr)
{
	return true;
}

static inline bool nx_addr6_visible(const struct in6_addr *addr)
{
	return true;
}

struct sock;

static inline bool nx_sk_local4(const struct sock *sk, __be32 addr)
{
	return true;
}

static inline bool nx_sk_local6(const struct sock *sk,
				const struct in6_addr *addr)
{
	return true;
}

static inline bool nx_sk_disjoint(const struct sock *sk,
				  const struct sock *sk2)
{
	return false;
}

static inline bool nx_sk_same_nx(const struct sock *sk,
				 const struct sock *sk2)
{
	return true;
}

static inline __be32 nx_sk_source4(const struct sock *sk, __be32 daddr)
{
	return 0;
}

static inline void nx_sk_source6(const struct sock *sk,
				 const struct in6_addr *daddr,
				 struct in6_addr *saddr)
{
}

static inline bool nx_sk_visible(const struct sock *sk)
{
	return true;
}

static inline __be32 nx_lback4_shown(__be32 addr)
{
	return addr;
}

static inline const struct in6_addr *
nx_lback6_shown(const struct in6_addr *addr, struct in6_addr *buf)
{
	return addr;
}

struct net_device;

static inline bool nx_dev_visible(const struct net_device *dev)
{
	return true;
}

struct packet_type;

static inline bool nx_ptype_visible(const struct packet_type *pt,
				    const struct net_device *dev)
{
	return true;
}

struct kernfs_node;

static inline bool nx_kernfs_visible(const struct kernfs_node *kn)
{
	return true;
}

struct net;
struct sk_buff;

static inline int nx_route_request(struct net *net, int family,
				   const void *src, int iif, int oif)
{
	return 0;
}

static inline void nx_route_reply(struct net *net, struct sk_buff *skb,
				  const void *daddr)
{
}

static inline bool nx_rtnl_notify(struct sock *rtnl, struct sk_buff *skb,
				  u32 portid, u32 group, int report,
				  gfp_t flags)
{
	return false;
}

static inline bool nx_ns_ncap_capable(struct user_namespace *ns, int cap,
				      u64 ncap)
{
	return ns_capable(ns, cap);
}

/*
 * Resource limits (kernel/vserver/limit.c)
 */

static inline bool vx_may_expand_vm(struct mm_struct *mm, unsigned long npages)
{
	return true;
}

static inline int vx_shm_alloc(struct kern_ipc_perm *perm, unsigned long pages)
{
	return security_shm_alloc(perm);
}

static inline int vx_sem_alloc(struct kern_ipc_perm *perm, int nsems)
{
	return security_sem_alloc(perm);
}

static inline void vx_lock_charge(struct file_lock_core *flc)
{
}

static inline void vx_lock_uncharge(struct file_lock_core *flc)
{
}

static inline bool vx_locks_avail(unsigned int n)
{
	return true;
}

/*
 * Scheduler buckets (kernel/vserver/sched.c)
 */

struct task_group;

static inline struct task_group *
vx_sched_task_group(struct task_struct *p, struct task_group *tg)
{
	return tg;
}

static inline bool vx_sched_group_path(struct task_group *tg, char *buf,
				       int buflen)
{
	return false;
}

/*
 * Inode attributes and the chroot barrier (kernel/vserver/inode.c)
 */

struct inode;
struct path;

static inline bool vx_iunlink(const struct inode *inode)
{
	return false;
}

static inline int vx_cow_break(const struct path *path, int mask)
{
	return 0;
}

static inline bool vx_may_decode_any_fh(void)
{
	return true;
}

struct file;

static inline long vx_xflg_ioctl(struct file *file, unsigned int cmd,
				 void __user *argp)
{
	return -ENOIOCTLCMD;
}

struct ctl_table_header;
struct ctl_table;
struct pid;
struct sock;

static inline bool vx_sysctl_write_denied(const struct ctl_table_header *head,
					  const struct ctl_table *table)
{
	return false;
}

static inline struct task_struct *vx_task_found(struct task_struct *p)
{
	return p;
}

static inline struct pid *vx_pid_found(struct pid *pid)
{
	return pid;
}

static inline bool vx_unix_name_visible(const struct sock *sk)
{
	return true;
}

static inline bool vx_tiocsti_legacy(bool legacy)
{
	return legacy;
}

static inline bool vx_projid_fixed(void)
{
	return false;
}

struct fs_context;

static inline bool vx_mount_capable(struct fs_context *fc,
				    struct user_namespace *ns)
{
	return ns_capable(ns, CAP_SYS_ADMIN);
}

static inline bool vx_may_remount(void)
{
	return true;
}

#endif /* CONFIG_VSERVER */

#endif /* _LINUX_VSERVER_H */
