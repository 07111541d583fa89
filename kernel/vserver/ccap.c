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
#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/major.h>
#include <linux/miscdevice.h>
#include <linux/nsproxy.h>
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

	if (!vxi || (READ_ONCE(vxi->bcaps) & BIT_ULL(CAP_SYS_ADMIN)))
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

/*
 * file_ioctl and file_ioctl_compat: the second registration of each by
 * vserver (limit.c has the other); the capability module uses neither.
 */
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
	{}
};

static struct kunit_suite vx_ccap_suite = {
	.name = "vserver_ccap",
	.test_cases = vx_ccap_cases,
};

kunit_test_suite(vx_ccap_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
