// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: what a guest learns about "the machine" -- uptime, load and
 * memory, in /proc/uptime, /proc/loadavg, /proc/meminfo and sysinfo(2).
 *
 * Switched per context by its flags:
 *   VXF_VIRT_UPTIME  uptime counts from the context's creation
 *   VXF_VIRT_LOAD    load averages and task counts of the context's tasks
 *   VXF_VIRT_MEM     memory and swap are the limit and usage of the
 *                    caller's memory cgroup (memory.max/swap.max, the
 *                    smallest on the way to the root), when one is set
 *
 * sysinfo(2) is virtualised too, so free(1), top(1) and uptime(1) tell the
 * truth whichever source they read.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/page_counter.h>
#include <linux/pid_namespace.h>
#include <linux/sched/loadavg.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/swap.h>
#include <linux/sysinfo.h>
#include <linux/timekeeping.h>
#include <linux/utsname.h>

#include "internal.h"

/* The caller's context if it has @flag set, else NULL (no reference). */
static struct vx_info *vx_virt(u64 flag)
{
	struct vx_info *vxi = vx_task(current)->vxi;

	if (vxi && (READ_ONCE(vxi->flags) & flag))
		return vxi;
	return NULL;
}

/* ---- uptime ---- */

/**
 * vx_virt_uptime - /proc/uptime for a guest with VXF_VIRT_UPTIME
 * @uptime: boot-time clock, made relative to the context's creation
 * @idle_nsec: summed idle time, capped to what fits in that uptime
 */
void vx_virt_uptime(struct timespec64 *uptime, u64 *idle_nsec)
{
	struct vx_info *vxi = vx_virt(VXF_VIRT_UPTIME);
	u64 now, up;

	if (!vxi)
		return;
	now = timespec64_to_ns(uptime);
	up = now > vxi->start_ns ? now - vxi->start_ns : 0;
	*uptime = ns_to_timespec64(up);
	*idle_nsec = min(*idle_nsec, up * num_online_cpus());
}

/* ---- load ---- */

/* Tasks of @vxi that count for the load: running or uninterruptible. */
static unsigned int vx_nr_active(struct vx_info *vxi, unsigned int *running)
{
	struct task_struct *g, *t;
	unsigned int active = 0, run = 0;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		/* The reader itself runs only to read: do not count it. */
		if (vx_task(t)->vxi != vxi || t == current)
			continue;
		if (task_is_running(t)) {
			run++;
			active++;
		} else if (READ_ONCE(t->__state) & TASK_UNINTERRUPTIBLE &&
			   !(READ_ONCE(t->__state) & TASK_NOLOAD)) {
			active++;
		}
	}
	rcu_read_unlock();
	*running = run;
	return active;
}

/*
 * Bring the context's load averages up to date.  They are sampled when
 * read, not on every tick: the elapsed LOAD_FREQ periods decay the old
 * averages towards the number of active tasks now.
 */
static void vx_update_load(struct vx_info *vxi, unsigned int active,
			   unsigned long avg[3])
{
	static const unsigned long exp[3] = { EXP_1, EXP_5, EXP_15 };
	unsigned long now = jiffies, n;
	int i;

	spin_lock(&vxi->lock);
	if (!vxi->load_stamp)
		vxi->load_stamp = now;
	n = (now - vxi->load_stamp) / LOAD_FREQ;
	if (n) {
		for (i = 0; i < 3; i++)
			vxi->avenrun[i] = calc_load_n(vxi->avenrun[i], exp[i],
						      active * FIXED_1, n);
		vxi->load_stamp += n * LOAD_FREQ;
	}
	for (i = 0; i < 3; i++)
		avg[i] = vxi->avenrun[i];
	spin_unlock(&vxi->lock);
}

/**
 * vx_load_snapshot - current load averages of a context
 * @vxi: the context
 * @avg: the three averages, fixed point (FIXED_1 = 1.0), rounded
 */
void vx_load_snapshot(struct vx_info *vxi, unsigned long avg[3])
{
	unsigned int running;
	int i;

	vx_update_load(vxi, vx_nr_active(vxi, &running), avg);
	for (i = 0; i < 3; i++)
		avg[i] += FIXED_1 / 200;
}

/**
 * vx_virt_loadavg - /proc/loadavg for a guest with VXF_VIRT_LOAD
 * @m: the seq_file to print to
 *
 * Return: true if the line was printed here.
 */
bool vx_virt_loadavg(struct seq_file *m)
{
	struct vx_info *vxi = vx_virt(VXF_VIRT_LOAD);
	unsigned long avg[3];
	unsigned int active, running;
	int i;

	if (!vxi)
		return false;
	active = vx_nr_active(vxi, &running);
	vx_update_load(vxi, active, avg);
	for (i = 0; i < 3; i++)
		avg[i] += FIXED_1 / 200;
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n",
		   LOAD_INT(avg[0]), LOAD_FRAC(avg[0]),
		   LOAD_INT(avg[1]), LOAD_FRAC(avg[1]),
		   LOAD_INT(avg[2]), LOAD_FRAC(avg[2]),
		   running, READ_ONCE(vxi->tasks),
		   idr_get_cursor(&task_active_pid_ns(current)->idr) - 1);
	return true;
}

/**
 * vc_virt_stat - VCMD_virt_stat: uptime, tasks and load of a context
 * @c: fills struct vcmd_virt_stat
 *
 * vserver-stat's UPTIME column and `vserver-info` read it.
 *
 * Return: 0; -ESRCH if the context does not exist.
 */
long vc_virt_stat(struct vx_call *c)
{
	struct vcmd_virt_stat *arg = c->data;
	struct vx_info *vxi = c->vxi;
	unsigned int active, running;
	unsigned long avg[3];
	u64 now = ktime_get_boottime_ns();
	int i;

	memset(arg, 0, sizeof(*arg));
	arg->uptime = now > vxi->start_ns ? now - vxi->start_ns : 0;
	active = vx_nr_active(vxi, &running);
	vx_update_load(vxi, active, avg);
	arg->nr_threads = READ_ONCE(vxi->tasks);
	arg->nr_running = running;
	arg->nr_uninterruptible = active - running;
	for (i = 0; i < 3; i++)
		arg->load[i] = avg[i];
	return 0;
}

/* ---- memory ---- */

/**
 * struct vx_vmem - a guest's view of memory, in pages
 * @total: RAM it may use
 * @used: RAM it uses
 * @cached: of which page cache
 * @shmem: of which shared memory (tmpfs, SysV)
 * @swap_total: swap it may use
 * @swap_used: swap it uses
 */
struct vx_vmem {
	unsigned long total, used, cached, shmem, swap_total, swap_used;
};

#ifdef CONFIG_MEMCG
static bool vx_memcg_view(struct vx_vmem *v)
{
	unsigned long limit = PAGE_COUNTER_MAX, swlimit = PAGE_COUNTER_MAX;
	struct mem_cgroup *memcg, *m;

	if (mem_cgroup_disabled())
		return false;
	rcu_read_lock();
	memcg = mem_cgroup_from_task(current);
	for (m = memcg; m && !mem_cgroup_is_root(m); m = parent_mem_cgroup(m)) {
		limit = min(limit, READ_ONCE(m->memory.max));
		swlimit = min(swlimit, READ_ONCE(m->swap.max));
	}
	if (!memcg || limit == PAGE_COUNTER_MAX) {
		rcu_read_unlock();
		return false;
	}
	v->total = min(limit, totalram_pages());
	v->used = min(page_counter_read(&memcg->memory), v->total);
	v->cached = memcg_page_state(memcg, NR_FILE_PAGES);
	v->shmem = memcg_page_state(memcg, NR_SHMEM);
	v->swap_total = min_t(unsigned long, swlimit, total_swap_pages);
	v->swap_used = min(page_counter_read(&memcg->swap), v->swap_total);
	rcu_read_unlock();
	return true;
}
#else
static bool vx_memcg_view(struct vx_vmem *v)
{
	return false;
}
#endif

static bool vx_vmem(struct vx_vmem *v)
{
	if (!vx_virt(VXF_VIRT_MEM))
		return false;
	return vx_memcg_view(v);
}

static void vx_show_kb(struct seq_file *m, const char *name,
		       unsigned long pages)
{
	seq_printf(m, "%-16s%8lu kB\n", name, pages << (PAGE_SHIFT - 10));
}

/**
 * vx_cpus_visible - the CPUs /proc/stat and /proc/cpuinfo show the caller
 *
 * A guest with VXF_VIRT_CPU sees only the CPUs it may run on, so tools
 * that count processors in /proc (top, htop, many build scripts) size
 * themselves to what a pinned guest really has.
 *
 * Return: the caller's allowed CPUs with VXF_VIRT_CPU, else all CPUs.
 */
const struct cpumask *vx_cpus_visible(void)
{
	if (vx_virt(VXF_VIRT_CPU))
		return current->cpus_ptr;
	return cpu_possible_mask;
}

/**
 * vx_cpumap_print_to_pagebuf - a CPU list of /sys/devices/system/cpu
 * @buf: the sysfs page
 * @map: the CPUs the file lists (online, possible, present)
 *
 * glibc's sysconf(_SC_NPROCESSORS_ONLN) reads the online list: a guest
 * with VXF_VIRT_CPU finds there only the CPUs it may run on, as in
 * /proc/stat.
 *
 * Return: the length printed, or -ENOMEM.
 */
ssize_t vx_cpumap_print_to_pagebuf(char *buf, const struct cpumask *map)
{
	cpumask_var_t shown;
	ssize_t ret;

	if (!vx_virt(VXF_VIRT_CPU))
		return cpumap_print_to_pagebuf(true, buf, map);
	if (!alloc_cpumask_var(&shown, GFP_KERNEL))
		return -ENOMEM;
	cpumask_and(shown, map, vx_cpus_visible());
	ret = cpumap_print_to_pagebuf(true, buf, shown);
	free_cpumask_var(shown);
	return ret;
}

/**
 * vx_virt_meminfo - /proc/meminfo for a guest with VXF_VIRT_MEM
 * @m: the seq_file to print to
 *
 * Prints the fields free(1), top(1) and friends read, computed from the
 * guest's memory cgroup.
 *
 * Return: true if the file was printed here.
 */
bool vx_virt_meminfo(struct seq_file *m)
{
	struct vx_vmem v;
	unsigned long avail;

	if (!vx_vmem(&v))
		return false;
	avail = v.total - v.used + min(v.cached - min(v.cached, v.shmem),
				       v.used);
	vx_show_kb(m, "MemTotal:", v.total);
	vx_show_kb(m, "MemFree:", v.total - v.used);
	vx_show_kb(m, "MemAvailable:", min(avail, v.total));
	vx_show_kb(m, "Buffers:", 0);
	vx_show_kb(m, "Cached:", min(v.cached, v.used));
	vx_show_kb(m, "SwapCached:", 0);
	vx_show_kb(m, "Shmem:", v.shmem);
	vx_show_kb(m, "SReclaimable:", 0);
	vx_show_kb(m, "SwapTotal:", v.swap_total);
	vx_show_kb(m, "SwapFree:", v.swap_total - v.swap_used);
	return true;
}

/**
 * vx_virt_sysinfo - sysinfo(2) for a guest
 * @info: filled by do_sysinfo() in pages (mem_unit PAGE_SIZE); adjusted
 *	for the flags the caller's context has
 */
void vx_virt_sysinfo(struct sysinfo *info)
{
	struct vx_info *vxi;
	struct vx_vmem v;

	vxi = vx_virt(VXF_VIRT_UPTIME);
	if (vxi) {
		u64 now = ktime_get_boottime_ns();
		u64 up = now > vxi->start_ns ? now - vxi->start_ns : 0;

		info->uptime = div_u64(up + NSEC_PER_SEC - 1, NSEC_PER_SEC);
	}
	vxi = vx_virt(VXF_VIRT_LOAD);
	if (vxi) {
		unsigned long avg[3];
		unsigned int running;
		int i;

		vx_update_load(vxi, vx_nr_active(vxi, &running), avg);
		for (i = 0; i < 3; i++)
			info->loads[i] = avg[i] << (SI_LOAD_SHIFT - FSHIFT);
		info->procs = min_t(unsigned int, READ_ONCE(vxi->tasks),
				    USHRT_MAX);
	}
	if (vx_vmem(&v)) {
		info->totalram = v.total;
		info->freeram = v.total - v.used;
		info->sharedram = v.shmem;
		info->bufferram = 0;
		info->totalswap = v.swap_total;
		info->freeswap = v.swap_total - v.swap_used;
		info->totalhigh = 0;
		info->freehigh = 0;
	}
}

/* ---- uname: vhi names ---- */

static char *vx_uts_field(struct uts_namespace *uts, u32 field)
{
	switch (field) {
	case VHIN_SYSNAME:
		return uts->name.sysname;
	case VHIN_NODENAME:
		return uts->name.nodename;
	case VHIN_RELEASE:
		return uts->name.release;
	case VHIN_VERSION:
		return uts->name.version;
	case VHIN_MACHINE:
		return uts->name.machine;
	case VHIN_DOMAINNAME:
		return uts->name.domainname;
	}
	return NULL;
}

#ifdef CONFIG_VSERVER_PLANTED_BUG
/*
 * Test only (make check-fuzz): an off-by-one heap overflow for the fuzzer
 * to find, armed through /sys/module/vserver/parameters/planted_bug.
 */
#undef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX "vserver."
static bool planted_bug;
module_param(planted_bug, bool, 0600);

static noinline void vx_planted_bug(const char *name)
{
	size_t i, len = strlen(name);
	char *copy;

	if (!READ_ONCE(planted_bug) || len != VHI_NAME_LEN - 1)
		return;
	copy = kmalloc(len, GFP_KERNEL);	/* no room for the NUL */
	if (!copy)
		return;
	for (i = 0; i <= len; i++)
		copy[i] = name[i];
	kfree(copy);
}
#else
static inline void vx_planted_bug(const char *name) { }
#endif

/**
 * vc_set_vhi_name - VCMD_set_vhi_name: name the context, or set a uname
 *	field of the UTS namespace it holds
 * @c: struct vcmd_vhi_name
 *
 * Release, version and machine may differ from the host's: the guest's
 * uname(2) reports what is set here.
 *
 * The padding after @name is ignored: util-vserver does not clear it.
 *
 * Return: 0; -EINVAL for an unknown field, a name without its NUL within
 * 65 bytes, or a uname field while no UTS namespace is held in space 0;
 * -ESRCH.
 */
long vc_set_vhi_name(struct vx_call *c)
{
	struct vcmd_vhi_name *arg = c->data;
	struct vx_info *vxi = c->vxi;
	struct uts_namespace *uts;

	if (arg->field > VHIN_MAX ||
	    strnlen(arg->name, VHI_NAME_LEN) == VHI_NAME_LEN)
		return -EINVAL;
	if (arg->field == VHIN_CONTEXT) {
		vx_planted_bug(arg->name);
		spin_lock(&vxi->lock);
		strscpy(vxi->name, arg->name, sizeof(vxi->name));
		spin_unlock(&vxi->lock);
		return 0;
	}
	uts = vx_space_uts(vxi);
	if (!uts)
		return -EINVAL;
	if (uts == &init_uts_ns) {	/* never the host's own names */
		put_uts_ns(uts);
		return -EINVAL;
	}
	down_write(&uts_sem);
	strscpy(vx_uts_field(uts, arg->field), arg->name, __NEW_UTS_LEN + 1);
	up_write(&uts_sem);
	put_uts_ns(uts);
	return 0;
}

/**
 * vc_get_vhi_name - VCMD_get_vhi_name
 * @c: struct vcmd_vhi_name: @field in, @name out
 *
 * Return: 0; -EINVAL for an unknown field, or a uname field while no UTS
 * namespace is held; -ESRCH.
 */
long vc_get_vhi_name(struct vx_call *c)
{
	struct vcmd_vhi_name *arg = c->data;
	struct vx_info *vxi = c->vxi;
	struct uts_namespace *uts;

	if (arg->field > VHIN_MAX)
		return -EINVAL;
	memset(arg->name, 0, sizeof(arg->name));
	memset(arg->pad, 0, sizeof(arg->pad));
	if (arg->field == VHIN_CONTEXT) {
		spin_lock(&vxi->lock);
		strscpy(arg->name, vxi->name, sizeof(arg->name));
		spin_unlock(&vxi->lock);
		return 0;
	}
	uts = vx_space_uts(vxi);
	if (!uts)
		return -EINVAL;
	down_read(&uts_sem);
	strscpy(arg->name, vx_uts_field(uts, arg->field), sizeof(arg->name));
	up_read(&uts_sem);
	put_uts_ns(uts);
	return 0;
}
