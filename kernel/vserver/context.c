// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: security contexts -- lifecycle, membership and commands.
 *
 * A context (struct vx_info) is found by its xid in a small hash table.
 * The hash holds one reference, every member task one more.  Membership
 * is counted in @tasks: fork adds the child, exit removes the task.  When
 * the count drops to zero and the context is not persistent, it is
 * unhashed and its /proc/virtual directory removed; the memory goes when
 * the last reference does, after an RCU grace period, because other tasks
 * read a task's context pointer under rcu_read_lock().
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/capability.h>
#include <linux/hashtable.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/wait.h>

#include "internal.h"

#define VX_HASH_BITS	8

static DEFINE_HASHTABLE(vx_hash, VX_HASH_BITS);
static DEFINE_SPINLOCK(vx_hash_lock);
/* wait_exit sleepers: woken whenever a context ends. */
static DECLARE_WAIT_QUEUE_HEAD(vx_exit_wq);
static unsigned int vx_hashed;		/* contexts in vx_hash */
static u32 vx_dynamic_next = VX_ID_DYNAMIC_MIN;

/**
 * vx_xid_valid - check an xid a caller asks ctx_create for
 * @xid: the requested xid
 *
 * Return: 0 for a static xid or %VX_DYNAMIC_ID, -EINVAL otherwise (the
 * host, the spectator and the dynamic range cannot be asked for).
 */
int vx_xid_valid(u32 xid)
{
	if (xid == VX_DYNAMIC_ID)
		return 0;
	if (xid < VX_ID_STATIC_MIN || xid > VX_ID_STATIC_MAX)
		return -EINVAL;
	return 0;
}

/**
 * vx_check_flag_update - validate a flag word update
 * @old: the current flags
 * @flagword: the new values
 * @mask: the bits to change
 * @valid: the bits that exist
 * @one_time: state bits that can only be cleared
 *
 * The rule of set_cflags and set_nflags.
 *
 * Return: 0, or -EINVAL if @mask names a bit outside @valid or the update
 * would set a bit of @one_time that is clear.
 */
int vx_check_flag_update(u64 old, u64 flagword, u64 mask, u64 valid,
			 u64 one_time)
{
	if (mask & ~valid)
		return -EINVAL;
	if (flagword & mask & one_time & ~old)
		return -EINVAL;
	return 0;
}

/**
 * vx_check_flags - validate a set_cflags update
 * @old: the current flags
 * @flagword: the new values
 * @mask: the bits to change
 *
 * Return: see vx_check_flag_update() with the VXF_* bits.
 */
int vx_check_flags(u64 old, u64 flagword, u64 mask)
{
	return vx_check_flag_update(old, flagword, mask, VXF_MASK,
				    VXF_ONE_TIME);
}

static struct vx_info *__vx_find(u32 xid)
{
	struct vx_info *vxi;

	hash_for_each_possible_rcu(vx_hash, vxi, hlist, xid)
		if (vxi->xid == xid)
			return vxi;
	return NULL;
}

struct vx_info *vx_get(struct vx_info *vxi)
{
	refcount_inc(&vxi->usecnt);
	return vxi;
}

/* Free a context, also one only partly set up by vx_create(). */
static void vx_free(struct vx_info *vxi)
{
	put_pid(vxi->initpid);
	vx_sched_free(vxi);
	vx_limit_free(&vxi->limit);
	free_percpu(vxi->cacct);
	kfree(vxi);
}

static void vx_free_rcu(struct rcu_head *head)
{
	vx_free(container_of(head, struct vx_info, rcu));
}

void vx_put(struct vx_info *vxi)
{
	if (vxi && refcount_dec_and_test(&vxi->usecnt))
		call_rcu(&vxi->rcu, vx_free_rcu);
}

/**
 * vx_lookup - find a live context by xid
 * @xid: the xid
 *
 * Return: the context with a reference the caller must vx_put(), or NULL.
 */
struct vx_info *vx_lookup(u32 xid)
{
	struct vx_info *vxi;

	rcu_read_lock();
	vxi = __vx_find(xid);
	if (vxi && !refcount_inc_not_zero(&vxi->usecnt))
		vxi = NULL;
	rcu_read_unlock();
	return vxi;
}

unsigned int vx_count(void)
{
	return READ_ONCE(vx_hashed);
}

/* Pick a free dynamic xid; called under vx_hash_lock. */
static u32 vx_dynamic_xid(void)
{
	u32 n, xid = vx_dynamic_next;

	for (n = 0; n <= VX_ID_DYNAMIC_MAX - VX_ID_DYNAMIC_MIN; n++) {
		if (xid > VX_ID_DYNAMIC_MAX)
			xid = VX_ID_DYNAMIC_MIN;
		if (!__vx_find(xid)) {
			vx_dynamic_next = xid + 1;
			return xid;
		}
		xid++;
	}
	return 0;
}

/*
 * Remove a context nobody may join any more from /proc and the hash.  The
 * /proc directory goes first, so that a new context with the same xid,
 * which can only be created once this one left the hash, never finds its
 * name taken.
 */
static void vx_unhash(struct vx_info *vxi)
{
	vx_proc_detach(vxi);
	vx_spaces_release(vxi);
	spin_lock(&vx_hash_lock);
	hash_del_rcu(&vxi->hlist);
	vx_hashed--;
	spin_unlock(&vx_hash_lock);
	WRITE_ONCE(vxi->gone, true);
	wake_up_all(&vx_exit_wq);
	/* After the xid is free: the helper may start the guest again. */
	vx_helper_shutdown(vxi);
	vx_put(vxi);		/* the hash's reference */
}

/**
 * vx_create - create and hash a new context
 * @xid: a static xid, or %VX_DYNAMIC_ID
 * @flags: its initial VXF_* flags
 *
 * Return: the context, with a reference for the caller, or ERR_PTR():
 * -EEXIST if @xid is taken (-EBUSY while that context is still being set
 * up), -EAGAIN if no dynamic xid is free, -ENOMEM.
 */
struct vx_info *vx_create(u32 xid, u64 flags)
{
	struct vx_info *vxi, *old;
	int ret;

	vxi = kzalloc(sizeof(*vxi), GFP_KERNEL);
	if (!vxi)
		return ERR_PTR(-ENOMEM);
	/* Per CPU: every send and receive of a guest counts here. */
	vxi->cacct = alloc_percpu(struct vx_cacct);
	if (!vxi->cacct || vx_limit_init(&vxi->limit)) {
		vx_free(vxi);
		return ERR_PTR(-ENOMEM);
	}
	refcount_set(&vxi->usecnt, 2);	/* the hash and the caller */
	spin_lock_init(&vxi->lock);
	vxi->flags = flags;
	vxi->bcaps = CAP_VALID_MASK;
	vxi->start_ns = ktime_get_boottime_ns();

	spin_lock(&vx_hash_lock);
	if (xid == VX_DYNAMIC_ID) {
		xid = vx_dynamic_xid();
		if (!xid) {
			spin_unlock(&vx_hash_lock);
			vx_free(vxi);
			return ERR_PTR(-EAGAIN);
		}
	} else {
		old = __vx_find(xid);
		if (old) {
			ret = READ_ONCE(old->flags) & VXF_STATE_SETUP ?
				-EBUSY : -EEXIST;
			spin_unlock(&vx_hash_lock);
			vx_free(vxi);
			return ERR_PTR(ret);
		}
	}
	vxi->xid = xid;
	hash_add_rcu(vx_hash, &vxi->hlist, xid);
	vx_hashed++;
	spin_unlock(&vx_hash_lock);

	ret = vx_proc_attach(vxi);
	if (ret) {
		spin_lock(&vxi->lock);
		vxi->dead = true;
		spin_unlock(&vxi->lock);
		vx_unhash(vxi);
		vx_put(vxi);
		return ERR_PTR(ret);
	}
	return vxi;
}

/* Drop a task from its context's member count; may end the context. */
static void vx_leave(struct vx_info *vxi)
{
	bool last;

	spin_lock(&vxi->lock);
	last = !--vxi->tasks && !(vxi->flags & VXF_PERSISTENT) && !vxi->dead;
	if (last)
		vxi->dead = true;
	spin_unlock(&vxi->lock);
	if (last)
		vx_unhash(vxi);
}

/**
 * vx_migrate_current - move the calling task into a context
 * @vxi: the target context
 *
 * The caller must be single-threaded: a process never straddles two
 * contexts.  Moving out of a guest is refused by switch.c before we get
 * here; a task already in @vxi stays.
 *
 * Return: 0, -EBUSY for a multi-threaded caller, -ESRCH if @vxi has just
 * died, -ENOMEM.
 */
int vx_migrate_current(struct vx_info *vxi)
{
	struct vx_task *vt = vx_task(current);
	struct vx_info *old = vt->vxi;

	int ret;

	if (old == vxi)
		return 0;
	if (!thread_group_empty(current))
		return -EBUSY;

	spin_lock(&vxi->lock);
	if (vxi->dead) {
		spin_unlock(&vxi->lock);
		return -ESRCH;
	}
	vxi->tasks++;
	spin_unlock(&vxi->lock);

	/* Only now, with the context held alive by our count: the creds. */
	ret = vx_cred_enter(vxi);
	if (ret) {
		vx_leave(vxi);
		return ret;
	}

	WRITE_ONCE(vt->vxi, vx_get(vxi));
	WRITE_ONCE(vt->xid, vxi->xid);
	/* Still the host's program: out of the guest's reach until exec. */
	WRITE_ONCE(vt->entered, true);
	if (old) {
		if (vt->counted)
			vx_leave(old);
		vx_put(old);
	}
	vt->counted = true;
	vx_sched_migrate(current);
	vx_badness_enter(vxi);
	return 0;
}

/**
 * vx_set_flags - apply a set_cflags update
 * @vxi: the context
 * @flagword: the new values
 * @mask: the bits to change
 *
 * Clearing %VXF_STATE_INIT from inside the context makes the caller the
 * context's init.  Clearing %VXF_STATE_SETUP bounds the credentials of
 * its tasks (cred.c).  Clearing %VXF_PERSISTENT from a context without
 * tasks ends it.
 *
 * Return: 0 or -EINVAL (see vx_check_flags()).
 */
int vx_set_flags(struct vx_info *vxi, u64 flagword, u64 mask)
{
	struct pid *newinit = NULL, *oldinit = NULL;
	bool end;
	u64 old;

	if (vx_task(current)->vxi == vxi)
		newinit = get_pid(task_tgid(current));

	spin_lock(&vxi->lock);
	old = vxi->flags;
	if (vx_check_flags(old, flagword, mask)) {
		spin_unlock(&vxi->lock);
		put_pid(newinit);
		return -EINVAL;
	}
	vxi->flags = (old & ~mask) | (flagword & mask);
	if (newinit && (old & ~vxi->flags & VXF_STATE_INIT)) {
		oldinit = vxi->initpid;
		vxi->initpid = newinit;
		newinit = NULL;
	}
	end = !vxi->tasks && !(vxi->flags & VXF_PERSISTENT) && !vxi->dead;
	if (end)
		vxi->dead = true;
	spin_unlock(&vxi->lock);

	put_pid(newinit);
	put_pid(oldinit);
	vx_sched_flags_changed(vxi);
	if (old & ~flagword & mask & VXF_STATE_SETUP)
		vx_cred_bound_members(vxi);
	if (end)
		vx_unhash(vxi);
	return 0;
}

/* ---- LSM task hooks ---- */

static int vx_task_alloc(struct task_struct *task, unsigned long clone_flags)
{
	struct vx_task *parent = vx_task(current), *child = vx_task(task);
	struct vx_info *vxi = parent->vxi;

	child->xid = parent->xid;
	child->entered = parent->entered;
	nx_task_alloc(task);
	if (!vxi)
		return 0;
	/* The parent is a member, so the context cannot be dead. */
	spin_lock(&vxi->lock);
	vxi->tasks++;
	spin_unlock(&vxi->lock);
	child->vxi = vx_get(vxi);
	child->counted = true;
	return 0;
}

/* Called from do_exit(): the task leaves its context's member count. */
void vx_exit_task(struct task_struct *task)
{
	struct vx_task *vt = vx_task(task);
	struct vx_info *vxi = vt->vxi;

	nx_task_exit(task);
	if (!vt->counted)
		return;
	vt->counted = false;
	/* The exit status of the context's init, for wait_exit. */
	if (thread_group_leader(task)) {
		spin_lock(&vxi->lock);
		if (vxi->initpid && task_tgid(task) == vxi->initpid)
			vxi->exit_code = task->exit_code;
		spin_unlock(&vxi->lock);
	}
	vx_leave(vxi);
}

/* Can run in interrupt context: only drop the reference. */
static void vx_task_free(struct task_struct *task)
{
	struct vx_task *vt = vx_task(task);

	/* A fork that failed after task_alloc never reaches do_exit(). */
	if (vt->counted && !in_interrupt())
		vx_exit_task(task);
	WARN_ON_ONCE(vt->counted);
	vx_put(vt->vxi);
	vt->vxi = NULL;
	nx_task_free(task);
}

u32 vx_task_xid(const struct task_struct *task)
{
	return READ_ONCE(vx_task(task)->xid);
}

static struct security_hook_list vx_task_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_alloc, vx_task_alloc),
	LSM_HOOK_INIT(task_free, vx_task_free),
};

void __init vx_add_task_hooks(void)
{
	security_add_hooks(vx_task_hooks, ARRAY_SIZE(vx_task_hooks),
			   &vserver_lsmid);
}

/* ---- commands ---- */

/**
 * vc_task_xid - VCMD_task_xid: the xid of a task
 * @c: @c->id is a pid in the caller's pid namespace, 0 for the caller
 *
 * Return: the xid; -ESRCH if there is no such task or it is in another
 * guest's context (a guest only sees its own tasks).
 */
long vc_task_xid(struct vx_call *c)
{
	struct task_struct *task;
	u32 xid, self = vx_current_xid();

	if (!c->id)
		return self;
	rcu_read_lock();
	task = find_task_by_vpid(c->id);
	xid = task ? vx_task_xid(task) : 0;
	rcu_read_unlock();
	if (!task)
		return -ESRCH;
	if (self > VX_ID_SPECTATOR && xid != self)
		return -ESRCH;
	return xid;
}

/**
 * vc_vx_info - VCMD_vx_info: xid and init pid of a context
 * @c: fills struct vcmd_vx_info
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_vx_info(struct vx_call *c)
{
	struct vcmd_vx_info *info = c->data;
	struct vx_info *vxi = c->vxi;

	info->xid = vxi->xid;
	spin_lock(&vxi->lock);
	info->initpid = vxi->initpid ? pid_vnr(vxi->initpid) : 0;
	spin_unlock(&vxi->lock);
	return 0;
}

/**
 * vc_ctx_stat - VCMD_ctx_stat: reference and task counts
 * @c: fills struct vcmd_ctx_stat
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_ctx_stat(struct vx_call *c)
{
	struct vcmd_ctx_stat *st = c->data;
	struct vx_info *vxi = c->vxi;

	/* Do not count the reference switch.c holds for this call. */
	st->usecnt = refcount_read(&vxi->usecnt) - 1;
	st->tasks = READ_ONCE(vxi->tasks);
	return 0;
}

/**
 * vc_ctx_create - VCMD_ctx_create: create a context and enter it
 * @c: @c->id is the xid or %VX_DYNAMIC_ID; struct vcmd_ctx_create, or no
 *	data for %VXF_INIT_SET
 *
 * Return: the new xid; -EINVAL for a bad xid or unknown flags, -EEXIST
 * (-EBUSY while in setup) if the xid is taken, -EAGAIN if no dynamic xid
 * is free, -EBUSY for a multi-threaded caller, -ENOMEM.
 */
long vc_ctx_create(struct vx_call *c)
{
	struct vcmd_ctx_create *arg = c->data;
	u64 flags = c->nodata ? VXF_INIT_SET : arg->flagword;
	struct vx_info *vxi;
	long ret;

	ret = vx_xid_valid(c->id);
	if (ret)
		return ret;
	if (flags & ~VXF_MASK)
		return -EINVAL;
	if (!thread_group_empty(current))
		return -EBUSY;

	vxi = vx_create(c->id, flags);
	if (IS_ERR(vxi))
		return PTR_ERR(vxi);
	ret = vx_migrate_current(vxi);
	if (!ret)
		ret = vxi->xid;
	else if (!(flags & VXF_PERSISTENT))
		vx_set_flags(vxi, 0, 0);	/* ends the empty context */
	vx_put(vxi);
	return ret;
}

/**
 * vc_ctx_migrate - VCMD_ctx_migrate: move the caller into a context
 * @c: @c->vxi is the target; struct vcmd_ctx_migrate (VXM_*), or no data
 *
 * The host may migrate into any context, or become a spectator (id 1); a
 * guest task only "migrates" into its own context, to become its init
 * (%VXM_SET_INIT).
 *
 * Return: 0; -EINVAL for unknown flags, -EACCES if the context is
 * %VXF_INFO_PRIVATE and set up, -EBUSY for a multi-threaded caller,
 * -ESRCH if the context ended.
 */
long vc_ctx_migrate(struct vx_call *c)
{
	struct vcmd_ctx_migrate *arg = c->data;
	u64 mflags = c->nodata ? 0 : arg->flagword;
	struct vx_info *vxi = c->vxi;
	struct pid *oldinit = NULL;
	u64 flags;
	int ret;

	if (mflags & ~VXM_MASK)
		return -EINVAL;
	if (!vxi) {
		/* id 1: the host becomes a spectator; it has no vx_info. */
		if (mflags || vx_task(current)->vxi)
			return -EINVAL;
		WRITE_ONCE(vx_task(current)->xid, VX_ID_SPECTATOR);
		return 0;
	}
	flags = READ_ONCE(vxi->flags);
	if ((flags & VXF_INFO_PRIVATE) && !(flags & VXF_STATE_SETUP))
		return -EACCES;

	ret = vx_migrate_current(vxi);
	if (ret)
		return ret;
	if (mflags & VXM_SET_INIT) {
		struct pid *pid = get_pid(task_tgid(current));

		spin_lock(&vxi->lock);
		oldinit = vxi->initpid;
		vxi->initpid = pid;
		vxi->flags &= ~VXF_STATE_INIT;
		spin_unlock(&vxi->lock);
		put_pid(oldinit);
	}
	return 0;
}

/**
 * vc_get_cflags - VCMD_get_cflags
 * @c: fills struct vcmd_ctx_flags; mask is all ones
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_get_cflags(struct vx_call *c)
{
	struct vcmd_ctx_flags *arg = c->data;

	arg->flagword = READ_ONCE(c->vxi->flags);
	arg->mask = ~0ULL;
	return 0;
}

/**
 * vc_set_cflags - VCMD_set_cflags: new = (old & ~mask) | (flagword & mask)
 * @c: struct vcmd_ctx_flags
 *
 * Return: 0; -EINVAL for unknown bits in @mask or for setting a one-time
 * state bit again; -ESRCH if the context does not exist.
 */
long vc_set_cflags(struct vx_call *c)
{
	struct vcmd_ctx_flags *arg = c->data;

	return vx_set_flags(c->vxi, arg->flagword, arg->mask);
}

/**
 * vc_ctx_kill - VCMD_ctx_kill: signal tasks of a context
 * @c: struct vcmd_ctx_kill
 *
 * pid 0 signals every process of the context, -1 every one but its init,
 * 1 its init, any other pid (in the caller's pid namespace) that process
 * if it belongs to the context.
 *
 * Return: 0; -EINVAL for a bad signal or pid, -ESRCH if no process
 * matched.
 */
long vc_ctx_kill(struct vx_call *c)
{
	struct vcmd_ctx_kill *arg = c->data;
	struct vx_info *vxi = c->vxi;
	struct task_struct *p;
	struct pid *init;
	int sig = arg->sig, pid = arg->pid, hit = 0, err = 0;

	if (sig < 0 || sig > _NSIG || pid < -1)
		return -EINVAL;

	spin_lock(&vxi->lock);
	init = get_pid(vxi->initpid);
	spin_unlock(&vxi->lock);

	rcu_read_lock();
	if (pid > 1 || (pid == 1 && init)) {
		p = pid == 1 ? pid_task(init, PIDTYPE_TGID) :
			       find_task_by_vpid(pid);
		if (p && vx_task(p)->vxi == vxi) {
			hit = 1;
			err = group_send_sig_info(sig, SEND_SIG_PRIV, p,
						  PIDTYPE_TGID);
		}
	} else if (pid <= 0) {
		for_each_process(p) {
			int r;

			if (vx_task(p)->vxi != vxi)
				continue;
			if (pid == -1 && init && task_tgid(p) == init)
				continue;
			hit++;
			r = group_send_sig_info(sig, SEND_SIG_PRIV, p,
						PIDTYPE_TGID);
			if (r && r != -ESRCH)
				err = r;
		}
	}
	rcu_read_unlock();
	put_pid(init);
	if (!hit)
		return -ESRCH;
	return err;
}

/**
 * vc_wait_exit - VCMD_wait_exit: wait until a context has ended
 * @c: fills struct vcmd_wait_exit
 *
 * Return: 0 once the context ended; -ERESTARTSYS if a signal came first;
 * -EDEADLK for a caller inside the context; -ESRCH if it does not exist.
 */
long vc_wait_exit(struct vx_call *c)
{
	struct vcmd_wait_exit *arg = c->data;
	struct vx_info *vxi = c->vxi;
	int ret;

	if (vx_task(current)->vxi == vxi)
		return -EDEADLK;
	ret = wait_event_interruptible(vx_exit_wq, READ_ONCE(vxi->gone));
	if (ret)
		return ret;
	spin_lock(&vxi->lock);
	arg->reboot_cmd = vxi->reboot_cmd;
	arg->exit_code = vxi->exit_code;
	spin_unlock(&vxi->lock);
	return 0;
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vx_test_xid_ranges(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vx_xid_valid(0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(2), 0);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(VX_ID_STATIC_MAX), 0);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(VX_ID_DYNAMIC_MIN), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(VX_ID_DYNAMIC_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(VX_DYNAMIC_ID), 0);
	KUNIT_EXPECT_EQ(test, vx_xid_valid(VX_ID_DYNAMIC_MAX + 1), -EINVAL);
}

static void vx_test_flag_rules(struct kunit *test)
{
	/* Known bits may be set and cleared. */
	KUNIT_EXPECT_EQ(test, vx_check_flags(0, VXF_PERSISTENT,
					     VXF_PERSISTENT), 0);
	KUNIT_EXPECT_EQ(test, vx_check_flags(VXF_PERSISTENT, 0,
					     VXF_PERSISTENT), 0);
	/* Unknown bits are refused, in the mask or in both. */
	KUNIT_EXPECT_EQ(test, vx_check_flags(0, 0, 1ULL << 63), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_check_flags(0, 1ULL << 40, 1ULL << 40),
			-EINVAL);
	/* Unknown bits outside the mask are ignored. */
	KUNIT_EXPECT_EQ(test, vx_check_flags(0, 1ULL << 63, VXF_INFO_HIDE),
			0);
	/* One-time bits: clearing is fine, setting again is not. */
	KUNIT_EXPECT_EQ(test, vx_check_flags(VXF_STATE_SETUP, 0,
					     VXF_STATE_SETUP), 0);
	KUNIT_EXPECT_EQ(test, vx_check_flags(0, VXF_STATE_SETUP,
					     VXF_STATE_SETUP), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_check_flags(VXF_STATE_SETUP,
					     VXF_STATE_SETUP,
					     VXF_STATE_SETUP), 0);
}

static void vx_test_lifecycle(struct kunit *test)
{
	struct vx_info *vxi, *found;
	unsigned int before = vx_count();

	vxi = vx_create(VX_DYNAMIC_ID, VXF_PERSISTENT);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vxi));
	KUNIT_EXPECT_GE(test, vxi->xid, (u32)VX_ID_DYNAMIC_MIN);
	KUNIT_EXPECT_LE(test, vxi->xid, (u32)VX_ID_DYNAMIC_MAX);
	KUNIT_EXPECT_EQ(test, vx_count(), before + 1);

	found = vx_lookup(vxi->xid);
	KUNIT_EXPECT_PTR_EQ(test, found, vxi);
	vx_put(found);

	/* The xid is taken now. */
	found = vx_create(vxi->xid, 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(found));

	/* A persistent context without tasks ends when the flag goes. */
	KUNIT_EXPECT_EQ(test, vx_set_flags(vxi, 0, VXF_PERSISTENT), 0);
	KUNIT_EXPECT_TRUE(test, vxi->dead);
	KUNIT_EXPECT_NULL(test, vx_lookup(vxi->xid));
	KUNIT_EXPECT_EQ(test, vx_count(), before);
	vx_put(vxi);
}

static void vx_test_dynamic_unique(struct kunit *test)
{
	struct vx_info *a, *b;

	a = vx_create(VX_DYNAMIC_ID, VXF_PERSISTENT);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = vx_create(VX_DYNAMIC_ID, VXF_PERSISTENT);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_NE(test, a->xid, b->xid);
	vx_set_flags(a, 0, VXF_PERSISTENT);
	vx_set_flags(b, 0, VXF_PERSISTENT);
	vx_put(a);
	vx_put(b);
}

static struct kunit_case vx_context_cases[] = {
	KUNIT_CASE(vx_test_xid_ranges),
	KUNIT_CASE(vx_test_flag_rules),
	KUNIT_CASE(vx_test_lifecycle),
	KUNIT_CASE(vx_test_dynamic_unique),
	{}
};

static struct kunit_suite vx_context_suite = {
	.name = "vserver_context",
	.test_cases = vx_context_cases,
};

kunit_test_suite(vx_context_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
