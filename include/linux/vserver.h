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

#include <linux/types.h>
#include <uapi/linux/vserver.h>

struct task_struct;
struct seq_file;
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

/*
 * Network contexts (kernel/vserver/network.c)
 */

/*
 * Resource limits (kernel/vserver/limit.c)
 */

/*
 * Scheduler buckets (kernel/vserver/sched.c)
 */

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

/*
 * Network contexts (kernel/vserver/network.c)
 */

/*
 * Resource limits (kernel/vserver/limit.c)
 */

/*
 * Scheduler buckets (kernel/vserver/sched.c)
 */

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

#endif /* CONFIG_VSERVER */

#endif /* _LINUX_VSERVER_H */
