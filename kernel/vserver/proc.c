// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: /proc/virtual/ and the VxID: line of /proc/<pid>/status.
 *
 * /proc/virtual/info            VCI version, syscall number, features
 * /proc/virtual/status          number of contexts
 * /proc/virtual/<xid>/info      xid and init pid
 * /proc/virtual/<xid>/status    use count, tasks, flags
 * /proc/virtual/<xid>/cvirt     creation time (BiasUptime), tasks, load
 * /proc/virtual/<xid>/nsproxy   namespaces of its spaces (space.c)
 * /proc/virtual/<xid>/cacct     socket messages and bytes (cacct.c)
 *
 * Tools (util-vserver's `vserver status`, vserver-stat) parse these lines:
 * keep the "Name:\tvalue" format.  A guest reads only its own <xid>/ files
 * and finds (lists, looks up) only its own <xid>/ and the global files;
 * one with VXF_HIDE_VINFO or VXF_INFO_HIDE finds nothing in /proc/virtual.
 * The host and the spectator context see everything.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/cleanup.h>
#include <linux/ctype.h>
#include <linux/init.h>
#include <linux/kstrtox.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/sched/loadavg.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sysctl.h>

#include "internal.h"

struct proc_dir_entry *vx_proc_virtual __ro_after_init;
/* Serialises creation and removal of /proc/virtual/<xid>/ directories. */
static DEFINE_MUTEX(vx_proc_mutex);

static int virtual_info_show(struct seq_file *m, void *v)
{
	seq_printf(m, "VCIVersion:\t%04x:%04x\n",
		   VCI_VERSION >> 16, VCI_VERSION & 0xFFFF);
	seq_printf(m, "VCISyscall:\t%d\n", 236);
	seq_printf(m, "VCIKernel:\t%08x\n", vx_vci_features());
	return 0;
}

static int virtual_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "#CTotal:\t%u\n", vx_count());
	return 0;
}

/* A guest may only read the files of its own context. */
static struct vx_info *vx_proc_target(struct seq_file *m)
{
	struct vx_info *vxi = m->private;
	u32 self = vx_current_xid();

	if (self > VX_ID_SPECTATOR && self != vxi->xid)
		return NULL;
	return vxi;
}

/* Is the current task a guest whose context hides vserver information? */
static bool vx_current_hides_vinfo(void)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;

	return vx_current_xid() > VX_ID_SPECTATOR && vxi &&
	       (READ_ONCE(vxi->flags) & (VXF_HIDE_VINFO | VXF_INFO_HIDE));
}

/**
 * vx_proc_virtual_visible - may the current task see /proc/virtual/@name?
 * @name: the entry's name, not NUL-terminated
 * @len: its length
 *
 * Return: true for the host and the spectator context; false for a guest
 * with %VXF_HIDE_VINFO or %VXF_INFO_HIDE; otherwise true for the global
 * files and the guest's own <xid>/ directory.
 */
bool vx_proc_virtual_visible(const char *name, unsigned int len)
{
	char buf[12];
	u32 xid;

	if (vx_current_xid() <= VX_ID_SPECTATOR)
		return true;
	if (vx_current_hides_vinfo())
		return false;
	if (!len || len >= sizeof(buf) || !isdigit(name[0]))
		return true;
	memcpy(buf, name, len);
	buf[len] = '\0';
	return kstrtou32(buf, 10, &xid) || xid == vx_current_xid();
}

/**
 * vx_proc_hidden - is a /proc entry with IATTR_HIDE hidden from the caller?
 * @vx_flags: the entry's IATTR_HIDE, IATTR_ADMIN and IATTR_WATCH bits
 *
 * The host sees every entry: an entry hidden from it could no longer be
 * found by path to be shown again.  The spectator context sees it with
 * IATTR_WATCH, a guest never.  IATTR_ADMIN (the host may see it) is kept
 * for Linux-VServer's tools, which set it together with IATTR_HIDE.
 *
 * Return: true if the caller must not see the entry.
 */
bool vx_proc_hidden(u8 vx_flags)
{
	u32 xid = vx_current_xid();

	if (!(vx_flags & IATTR_HIDE) || xid == VX_ID_HOST)
		return false;
	return !(xid == VX_ID_SPECTATOR && (vx_flags & IATTR_WATCH));
}

/*
 * Sysctl entries have no proc_dir_entry to keep the attributes in: they
 * are kept here by path under /proc/sys ("dev/cdrom/info"), so that they
 * name the same entry in every network namespace and survive tables that
 * are unregistered and registered again.  Only entries with attributes
 * are listed; util-vserver's vprocunhide gives a few dozen of them.
 */
struct vx_sysctl_attr {
	struct list_head list;
	struct rcu_head rcu;
	u8 flags;
	char path[];
};

static LIST_HEAD(vx_sysctl_attrs);
static DEFINE_MUTEX(vx_sysctl_mutex);

#define VX_SYSCTL_PATH_MAX	256

/*
 * The path of @table (in @head) under /proc/sys, built backwards from the
 * end of @buf (VX_SYSCTL_PATH_MAX bytes); NULL if it does not fit.  The
 * caller holds a use of @head, which keeps its directories alive.
 */
static const char *vx_sysctl_path(struct ctl_table_header *head,
				  const struct ctl_table *table, char *buf)
{
	const char *name = table->procname;
	struct ctl_dir *dir = head->parent;
	char *p = buf + VX_SYSCTL_PATH_MAX - 1;
	size_t len;

	*p = '\0';
	for (;;) {
		len = strlen(name);
		if (p - buf < len + 1)
			return NULL;
		p -= len;
		memcpy(p, name, len);
		if (!dir || !dir->header.parent)
			return p;
		*--p = '/';
		name = dir->header.ctl_table[0].procname;
		dir = dir->header.parent;
	}
}

static struct vx_sysctl_attr *vx_sysctl_find(const char *path)
{
	struct vx_sysctl_attr *a;

	list_for_each_entry_rcu(a, &vx_sysctl_attrs, list,
				lockdep_is_held(&vx_sysctl_mutex))
		if (!strcmp(a->path, path))
			return a;
	return NULL;
}

/* The attributes stored for @path, 0 if none. */
static u8 vx_sysctl_path_flags(const char *path)
{
	struct vx_sysctl_attr *a;
	u8 flags = 0;

	rcu_read_lock();
	a = vx_sysctl_find(path);
	if (a)
		flags = READ_ONCE(a->flags);
	rcu_read_unlock();
	return flags;
}

/**
 * vx_sysctl_flags - the IATTR_* bits of a sysctl entry, or change them
 * @head: the entry's table, in use by the caller
 * @table: the entry
 * @set: the new bits, or NULL to read them
 *
 * Return: the bits (0 if none were set) or 0 after a change; -ENAMETOOLONG
 * for a path beyond VX_SYSCTL_PATH_MAX; -ENOMEM.
 */
int vx_sysctl_flags(struct ctl_table_header *head,
		    const struct ctl_table *table, const u8 *set)
{
	struct vx_sysctl_attr *a, *old;
	char buf[VX_SYSCTL_PATH_MAX];
	const char *path = vx_sysctl_path(head, table, buf);
	int ret = 0;

	if (!path)
		return -ENAMETOOLONG;
	if (!set)
		return vx_sysctl_path_flags(path);
	mutex_lock(&vx_sysctl_mutex);
	old = vx_sysctl_find(path);
	if (old && *set) {
		WRITE_ONCE(old->flags, *set);
	} else if (old) {
		list_del_rcu(&old->list);
		kfree_rcu(old, rcu);
	} else if (*set) {
		size_t len = strlen(path) + 1;

		a = kmalloc(struct_size(a, path, len), GFP_KERNEL);
		if (a) {
			a->flags = *set;
			memcpy(a->path, path, len);
			list_add_rcu(&a->list, &vx_sysctl_attrs);
		} else {
			ret = -ENOMEM;
		}
	}
	mutex_unlock(&vx_sysctl_mutex);
	return ret;
}

/**
 * vx_sysctl_entry_hidden - is a sysctl entry hidden from the caller?
 * @head: the entry's table, in use by the caller
 * @table: the entry
 *
 * Return: true if the entry carries IATTR_HIDE and the caller is a guest
 * (vx_proc_hidden()).
 */
bool vx_sysctl_entry_hidden(struct ctl_table_header *head,
			    const struct ctl_table *table)
{
	char buf[VX_SYSCTL_PATH_MAX];
	const char *path;

	if (list_empty(&vx_sysctl_attrs) || vx_current_xid() == VX_ID_HOST)
		return false;
	path = vx_sysctl_path(head, table, buf);
	return path && vx_proc_entry_hidden(vx_sysctl_path_flags(path));
}

static int vx_info_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = vx_proc_target(m);
	pid_t init;

	if (!vxi)
		return -ENOENT;
	spin_lock(&vxi->lock);
	init = vxi->initpid ? pid_vnr(vxi->initpid) : 0;
	spin_unlock(&vxi->lock);
	seq_printf(m, "ID:\t%u\n", vxi->xid);
	seq_printf(m, "Init:\t%d\n", init);
	return 0;
}

static int vx_status_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = vx_proc_target(m);

	if (!vxi)
		return -ENOENT;
	seq_printf(m, "UseCnt:\t%u\n", refcount_read(&vxi->usecnt));
	seq_printf(m, "Tasks:\t%u\n", READ_ONCE(vxi->tasks));
	seq_printf(m, "Flags:\t%016llx\n", READ_ONCE(vxi->flags));
	return 0;
}

static int vx_cvirt_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = vx_proc_target(m);
	unsigned long avg[3];
	u64 bias;
	u32 rem;

	if (!vxi)
		return -ENOENT;
	vx_load_snapshot(vxi, avg);
	bias = div_u64_rem(vxi->start_ns, NSEC_PER_SEC, &rem);
	seq_printf(m, "BiasUptime:\t%llu.%02u\n", bias,
		   rem / (u32)(NSEC_PER_SEC / 100));
	seq_printf(m, "nr_threads:\t%u\n", READ_ONCE(vxi->tasks));
	seq_printf(m, "loadavg:\t%lu.%02lu %lu.%02lu %lu.%02lu\n",
		   LOAD_INT(avg[0]), LOAD_FRAC(avg[0]),
		   LOAD_INT(avg[1]), LOAD_FRAC(avg[1]),
		   LOAD_INT(avg[2]), LOAD_FRAC(avg[2]));
	return 0;
}

/**
 * vx_proc_attach - create /proc/virtual/<xid>/
 * @vxi: a freshly hashed context
 *
 * Return: 0 or -ENOMEM.
 */
int vx_proc_attach(struct vx_info *vxi)
{
	char name[12];
	struct proc_dir_entry *dir;
	bool dead;

	if (!vx_proc_virtual)
		return 0;
	guard(mutex)(&vx_proc_mutex);
	/* Ended (and detached) before we got here: nothing to show. */
	spin_lock(&vxi->lock);
	dead = vxi->dead;
	spin_unlock(&vxi->lock);
	if (dead)
		return 0;
	snprintf(name, sizeof(name), "%u", vxi->xid);
	dir = proc_mkdir_data(name, 0555, vx_proc_virtual, vxi);
	if (!dir)
		return -ENOMEM;
	if (!proc_create_single_data("info", 0444, dir, vx_info_show, vxi) ||
	    !proc_create_single_data("status", 0444, dir, vx_status_show,
				     vxi) ||
	    !proc_create_single_data("cvirt", 0444, dir, vx_cvirt_show, vxi) ||
	    !proc_create_single_data("sched", 0444, dir, vx_sched_proc_show,
				     vxi) ||
	    !proc_create_single_data("limit", 0444, dir, vx_limit_proc_show,
				     vxi) ||
	    !proc_create_single_data("nsproxy", 0444, dir,
				     vx_nsproxy_proc_show, vxi) ||
	    !proc_create_single_data("cacct", 0444, dir, vx_cacct_proc_show,
				     vxi)) {
		proc_remove(dir);
		return -ENOMEM;
	}
	vxi->procdir = dir;
	return 0;
}

/**
 * vx_proc_detach - remove /proc/virtual/<xid>/
 * @vxi: a context that is being unhashed
 *
 * Waits for readers of its files, so the context may go afterwards.
 */
void vx_proc_detach(struct vx_info *vxi)
{
	guard(mutex)(&vx_proc_mutex);
	proc_remove(vxi->procdir);
	vxi->procdir = NULL;
}

/*
 * The VxID: and NxID: lines of /proc/<pid>/status, which a guest that
 * hides vserver information (VXF_HIDE_VINFO, VXF_INFO_HIDE) does not get.
 */
void vx_proc_pid_status(struct seq_file *m, struct task_struct *task)
{
	if (vx_current_hides_vinfo())
		return;
	seq_printf(m, "VxID:\t%u\n", vx_task_xid(task));
	seq_printf(m, "NxID:\t%u\n", READ_ONCE(vx_task(task)->nid));
}

static int __init vx_proc_init(void)
{
	vx_proc_virtual = proc_mkdir("virtual", NULL);
	if (!vx_proc_virtual) {
		pr_err("cannot create /proc/virtual\n");
		return -ENOMEM;
	}
	proc_create_single("info", 0444, vx_proc_virtual, virtual_info_show);
	proc_create_single("status", 0444, vx_proc_virtual,
			   virtual_status_show);
	return 0;
}
fs_initcall(vx_proc_init);
