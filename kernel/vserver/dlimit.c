// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: disk limits -- Linux-VServer's dlimit commands on project
 * quotas.
 *
 * The original kernel kept its own per-context block and inode counters
 * for each filesystem, charged through the files' context tags.  Today's
 * filesystems have that built in: a project quota with project id = xid
 * (ext4 and xfs with project quotas; the files carry the project id,
 * which `vdlimit --assign` or `chattr -p` gives a guest's tree and which
 * guests cannot change, see inode.c).  The dlimit commands read and set
 * that quota, so util-vserver's `vdlimit` and a guest's dlimits/
 * configuration work unchanged: the same numbers as `vdlimit` of this
 * project, and `repquota -P`, show.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/quota.h>
#include <linux/quotaops.h>

#include "internal.h"

/*
 * The filesystem @uname (a user pointer) is on, with s_umount held for
 * reading as quotactl(2) holds it; the caller drops both.
 */
static int vx_dlimit_sb(u64 uname, struct path *path)
{
	struct super_block *sb;
	int ret;

	ret = user_path_at(AT_FDCWD, u64_to_user_ptr(uname), LOOKUP_FOLLOW,
			   path);
	if (ret)
		return ret;
	sb = path->dentry->d_sb;
	down_read(&sb->s_umount);
	if (!sb->s_qcop || !sb->s_qcop->get_dqblk || !sb->s_qcop->set_dqblk)
		ret = -EOPNOTSUPP;
	else if (!sb_has_quota_active(sb, PRJQUOTA))
		ret = -ESRCH;
	if (ret) {
		up_read(&sb->s_umount);
		path_put(path);
	}
	return ret;
}

static void vx_dlimit_put(struct path *path)
{
	up_read(&path->dentry->d_sb->s_umount);
	path_put(path);
}

/*
 * The project a command names: @id, the caller's own context for ids from
 * 2^31 up.  A guest reads only its own; projects 0 and 1 are not
 * contexts' (0 is every other file's).
 */
static int vx_dlimit_qid(u32 id, struct kqid *qid)
{
	u32 self = vx_current_xid();
	u32 xid = vx_id_self(id) ? self : id;

	if (self > VX_ID_SPECTATOR && xid != self)
		return -EPERM;
	if (xid <= VX_ID_SPECTATOR || xid > VX_ID_DYNAMIC_MAX)
		return -EINVAL;
	*qid = make_kqid_projid(make_kprojid(&init_user_ns, xid));
	return 0;
}

/* A limit as the commands pass it: KEEP, none, or a value. */
static bool vx_dlimit_value(u32 v, u64 unit, u64 *out)
{
	if (v == CDLIM_KEEP)
		return false;
	*out = v == CDLIM_INFINITY ? 0 : (u64)v * unit;
	return true;
}

/* Set the block (KiB) and inode limits of project @id on @path's fs. */
static int vx_dlimit_update(u32 id, u64 uname, u32 space, u32 inodes)
{
	struct qc_dqblk qc = { };
	struct path path;
	struct kqid qid;
	int ret;

	ret = vx_dlimit_qid(id, &qid);
	if (ret)
		return ret;

	if (vx_dlimit_value(space, 1024, &qc.d_spc_hardlimit)) {
		qc.d_spc_softlimit = qc.d_spc_hardlimit;
		qc.d_fieldmask |= QC_SPC_SOFT | QC_SPC_HARD;
	}
	if (vx_dlimit_value(inodes, 1, &qc.d_ino_hardlimit)) {
		qc.d_ino_softlimit = qc.d_ino_hardlimit;
		qc.d_fieldmask |= QC_INO_SOFT | QC_INO_HARD;
	}
	ret = vx_dlimit_sb(uname, &path);
	if (ret)
		return ret;
	if (qc.d_fieldmask)
		ret = path.dentry->d_sb->s_qcop->set_dqblk(path.dentry->d_sb,
							   qid, &qc);
	vx_dlimit_put(&path);
	return ret;
}

/**
 * vc_add_dlimit - VCMD_add_dlimit: give a context a disk limit
 * @c: struct vcmd_ctx_dlimit_base: the filesystem
 *
 * The project quota exists as soon as project quotas are on: this only
 * checks that they are, so that a guest's start fails early otherwise.
 *
 * Return: 0; -EINVAL for project 0 or 1 or beyond the xid range; -ENOENT
 * (and the other path lookup errors); -EOPNOTSUPP for a filesystem
 * without quotas; -ESRCH if its project quotas are off.
 */
long vc_add_dlimit(struct vx_call *c)
{
	struct vcmd_ctx_dlimit_base *arg = c->data;

	return vx_dlimit_update(c->id, arg->name, CDLIM_KEEP, CDLIM_KEEP);
}

/**
 * vc_rem_dlimit - VCMD_rem_dlimit: lift a context's disk limits
 * @c: struct vcmd_ctx_dlimit_base: the filesystem
 *
 * Return: as vc_add_dlimit().
 */
long vc_rem_dlimit(struct vx_call *c)
{
	struct vcmd_ctx_dlimit_base *arg = c->data;

	return vx_dlimit_update(c->id, arg->name, CDLIM_INFINITY,
				CDLIM_INFINITY);
}

/**
 * vc_set_dlimit - VCMD_set_dlimit: a context's block and inode limits
 * @c: struct vcmd_ctx_dlimit: @space_total (KiB) and @inodes_total;
 *	%CDLIM_KEEP leaves one as it is, %CDLIM_UNSET/%CDLIM_INFINITY lift
 *	it; the other fields are ignored
 *
 * Soft and hard limit are both set to the value: a guest writes up to it.
 *
 * Return: as vc_add_dlimit().
 */
long vc_set_dlimit(struct vx_call *c)
{
	struct vcmd_ctx_dlimit *arg = c->data;
	u32 space = arg->space_total, inodes = arg->inodes_total;

	return vx_dlimit_update(c->id, arg->name,
				space == CDLIM_UNSET ? CDLIM_INFINITY : space,
				inodes == CDLIM_UNSET ? CDLIM_INFINITY : inodes);
}

/* Usage and limits above 32 bits read as the largest value below "none". */
static u32 vx_dlimit_u32(u64 v)
{
	return min_t(u64, v, CDLIM_KEEP - 1);
}

/**
 * vc_get_dlimit - VCMD_get_dlimit: a context's disk usage and limits
 * @c: struct vcmd_ctx_dlimit: @name in; usage and limits out (no limit:
 *	%CDLIM_INFINITY); @reserved and @flags 0
 *
 * The host reads any project, a guest its own.
 *
 * Return: as vc_add_dlimit(); -EPERM for a guest naming another project.
 */
long vc_get_dlimit(struct vx_call *c)
{
	struct vcmd_ctx_dlimit *arg = c->data;
	struct qc_dqblk qc = { };
	struct path path;
	struct kqid qid;
	int ret;

	ret = vx_dlimit_qid(c->id, &qid);
	if (ret)
		return ret;
	ret = vx_dlimit_sb(arg->name, &path);
	if (ret)
		return ret;
	ret = path.dentry->d_sb->s_qcop->get_dqblk(path.dentry->d_sb, qid,
						   &qc);
	vx_dlimit_put(&path);
	if (ret)
		return ret;
	arg->space_used = vx_dlimit_u32(DIV_ROUND_UP(qc.d_space, 1024));
	arg->space_total = qc.d_spc_hardlimit ?
		vx_dlimit_u32(qc.d_spc_hardlimit / 1024) : CDLIM_INFINITY;
	arg->inodes_used = vx_dlimit_u32(qc.d_ino_count);
	arg->inodes_total = qc.d_ino_hardlimit ?
		vx_dlimit_u32(qc.d_ino_hardlimit) : CDLIM_INFINITY;
	arg->reserved = 0;
	arg->flags = 0;
	return 0;
}
