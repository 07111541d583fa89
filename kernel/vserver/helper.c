// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: reboot(2) in a guest, and the host-side helper (vshelper).
 *
 * reboot(2) from a guest never reaches the host.  With VXF_REBOOT_KILL the
 * context's processes are killed, which stops the guest.  Otherwise the
 * kernel starts the host's helper, /proc/sys/kernel/vshelper (default
 * /sbin/vshelper, settable by the host only), once per context, as
 * "vshelper ACTION XID" with ACTION one of restart,
 * halt, poweroff, swsusp, and VS_CMD, VS_UID, VS_PID in its environment;
 * the helper (`vserver`) then restarts or stops the guest.  Switching
 * Ctrl-Alt-Del is accepted and ignored: it is the host's key.  A context
 * with VXF_SC_HELPER also calls "vshelper shutdown XID" when it ends.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/init.h>
#include <linux/pid_namespace.h>
#include <linux/reboot.h>
#include <linux/sched/signal.h>
#include <linux/sysctl.h>
#include <linux/umh.h>

#include "internal.h"

static char vshelper_path[256] = "/sbin/vshelper";

/*
 * Only the host may change the helper, not even the spectator (a guest
 * cannot write any host-wide sysctl: global.c).
 */
static int vx_helper_sysctl_handler(const struct ctl_table *table, int write,
				    void *buffer, size_t *lenp, loff_t *ppos)
{
	if (write && (vx_current_xid() != VX_ID_HOST ||
		      !capable(CAP_SYS_ADMIN)))
		return -EPERM;
	return proc_dostring(table, write, buffer, lenp, ppos);
}

static struct ctl_table vx_helper_sysctl[] = {
	{
		.procname	= "vshelper",
		.data		= vshelper_path,
		.maxlen		= sizeof(vshelper_path),
		.mode		= 0644,
		.proc_handler	= vx_helper_sysctl_handler,
	},
};

/**
 * vx_call_helper - start the host's vshelper for a context
 * @vxi: the context
 * @action: "restart", "halt", "poweroff", "swsusp" or "shutdown"
 * @cmd: the reboot(2) command, 0 for none
 *
 * The helper runs in the host context (it is started from a kernel
 * worker); we do not wait for it, as it may stop the caller's guest.
 *
 * Return: 0 once the helper was started, or -errno.
 */
static int vx_call_helper(struct vx_info *vxi, const char *action,
			  unsigned int cmd)
{
	char env_home[] = "HOME=/";
	char env_path[] = "PATH=/sbin:/usr/sbin:/bin:/usr/bin";
	char xid[16], vs_cmd[24], vs_uid[24], vs_pid[24];
	char *argv[4], *envp[6];

	if (!vshelper_path[0])
		return -ENOENT;
	argv[0] = vshelper_path;
	argv[1] = (char *)action;
	argv[2] = xid;
	argv[3] = NULL;
	envp[0] = env_home;
	envp[1] = env_path;
	envp[2] = vs_cmd;
	envp[3] = vs_uid;
	envp[4] = vs_pid;
	envp[5] = NULL;
	snprintf(xid, sizeof(xid), "%u", vxi->xid);
	snprintf(vs_cmd, sizeof(vs_cmd), "VS_CMD=%08x", cmd);
	snprintf(vs_uid, sizeof(vs_uid), "VS_UID=%u",
		 from_kuid(&init_user_ns, current_uid()));
	snprintf(vs_pid, sizeof(vs_pid), "VS_PID=%d", task_tgid_nr(current));
	return call_usermodehelper(vshelper_path, argv, envp, UMH_WAIT_EXEC);
}

/* Kill every process of @vxi, the caller last (it is one of them). */
static void vx_kill_all(struct vx_info *vxi)
{
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p)
		if (vx_task(p)->vxi == vxi && !same_thread_group(p, current))
			group_send_sig_info(SIGKILL, SEND_SIG_PRIV, p,
					    PIDTYPE_TGID);
	rcu_read_unlock();
	group_send_sig_info(SIGKILL, SEND_SIG_PRIV, current, PIDTYPE_TGID);
}

/**
 * vx_reboot - reboot(2) on behalf of a guest
 * @cmd: the LINUX_REBOOT_CMD_*
 * @ret: the system call's return value, when we handled it
 *
 * Return: true if the call was a guest's and is handled here.
 */
bool vx_reboot(unsigned int cmd, int *ret)
{
	struct vx_info *vxi = vx_task(current)->vxi;
	const char *action;
	bool first;

	if (vx_current_xid() == VX_ID_SPECTATOR) {
		*ret = -EPERM;
		return true;
	}
	if (!vxi)
		return false;
	/* As for the host: only the guest's root, with CAP_SYS_BOOT. */
	if (!ns_capable(task_active_pid_ns(current)->user_ns, CAP_SYS_BOOT)) {
		*ret = -EPERM;
		return true;
	}

	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		*ret = 0;
		return true;
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:
		action = "restart";
		break;
	case LINUX_REBOOT_CMD_HALT:
		action = "halt";
		break;
	case LINUX_REBOOT_CMD_POWER_OFF:
		action = "poweroff";
		break;
	case LINUX_REBOOT_CMD_SW_SUSPEND:
		action = "swsusp";
		break;
	default:
		*ret = -EPERM;	/* kexec and friends: the host's business */
		return true;
	}

	/* Only the first request counts: no helper storm from a loop. */
	spin_lock(&vxi->lock);
	first = !vxi->reboot_cmd;
	if (first)
		vxi->reboot_cmd = cmd;
	spin_unlock(&vxi->lock);
	if (READ_ONCE(vxi->flags) & VXF_REBOOT_KILL) {
		vx_kill_all(vxi);
		*ret = 0;
		return true;
	}
	*ret = first ? vx_call_helper(vxi, action, cmd) : 0;
	return true;
}

/**
 * vx_helper_shutdown - tell the host's helper that a context ended
 * @vxi: a context being unhashed
 */
void vx_helper_shutdown(struct vx_info *vxi)
{
	if (READ_ONCE(vxi->flags) & VXF_SC_HELPER)
		vx_call_helper(vxi, "shutdown", 0);
}

static int __init vx_helper_init(void)
{
	if (!register_sysctl("kernel", vx_helper_sysctl))
		pr_err("cannot register kernel.vshelper\n");
	return 0;
}
fs_initcall(vx_helper_init);
