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

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
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

static struct security_hook_list vx_ccap_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(sb_mount, vx_sb_mount),
};

void __init vx_add_ccap_hooks(void)
{
	security_add_hooks(vx_ccap_hooks, ARRAY_SIZE(vx_ccap_hooks),
			   &vserver_lsmid);
}
