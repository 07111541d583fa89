// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: per-context CPU buckets on top of CFS bandwidth control.
 *
 * Linux-VServer gave every context a token bucket: fill_rate tokens every
 * interval, at most tokens_max in the bucket, one token spent per tick of
 * CPU time; a context without tokens was held (VXF_SCHED_HARD) or had its
 * priority lowered (VXF_SCHED_PRIO).  Here the bucket is a task group of
 * the context's own, made like an autogroup (kernel/sched/vserver.c), and
 * the scheduler's CFS bandwidth control does the accounting:
 *
 *   fill_rate / interval     the share of every CPU, i.e. of the machine:
 *                            quota = share * period * online CPUs
 *   interval                 the CFS period (kept within 1 ms .. 1 s,
 *                            scaling the quota with it)
 *   tokens_min               a held context waits until it has this many
 *                            tokens: the period becomes interval *
 *                            ceil(tokens_min / fill_rate) (up to 1 s),
 *                            the quota grows with it, the share stays
 *   tokens_max               burst: what may accumulate beyond one
 *                            period's quota (CFS caps it at the quota)
 *   tokens                   the runtime left in the current period
 *   prio_bias                a nice level of the whole group (its weight)
 *   soft mode                (VXF_SCHED_PRIO without VXF_SCHED_HARD): no
 *                            quota, the share becomes the group's weight
 *   idle time                (VXSM_IDLE_TIME) a capped context may use
 *                            CPU time nobody else wants: see
 *                            vx_sched_idle_work()
 *   VXF_SCHED_PAUSE          the smallest quota CFS allows: 1 ms a second
 *
 * Tasks of the context in the root cgroup run in the group; a task an
 * administrator put in another cgroup keeps that cgroup's group, exactly
 * as with autogroups.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/cleanup.h>
#include <linux/cpu.h>
#include <linux/jiffies.h>
#include <linux/kernel_stat.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tick.h>
#include <linux/workqueue.h>

#include "internal.h"

#define VX_TICK_NS		((u64)TICK_NSEC)
#define VX_PERIOD_MIN		NSEC_PER_MSEC
#define VX_PERIOD_MAX		NSEC_PER_SEC
/* How often the idle-time sampler looks at the machine. */
#define VX_IDLE_WINDOW		(HZ / 4)

/**
 * struct vx_sched_param - bucket parameters as set_sched gave them
 * @fill_rate: tokens per interval; [1]: while the host is idle
 * @interval_ns: the intervals, ns
 * @tokens_min: tokens a held context waits for (lengthens the period)
 * @tokens_max: bucket size in tokens
 * @prio_bias: nice level of the group
 * @idle_time: use idle time
 */
struct vx_sched_param {
	s32 fill_rate[2];
	u64 interval_ns[2];
	s32 tokens_min;
	s32 tokens_max;
	s32 prio_bias;
	bool idle_time;
};

/**
 * struct vx_bw - what the parameters mean for CFS
 * @period: ns
 * @quota: ns per period, U64_MAX for none
 * @burst: ns
 * @weight: group weight
 */
struct vx_bw {
	u64 period;
	u64 quota;
	u64 burst;
	unsigned long weight;
};

/**
 * struct vx_sched - a context's bucket
 * @list: entry in vx_sched_list (group -> xid, for debug output)
 * @rcu: frees the bucket after list readers
 * @vxi: the context (not a reference: the bucket dies with it)
 * @tg: the context's task group
 * @lock: serialises changes of everything below
 * @param: the parameters
 * @bw: what is applied now (the base values, without idle time)
 * @soft: soft mode is applied
 * @paused: %VXF_SCHED_PAUSE is applied
 * @idle_quota: quota applied now by the idle-time sampler
 * @idle_running: the sampler is queued and holds a context reference
 * @idle_work: the sampler
 * @last_idle: machine idle time at the last sample, ns
 * @last_exec: the group's CPU time at the last sample, ns
 * @last_stamp: clock at the last sample, ns
 */
struct vx_sched {
	struct list_head list;
	struct rcu_head rcu;
	struct vx_info *vxi;
	struct task_group *tg;
	struct mutex lock;	/* the fields below */
	struct vx_sched_param param;
	struct vx_bw bw;
	bool soft;
	bool paused;
	u64 idle_quota;
	bool idle_running;
	struct delayed_work idle_work;
	u64 last_idle;
	u64 last_exec;
	u64 last_stamp;
};

static LIST_HEAD(vx_sched_list);
static DEFINE_SPINLOCK(vx_sched_list_lock);
/* Serialises the creation of buckets. */
static DEFINE_MUTEX(vx_sched_create_mutex);

static struct vx_sched *vx_sched_of(struct vx_info *vxi)
{
	/* Pairs with smp_store_release() in vx_sched_get(). */
	return smp_load_acquire(&vxi->sched);
}

/* Called by the scheduler under the rq or pi lock: no sleeping. */
struct task_group *vx_task_sched_group(struct task_struct *p)
{
	struct vx_info *vxi;
	struct vx_sched *s;

	if (!p->security)
		return NULL;
	vxi = READ_ONCE(vx_task(p)->vxi);
	if (!vxi)
		return NULL;
	s = vx_sched_of(vxi);
	return s ? s->tg : NULL;
}

bool vx_sched_group_path(struct task_group *tg, char *buf, int buflen)
{
	struct vx_sched *s;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(s, &vx_sched_list, list) {
		if (s->tg == tg) {
			snprintf(buf, buflen, "/vserver-%u", s->vxi->xid);
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * vx_sched_soft - is a context in soft (priority) mode?
 * @flags: its VXF_* flags
 *
 * Return: true for %VXF_SCHED_PRIO without %VXF_SCHED_HARD.
 */
static bool vx_sched_soft(u64 flags)
{
	return (flags & (VXF_SCHED_PRIO | VXF_SCHED_HARD)) == VXF_SCHED_PRIO;
}

/* share of every CPU in parts per 2^20, saturated at 1 */
#define VX_SHARE_ONE	BIT_ULL(20)

static u64 vx_share(s32 fill_rate, u64 interval_ns)
{
	u64 share;

	if (fill_rate <= 0 || !interval_ns)
		return VX_SHARE_ONE;
	share = mul_u64_u64_div_u64((u64)fill_rate * VX_TICK_NS, VX_SHARE_ONE,
				    interval_ns);
	return min(share, VX_SHARE_ONE);
}

/* Quota for @share of @ncpus CPUs in @period; U64_MAX if no limit. */
static u64 vx_share_quota(u64 share, u64 period, unsigned int ncpus)
{
	if (share >= VX_SHARE_ONE)
		return U64_MAX;
	return mul_u64_u64_div_u64(period * ncpus, share, VX_SHARE_ONE);
}

/*
 * tokens_min: Linux-VServer held a context that ran out of tokens until
 * tokens_min had come in.  CFS refills one period's quota at once, so a
 * period of ceil(tokens_min / fill_rate) intervals does the same.
 */
static u64 vx_batch_period(u64 interval, s32 fill_rate, s32 tokens_min)
{
	u32 n;

	if (fill_rate <= 0 || tokens_min <= fill_rate)
		return interval;
	n = DIV_ROUND_UP((u32)tokens_min, (u32)fill_rate);
	if (interval > div_u64(VX_PERIOD_MAX, n))
		return VX_PERIOD_MAX;
	return interval * n;
}

/**
 * vx_sched_compute - map bucket parameters to CFS bandwidth and weight
 * @p: the parameters
 * @soft: soft mode
 * @ncpus: online CPUs
 * @bw: the result
 *
 * The period is the interval, times ceil(tokens_min / fill_rate) so that
 * a held context gets at least tokens_min tokens at each refill, moved
 * into 1 ms .. 1 s (and up until the quota reaches the 1 ms CFS minimum)
 * with the quota scaled along, so the share stays fill_rate / interval
 * of every CPU.
 */
static void vx_sched_compute(const struct vx_sched_param *p, bool soft,
			     unsigned int ncpus, struct vx_bw *bw)
{
	u64 share = vx_share(p->fill_rate[0], p->interval_ns[0]);
	u64 period = p->interval_ns[0] ?: NSEC_PER_SEC;
	u64 max_tokens, quota;
	unsigned long weight = vx_tg_nice_weight(p->prio_bias);

	period = vx_batch_period(period, p->fill_rate[0], p->tokens_min);
	period = clamp_t(u64, period, VX_PERIOD_MIN, VX_PERIOD_MAX);
	quota = vx_share_quota(share, period, ncpus);
	while (quota != U64_MAX && quota < VX_PERIOD_MIN &&
	       period < VX_PERIOD_MAX) {
		period = min_t(u64, period * 2, VX_PERIOD_MAX);
		quota = vx_share_quota(share, period, ncpus);
	}
	if (quota != U64_MAX)
		quota = max_t(u64, quota, VX_PERIOD_MIN);

	bw->period = period;
	bw->burst = 0;
	if (soft) {
		/* The share as weight: all CPUs of the machine = ncpus tasks. */
		bw->quota = U64_MAX;
		bw->weight = mul_u64_u64_div_u64((u64)weight * ncpus,
						 min(share, VX_SHARE_ONE),
						 VX_SHARE_ONE);
		bw->weight = max(bw->weight, 2UL);
		return;
	}
	bw->quota = quota;
	bw->weight = weight;
	if (quota == U64_MAX)
		return;
	max_tokens = (u64)(p->tokens_max > 0 ? p->tokens_max : HZ) *
		     VX_TICK_NS * ncpus;
	if (max_tokens > quota)
		bw->burst = min(max_tokens - quota, quota);
}

/* VXF_SCHED_PAUSE: hold the context as far as CFS can. */
static void vx_sched_pause(struct vx_bw *bw)
{
	bw->period = VX_PERIOD_MAX;
	bw->quota = VX_PERIOD_MIN;
	bw->burst = 0;
}

/* Machine idle time so far, ns (as /proc/stat counts it). */
static u64 vx_machine_idle(void)
{
	u64 sum = 0, us;
	int cpu;

	for_each_online_cpu(cpu) {
		us = get_cpu_idle_time_us(cpu, NULL);
		if (us == -1ULL)
			sum += kcpustat_cpu(cpu).cpustat[CPUTIME_IDLE];
		else
			sum += us * NSEC_PER_USEC;
	}
	return sum;
}

static u64 vx_group_exec(struct vx_sched *s)
{
	struct vx_tg_stat st;

	vx_tg_stat(s->tg, -1, &st);
	return st.exec_ns;
}

/* Apply the quota (and base burst) with s->lock held. */
static int vx_sched_set_quota(struct vx_sched *s, u64 quota)
{
	u64 burst = quota == s->bw.quota ? s->bw.burst : 0;
	int ret;

	ret = vx_tg_set_bandwidth(s->tg, s->bw.period, quota, burst);
	if (!ret)
		s->idle_quota = quota;
	return ret;
}

/**
 * vx_idle_next_quota - the idle-time sampler's decision
 * @base: the context's own quota per period
 * @cur: the quota applied now
 * @idle_max: quota with the idle rate (fill_rate[1]/interval[1]), or
 *	U64_MAX for the whole machine
 * @cap: CPU time of the machine in the window, ns
 * @idle: idle time of the machine in the window
 * @exec: CPU time the context used in the window
 * @period: the CFS period
 * @ncpus: online CPUs
 *
 * Linux-VServer filled a second bucket (fill_rate[1]/interval[1]) while a
 * CPU would otherwise idle.  CFS has no such hook, so we sample: when the
 * rest of the machine used less than 1/16 of it in the last window, the
 * host is idle and the context may use the idle rate; when some CPU time
 * was left idle, the context may use what it used plus that idle time;
 * when there was no idle time, the extra quota halves every window until
 * the context is back at its own rate.  The rest of the machine never
 * waits longer than a few windows for its share.
 *
 * Return: the quota for the next window.
 */
static u64 vx_idle_next_quota(u64 base, u64 cur, u64 idle_max, u64 cap,
			      u64 idle, u64 exec, u64 period,
			      unsigned int ncpus)
{
	u64 other = cap > idle + exec ? cap - idle - exec : 0;
	u64 q;

	if (other < cap / 16)
		return max(idle_max, base);
	if (idle > cap / 16) {
		/* exec + idle per window of all CPUs, as quota per period */
		q = mul_u64_u64_div_u64(exec + idle, period * ncpus, cap);
		return clamp(q, base, max(idle_max, base));
	}
	if (cur == U64_MAX)
		cur = base * 4;
	return max(base, cur / 2);
}

static void vx_sched_idle_work(struct work_struct *work)
{
	struct vx_sched *s = container_of(to_delayed_work(work),
					  struct vx_sched, idle_work);
	struct vx_info *vxi = s->vxi;
	u64 now, idle, exec, cap, quota, idle_max;
	unsigned int ncpus = num_online_cpus();

	mutex_lock(&s->lock);
	if (!s->param.idle_time || s->soft || s->paused ||
	    s->bw.quota == U64_MAX ||
	    READ_ONCE(vxi->gone)) {
		if (s->idle_quota != s->bw.quota)
			vx_sched_set_quota(s, s->bw.quota);
		s->idle_running = false;
		mutex_unlock(&s->lock);
		vx_put(vxi);
		return;
	}
	now = ktime_get_ns();
	idle = vx_machine_idle();
	exec = vx_group_exec(s);
	cap = (now - s->last_stamp) * ncpus;
	if (cap) {
		idle_max = vx_share_quota(vx_share(s->param.fill_rate[1],
						   s->param.interval_ns[1]),
					  s->bw.period, ncpus);
		if (!s->param.fill_rate[1])
			idle_max = U64_MAX;
		quota = vx_idle_next_quota(s->bw.quota, s->idle_quota,
					   idle_max, cap,
					   idle - min(idle, s->last_idle),
					   exec - min(exec, s->last_exec),
					   s->bw.period, ncpus);
		if (quota != s->idle_quota)
			vx_sched_set_quota(s, quota);
	}
	s->last_stamp = now;
	s->last_idle = idle;
	s->last_exec = exec;
	schedule_delayed_work(&s->idle_work, VX_IDLE_WINDOW);
	mutex_unlock(&s->lock);
}

/* Start the sampler if idle time is on; s->lock held. */
static void vx_sched_idle_start(struct vx_sched *s)
{
	if (!s->param.idle_time || s->idle_running)
		return;
	s->idle_running = true;
	vx_get(s->vxi);
	s->last_stamp = ktime_get_ns();
	s->last_idle = vx_machine_idle();
	s->last_exec = vx_group_exec(s);
	schedule_delayed_work(&s->idle_work, VX_IDLE_WINDOW);
}

/* Apply s->param and the context's mode; s->lock held. */
static int vx_sched_apply(struct vx_sched *s)
{
	struct vx_bw bw;
	u64 flags = READ_ONCE(s->vxi->flags);
	bool soft = vx_sched_soft(flags);
	bool paused = flags & VXF_SCHED_PAUSE;
	int ret;

	vx_sched_compute(&s->param, soft, num_online_cpus(), &bw);
	if (paused)
		vx_sched_pause(&bw);
	ret = vx_tg_set_bandwidth(s->tg, bw.period, bw.quota, bw.burst);
	if (ret)
		return ret;
	ret = vx_tg_set_weight(s->tg, bw.weight);
	if (ret)
		return ret;
	s->bw = bw;
	s->soft = soft;
	s->paused = paused;
	s->idle_quota = bw.quota;
	vx_sched_idle_start(s);
	return 0;
}

/* Move every task of @vxi into the group it belongs to now. */
static void vx_sched_move_all(struct vx_info *vxi)
{
	struct task_struct *g, *t;

	/* No fork between the scheduler's group choice and the task list. */
	vx_tg_forks_lock();
	read_lock(&tasklist_lock);
	for_each_process_thread(g, t)
		if (vx_task(t)->vxi == vxi && !(t->flags & PF_EXITING))
			vx_tg_move_task(t);
	read_unlock(&tasklist_lock);
	vx_tg_forks_unlock();
}

static void vx_sched_param_init(struct vx_sched_param *p)
{
	p->interval_ns[0] = NSEC_PER_SEC;
	p->interval_ns[1] = NSEC_PER_SEC;
	p->tokens_max = HZ;
	p->tokens_min = HZ / 3;
}

/**
 * vx_sched_get - the context's bucket, created on first use
 * @vxi: the context
 *
 * The new group starts without a limit; its tasks move into it.
 *
 * Return: the bucket or ERR_PTR(-ENOMEM / -EOPNOTSUPP).
 */
static struct vx_sched *vx_sched_get(struct vx_info *vxi)
{
	struct vx_sched *s;
	struct task_group *tg;

	if (!IS_ENABLED(CONFIG_CFS_BANDWIDTH))
		return ERR_PTR(-EOPNOTSUPP);
	guard(mutex)(&vx_sched_create_mutex);
	s = vx_sched_of(vxi);
	if (s)
		return s;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	tg = vx_tg_create();
	if (IS_ERR(tg)) {
		kfree(s);
		return ERR_CAST(tg);
	}
	s->tg = tg;
	s->vxi = vxi;
	mutex_init(&s->lock);
	INIT_DELAYED_WORK(&s->idle_work, vx_sched_idle_work);
	vx_sched_param_init(&s->param);
	vx_sched_compute(&s->param, false, num_online_cpus(), &s->bw);
	s->idle_quota = s->bw.quota;

	spin_lock_irq(&vx_sched_list_lock);
	list_add_tail_rcu(&s->list, &vx_sched_list);
	spin_unlock_irq(&vx_sched_list_lock);

	/* Readers under the rq lock see a complete bucket. */
	smp_store_release(&vxi->sched, s);
	/* Pairs with the barrier in vx_sched_migrate(). */
	smp_mb();
	vx_sched_move_all(vxi);
	return s;
}

/**
 * vx_sched_free - release a context's bucket
 * @vxi: the context, being freed (may be an RCU callback)
 *
 * No task can be in the group any more: every member held a reference
 * on the context until it was freed.  The sampler held one too.
 */
void vx_sched_free(struct vx_info *vxi)
{
	struct vx_sched *s = vxi->sched;
	unsigned long flags;

	if (!s)
		return;
	spin_lock_irqsave(&vx_sched_list_lock, flags);
	list_del_rcu(&s->list);
	spin_unlock_irqrestore(&vx_sched_list_lock, flags);
	vx_tg_destroy(s->tg);
	kfree_rcu(s, rcu);
}

/**
 * vx_sched_migrate - a task joined a context: schedule it in its group
 * @p: the task (current)
 */
void vx_sched_migrate(struct task_struct *p)
{
	struct vx_info *vxi = vx_task(p)->vxi;

	/* Pairs with vx_sched_get(): either we see the group or it sees us. */
	smp_mb();
	if (vxi && vx_sched_of(vxi))
		vx_tg_move_task(p);
}

/**
 * vx_sched_flags_changed - the context's flags changed: re-apply the mode
 * @vxi: the context
 */
void vx_sched_flags_changed(struct vx_info *vxi)
{
	struct vx_sched *s = vx_sched_of(vxi);
	u64 flags = READ_ONCE(vxi->flags);

	/* Pausing needs the group; nothing else does. */
	if (!s && (flags & VXF_SCHED_PAUSE) && !READ_ONCE(vxi->dead))
		s = vx_sched_get(vxi);
	if (IS_ERR_OR_NULL(s))
		return;
	guard(mutex)(&s->lock);
	if (vx_sched_soft(flags) != s->soft ||
	    !!(flags & VXF_SCHED_PAUSE) != s->paused)
		vx_sched_apply(s);
}

/* ---- commands ---- */

static int vx_sched_check_cpu(s32 cpu)
{
	if (cpu == -1)
		return 0;
	if (cpu < 0 || cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return -EINVAL;
	return 0;
}

static u64 vx_interval_ns(s32 v, bool msec)
{
	if (v <= 0)
		return NSEC_PER_SEC;
	return (u64)v * (msec ? NSEC_PER_MSEC : VX_TICK_NS);
}

static s32 vx_interval_out(u64 ns, bool msec)
{
	return div64_u64(ns, msec ? NSEC_PER_MSEC : VX_TICK_NS);
}

/**
 * vx_sched_check - validate a set_sched argument
 * @d: the argument
 *
 * Return: 0 or -EINVAL for unknown mask bits, a CPU that does not exist,
 * a bucket other than 0, negative rates or intervals, or a priority bias
 * outside -20..19.
 */
static int vx_sched_check(const struct vcmd_sched_v5 *d)
{
	u32 m = d->mask;

	if (m & ~VXSM_MASK)
		return -EINVAL;
	if ((m & VXSM_CPU_ID) && vx_sched_check_cpu(d->cpu_id))
		return -EINVAL;
	if ((m & VXSM_BUCKET_ID) && d->bucket_id)
		return -EINVAL;
	if (((m & VXSM_FILL_RATE) && d->fill_rate[0] < 0) ||
	    ((m & VXSM_FILL_RATE2) && d->fill_rate[1] < 0) ||
	    ((m & VXSM_INTERVAL) && d->interval[0] < 0) ||
	    ((m & VXSM_INTERVAL2) && d->interval[1] < 0))
		return -EINVAL;
	if ((m & VXSM_PRIO_BIAS) && (d->prio_bias < VX_PRIO_BIAS_MIN ||
				     d->prio_bias > VX_PRIO_BIAS_MAX))
		return -EINVAL;
	return 0;
}

/* Merge a set_sched argument into the parameters. */
static void vx_sched_merge(struct vx_sched_param *p,
			   const struct vcmd_sched_v5 *d)
{
	u32 m = d->mask;
	bool msec = m & VXSM_MSEC;

	if (m & VXSM_FILL_RATE)
		p->fill_rate[0] = d->fill_rate[0];
	if (m & VXSM_FILL_RATE2)
		p->fill_rate[1] = d->fill_rate[1];
	if (m & VXSM_INTERVAL)
		p->interval_ns[0] = vx_interval_ns(d->interval[0], msec);
	if (m & VXSM_INTERVAL2)
		p->interval_ns[1] = vx_interval_ns(d->interval[1], msec);
	if (m & VXSM_TOKENS_MIN)
		p->tokens_min = d->tokens_min < 0 ? HZ / 3 : d->tokens_min;
	if (m & VXSM_TOKENS_MAX)
		p->tokens_max = d->tokens_max <= 0 ? HZ : d->tokens_max;
	if (m & VXSM_PRIO_BIAS)
		p->prio_bias = d->prio_bias;
	/* As in Linux-VServer: every set_sched says whether to use it. */
	p->idle_time = m & VXSM_IDLE_TIME;
}

static u64 vx_tokens_ns(s32 tokens, unsigned int ncpus)
{
	return (u64)max(tokens, 0) * VX_TICK_NS * ncpus;
}

/**
 * vc_set_sched - VCMD_set_sched (v5): set a context's CPU bucket
 * @c: struct vcmd_sched_v5; fields apply as @mask says
 *
 * The first call gives the context its task group.  %VXSM_TOKENS sets
 * the tokens left now, %VXSM_FORCE fills the bucket.
 *
 * There is one bucket for all CPUs (CFS bandwidth is one pool per group):
 * %VXSM_CPU_ID with a CPU other than -1 (all) is refused.
 *
 * Return: 0; -EINVAL (see vx_sched_check()), -ESRCH if the context does
 * not exist, -ENOMEM, -EOPNOTSUPP for one CPU's bucket or without
 * CONFIG_CFS_BANDWIDTH.
 */
long vc_set_sched(struct vx_call *c)
{
	struct vcmd_sched_v5 *d = c->data;
	struct vx_sched_param p;
	struct vx_sched *s;
	int ret;

	ret = vx_sched_check(d);
	if (ret)
		return ret;
	/* CFS bandwidth is one pool for all CPUs: no bucket per CPU. */
	if ((d->mask & VXSM_CPU_ID) && d->cpu_id != -1)
		return -EOPNOTSUPP;
	s = vx_sched_get(c->vxi);
	if (IS_ERR(s))
		return PTR_ERR(s);

	guard(mutex)(&s->lock);
	p = s->param;
	vx_sched_merge(&s->param, d);
	ret = vx_sched_apply(s);
	if (ret) {
		s->param = p;
		vx_sched_apply(s);
		return ret;
	}
	if (d->mask & VXSM_TOKENS)
		vx_tg_set_runtime(s->tg, vx_tokens_ns(d->tokens,
						      num_online_cpus()));
	if (d->mask & VXSM_FORCE)
		vx_tg_set_runtime(s->tg, U64_MAX);
	return 0;
}

/**
 * vc_get_sched - VCMD_get_sched (v5): read a context's CPU bucket
 * @c: struct vcmd_sched_v5: @cpu_id and @bucket_id (with their mask bits)
 *	and %VXSM_MSEC in; every field out
 *
 * A context without a bucket reports the defaults and no limit.
 *
 * Return: 0; -EINVAL for a bad CPU or bucket, -ESRCH if the context does
 * not exist.
 */
long vc_get_sched(struct vx_call *c)
{
	struct vcmd_sched_v5 *d = c->data;
	struct vx_sched *s = vx_sched_of(c->vxi);
	bool msec = d->mask & VXSM_MSEC;
	unsigned int ncpus = num_online_cpus();
	struct vx_sched_param p;
	struct vx_tg_stat st = { };

	if (d->mask & ~VXSM_MASK)
		return -EINVAL;
	if ((d->mask & VXSM_CPU_ID) && vx_sched_check_cpu(d->cpu_id))
		return -EINVAL;
	if ((d->mask & VXSM_BUCKET_ID) && d->bucket_id)
		return -EINVAL;

	if (s) {
		mutex_lock(&s->lock);
		p = s->param;
		mutex_unlock(&s->lock);
		vx_tg_stat(s->tg, -1, &st);
	} else {
		memset(&p, 0, sizeof(p));
		vx_sched_param_init(&p);
	}
	d->fill_rate[0] = p.fill_rate[0];
	d->fill_rate[1] = p.fill_rate[1];
	d->interval[0] = vx_interval_out(p.interval_ns[0], msec);
	d->interval[1] = vx_interval_out(p.interval_ns[1], msec);
	d->tokens_min = p.tokens_min;
	d->tokens_max = p.tokens_max;
	d->prio_bias = p.prio_bias;
	d->tokens = st.quota == U64_MAX || !s ? p.tokens_max :
		    div64_u64(st.runtime, VX_TICK_NS * ncpus);
	d->mask = VXSM_FILL_RATE | VXSM_INTERVAL | VXSM_FILL_RATE2 |
		  VXSM_INTERVAL2 | VXSM_TOKENS | VXSM_TOKENS_MIN |
		  VXSM_TOKENS_MAX | VXSM_PRIO_BIAS |
		  (d->mask & (VXSM_CPU_ID | VXSM_BUCKET_ID | VXSM_MSEC)) |
		  (p.idle_time ? VXSM_IDLE_TIME : 0);
	return 0;
}

/* User and system time of the context's live tasks, ns. */
static void vx_sched_task_times(struct vx_info *vxi, u64 *user, u64 *sys)
{
	struct task_struct *g, *t;
	u64 u, s;

	*user = 0;
	*sys = 0;
	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (vx_task(t)->vxi != vxi)
			continue;
		task_cputime(t, &u, &s);
		*user += u;
		*sys += s;
	}
	rcu_read_unlock();
}

/**
 * vc_sched_info - VCMD_sched_info: CPU time and hold time of a context
 * @c: struct vcmd_sched_info; @cpu_id (-1: all) and @bucket_id in
 *
 * With a bucket, the times are the group's, exact and including tasks
 * that ended, split into user and system time in the proportion of the
 * live tasks; without one, the live tasks' times (all CPUs only).
 *
 * Return: 0; -EINVAL for a bad CPU or bucket, -ESRCH if the context does
 * not exist.
 */
long vc_sched_info(struct vx_call *c)
{
	struct vcmd_sched_info *d = c->data;
	struct vx_sched *s = vx_sched_of(c->vxi);
	struct vx_tg_stat st = { };
	u64 user, sys, total;

	if (vx_sched_check_cpu(d->cpu_id) || d->bucket_id)
		return -EINVAL;
	vx_sched_task_times(c->vxi, &user, &sys);
	if (s) {
		vx_tg_stat(s->tg, d->cpu_id, &st);
		total = st.exec_ns;
		if (user + sys)
			user = mul_u64_u64_div_u64(total, user, user + sys);
		else
			user = total;
		sys = total - min(user, total);
	} else if (d->cpu_id != -1) {
		user = 0;
		sys = 0;
	}
	d->user_msec = div64_u64(user, NSEC_PER_MSEC);
	d->sys_msec = div64_u64(sys, NSEC_PER_MSEC);
	d->hold_msec = div64_u64(st.throttled_ns, NSEC_PER_MSEC);
	d->token_usec = VX_TICK_NS / NSEC_PER_USEC;
	d->vavavoom = s ? READ_ONCE(s->param.prio_bias) : 0;
	return 0;
}

/**
 * vc_set_prio_bias - VCMD_set_prio_bias: a nice level for the context
 * @c: struct vcmd_prio_bias
 *
 * The bias is the weight of the context's group, the same on every CPU:
 * @cpu_id only has to name a CPU (or -1).
 *
 * Return: 0; -EINVAL for a bad CPU or a bias outside -20..19, -ESRCH,
 * -ENOMEM, -EOPNOTSUPP (see vc_set_sched()).
 */
long vc_set_prio_bias(struct vx_call *c)
{
	struct vcmd_prio_bias *d = c->data;
	struct vcmd_sched_v5 v = {
		.mask = VXSM_PRIO_BIAS,
		.prio_bias = d->prio_bias,
	};
	struct vx_sched *s = vx_sched_of(c->vxi);
	int ret;

	if (vx_sched_check_cpu(d->cpu_id))
		return -EINVAL;
	ret = vx_sched_check(&v);
	if (ret)
		return ret;
	/* Keep the idle-time setting: this is not a set_sched. */
	if (s && READ_ONCE(s->param.idle_time))
		v.mask |= VXSM_IDLE_TIME;
	c->data = &v;
	return vc_set_sched(c);
}

/**
 * vc_get_prio_bias - VCMD_get_prio_bias
 * @c: struct vcmd_prio_bias; @cpu_id in
 *
 * Return: 0; -EINVAL for a bad CPU, -ESRCH.
 */
long vc_get_prio_bias(struct vx_call *c)
{
	struct vcmd_prio_bias *d = c->data;
	struct vx_sched *s = vx_sched_of(c->vxi);

	if (vx_sched_check_cpu(d->cpu_id))
		return -EINVAL;
	d->prio_bias = s ? READ_ONCE(s->param.prio_bias) : 0;
	return 0;
}

static void vx_seq_us(struct seq_file *m, const char *name, u64 ns)
{
	if (ns == U64_MAX)
		seq_printf(m, "%s:\t-1\n", name);
	else
		seq_printf(m, "%s:\t%llu\n", name, div64_u64(ns, NSEC_PER_USEC));
}

/**
 * vx_sched_proc_show - /proc/virtual/<xid>/sched
 * @m: the seq_file; m->private is the context
 * @v: unused
 *
 * Return: 0, or -ENOENT for a guest reading another context's file.
 */
int vx_sched_proc_show(struct seq_file *m, void *v)
{
	struct vx_info *vxi = m->private;
	u32 self = vx_current_xid();
	struct vx_sched *s;
	struct vx_sched_param p;
	struct vx_tg_stat st = { };
	const char *mode = "none";

	if (self > VX_ID_SPECTATOR && self != vxi->xid)
		return -ENOENT;
	s = vx_sched_of(vxi);
	if (s) {
		mutex_lock(&s->lock);
		p = s->param;
		mode = s->paused ? "paused" : s->soft ? "soft" :
			s->bw.quota == U64_MAX ? "unlimited" : "hard";
		mutex_unlock(&s->lock);
		vx_tg_stat(s->tg, -1, &st);
	} else {
		memset(&p, 0, sizeof(p));
		vx_sched_param_init(&p);
		st.quota = U64_MAX;
	}
	seq_printf(m, "Mode:\t%s\n", mode);
	seq_printf(m, "FillRate:\t%d,%d\n", p.fill_rate[0], p.fill_rate[1]);
	seq_printf(m, "Interval:\t%d,%d\n", vx_interval_out(p.interval_ns[0],
							    false),
		   vx_interval_out(p.interval_ns[1], false));
	seq_printf(m, "TokensMin:\t%d\n", p.tokens_min);
	seq_printf(m, "TokensMax:\t%d\n", p.tokens_max);
	seq_printf(m, "PrioBias:\t%d\n", p.prio_bias);
	seq_printf(m, "IdleTime:\t%d\n", p.idle_time);
	seq_printf(m, "Tokens:\t%llu\n", st.quota == U64_MAX ?
		   (u64)p.tokens_max :
		   div64_u64(st.runtime, VX_TICK_NS * num_online_cpus()));
	seq_printf(m, "RefillTokens:\t%llu\n", st.quota == U64_MAX ? 0 :
		   div64_u64(st.quota, VX_TICK_NS * num_online_cpus()));
	vx_seq_us(m, "PeriodUs", st.period);
	vx_seq_us(m, "QuotaUs", st.quota);
	vx_seq_us(m, "BurstUs", st.burst);
	seq_printf(m, "Weight:\t%lu\n", st.weight);
	seq_printf(m, "UsageMs:\t%llu\n", div64_u64(st.exec_ns,
						    NSEC_PER_MSEC));
	seq_printf(m, "Periods:\t%u\n", st.nr_periods);
	seq_printf(m, "Throttled:\t%u\n", st.nr_throttled);
	seq_printf(m, "ThrottledMs:\t%llu\n",
		   div64_u64(st.throttled_ns, NSEC_PER_MSEC));
	seq_printf(m, "ThrottledNow:\t%u\n", st.throttled_cpus);
	return 0;
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vx_sched_test_share(struct kunit *test)
{
	struct vx_sched_param p = { };
	struct vx_bw bw;

	vx_sched_param_init(&p);
	/* No fill rate: no limit. */
	vx_sched_compute(&p, false, 2, &bw);
	KUNIT_EXPECT_EQ(test, bw.quota, U64_MAX);
	KUNIT_EXPECT_EQ(test, bw.weight, 1024UL);

	/* 1 token per 4 ticks: 25% of each of 2 CPUs per period. */
	p.fill_rate[0] = 1;
	p.interval_ns[0] = 4 * VX_TICK_NS;
	p.tokens_min = 1;
	vx_sched_compute(&p, false, 2, &bw);
	KUNIT_EXPECT_EQ(test, bw.period, 4 * VX_TICK_NS);
	KUNIT_EXPECT_EQ(test, bw.quota, 2 * VX_TICK_NS);
	KUNIT_EXPECT_LE(test, bw.burst, bw.quota);

	/* tokens_min 10: refills of 10 tokens every 40 ticks, same share. */
	p.tokens_min = 10;
	vx_sched_compute(&p, false, 2, &bw);
	KUNIT_EXPECT_EQ(test, bw.period, 40 * VX_TICK_NS);
	KUNIT_EXPECT_EQ(test, bw.quota, 20 * VX_TICK_NS);
	/* Not a multiple: rounded up to whole intervals (3 x 3 >= 7). */
	p.fill_rate[0] = 3;
	p.interval_ns[0] = 12 * VX_TICK_NS;
	p.tokens_min = 7;
	vx_sched_compute(&p, false, 2, &bw);
	KUNIT_EXPECT_EQ(test, bw.period, 36 * VX_TICK_NS);
	KUNIT_EXPECT_EQ(test, bw.quota, 18 * VX_TICK_NS);
	/* Bounded by the 1 s CFS maximum, with the share kept. */
	p.tokens_min = 1000000;
	vx_sched_compute(&p, false, 2, &bw);
	KUNIT_EXPECT_EQ(test, bw.period, (u64)NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, bw.quota, (u64)NSEC_PER_SEC / 2);
	p.fill_rate[0] = 1;
	p.interval_ns[0] = 4 * VX_TICK_NS;
	p.tokens_min = HZ / 3;

	/* Full rate or more: no limit. */
	p.fill_rate[0] = 5;
	vx_sched_compute(&p, false, 2, &bw);
	KUNIT_EXPECT_EQ(test, bw.quota, U64_MAX);
}

static void vx_sched_test_period_range(struct kunit *test)
{
	struct vx_sched_param p = { };
	struct vx_bw bw;

	vx_sched_param_init(&p);
	/* 10 s interval: the period is 1 s, the share stays the same. */
	p.fill_rate[0] = HZ / 10;
	p.interval_ns[0] = 10 * NSEC_PER_SEC;
	vx_sched_compute(&p, false, 1, &bw);
	KUNIT_EXPECT_EQ(test, bw.period, (u64)NSEC_PER_SEC);
	KUNIT_EXPECT_LE(test, bw.quota, 10 * NSEC_PER_MSEC + NSEC_PER_USEC);
	KUNIT_EXPECT_GE(test, bw.quota, 10 * NSEC_PER_MSEC - NSEC_PER_MSEC);

	/* A tiny share: the period grows until the quota reaches 1 ms. */
	p.fill_rate[0] = 1;
	p.interval_ns[0] = 1000 * VX_TICK_NS;
	vx_sched_compute(&p, false, 1, &bw);
	KUNIT_EXPECT_GE(test, bw.quota, (u64)NSEC_PER_MSEC);
	KUNIT_EXPECT_LE(test, bw.period, (u64)NSEC_PER_SEC);
}

static void vx_sched_test_soft(struct kunit *test)
{
	struct vx_sched_param p = { };
	struct vx_bw a, b;

	vx_sched_param_init(&p);
	p.fill_rate[0] = 1;
	p.interval_ns[0] = 10 * VX_TICK_NS;
	vx_sched_compute(&p, true, 2, &a);
	p.fill_rate[0] = 4;
	vx_sched_compute(&p, true, 2, &b);
	KUNIT_EXPECT_EQ(test, a.quota, U64_MAX);
	KUNIT_EXPECT_EQ(test, b.quota, U64_MAX);
	/* Weights in the proportion of the shares. */
	KUNIT_EXPECT_EQ(test, b.weight / 4, a.weight);
	KUNIT_EXPECT_TRUE(test, vx_sched_soft(VXF_SCHED_PRIO));
	KUNIT_EXPECT_FALSE(test, vx_sched_soft(VXF_SCHED_PRIO |
					       VXF_SCHED_HARD));
	KUNIT_EXPECT_FALSE(test, vx_sched_soft(0));

	vx_sched_pause(&a);
	KUNIT_EXPECT_EQ(test, a.quota, (u64)NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, a.period, (u64)NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, a.burst, 0ULL);
}

static void vx_sched_test_idle(struct kunit *test)
{
	u64 per = 100 * NSEC_PER_MSEC, cap = 2 * 250 * NSEC_PER_MSEC;
	u64 base = per / 2;	/* 25% of 2 CPUs */

	/* Nobody else runs: the idle rate (here: no limit). */
	KUNIT_EXPECT_EQ(test, vx_idle_next_quota(base, base, U64_MAX, cap,
						 cap - cap / 4, cap / 4, per, 2),
			U64_MAX);
	/* Others are busy and nothing is idle: back towards the base. */
	KUNIT_EXPECT_EQ(test, vx_idle_next_quota(base, 4 * base, U64_MAX, cap,
						 0, cap / 2, per, 2),
			2 * base);
	KUNIT_EXPECT_EQ(test, vx_idle_next_quota(base, base, U64_MAX, cap,
						 0, cap / 4, per, 2),
			base);
	/* Never below the base, never above the idle rate. */
	KUNIT_EXPECT_EQ(test, vx_idle_next_quota(base, base, 3 * base / 2,
						 cap, cap / 2, cap / 4, per, 2),
			3 * base / 2);
}

static void vx_sched_test_check_merge(struct kunit *test)
{
	struct vcmd_sched_v5 d = { .mask = VXSM_FILL_RATE,
				   .fill_rate = { -1 } };
	struct vx_sched_param p = { };

	KUNIT_EXPECT_EQ(test, vx_sched_check(&d), -EINVAL);
	d = (struct vcmd_sched_v5){ .mask = VXSM_FORCE, .fill_rate = { -1 } };
	KUNIT_EXPECT_EQ(test, vx_sched_check(&d), 0);
	d = (struct vcmd_sched_v5){ .mask = VXSM_MSEC << 1 };
	KUNIT_EXPECT_EQ(test, vx_sched_check(&d), -EINVAL);
	d = (struct vcmd_sched_v5){ .mask = VXSM_PRIO_BIAS, .prio_bias = 19 };
	KUNIT_EXPECT_EQ(test, vx_sched_check(&d), 0);

	vx_sched_param_init(&p);
	d = (struct vcmd_sched_v5){
		.mask = VXSM_INTERVAL | VXSM_MSEC | VXSM_TOKENS_MAX |
			VXSM_TOKENS_MIN | VXSM_IDLE_TIME,
		.interval = { 250 }, .tokens_max = 0, .tokens_min = -1,
	};
	vx_sched_merge(&p, &d);
	KUNIT_EXPECT_EQ(test, p.interval_ns[0], 250 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, p.tokens_max, HZ);
	KUNIT_EXPECT_EQ(test, p.tokens_min, HZ / 3);
	KUNIT_EXPECT_TRUE(test, p.idle_time);
	/* Every set_sched says whether idle time is on. */
	d = (struct vcmd_sched_v5){ .mask = VXSM_FILL_RATE, .fill_rate = { 3 } };
	vx_sched_merge(&p, &d);
	KUNIT_EXPECT_FALSE(test, p.idle_time);
	KUNIT_EXPECT_EQ(test, p.fill_rate[0], 3);
	KUNIT_EXPECT_EQ(test, p.interval_ns[0], 250 * NSEC_PER_MSEC);
}

static struct kunit_case vx_sched_cases[] = {
	KUNIT_CASE(vx_sched_test_check_merge),
	KUNIT_CASE(vx_sched_test_share),
	KUNIT_CASE(vx_sched_test_period_range),
	KUNIT_CASE(vx_sched_test_soft),
	KUNIT_CASE(vx_sched_test_idle),
	{}
};

static struct kunit_suite vx_sched_suite = {
	.name = "vserver_sched",
	.test_cases = vx_sched_cases,
};

kunit_test_suite(vx_sched_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
