/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vserver: security contexts on one kernel -- the sys_vserver() ABI.
 *
 * long vserver(__u32 cmd, __u32 id, void *data);
 *
 * x86_64 system call 236, i386 273.  A command number encodes a category,
 * a command and a version (VC_CMD()); the numbers and the layouts of the
 * structures below are those of Linux-VServer's VCI 2.3, so tools written
 * for that interface keep working.  Commands this implementation adds use
 * free numbers in the existing categories and are marked "(new)".
 *
 * See Documentation/userspace-api/vserver.rst.
 */
#ifndef _UAPI_LINUX_VSERVER_H
#define _UAPI_LINUX_VSERVER_H

#include <linux/types.h>

/* The VCI version get_version reports: Linux-VServer 2.3.8 compatible. */
#define VCI_VERSION		0x00020308

#define VC_CATEGORY(c)		(((c) >> 24) & 0x3F)
#define VC_COMMAND(c)		(((c) >> 16) & 0xFF)
#define VC_VERSION(c)		((c) & 0xFFF)

#define VC_CAT_VERSION		0
#define VC_CAT_VSETUP		1
#define VC_CAT_VHOST		2
#define VC_CAT_VPROC		9
#define VC_CAT_PROCALT		10
#define VC_CAT_PROCMIG		11
#define VC_CAT_PROCTRL		12
#define VC_CAT_VSTAT		40
#define VC_CAT_VINFO		46
#define VC_CAT_EVENT		48
#define VC_CAT_FLAGS		52
#define VC_CAT_VSPACE		54

#define VC_CMD(c, i, v)		((((VC_CAT_ ## c) & 0x3F) << 24) | \
				 (((i) & 0xFF) << 16) | ((v) & 0xFFF))

/* Commands (cmd argument). */
#define VCMD_get_version	VC_CMD(VERSION, 0, 0)	/* 0x00000000 */
#define VCMD_get_vci		VC_CMD(VERSION, 1, 0)	/* 0x00010000 */

#define VCMD_task_xid		VC_CMD(VINFO, 1, 0)	/* 0x2e010000 */
#define VCMD_vx_info		VC_CMD(VINFO, 5, 0)	/* 0x2e050000 */

#define VCMD_ctx_stat		VC_CMD(VSTAT, 0, 0)	/* 0x28000000 */
#define VCMD_virt_stat		VC_CMD(VSTAT, 3, 0)	/* 0x28030000 */

#define VCMD_ctx_create_v0	VC_CMD(VPROC, 1, 0)	/* 0x09010000 */
#define VCMD_ctx_create		VC_CMD(VPROC, 1, 1)	/* 0x09010001 */
#define VCMD_ctx_migrate_v0	VC_CMD(PROCMIG, 1, 0)	/* 0x0b010000 */
#define VCMD_ctx_migrate	VC_CMD(PROCMIG, 1, 1)	/* 0x0b010001 */
#define VCMD_ctx_kill		VC_CMD(PROCTRL, 1, 0)	/* 0x0c010000 */

#define VCMD_wait_exit		VC_CMD(EVENT, 99, 0)	/* 0x30630000 */

#define VCMD_get_cflags		VC_CMD(FLAGS, 1, 0)	/* 0x34010000 */
#define VCMD_set_cflags		VC_CMD(FLAGS, 2, 0)	/* 0x34020000 */
#define VCMD_get_ccaps		VC_CMD(FLAGS, 3, 1)	/* 0x34030001 */
#define VCMD_set_ccaps		VC_CMD(FLAGS, 4, 1)	/* 0x34040001 */
#define VCMD_get_bcaps		VC_CMD(FLAGS, 9, 0)	/* 0x34090000 */
#define VCMD_set_bcaps		VC_CMD(FLAGS, 10, 0)	/* 0x340a0000 */
#define VCMD_get_umask		VC_CMD(FLAGS, 13, 0)	/* 0x340d0000 */
#define VCMD_set_umask		VC_CMD(FLAGS, 14, 0)	/* 0x340e0000 */

#define VC_CAT_MEMCTRL		20
#define VCMD_get_badness	VC_CMD(MEMCTRL, 5, 0)	/* 0x14050000 */
#define VCMD_set_badness	VC_CMD(MEMCTRL, 6, 0)	/* 0x14060000 */

#define VCMD_set_vhi_name	VC_CMD(VHOST, 1, 0)	/* 0x02010000 */
#define VCMD_get_vhi_name	VC_CMD(VHOST, 2, 0)	/* 0x02020000 */

#define VCMD_enter_space_v1	VC_CMD(PROCALT, 1, 1)	/* 0x0a010001 */
#define VCMD_enter_space	VC_CMD(PROCALT, 1, 2)	/* 0x0a010002 */
#define VCMD_set_space_v1	VC_CMD(PROCALT, 3, 1)	/* 0x0a030001 */
#define VCMD_set_space		VC_CMD(PROCALT, 3, 2)	/* 0x0a030002 */
#define VCMD_get_space_mask	VC_CMD(VSPACE, 0, 1)	/* 0x36000001 */
#define VCMD_get_space_default	VC_CMD(VSPACE, 1, 0)	/* 0x36010000 */

/* Context ids (xid). */
#define VX_ID_HOST		0	/* the host: sees and signals everything */
#define VX_ID_SPECTATOR		1	/* sees everything, signals nothing */
#define VX_ID_STATIC_MIN	2	/* first static guest xid */
#define VX_ID_STATIC_MAX	49151	/* last static guest xid */
#define VX_ID_DYNAMIC_MIN	49152	/* dynamic xids are handed out */
#define VX_ID_DYNAMIC_MAX	65535	/* from this range */
#define VX_DYNAMIC_ID		((__u32)-1)	/* ctx_create: pick a free xid */
#define VX_ID_SELF		((__u32)-1)	/* info commands: own context */
#define VX_ID_SAME		((__u32)-2)	/* util-vserver's VC_SAMECTX */
/*
 * Any id from 2^31 up, VX_ID_SELF and VX_ID_SAME among them, names the
 * caller's own context, except for ctx_create/net_create (VX_DYNAMIC_ID).
 */

/* get_vci feature bits (set when compiled in and working). */
#define VCI_FEATURE_NO_DYNAMIC	(1U << 0)
#define VCI_FEATURE_COWBL	(1U << 8)
#define VCI_FEATURE_FULLCOWBL	(1U << 9)
#define VCI_FEATURE_SPACES	(1U << 10)
#define VCI_FEATURE_NETV2	(1U << 11)
#define VCI_FEATURE_PPTAG	(1U << 28)

/* Context flags (VXF_*): get/set_cflags, ctx_create. */
#define VXF_INFO_LOCK		0x00000001ULL
#define VXF_INFO_SCHED		0x00000002ULL
#define VXF_INFO_NPROC		0x00000004ULL
#define VXF_INFO_PRIVATE	0x00000008ULL	/* cannot be entered */
#define VXF_INFO_INIT		0x00000010ULL	/* guest init seen as pid 1 */
#define VXF_INFO_HIDE		0x00000020ULL
#define VXF_INFO_ULIMIT		0x00000040ULL
#define VXF_INFO_NSPACE		0x00000080ULL
#define VXF_SCHED_HARD		0x00000100ULL
#define VXF_SCHED_PRIO		0x00000200ULL
#define VXF_SCHED_PAUSE		0x00000400ULL
#define VXF_VIRT_MEM		0x00010000ULL
#define VXF_VIRT_UPTIME		0x00020000ULL
#define VXF_VIRT_CPU		0x00040000ULL
#define VXF_VIRT_LOAD		0x00080000ULL
#define VXF_VIRT_TIME		0x00100000ULL
#define VXF_HIDE_MOUNT		0x01000000ULL
#define VXF_HIDE_NETIF		0x02000000ULL
#define VXF_HIDE_VINFO		0x04000000ULL
#define VXF_STATE_SETUP		(1ULL << 32)	/* being set up */
#define VXF_STATE_INIT		(1ULL << 33)	/* init not yet chosen */
#define VXF_STATE_ADMIN		(1ULL << 34)	/* host may administer */
#define VXF_SC_HELPER		(1ULL << 36)	/* vshelper on start/stop */
#define VXF_REBOOT_KILL		(1ULL << 37)	/* reboot(2) kills context */
#define VXF_PERSISTENT		(1ULL << 38)	/* outlives its last task */
#define VXF_FORK_RSS		(1ULL << 48)
#define VXF_PROLIFIC		(1ULL << 49)
#define VXF_IGNEG_NICE		(1ULL << 52)
#define VXF_IGNEG_IONICE	(1ULL << 53)

/* Bits that may only be cleared once set (never set again). */
#define VXF_ONE_TIME		(VXF_STATE_SETUP | VXF_STATE_INIT | \
				 VXF_STATE_ADMIN)
/* Flags of a context created without data. */
#define VXF_INIT_SET		(VXF_STATE_SETUP | VXF_STATE_INIT | \
				 VXF_STATE_ADMIN)

#define VXF_MASK		(0x00000000000007FFULL | 0x00000000001F0000ULL | \
				 0x0000000007000000ULL | VXF_ONE_TIME | \
				 VXF_SC_HELPER | VXF_REBOOT_KILL | \
				 VXF_PERSISTENT | VXF_FORK_RSS | \
				 VXF_PROLIFIC | VXF_IGNEG_NICE | \
				 VXF_IGNEG_IONICE)

/* Context capabilities (VXC_*): get/set_ccaps. */
#define VXC_SET_UTSNAME		0x00000001ULL
#define VXC_SET_RLIMIT		0x00000002ULL
#define VXC_FS_SECURITY		0x00000004ULL
#define VXC_FS_TRUSTED		0x00000008ULL
#define VXC_TIOCSTI		0x00000010ULL
#define VXC_RAW_ICMP		0x00000100ULL	/* legacy: now NXC_RAW_ICMP */
#define VXC_SYSLOG		0x00001000ULL
#define VXC_OOM_ADJUST		0x00002000ULL
#define VXC_AUDIT_CONTROL	0x00004000ULL
#define VXC_SECURE_MOUNT	0x00010000ULL
#define VXC_SECURE_REMOUNT	0x00020000ULL
#define VXC_BINARY_MOUNT	0x00040000ULL
#define VXC_DEV_MOUNT		0x00080000ULL
#define VXC_QUOTA_CTL		0x00100000ULL
#define VXC_ADMIN_MAPPER	0x00200000ULL
#define VXC_ADMIN_CLOOP		0x00400000ULL
#define VXC_KTHREAD		0x01000000ULL
#define VXC_NAMESPACE		0x02000000ULL

#define VXC_MASK		(VXC_SET_UTSNAME | VXC_SET_RLIMIT | \
				 VXC_FS_SECURITY | VXC_FS_TRUSTED | \
				 VXC_TIOCSTI | VXC_RAW_ICMP | VXC_SYSLOG | \
				 VXC_OOM_ADJUST | VXC_AUDIT_CONTROL | \
				 VXC_SECURE_MOUNT | VXC_SECURE_REMOUNT | \
				 VXC_BINARY_MOUNT | VXC_DEV_MOUNT | \
				 VXC_QUOTA_CTL | VXC_ADMIN_MAPPER | \
				 VXC_ADMIN_CLOOP | VXC_KTHREAD | VXC_NAMESPACE)

/*
 * Spaces: the namespaces a context holds, as CLONE_* bits.  CLONE_FS
 * (0x200) stands for the root and working directory.
 */
#define VX_SPACE_FS		0x00000200ULL	/* CLONE_FS */
#define VX_SPACE_NS		0x00020000ULL	/* CLONE_NEWNS */
#define VX_SPACE_CGROUP		0x02000000ULL	/* CLONE_NEWCGROUP */
#define VX_SPACE_UTS		0x04000000ULL	/* CLONE_NEWUTS */
#define VX_SPACE_IPC		0x08000000ULL	/* CLONE_NEWIPC */
#define VX_SPACE_USER		0x10000000ULL	/* CLONE_NEWUSER */
#define VX_SPACE_PID		0x20000000ULL	/* CLONE_NEWPID */
#define VX_SPACE_NET		0x40000000ULL	/* CLONE_NEWNET */
#define VX_SPACE_INDEX_MAX	1		/* two sets: index 0 and 1 */

/* vhi_name fields. */
#define VHIN_CONTEXT		0	/* the context's name */
#define VHIN_SYSNAME		1
#define VHIN_NODENAME		2
#define VHIN_RELEASE		3
#define VHIN_VERSION		4
#define VHIN_MACHINE		5
#define VHIN_DOMAINNAME		6
#define VHIN_MAX		VHIN_DOMAINNAME
#define VHI_NAME_LEN		65

/* ctx_migrate flags (VXM_*). */
#define VXM_SET_INIT		0x00000001ULL	/* caller becomes ctx init */
#define VXM_SET_REAPER		0x00000002ULL	/* caller reaps orphans */
#define VXM_MASK		(VXM_SET_INIT | VXM_SET_REAPER)

/**
 * struct vcmd_ctx_create - argument of %VCMD_ctx_create (v1) and v0
 * @flagword: initial context flags (VXF_*); a NULL @data means
 *	%VXF_INIT_SET
 *
 * @id is the xid: %VX_ID_STATIC_MIN..%VX_ID_STATIC_MAX, or %VX_DYNAMIC_ID
 * for a free xid from the dynamic range.  The caller is moved into the
 * new context; the return value is its xid.
 */
struct vcmd_ctx_create {
	__u64 flagword;
};

/**
 * struct vcmd_ctx_migrate - argument of %VCMD_ctx_migrate (v1) and v0
 * @flagword: VXM_* flags; a NULL @data means 0
 */
struct vcmd_ctx_migrate {
	__u64 flagword;
};

/**
 * struct vcmd_vx_info - result of %VCMD_vx_info
 * @xid: the context's id
 * @initpid: pid (in the caller's pid namespace) of its init, or 0
 */
struct vcmd_vx_info {
	__u32 xid;
	__u32 initpid;
};

/**
 * struct vcmd_ctx_stat - result of %VCMD_ctx_stat
 * @usecnt: references held on the context
 * @tasks: tasks (threads) in the context
 */
struct vcmd_ctx_stat {
	__u32 usecnt;
	__u32 tasks;
};

/**
 * struct vcmd_ctx_flags - argument of %VCMD_get_cflags / %VCMD_set_cflags
 * @flagword: the flags (VXF_*)
 * @mask: set_cflags: which bits of @flagword to apply; get_cflags: ~0
 */
struct vcmd_ctx_flags {
	__u64 flagword;
	__u64 mask;
};

/**
 * struct vcmd_ctx_kill - argument of %VCMD_ctx_kill
 * @pid: 0: every task of the context; -1: every task but its init;
 *	1: the context's init; else that pid, if it is in the context
 * @sig: the signal to send (0 checks only)
 */
struct vcmd_ctx_kill {
	__s32 pid;
	__s32 sig;
};

/**
 * struct vcmd_bcaps - argument of %VCMD_get_bcaps / %VCMD_set_bcaps
 * @bcaps: bounding capabilities: bit n is Linux capability n; a task of
 *	the context can never use a capability outside this set, even as
 *	root or through a setuid binary
 * @bmask: set_bcaps: which bits to change (bits beyond the last Linux
 *	capability are ignored); get_bcaps: ~0
 *
 * The host may set any bits; a guest during setup may only clear them.
 */
struct vcmd_bcaps {
	__u64 bcaps;
	__u64 bmask;
};

/**
 * struct vcmd_ctx_caps - argument of %VCMD_get_ccaps / %VCMD_set_ccaps
 * @ccaps: context capabilities (VXC_*)
 * @cmask: set_ccaps: which bits to change; get_ccaps: ~0
 */
struct vcmd_ctx_caps {
	__u64 ccaps;
	__u64 cmask;
};

/**
 * struct vcmd_space_mask - argument of the space commands
 * @mask: VX_SPACE_* bits
 * @index: which of the context's two space sets (0 or 1); v2 only
 * @pad: ignored (implicit padding in the original layout)
 *
 * set_space stores the caller's namespaces (and, with %VX_SPACE_FS, its
 * root and working directory) in the context; enter_space moves the
 * caller into those stored (@mask 0: all); get_space_mask and
 * get_space_default report the supported and the recommended bits.
 * v1 of enter/set_space passes only @mask (8 bytes) and means index 0.
 */
struct vcmd_space_mask {
	__u64 mask;
	__u32 index;
	__u32 pad;
};

/**
 * struct vcmd_vhi_name - argument of %VCMD_set_vhi_name / %VCMD_get_vhi_name
 * @field: VHIN_*
 * @name: NUL-terminated value
 * @pad: ignored on input, zeroed on output (implicit padding in the
 *	original layout)
 *
 * VHIN_CONTEXT names the context; the others are the uname fields of the
 * UTS namespace the context holds in space 0 (set_space with
 * %VX_SPACE_UTS first).
 */
struct vcmd_vhi_name {
	__u32 field;
	char name[VHI_NAME_LEN];
	__u8 pad[3];
};

/**
 * struct vcmd_virt_stat - result of %VCMD_virt_stat
 * @offset: always 0 (the original's time offset of the context)
 * @uptime: nanoseconds since the context was created
 * @nr_threads: tasks (threads) in the context
 * @nr_running: of those, running
 * @nr_uninterruptible: of those, in uninterruptible sleep
 * @nr_onhold: always 0 (no tasks are held by the CPU buckets)
 * @nr_forks: always 0 (not counted)
 * @load: load averages over 1, 5 and 15 minutes, fixed point (FSHIFT 11)
 */
struct vcmd_virt_stat {
	__u64 offset;
	__u64 uptime;
	__u32 nr_threads;
	__u32 nr_running;
	__u32 nr_uninterruptible;
	__u32 nr_onhold;
	__u32 nr_forks;
	__u32 load[3];
};

/**
 * struct vcmd_umask - argument of %VCMD_get_umask / %VCMD_set_umask
 * @umask: the namespaces (CLONE_NEW* bits, as %VX_SPACE_*) that root in
 *	the context may create with clone(2)/unshare(2), given
 *	%VXC_NAMESPACE; 0 when the context is created
 * @mask: set_umask: which bits to change; get_umask: ~0
 */
struct vcmd_umask {
	__u64 umask;
	__u64 mask;
};

/**
 * struct vcmd_badness - argument of %VCMD_get_badness / %VCMD_set_badness
 * @bias: the OOM score adjustment of the context's processes, -1000
 *	(never killed) to 1000 (killed first): set_badness writes it to the
 *	oom_score_adj of every process in the context and of every process
 *	that enters it later; values beyond the range are clamped
 */
struct vcmd_badness {
	__s64 bias;
};

/**
 * struct vcmd_wait_exit - result of %VCMD_wait_exit
 * @reboot_cmd: the reboot(2) command that ended the context (a
 *	LINUX_REBOOT_CMD_* value), or 0
 * @exit_code: wait status of the context's init process, or 0
 *
 * wait_exit blocks until the context has ended.
 */
struct vcmd_wait_exit {
	__s32 reboot_cmd;
	__s32 exit_code;
};

/*
 * Network contexts (kernel/vserver/network.c)
 */

#define VC_CAT_VNET		25
#define VC_CAT_NETALT		26
#define VC_CAT_NETMIG		27

#define VCMD_task_nid		VC_CMD(VINFO, 2, 0)	/* 0x2e020000 */
#define VCMD_nx_info		VC_CMD(VINFO, 6, 0)	/* 0x2e060000 */
#define VCMD_net_create_v0	VC_CMD(VNET, 1, 0)	/* 0x19010000 */
#define VCMD_net_create		VC_CMD(VNET, 1, 1)	/* 0x19010001 */
#define VCMD_net_migrate	VC_CMD(NETMIG, 1, 0)	/* 0x1b010000 */
#define VCMD_net_add_v0		VC_CMD(NETALT, 1, 0)	/* 0x1a010000 */
#define VCMD_net_remove_v0	VC_CMD(NETALT, 2, 0)	/* 0x1a020000 */
#define VCMD_net_add_ipv4_v1	VC_CMD(NETALT, 1, 1)	/* 0x1a010001 */
#define VCMD_net_remove_ipv4_v1	VC_CMD(NETALT, 2, 1)	/* 0x1a020001 */
#define VCMD_net_add_ipv4	VC_CMD(NETALT, 1, 2)	/* 0x1a010002 */
#define VCMD_net_remove_ipv4	VC_CMD(NETALT, 2, 2)	/* 0x1a020002 */
#define VCMD_net_add_ipv6	VC_CMD(NETALT, 3, 1)	/* 0x1a030001 */
#define VCMD_net_remove_ipv6	VC_CMD(NETALT, 4, 1)	/* 0x1a040001 */
#define VCMD_get_nflags		VC_CMD(FLAGS, 5, 0)	/* 0x34050000 */
#define VCMD_set_nflags		VC_CMD(FLAGS, 6, 0)	/* 0x34060000 */
#define VCMD_get_ncaps		VC_CMD(FLAGS, 7, 0)	/* 0x34070000 */
#define VCMD_set_ncaps		VC_CMD(FLAGS, 8, 0)	/* 0x34080000 */

/* Network context ids (nid): the same ranges as xids. */
#define NX_ID_HOST		0
#define NX_ID_SPECTATOR		1
#define NX_ID_STATIC_MIN	2
#define NX_ID_STATIC_MAX	49151
#define NX_ID_DYNAMIC_MIN	49152
#define NX_ID_DYNAMIC_MAX	65535
#define NX_DYNAMIC_ID		((__u32)-1)	/* net_create: pick a free nid */

/* Network context flags (NXF_*): get/set_nflags, net_create. */
#define NXF_INFO_PRIVATE	0x00000008ULL	/* cannot be entered */
#define NXF_SINGLE_IP		0x00000100ULL	/* INADDR_ANY = first address */
#define NXF_LBACK_REMAP		0x00000200ULL	/* 127.0.0.1, ::1 = own lback */
#define NXF_LBACK_ALLOW		0x00000400ULL	/* host loopback reachable */
#define NXF_HIDE_NETIF		0x02000000ULL
#define NXF_HIDE_LBACK		0x04000000ULL
#define NXF_STATE_SETUP		(1ULL << 32)	/* being set up */
#define NXF_STATE_ADMIN		(1ULL << 34)	/* host may administer */
#define NXF_SC_HELPER		(1ULL << 36)
#define NXF_PERSISTENT		(1ULL << 38)	/* outlives its last task */
#define NXF_ONE_TIME		(NXF_STATE_SETUP | NXF_STATE_ADMIN)
#define NXF_INIT_SET		(NXF_STATE_ADMIN | NXF_HIDE_NETIF | \
				 NXF_LBACK_REMAP)
#define NXF_MASK		(NXF_INFO_PRIVATE | NXF_SINGLE_IP | \
				 NXF_LBACK_REMAP | NXF_LBACK_ALLOW | \
				 NXF_HIDE_NETIF | NXF_HIDE_LBACK | \
				 NXF_STATE_SETUP | NXF_STATE_ADMIN | \
				 NXF_SC_HELPER | NXF_PERSISTENT)

/* Network context capabilities (NXC_*): get/set_ncaps. */
#define NXC_TUN_CREATE		0x00000001ULL
#define NXC_RAW_ICMP		0x00000100ULL	/* raw ICMP/ICMPv6 sockets */
#define NXC_MULTICAST		0x00001000ULL	/* bind to a group address */
#define NXC_MASK		(NXC_TUN_CREATE | NXC_RAW_ICMP | NXC_MULTICAST)

/* Address entry types (NXA_*): net_add/net_remove. */
#define NXA_TYPE_IPV4		0x0001
#define NXA_TYPE_IPV6		0x0002
#define NXA_TYPE_NONE		0x0000
#define NXA_TYPE_ANY		0x00FF	/* remove: every entry */
#define NXA_TYPE_ADDR		0x0010	/* one address (mask: its subnet) */
#define NXA_TYPE_MASK		0x0020	/* every address of a subnet */
#define NXA_TYPE_RANGE		0x0040	/* addresses ip <= a < ip2 */
#define NXA_MOD_BCAST		0x0100	/* with ADDR: the broadcast address */
#define NXA_MOD_LBACK		0x0200	/* with ADDR: the loopback address */

/**
 * struct vcmd_nx_info - result of %VCMD_nx_info
 * @nid: the network context's id
 */
struct vcmd_nx_info {
	__u32 nid;
};

/**
 * struct vcmd_net_create - argument of %VCMD_net_create (v1) and v0
 * @flagword: initial flags (NXF_*); a NULL @data means %NXF_INIT_SET
 *
 * @id is the nid (%NX_ID_STATIC_MIN..%NX_ID_STATIC_MAX, or
 * %NX_DYNAMIC_ID); the caller is moved into the new network context and
 * the return value is its nid.
 */
struct vcmd_net_create {
	__u64 flagword;
};

/**
 * struct vcmd_net_addr_v0 - argument of %VCMD_net_add_v0 and
 *	%VCMD_net_remove_v0 (the legacy form, 36 bytes)
 * @type: add: NXA_TYPE_IPV4 (@count addresses), NXA_TYPE_IPV4 |
 *	NXA_MOD_BCAST or | NXA_MOD_LBACK (@ip[0]); remove: NXA_TYPE_ANY
 * @count: add NXA_TYPE_IPV4: how many of @ip/@mask, 1..4
 * @ip: the addresses (network byte order)
 * @mask: their netmasks
 */
struct vcmd_net_addr_v0 {
	__u16 type;
	__u16 count;
	__u32 ip[4];
	__u32 mask[4];
};

/**
 * struct vcmd_net_addr_ipv4_v1 - argument of %VCMD_net_add_ipv4_v1 and
 *	%VCMD_net_remove_ipv4_v1 (Linux-VServer layout, 12 bytes)
 * @type: NXA_TYPE_ADDR or NXA_TYPE_MASK, optionally with NXA_MOD_BCAST or
 *	NXA_MOD_LBACK; remove: NXA_TYPE_ADDR or NXA_TYPE_ANY
 * @flags: must be 0
 * @ip: the address (network byte order)
 * @mask: its netmask
 */
struct vcmd_net_addr_ipv4_v1 {
	__u16 type;
	__u16 flags;
	__u32 ip;
	__u32 mask;
};

/**
 * struct vcmd_net_addr_ipv4_v2 - argument of %VCMD_net_add_ipv4 and
 *	%VCMD_net_remove_ipv4 (v2: adds ranges)
 * @type: as in v1, or NXA_TYPE_RANGE
 * @flags: must be 0
 * @ip: the address, or the first address of a range
 * @ip2: NXA_TYPE_RANGE: the end of the range (excluded); else 0
 * @mask: the netmask
 */
struct vcmd_net_addr_ipv4_v2 {
	__u16 type;
	__u16 flags;
	__u32 ip;
	__u32 ip2;
	__u32 mask;
};

/**
 * struct vcmd_net_addr_ipv6 - argument of %VCMD_net_add_ipv6 and
 *	%VCMD_net_remove_ipv6
 * @type: NXA_TYPE_ADDR (one address) or NXA_TYPE_MASK (a prefix);
 *	remove also NXA_TYPE_ANY
 * @flags: must be 0
 * @prefix: prefix length 0..128
 * @ip: the address
 * @mask: ignored; the kernel derives the mask from @prefix
 */
struct vcmd_net_addr_ipv6 {
	__u16 type;
	__u16 flags;
	__u32 prefix;
	__u8 ip[16];
	__u8 mask[16];
};

/**
 * struct vcmd_net_flags - argument of %VCMD_get_nflags / %VCMD_set_nflags
 * @flagword: NXF_* flags
 * @mask: set: which bits to change; get: ~0
 */
struct vcmd_net_flags {
	__u64 flagword;
	__u64 mask;
};

/**
 * struct vcmd_net_caps - argument of %VCMD_get_ncaps / %VCMD_set_ncaps
 * @ncaps: NXC_* capabilities
 * @cmask: set: which bits to change; get: ~0
 */
struct vcmd_net_caps {
	__u64 ncaps;
	__u64 cmask;
};

/*
 * Resource limits (kernel/vserver/limit.c)
 */

#define VC_CAT_RLIMIT		60

#define VCMD_get_rlimit		VC_CMD(RLIMIT, 1, 0)	/* 0x3c010000 */
#define VCMD_set_rlimit		VC_CMD(RLIMIT, 2, 0)	/* 0x3c020000 */
#define VCMD_get_rlimit_mask	VC_CMD(RLIMIT, 3, 0)	/* 0x3c030000 */
#define VCMD_reset_hits		VC_CMD(RLIMIT, 7, 0)	/* 0x3c070000 */
#define VCMD_reset_minmax	VC_CMD(RLIMIT, 9, 0)	/* 0x3c090000 */
#define VCMD_rlimit_stat	VC_CMD(VSTAT, 1, 0)	/* 0x28010000 */

/*
 * Limit ids: 0..15 are the RLIMIT_* numbers of <linux/resource.h>
 * (RLIMIT_NPROC 6, RLIMIT_NOFILE 7, RLIMIT_AS 9, ...), counted for the
 * whole context; VLIMIT_* are context-only resources.
 */
#define VLIMIT_NSOCK		16	/* sockets */
#define VLIMIT_OPENFD		17	/* open files (same count as NOFILE) */
#define VLIMIT_ANON		18	/* anonymous memory (pages) */
#define VLIMIT_SHMEM		19	/* SysV shared memory (pages) */
#define VLIMIT_SEMARY		20	/* SysV semaphore sets */
#define VLIMIT_NSEMS		21	/* SysV semaphores */
#define VLIMIT_DENTRY		22	/* dentries */
#define VLIMIT_NR		23	/* ids are below this */

/* Limit values: none, and (set_rlimit) leave this one as it is. */
#define CRLIM_INFINITY		(~0ULL)
#define CRLIM_KEEP		(~1ULL)

/**
 * struct vcmd_ctx_rlimit - argument of %VCMD_get_rlimit / %VCMD_set_rlimit
 * @id: the resource: RLIMIT_* (0..15) or VLIMIT_*
 * @pad: ignored (util-vserver leaves it uninitialised)
 * @minimum: the amount guaranteed to the context (reported, not reserved)
 * @softlimit: the soft limit: reported, crossing it is allowed
 * @maximum: the hard limit: an allocation beyond it fails
 *
 * Values count objects (tasks, files, sockets, semaphore sets), pages
 * (RLIMIT_AS, RLIMIT_RSS, RLIMIT_MEMLOCK, VLIMIT_ANON, VLIMIT_SHMEM) or
 * bytes (RLIMIT_MSGQUEUE); %CRLIM_INFINITY means no limit.  set_rlimit
 * leaves fields that are %CRLIM_KEEP unchanged and lowers a soft limit
 * above the hard one to the hard one.  A new limit applies to the next
 * allocation; what is already allocated stays.
 */
struct vcmd_ctx_rlimit {
	__u32 id;
	__u32 pad;
	__u64 minimum;
	__u64 softlimit;
	__u64 maximum;
};

/**
 * struct vcmd_ctx_rlimit_mask - result of %VCMD_get_rlimit_mask
 * @minimum: resources (bit = id) with a settable minimum
 * @softlimit: resources with a settable soft limit
 * @maximum: resources with an enforced hard limit
 */
struct vcmd_ctx_rlimit_mask {
	__u32 minimum;
	__u32 softlimit;
	__u32 maximum;
};

/**
 * struct vcmd_rlimit_stat - argument of %VCMD_rlimit_stat
 * @id: in: the resource
 * @hits: out: allocations refused because of the hard limit
 * @value: out: what the context uses now
 * @minimum: out: the least it used since creation or reset_minmax
 * @maximum: out: the most it used since creation or reset_minmax
 */
struct vcmd_rlimit_stat {
	__u32 id;
	__u32 hits;
	__u64 value;
	__u64 minimum;
	__u64 maximum;
};

/*
 * Scheduler buckets (kernel/vserver/sched.c)
 */

#define VC_CAT_SCHED		14

#define VCMD_set_sched		VC_CMD(SCHED, 1, 5)	/* 0x0e010005 */
#define VCMD_get_sched		VC_CMD(SCHED, 2, 5)	/* 0x0e020005 */
#define VCMD_sched_info		VC_CMD(SCHED, 3, 0)	/* 0x0e030000 */
#define VCMD_set_prio_bias	VC_CMD(SCHED, 4, 0)	/* 0x0e040000 */
#define VCMD_get_prio_bias	VC_CMD(SCHED, 5, 0)	/* 0x0e050000 */

/* set_sched/get_sched: which fields of struct vcmd_sched_v5 count. */
#define VXSM_FILL_RATE		0x0001
#define VXSM_INTERVAL		0x0002
#define VXSM_FILL_RATE2		0x0004
#define VXSM_INTERVAL2		0x0008
#define VXSM_TOKENS		0x0010
#define VXSM_TOKENS_MIN		0x0020
#define VXSM_TOKENS_MAX		0x0040
#define VXSM_PRIO_BIAS		0x0100
#define VXSM_IDLE_TIME		0x0200	/* use idle time (rate 2) */
#define VXSM_FORCE		0x0400	/* refill the bucket now */
#define VXSM_CPU_ID		0x1000
#define VXSM_BUCKET_ID		0x2000
#define VXSM_MSEC		0x4000	/* intervals in ms, not ticks */

#define VXSM_MASK		(VXSM_FILL_RATE | VXSM_INTERVAL | \
				 VXSM_FILL_RATE2 | VXSM_INTERVAL2 | \
				 VXSM_TOKENS | VXSM_TOKENS_MIN | \
				 VXSM_TOKENS_MAX | VXSM_PRIO_BIAS | \
				 VXSM_IDLE_TIME | VXSM_FORCE | VXSM_CPU_ID | \
				 VXSM_BUCKET_ID | VXSM_MSEC)

/* Lowest and highest priority bias (nice levels). */
#define VX_PRIO_BIAS_MIN	(-20)
#define VX_PRIO_BIAS_MAX	19

/**
 * struct vcmd_sched_v5 - argument of %VCMD_set_sched and %VCMD_get_sched
 * @mask: VXSM_* bits: which fields set_sched applies, or which units
 *	get_sched reports (%VXSM_MSEC); get_sched returns the bits of the
 *	fields that are set
 * @cpu_id: with %VXSM_CPU_ID: -1 or a CPU; the bucket is per context,
 *	so every CPU shares the same parameters
 * @bucket_id: with %VXSM_BUCKET_ID: must be 0 (one bucket per context)
 * @fill_rate: tokens added per interval; [0] always, [1] while the
 *	host is idle (%VXSM_IDLE_TIME).  0: no limit
 * @interval: interval in scheduler ticks (ms with %VXSM_MSEC); 0: one
 *	second
 * @tokens: tokens in the bucket now (one token is one tick of CPU time
 *	of every CPU)
 * @tokens_min: accepted and reported; the bucket resumes at the next
 *	refill
 * @tokens_max: bucket size (burst); 0: one second
 * @prio_bias: -20..19, a nice level for the whole context
 *
 * A context gets fill_rate[0] / interval[0] of every CPU: a hard cap,
 * or, when it has %VXF_SCHED_PRIO without %VXF_SCHED_HARD, a weight in
 * that proportion.  See Documentation/userspace-api/vserver.rst.
 */
struct vcmd_sched_v5 {
	__u32 mask;
	__s32 cpu_id;
	__s32 bucket_id;
	__s32 fill_rate[2];
	__s32 interval[2];
	__s32 tokens;
	__s32 tokens_min;
	__s32 tokens_max;
	__s32 prio_bias;
};

/**
 * struct vcmd_sched_info - argument/result of %VCMD_sched_info
 * @cpu_id: in: a CPU, or -1 for all of them
 * @bucket_id: in: must be 0
 * @user_msec: CPU time of the context's tasks in user mode, ms
 * @sys_msec: the same in the kernel, ms
 * @hold_msec: time the context was held (throttled), ms
 * @token_usec: length of one token in microseconds
 * @vavavoom: the priority bias in effect
 */
struct vcmd_sched_info {
	__s32 cpu_id;
	__s32 bucket_id;
	__u64 user_msec;
	__u64 sys_msec;
	__u64 hold_msec;
	__u32 token_usec;
	__s32 vavavoom;
};

/**
 * struct vcmd_prio_bias - argument of %VCMD_set_prio_bias / get_prio_bias
 * @cpu_id: -1 or a CPU (the bias is per context)
 * @prio_bias: -20..19
 */
struct vcmd_prio_bias {
	__s32 cpu_id;
	__s32 prio_bias;
};

/*
 * Inode attributes and the chroot barrier (kernel/vserver/inode.c)
 */

#define VC_CAT_INODE		38

#define VCMD_get_iattr		VC_CMD(INODE, 1, 1)	/* 0x26010001 */
#define VCMD_set_iattr		VC_CMD(INODE, 2, 1)	/* 0x26020001 */
#define VCMD_fget_iattr		VC_CMD(INODE, 3, 0)	/* 0x26030000 */
#define VCMD_fset_iattr		VC_CMD(INODE, 4, 0)	/* 0x26040000 */

/* Inode attributes (IATTR_*): get/set_iattr, fget/fset_iattr. */
#define IATTR_TAG		0x01000000	/* @tag is valid (always 0) */
#define IATTR_ADMIN		0x00000001	/* /proc: the host sees it */
#define IATTR_WATCH		0x00000002	/* /proc: the spectator sees it */
#define IATTR_HIDE		0x00000004	/* /proc: guests do not see it */
#define IATTR_FLAGS		(IATTR_ADMIN | IATTR_WATCH | IATTR_HIDE)
#define IATTR_BARRIER		0x00010000	/* dir: guests cannot pass */
#define IATTR_IXUNLINK		0x00020000	/* may be unlinked if immutable */
#define IATTR_IUNLINK		IATTR_IXUNLINK	/* util-vserver's name */
#define IATTR_IMMUTABLE		0x00040000	/* FS_IMMUTABLE_FL */
#define IATTR_COW		0x00080000	/* reg: break link on write */

/* The attributes set_iattr can change. */
#define IATTR_MASK		(IATTR_FLAGS | IATTR_BARRIER | IATTR_IXUNLINK | \
				 IATTR_IMMUTABLE | IATTR_COW)

/**
 * struct vcmd_iattr - argument of %VCMD_get_iattr / %VCMD_set_iattr (v1)
 * @name: user pointer to the path; the last component is not followed
 *	(lstat-style)
 * @tag: get: 0 (no tagging); set: ignored
 * @flags: IATTR_* attributes
 * @mask: set: which attributes to change; get: the attributes this inode
 *	can carry
 * @pad: ignored (implicit padding in the original layout)
 *
 * Linux-VServer's layout with a native pointer; x86_64 size 24.
 */
struct vcmd_iattr {
	__u64 name;
	__u32 tag;
	__u32 flags;
	__u32 mask;
	__u32 pad;
};

/**
 * struct vcmd_fiattr - argument of %VCMD_fget_iattr / %VCMD_fset_iattr
 * @tag: as in &struct vcmd_iattr
 * @flags: IATTR_* attributes
 * @mask: as in &struct vcmd_iattr
 *
 * The id argument of the command is an open file descriptor.
 */
struct vcmd_fiattr {
	__u32 tag;
	__u32 flags;
	__u32 mask;
};

/*
 * Disk limits (kernel/vserver/dlimit.c): the project quota of project id
 * = xid on the filesystem mounted at @name.
 */
#define VC_CAT_DLIMIT		36

#define VCMD_add_dlimit		VC_CMD(DLIMIT, 1, 0)	/* 0x24010000 */
#define VCMD_rem_dlimit		VC_CMD(DLIMIT, 2, 0)	/* 0x24020000 */
#define VCMD_set_dlimit		VC_CMD(DLIMIT, 5, 0)	/* 0x24050000 */
#define VCMD_get_dlimit		VC_CMD(DLIMIT, 6, 0)	/* 0x24060000 */

#define CDLIM_UNSET		0U		/* no limit */
#define CDLIM_INFINITY		(~0U)		/* no limit */
#define CDLIM_KEEP		(~1U)		/* leave unchanged */

/**
 * struct vcmd_ctx_dlimit_base - argument of %VCMD_add_dlimit and
 *	%VCMD_rem_dlimit
 * @name: user pointer to the path of a mount point (or anything on the
 *	filesystem)
 * @flags: ignored
 * @pad: ignored (implicit padding in the original layout)
 */
struct vcmd_ctx_dlimit_base {
	__u64 name;
	__u32 flags;
	__u32 pad;
};

/**
 * struct vcmd_ctx_dlimit - argument of %VCMD_set_dlimit / %VCMD_get_dlimit
 * @name: as in &struct vcmd_ctx_dlimit_base
 * @space_used: get: KiB charged to the project
 * @space_total: the block limit in KiB (%CDLIM_UNSET or %CDLIM_INFINITY:
 *	none; %CDLIM_KEEP: unchanged)
 * @inodes_used: get: inodes charged to the project
 * @inodes_total: the inode limit, with the same special values
 * @reserved: ignored on set (the filesystem's own reserve applies);
 *	get: 0
 * @flags: ignored
 */
struct vcmd_ctx_dlimit {
	__u64 name;
	__u32 space_used;
	__u32 space_total;
	__u32 inodes_used;
	__u32 inodes_total;
	__u32 reserved;
	__u32 flags;
};

/* The extended attribute holding IATTR_BARRIER/IXUNLINK/COW (le32). */
#define VX_XATTR_IATTR		"security.vserver"

/*
 * ioctl()s on an open file: its IATTR_* attributes as an int (the
 * numbers say long, as in Linux-VServer; 32 bits are read and written).
 * SETXFLG sets every attribute the inode can carry to the given bits.
 */
#include <linux/ioctl.h>
#define FIOC_GETXFLG		_IOR('x', 5, long)
#define FIOC_SETXFLG		_IOW('x', 6, long)

#endif /* _UAPI_LINUX_VSERVER_H */
