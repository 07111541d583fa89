// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: scheduler groups of security contexts.
 *
 * A context with a CPU bucket owns a task group, made and torn down
 * exactly like an autogroup (see autogroup.c): a child of the root task
 * group that no cgroup owns.  Tasks of the context that sit in the root
 * cgroup are scheduled in it (vx_sched_task_group() in
 * kernel/vserver/sched.c, called where autogroup_task_group() is).
 *
 * This file is included by build_utility.c when CONFIG_VSERVER is set,
 * so it sees the scheduler's internals;
 * kernel/vserver/sched.c only uses the small API below (declared in
 * <linux/vserver.h>): the token bucket logic lives with the rest of
 * vserver and the scheduler keeps its structures private.
 */

#ifdef CONFIG_CGROUP_SCHED
/**
 * vx_sched_task_group - the group a task is scheduled in
 * @p: the task
 * @tg: the group of its cgroup
 *
 * Called with @p's rq or pi lock held, like autogroup_task_group().  A
 * task in the root cgroup whose context has a group runs there; a task
 * in any other cgroup keeps its cgroup's group.
 *
 * Return: the group to use.
 */
struct task_group *vx_sched_task_group(struct task_struct *p,
				       struct task_group *tg)
{
	struct task_group *vtg;

	if (tg != &root_task_group)
		return tg;
	vtg = vx_task_sched_group(p);
	return vtg ?: tg;
}
#endif

/**
 * vx_tg_nice_weight - the load weight of a nice level
 * @nice: -20..19 (clamped)
 *
 * Return: 1024 for nice 0, about 1.25 times less per step up.
 */
unsigned long vx_tg_nice_weight(int nice)
{
	nice = clamp(nice, MIN_NICE, MAX_NICE);
	return sched_prio_to_weight[nice - MIN_NICE];
}

#ifdef CONFIG_CFS_BANDWIDTH
#ifdef CONFIG_RT_GROUP_SCHED
/* As for autogroups: real-time tasks stay in the root group. */
static void vx_tg_redirect_rt(struct task_group *tg)
{
	free_rt_sched_group(tg);
	tg->rt_se = root_task_group.rt_se;
	tg->rt_rq = root_task_group.rt_rq;
}

static void vx_tg_unredirect_rt(struct task_group *tg)
{
	tg->rt_se = NULL;
	tg->rt_rq = NULL;
}
#else
static inline void vx_tg_redirect_rt(struct task_group *tg) { }
static inline void vx_tg_unredirect_rt(struct task_group *tg) { }
#endif

/**
 * vx_tg_create - a new task group below the root for a context
 *
 * Return: the group or ERR_PTR(-ENOMEM).
 */
struct task_group *vx_tg_create(void)
{
	struct task_group *tg;

	tg = sched_create_group(&root_task_group);
	if (IS_ERR(tg))
		return tg;
	vx_tg_redirect_rt(tg);
	sched_online_group(tg, &root_task_group);
	return tg;
}

/**
 * vx_tg_destroy - release a group made by vx_tg_create()
 * @tg: the group; no task may be scheduled in it any more
 *
 * May be called from an RCU callback, as autogroup_destroy() is.
 */
void vx_tg_destroy(struct task_group *tg)
{
	vx_tg_unredirect_rt(tg);
	sched_release_group(tg);
	sched_destroy_group(tg);
}

/**
 * vx_tg_set_bandwidth - set the CFS bandwidth of a context's group
 * @tg: the group
 * @period: period in ns
 * @quota: runtime per period in ns, or U64_MAX for no limit
 * @burst: extra runtime that may accumulate, in ns (at most @quota)
 *
 * Return: 0 or -EINVAL (see tg_set_cfs_bandwidth()).
 */
int vx_tg_set_bandwidth(struct task_group *tg, u64 period, u64 quota,
			u64 burst)
{
	if (quota == U64_MAX) {
		quota = RUNTIME_INF;
		burst = 0;
	}
	return tg_set_cfs_bandwidth(tg, period, quota, burst);
}

/**
 * vx_tg_set_runtime - set the runtime left in the current period
 * @tg: the group
 * @runtime: ns; capped at quota + burst
 */
void vx_tg_set_runtime(struct task_group *tg, u64 runtime)
{
	struct cfs_bandwidth *cfs_b = &tg->cfs_bandwidth;

	guard(raw_spinlock_irq)(&cfs_b->lock);
	if (cfs_b->quota == RUNTIME_INF)
		return;
	cfs_b->runtime = min(runtime, cfs_b->quota + cfs_b->burst);
}

/**
 * vx_tg_set_weight - set the weight of a context's group
 * @tg: the group
 * @weight: 1024 is the weight of one nice-0 task
 *
 * Return: 0 or -EINVAL.
 */
int vx_tg_set_weight(struct task_group *tg, unsigned long weight)
{
	weight = clamp(weight, MIN_SHARES, MAX_SHARES);
	return sched_group_set_shares(tg, scale_load(weight));
}

/**
 * vx_tg_move_task - put a task into the group it should be in now
 * @p: the task
 *
 * Re-evaluates sched_change_group() for @p, e.g. after it joined a
 * context or its context got a group.
 */
void vx_tg_move_task(struct task_struct *p)
{
	sched_move_task(p, true);
}

/**
 * vx_tg_forks_lock - hold off forks while tasks move into a group
 *
 * A fork chooses the child's group in sched_cgroup_fork() and links the
 * child into the task list later, both under cgroup_threadgroup_rwsem;
 * holding it for writing, a walk of the task list misses no child.
 */
void vx_tg_forks_lock(void)
{
	percpu_down_write(&cgroup_threadgroup_rwsem);
}

void vx_tg_forks_unlock(void)
{
	percpu_up_write(&cgroup_threadgroup_rwsem);
}

/**
 * vx_tg_stat - read the figures of a context's group
 * @tg: the group
 * @cpu: one CPU, or -1 for all
 * @st: filled in
 */
void vx_tg_stat(struct task_group *tg, int cpu, struct vx_tg_stat *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->weight = scale_load_down(READ_ONCE(tg->shares));
	for_each_possible_cpu(i) {
		if (cpu >= 0 && i != cpu)
			continue;
		st->exec_ns += READ_ONCE(tg->se[i]->sum_exec_runtime);
	}
	scoped_guard(raw_spinlock_irqsave, &tg->cfs_bandwidth.lock) {
		struct cfs_bandwidth *cfs_b = &tg->cfs_bandwidth;

		st->period = ktime_to_ns(cfs_b->period);
		st->quota = cfs_b->quota == RUNTIME_INF ? U64_MAX : cfs_b->quota;
		st->burst = cfs_b->burst;
		st->runtime = cfs_b->runtime;
		st->nr_periods = cfs_b->nr_periods;
		st->nr_throttled = cfs_b->nr_throttled;
		st->throttled_ns = cfs_b->throttled_time;
	}
	for_each_possible_cpu(i)
		if (READ_ONCE(tg->cfs_rq[i]->throttled))
			st->throttled_cpus++;
}
#else /* !CONFIG_CFS_BANDWIDTH: vserver cannot make buckets */
struct task_group *vx_tg_create(void)
{
	return ERR_PTR(-EOPNOTSUPP);
}

void vx_tg_destroy(struct task_group *tg) { }

int vx_tg_set_bandwidth(struct task_group *tg, u64 period, u64 quota,
			u64 burst)
{
	return -EOPNOTSUPP;
}

void vx_tg_set_runtime(struct task_group *tg, u64 runtime) { }

int vx_tg_set_weight(struct task_group *tg, unsigned long weight)
{
	return -EOPNOTSUPP;
}

void vx_tg_move_task(struct task_struct *p) { }

void vx_tg_forks_lock(void) { }

void vx_tg_forks_unlock(void) { }

void vx_tg_stat(struct task_group *tg, int cpu, struct vx_tg_stat *st)
{
	memset(st, 0, sizeof(*st));
}
#endif /* CONFIG_CFS_BANDWIDTH */
