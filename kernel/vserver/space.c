// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: spaces -- the namespaces a context holds.
 *
 * A guest is started in fresh namespaces (mount, UTS, IPC, PID, net,
 * cgroup); set_space stores the caller's set in its context, with the
 * caller's root and working directory.  enter_space later puts another
 * task -- `vserver NAME enter` -- into exactly those namespaces and that
 * root, so no pid file is needed to join a running guest.
 *
 * As in the original kernel, set_space may store, and enter_space join,
 * some of the namespaces alone (util-vserver enters the mount namespace
 * with its root, then the rest); the mount namespace and the root always
 * travel together.  User namespaces are not held: a guest's root is
 * bounded by the context's capabilities instead.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/cgroup.h>
#include <linux/fs_struct.h>
#include <linux/ipc_namespace.h>
#include <linux/mnt_namespace.h>
#include <linux/nsproxy.h>
#include <linux/path.h>
#include <linux/pid_namespace.h>
#include <linux/seq_file.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "internal.h"

#define VX_SPACE_SUPPORTED	(VX_SPACE_FS | VX_SPACE_NS | VX_SPACE_UTS | \
				 VX_SPACE_IPC | VX_SPACE_PID | VX_SPACE_NET | \
				 VX_SPACE_CGROUP)
#define VX_SPACE_DEFAULT	(VX_SPACE_FS | VX_SPACE_NS | VX_SPACE_UTS | \
				 VX_SPACE_IPC)

/* Drop what a space holds; process context (put_nsproxy may sleep). */
static void vx_space_clear(struct vx_space *sp)
{
	if (sp->nsproxy)
		put_nsproxy(sp->nsproxy);
	if (sp->fs)
		free_fs_struct(sp->fs);
	memset(sp, 0, sizeof(*sp));
}

/**
 * vx_spaces_release - drop every space of a context that is ending
 * @vxi: the context, already dead (nobody can enter or set any more)
 */
void vx_spaces_release(struct vx_info *vxi)
{
	struct vx_space old[VX_SPACE_INDEX_MAX + 1];
	int i;

	spin_lock(&vxi->lock);
	memcpy(old, vxi->space, sizeof(old));
	memset(vxi->space, 0, sizeof(vxi->space));
	spin_unlock(&vxi->lock);
	for (i = 0; i <= VX_SPACE_INDEX_MAX; i++)
		vx_space_clear(&old[i]);
}

/* The UTS namespace held in space 0, with a reference, or NULL. */
struct uts_namespace *vx_space_uts(struct vx_info *vxi)
{
	struct uts_namespace *uts = NULL;

	spin_lock(&vxi->lock);
	if (vxi->space[0].mask & VX_SPACE_UTS) {
		uts = vxi->space[0].nsproxy->uts_ns;
		get_uts_ns(uts);
	}
	spin_unlock(&vxi->lock);
	return uts;
}

static const struct {
	u64 bit;
	const char *bit_name;
	const char *ns_name;	/* as /proc/<pid>/ns names it */
} vx_space_ns[] = {
	{ VX_SPACE_NS, "NS", "mnt" },
	{ VX_SPACE_UTS, "UTS", "uts" },
	{ VX_SPACE_IPC, "IPC", "ipc" },
	{ VX_SPACE_PID, "PID", "pid_for_children" },
	{ VX_SPACE_NET, "NET", "net" },
	{ VX_SPACE_CGROUP, "CGROUP", "cgroup" },
};

/* The inode number of the namespace @bit of @nsp. */
static unsigned int vx_space_inum(struct nsproxy *nsp, u64 bit)
{
	switch (bit) {
	case VX_SPACE_NS:
		return from_mnt_ns(nsp->mnt_ns)->inum;
	case VX_SPACE_UTS:
		return nsp->uts_ns->ns.inum;
	case VX_SPACE_IPC:
		return nsp->ipc_ns->ns.inum;
	case VX_SPACE_PID:
		return nsp->pid_ns_for_children->ns.inum;
	case VX_SPACE_NET:
		return nsp->net_ns->ns.inum;
	case VX_SPACE_CGROUP:
		return nsp->cgroup_ns->ns.inum;
	}
	return 0;
}

/*
 * /proc/virtual/<xid>/nsproxy: one line per namespace a space holds: the
 * space index, the mask bit and the namespace as /proc/<pid>/ns shows it
 * (for PID: the namespace the entering task's children are born in).
 */
int vx_nsproxy_proc_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = m->private;
	unsigned int inum[ARRAY_SIZE(vx_space_ns)];
	unsigned int i, k;
	u64 mask;

	if (vx_current_xid() > VX_ID_SPECTATOR && vx_current_xid() != vxi->xid)
		return -ENOENT;
	for (i = 0; i <= VX_SPACE_INDEX_MAX; i++) {
		spin_lock(&vxi->lock);
		mask = vxi->space[i].nsproxy ? vxi->space[i].mask : 0;
		for (k = 0; k < ARRAY_SIZE(vx_space_ns); k++)
			inum[k] = mask & vx_space_ns[k].bit ?
				  vx_space_inum(vxi->space[i].nsproxy,
						vx_space_ns[k].bit) : 0;
		spin_unlock(&vxi->lock);
		for (k = 0; k < ARRAY_SIZE(vx_space_ns); k++)
			if (mask & vx_space_ns[k].bit)
				seq_printf(m, "%u\t%s\t%s:[%u]\n", i,
					   vx_space_ns[k].bit_name,
					   vx_space_ns[k].ns_name, inum[k]);
	}
	return 0;
}

/*
 * The namespaces and root of space @index, with references: what
 * enter_space adopts and what set_space replaces part of.
 */
static int vx_space_get(struct vx_info *vxi, u32 index, struct vx_space *sp)
{
	spin_lock(&vxi->lock);
	if (vxi->dead) {
		spin_unlock(&vxi->lock);
		return -ESRCH;
	}
	*sp = vxi->space[index];
	if (sp->nsproxy)
		get_nsproxy(sp->nsproxy);
	spin_unlock(&vxi->lock);
	return 0;
}

/*
 * The arguments of set_space and enter_space: v1 carries only the mask
 * (index 0); the v2 padding is ignored, as util-vserver leaves it
 * uninitialised.  The mount namespace and the root travel together: a
 * task must never be left in a guest's mounts with the host's root, or
 * the other way round.
 */
static int vx_space_arg(struct vx_call *c, u64 *mask, u32 *index)
{
	struct vcmd_space_mask *arg = c->data;
	bool v1 = VC_VERSION(c->cmd) == 1;

	*mask = arg->mask;
	*index = v1 ? 0 : arg->index;
	if (*index > VX_SPACE_INDEX_MAX || (*mask & ~VX_SPACE_SUPPORTED))
		return -EINVAL;
	if (*mask & (VX_SPACE_NS | VX_SPACE_FS))
		*mask |= VX_SPACE_NS | VX_SPACE_FS;
	return 0;
}

/* Serialises set_space, which builds a new set from the stored one. */
static DEFINE_MUTEX(vx_space_mutex);

/**
 * vc_set_space - VCMD_set_space: store some of the caller's namespaces
 * @c: struct vcmd_space_mask (v2) or its @mask alone (v1)
 *
 * The namespaces in @mask replace those of the context's space @index,
 * which keeps the others; with %VX_SPACE_NS or %VX_SPACE_FS, the caller's
 * mount namespace, root and working directory together.  The space then
 * holds the union of what was stored and @mask.
 *
 * Return: 0; -EINVAL for an empty mask, unknown bits, an index above 1,
 * or %VX_SPACE_UTS from the host's own UTS namespace; -ENOMEM; -ESRCH if
 * the context ended.
 */
long vc_set_space(struct vx_call *c)
{
	struct vx_info *vxi = c->vxi;
	struct vx_space old, new = { };
	struct fs_struct *fs = NULL;
	u32 index;
	u64 mask;
	int ret;

	ret = vx_space_arg(c, &mask, &index);
	if (ret)
		return ret;
	/* Never hand out the host's UTS namespace for vhi names to rewrite. */
	if (!mask || ((mask & VX_SPACE_UTS) &&
		      current->nsproxy->uts_ns == &init_uts_ns))
		return -EINVAL;
	if (mask & VX_SPACE_FS) {
		fs = copy_fs_struct(current->fs);
		if (!fs)
			return -ENOMEM;
	}

	mutex_lock(&vx_space_mutex);
	ret = vx_space_get(vxi, index, &old);
	if (ret)
		goto out_unlock;
	if (old.nsproxy) {
		new.nsproxy = nsproxy_mix(old.nsproxy, current->nsproxy, mask);
		put_nsproxy(old.nsproxy);
		ret = -ENOMEM;
		if (!new.nsproxy)
			goto out_unlock;
	} else {
		new.nsproxy = current->nsproxy;
		get_nsproxy(new.nsproxy);
	}
	new.mask = old.mask | mask;

	spin_lock(&vxi->lock);
	if (vxi->dead) {
		spin_unlock(&vxi->lock);
		put_nsproxy(new.nsproxy);
		ret = -ESRCH;
		goto out_unlock;
	}
	old = vxi->space[index];
	new.fs = fs ? fs : old.fs;
	vxi->space[index] = new;
	spin_unlock(&vxi->lock);
	mutex_unlock(&vx_space_mutex);

	/* The fs_struct moved to the new set unless the caller's replaced it. */
	if (!fs)
		old.fs = NULL;
	vx_space_clear(&old);
	return 0;

out_unlock:
	mutex_unlock(&vx_space_mutex);
	if (fs)
		free_fs_struct(fs);
	return ret;
}

/**
 * vc_enter_space - VCMD_enter_space: join namespaces a context holds
 * @c: struct vcmd_space_mask (v2) or its @mask alone (v1); mask 0 means
 *	everything stored
 *
 * The caller adopts the stored namespaces in @mask, which must be a
 * subset of the stored ones, and keeps its own others (its time
 * namespace always); with %VX_SPACE_NS or %VX_SPACE_FS, the stored mount
 * namespace, root and working directory together.  It stays in its own
 * context; ctx_migrate moves it afterwards.
 *
 * Return: 0; -EINVAL for bad arguments or a mask that is not a subset of
 * the stored one; -ENOENT if nothing is stored at that index; -EACCES for
 * a %VXF_INFO_PRIVATE context; -EBUSY for a multi-threaded caller or one
 * that shares its fs_struct; -ENOMEM; -ESRCH if the context ended.
 */
long vc_enter_space(struct vx_call *c)
{
	struct vx_info *vxi = c->vxi;
	struct path root = { }, pwd = { };
	struct nsproxy *nsp;
	struct vx_space sp;
	u32 index;
	u64 mask;
	int ret;

	ret = vx_space_arg(c, &mask, &index);
	if (ret)
		return ret;
	if (READ_ONCE(vxi->flags) & VXF_INFO_PRIVATE)
		return -EACCES;
	if (!thread_group_empty(current) || current->fs->users > 1)
		return -EBUSY;

	spin_lock(&vxi->lock);
	sp = vxi->space[index];
	if (!sp.nsproxy) {
		spin_unlock(&vxi->lock);
		return -ENOENT;
	}
	if (!mask)
		mask = sp.mask;
	if (mask & ~sp.mask) {
		spin_unlock(&vxi->lock);
		return -EINVAL;
	}
	get_nsproxy(sp.nsproxy);
	if ((mask & VX_SPACE_FS) && sp.fs) {
		get_fs_root(sp.fs, &root);
		get_fs_pwd(sp.fs, &pwd);
	}
	spin_unlock(&vxi->lock);

	nsp = nsproxy_mix(current->nsproxy, sp.nsproxy, mask);
	put_nsproxy(sp.nsproxy);
	if (nsp)
		switch_task_namespaces(current, nsp);
	else
		ret = -ENOMEM;
	if (root.mnt) {
		if (nsp) {
			set_fs_root(current->fs, &root);
			set_fs_pwd(current->fs, &pwd);
		}
		path_put(&root);
		path_put(&pwd);
	}
	return ret;
}

/**
 * vc_get_space_mask - VCMD_get_space_mask: the space bits this kernel holds
 * @c: fills struct vcmd_space_mask (mask only)
 *
 * Return: 0.
 */
long vc_get_space_mask(struct vx_call *c)
{
	struct vcmd_space_mask *arg = c->data;

	arg->mask = VX_SPACE_SUPPORTED;
	return 0;
}

/**
 * vc_get_space_default - VCMD_get_space_default: the recommended bits
 * @c: fills struct vcmd_space_mask (mask only)
 *
 * Return: 0.
 */
long vc_get_space_default(struct vx_call *c)
{
	struct vcmd_space_mask *arg = c->data;

	arg->mask = VX_SPACE_DEFAULT;
	return 0;
}
