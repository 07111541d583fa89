// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: per-context resource limits.
 *
 * Every context counts what its tasks allocate and refuses an allocation
 * that would take it beyond the hard limit, with the error a program
 * expects from that allocation:
 *
 *   RLIMIT_NPROC     tasks (threads)     fork/clone        EAGAIN
 *   RLIMIT_NOFILE,   open files          open, pipe, ...   ENFILE
 *   VLIMIT_OPENFD    (one count, two limits)
 *   RLIMIT_LOCKS     file locks          fcntl, flock      ENOLCK
 *   VLIMIT_NSOCK     sockets             socket, accept    ENOBUFS
 *   RLIMIT_MSGQUEUE  SysV queue bytes    msgget            ENOSPC
 *   VLIMIT_SHMEM     SysV shm pages      shmget            ENOSPC
 *   VLIMIT_SEMARY    SysV semaphore sets semget            ENOSPC
 *   VLIMIT_NSEMS     SysV semaphores     semget            ENOSPC
 *   RLIMIT_AS        address space       mmap, brk, ...    ENOMEM
 *
 * Counting uses LSM hooks: the charge happens in the allocation hook and
 * the object's blob keeps a reference to the context it was charged to, so
 * the free hook releases exactly that charge -- also after the task moved
 * on or the context ended.  The sizes of SysV shared memory and semaphore
 * sets are not known to the LSM hooks; ipc/ allocates their blobs through
 * vx_shm_alloc() and vx_sem_alloc(), which charge them.  The task count is
 * the context's own member count (context.c), so a task migrating between
 * contexts moves its count with it.  The address space is the sum of the
 * context's processes' mappings, added up when a mapping grows while a
 * limit is set (mm/mmap.c calls vx_may_expand_vm()) and when read;
 * RLIMIT_RSS, RLIMIT_MEMLOCK and VLIMIT_ANON (resident anonymous pages)
 * are reported the same way.  Resident memory is limited by the
 * context's memory cgroup, not here.  File locks are counted where
 * fs/locks.c adds them to and removes them from an inode's lists (patch
 * 0062), each lock keeping the context it was charged to.  VLIMIT_DENTRY
 * is neither counted nor limited: dentries are a cache shared by every
 * context and reclaimed under pressure, not something a context owns.
 *
 * The minimum and soft limits are stored and reported for util-vserver's
 * tools; only the hard limit refuses.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/filelock.h>
#include <linux/fs.h>
#include <linux/ipc.h>
#include <linux/ipc_namespace.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/nsproxy.h>
#include <linux/oom.h>
#include <linux/percpu_counter.h>
#include <linux/resource.h>
#include <linux/security.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <net/sock.h>

#include "internal.h"

/* Resources whose hard limit is enforced (get_rlimit_mask). */
#define VX_LIMIT_MASK	(BIT(RLIMIT_NPROC) | BIT(RLIMIT_NOFILE) | \
			 BIT(RLIMIT_LOCKS) | \
			 BIT(RLIMIT_AS) | BIT(RLIMIT_MSGQUEUE) | \
			 BIT(VLIMIT_NSOCK) | BIT(VLIMIT_OPENFD) | \
			 BIT(VLIMIT_SHMEM) | BIT(VLIMIT_SEMARY) | \
			 BIT(VLIMIT_NSEMS))
/*
 * Resources with a soft limit: also RSS, whose soft limit refuses forks
 * of a context with VXF_FORK_RSS (its hard limit is the memory cgroup's).
 */
#define VX_SOFT_MASK	(VX_LIMIT_MASK | BIT(RLIMIT_RSS))
/* Resources rlimit_stat reports. */
#define VX_STAT_MASK	(VX_LIMIT_MASK | BIT(RLIMIT_RSS) | \
			 BIT(RLIMIT_MEMLOCK) | BIT(VLIMIT_ANON))

/* The names of /proc/virtual/<xid>/limit, as Linux-VServer printed them. */
static const char *const vx_limit_names[VLIMIT_NR] = {
	[RLIMIT_NPROC] = "PROC",
	[RLIMIT_AS] = "VM",
	[RLIMIT_MEMLOCK] = "VML",
	[RLIMIT_RSS] = "RSS",
	[VLIMIT_ANON] = "ANON",
	[RLIMIT_NOFILE] = "FILES",
	[VLIMIT_OPENFD] = "OFD",
	[RLIMIT_LOCKS] = "LOCKS",
	[VLIMIT_NSOCK] = "SOCK",
	[RLIMIT_MSGQUEUE] = "MSGQ",
	[VLIMIT_SHMEM] = "SHM",
	[VLIMIT_SEMARY] = "SEMA",
	[VLIMIT_NSEMS] = "SEMS",
};

/* Display order of /proc/virtual/<xid>/limit. */
static const u8 vx_limit_order[] = {
	RLIMIT_NPROC, RLIMIT_AS, RLIMIT_MEMLOCK, RLIMIT_RSS, VLIMIT_ANON,
	RLIMIT_NOFILE,
	VLIMIT_OPENFD, RLIMIT_LOCKS, VLIMIT_NSOCK, RLIMIT_MSGQUEUE, VLIMIT_SHMEM,
	VLIMIT_SEMARY, VLIMIT_NSEMS,
};

/**
 * vx_limit_init - set up the counters of a new context: no limits
 * @limit: the counters, zeroed
 *
 * Return: 0 or -ENOMEM.
 */
int vx_limit_init(struct vx_limit *limit)
{
	int id;

	for (id = 0; id < VLIMIT_NR; id++) {
		limit->res[id].minimum = 0;
		limit->res[id].soft = CRLIM_INFINITY;
		limit->res[id].hard = CRLIM_INFINITY;
	}
	atomic_long_set(&limit->files, 0);
	raw_spin_lock_init(&limit->files_lock);
	limit->files_local = alloc_percpu(long);
	return limit->files_local ? 0 : -ENOMEM;
}

/* Undo vx_limit_init(); may run from an RCU callback. */
void vx_limit_free(struct vx_limit *limit)
{
	free_percpu(limit->files_local);
}

static inline struct vx_ipc *vx_ipc(const struct kern_ipc_perm *perm)
{
	return perm->security + vserver_blob_sizes.lbs_ipc;
}

/* The caller's context, or NULL for the host (no reference taken). */
static struct vx_info *vx_limit_current(void)
{
	return vx_task(current)->vxi;
}

/* Record @v in the minimum and maximum seen. */
static void vx_rlim_seen(struct vx_rlim *r, long v)
{
	long old = atomic_long_read(&r->vmax);

	while (v > old && !atomic_long_try_cmpxchg(&r->vmax, &old, v))
		;
	old = atomic_long_read(&r->vmin);
	while (v < old && !atomic_long_try_cmpxchg(&r->vmin, &old, v))
		;
}

/* Would @v exceed the hard limit of @r?  Counts a hit if so. */
static bool vx_rlim_over(struct vx_rlim *r, u64 v)
{
	u64 hard = READ_ONCE(r->hard);

	if (hard == CRLIM_INFINITY || v <= hard)
		return false;
	atomic_inc(&r->hits);
	return true;
}

/**
 * vx_charge - charge @n units of resource @id to a context
 * @vxi: the context
 * @id: the limit id
 * @n: the amount
 *
 * Return: true if charged, false (and a hit counted) if the hard limit
 * does not allow it.
 */
static bool vx_charge(struct vx_info *vxi, unsigned int id, long n)
{
	struct vx_rlim *r = &vxi->limit.res[id];
	long v = atomic_long_add_return(n, &r->value);

	if (vx_rlim_over(r, v)) {
		atomic_long_sub(n, &r->value);
		return false;
	}
	vx_rlim_seen(r, v);
	return true;
}

static void vx_uncharge(struct vx_info *vxi, unsigned int id, long n)
{
	struct vx_rlim *r = &vxi->limit.res[id];

	vx_rlim_seen(r, atomic_long_sub_return(n, &r->value));
}

/* ---- memory: added up over the context's processes ---- */

/**
 * struct vx_vm - memory of a context's processes, in pages
 * @total: mapped (total_vm)
 * @rss: resident
 * @anon: resident anonymous (MM_ANONPAGES)
 * @locked: locked (locked_vm)
 */
struct vx_vm {
	unsigned long total, rss, anon, locked;
};

/*
 * Add up the mm of every process of @vxi, leaving out @skip's thread
 * group (whose new mm the caller counts itself).  Each mm is read under
 * its task's lock, which exit_mm() takes before it lets go of the mm.
 * @anon: also the exact resident anonymous pages, which walk every CPU's
 * counter of each mm: only for those who ask for them.
 */
static void vx_sum_vm(struct vx_info *vxi, struct task_struct *skip,
		      bool anon, struct vx_vm *vm)
{
	struct task_struct *p, *t;
	struct mm_struct *mm;

	memset(vm, 0, sizeof(*vm));
	rcu_read_lock();
	for_each_process(p) {
		if (vx_task(p)->vxi != vxi || (skip && same_thread_group(p, skip)))
			continue;
		/* A leader that already exited: another thread has the mm. */
		t = find_lock_task_mm(p);
		if (!t)
			continue;
		mm = t->mm;
		vm->total += READ_ONCE(mm->total_vm);
		vm->locked += READ_ONCE(mm->locked_vm);
		vm->rss += get_mm_rss(mm);
		/* Exact: the per-CPU deltas of a small process matter. */
		if (anon)
			vm->anon += percpu_counter_sum_positive(&mm->rss_stat[MM_ANONPAGES]);
		task_unlock(t);
	}
	rcu_read_unlock();
}

/**
 * vx_may_expand_vm - may the caller's context map @npages more pages?
 * @mm: the mm that grows (the caller's, or the new one during exec)
 * @npages: by how much
 *
 * Called from may_expand_vm().  Only a context with an RLIMIT_AS hard
 * limit pays for adding up its processes' mappings.
 *
 * Return: false if the context's RLIMIT_AS would be exceeded.
 */
bool vx_may_expand_vm(struct mm_struct *mm, unsigned long npages)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_rlim *r;
	struct vx_vm vm;
	u64 v;

	if (!vxi)
		return true;
	r = &vxi->limit.res[RLIMIT_AS];
	if (READ_ONCE(r->hard) == CRLIM_INFINITY)
		return true;
	vx_sum_vm(vxi, current, false, &vm);
	v = vm.total + READ_ONCE(mm->total_vm) + npages;
	if (vx_rlim_over(r, v))
		return false;
	vx_rlim_seen(r, v);
	return true;
}

/*
 * A file is charged to the context of the credentials it was opened with
 * (file->f_cred, whose reference pins the context until the file is
 * freed) and uncharged when it goes, maybe long after the context's last
 * task: a descriptor passed to the host.  Every open and close of a guest
 * passes here, so the count is kept per CPU and the common case is one
 * CPU-local add and two compares: files_local[cpu] moves between
 * -VX_FILES_BATCH and VX_FILES_BATCH and is folded into files when it
 * reaches either end.  The count is summed exactly when it is read, and
 * when a hard limit is near.  The maximum seen is an estimate between
 * reads: the folded count plus this CPU's part, exact for a context on
 * one CPU, otherwise off (either way) by less than VX_FILES_BATCH per
 * other CPU; the minimum is taken when the figures are read (as both
 * are, exactly, whenever they are read).
 */
#define VX_FILES_BATCH	32

/*
 * Files are opened and freed in task context, except that fput() frees a
 * file that was never opened right away, in any context: the per-CPU
 * updates are interrupt-safe and the lock is taken with interrupts off.
 */
static void vx_files_fold(struct vx_limit *l)
{
	unsigned long flags;
	long v;

	raw_spin_lock_irqsave(&l->files_lock, flags);
	v = __this_cpu_read(*l->files_local);
	atomic_long_add(v, &l->files);
	__this_cpu_sub(*l->files_local, v);
	raw_spin_unlock_irqrestore(&l->files_lock, flags);
}

/* The exact count: folded part and every CPU's. */
static long vx_files_sum(struct vx_limit *l)
{
	unsigned long flags;
	long sum;
	int cpu;

	raw_spin_lock_irqsave(&l->files_lock, flags);
	sum = atomic_long_read(&l->files);
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(l->files_local, cpu));
	raw_spin_unlock_irqrestore(&l->files_lock, flags);
	return sum;
}

/*
 * With a hard limit set: is the count (this file included) beyond it?
 * The folded part is off by less than VX_FILES_BATCH per CPU; only near
 * the limit is the count summed.  Possible CPUs, not online ones: an
 * offline CPU keeps its part (there is no hotplug callback to fold it).
 */
static bool vx_files_over(struct vx_limit *l, u64 hard)
{
	long slack = (long)VX_FILES_BATCH * num_possible_cpus();
	long folded = atomic_long_read(&l->files);

	if (hard > LONG_MAX || folded + slack <= (long)hard)
		return false;
	return vx_files_sum(l) > (long)hard;
}

static struct vx_info *vx_file_vxi(const struct file *file)
{
	return vx_cred(file->f_cred)->vxi;
}

/* vx_file_charge() with a hard limit set or a new maximum seen. */
static noinline bool vx_file_charge_slow(struct vx_info *vxi, long seen)
{
	struct vx_limit *l = &vxi->limit;
	struct vx_rlim *r = &l->res[RLIMIT_NOFILE];
	struct vx_rlim *ofd = &l->res[VLIMIT_OPENFD];
	u64 nofile = READ_ONCE(r->hard), openfd = READ_ONCE(ofd->hard);
	u64 hard = min(nofile, openfd);

	/*
	 * This CPU's increment must be visible before the shared count is
	 * read: two files charged at once near the limit, one here and one
	 * summing, must not both miss the other.
	 */
	smp_mb();
	/* OPENFD has no count of its own: it is the same number. */
	if (hard != CRLIM_INFINITY && vx_files_over(l, hard)) {
		atomic_inc(nofile == hard ? &r->hits : &ofd->hits);
		return false;
	}
	vx_rlim_seen(r, seen);
	return true;
}

/*
 * Charge a file to @vxi: false (and a hit counted) beyond a hard limit.
 * A refused file stays counted: security_file_alloc() frees what it
 * refused through security_file_free(), whose hook uncharges it.
 */
static bool vx_file_charge(struct vx_info *vxi)
{
	struct vx_limit *l = &vxi->limit;
	struct vx_rlim *r = &l->res[RLIMIT_NOFILE];
	long local, seen;

	preempt_disable();
	local = this_cpu_inc_return(*l->files_local);
	if (unlikely(local >= VX_FILES_BATCH)) {
		vx_files_fold(l);
		local = 0;
	}
	seen = atomic_long_read(&l->files) + local;
	preempt_enable();
	/* No limit, no new maximum: the common case. */
	if (likely((READ_ONCE(r->hard) &
		    READ_ONCE(l->res[VLIMIT_OPENFD].hard)) == CRLIM_INFINITY &&
		   seen <= atomic_long_read(&r->vmax)))
		return true;
	return vx_file_charge_slow(vxi, seen);
}

static void vx_file_uncharge(struct vx_info *vxi)
{
	struct vx_limit *l = &vxi->limit;

	preempt_disable();
	if (unlikely(this_cpu_dec_return(*l->files_local) <= -VX_FILES_BATCH))
		vx_files_fold(l);
	preempt_enable();
}

/* Current value of resource @id of @vxi. */
static u64 vx_limit_value(struct vx_info *vxi, unsigned int id)
{
	struct vx_vm vm;

	switch (id) {
	case RLIMIT_NPROC:
		return READ_ONCE(vxi->tasks);
	case RLIMIT_AS:
	case RLIMIT_RSS:
	case RLIMIT_MEMLOCK:
	case VLIMIT_ANON:
		vx_sum_vm(vxi, NULL, id == VLIMIT_ANON, &vm);
		return id == RLIMIT_AS ? vm.total :
		       id == RLIMIT_RSS ? vm.rss :
		       id == VLIMIT_ANON ? vm.anon : vm.locked;
	case RLIMIT_NOFILE:
	case VLIMIT_OPENFD:
		return max(vx_files_sum(&vxi->limit), 0L);
	}
	return atomic_long_read(&vxi->limit.res[id].value);
}

/* Minimum and maximum seen, brought up to date with the value now. */
static void vx_limit_minmax(struct vx_info *vxi, unsigned int id, u64 *value,
			    u64 *vmin, u64 *vmax)
{
	struct vx_rlim *r = &vxi->limit.res[id == VLIMIT_OPENFD ?
					    RLIMIT_NOFILE : id];

	*value = vx_limit_value(vxi, id);
	vx_rlim_seen(r, *value);
	*vmin = atomic_long_read(&r->vmin);
	*vmax = atomic_long_read(&r->vmax);
}

/* ---- OOM badness ---- */

/* Give @p's process the context's badness: its score and its floor. */
static void vx_badness_apply(struct task_struct *p, short bias)
{
	WRITE_ONCE(p->signal->oom_score_adj, bias);
	WRITE_ONCE(p->signal->oom_score_adj_min, bias);
}

/**
 * vx_badness_enter - a task entered @vxi: give it the context's badness
 * @vxi: the context, set by set_badness or not
 */
void vx_badness_enter(struct vx_info *vxi)
{
	if (READ_ONCE(vxi->has_badness))
		vx_badness_apply(current, READ_ONCE(vxi->badness));
}

/**
 * vc_get_badness - VCMD_get_badness
 * @c: fills struct vcmd_badness: the bias set, or 0
 *
 * Return: 0; -ESRCH.
 */
long vc_get_badness(struct vx_call *c)
{
	struct vcmd_badness *arg = c->data;

	arg->bias = READ_ONCE(c->vxi->badness);
	return 0;
}

/**
 * vc_set_badness - VCMD_set_badness: the OOM killer's view of a context
 * @c: struct vcmd_badness
 *
 * Every process of the context, and every process that enters it later,
 * gets @bias (clamped to -1000..1000) as its oom_score_adj and as the
 * floor below which its root cannot go without %VXC_OOM_ADJUST; forks
 * inherit both.  Linux-VServer added the bias to the badness score; the
 * kernel's oom_score_adj is the same knob on today's scale.
 *
 * Return: 0; -ESRCH.
 */
long vc_set_badness(struct vx_call *c)
{
	struct vcmd_badness *arg = c->data;
	struct vx_info *vxi = c->vxi;
	short bias = clamp_t(s64, arg->bias, OOM_SCORE_ADJ_MIN,
			     OOM_SCORE_ADJ_MAX);
	struct task_struct *p;

	spin_lock(&vxi->lock);
	WRITE_ONCE(vxi->badness, bias);
	WRITE_ONCE(vxi->has_badness, true);
	spin_unlock(&vxi->lock);
	rcu_read_lock();
	for_each_process(p)
		if (vx_task(p)->vxi == vxi)
			vx_badness_apply(p, bias);
	rcu_read_unlock();
	return 0;
}

/* ---- file locks: fs/locks.c (patch 0062) ---- */

/**
 * vx_lock_charge - a lock enters an inode's lock list
 * @flc: the lock
 *
 * Charged to the caller's context, which the lock keeps until it leaves.
 * Never refuses: a request asks vx_locks_avail() before it adds locks
 * (a lock that only replaces another one is not asked for).
 */
void vx_lock_charge(struct file_lock_core *flc)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_rlim *r;

	if (!vxi || flc->flc_vxi)
		return;
	r = &vxi->limit.res[RLIMIT_LOCKS];
	vx_rlim_seen(r, atomic_long_inc_return(&r->value));
	flc->flc_vxi = vx_get(vxi);
}

/**
 * vx_lock_uncharge - a lock leaves an inode's lock list
 * @flc: the lock
 *
 * Gives the charge back to the context it was charged to.  Runs under
 * the inode's flc_lock: only atomics and vx_put().
 */
void vx_lock_uncharge(struct file_lock_core *flc)
{
	struct vx_info *vxi = flc->flc_vxi;

	if (!vxi)
		return;
	flc->flc_vxi = NULL;
	vx_uncharge(vxi, RLIMIT_LOCKS, 1);
	vx_put(vxi);
}

/**
 * vx_locks_avail - may the caller's context hold @n more file locks?
 * @n: how many a request adds (0: none, always allowed)
 *
 * Return: false, with a hit counted, if that goes beyond RLIMIT_LOCKS.
 */
bool vx_locks_avail(unsigned int n)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_rlim *r;

	if (!vxi || !n)
		return true;
	r = &vxi->limit.res[RLIMIT_LOCKS];
	return !vx_rlim_over(r, atomic_long_read(&r->value) + n);
}

/* ---- LSM hooks ---- */

/*
 * Runs after context.c's task_alloc hook, which has already counted the
 * child in its context: refuse if that count is now beyond the limit.
 * The failed fork's task_free takes the count back.
 */
/*
 * VXF_FORK_RSS: no new task while the context's resident memory is above
 * its RSS soft limit.  Adding it up walks the context's tasks, which is
 * done only when both the flag and a soft limit are set.
 */
static int vx_fork_rss(struct vx_info *vxi)
{
	struct vx_rlim *r = &vxi->limit.res[RLIMIT_RSS];
	u64 soft = READ_ONCE(r->soft);

	if (!(READ_ONCE(vxi->flags) & VXF_FORK_RSS) || soft == CRLIM_INFINITY)
		return 0;
	if (vx_limit_value(vxi, RLIMIT_RSS) <= soft)
		return 0;
	atomic_inc(&r->hits);
	return -ENOMEM;
}

static int vx_limit_task_alloc(struct task_struct *task,
			       unsigned long clone_flags)
{
	struct vx_info *vxi = vx_task(task)->vxi;
	struct vx_rlim *r;
	unsigned int n;

	if (!vxi)
		return 0;
	r = &vxi->limit.res[RLIMIT_NPROC];
	n = READ_ONCE(vxi->tasks);
	if (vx_rlim_over(r, n))
		return -EAGAIN;
	vx_rlim_seen(r, n);
	return vx_fork_rss(vxi);
}

static int vx_limit_file_alloc(struct file *file)
{
	struct vx_info *vxi = vx_file_vxi(file);

	if (!vxi)
		return 0;
	vx_file(file)->charged = true;
	return vx_file_charge(vxi) ? 0 : -ENFILE;
}

/*
 * security_file_free() runs every LSM's hook, also when an LSM before
 * vserver refused the file and vserver's alloc hook never ran.
 */
static void vx_limit_file_free(struct file *file)
{
	if (vx_file(file)->charged)
		vx_file_uncharge(vx_file_vxi(file));
}

/* Charge @sk to the caller's context; -ENOBUFS beyond the limit. */
static int vx_limit_sock_charge(struct sock *sk)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_sock *vs = vx_sock(sk);

	if (!vxi || vs->limit_vxi)
		return 0;
	if (!vx_charge(vxi, VLIMIT_NSOCK, 1))
		return -ENOBUFS;
	vs->limit_vxi = vx_get(vxi);
	return 0;
}

/* socket(2), socketpair(2): a failure here releases the new socket. */
static int vx_limit_socket_post_create(struct socket *sock, int family,
				       int type, int protocol, int kern)
{
	if (kern || !sock->sk)
		return 0;
	return vx_limit_sock_charge(sock->sk);
}

/*
 * accept(2): the connection's sock exists before anyone accepts it (it
 * may be created in softirq context), so it is charged when grafted onto
 * the accepting task's socket; the limit is checked here, before.
 */
static int vx_limit_socket_accept(struct socket *sock, struct socket *newsock)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_rlim *r;

	if (!vxi)
		return 0;
	r = &vxi->limit.res[VLIMIT_NSOCK];
	if (vx_rlim_over(r, atomic_long_read(&r->value) + 1))
		return -ENOBUFS;
	return 0;
}

static void vx_limit_sock_graft(struct sock *sk, struct socket *parent)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_sock *vs = vx_sock(sk);

	if (!vxi || vs->limit_vxi || !in_task())
		return;
	/* Checked in socket_accept: count it even if others came first. */
	atomic_long_inc(&vxi->limit.res[VLIMIT_NSOCK].value);
	vx_rlim_seen(&vxi->limit.res[VLIMIT_NSOCK],
		     atomic_long_read(&vxi->limit.res[VLIMIT_NSOCK].value));
	vs->limit_vxi = vx_get(vxi);
}

static void vx_limit_sk_free(struct sock *sk)
{
	struct vx_sock *vs = vx_sock(sk);
	struct vx_info *vxi = vs->limit_vxi;

	if (!vxi)
		return;
	vs->limit_vxi = NULL;
	vx_uncharge(vxi, VLIMIT_NSOCK, 1);
	vx_put(vxi);
}

/* SysV IPC: charge @amount of @id; -ENOSPC, as for the system limits. */
static int vx_limit_ipc_charge(struct kern_ipc_perm *perm, unsigned int id,
			       unsigned long amount)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_ipc *vi = vx_ipc(perm);

	if (!vxi)
		return 0;
	if (!vx_charge(vxi, id, amount))
		return -ENOSPC;
	vi->limit_vxi = vx_get(vxi);
	vi->amount = amount;
	return 0;
}

/* The size of a SysV object: -ENOSPC beyond the limit. */
static int vx_limit_ipc_charge_size(struct kern_ipc_perm *perm,
				    unsigned int id, unsigned long size)
{
	struct vx_info *vxi = vx_limit_current();
	struct vx_ipc *vi = vx_ipc(perm);

	if (!vxi)
		return 0;
	if (!vx_charge(vxi, id, size))
		return -ENOSPC;
	if (!vi->limit_vxi)
		vi->limit_vxi = vx_get(vxi);
	vi->size = size;
	return 0;
}

/*
 * Give back what the object was charged: @id by the hook, @size_id by its
 * size.  Runs from an RCU callback: only atomics and vx_put().
 */
static void vx_limit_ipc_uncharge(struct kern_ipc_perm *perm, unsigned int id,
				  unsigned int size_id)
{
	struct vx_ipc *vi = vx_ipc(perm);
	struct vx_info *vxi = vi->limit_vxi;

	if (!vxi)
		return;
	vi->limit_vxi = NULL;
	if (vi->amount)
		vx_uncharge(vxi, id, vi->amount);
	if (vi->size)
		vx_uncharge(vxi, size_id, vi->size);
	vx_put(vxi);
}

/**
 * vx_shm_alloc - allocate a shared memory segment's LSM blob and charge it
 * @perm: the segment's ipc permissions
 * @pages: its size in pages
 *
 * Return: 0, an LSM's error, or -ENOSPC beyond the context's VLIMIT_SHMEM.
 */
int vx_shm_alloc(struct kern_ipc_perm *perm, unsigned long pages)
{
	int ret = security_shm_alloc(perm);

	if (ret)
		return ret;
	ret = vx_limit_ipc_charge_size(perm, VLIMIT_SHMEM, pages);
	if (ret)
		security_shm_free(perm);
	return ret;
}

/**
 * vx_sem_alloc - allocate a semaphore set's LSM blob and charge it
 * @perm: the set's ipc permissions
 * @nsems: its number of semaphores
 *
 * Return: 0, an LSM's error (-ENOSPC beyond VLIMIT_SEMARY), or -ENOSPC
 * beyond the context's VLIMIT_NSEMS.
 */
int vx_sem_alloc(struct kern_ipc_perm *perm, int nsems)
{
	int ret = security_sem_alloc(perm);

	if (ret)
		return ret;
	ret = vx_limit_ipc_charge_size(perm, VLIMIT_NSEMS, nsems);
	if (ret)
		security_sem_free(perm);
	return ret;
}

/*
 * A new queue holds up to msg_ctlmnb bytes (its q_qbytes); that is what
 * it is charged.  Raising q_qbytes later (IPC_SET, CAP_SYS_RESOURCE) is
 * not charged.
 */
static int vx_limit_msg_queue_alloc(struct kern_ipc_perm *perm)
{
	return vx_limit_ipc_charge(perm, RLIMIT_MSGQUEUE,
				   current->nsproxy->ipc_ns->msg_ctlmnb);
}

static void vx_limit_msg_queue_free(struct kern_ipc_perm *perm)
{
	vx_limit_ipc_uncharge(perm, RLIMIT_MSGQUEUE, 0);
}

static int vx_limit_sem_alloc(struct kern_ipc_perm *perm)
{
	return vx_limit_ipc_charge(perm, VLIMIT_SEMARY, 1);
}

static void vx_limit_sem_free(struct kern_ipc_perm *perm)
{
	vx_limit_ipc_uncharge(perm, VLIMIT_SEMARY, VLIMIT_NSEMS);
}

static void vx_limit_shm_free(struct kern_ipc_perm *perm)
{
	vx_limit_ipc_uncharge(perm, 0, VLIMIT_SHMEM);
}

static struct security_hook_list vx_limit_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_alloc, vx_limit_task_alloc),
	LSM_HOOK_INIT(file_alloc_security, vx_limit_file_alloc),
	LSM_HOOK_INIT(file_free_security, vx_limit_file_free),
	LSM_HOOK_INIT(socket_post_create, vx_limit_socket_post_create),
	LSM_HOOK_INIT(socket_accept, vx_limit_socket_accept),
	LSM_HOOK_INIT(sock_graft, vx_limit_sock_graft),
	LSM_HOOK_INIT(sk_free_security, vx_limit_sk_free),
	LSM_HOOK_INIT(msg_queue_alloc_security, vx_limit_msg_queue_alloc),
	LSM_HOOK_INIT(msg_queue_free_security, vx_limit_msg_queue_free),
	LSM_HOOK_INIT(sem_alloc_security, vx_limit_sem_alloc),
	LSM_HOOK_INIT(sem_free_security, vx_limit_sem_free),
	LSM_HOOK_INIT(shm_free_security, vx_limit_shm_free),
};

/* After context.c's hooks: the task count must include the child. */
void __init vx_add_limit_hooks(void)
{
	security_add_hooks(vx_limit_hooks, ARRAY_SIZE(vx_limit_hooks),
			   &vserver_lsmid);
}

/* ---- /proc/virtual/<xid>/limit ---- */

static void vx_show_limit(struct seq_file *m, u64 v)
{
	if (v == CRLIM_INFINITY)
		seq_printf(m, "%8d", -1);
	else
		seq_printf(m, "%8llu", v);
}

/**
 * vx_limit_proc_show - /proc/virtual/<xid>/limit
 * @m: the seq_file; m->private is the context
 * @v: unused
 *
 * One line per resource: name, current value, minimum/maximum seen,
 * soft/hard limit (-1: none) and hits.
 *
 * Return: 0.
 */
int vx_limit_proc_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = m->private;
	unsigned int i, id;
	u64 value, vmin, vmax;

	seq_puts(m, "Limit\t current\t    min/max\t\t   soft/hard\t\thits\n");
	for (i = 0; i < ARRAY_SIZE(vx_limit_order); i++) {
		struct vx_rlim *r;

		id = vx_limit_order[i];
		r = &vxi->limit.res[id];
		vx_limit_minmax(vxi, id, &value, &vmin, &vmax);
		seq_printf(m, "%s:\t%8llu\t%8llu/%8llu\t", vx_limit_names[id],
			   value, vmin, vmax);
		vx_show_limit(m, READ_ONCE(r->soft));
		seq_putc(m, '/');
		vx_show_limit(m, READ_ONCE(r->hard));
		seq_printf(m, "\t%8u\n", atomic_read(&r->hits));
	}
	return 0;
}

/* ---- commands ---- */

/**
 * vc_get_rlimit - VCMD_get_rlimit: the limits of one resource
 * @c: struct vcmd_ctx_rlimit: @id in, the limits out
 *
 * Return: 0; -EINVAL if @id is not a resource with limits; -ESRCH.
 */
long vc_get_rlimit(struct vx_call *c)
{
	struct vcmd_ctx_rlimit *arg = c->data;
	struct vx_rlim *r;

	if (arg->id >= VLIMIT_NR || !(VX_SOFT_MASK & BIT(arg->id)))
		return -EINVAL;
	r = &c->vxi->limit.res[arg->id];
	spin_lock(&c->vxi->lock);
	arg->minimum = r->minimum;
	arg->softlimit = r->soft;
	arg->maximum = r->hard;
	spin_unlock(&c->vxi->lock);
	return 0;
}

/* Apply a set_rlimit update to @r (under the context's lock). */
static void vx_rlim_update(struct vx_rlim *r, u64 minimum, u64 soft, u64 hard)
{
	if (hard != CRLIM_KEEP)
		WRITE_ONCE(r->hard, hard);
	if (minimum != CRLIM_KEEP)
		r->minimum = minimum;
	if (soft != CRLIM_KEEP)
		WRITE_ONCE(r->soft, soft);
	if (r->soft > r->hard)
		WRITE_ONCE(r->soft, r->hard);
}

/**
 * vc_set_rlimit - VCMD_set_rlimit: change the limits of one resource
 * @c: struct vcmd_ctx_rlimit; fields that are %CRLIM_KEEP stay
 *
 * The new hard limit applies from the next allocation on; what is
 * allocated already stays.  A soft limit above the hard one is lowered to
 * it.
 *
 * RLIMIT_RSS takes a minimum and a soft limit only (VXF_FORK_RSS); its
 * hard limit is the memory cgroup's memory.max.
 *
 * Return: 0; -EINVAL if @id is not a resource with limits or a hard RSS
 * limit is asked for; -EPERM, -ESRCH.
 */
long vc_set_rlimit(struct vx_call *c)
{
	struct vcmd_ctx_rlimit *arg = c->data;

	if (arg->id >= VLIMIT_NR || !(VX_SOFT_MASK & BIT(arg->id)))
		return -EINVAL;
	if (!(VX_LIMIT_MASK & BIT(arg->id)) &&
	    arg->maximum != CRLIM_KEEP && arg->maximum != CRLIM_INFINITY)
		return -EINVAL;
	spin_lock(&c->vxi->lock);
	vx_rlim_update(&c->vxi->limit.res[arg->id], arg->minimum,
		       arg->softlimit, arg->maximum);
	spin_unlock(&c->vxi->lock);
	return 0;
}

/**
 * vc_get_rlimit_mask - VCMD_get_rlimit_mask: which resources have limits
 * @c: fills struct vcmd_ctx_rlimit_mask
 *
 * Return: 0.
 */
long vc_get_rlimit_mask(struct vx_call *c)
{
	struct vcmd_ctx_rlimit_mask *arg = c->data;

	arg->minimum = VX_SOFT_MASK;
	arg->softlimit = VX_SOFT_MASK;
	arg->maximum = VX_LIMIT_MASK;
	return 0;
}

/**
 * vc_reset_hits - VCMD_reset_hits: zero every hit counter of a context
 * @c: the context
 *
 * Return: 0; -EPERM, -ESRCH.
 */
long vc_reset_hits(struct vx_call *c)
{
	int id;

	for (id = 0; id < VLIMIT_NR; id++)
		atomic_set(&c->vxi->limit.res[id].hits, 0);
	return 0;
}

/**
 * vc_reset_minmax - VCMD_reset_minmax: minimum and maximum seen := now
 * @c: the context
 *
 * Return: 0; -EPERM, -ESRCH.
 */
long vc_reset_minmax(struct vx_call *c)
{
	struct vx_info *vxi = c->vxi;
	unsigned int id;

	for (id = 0; id < VLIMIT_NR; id++) {
		struct vx_rlim *r = &vxi->limit.res[id];
		u64 v;

		if (!(VX_STAT_MASK & BIT(id)) || id == VLIMIT_OPENFD)
			continue;
		v = vx_limit_value(vxi, id);
		atomic_long_set(&r->vmin, v);
		atomic_long_set(&r->vmax, v);
	}
	return 0;
}

/**
 * vc_rlimit_stat - VCMD_rlimit_stat: use of one resource
 * @c: struct vcmd_rlimit_stat: @id in, the rest out
 *
 * Return: 0; -EINVAL if @id is not a resource that is counted; -ESRCH.
 */
long vc_rlimit_stat(struct vx_call *c)
{
	struct vcmd_rlimit_stat *arg = c->data;
	u32 id = arg->id;

	if (id >= VLIMIT_NR || !(VX_STAT_MASK & BIT(id)))
		return -EINVAL;
	vx_limit_minmax(c->vxi, id, &arg->value, &arg->minimum,
			&arg->maximum);
	arg->hits = atomic_read(&c->vxi->limit.res[id].hits);
	return 0;
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vx_test_rlim_update(struct kunit *test)
{
	struct vx_rlim r = { .minimum = 0, .soft = CRLIM_INFINITY,
			     .hard = CRLIM_INFINITY };

	/* A hard limit alone pulls the soft limit down with it. */
	vx_rlim_update(&r, CRLIM_KEEP, CRLIM_KEEP, 100);
	KUNIT_EXPECT_EQ(test, r.hard, 100ULL);
	KUNIT_EXPECT_EQ(test, r.soft, 100ULL);
	KUNIT_EXPECT_EQ(test, r.minimum, 0ULL);
	vx_rlim_update(&r, 5, 50, CRLIM_KEEP);
	KUNIT_EXPECT_EQ(test, r.minimum, 5ULL);
	KUNIT_EXPECT_EQ(test, r.soft, 50ULL);
	KUNIT_EXPECT_EQ(test, r.hard, 100ULL);
	/* Raising the hard limit leaves the soft one. */
	vx_rlim_update(&r, CRLIM_KEEP, CRLIM_KEEP, CRLIM_INFINITY);
	KUNIT_EXPECT_EQ(test, r.soft, 50ULL);
	KUNIT_EXPECT_EQ(test, r.hard, CRLIM_INFINITY);
}

static void vx_test_charge(struct kunit *test)
{
	struct vx_info *vxi = kunit_kzalloc(test, sizeof(*vxi), GFP_KERNEL);
	struct vx_rlim *r;

	KUNIT_ASSERT_NOT_NULL(test, vxi);
	KUNIT_ASSERT_EQ(test, vx_limit_init(&vxi->limit), 0);
	r = &vxi->limit.res[VLIMIT_NSOCK];
	r->hard = 2;
	KUNIT_EXPECT_TRUE(test, vx_charge(vxi, VLIMIT_NSOCK, 1));
	KUNIT_EXPECT_TRUE(test, vx_charge(vxi, VLIMIT_NSOCK, 1));
	/* Exactly at the limit: the next one fails and counts a hit. */
	KUNIT_EXPECT_FALSE(test, vx_charge(vxi, VLIMIT_NSOCK, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&r->hits), 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->value), 2L);
	vx_uncharge(vxi, VLIMIT_NSOCK, 2);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->value), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->vmax), 2L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->vmin), 0L);
	/* A multi-unit charge that does not fit leaves nothing behind. */
	KUNIT_EXPECT_FALSE(test, vx_charge(vxi, VLIMIT_NSOCK, 3));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->value), 0L);
	r->hard = CRLIM_INFINITY;
	KUNIT_EXPECT_TRUE(test, vx_charge(vxi, VLIMIT_NSOCK, 1000));
	vx_limit_free(&vxi->limit);
}

/* Open files: one count per CPU, checked exactly against both limits. */
static void vx_test_file_charge(struct kunit *test)
{
	struct vx_info *vxi = kunit_kzalloc(test, sizeof(*vxi), GFP_KERNEL);
	struct vx_rlim *r, *ofd;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, vxi);
	KUNIT_ASSERT_EQ(test, vx_limit_init(&vxi->limit), 0);
	r = &vxi->limit.res[RLIMIT_NOFILE];
	ofd = &vxi->limit.res[VLIMIT_OPENFD];
	/* The maximum seen is exact for a context on one CPU: stay on one. */
	migrate_disable();
	KUNIT_EXPECT_TRUE(test, vx_file_charge(vxi));
	KUNIT_EXPECT_TRUE(test, vx_file_charge(vxi));
	migrate_enable();
	KUNIT_EXPECT_EQ(test, vx_limit_value(vxi, RLIMIT_NOFILE), 2ULL);
	/* OPENFD is the same count with a limit of its own. */
	ofd->hard = 2;
	KUNIT_EXPECT_FALSE(test, vx_file_charge(vxi));
	KUNIT_EXPECT_EQ(test, atomic_read(&ofd->hits), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->hits), 0);
	/* A refused file is uncharged when it is freed, as every file. */
	vx_file_uncharge(vxi);
	KUNIT_EXPECT_EQ(test, vx_limit_value(vxi, VLIMIT_OPENFD), 2ULL);
	vx_file_uncharge(vxi);
	vx_file_uncharge(vxi);
	KUNIT_EXPECT_EQ(test, vx_limit_value(vxi, RLIMIT_NOFILE), 0ULL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&r->vmax), 2L);
	/* Exactly at the limit, with more than a batch of files. */
	ofd->hard = CRLIM_INFINITY;
	r->hard = 3 * VX_FILES_BATCH;
	for (i = 0; i < 3 * VX_FILES_BATCH; i++)
		KUNIT_EXPECT_TRUE(test, vx_file_charge(vxi));
	KUNIT_EXPECT_FALSE(test, vx_file_charge(vxi));
	vx_file_uncharge(vxi);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->hits), 1);
	KUNIT_EXPECT_EQ(test, vx_limit_value(vxi, RLIMIT_NOFILE),
			(u64)3 * VX_FILES_BATCH);
	for (i = 0; i < 3 * VX_FILES_BATCH; i++)
		vx_file_uncharge(vxi);
	KUNIT_EXPECT_EQ(test, vx_limit_value(vxi, RLIMIT_NOFILE), 0ULL);
	/* A limit of 0 refuses the first file. */
	r->hard = 0;
	KUNIT_EXPECT_FALSE(test, vx_file_charge(vxi));
	vx_file_uncharge(vxi);
	KUNIT_EXPECT_EQ(test, vx_limit_value(vxi, RLIMIT_NOFILE), 0ULL);
	vx_limit_free(&vxi->limit);
}

static struct kunit_case vx_limit_cases[] = {
	KUNIT_CASE(vx_test_rlim_update),
	KUNIT_CASE(vx_test_charge),
	KUNIT_CASE(vx_test_file_charge),
	{}
};

static struct kunit_suite vx_limit_suite = {
	.name = "vserver_limit",
	.test_cases = vx_limit_cases,
};

kunit_test_suite(vx_limit_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
