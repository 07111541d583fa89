/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver: definitions shared by the files of kernel/vserver/.
 */
#ifndef _KERNEL_VSERVER_INTERNAL_H
#define _KERNEL_VSERVER_INTERNAL_H

#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/vserver.h>
#include <net/sock.h>

#include "limit.h"

struct nx_info;
struct pid;
struct proc_dir_entry;

/**
 * struct vx_space - namespaces a context holds (set_space/enter_space)
 * @mask: VX_SPACE_* bits stored
 * @nsproxy: the namespaces, or NULL
 * @fs: root and working directory, or NULL
 */
struct vx_space {
	u64 mask;
	struct nsproxy *nsproxy;
	struct fs_struct *fs;
};

/* Socket families /proc/virtual/<xid>/cacct tells apart (cacct.c). */
enum {
	VXA_SOCK_UNSPEC,
	VXA_SOCK_UNIX,
	VXA_SOCK_INET,
	VXA_SOCK_INET6,
	VXA_SOCK_PACKET,
	VXA_SOCK_OTHER,
	VXA_SOCK_SIZE
};

/**
 * struct vx_cacct - what a context's sockets moved on one CPU (cacct.c)
 * @sock: per family, [0] received [1] sent: [0] messages [1] bytes
 */
struct vx_cacct {
	u64 sock[VXA_SOCK_SIZE][2][2];
};

/**
 * struct vx_info - a security context
 * @hlist: entry in the xid hash, under vx_hash_lock
 * @rcu: frees the context after readers of a task's blob are done
 * @usecnt: references: one for the hash, one per member task, one per
 *	temporary user (lookups)
 * @xid: the context id
 * @lock: protects @tasks, @dead, @flags and @initpid
 * @tasks: tasks (threads) that are members of the context
 * @dead: ending; no task may join any more
 * @gone: out of the hash and /proc: its xid is free again
 * @flags: VXF_* context flags
 * @initpid: the context's init process, or NULL
 * @bcaps: bounding capabilities (bit n = Linux capability n)
 * @ccaps: context capabilities (VXC_*)
 * @umask: namespaces root may create with VXC_NAMESPACE (CLONE_NEW*)
 * @badness: oom_score_adj given to processes that enter, if @has_badness
 * @has_badness: set_badness was called
 * @start_ns: boot-time clock at creation
 * @avenrun: load averages of the context's tasks (fixed point)
 * @load_stamp: jiffies of the last @avenrun update
 * @space: the namespace sets the context holds (index 0 and 1)
 * @name: the context's name (vhi_name VHIN_CONTEXT)
 * @reboot_cmd: reboot(2) command that ended the context, or 0
 * @exit_code: wait status of its init process, or 0
 * @procdir: /proc/virtual/<xid>
 * @sched: the CPU bucket (sched.c), or NULL; set once
 * @limit: resource counters and limits (limit.c)
 * @cacct: socket accounting (cacct.c)
 *
 * A context lives while it has member tasks or carries VXF_PERSISTENT;
 * then it is unhashed, and freed when its last reference goes.
 */
struct vx_info {
	struct hlist_node hlist;
	struct rcu_head rcu;
	refcount_t usecnt;
	u32 xid;
	spinlock_t lock;		/* all fields below but @procdir */
	unsigned int tasks;
	bool dead;
	bool gone;
	u64 flags;
	struct pid *initpid;
	u64 bcaps;
	u64 ccaps;
	u64 umask;
	short badness;
	bool has_badness;
	u64 start_ns;
	unsigned long avenrun[3];
	unsigned long load_stamp;
	struct vx_space space[VX_SPACE_INDEX_MAX + 1];
	char name[VHI_NAME_LEN];
	int reboot_cmd;
	int exit_code;
	struct proc_dir_entry *procdir;
	struct vx_sched *sched;
	struct vx_limit limit;
	struct vx_cacct __percpu *cacct;
};

/**
 * struct vx_task - the vserver part of a task's LSM blob
 * @vxi: the task's context; NULL for the host and the spectator
 * @xid: the task's xid (0 host, 1 spectator, else @vxi->xid)
 * @counted: the task is counted in @vxi->tasks
 * @entered: the task came into @vxi from outside (it, or the process it
 *	forked from, migrated in) and has not exec'd since: it still runs
 *	host code, which the guest's tasks must not reach (task.c)
 * @bound_work: queued to bound the task's credentials (cred.c)
 * @bound_queued: bit 0 set while @bound_work is queued
 * @nxi: the task's network context (network.c); NULL for the host
 * @nid: the task's nid (0 host, 1 spectator, else @nxi->nid)
 */
struct vx_task {
	struct vx_info *vxi;
	u32 xid;
	bool counted;
	bool entered;
	struct callback_head bound_work;
	unsigned long bound_queued;
	struct nx_info *nxi;
	u32 nid;
};

/**
 * struct vx_cred - the vserver part of a cred's LSM blob
 * @vxi: the context whose bounding capabilities apply, or NULL
 *
 * Capability checks get a cred, not a task, so the context travels with
 * the credentials too; it always matches the owning task's context.
 */
struct vx_cred {
	struct vx_info *vxi;
};

/**
 * struct vx_file - the vserver part of a file's LSM blob
 * @fown_xid: context of the task that last set the file's owner (F_SETOWN):
 *	SIGIO and SIGURG are sent on its behalf
 * @charged: the file counts against its context's RLIMIT_NOFILE; false if
 *	an LSM before vserver refused it, so that vserver's hook never ran
 */
struct vx_file {
	u32 fown_xid;
	bool charged;
};

extern struct lsm_blob_sizes vserver_blob_sizes;
extern const struct lsm_id vserver_lsmid;

static inline struct vx_task *vx_task(const struct task_struct *task)
{
	return task->security + vserver_blob_sizes.lbs_task;
}

static inline struct vx_cred *vx_cred(const struct cred *cred)
{
	return cred->security + vserver_blob_sizes.lbs_cred;
}

static inline struct vx_file *vx_file(const struct file *file)
{
	return file->f_security + vserver_blob_sizes.lbs_file;
}

static inline u32 vx_current_xid(void)
{
	return READ_ONCE(vx_task(current)->xid);
}

/* Is @xid a guest (not the host, not the spectator)? */
static inline bool vx_xid_guest(u32 xid)
{
	return xid > VX_ID_SPECTATOR;
}

/*
 * Does a command's @id name the caller's own context?  Any id from 2^31
 * up does: VX_ID_SELF (~0) and util-vserver's VC_SAMECTX (-2) among them.
 */
static inline bool vx_id_self(u32 id)
{
	return (s32)id < 0;
}

/* Is the current task a guest's? */
static inline bool vx_current_guest(void)
{
	return vx_xid_guest(vx_current_xid());
}

/* The context of a cred, or NULL (the host's and the spectator's). */
static inline struct vx_info *vx_cred_vxi(const struct cred *cred)
{
	return vx_cred(cred)->vxi;
}

/* context.c */
struct vx_info *vx_lookup(u32 xid);
struct vx_info *vx_get(struct vx_info *vxi);
void vx_put(struct vx_info *vxi);
struct vx_info *vx_create(u32 xid, u64 flags);
int vx_migrate_current(struct vx_info *vxi);
int vx_set_flags(struct vx_info *vxi, u64 flagword, u64 mask);
int vx_xid_valid(u32 xid);
int vx_check_flag_update(u64 old, u64 flagword, u64 mask, u64 valid,
			 u64 one_time);
int vx_check_flags(u64 old, u64 flagword, u64 mask);
unsigned int vx_count(void);
void __init vx_add_task_hooks(void);

/* ccap.c */
void __init vx_add_ccap_hooks(void);

/* cred.c */
int vx_cred_enter(struct vx_info *vxi);
bool vx_bcap_allowed(struct vx_info *vxi, int cap);
void vx_update_bits(struct vx_info *vxi, u64 *bits, u64 val, u64 mask,
		    u64 valid);
void vx_badness_enter(struct vx_info *vxi);
void vx_cred_bound_members(struct vx_info *vxi);
void __init vx_add_cred_hooks(void);

/* global.c */
void __init vx_add_global_hooks(void);

/* cvirt.c */
void vx_load_snapshot(struct vx_info *vxi, unsigned long avg[3]);

/* helper.c */
void vx_helper_shutdown(struct vx_info *vxi);

/* space.c */
void vx_spaces_release(struct vx_info *vxi);
struct uts_namespace *vx_space_uts(struct vx_info *vxi);
int vx_nsproxy_proc_show(struct seq_file *m, void *v);

/* cacct.c */
int vx_cacct_proc_show(struct seq_file *m, void *v);

/* task.c */
void __init vx_add_isolation_hooks(void);

/* switch.c */
u32 vx_vci_features(void);

/* proc.c */
int vx_proc_attach(struct vx_info *vxi);
void vx_proc_detach(struct vx_info *vxi);

/**
 * struct vx_call - one sys_vserver() call, as switch.c hands it on
 * @cmd: the command number
 * @id: the id argument
 * @vxi: the context @id names, for commands that take one
 * @data: kernel copy of the argument structure
 * @nodata: user passed NULL for an optional argument
 * @nxi: the network context @id names, for commands that take one
 */
struct vx_call {
	u32 cmd;
	u32 id;
	struct vx_info *vxi;
	struct nx_info *nxi;
	void *data;
	bool nodata;
};

/* Command handlers (switch.c dispatches to these). */
long vc_task_xid(struct vx_call *c);
long vc_vx_info(struct vx_call *c);
long vc_ctx_stat(struct vx_call *c);
long vc_ctx_create(struct vx_call *c);
long vc_ctx_migrate(struct vx_call *c);
long vc_get_cflags(struct vx_call *c);
long vc_set_cflags(struct vx_call *c);
long vc_ctx_kill(struct vx_call *c);
long vc_wait_exit(struct vx_call *c);
long vc_get_bcaps(struct vx_call *c);
long vc_set_bcaps(struct vx_call *c);
long vc_get_ccaps(struct vx_call *c);
long vc_set_ccaps(struct vx_call *c);
long vc_set_space(struct vx_call *c);
long vc_enter_space(struct vx_call *c);
long vc_get_space_mask(struct vx_call *c);
long vc_get_space_default(struct vx_call *c);
long vc_set_vhi_name(struct vx_call *c);
long vc_get_vhi_name(struct vx_call *c);
long vc_virt_stat(struct vx_call *c);
long vc_get_umask(struct vx_call *c);
long vc_set_umask(struct vx_call *c);
long vc_get_badness(struct vx_call *c);
long vc_set_badness(struct vx_call *c);
long vc_add_dlimit(struct vx_call *c);
long vc_rem_dlimit(struct vx_call *c);
long vc_set_dlimit(struct vx_call *c);
long vc_get_dlimit(struct vx_call *c);

/*
 * Network contexts (kernel/vserver/network.c)
 */

struct nx_info *nx_lookup(u32 nid);
void nx_put(struct nx_info *nxi);
u64 nx_get_flags(struct nx_info *nxi);
void nx_task_alloc(struct task_struct *task);
void nx_task_exit(struct task_struct *task);
void nx_task_free(struct task_struct *task);
void __init nx_add_hooks(void);

static inline u32 nx_current_nid(void)
{
	return READ_ONCE(vx_task(current)->nid);
}

long vc_task_nid(struct vx_call *c);
long vc_nx_info(struct vx_call *c);
long vc_net_create(struct vx_call *c);
long vc_net_migrate(struct vx_call *c);
long vc_net_add_v0(struct vx_call *c);
long vc_net_remove_v0(struct vx_call *c);
long vc_net_add_ipv4(struct vx_call *c);
long vc_net_remove_ipv4(struct vx_call *c);
long vc_net_add_ipv6(struct vx_call *c);
long vc_net_remove_ipv6(struct vx_call *c);
long vc_get_nflags(struct vx_call *c);
long vc_set_nflags(struct vx_call *c);
long vc_get_ncaps(struct vx_call *c);
long vc_set_ncaps(struct vx_call *c);

/*
 * Resource limits (kernel/vserver/limit.c)
 */

/**
 * struct vx_sock - the vserver part of a sock's LSM blob
 * @nxi: network context of the task that created the socket, or NULL
 *	(network.c)
 * @limit_vxi: the context charged for the socket (VLIMIT_NSOCK), or NULL
 *	(limit.c)
 * @xid: the guest whose task created the socket, 0 for the host and the
 *	spectator: the scope of its abstract AF_UNIX name and of the events
 *	it may receive (global.c)
 */
struct vx_sock {
	struct nx_info *nxi;
	struct vx_info *limit_vxi;
	u32 xid;
};

static inline struct vx_sock *vx_sock(const struct sock *sk)
{
	return sk->sk_security + vserver_blob_sizes.lbs_sock;
}

/**
 * struct vx_ipc - the vserver part of a SysV IPC object's LSM blob
 * @limit_vxi: the context charged for the object, or NULL
 * @amount: what the allocation hook charged (bytes of a message queue,
 *	1 for a semaphore set)
 * @size: what vx_shm_alloc()/vx_sem_alloc() charged (pages of a shared
 *	memory segment, semaphores of a set)
 */
struct vx_ipc {
	struct vx_info *limit_vxi;
	unsigned long amount;
	unsigned long size;
};

void __init vx_add_limit_hooks(void);
int vx_limit_proc_show(struct seq_file *m, void *v);
long vc_get_rlimit(struct vx_call *c);
long vc_set_rlimit(struct vx_call *c);
long vc_get_rlimit_mask(struct vx_call *c);
long vc_reset_hits(struct vx_call *c);
long vc_reset_minmax(struct vx_call *c);
long vc_rlimit_stat(struct vx_call *c);

/*
 * Scheduler buckets (kernel/vserver/sched.c)
 */
struct vx_sched;
void vx_sched_free(struct vx_info *vxi);
void vx_sched_migrate(struct task_struct *p);
void vx_sched_flags_changed(struct vx_info *vxi);
int vx_sched_proc_show(struct seq_file *m, void *v);
long vc_set_sched(struct vx_call *c);
long vc_get_sched(struct vx_call *c);
long vc_sched_info(struct vx_call *c);
long vc_set_prio_bias(struct vx_call *c);
long vc_get_prio_bias(struct vx_call *c);

/*
 * Inode attributes and the chroot barrier (kernel/vserver/inode.c)
 */

/**
 * struct vx_inode - the vserver part of an inode's LSM blob
 * @iattr: IATTR_BARRIER/IXUNLINK/COW as read from security.vserver, plus
 *	a bit saying the xattr was read
 */
struct vx_inode {
	u32 iattr;
};

void __init vx_add_inode_hooks(void);
long vc_get_iattr(struct vx_call *c);
long vc_set_iattr(struct vx_call *c);
long vc_fget_iattr(struct vx_call *c);
long vc_fset_iattr(struct vx_call *c);

#endif /* _KERNEL_VSERVER_INTERNAL_H */
