// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: the sys_vserver() multiplexer.
 *
 * This file only copies, checks and dispatches.  Every command is one row
 * of vc_commands[]: its number, its handler, the size of its argument and
 * what the caller needs.  The checks run in this order, so a caller can
 * rely on the error it gets:
 *
 *   1. unknown command                          -ENOSYS
 *   2. privilege (see enum vc_perm)             -EPERM
 *   3. copy of the argument from user space     -EFAULT
 *   4. the context @id names                    -ESRCH
 *   5. the handler's own checks                 -EINVAL, -EEXIST, ...
 *   6. copy of the result to user space         -EFAULT
 *
 * Privilege: Linux 6.12 has no CAP_CONTEXT, so administration needs
 * CAP_SYS_ADMIN in the host context (xid 0).  A task inside a guest may
 * read what concerns its own context and, while that context is in
 * VXF_STATE_SETUP, change it (with CAP_SYS_ADMIN); it never reaches
 * another context: reads answer -ESRCH, changes -EPERM.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/security.h>
#include <linux/user_namespace.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>

#include "internal.h"

/**
 * enum vc_perm - what a command needs from its caller
 * @VCP_ANY: anybody (version queries)
 * @VCP_INFO: read a context: the host and the spectator any, a guest its own
 * @VCP_SETUP: change a context: the host with CAP_SYS_ADMIN, or a task of
 *	that context with CAP_SYS_ADMIN while it is in VXF_STATE_SETUP
 * @VCP_ADMIN: the host with CAP_SYS_ADMIN only
 */
enum vc_perm {
	VCP_ANY,
	VCP_INFO,
	VCP_SETUP,
	VCP_ADMIN,
};

/* Argument handling flags. */
#define VCF_IN		0x1	/* copy the argument in */
#define VCF_OUT		0x2	/* copy the argument back out */
#define VCF_OPT		0x4	/* NULL data allowed (argument zeroed) */
#define VCF_VXI		0x8	/* @id names a context: look it up */
#define VCF_WATCH	0x10	/* with VCF_VXI/NXI: id 1 (spectator) allowed */
#define VCF_NXI		0x20	/* @id names a network context: look it up */

/**
 * struct vc_command - one row of the dispatch table
 * @cmd: the VCMD_* number
 * @fn: the handler
 * @size: size of the argument structure (0: none)
 * @perm: enum vc_perm
 * @flags: VCF_*
 */
struct vc_command {
	u32 cmd;
	long (*fn)(struct vx_call *c);
	u16 size;
	u8 perm;
	u8 flags;
};

static long vc_get_version(struct vx_call *c)
{
	return VCI_VERSION;
}

/**
 * vx_vci_features - feature bits for get_vci and /proc/virtual/info
 *
 * Only what this kernel implements: dynamic xids are supported, so
 * %VCI_FEATURE_NO_DYNAMIC stays clear.  %VCI_FEATURE_NETV2: network
 * contexts with the v1/v2 address commands and IPv6 (network.c).
 * %VCI_FEATURE_COWBL: copy-on-write link breaking (inode.c).
 * %VCI_FEATURE_SPACES: the enter_space/set_space/get_space_mask commands
 * (space.c).  Files are not tagged with contexts: no %VCI_FEATURE_PPTAG.
 *
 * Return: VCI_FEATURE_* bits.
 */
u32 vx_vci_features(void)
{
	return VCI_FEATURE_NETV2 | VCI_FEATURE_COWBL | VCI_FEATURE_SPACES;
}

static long vc_get_vci(struct vx_call *c)
{
	return vx_vci_features();
}

#define VC_ARG_MAX	80

static const struct vc_command vc_commands[] = {
	{ VCMD_get_version, vc_get_version, 0, VCP_ANY, 0 },
	{ VCMD_get_vci, vc_get_vci, 0, VCP_ANY, 0 },
	{ VCMD_task_xid, vc_task_xid, 0, VCP_ANY, 0 },
	{ VCMD_vx_info, vc_vx_info, sizeof(struct vcmd_vx_info),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_ctx_stat, vc_ctx_stat, sizeof(struct vcmd_ctx_stat),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_ctx_create_v0, vc_ctx_create, sizeof(struct vcmd_ctx_create),
	  VCP_ADMIN, VCF_IN | VCF_OPT },
	{ VCMD_ctx_create, vc_ctx_create, sizeof(struct vcmd_ctx_create),
	  VCP_ADMIN, VCF_IN | VCF_OPT },
	{ VCMD_ctx_migrate_v0, vc_ctx_migrate,
	  sizeof(struct vcmd_ctx_migrate), VCP_SETUP,
	  VCF_IN | VCF_OPT | VCF_VXI | VCF_WATCH },
	{ VCMD_ctx_migrate, vc_ctx_migrate, sizeof(struct vcmd_ctx_migrate),
	  VCP_SETUP, VCF_IN | VCF_OPT | VCF_VXI | VCF_WATCH },
	{ VCMD_ctx_kill, vc_ctx_kill, sizeof(struct vcmd_ctx_kill),
	  VCP_ADMIN, VCF_IN | VCF_VXI },
	{ VCMD_wait_exit, vc_wait_exit, sizeof(struct vcmd_wait_exit),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_get_cflags, vc_get_cflags, sizeof(struct vcmd_ctx_flags),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_set_cflags, vc_set_cflags, sizeof(struct vcmd_ctx_flags),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_bcaps, vc_get_bcaps, sizeof(struct vcmd_bcaps),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_set_bcaps, vc_set_bcaps, sizeof(struct vcmd_bcaps),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_ccaps, vc_get_ccaps, sizeof(struct vcmd_ctx_caps),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_set_ccaps, vc_set_ccaps, sizeof(struct vcmd_ctx_caps),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_set_space_v1, vc_set_space, sizeof(__u64),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_set_space, vc_set_space, sizeof(struct vcmd_space_mask),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_enter_space_v1, vc_enter_space, sizeof(__u64),
	  VCP_ADMIN, VCF_IN | VCF_VXI },
	{ VCMD_enter_space, vc_enter_space, sizeof(struct vcmd_space_mask),
	  VCP_ADMIN, VCF_IN | VCF_VXI },
	{ VCMD_get_space_mask, vc_get_space_mask, sizeof(__u64),
	  VCP_ANY, VCF_OUT },
	{ VCMD_get_space_default, vc_get_space_default, sizeof(__u64),
	  VCP_ANY, VCF_OUT },
	{ VCMD_set_vhi_name, vc_set_vhi_name, sizeof(struct vcmd_vhi_name),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_vhi_name, vc_get_vhi_name, sizeof(struct vcmd_vhi_name),
	  VCP_INFO, VCF_IN | VCF_OUT | VCF_VXI },
	{ VCMD_virt_stat, vc_virt_stat, sizeof(struct vcmd_virt_stat),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_get_umask, vc_get_umask, sizeof(struct vcmd_umask),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_set_umask, vc_set_umask, sizeof(struct vcmd_umask),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_badness, vc_get_badness, sizeof(struct vcmd_badness),
	  VCP_INFO, VCF_OUT | VCF_VXI },
	{ VCMD_set_badness, vc_set_badness, sizeof(struct vcmd_badness),
	  VCP_SETUP, VCF_IN | VCF_VXI },

	/* Network contexts (network.c) */
	{ VCMD_task_nid, vc_task_nid, 0, VCP_ANY, 0 },
	{ VCMD_nx_info, vc_nx_info, sizeof(struct vcmd_nx_info),
	  VCP_INFO, VCF_OUT | VCF_NXI },
	{ VCMD_net_create_v0, vc_net_create, sizeof(struct vcmd_net_create),
	  VCP_ADMIN, VCF_IN | VCF_OPT },
	{ VCMD_net_create, vc_net_create, sizeof(struct vcmd_net_create),
	  VCP_ADMIN, VCF_IN | VCF_OPT },
	{ VCMD_net_migrate, vc_net_migrate, 0, VCP_ADMIN,
	  VCF_NXI | VCF_WATCH },
	{ VCMD_net_add_v0, vc_net_add_v0,
	  sizeof(struct vcmd_net_addr_v0), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_remove_v0, vc_net_remove_v0,
	  sizeof(struct vcmd_net_addr_v0), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_add_ipv4_v1, vc_net_add_ipv4,
	  sizeof(struct vcmd_net_addr_ipv4_v1), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_remove_ipv4_v1, vc_net_remove_ipv4,
	  sizeof(struct vcmd_net_addr_ipv4_v1), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_add_ipv4, vc_net_add_ipv4,
	  sizeof(struct vcmd_net_addr_ipv4_v2), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_remove_ipv4, vc_net_remove_ipv4,
	  sizeof(struct vcmd_net_addr_ipv4_v2), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_add_ipv6, vc_net_add_ipv6,
	  sizeof(struct vcmd_net_addr_ipv6), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_net_remove_ipv6, vc_net_remove_ipv6,
	  sizeof(struct vcmd_net_addr_ipv6), VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_get_nflags, vc_get_nflags, sizeof(struct vcmd_net_flags),
	  VCP_INFO, VCF_OUT | VCF_NXI },
	{ VCMD_set_nflags, vc_set_nflags, sizeof(struct vcmd_net_flags),
	  VCP_SETUP, VCF_IN | VCF_NXI },
	{ VCMD_get_ncaps, vc_get_ncaps, sizeof(struct vcmd_net_caps),
	  VCP_INFO, VCF_OUT | VCF_NXI },
	{ VCMD_set_ncaps, vc_set_ncaps, sizeof(struct vcmd_net_caps),
	  VCP_SETUP, VCF_IN | VCF_NXI },

	/* Resource limits (limit.c) */
	{ VCMD_get_rlimit, vc_get_rlimit, sizeof(struct vcmd_ctx_rlimit),
	  VCP_INFO, VCF_IN | VCF_OUT | VCF_VXI },
	{ VCMD_set_rlimit, vc_set_rlimit, sizeof(struct vcmd_ctx_rlimit),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_rlimit_mask, vc_get_rlimit_mask,
	  sizeof(struct vcmd_ctx_rlimit_mask), VCP_ANY, VCF_OUT },
	{ VCMD_reset_hits, vc_reset_hits, 0, VCP_SETUP, VCF_VXI },
	{ VCMD_reset_minmax, vc_reset_minmax, 0, VCP_SETUP, VCF_VXI },
	{ VCMD_rlimit_stat, vc_rlimit_stat, sizeof(struct vcmd_rlimit_stat),
	  VCP_INFO, VCF_IN | VCF_OUT | VCF_VXI },

	/* Scheduler buckets (sched.c) */
	{ VCMD_set_sched, vc_set_sched, sizeof(struct vcmd_sched_v5),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_sched, vc_get_sched, sizeof(struct vcmd_sched_v5),
	  VCP_INFO, VCF_IN | VCF_OUT | VCF_VXI },
	{ VCMD_sched_info, vc_sched_info, sizeof(struct vcmd_sched_info),
	  VCP_INFO, VCF_IN | VCF_OUT | VCF_VXI },
	{ VCMD_set_prio_bias, vc_set_prio_bias, sizeof(struct vcmd_prio_bias),
	  VCP_SETUP, VCF_IN | VCF_VXI },
	{ VCMD_get_prio_bias, vc_get_prio_bias, sizeof(struct vcmd_prio_bias),
	  VCP_INFO, VCF_IN | VCF_OUT | VCF_VXI },

	/* Inode attributes (inode.c) */
	{ VCMD_get_iattr, vc_get_iattr, sizeof(struct vcmd_iattr),
	  VCP_ANY, VCF_IN | VCF_OUT },
	{ VCMD_set_iattr, vc_set_iattr, sizeof(struct vcmd_iattr),
	  VCP_ADMIN, VCF_IN },
	{ VCMD_fget_iattr, vc_fget_iattr, sizeof(struct vcmd_fiattr),
	  VCP_ANY, VCF_OUT },
	{ VCMD_fset_iattr, vc_fset_iattr, sizeof(struct vcmd_fiattr),
	  VCP_ADMIN, VCF_IN },

	/*
	 * Disk limits (dlimit.c): @id is a project id, whether or not the
	 * context runs (util-vserver sets them before it starts a guest).
	 */
	{ VCMD_add_dlimit, vc_add_dlimit, sizeof(struct vcmd_ctx_dlimit_base),
	  VCP_ADMIN, VCF_IN },
	{ VCMD_rem_dlimit, vc_rem_dlimit, sizeof(struct vcmd_ctx_dlimit_base),
	  VCP_ADMIN, VCF_IN },
	{ VCMD_set_dlimit, vc_set_dlimit, sizeof(struct vcmd_ctx_dlimit),
	  VCP_ADMIN, VCF_IN },
	{ VCMD_get_dlimit, vc_get_dlimit, sizeof(struct vcmd_ctx_dlimit),
	  VCP_ANY, VCF_IN | VCF_OUT },

};

static void vc_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_create) != 8);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_migrate) != 8);
	BUILD_BUG_ON(sizeof(struct vcmd_vx_info) != 8);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_stat) != 8);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_flags) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_kill) != 8);
	BUILD_BUG_ON(sizeof(struct vcmd_bcaps) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_caps) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_wait_exit) != 8);
	BUILD_BUG_ON(VCMD_wait_exit != 0x30630000);
	BUILD_BUG_ON(sizeof(struct vcmd_space_mask) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_vhi_name) != 72);
	BUILD_BUG_ON(VCMD_enter_space != 0x0a010002);
	BUILD_BUG_ON(VCMD_set_space != 0x0a030002);
	BUILD_BUG_ON(VCMD_get_space_mask != 0x36000001);
	BUILD_BUG_ON(VCMD_get_space_default != 0x36010000);
	BUILD_BUG_ON(VCMD_set_vhi_name != 0x02010000);
	BUILD_BUG_ON(VCMD_get_vhi_name != 0x02020000);
	BUILD_BUG_ON(VCMD_get_ccaps != 0x34030001);
	BUILD_BUG_ON(VCMD_set_ccaps != 0x34040001);
	BUILD_BUG_ON(VCMD_get_bcaps != 0x34090000);
	BUILD_BUG_ON(VCMD_set_bcaps != 0x340a0000);
	BUILD_BUG_ON(VCMD_get_vci != 0x00010000);
	BUILD_BUG_ON(VCMD_task_xid != 0x2e010000);
	BUILD_BUG_ON(VCMD_vx_info != 0x2e050000);
	BUILD_BUG_ON(VCMD_ctx_stat != 0x28000000);
	BUILD_BUG_ON(VCMD_ctx_create != 0x09010001);
	BUILD_BUG_ON(VCMD_ctx_migrate != 0x0b010001);
	BUILD_BUG_ON(VCMD_ctx_kill != 0x0c010000);
	BUILD_BUG_ON(VCMD_get_cflags != 0x34010000);
	BUILD_BUG_ON(VCMD_set_cflags != 0x34020000);
	/* util-vserver's guest configuration (cvirt.c, ccap.c, limit.c) */
	BUILD_BUG_ON(sizeof(struct vcmd_virt_stat) != 48);
	BUILD_BUG_ON(sizeof(struct vcmd_umask) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_badness) != 8);
	BUILD_BUG_ON(VCMD_virt_stat != 0x28030000);
	BUILD_BUG_ON(VCMD_get_umask != 0x340d0000);
	BUILD_BUG_ON(VCMD_set_umask != 0x340e0000);
	BUILD_BUG_ON(VCMD_get_badness != 0x14050000);
	BUILD_BUG_ON(VCMD_set_badness != 0x14060000);
	/* Disk limits (dlimit.c) */
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_dlimit_base) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_dlimit) != 32);
	BUILD_BUG_ON(VCMD_add_dlimit != 0x24010000);
	BUILD_BUG_ON(VCMD_rem_dlimit != 0x24020000);
	BUILD_BUG_ON(VCMD_set_dlimit != 0x24050000);
	BUILD_BUG_ON(VCMD_get_dlimit != 0x24060000);
	/* Scheduler buckets (sched.c) */
	BUILD_BUG_ON(sizeof(struct vcmd_sched_v5) != 44);
	BUILD_BUG_ON(sizeof(struct vcmd_sched_info) != 40);
	BUILD_BUG_ON(sizeof(struct vcmd_prio_bias) != 8);
	BUILD_BUG_ON(VCMD_set_sched != 0x0e010005);
	BUILD_BUG_ON(VCMD_get_sched != 0x0e020005);
	BUILD_BUG_ON(VCMD_sched_info != 0x0e030000);
	BUILD_BUG_ON(VCMD_set_prio_bias != 0x0e040000);
	BUILD_BUG_ON(VCMD_get_prio_bias != 0x0e050000);
	/* Resource limits (limit.c) */
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_rlimit) != 32);
	BUILD_BUG_ON(sizeof(struct vcmd_ctx_rlimit_mask) != 12);
	BUILD_BUG_ON(sizeof(struct vcmd_rlimit_stat) != 32);
	BUILD_BUG_ON(VCMD_get_rlimit != 0x3c010000);
	BUILD_BUG_ON(VCMD_set_rlimit != 0x3c020000);
	BUILD_BUG_ON(VCMD_get_rlimit_mask != 0x3c030000);
	BUILD_BUG_ON(VCMD_reset_hits != 0x3c070000);
	BUILD_BUG_ON(VCMD_reset_minmax != 0x3c090000);
	BUILD_BUG_ON(VCMD_rlimit_stat != 0x28010000);
	BUILD_BUG_ON(VLIMIT_NSOCK != 16 || VLIMIT_DENTRY != 22);
	/* Network contexts */
	BUILD_BUG_ON(sizeof(struct vcmd_nx_info) != 4);
	BUILD_BUG_ON(sizeof(struct vcmd_net_create) != 8);
	BUILD_BUG_ON(sizeof(struct vcmd_net_addr_v0) != 36);
	BUILD_BUG_ON(sizeof(struct vcmd_net_addr_ipv4_v1) != 12);
	BUILD_BUG_ON(sizeof(struct vcmd_net_addr_ipv4_v2) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_net_addr_ipv6) != 40);
	BUILD_BUG_ON(sizeof(struct vcmd_net_flags) != 16);
	BUILD_BUG_ON(sizeof(struct vcmd_net_caps) != 16);
	BUILD_BUG_ON(VCMD_task_nid != 0x2e020000);
	BUILD_BUG_ON(VCMD_nx_info != 0x2e060000);
	BUILD_BUG_ON(VCMD_net_create_v0 != 0x19010000);
	BUILD_BUG_ON(VCMD_net_create != 0x19010001);
	BUILD_BUG_ON(VCMD_net_migrate != 0x1b010000);
	BUILD_BUG_ON(VCMD_net_add_v0 != 0x1a010000);
	BUILD_BUG_ON(VCMD_net_remove_v0 != 0x1a020000);
	BUILD_BUG_ON(VCMD_net_add_ipv4_v1 != 0x1a010001);
	BUILD_BUG_ON(VCMD_net_remove_ipv4_v1 != 0x1a020001);
	BUILD_BUG_ON(VCMD_net_add_ipv4 != 0x1a010002);
	BUILD_BUG_ON(VCMD_net_remove_ipv4 != 0x1a020002);
	BUILD_BUG_ON(VCMD_net_add_ipv6 != 0x1a030001);
	BUILD_BUG_ON(VCMD_net_remove_ipv6 != 0x1a040001);
	BUILD_BUG_ON(VCMD_get_nflags != 0x34050000);
	BUILD_BUG_ON(VCMD_set_nflags != 0x34060000);
	BUILD_BUG_ON(VCMD_get_ncaps != 0x34070000);
	BUILD_BUG_ON(VCMD_set_ncaps != 0x34080000);
}

static const struct vc_command *vc_find(u32 cmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vc_commands); i++)
		if (vc_commands[i].cmd == cmd)
			return &vc_commands[i];
	return NULL;
}

/*
 * The xid a command addresses: the caller's own for the ids vx_id_self()
 * names, as in the original kernel (util-vserver's tools pass -2 to
 * change the context they run in during setup).  Commands without a
 * context get 0; ctx_create and net_create, where ~0 asks for a dynamic
 * id, never come here with VCF_VXI/VCF_NXI.
 */
static u32 vc_target_xid(const struct vc_command *vc, u32 id)
{
	bool self = vx_id_self(id);

	if (vc->flags & VCF_NXI)
		return self ? nx_current_nid() : id;
	if (!(vc->flags & VCF_VXI))
		return 0;
	return self ? vx_current_xid() : id;
}

/**
 * vc_permitted - step 2: may the caller run this command on @xid?
 * @vc: the command
 * @xid: the context it addresses (vc_target_xid())
 *
 * Return: 0, -EPERM, or -ESRCH for reads of another guest's context (a
 * guest cannot tell whether it exists).
 */
static int vc_permitted(const struct vc_command *vc, u32 xid)
{
	u32 self = vx_current_xid();
	bool host = self == VX_ID_HOST;
	bool own = (vc->flags & VCF_VXI) && xid == self;

	/* For network commands, "own" is the caller's network context. */
	if (vc->flags & VCF_NXI)
		own = xid == nx_current_nid();

	switch (vc->perm) {
	case VCP_ANY:
		return 0;
	case VCP_INFO:
		if (self <= VX_ID_SPECTATOR || own)
			return 0;
		return -ESRCH;
	case VCP_SETUP:
		if (host)
			return capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
		/*
		 * Inside the context, during setup: the tools that configure
		 * a guest narrow its bounding set before they end setup, so
		 * look at the caller's own capability in the initial user
		 * namespace (cap_capable()), not at the bounds.
		 */
		if (!own)
			return -EPERM;
		return cap_capable(current_cred(), &init_user_ns, CAP_SYS_ADMIN,
				   CAP_OPT_NONE) ? -EPERM : 0;
	case VCP_ADMIN:
		return host && capable(CAP_SYS_ADMIN) ? 0 : -EPERM;
	}
	return -EPERM;
}

static long vc_dispatch(u32 cmd, u32 id, void __user *data)
{
	const struct vc_command *vc = vc_find(cmd);
	u64 buf[VC_ARG_MAX / sizeof(u64)] = { };
	struct vx_call c = { .cmd = cmd, .id = id, .data = buf };
	u32 xid;
	long ret;

	vc_check_abi();
	if (!vc)
		return -ENOSYS;
	xid = vc_target_xid(vc, id);
	ret = vc_permitted(vc, xid);
	if (ret)
		return ret;

	if (vc->flags & VCF_IN) {
		if (!data && (vc->flags & VCF_OPT))
			c.nodata = true;
		else if (copy_from_user(buf, data, vc->size))
			return -EFAULT;
	} else if ((vc->flags & VCF_OUT) && !data) {
		return -EFAULT;
	}

	if ((vc->flags & VCF_VXI) &&
	    !(xid == VX_ID_SPECTATOR && (vc->flags & VCF_WATCH))) {
		c.vxi = vx_lookup(xid);
		if (!c.vxi)
			return -ESRCH;
		/* Inside a guest, changes are allowed only during setup. */
		if (vc->perm == VCP_SETUP && vx_current_xid() != VX_ID_HOST &&
		    !(READ_ONCE(c.vxi->flags) & VXF_STATE_SETUP)) {
			ret = -EPERM;
			goto out_put_vxi;
		}
	}

	if ((vc->flags & VCF_NXI) &&
	    !(xid == NX_ID_SPECTATOR && (vc->flags & VCF_WATCH))) {
		c.nxi = nx_lookup(xid);
		if (!c.nxi)
			return -ESRCH;
		if (vc->perm == VCP_SETUP && vx_current_xid() != VX_ID_HOST &&
		    !(nx_get_flags(c.nxi) & NXF_STATE_SETUP)) {
			ret = -EPERM;
			goto out_put_vxi;
		}
	}

	ret = vc->fn(&c);
	if (ret >= 0 && (vc->flags & VCF_OUT) &&
	    copy_to_user(data, buf, vc->size))
		ret = -EFAULT;
out_put_vxi:
	nx_put(c.nxi);
	vx_put(c.vxi);
	return ret;
}

/**
 * sys_vserver - the vserver multiplexer (x86_64 236, i386 273)
 * @cmd: a VCMD_* command number
 * @id: the context (or pid, for task_xid) the command is about
 * @data: the command's argument structure, or NULL
 *
 * Return: the command's result (>= 0) or -ENOSYS (unknown command),
 * -EPERM (not allowed to the caller), -EFAULT (bad @data), -ESRCH (no such
 * context or task), -EINVAL (bad argument), or a command's own error; see
 * the kernel-doc of the vc_*() handlers.
 */
SYSCALL_DEFINE3(vserver, u32, cmd, u32, id, void __user *, data)
{
	return vc_dispatch(cmd, id, data);
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vc_test_table(struct kunit *test)
{
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(vc_commands); i++) {
		const struct vc_command *vc = &vc_commands[i];

		KUNIT_EXPECT_LE(test, vc->size, VC_ARG_MAX);
		KUNIT_EXPECT_NOT_NULL(test, vc->fn);
		/* Optional data only makes sense for input arguments. */
		if (vc->flags & VCF_OPT)
			KUNIT_EXPECT_TRUE(test, vc->flags & VCF_IN);
		if (vc->flags & (VCF_IN | VCF_OUT))
			KUNIT_EXPECT_GT(test, vc->size, 0);
		for (j = i + 1; j < ARRAY_SIZE(vc_commands); j++)
			KUNIT_EXPECT_NE(test, vc->cmd, vc_commands[j].cmd);
	}
}

static void vc_test_encoding(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, VC_CATEGORY(VCMD_set_cflags), VC_CAT_FLAGS);
	KUNIT_EXPECT_EQ(test, VC_COMMAND(VCMD_set_cflags), 2);
	KUNIT_EXPECT_EQ(test, VC_VERSION(VCMD_ctx_create), 1);
	KUNIT_EXPECT_EQ(test, VC_CATEGORY(VCMD_ctx_create), VC_CAT_VPROC);
	KUNIT_EXPECT_NULL(test, vc_find(VC_CMD(VPROC, 1, 7)));
	KUNIT_EXPECT_TRUE(test, vc_find(VCMD_ctx_kill)->fn == vc_ctx_kill);
}

static void vc_test_dispatch_errors(struct kunit *test)
{
	/* The KUnit thread is a host kernel thread. */
	KUNIT_EXPECT_EQ(test, vc_dispatch(0x3f3f0000, 0, NULL), -ENOSYS);
	KUNIT_EXPECT_EQ(test, vc_dispatch(VCMD_get_version, 0, NULL),
			(long)VCI_VERSION);
	KUNIT_EXPECT_EQ(test, vc_dispatch(VCMD_ctx_stat, 0, NULL), -EFAULT);
	KUNIT_EXPECT_EQ(test, vc_target_xid(vc_find(VCMD_ctx_stat),
					    VX_ID_SELF), 0U);
	KUNIT_EXPECT_EQ(test, vc_target_xid(vc_find(VCMD_ctx_stat), -2), 0U);
	KUNIT_EXPECT_EQ(test, vc_target_xid(vc_find(VCMD_ctx_stat), 0x80000000),
			0U);
	KUNIT_EXPECT_EQ(test, vc_target_xid(vc_find(VCMD_nx_info), -2), 0U);
	KUNIT_EXPECT_EQ(test, vc_target_xid(vc_find(VCMD_ctx_stat), 42), 42U);
	KUNIT_EXPECT_EQ(test, vc_target_xid(vc_find(VCMD_task_xid), 42), 0U);
}

static struct kunit_case vc_switch_cases[] = {
	KUNIT_CASE(vc_test_table),
	KUNIT_CASE(vc_test_encoding),
	KUNIT_CASE(vc_test_dispatch_errors),
	{}
};

static struct kunit_suite vc_switch_suite = {
	.name = "vserver_switch",
	.test_cases = vc_switch_cases,
};

kunit_test_suite(vc_switch_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
