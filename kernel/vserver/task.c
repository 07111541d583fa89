// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: process isolation between contexts.
 *
 * Who may see and act on which task:
 *
 *                      sees            signals, ptraces, renices
 *   host (xid 0)       every task      every task
 *   spectator (xid 1)  every task      nothing (signal 0 only)
 *   guest X            tasks of X      tasks of X
 *
 * A task a guest may not see does not exist for it: the hooks answer
 * -ESRCH, /proc hides it (fs/proc/base.c asks vx_task_visible()), pid
 * lookups do not find it (kernel/pid.c), and kill(-1) skips it.
 *
 * A host process that enters a guest (vserver NAME exec, vcontext
 * --migrate) runs host code, with the host's open files, working
 * directory and executable, until it execs the guest's command; so do
 * its children until they exec.  The guest's tasks can see such an
 * "entered" task, and signal it, but not reach into it: no ptrace
 * access, so none of its /proc/<pid>/exe, fd/, cwd, root, environ, mem
 * (the way runc's CVE-2019-5736 rewrote the host's binary).
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "internal.h"

static bool vx_xid_sees(u32 self, u32 xid)
{
	return self <= VX_ID_SPECTATOR || self == xid;
}

/**
 * vx_task_visible - may the current task see @p?
 * @p: a task
 *
 * Return: true for the host and the spectator, and for tasks of the
 * caller's own context.
 */
bool vx_task_visible(struct task_struct *p)
{
	return vx_xid_sees(vx_current_xid(), vx_task_xid(p));
}

/**
 * vx_task_found - a task a pid lookup found, as the caller may find it
 * @p: the task find_task_by_vpid() found, or NULL
 *
 * Every system call that takes a pid (getpriority, capget,
 * get_robust_list, kcmp, process_vm_readv, perf_event_open, migrate_pages,
 * the writes to cgroup.procs, ...) looks it up through
 * find_task_by_vpid(): a task the caller may not see is not found, and
 * the call fails with -ESRCH as for a pid nobody has.  Checks that come
 * later (ptrace_may_access() answers -EPERM) cannot tell it exists.
 *
 * Return: @p, or NULL if the current task may not see it.
 */
struct task_struct *vx_task_found(struct task_struct *p)
{
	if (!p || !in_task() || vx_task_visible(p))
		return p;
	return NULL;
}

/**
 * vx_pid_found - a pid a lookup found, as the caller may find it
 * @pid: the pid find_vpid() found, or NULL; under rcu_read_lock() or
 *	tasklist_lock, as find_vpid() is
 *
 * The same for struct pid lookups: pidfd_open(), F_SETOWN, TIOCSPGRP,
 * process group and session ids.  A pid exists for the caller if one of
 * the tasks it names (as a task, process, process group or session) is
 * visible: a guest started in an administrator's session still finds
 * its process group, while the tasks of it the guest may not see stay
 * out of reach of the hooks.
 *
 * Return: @pid, or NULL if the current task may see none of its tasks.
 */
struct pid *vx_pid_found(struct pid *pid)
{
	struct task_struct *p;
	enum pid_type type;
	bool any = false;

	if (!pid || !in_task() || !vx_current_guest())
		return pid;
	for (type = PIDTYPE_PID; type < PIDTYPE_MAX; type++) {
		hlist_for_each_entry_rcu(p, &pid->tasks[type], pid_links[type],
					 lockdep_tasklist_lock_is_held()) {
			if (vx_task_visible(p))
				return pid;
			any = true;
		}
	}
	/* A pid without tasks (a group whose members all left) stays. */
	return any ? NULL : pid;
}

/*
 * May the current task act on @p (signal, ptrace, renice, set its
 * scheduling)?  0, -ESRCH if it cannot even see @p, -EPERM for the
 * spectator.
 */
static int vx_may_act_on(struct task_struct *p)
{
	u32 self = vx_current_xid();

	if (self == VX_ID_HOST)
		return 0;
	if (!vx_xid_sees(self, vx_task_xid(p)))
		return -ESRCH;
	if (self == VX_ID_SPECTATOR)
		return -EPERM;
	return 0;
}

static int vx_may_see(struct task_struct *p)
{
	return vx_task_visible(p) ? 0 : -ESRCH;
}

/* Is @p a host process that entered the current task's guest? */
static bool vx_entered_from_host(struct task_struct *p)
{
	return vx_current_guest() && READ_ONCE(vx_task(p)->entered) &&
	       !vx_task(current)->entered;
}

static int vx_task_kill(struct task_struct *p, struct kernel_siginfo *info,
			int sig, const struct cred *cred)
{
	u32 self, xid = vx_task_xid(p);

	/*
	 * Signals on behalf of a cred (USB async I/O) use its context; a
	 * spectator's cred has none and is treated as the host's.
	 */
	if (cred) {
		struct vx_info *vxi = vx_cred(cred)->vxi;

		self = vxi ? vxi->xid : VX_ID_HOST;
	} else {
		self = vx_current_xid();
	}
	if (self == VX_ID_HOST)
		return 0;
	if (!vx_xid_sees(self, xid))
		return -ESRCH;
	if (self == VX_ID_SPECTATOR && sig)
		return -EPERM;
	return 0;
}

/* Remember who set the owner of a file: SIGIO/SIGURG come from them. */
static void vx_file_set_fowner(struct file *file)
{
	vx_file(file)->fown_xid = vx_current_xid();
}

static int vx_file_send_sigiotask(struct task_struct *tsk,
				  struct fown_struct *fown, int sig)
{
	u32 self = vx_file(fown->file)->fown_xid;

	if (self == VX_ID_HOST)
		return 0;
	if (self == VX_ID_SPECTATOR || vx_task_xid(tsk) != self)
		return -EPERM;
	return 0;
}

static int vx_ptrace_access_check(struct task_struct *child,
				  unsigned int mode)
{
	int ret = mode & PTRACE_MODE_READ ? vx_may_see(child) :
					    vx_may_act_on(child);

	if (!ret && vx_entered_from_host(child))
		return -EPERM;
	return ret;
}

/* The program the task runs now is the guest's own. */
static void vx_bprm_committed_creds(const struct linux_binprm *bprm)
{
	WRITE_ONCE(vx_task(current)->entered, false);
}

/* A guest task may only be traced by its own context or the host. */
static int vx_ptrace_traceme(struct task_struct *parent)
{
	u32 pxid = vx_task_xid(parent);

	if (pxid == VX_ID_HOST || pxid == vx_current_xid())
		return 0;
	return -EPERM;
}

static int vx_task_setpgid(struct task_struct *p, pid_t pgid)
{
	return vx_may_act_on(p);
}

/* Hooks that only read a task: getpgid, getsid, getioprio, ... */
static int vx_see_task(struct task_struct *p)
{
	return vx_may_see(p);
}

/* Hooks that change a task: setscheduler, movememory. */
static int vx_act_on_task(struct task_struct *p)
{
	return vx_may_act_on(p);
}

static int vx_task_setnice(struct task_struct *p, int nice)
{
	return vx_may_act_on(p);
}

static int vx_task_setioprio(struct task_struct *p, int ioprio)
{
	return vx_may_act_on(p);
}

static int vx_task_setrlimit(struct task_struct *p, unsigned int resource,
			     struct rlimit *new_rlim)
{
	return vx_may_act_on(p);
}

/* prlimit(2) on another process: compare the contexts of the creds. */
static int vx_task_prlimit(const struct cred *cred, const struct cred *tcred,
			   unsigned int flags)
{
	struct vx_info *self = vx_cred(cred)->vxi;
	struct vx_info *target = vx_cred(tcred)->vxi;

	if (!self || self == target)
		return 0;
	return -ESRCH;
}

static struct security_hook_list vx_isolation_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(task_kill, vx_task_kill),
	LSM_HOOK_INIT(file_set_fowner, vx_file_set_fowner),
	LSM_HOOK_INIT(file_send_sigiotask, vx_file_send_sigiotask),
	LSM_HOOK_INIT(ptrace_access_check, vx_ptrace_access_check),
	LSM_HOOK_INIT(ptrace_traceme, vx_ptrace_traceme),
	LSM_HOOK_INIT(bprm_committed_creds, vx_bprm_committed_creds),
	LSM_HOOK_INIT(task_setpgid, vx_task_setpgid),
	LSM_HOOK_INIT(task_getpgid, vx_see_task),
	LSM_HOOK_INIT(task_getsid, vx_see_task),
	LSM_HOOK_INIT(task_setnice, vx_task_setnice),
	LSM_HOOK_INIT(task_setioprio, vx_task_setioprio),
	LSM_HOOK_INIT(task_getioprio, vx_see_task),
	LSM_HOOK_INIT(task_setscheduler, vx_act_on_task),
	LSM_HOOK_INIT(task_getscheduler, vx_see_task),
	LSM_HOOK_INIT(task_movememory, vx_act_on_task),
	LSM_HOOK_INIT(task_setrlimit, vx_task_setrlimit),
	LSM_HOOK_INIT(task_prlimit, vx_task_prlimit),
};

void __init vx_add_isolation_hooks(void)
{
	security_add_hooks(vx_isolation_hooks, ARRAY_SIZE(vx_isolation_hooks),
			   &vserver_lsmid);
}
