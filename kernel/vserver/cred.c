// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: bounded root -- bounding and context capabilities.
 *
 * Every cred carries the context of its task (struct vx_cred).  The LSM
 * capable hook refuses any capability outside the context's bounding set
 * (bcaps), whatever the task's own capability sets say, so neither root
 * in a guest nor a setuid binary there can use CAP_SYS_MODULE & co once
 * the host has dropped them.  When a task enters a context, its own
 * capability sets are cut down to the bounding set as well, so that
 * /proc/<pid>/status and capget() tell the truth.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kernel_read_file.h>

#include "internal.h"

static kernel_cap_t vx_u64_to_caps(u64 v)
{
	return (kernel_cap_t){ .val = v & CAP_VALID_MASK };
}

/**
 * vx_cred_enter - give the caller's credentials a context
 * @vxi: the context the caller is entering
 *
 * The new credentials hold a reference on @vxi and have every capability
 * set intersected with its bounding set.
 *
 * Return: 0 or -ENOMEM.
 */
int vx_cred_enter(struct vx_info *vxi)
{
	struct cred *new = prepare_creds();
	struct vx_cred *vc;
	kernel_cap_t bound;

	if (!new)
		return -ENOMEM;
	vc = vx_cred(new);
	vx_put(vc->vxi);
	vc->vxi = vx_get(vxi);

	bound = vx_u64_to_caps(READ_ONCE(vxi->bcaps));
	new->cap_bset = cap_intersect(new->cap_bset, bound);
	new->cap_permitted = cap_intersect(new->cap_permitted, bound);
	new->cap_effective = cap_intersect(new->cap_effective, bound);
	new->cap_inheritable = cap_intersect(new->cap_inheritable, bound);
	new->cap_ambient = cap_intersect(new->cap_ambient, bound);
	return commit_creds(new);
}

/* ---- LSM cred hooks ---- */

static int vx_cred_prepare(struct cred *new, const struct cred *old,
			   gfp_t gfp)
{
	struct vx_info *vxi = vx_cred(old)->vxi;

	vx_cred(new)->vxi = vxi ? vx_get(vxi) : NULL;
	return 0;
}

static void vx_cred_transfer(struct cred *new, const struct cred *old)
{
	vx_cred_prepare(new, old, GFP_KERNEL);
}

/* May run from an RCU callback: vx_put() only queues the free. */
static void vx_cred_free(struct cred *cred)
{
	struct vx_cred *vc = vx_cred(cred);

	vx_put(vc->vxi);
	vc->vxi = NULL;
}

static int vx_capable(const struct cred *cred, struct user_namespace *ns,
		      int cap, unsigned int opts)
{
	struct vx_info *vxi = vx_cred(cred)->vxi;

	if (!vxi)
		return 0;
	if (!(READ_ONCE(vxi->bcaps) & BIT_ULL(cap)))
		return -EPERM;
	return 0;
}

/*
 * CAP_SYS_BOOT stays in a guest's bounds so that its root can reboot(2)
 * the guest (helper.c), but loading a new kernel is never the guest's
 * business.
 */
static int vx_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	if (id == LOADING_KEXEC_IMAGE && vx_current_xid() != VX_ID_HOST)
		return -EPERM;
	return 0;
}

static int vx_kernel_read_file(struct file *file, enum kernel_read_file_id id,
			       bool contents)
{
	if ((id == READING_KEXEC_IMAGE || id == READING_KEXEC_INITRAMFS) &&
	    vx_current_xid() != VX_ID_HOST)
		return -EPERM;
	return 0;
}

static struct security_hook_list vx_cred_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(cred_prepare, vx_cred_prepare),
	LSM_HOOK_INIT(cred_transfer, vx_cred_transfer),
	LSM_HOOK_INIT(cred_free, vx_cred_free),
	LSM_HOOK_INIT(capable, vx_capable),
	LSM_HOOK_INIT(kernel_load_data, vx_kernel_load_data),
	LSM_HOOK_INIT(kernel_read_file, vx_kernel_read_file),
};

void __init vx_add_cred_hooks(void)
{
	security_add_hooks(vx_cred_hooks, ARRAY_SIZE(vx_cred_hooks),
			   &vserver_lsmid);
}

/* ---- commands ---- */

/*
 * set_bcaps/set_ccaps: the host sets new = (old & ~mask) | (val & mask);
 * a guest during setup can only clear bits.  Mask bits outside @valid are
 * ignored (tools pass ~0), unknown bits being set are refused.
 */
static int vx_update_caps(struct vx_info *vxi, u64 *caps, u64 val, u64 mask,
			  u64 valid)
{
	u64 want;

	if (val & mask & ~valid)
		return -EINVAL;
	mask &= valid;
	want = val & mask;
	spin_lock(&vxi->lock);
	if (vx_current_xid() == VX_ID_HOST)
		*caps = (*caps & ~mask) | want;
	else
		*caps &= want | ~mask;
	spin_unlock(&vxi->lock);
	return 0;
}

/**
 * vc_get_bcaps - VCMD_get_bcaps: the bounding set of a context
 * @c: fills struct vcmd_bcaps; bmask is all ones
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_get_bcaps(struct vx_call *c)
{
	struct vcmd_bcaps *arg = c->data;

	arg->bcaps = READ_ONCE(c->vxi->bcaps);
	arg->bmask = ~0ULL;
	return 0;
}

/**
 * vc_set_bcaps - VCMD_set_bcaps: change the bounding set
 * @c: struct vcmd_bcaps
 *
 * The host sets new = (old & ~bmask) | (bcaps & bmask); a guest during
 * setup can only clear bits.  Bits beyond the last Linux capability in
 * bmask are ignored (tools pass ~0).  Tasks already in the context are
 * bounded at once: the capable hook reads the current set.
 *
 * Return: 0; -EINVAL if @bcaps sets an unknown capability; -ESRCH.
 */
long vc_set_bcaps(struct vx_call *c)
{
	struct vcmd_bcaps *arg = c->data;

	return vx_update_caps(c->vxi, &c->vxi->bcaps, arg->bcaps, arg->bmask,
			      CAP_VALID_MASK);
}

/**
 * vc_get_ccaps - VCMD_get_ccaps: the context capabilities
 * @c: fills struct vcmd_ctx_caps; cmask is all ones
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_get_ccaps(struct vx_call *c)
{
	struct vcmd_ctx_caps *arg = c->data;

	arg->ccaps = READ_ONCE(c->vxi->ccaps);
	arg->cmask = ~0ULL;
	return 0;
}

/**
 * vc_set_ccaps - VCMD_set_ccaps: new = (old & ~cmask) | (ccaps & cmask)
 * @c: struct vcmd_ctx_caps
 *
 * A guest during setup can only clear bits.
 *
 * Return: 0; -EINVAL for unknown VXC_* bits in @ccaps & @cmask; -ESRCH.
 */
long vc_set_ccaps(struct vx_call *c)
{
	struct vcmd_ctx_caps *arg = c->data;

	return vx_update_caps(c->vxi, &c->vxi->ccaps, arg->ccaps, arg->cmask,
			      VXC_MASK);
}
