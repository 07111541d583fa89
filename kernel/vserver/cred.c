// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: bounded root -- bounding and context capabilities.
 *
 * Every cred carries the context of its task (struct vx_cred).  The LSM
 * capable hook refuses any capability outside the context's bounding set
 * (bcaps), whatever the task's own capability sets say, so neither root
 * in a guest nor a setuid binary there can use CAP_SYS_MODULE & co once
 * the host has dropped them.
 *
 * The credentials themselves are bounded too, because some code reads
 * them without asking the LSM (the capability module's mmap_addr and
 * vm_enough_memory, capset, exec's new sets): every capability set of
 * every task of a context lies within its bounding set
 *   - when a task enters the context,
 *   - whenever a task of a context whose setup has ended prepares new
 *     credentials (fork, exec, setuid, capset, ...),
 *   - and, for the tasks already in it, when the setup ends or the
 *     bounding set shrinks: each bounds its own credentials at its next
 *     return to user mode (a task work, as keyctl's session-to-parent).
 * During setup (VXF_STATE_SETUP) the bounding set does not bind yet: the
 * host's tools that configure a guest from inside it narrow the bounds
 * first and still need their own capabilities for the last steps
 * (util-vserver's pivot_root, our chroot), as on the original kernel.
 * Once setup ends, nothing in the context exceeds the bounds.
 * /proc/<pid>/status and capget() tell the truth.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/binfmts.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kernel_read_file.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <linux/task_work.h>

#include "internal.h"

static kernel_cap_t vx_u64_to_caps(u64 v)
{
	return (kernel_cap_t){ .val = v & CAP_VALID_MASK };
}

/* Cut every capability set of @new down to @vxi's bounding set. */
static void vx_cred_bound(struct cred *new, struct vx_info *vxi)
{
	kernel_cap_t bound = vx_u64_to_caps(READ_ONCE(vxi->bcaps));

	new->cap_bset = cap_intersect(new->cap_bset, bound);
	new->cap_permitted = cap_intersect(new->cap_permitted, bound);
	new->cap_effective = cap_intersect(new->cap_effective, bound);
	new->cap_inheritable = cap_intersect(new->cap_inheritable, bound);
	new->cap_ambient = cap_intersect(new->cap_ambient, bound);
}

/* Are credentials in @vxi bounded whenever they are prepared? */
static bool vx_cred_bounded(struct vx_info *vxi)
{
	return vxi && !(READ_ONCE(vxi->flags) & VXF_STATE_SETUP);
}

/**
 * vx_bcap_allowed - may a task of @vxi use @cap, as far as bounds go?
 * @vxi: the task's context, or NULL for the host
 * @cap: a Linux capability
 *
 * Return: true for the host, for a context in setup (its bounds do not
 * bind yet) and for a capability within the context's bounding set.
 */
bool vx_bcap_allowed(struct vx_info *vxi, int cap)
{
	return !vx_cred_bounded(vxi) || (READ_ONCE(vxi->bcaps) & BIT_ULL(cap));
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

	if (!new)
		return -ENOMEM;
	vc = vx_cred(new);
	vx_put(vc->vxi);
	vc->vxi = vx_get(vxi);
	vx_cred_bound(new, vxi);
	return commit_creds(new);
}

/* Task work: the task bounds its own credentials (cred_prepare does). */
static void vx_cred_bound_work(struct callback_head *work)
{
	struct vx_task *vt = container_of(work, struct vx_task, bound_work);
	struct cred *new;

	clear_bit(0, &vt->bound_queued);
	if (current->flags & PF_EXITING)
		return;
	new = prepare_creds();
	if (new)
		commit_creds(new);
}

/**
 * vx_cred_bound_members - bound the credentials of a context's tasks
 * @vxi: a context whose setup ended or whose bounding set shrank
 *
 * Every task of @vxi prepares new credentials, bounded by cred_prepare,
 * before it next returns to user mode; the caller when it returns from
 * this system call.  The capable hook enforces the bounds meanwhile.
 */
void vx_cred_bound_members(struct vx_info *vxi)
{
	struct task_struct *g, *t;

	if (!vx_cred_bounded(vxi))
		return;
	rcu_read_lock();
	for_each_process_thread(g, t) {
		struct vx_task *vt = vx_task(t);

		if (READ_ONCE(vt->vxi) != vxi || (t->flags & PF_EXITING) ||
		    test_and_set_bit(0, &vt->bound_queued))
			continue;
		init_task_work(&vt->bound_work, vx_cred_bound_work);
		if (task_work_add(t, &vt->bound_work, TWA_RESUME))
			clear_bit(0, &vt->bound_queued);
	}
	rcu_read_unlock();
}

/* ---- LSM cred hooks ---- */

static int vx_cred_prepare(struct cred *new, const struct cred *old,
			   gfp_t gfp)
{
	struct vx_info *vxi = vx_cred(old)->vxi;

	vx_cred(new)->vxi = vxi ? vx_get(vxi) : NULL;
	if (vx_cred_bounded(vxi))
		vx_cred_bound(new, vxi);
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
	return vx_bcap_allowed(vx_cred(cred)->vxi, cap) ? 0 : -EPERM;
}

/*
 * capset(2) may only keep or drop what the old credentials hold, and
 * those are bounded once setup ended; a task whose credentials were not
 * yet re-prepared gets the requested sets cut down to the bounds.
 */
static int vx_capset(struct cred *new, const struct cred *old,
		     const kernel_cap_t *effective,
		     const kernel_cap_t *inheritable,
		     const kernel_cap_t *permitted)
{
	struct vx_info *vxi = vx_cred(old)->vxi;

	if (vx_cred_bounded(vxi))
		vx_cred_bound(new, vxi);
	return 0;
}

/*
 * Mapping below mmap_min_addr needs CAP_SYS_RAWIO, which the capability
 * module checks on the cred directly.
 */
static int vx_mmap_addr(unsigned long addr)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;

	if (addr >= dac_mmap_min_addr || vx_bcap_allowed(vxi, CAP_SYS_RAWIO))
		return 0;
	return -EPERM;
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
	LSM_HOOK_INIT(capset, vx_capset),
	LSM_HOOK_INIT(mmap_addr, vx_mmap_addr),
	LSM_HOOK_INIT(kernel_load_data, vx_kernel_load_data),
	LSM_HOOK_INIT(kernel_read_file, vx_kernel_read_file),
};

void __init vx_add_cred_hooks(void)
{
	security_add_hooks(vx_cred_hooks, ARRAY_SIZE(vx_cred_hooks),
			   &vserver_lsmid);
}

/* ---- commands ---- */

/**
 * vx_update_bits - new = (old & ~mask) | (val & mask) for a word of @vxi
 * @vxi: the context
 * @bits: its bcaps, ccaps or umask
 * @val: the new values
 * @mask: which bits to change; those outside @valid are ignored (tools
 *	pass ~0)
 * @valid: the bits the word can hold
 *
 * set_bcaps, set_ccaps and set_umask, from the host or from inside the
 * context during setup alike (switch.c lets nobody else here).  Readers
 * take no lock.
 */
void vx_update_bits(struct vx_info *vxi, u64 *bits, u64 val, u64 mask,
		    u64 valid)
{
	mask &= valid;
	spin_lock(&vxi->lock);
	WRITE_ONCE(*bits, (*bits & ~mask) | (val & mask));
	spin_unlock(&vxi->lock);
}

/*
 * util-vserver computes its secure bounding set as the complement of a
 * 32-bit int whose top bit is CAP_SETFCAP: sign extension sets bits 32
 * to 63 of the value it passes.  Capabilities from 32 up (MAC_OVERRIDE,
 * MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ, PERFMON, BPF,
 * CHECKPOINT_RESTORE) were never in that set, so a value whose upper half
 * is all ones grants none of them: they come only from a value that
 * names them alone.
 */
static u64 vx_bcaps_value(u64 val)
{
	if (upper_32_bits(val) == U32_MAX)
		return lower_32_bits(val);
	return val;
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
 * new = (old & ~bmask) | (bcaps & bmask), from the host or, during
 * setup, from inside the context.  Bits beyond the last Linux capability
 * are ignored (tools pass ~0, and values from older kernels' capability
 * numbering); a value whose upper 32 bits are all ones grants no
 * capability from 32 up (vx_bcaps_value()).  Once setup ended, the tasks
 * in the context are bounded at once: the capable hook reads the current
 * set and their credentials follow (vx_cred_bound_members()).
 *
 * Return: 0; -ESRCH.
 */
long vc_set_bcaps(struct vx_call *c)
{
	struct vcmd_bcaps *arg = c->data;

	vx_update_bits(c->vxi, &c->vxi->bcaps, vx_bcaps_value(arg->bcaps),
		       arg->bmask, CAP_VALID_MASK);
	vx_cred_bound_members(c->vxi);
	return 0;
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
 * From the host, or from inside the context during setup, as
 * util-vserver's vattribute sets them.
 *
 * Return: 0; -EINVAL for unknown VXC_* bits in @ccaps & @cmask; -ESRCH.
 */
long vc_set_ccaps(struct vx_call *c)
{
	struct vcmd_ctx_caps *arg = c->data;

	if (arg->ccaps & arg->cmask & ~VXC_MASK)
		return -EINVAL;
	vx_update_bits(c->vxi, &c->vxi->ccaps, arg->ccaps, arg->cmask,
		       VXC_MASK);
	return 0;
}
