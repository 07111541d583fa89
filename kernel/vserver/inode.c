// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: inode attributes, the chroot barrier and copy-on-write links.
 *
 * Attributes: IMMUTABLE is the ordinary FS_IMMUTABLE_FL (S_IMMUTABLE),
 * changed through the kernel's fileattr path, so chattr and lsattr see
 * it.  IXUNLINK ("iunlink"), BARRIER and COW live in the extended
 * attribute "security.vserver" (a little-endian u32 of IATTR_* bits) and
 * are cached in the LSM inode blob, so they work on every filesystem with
 * security xattrs (ext4, xfs, btrfs, tmpfs) without on-disk flag bits.
 *
 * Barrier: no task of a guest (xid > 1) may use a directory carrying
 * BARRIER: not walk through it, not read it, not chdir into it.  util-
 * vserver sets it on the parent of every guest root, so no chroot() trick
 * leads a guest above its root.
 *
 * Link breaking: files unified between guests are hardlinks marked
 * IMMUTABLE + IXUNLINK.  When a guest task opens one for writing,
 * truncates it or changes its attributes, vx_cow_break() gives the name a
 * private copy (same data, owner, mode, times and xattrs; not the shared
 * attributes) in an unnamed temporary file of the same directory, which
 * then replaces the name; the other links keep the original.  The
 * caller then looks the name up again (-ESTALE makes the VFS retry).
 * The copy is made without CAP_SYS_RESOURCE, so quotas (the guest's disk
 * limits) and the filesystem's reserved blocks apply to it.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/fileattr.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/posix_acl.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xattr.h>

#include "internal.h"

/* Bits kept in the xattr; the blob adds VX_IATTR_LOADED. */
#define VX_IATTR_XATTR		(IATTR_BARRIER | IATTR_IXUNLINK | IATTR_COW)
#define VX_IATTR_LOADED		0x80000000U

static const struct cred *vx_cow_cred __ro_after_init;

static inline struct vx_inode *vx_inode(const struct inode *inode)
{
	return inode->i_security + vserver_blob_sizes.lbs_inode;
}

/* The xattr value as IATTR_* bits; unknown bits are dropped. */
static u32 vx_iattr_decode(const void *value, size_t size)
{
	__le32 raw;

	if (!value || size != sizeof(raw))
		return 0;
	memcpy(&raw, value, sizeof(raw));
	return le32_to_cpu(raw) & VX_IATTR_XATTR;
}

static void vx_iattr_cache(struct inode *inode, u32 flags)
{
	if (inode->i_security)
		WRITE_ONCE(vx_inode(inode)->iattr, flags | VX_IATTR_LOADED);
}

/* Read the xattr into the blob once per inode. */
static void vx_iattr_load(struct dentry *dentry, struct inode *inode)
{
	__le32 raw;
	int len;

	if (!inode->i_security ||
	    (READ_ONCE(vx_inode(inode)->iattr) & VX_IATTR_LOADED))
		return;
	/* pipes, sockets, procfs: no xattrs, nothing to read */
	if (!(inode->i_opflags & IOP_XATTR)) {
		vx_iattr_cache(inode, 0);
		return;
	}
	len = __vfs_getxattr(dentry, inode, VX_XATTR_IATTR, &raw, sizeof(raw));
	vx_iattr_cache(inode, len > 0 ? vx_iattr_decode(&raw, len) : 0);
}

/* The cached xattr bits of @inode (RCU-safe, never sleeps). */
static u32 vx_iattr_xbits(const struct inode *inode)
{
	if (!inode->i_security)
		return 0;
	return READ_ONCE(vx_inode(inode)->iattr) & VX_IATTR_XATTR;
}

/* /proc entries carry IATTR_HIDE, _ADMIN and _WATCH, and nothing else. */
static bool vx_is_proc(const struct inode *inode)
{
	return inode->i_sb->s_magic == PROC_SUPER_MAGIC;
}

/*
 * Those bits of a /proc inode: kept in its proc_dir_entry or, for a
 * sysctl (@sysctl set), by path; -EOPNOTSUPP for a process's entries.
 */
static int vx_proc_flags(struct inode *inode, bool *sysctl)
{
	int flags = proc_vx_flags(inode);

	*sysctl = flags == -EOPNOTSUPP;
	return *sysctl ? proc_sys_vx_flags(inode, NULL) : flags;
}

/**
 * vx_iattr_get - all IATTR_* attributes of an inode
 * @dentry: a dentry of the inode
 *
 * Return: the attributes.
 */
static u32 vx_iattr_get(struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	bool sysctl;
	int proc;

	if (vx_is_proc(inode)) {
		proc = vx_proc_flags(inode, &sysctl);
		return proc < 0 ? 0 : proc;
	}
	vx_iattr_load(dentry, inode);
	return vx_iattr_xbits(inode) |
	       (IS_IMMUTABLE(inode) ? IATTR_IMMUTABLE : 0);
}

/* Which attributes an inode of this type can carry. */
static u32 vx_iattr_valid(umode_t mode)
{
	u32 mask = IATTR_IXUNLINK | IATTR_IMMUTABLE;

	if (S_ISDIR(mode))
		mask |= IATTR_BARRIER;
	if (S_ISREG(mode))
		mask |= IATTR_COW;
	return mask;
}

/*
 * Which attributes @inode can carry: on procfs IATTR_FLAGS, kept by the
 * entries made by proc_create() and friends and by sysctls; the
 * processes' directories are never hidden (vx_proc_iattr_set()).
 */
static u32 vx_iattr_can(struct inode *inode)
{
	if (vx_is_proc(inode))
		return IATTR_FLAGS;
	return vx_iattr_valid(inode->i_mode);
}

/*
 * Check a set request: unknown bits, or bits the inode cannot carry
 * (@can), in @mask are -EINVAL.
 */
static int vx_iattr_check(u32 can, u32 mask)
{
	if (mask & ~IATTR_MASK)
		return -EINVAL;
	if (mask & ~can)
		return -EINVAL;
	return 0;
}

/* Store the xattr bits of @dentry; caller holds the inode lock. */
static int vx_iattr_store(struct mnt_idmap *idmap, struct dentry *dentry,
			  u32 flags)
{
	struct inode *inode = d_inode(dentry);
	__le32 raw;
	int err;

	flags &= VX_IATTR_XATTR;
	if (flags) {
		raw = cpu_to_le32(flags);
		/* The post_setxattr hook updates the cache. */
		return __vfs_setxattr_noperm(idmap, dentry, VX_XATTR_IATTR,
					     &raw, sizeof(raw), 0);
	}
	err = __vfs_removexattr(idmap, dentry, VX_XATTR_IATTR);
	if (err == -ENODATA)
		err = 0;
	if (!err)
		vx_iattr_cache(inode, 0);
	return err;
}

/* Set or clear S_IMMUTABLE through the filesystem's fileattr method. */
static int vx_set_immutable(struct mnt_idmap *idmap, struct dentry *dentry,
			    bool on)
{
	struct fileattr fa = { };
	int err;

	err = vfs_fileattr_get(dentry, &fa);
	if (err)
		goto out;
	if (!!(fa.flags & FS_IMMUTABLE_FL) == on)
		return 0;
	fileattr_fill_flags(&fa, on ? fa.flags | FS_IMMUTABLE_FL :
			    fa.flags & ~FS_IMMUTABLE_FL);
	err = vfs_fileattr_set(idmap, dentry, &fa);
out:
	return err == -ENOIOCTLCMD ? -EOPNOTSUPP : err;
}

/*
 * Change the attributes of a /proc entry, kept in the entry itself (in
 * proc.c, by path, for a sysctl).  A process's directory or file
 * (/proc/<pid>/..., /proc/net as /proc/self/net) follows the process's
 * visibility and keeps none: asking for it to be visible (vprocunhide's
 * "/proc/net/") changes nothing and succeeds, asking to hide it is
 * -EOPNOTSUPP.
 */
static int vx_proc_iattr_set(struct inode *inode, u32 flags, u32 mask)
{
	static DEFINE_MUTEX(lock);
	bool sysctl;
	int old;
	u8 new;

	guard(mutex)(&lock);
	old = vx_proc_flags(inode, &sysctl);
	if (old == -EOPNOTSUPP)
		return flags & mask & IATTR_HIDE ? -EOPNOTSUPP : 0;
	if (old < 0)
		return old;
	new = (old & ~mask) | (flags & mask & IATTR_FLAGS);
	return sysctl ? proc_sys_vx_flags(inode, &new) :
			proc_set_vx_flags(inode, new);
}

/**
 * vx_iattr_set - change attributes of an inode
 * @path: the inode
 * @flags: new IATTR_* values
 * @mask: which to change (checked by vx_iattr_check())
 *
 * The xattr bits are written before IMMUTABLE is set and after it is
 * cleared, so a failure never leaves a file immutable without its
 * unlink permission.
 *
 * Return: 0, -EROFS, -EOPNOTSUPP (no xattrs or fileattr), or an error
 * of the filesystem.
 */
static int vx_iattr_set(const struct path *path, u32 flags, u32 mask)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct dentry *dentry = path->dentry;
	struct inode *inode = d_inode(dentry);
	u32 old, new;
	int err;

	if (vx_is_proc(inode))
		return vx_proc_iattr_set(inode, flags, mask);
	err = mnt_want_write(path->mnt);
	if (err)
		return err;
	if ((mask & IATTR_IMMUTABLE) && !(flags & IATTR_IMMUTABLE)) {
		err = vx_set_immutable(idmap, dentry, false);
		if (err)
			goto out_drop_write;
	}
	if (mask & VX_IATTR_XATTR) {
		inode_lock(inode);
		old = vx_iattr_get(dentry) & VX_IATTR_XATTR;
		new = (old & ~mask) | (flags & mask & VX_IATTR_XATTR);
		if (new != old)
			err = vx_iattr_store(idmap, dentry, new);
		inode_unlock(inode);
		if (err)
			goto out_drop_write;
	}
	if (mask & flags & IATTR_IMMUTABLE)
		err = vx_set_immutable(idmap, dentry, true);
out_drop_write:
	mnt_drop_write(path->mnt);
	return err;
}

static void vx_iattr_fill(struct dentry *dentry, u32 *tag, u32 *flags,
			  u32 *mask)
{
	*tag = 0;
	*flags = vx_iattr_get(dentry) | IATTR_TAG;
	*mask = vx_iattr_can(d_inode(dentry));
}

static int vx_iattr_path(struct vx_call *c, struct path *path)
{
	struct vcmd_iattr *arg = c->data;

	return user_path_at(AT_FDCWD, u64_to_user_ptr(arg->name), 0, path);
}

/**
 * vc_get_iattr - VCMD_get_iattr: attributes of a path (lstat-style)
 * @c: the call; data is &struct vcmd_iattr
 *
 * Return: 0, -EFAULT (bad name pointer), -ENOENT, -ENOTDIR, -EACCES,
 * -ENAMETOOLONG, -ELOOP (path lookup errors).
 */
long vc_get_iattr(struct vx_call *c)
{
	struct vcmd_iattr *arg = c->data;
	struct path path;
	int err;

	err = vx_iattr_path(c, &path);
	if (err)
		return err;
	vx_iattr_fill(path.dentry, &arg->tag, &arg->flags, &arg->mask);
	path_put(&path);
	return 0;
}

/**
 * vc_set_iattr - VCMD_set_iattr: change attributes of a path (lstat-style)
 * @c: the call; data is &struct vcmd_iattr
 *
 * Host only (switch.c), and the caller needs CAP_LINUX_IMMUTABLE.
 *
 * Return: 0, -EPERM (no CAP_LINUX_IMMUTABLE), -EFAULT, path lookup errors,
 * -EINVAL (unknown bits in mask, or BARRIER on a non-directory, COW on a
 * non-regular file), -EROFS, -EOPNOTSUPP (filesystem without xattrs or
 * fileattr).
 */
long vc_set_iattr(struct vx_call *c)
{
	struct vcmd_iattr *arg = c->data;
	struct path path;
	int err;

	if (!capable(CAP_LINUX_IMMUTABLE))
		return -EPERM;
	if (arg->mask & ~IATTR_MASK)
		return -EINVAL;
	err = vx_iattr_path(c, &path);
	if (err)
		return err;
	err = vx_iattr_check(vx_iattr_can(d_inode(path.dentry)), arg->mask);
	if (!err)
		err = vx_iattr_set(&path, arg->flags, arg->mask);
	path_put(&path);
	return err;
}

/**
 * vc_fget_iattr - VCMD_fget_iattr: attributes of an open file
 * @c: the call; id is the file descriptor, data &struct vcmd_fiattr
 *
 * Return: 0 or -EBADF.
 */
long vc_fget_iattr(struct vx_call *c)
{
	struct vcmd_fiattr *arg = c->data;

	CLASS(fd, f)(c->id);
	if (fd_empty(f))
		return -EBADF;
	vx_iattr_fill(fd_file(f)->f_path.dentry, &arg->tag, &arg->flags,
		      &arg->mask);
	return 0;
}

/**
 * vc_fset_iattr - VCMD_fset_iattr: change attributes of an open file
 * @c: the call; id is the file descriptor, data &struct vcmd_fiattr
 *
 * Return: 0, -EPERM (no CAP_LINUX_IMMUTABLE), -EBADF, -EINVAL, -EROFS,
 * -EOPNOTSUPP, as vc_set_iattr().
 */
long vc_fset_iattr(struct vx_call *c)
{
	struct vcmd_fiattr *arg = c->data;
	int err;

	CLASS(fd, f)(c->id);
	if (!capable(CAP_LINUX_IMMUTABLE))
		return -EPERM;
	if (fd_empty(f))
		return -EBADF;
	err = vx_iattr_check(vx_iattr_can(file_inode(fd_file(f))), arg->mask);
	if (err)
		return err;
	return vx_iattr_set(&fd_file(f)->f_path, arg->flags, arg->mask);
}

/**
 * vx_xflg_ioctl - FIOC_GETXFLG / FIOC_SETXFLG on an open file
 * @file: the file
 * @cmd: FIOC_GETXFLG (store the IATTR_* attributes at @argp, an int) or
 *	FIOC_SETXFLG (set every attribute the inode can carry to the int at
 *	@argp)
 * @argp: user pointer to an int
 *
 * GETXFLG is open to anybody holding the descriptor, like fget_iattr.
 * SETXFLG needs what set_iattr needs: the host, CAP_SYS_ADMIN and
 * CAP_LINUX_IMMUTABLE.
 *
 * Return: 0, -EPERM, -EFAULT, -EINVAL (bits the inode cannot carry),
 * -EROFS, -EOPNOTSUPP, or -ENOIOCTLCMD for any other @cmd.
 */
long vx_xflg_ioctl(struct file *file, unsigned int cmd, void __user *argp)
{
	struct dentry *dentry = file->f_path.dentry;
	u32 tag, flags, mask;

	switch (cmd) {
	case FIOC_GETXFLG:
		vx_iattr_fill(dentry, &tag, &flags, &mask);
		return put_user(flags & ~IATTR_TAG, (int __user *)argp);
	case FIOC_SETXFLG:
		if (vx_xid_guest(vx_current_xid()) || !capable(CAP_SYS_ADMIN) ||
		    !capable(CAP_LINUX_IMMUTABLE))
			return -EPERM;
		if (get_user(flags, (int __user *)argp))
			return -EFAULT;
		mask = vx_iattr_can(file_inode(file));
		if (flags & ~mask)
			return -EINVAL;
		return vx_iattr_set(&file->f_path, flags, mask);
	}
	return -ENOIOCTLCMD;
}

/*
 * Unlink and link rules (core hunks in may_delete() and vfs_link()).
 */
bool vx_iunlink(const struct inode *inode)
{
	return vx_iattr_xbits(inode) & (IATTR_IXUNLINK | IATTR_COW);
}

bool vx_may_decode_any_fh(void)
{
	return !vx_xid_guest(vx_current_xid());
}

/**
 * vx_projid_fixed - may the caller not change project ids?
 *
 * A guest's files are in its project (project id = xid): its disk limits
 * are the project's quota.  Moving a file to another project, or clearing
 * a directory's project inheritance so that new files land in project 0,
 * would leave them; fileattr_set_prepare() refuses both as it does in a
 * user namespace (-EINVAL).
 *
 * Return: true for a guest.
 */
bool vx_projid_fixed(void)
{
	return vx_xid_guest(vx_current_xid());
}

/*
 * Copy-on-write link breaking.
 */

/* Would vx_cow_break() act on @inode for the current task? */
static bool vx_cow_candidate(const struct inode *inode)
{
	return S_ISREG(inode->i_mode) && IS_IMMUTABLE(inode) &&
	       vx_iunlink(inode) && vx_xid_guest(vx_current_xid());
}

/* Would the caller be allowed the change if the file were not shared? */
static bool vx_cow_allowed(struct mnt_idmap *idmap, struct inode *inode,
			   int mask)
{
	if (!generic_permission(idmap, inode, MAY_WRITE))
		return true;
	return !(mask & MAY_WRITE) && inode_owner_or_capable(idmap, inode);
}

static int vx_cow_copy_data(const struct path *from, struct file *dst,
			    loff_t size)
{
	struct file *src;
	loff_t pos = 0;
	ssize_t n;
	int err = 0;

	src = dentry_open(from, O_RDONLY | O_LARGEFILE, current_cred());
	if (IS_ERR(src))
		return PTR_ERR(src);
	/* Reflink where the filesystem can, else the splice path. */
	while (pos < size) {
		n = vfs_copy_file_range(src, pos, dst, pos, size - pos, 0);
		if (n < 0) {
			err = n;
			break;
		}
		if (n == 0) {
			err = -EIO;
			break;
		}
		pos += n;
		if (fatal_signal_pending(current)) {
			err = -EINTR;
			break;
		}
		cond_resched();
	}
	fput(src);
	return err;
}

/* Copy every xattr but the shared attributes; ACLs go through their API. */
static int vx_cow_copy_xattrs(struct mnt_idmap *idmap, struct dentry *from,
			      struct dentry *to)
{
	char *names __free(kvfree) = NULL;
	ssize_t len, pos;
	int err = 0;

	len = vfs_listxattr(from, NULL, 0);
	if (len <= 0)
		return len == -EOPNOTSUPP ? 0 : len;
	names = kvmalloc(len, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	len = vfs_listxattr(from, names, len);
	if (len < 0)
		return len;
	for (pos = 0; pos < len && !err; pos += strlen(names + pos) + 1) {
		const char *name = names + pos;
		char *value = NULL;
		ssize_t size;

		if (!strcmp(name, VX_XATTR_IATTR))
			continue;
		if (is_posix_acl_xattr(name)) {
			struct posix_acl *acl = vfs_get_acl(idmap, from, name);

			if (IS_ERR_OR_NULL(acl)) {
				err = PTR_ERR_OR_ZERO(acl);
				continue;
			}
			err = vfs_set_acl(idmap, to, name, acl);
			posix_acl_release(acl);
			continue;
		}
		size = vfs_getxattr_alloc(idmap, from, name, &value, 0,
					  GFP_KERNEL);
		if (size == -ENODATA)
			continue;
		if (size < 0) {
			err = size;
			continue;
		}
		err = vfs_setxattr(idmap, to, name, value, size, 0);
		kfree(value);
	}
	return err;
}

/* Owner, mode and times of @src onto @dst. */
static int vx_cow_copy_attrs(struct mnt_idmap *idmap, struct inode *src,
			     struct dentry *dst)
{
	struct iattr attr = {
		.ia_valid = ATTR_UID | ATTR_GID | ATTR_MODE | ATTR_ATIME |
			    ATTR_MTIME | ATTR_ATIME_SET | ATTR_MTIME_SET,
		.ia_vfsuid = i_uid_into_vfsuid(idmap, src),
		.ia_vfsgid = i_gid_into_vfsgid(idmap, src),
		.ia_mode = src->i_mode,
		.ia_atime = inode_get_atime(src),
		.ia_mtime = inode_get_mtime(src),
	};
	int err;

	inode_lock(d_inode(dst));
	err = notify_change(idmap, dst, &attr, NULL);
	inode_unlock(d_inode(dst));
	return err;
}

/* Only link left: the file becomes the guest's own, in place. */
static int vx_cow_unshare(const struct path *path)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct inode *inode = d_inode(path->dentry);
	int err;

	inode_lock(inode);
	err = vx_iattr_store(idmap, path->dentry,
			     vx_iattr_xbits(inode) &
			     ~(IATTR_IXUNLINK | IATTR_COW));
	inode_unlock(inode);
	return err ?: vx_set_immutable(idmap, path->dentry, false);
}

static atomic_t vx_cow_seq = ATOMIC_INIT(0);

/* Is @dentry still the name of @inode in @parent (parent locked)? */
static bool vx_cow_still(struct dentry *dentry, struct dentry *parent,
			 struct inode *inode)
{
	return dentry->d_parent == parent && !d_unhashed(dentry) &&
	       d_inode(dentry) == inode;
}

/*
 * Put the unnamed copy @tmp in place of @dentry, in @parent (locked with
 * lock_rename()): link it under a fresh name, rename that over @dentry.
 * Nobody can see or move the new name: the directory stays locked.
 */
static int vx_cow_replace(struct mnt_idmap *idmap, struct dentry *parent,
			  struct dentry *dentry, struct dentry *tmp)
{
	struct inode *dir = d_inode(parent);
	struct renamedata rd = { };
	struct dentry *link;
	char name[40];
	int tries, err;

	for (tries = 0; tries < 16; tries++) {
		snprintf(name, sizeof(name), ".vxcow.%d.%u", task_pid_nr(current),
			 atomic_inc_return(&vx_cow_seq));
		link = lookup_one_len(name, parent, strlen(name));
		if (IS_ERR(link))
			return PTR_ERR(link);
		if (d_is_negative(link))
			break;
		dput(link);
		link = NULL;
	}
	if (!link)
		return -EEXIST;
	err = vfs_link(tmp, idmap, dir, link, NULL);
	if (!err) {
		rd.old_mnt_idmap = idmap;
		rd.old_dir = dir;
		rd.old_dentry = link;
		rd.new_mnt_idmap = idmap;
		rd.new_dir = dir;
		rd.new_dentry = dentry;
		err = vfs_rename(&rd);
		if (err)
			vfs_unlink(idmap, dir, link, NULL);
	}
	dput(link);
	return err;
}

/*
 * Give @path's name a private copy of its inode.  Runs with the
 * vx_cow_cred: the caller was allowed the change (vx_cow_allowed()), and
 * the copy must be made even where the guest could not create files.
 * The copy is an O_TMPFILE in the same directory, so that it lands in
 * the directory's project (disk limits) and no guest task can reach it
 * until it replaces the name, under the directory lock.
 */
static int vx_cow_copy(const struct path *path)
{
	struct mnt_idmap *idmap = mnt_idmap(path->mnt);
	struct dentry *dentry = path->dentry;
	struct inode *inode = d_inode(dentry);
	struct path parent = { .mnt = path->mnt };
	struct super_block *sb = path->mnt->mnt_sb;
	struct dentry *tmp;
	struct file *copy;
	int err;

	parent.dentry = dget_parent(dentry);
	copy = kernel_tmpfile_open(idmap, &parent, S_IFREG | 0600,
				   O_WRONLY | O_LARGEFILE, current_cred());
	if (IS_ERR(copy)) {
		err = PTR_ERR(copy);
		goto out_put_parent;
	}
	tmp = copy->f_path.dentry;
	err = vx_cow_copy_data(path, copy, i_size_read(inode));
	/*
	 * Freeze protection for the metadata steps only: the data copy took
	 * its own (file_start_write), and taking it twice would deadlock
	 * against a freeze waiting in between.
	 */
	sb_start_write(sb);
	if (!err)
		err = vx_cow_copy_xattrs(idmap, dentry, tmp);
	if (!err)
		err = vx_cow_copy_attrs(idmap, inode, tmp);
	if (!err) {
		lock_rename(parent.dentry, parent.dentry);
		if (vx_cow_still(dentry, parent.dentry, inode))
			err = vx_cow_replace(idmap, parent.dentry, dentry, tmp);
		else
			err = -ESTALE;	/* broken or moved meanwhile */
		unlock_rename(parent.dentry, parent.dentry);
	}
	sb_end_write(sb);
	fput(copy);
	if (!err)
		err = -ESTALE;
out_put_parent:
	dput(parent.dentry);
	return err;
}

/**
 * vx_cow_break - break a shared link before a guest changes the file
 * @path: the file, as the caller looked it up
 * @mask: MAY_WRITE (open for writing, truncate), MAY_READ/MAY_EXEC alone
 *	(open without writing: nothing to do) or 0 (attribute change)
 *
 * Acts only for guest tasks, on regular files that are immutable and
 * carry IXUNLINK or COW, and only if the caller would be allowed the
 * change on an unshared file.  With a single link the attributes are
 * simply cleared.
 *
 * Return: 0 (go on with @path), -ESTALE (@path's name now holds a private
 * copy: the VFS looks it up again) or an error of the copy (-ENOSPC,
 * -EDQUOT, -EINTR, ...).
 */
int vx_cow_break(const struct path *path, int mask)
{
	struct inode *inode = d_inode(path->dentry);
	const struct cred *old_cred;
	int err;

	if (!inode || !vx_cow_candidate(inode) || !vx_cow_cred)
		return 0;
	/*
	 * No longer a name of the inode (reached through a descriptor, e.g.
	 * /proc/self/fd/N or AT_EMPTY_PATH, after the name was broken away
	 * or removed): there is nothing to re-point, and with one link left
	 * unsharing would strip the attributes of another name's inode.
	 * The change then fails as on any immutable file.
	 */
	if (d_unhashed(path->dentry))
		return 0;
	/* A file bind-mounted on its own has no directory to copy into. */
	if (path->dentry == path->mnt->mnt_root)
		return 0;
	if (mask && !(mask & (MAY_WRITE | MAY_APPEND)))
		return 0;
	if (!vx_cow_allowed(mnt_idmap(path->mnt), inode, mask))
		return 0;
	/* A read-only mount: the change itself fails with EROFS. */
	if (mnt_get_write_access(path->mnt))
		return 0;
	old_cred = override_creds(vx_cow_cred);
	if (inode->i_nlink <= 1) {
		sb_start_write(path->mnt->mnt_sb);
		err = vx_cow_unshare(path);
		sb_end_write(path->mnt->mnt_sb);
	} else {
		err = vx_cow_copy(path);
	}
	revert_creds(old_cred);
	mnt_put_write_access(path->mnt);
	return err;
}

/*
 * LSM hooks.
 */

static int vx_inode_init_security(struct inode *inode, struct inode *dir,
				  const struct qstr *qstr,
				  struct xattr *xattrs, int *xattr_count)
{
	/* A new inode has no attributes: nothing to read later. */
	vx_iattr_cache(inode, 0);
	return -EOPNOTSUPP;
}

static void vx_d_instantiate(struct dentry *dentry, struct inode *inode)
{
	if (inode)
		vx_iattr_load(dentry, inode);
}

/* The chroot barrier: guests can do nothing with a BARRIER directory. */
static int vx_inode_permission(struct inode *inode, int mask)
{
	if (!(mask & (MAY_EXEC | MAY_READ | MAY_WRITE)))
		return 0;
	if (!S_ISDIR(inode->i_mode) ||
	    !(vx_iattr_xbits(inode) & IATTR_BARRIER))
		return 0;
	return vx_xid_guest(vx_current_xid()) ? -EACCES : 0;
}

/*
 * Files unified between guests are one inode: a guest's inotify or
 * fanotify mark on it would report the other guests' opens and reads.
 */
static int vx_path_notify(const struct path *path, u64 mask,
			  unsigned int obj_type)
{
	struct inode *inode = d_inode(path->dentry);

	if (!vx_xid_guest(vx_current_xid()) || !inode || !vx_iunlink(inode))
		return 0;
	return -EACCES;
}

/* Only the host, with CAP_LINUX_IMMUTABLE, writes security.vserver. */
static int vx_iattr_xattr_perm(const char *name)
{
	if (strcmp(name, VX_XATTR_IATTR))
		return 0;
	if (vx_current_xid() != VX_ID_HOST || !capable(CAP_LINUX_IMMUTABLE))
		return -EPERM;
	return 0;
}

/*
 * security.vserver is written only through set_iattr, fset_iattr and
 * FIOC_SETXFLG (which bypass this hook).  Copies made by cp -a, tar
 * --xattrs or rsync -X would otherwise carry IXUNLINK without IMMUTABLE,
 * which forbids unlinking and linking them; now they simply lose it.
 */
static int vx_inode_setxattr(struct mnt_idmap *idmap, struct dentry *dentry,
			     const char *name, const void *value, size_t size,
			     int flags)
{
	return strcmp(name, VX_XATTR_IATTR) ? 0 : -EPERM;
}

static void vx_inode_post_setxattr(struct dentry *dentry, const char *name,
				   const void *value, size_t size, int flags)
{
	if (!strcmp(name, VX_XATTR_IATTR))
		vx_iattr_cache(d_inode(dentry), vx_iattr_decode(value, size));
}

static int vx_inode_removexattr(struct mnt_idmap *idmap,
				struct dentry *dentry, const char *name)
{
	return vx_iattr_xattr_perm(name);
}

static void vx_inode_post_removexattr(struct dentry *dentry, const char *name)
{
	if (!strcmp(name, VX_XATTR_IATTR))
		vx_iattr_cache(d_inode(dentry), 0);
}

static struct security_hook_list vx_inode_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_init_security, vx_inode_init_security),
	LSM_HOOK_INIT(d_instantiate, vx_d_instantiate),
	LSM_HOOK_INIT(inode_permission, vx_inode_permission),
	LSM_HOOK_INIT(path_notify, vx_path_notify),
	LSM_HOOK_INIT(inode_setxattr, vx_inode_setxattr),
	LSM_HOOK_INIT(inode_post_setxattr, vx_inode_post_setxattr),
	LSM_HOOK_INIT(inode_removexattr, vx_inode_removexattr),
	LSM_HOOK_INIT(inode_post_removexattr, vx_inode_post_removexattr),
};

void __init vx_add_inode_hooks(void)
{
	BUILD_BUG_ON(sizeof(struct vcmd_iattr) != 24);
	BUILD_BUG_ON(sizeof(struct vcmd_fiattr) != 12);
	BUILD_BUG_ON(VCMD_get_iattr != 0x26010001);
	BUILD_BUG_ON(VCMD_set_iattr != 0x26020001);
	BUILD_BUG_ON(VCMD_fget_iattr != 0x26030000);
	BUILD_BUG_ON(VCMD_fset_iattr != 0x26040000);
	BUILD_BUG_ON(VX_IATTR_XATTR & VX_IATTR_LOADED);
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && FIOC_GETXFLG != 0x80087805);
	BUILD_BUG_ON(IS_ENABLED(CONFIG_64BIT) && FIOC_SETXFLG != 0x40087806);
	security_add_hooks(vx_inode_hooks, ARRAY_SIZE(vx_inode_hooks),
			   &vserver_lsmid);
}

static int __init vx_inode_init(void)
{
	struct cred *cred = prepare_kernel_cred(&init_task);

	if (!cred) {
		pr_err("no credentials for link breaking\n");
		return 0;
	}
	/* A copy counts against quotas as the guest's own writes do. */
	cap_lower(cred->cap_effective, CAP_SYS_RESOURCE);
	vx_cow_cred = cred;
	return 0;
}
late_initcall(vx_inode_init);

#if IS_ENABLED(CONFIG_VSERVER_KUNIT_TEST)
#include <kunit/test.h>

static void vx_test_iattr_decode(struct kunit *test)
{
	__le32 v = cpu_to_le32(IATTR_IXUNLINK | IATTR_COW | IATTR_IMMUTABLE |
			       0x100);

	/* IMMUTABLE and unknown bits never come from the xattr. */
	KUNIT_EXPECT_EQ(test, vx_iattr_decode(&v, sizeof(v)),
			(u32)(IATTR_IXUNLINK | IATTR_COW));
	KUNIT_EXPECT_EQ(test, vx_iattr_decode(&v, 2), 0U);
	KUNIT_EXPECT_EQ(test, vx_iattr_decode(NULL, 4), 0U);
}

static void vx_test_iattr_check(struct kunit *test)
{
	u32 reg = vx_iattr_valid(S_IFREG), dir = vx_iattr_valid(S_IFDIR);

	KUNIT_EXPECT_EQ(test, vx_iattr_check(reg, IATTR_IXUNLINK |
					     IATTR_IMMUTABLE | IATTR_COW), 0);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(dir, IATTR_BARRIER), 0);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(reg, IATTR_BARRIER), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(dir, IATTR_COW), -EINVAL);
	/* HIDE, ADMIN and WATCH are for /proc entries only. */
	KUNIT_EXPECT_EQ(test, vx_iattr_check(reg, IATTR_HIDE), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(IATTR_FLAGS, IATTR_HIDE), 0);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(IATTR_FLAGS, IATTR_IMMUTABLE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(reg, IATTR_TAG), -EINVAL);
	KUNIT_EXPECT_EQ(test, vx_iattr_check(reg, 0), 0);
}

static void vx_test_guest(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, vx_xid_guest(VX_ID_HOST));
	KUNIT_EXPECT_FALSE(test, vx_xid_guest(VX_ID_SPECTATOR));
	KUNIT_EXPECT_TRUE(test, vx_xid_guest(2));
	/* The KUnit thread is a host thread. */
	KUNIT_EXPECT_TRUE(test, vx_may_decode_any_fh());
}

static struct kunit_case vx_inode_cases[] = {
	KUNIT_CASE(vx_test_iattr_decode),
	KUNIT_CASE(vx_test_iattr_check),
	KUNIT_CASE(vx_test_guest),
	{}
};

static struct kunit_suite vx_inode_suite = {
	.name = "vserver_inode",
	.test_cases = vx_inode_cases,
};

kunit_test_suite(vx_inode_suite);
#endif /* CONFIG_VSERVER_KUNIT_TEST */
