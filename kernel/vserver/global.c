// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: the host's global objects, out of a guest's reach.
 *
 * A guest's root is uid 0 of the initial user namespace with a bounded
 * set of capabilities.  Everything in the kernel that trusts uid 0 alone,
 * or a capability a guest keeps, and that reaches beyond the guest is
 * mediated here: each object is either denied to guests, or scoped to
 * the guest that made it.  Documentation/userspace-api/vserver.rst
 * ("Threat model") lists every such interface and the test that proves
 * it closed.
 *
 *   sysctls          a guest writes only the tables of namespaces it has
 *                    of its own (net, ipc, mqueue, user; the host name of
 *                    its own UTS namespace with VXC_SET_UTSNAME)
 *   module autoload  never on behalf of a guest
 *   kernel log       syslog(2), /proc/kmsg and /dev/kmsg need VXC_SYSLOG
 *   keyrings         no key is created for or reachable by a guest: the
 *                    per-uid keyrings of uid 0 are the host root's
 *   bpf(2)           denied
 *   userfaultfd,     denied: a guest cannot stall the kernel at a page
 *   io_uring         fault of its choosing, nor reach io_uring's surface
 *   perf events      a guest's own tasks only: no CPU-wide, kernel or
 *                    raw tracepoint events, whatever perf_event_paranoid
 *   audit netlink    refused as to a task outside the initial user
 *                    namespace: a guest's messages would pass for the
 *                    host's
 *   uevents          a guest's NETLINK_KOBJECT_UEVENT socket gets none:
 *                    they describe the host's devices
 *   device nodes     only the devices a container needs (mem devices,
 *                    ttys and ptys, tun, fuse; loop devices, the loop and
 *                    mapper control devices and kmsg with their ccaps)
 *   abstract names   AF_UNIX abstract names are scoped per context
 *   /proc, /sys      read-only to guests, but for their own processes'
 *                    entries and the sysctls above; so are debugfs,
 *                    tracefs, securityfs and the like if the host hands
 *                    a guest one
 *   cgroupfs         a guest writes only inside its cgroup namespace, by
 *                    the kernel's delegation rules: below its root, and
 *                    of the root itself the delegatable files
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/audit.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/kdev_t.h>
#include <linux/kernfs.h>
#include <linux/magic.h>
#include <linux/major.h>
#include <linux/miscdevice.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/perf_event.h>
#include <linux/security.h>
#include <linux/sysctl.h>
#include <linux/user_namespace.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "internal.h"

/* ---- sysctls ---- */

/* Is @set the sysctl set of one of the host's (initial) namespaces? */
static bool vx_sysctl_set_initial(const struct ctl_table_set *set)
{
	if (set == &init_net.sysctls || set == &init_user_ns.set)
		return true;
	if (IS_ENABLED(CONFIG_SYSVIPC) || IS_ENABLED(CONFIG_POSIX_MQUEUE))
		return set == &init_ipc_ns.ipc_set || set == &init_ipc_ns.mq_set;
	return false;
}

/* Is @table one of the UTS namespace's writable names? */
static bool vx_sysctl_uts(const struct ctl_table *table)
{
	const void *name = &init_uts_ns.name;

	return table->data >= name && table->data < name + sizeof(init_uts_ns.name);
}

/**
 * vx_sysctl_write_denied - may the current task write this sysctl?
 * @head: the header of the table's set
 * @table: the entry
 *
 * Called for writes only (fs/proc/proc_sysctl.c, sysctl_perm()), at open
 * and at every write.  Sysctl writes are checked against uid 0 alone, and
 * a guest's root is uid 0: every host-wide knob (kernel.core_pattern,
 * kernel.modprobe, vm.*, the host's net.*) is read-only to guests.  A
 * guest writes the tables of a namespace it has of its own: its network,
 * IPC and message queue namespaces, a user namespace, and the host and
 * domain name of its own UTS namespace (as sethostname(2) would let it).
 * The set an inode belongs to is fixed when it is looked up, so an open
 * file of the host's table passed into a guest stays read-only there.
 *
 * Return: true if the write must fail (-EACCES).
 */
bool vx_sysctl_write_denied(const struct ctl_table_header *head,
			    const struct ctl_table *table)
{
	struct uts_namespace *uts;

	if (!vx_current_guest())
		return false;
	if (head->set != &head->root->default_set)
		return vx_sysctl_set_initial(head->set);
	if (!vx_sysctl_uts(table))
		return true;
	uts = current->nsproxy->uts_ns;
	return uts == &init_uts_ns ||
	       !vx_ns_ccap_capable(uts->user_ns, CAP_SYS_ADMIN, VXC_SET_UTSNAME);
}

/* ---- kernel services a guest must not start or read ---- */

/* request_module() on a guest's behalf: socket families, netlink, ... */
static int vx_kernel_module_request(char *kmod_name)
{
	return vx_current_guest() ? -EPERM : 0;
}

static int vx_syslog(int type)
{
	struct vx_info *vxi = vx_cred_vxi(current_cred());

	if (!vx_current_guest() || (vxi && (READ_ONCE(vxi->ccaps) & VXC_SYSLOG)))
		return 0;
	return -EPERM;
}

static int vx_bpf(int cmd, union bpf_attr *attr, unsigned int size)
{
	return vx_current_guest() ? -EPERM : 0;
}

/* File descriptors whose kind alone gives guest root too much reach. */
static int vx_inode_init_security_anon(struct inode *inode,
				       const struct qstr *name,
				       const struct inode *context_inode)
{
	if (!vx_current_guest())
		return 0;
	if (!strcmp(name->name, "[userfaultfd]") ||
	    !strcmp(name->name, "[io_uring]"))
		return -EPERM;
	return 0;
}

/* Per-task events of the guest's own tasks (found through its pids). */
static int vx_perf_event_open(int type)
{
	if (vx_current_guest() && type != PERF_SECURITY_OPEN)
		return -EACCES;
	return 0;
}

/* ---- netlink ---- */

/*
 * The audit system is the host's: kernel/audit.c refuses tasks outside
 * the initial user namespace the same way (libaudit takes ECONNREFUSED
 * for "no audit here").
 */
static int vx_netlink_send(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_protocol == NETLINK_AUDIT && vx_current_guest())
		return -ECONNREFUSED;
	return 0;
}

/* Uevents describe the host's devices: a guest's listener gets none. */
static int vx_sock_rcv_skb(struct sock *sk, struct sk_buff *skb)
{
	if (sk->sk_family == AF_NETLINK &&
	    sk->sk_protocol == NETLINK_KOBJECT_UEVENT && vx_sock(sk)->xid)
		return -EPERM;
	return 0;
}

/**
 * vx_unix_name_visible - may the current task find abstract socket @sk?
 * @sk: an AF_UNIX socket bound to an abstract name
 *
 * net/unix/af_unix.c asks when it looks an abstract name up: to bind it
 * (is it taken?), to connect or send to it.  Each context has its own
 * set of names, the host (and the spectator) one more.
 *
 * Return: true if @sk was created in the caller's context.
 */
bool vx_unix_name_visible(const struct sock *sk)
{
	u32 self = vx_current_xid();

	return vx_sock(sk)->xid == (vx_xid_guest(self) ? self : 0);
}

/* ---- keys ---- */

/*
 * Keys of uid 0 (its user and user-session keyrings, the persistent
 * keyring) are per user namespace, and a guest's root shares the host
 * root's: no key is made for a guest, and no key is reachable by one.
 * This also keeps request_key() from starting /sbin/request-key on the
 * host for a guest.
 */
static int vx_key_alloc(struct key *key, const struct cred *cred,
			unsigned long flags)
{
	return vx_cred_vxi(cred) ? -EACCES : 0;
}

/* -ENOKEY: a key's serial must not tell a guest that the key exists. */
static int vx_key_permission(key_ref_t key_ref, const struct cred *cred,
			     enum key_need_perm need_perm)
{
	return vx_cred_vxi(cred) ? -ENOKEY : 0;
}

/* ---- device nodes ---- */

/* An ioctl-free device a container needs: the same for every guest. */
static bool vx_dev_common(umode_t mode, unsigned int major,
			  unsigned int minor)
{
	if (!S_ISCHR(mode))
		return false;
	switch (major) {
	case MEM_MAJOR:		/* null, zero, full, random, urandom */
		return minor == 3 || minor == 5 || minor == 7 || minor == 8 ||
		       minor == 9;
	case TTYAUX_MAJOR:	/* tty, ptmx; not the host's console */
		return minor == 0 || minor == 2;
	case MISC_MAJOR:
		return minor == TUN_MINOR || minor == FUSE_MINOR;
	}
	return major >= UNIX98_PTY_SLAVE_MAJOR &&
	       major < UNIX98_PTY_SLAVE_MAJOR + UNIX98_PTY_MAJOR_COUNT;
}

/*
 * The context capability a device needs beyond the common ones, or ~0 if
 * no guest may open it.
 */
static u64 vx_dev_ccap(umode_t mode, unsigned int major, unsigned int minor)
{
	if (vx_dev_common(mode, major, minor))
		return 0;
	if (S_ISBLK(mode))
		return major == LOOP_MAJOR ? VXC_ADMIN_CLOOP : ~0ULL;
	if (major == MEM_MAJOR && minor == 11)
		return VXC_SYSLOG;
	if (major == MISC_MAJOR && minor == LOOP_CTRL_MINOR)
		return VXC_ADMIN_CLOOP;
	if (major == MISC_MAJOR && minor == MAPPER_CTRL_MINOR)
		return VXC_ADMIN_MAPPER;
	return ~0ULL;
}

/*
 * A device node in a guest's tree (made by its image, shared with
 * another guest, or left by the admin) would hand its root the host's
 * disks, consoles, input devices and hardware.  Guests open only the
 * devices of vx_dev_ccap(); the device cgroup cannot do this, as a guest
 * may move between cgroups it is given.
 */
static int vx_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct vx_info *vxi;
	u64 need;

	if (!S_ISCHR(inode->i_mode) && !S_ISBLK(inode->i_mode))
		return 0;
	vxi = vx_cred_vxi(file->f_cred);
	if (!vxi)
		return 0;
	need = vx_dev_ccap(inode->i_mode, imajor(inode), iminor(inode));
	if (!need || (need != ~0ULL && (READ_ONCE(vxi->ccaps) & need)))
		return 0;
	return -EPERM;
}

/* ---- pseudo filesystems of the host ---- */

/*
 * May the current task (a guest) change @inode of the cgroup v2
 * hierarchy?  Only inside its cgroup namespace, which vserver start
 * roots at the guest's cgroup: any cgroup below the root, and the root
 * itself as far as cgroup v2 delegates it (creating and removing
 * children, cgroup.procs, cgroup.threads, cgroup.subtree_control; not
 * the limits the host set on it).  A guest in the host's cgroup
 * namespace has nothing to change.
 */
static bool vx_cgroup_may_change(struct inode *inode)
{
	struct kernfs_node *kn = inode->i_private;
	struct cgroup_namespace *ns;
	struct cftype *cft = NULL;
	struct cgroup *root, *cgrp;
	bool ok;

	if (!current->nsproxy || !kn)
		return false;
	ns = current->nsproxy->cgroup_ns;
	if (ns == &init_cgroup_ns)
		return false;
	if (kernfs_type(kn) == KERNFS_FILE) {
		cft = kn->priv;
		kn = kn->parent;
	} else if (kernfs_type(kn) != KERNFS_DIR) {
		return false;
	}
	root = ns->root_cset->dfl_cgrp;
	rcu_read_lock();
	/* A removed cgroup's directory has no cgroup (css_release_work_fn). */
	cgrp = rcu_dereference(*(void __rcu __force **)&kn->priv);
	ok = cgrp && cgroup_is_descendant(cgrp, root) &&
	     (cgrp != root || !cft || (cft->flags & CFTYPE_NS_DELEGATABLE));
	rcu_read_unlock();
	return ok;
}

/*
 * Would a change to @inode reach beyond the current guest?  Files of
 * /proc that are not a process's own (those have no proc_dir_entry) nor
 * sysctls (checked per table), all of sysfs, and the filesystems through
 * which root controls the kernel; cgroupfs outside the guest's subtree.
 */
static bool vx_host_inode(struct inode *inode)
{
	switch (inode->i_sb->s_magic) {
	case PROC_SUPER_MAGIC:
		return proc_vx_flags(inode) >= 0 && !S_ISDIR(inode->i_mode);
	case CGROUP2_SUPER_MAGIC:
		return !vx_cgroup_may_change(inode);
	case CGROUP_SUPER_MAGIC:
	case SYSFS_MAGIC:
	case DEBUGFS_MAGIC:
	case TRACEFS_MAGIC:
	case SECURITYFS_MAGIC:
	case BPF_FS_MAGIC:
	case BINFMTFS_MAGIC:
	case EFIVARFS_MAGIC:
	case PSTOREFS_MAGIC:
		return true;
	}
	return false;
}

/*
 * Writes to the host's pseudo files (sysrq-trigger, the PCI config space
 * in /proc/bus/pci, the sunrpc caches in the host's /proc/net, uevent_helper
 * and power/state in /sys, another cgroup's limits) are checked against
 * uid 0 alone.  Checked at open: a descriptor the host passes in stays
 * usable, as it was the host's choice.
 */
static int vx_pseudo_permission(struct inode *inode, int mask)
{
	if (!(mask & (MAY_WRITE | MAY_APPEND)) || !vx_current_guest())
		return 0;
	return vx_host_inode(inode) ? -EACCES : 0;
}

/* chmod and chown of such a file would change it for the whole host. */
static int vx_pseudo_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			     struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);

	if (!vx_current_guest() || !inode)
		return 0;
	return vx_host_inode(inode) ? -EPERM : 0;
}

static struct security_hook_list vx_global_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(kernel_module_request, vx_kernel_module_request),
	LSM_HOOK_INIT(syslog, vx_syslog),
	LSM_HOOK_INIT(bpf, vx_bpf),
	LSM_HOOK_INIT(inode_init_security_anon, vx_inode_init_security_anon),
	LSM_HOOK_INIT(perf_event_open, vx_perf_event_open),
	LSM_HOOK_INIT(netlink_send, vx_netlink_send),
	LSM_HOOK_INIT(socket_sock_rcv_skb, vx_sock_rcv_skb),
	LSM_HOOK_INIT(file_open, vx_file_open),
	/* The second inode_permission of vserver (inode.c has the barrier). */
	LSM_HOOK_INIT(inode_permission, vx_pseudo_permission),
	LSM_HOOK_INIT(inode_setattr, vx_pseudo_setattr),
#ifdef CONFIG_KEYS
	LSM_HOOK_INIT(key_alloc, vx_key_alloc),
	LSM_HOOK_INIT(key_permission, vx_key_permission),
#endif
};

void __init vx_add_global_hooks(void)
{
	security_add_hooks(vx_global_hooks, ARRAY_SIZE(vx_global_hooks),
			   &vserver_lsmid);
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vx_test_dev_ccap(struct kunit *test)
{
	const umode_t chr = S_IFCHR | 0666, blk = S_IFBLK | 0660;

	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MEM_MAJOR, 3), 0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MEM_MAJOR, 9), 0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, TTYAUX_MAJOR, 2), 0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, UNIX98_PTY_SLAVE_MAJOR, 4), 0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MISC_MAJOR, TUN_MINOR), 0ULL);
	/* /dev/mem, /dev/port, the console, virtual terminals, input. */
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MEM_MAJOR, 1), ~0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MEM_MAJOR, 4), ~0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, TTYAUX_MAJOR, 1), ~0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, TTY_MAJOR, 1), ~0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, INPUT_MAJOR, 64), ~0ULL);
	/* Disks never; loop devices and kmsg with their ccaps. */
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(blk, 8, 0), ~0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(blk, MEM_MAJOR, 3), ~0ULL);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(blk, LOOP_MAJOR, 0), VXC_ADMIN_CLOOP);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MISC_MAJOR, LOOP_CTRL_MINOR),
			VXC_ADMIN_CLOOP);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MISC_MAJOR, MAPPER_CTRL_MINOR),
			VXC_ADMIN_MAPPER);
	KUNIT_EXPECT_EQ(test, vx_dev_ccap(chr, MEM_MAJOR, 11), VXC_SYSLOG);
}

static struct kunit_case vx_global_cases[] = {
	KUNIT_CASE(vx_test_dev_ccap),
	{}
};

static struct kunit_suite vx_global_suite = {
	.name = "vserver_global",
	.test_cases = vx_global_cases,
};

kunit_test_suite(vx_global_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
