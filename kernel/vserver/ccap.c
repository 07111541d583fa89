// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: context capabilities (ccaps).
 *
 * The bounding set (cred.c) takes powers away from a guest's root; a
 * context capability gives one narrow power back.  CAP_SYS_ADMIN guards
 * sethostname(), mount(), unshare() and much more; a guest without it in
 * its bounds may still be allowed just to set its own host name
 * (VXC_SET_UTSNAME) or just to mount filesystems in its own mount
 * namespace (VXC_SECURE_MOUNT).
 *
 * The core kernel asks vx_ns_ccap_capable() instead of ns_capable() at
 * each place a ccap covers (one-line hunks, see patches/).  The answer is
 * ns_capable()'s, widened for the guest's root when its context holds the
 * ccap.  Operations on namespace state (host name, mounts) are widened only
 * when the caller's namespace is not the host's.  The mount hook then
 * narrows what a ccap-granted mount may be.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/blkdev.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/dm-ioctl.h>
#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/loop.h>
#include <linux/major.h>
#include <linux/miscdevice.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/uidgid.h>
#include <linux/utsname.h>
#include <uapi/linux/mount.h>

#include "internal.h"

#define VXC_ANY_MOUNT	(VXC_SECURE_MOUNT | VXC_SECURE_REMOUNT | \
			 VXC_BINARY_MOUNT)

/* The caller's namespace that @ccap changes is its own, not the host's. */
static bool vx_ccap_ns_private(u64 ccap)
{
	struct nsproxy *ns = current->nsproxy;

	if ((ccap & VXC_SET_UTSNAME) && ns->uts_ns == &init_uts_ns)
		return false;
	if ((ccap & VXC_ANY_MOUNT) && ns->mnt_ns == init_nsproxy.mnt_ns)
		return false;
	return true;
}

/* The caller is in a context that holds one of @ccap. */
static bool vx_holds_ccap(u64 ccap)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;

	return vxi && (READ_ONCE(vxi->ccaps) & ccap);
}

/**
 * vx_ns_ccap_capable - ns_capable(), widened by a context capability
 * @ns: the user namespace the core check names
 * @cap: the Linux capability the core check asks for
 * @ccap: the VXC_* bit(s) that grant the operation inside a context
 *
 * Return: true if ns_capable(@ns, @cap) is; otherwise true for the root
 * user of @ns (effective uid 0) in a context that holds one of @ccap,
 * provided that for VXC_SET_UTSNAME and the mount ccaps the namespace the
 * operation changes is not the host's.
 */
bool vx_ns_ccap_capable(struct user_namespace *ns, int cap, u64 ccap)
{
	const struct cred *cred = current_cred();

	if (ns_capable(ns, cap))
		return true;
	if (!vx_holds_ccap(ccap))
		return false;
	if (!uid_eq(cred->euid, make_kuid(ns, 0)))
		return false;
	return vx_ccap_ns_private(ccap);
}

/* The namespaces a context's umask can let its root create. */
#define VX_UMASK_VALID	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
			 CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | \
			 CLONE_NEWTIME)

/**
 * vx_ns_unshare_capable - may the caller create the namespaces in @flags?
 * @ns: the user namespace whose CAP_SYS_ADMIN clone(2)/unshare(2) need
 * @flags: the clone/unshare flags
 *
 * Root in a context holding %VXC_NAMESPACE creates the namespaces its
 * umask (set_umask) allows, none when the context is new, as on the
 * original kernel.
 *
 * Return: true if the namespaces may be created.
 */
bool vx_ns_unshare_capable(struct user_namespace *ns, unsigned long flags)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;

	if (ns_capable(ns, CAP_SYS_ADMIN))
		return true;
	if (!vxi || (flags & VX_UMASK_VALID & ~READ_ONCE(vxi->umask)))
		return false;
	return vx_ns_ccap_capable(ns, CAP_SYS_ADMIN, VXC_NAMESPACE);
}

/**
 * vc_get_umask - VCMD_get_umask: the namespaces root may create
 * @c: fills struct vcmd_umask; mask is all ones
 *
 * Return: 0; -ESRCH.
 */
long vc_get_umask(struct vx_call *c)
{
	struct vcmd_umask *arg = c->data;

	arg->umask = READ_ONCE(c->vxi->umask);
	arg->mask = ~0ULL;
	return 0;
}

/**
 * vc_set_umask - VCMD_set_umask: new = (old & ~mask) | (umask & mask)
 * @c: struct vcmd_umask
 *
 * util-vserver's names include "fs" (CLONE_FS, in its default) and
 * "newuser": both are kept and reported, neither grants anything (user
 * namespaces follow the kernel's own rules).
 *
 * Return: 0; -EINVAL for other bits in @umask & @mask; -ESRCH.
 */
long vc_set_umask(struct vx_call *c)
{
	struct vcmd_umask *arg = c->data;
	u64 valid = VX_UMASK_VALID | CLONE_FS | CLONE_NEWUSER;

	if (arg->umask & arg->mask & ~valid)
		return -EINVAL;
	vx_update_bits(c->vxi, &c->vxi->umask, arg->umask, arg->mask, valid);
	return 0;
}

/**
 * vx_ccap_capable - capable(), widened by a context capability
 * @cap: the Linux capability the core check asks for
 * @ccap: the VXC_* bit(s) that grant the operation inside a context
 *
 * Return: as vx_ns_ccap_capable() in the initial user namespace.
 */
bool vx_ccap_capable(int cap, u64 ccap)
{
	return vx_ns_ccap_capable(&init_user_ns, cap, ccap);
}

/**
 * vx_tiocsti_legacy - dev.tty.legacy_tiocsti as it applies to the caller
 * @legacy: the sysctl's value
 *
 * Faking input on a terminal with TIOCSTI lets a process left behind on
 * the admin's terminal (vserver NAME enter, exec) type into the admin's
 * shell.  A guest never gets the legacy behaviour: it needs VXC_TIOCSTI.
 *
 * Return: @legacy for the host, false for a guest.
 */
bool vx_tiocsti_legacy(bool legacy)
{
	return legacy && !vx_current_guest();
}

/* A new mount of @type needs a block device (a "binary" mount). */
static bool vx_fs_requires_dev(const char *type)
{
	struct file_system_type *fs;
	bool ret;

	if (!type)
		return false;
	fs = get_fs_type(type);
	if (!fs)
		return false;
	ret = fs->fs_flags & FS_REQUIRES_DEV;
	put_filesystem(fs);
	return ret;
}

/*
 * A guest whose bounds lack CAP_SYS_ADMIN got past may_mount() through a
 * mount ccap: remounts need VXC_SECURE_REMOUNT; new mounts of filesystems
 * on a block device need VXC_BINARY_MOUNT and "nodev"; everything else
 * (tmpfs, proc, bind and propagation changes) needs VXC_SECURE_MOUNT.
 */
static int vx_sb_mount(const char *dev_name, const struct path *path,
		       const char *type, unsigned long flags, void *data)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;
	u64 ccaps;

	if (vx_bcap_allowed(vxi, CAP_SYS_ADMIN))
		return 0;
	ccaps = READ_ONCE(vxi->ccaps);
	if (flags & MS_REMOUNT)
		return ccaps & VXC_SECURE_REMOUNT ? 0 : -EPERM;
	if (!(flags & (MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE |
		       MS_SLAVE | MS_UNBINDABLE)) && vx_fs_requires_dev(type)) {
		if (!(ccaps & VXC_BINARY_MOUNT) || !(flags & MS_NODEV))
			return -EPERM;
		return 0;
	}
	return ccaps & VXC_SECURE_MOUNT ? 0 : -EPERM;
}

/*
 * Filesystems VXC_SECURE_MOUNT may create: each shows the guest only
 * what is its own (its processes, namespaces and cgroups, its memory),
 * and global.c keeps the host's parts of proc, sysfs and cgroup2
 * read-only to it.  debugfs, tracefs, securityfs, bpf,
 * configfs, binfmt_misc, efivarfs, pstore or a network filesystem would
 * hand a guest the host itself.
 */
static const char *const vx_secure_fs[] = {
	"proc", "sysfs", "tmpfs", "ramfs", "devpts", "mqueue", "cgroup2",
	"fuse", "overlay",
};

static bool vx_fs_secure(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vx_secure_fs); i++)
		if (!strcmp(name, vx_secure_fs[i]))
			return true;
	return false;
}

/**
 * vx_mount_capable - may the caller create a superblock of @fc's type?
 * @fc: the filesystem context, before its tree is made
 * @ns: the user namespace whose CAP_SYS_ADMIN the kernel asks for
 *
 * mount_capable() asks, for mount(2) and fsopen(2)/fsconfig(2) alike,
 * before the filesystem does anything.  A guest without CAP_SYS_ADMIN in
 * its bounds creates a filesystem on a block device with
 * VXC_BINARY_MOUNT, any other with VXC_SECURE_MOUNT if it is on the list
 * above; cgroup2 only from a cgroup namespace of its own, as mounting it
 * from the host's would reset the hierarchy's options (nsdelegate, ...).
 *
 * Return: true if the mount may go on.
 */
bool vx_mount_capable(struct fs_context *fc, struct user_namespace *ns)
{
	struct file_system_type *type = fc->fs_type;
	u64 ccap = VXC_SECURE_MOUNT;

	if (ns_capable(ns, CAP_SYS_ADMIN))
		return true;
	if (type->fs_flags & FS_REQUIRES_DEV)
		ccap = VXC_BINARY_MOUNT;
	else if (!vx_fs_secure(type->name))
		return false;
	else if (!strcmp(type->name, "cgroup2") &&
		 current->nsproxy->cgroup_ns == &init_cgroup_ns)
		return false;
	return vx_ns_ccap_capable(ns, CAP_SYS_ADMIN, ccap);
}

/**
 * vx_may_remount - may the caller change flags of mounts it can reach?
 *
 * mount_setattr(2) and fspick(2) (a remount through the new mount API)
 * ask, after may_mount(), which any mount ccap opens.  A guest without
 * CAP_SYS_ADMIN in its bounds needs VXC_SECURE_REMOUNT, as for mount(2)
 * with MS_REMOUNT: with VXC_SECURE_MOUNT alone it could make a
 * read-only bind mount of the host's data writable.
 *
 * Return: true for the host and for guests that may remount.
 */
bool vx_may_remount(void)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;

	if (vx_bcap_allowed(vxi, CAP_SYS_ADMIN))
		return true;
	return READ_ONCE(vxi->ccaps) & VXC_SECURE_REMOUNT;
}

/* An ioctl that sets up or tears down a loop device. */
static bool vx_loop_setup_cmd(unsigned int cmd)
{
	switch (cmd) {
	case LOOP_SET_FD:
	case LOOP_CONFIGURE:
	case LOOP_CHANGE_FD:
	case LOOP_CLR_FD:
	case LOOP_SET_STATUS:
	case LOOP_SET_STATUS64:
	case LOOP_SET_CAPACITY:
	case LOOP_SET_DIRECT_IO:
	case LOOP_SET_BLOCK_SIZE:
		return true;
	}
	return false;
}

/*
 * The ccap a guest needs for ioctl @cmd on a file of @mode whose device
 * is @major:@minor (for a block device, its disk's major), or 0 if none.
 */
static u64 vx_ioctl_ccap(umode_t mode, unsigned int major, unsigned int minor,
			 unsigned int cmd)
{
	if (S_ISBLK(mode) && major == LOOP_MAJOR && vx_loop_setup_cmd(cmd))
		return VXC_ADMIN_CLOOP;
	if (!S_ISCHR(mode) || major != MISC_MAJOR)
		return 0;
	if (minor == LOOP_CTRL_MINOR)
		return VXC_ADMIN_CLOOP;
	if (minor == MAPPER_CTRL_MINOR)
		return VXC_ADMIN_MAPPER;
	return 0;
}

/*
 * In a guest, setting up loop devices (the loop devices themselves and
 * /dev/loop-control) needs VXC_ADMIN_CLOOP and the device-mapper control
 * device needs VXC_ADMIN_MAPPER, whatever the guest's bounds: both attach
 * arbitrary files or devices as block devices.
 */
static int vx_file_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	struct vx_info *vxi = vx_cred(current_cred())->vxi;
	struct inode *inode = file_inode(file);
	unsigned int major = imajor(inode);
	u64 ccap;

	if (!vxi)
		return 0;
	/* A partition's disk is its loop device. */
	if (IS_ENABLED(CONFIG_BLOCK) && S_ISBLK(inode->i_mode))
		major = file_bdev(file)->bd_disk->major;
	ccap = vx_ioctl_ccap(inode->i_mode, major, iminor(inode), cmd);
	if (ccap && !(READ_ONCE(vxi->ccaps) & ccap))
		return -EPERM;
	return 0;
}

static struct security_hook_list vx_ccap_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(sb_mount, vx_sb_mount),
	LSM_HOOK_INIT(file_ioctl, vx_file_ioctl),
	LSM_HOOK_INIT(file_ioctl_compat, vx_file_ioctl),
};

void __init vx_add_ccap_hooks(void)
{
	security_add_hooks(vx_ccap_hooks, ARRAY_SIZE(vx_ccap_hooks),
			   &vserver_lsmid);
}

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vx_test_fs_secure(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vx_fs_secure("proc"));
	KUNIT_EXPECT_TRUE(test, vx_fs_secure("cgroup2"));
	KUNIT_EXPECT_FALSE(test, vx_fs_secure("cgroup"));
	KUNIT_EXPECT_FALSE(test, vx_fs_secure("debugfs"));
	KUNIT_EXPECT_FALSE(test, vx_fs_secure("binfmt_misc"));
	KUNIT_EXPECT_FALSE(test, vx_fs_secure("nfs"));
	KUNIT_EXPECT_FALSE(test, vx_fs_secure("proc2"));
}

static void vx_test_ioctl_ccap(struct kunit *test)
{
	const umode_t blk = S_IFBLK | 0600, chr = S_IFCHR | 0600;

	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(blk, LOOP_MAJOR, 3, LOOP_SET_FD),
			VXC_ADMIN_CLOOP);
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(blk, LOOP_MAJOR, 0,
					    LOOP_SET_BLOCK_SIZE),
			VXC_ADMIN_CLOOP);
	/* Reading a loop device's state is no setup. */
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(blk, LOOP_MAJOR, 0,
					    LOOP_GET_STATUS64), 0);
	/* The same numbers on another block or a character device. */
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(blk, 8, 0, LOOP_SET_FD), 0);
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(chr, LOOP_MAJOR, 0, LOOP_SET_FD),
			0);
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(chr, MISC_MAJOR, LOOP_CTRL_MINOR,
					    LOOP_CTL_GET_FREE),
			VXC_ADMIN_CLOOP);
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(chr, MISC_MAJOR, MAPPER_CTRL_MINOR,
					    DM_VERSION),
			VXC_ADMIN_MAPPER);
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(blk, MISC_MAJOR, MAPPER_CTRL_MINOR,
					    DM_VERSION), 0);
	KUNIT_EXPECT_EQ(test, vx_ioctl_ccap(chr, MISC_MAJOR, 1, 0), 0);
}

static struct kunit_case vx_ccap_cases[] = {
	KUNIT_CASE(vx_test_ioctl_ccap),
	KUNIT_CASE(vx_test_fs_secure),
	{}
};

static struct kunit_suite vx_ccap_suite = {
	.name = "vserver_ccap",
	.test_cases = vx_ccap_cases,
};

kunit_test_suite(vx_ccap_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
