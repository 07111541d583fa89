// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: per-context resource limits -- the commands, resource
 * names and the values util-vserver's configuration holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "libvserver.h"

int vs_get_rlimit(uint32_t xid, uint32_t id, struct vcmd_ctx_rlimit *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->id = id;
	return vs_syscall(VCMD_get_rlimit, xid, lim);
}

int vs_set_rlimit(uint32_t xid, uint32_t id, uint64_t minimum,
		  uint64_t soft, uint64_t hard)
{
	struct vcmd_ctx_rlimit lim = {
		.id = id, .minimum = minimum, .softlimit = soft,
		.maximum = hard,
	};

	return vs_syscall(VCMD_set_rlimit, xid, &lim);
}

int vs_get_rlimit_mask(struct vcmd_ctx_rlimit_mask *mask)
{
	memset(mask, 0, sizeof(*mask));
	return vs_syscall(VCMD_get_rlimit_mask, 0, mask);
}

int vs_reset_hits(uint32_t xid)
{
	return vs_syscall(VCMD_reset_hits, xid, NULL);
}

int vs_reset_minmax(uint32_t xid)
{
	return vs_syscall(VCMD_reset_minmax, xid, NULL);
}

int vs_rlimit_stat(uint32_t xid, uint32_t id, struct vcmd_rlimit_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->id = id;
	return vs_syscall(VCMD_rlimit_stat, xid, st);
}

/* util-vserver's names: its --<name> options and rlimits/<name> files. */
static const char *const vs_rlimit_names[VLIMIT_NR] = {
	[RLIMIT_CPU] = "cpu",
	[RLIMIT_FSIZE] = "fsize",
	[RLIMIT_DATA] = "data",
	[RLIMIT_STACK] = "stack",
	[RLIMIT_CORE] = "core",
	[RLIMIT_RSS] = "rss",
	[RLIMIT_NPROC] = "nproc",
	[RLIMIT_NOFILE] = "nofile",
	[RLIMIT_MEMLOCK] = "memlock",
	[RLIMIT_AS] = "as",
	[RLIMIT_LOCKS] = "locks",
	[RLIMIT_MSGQUEUE] = "msgqueue",
	[VLIMIT_NSOCK] = "nsock",
	[VLIMIT_OPENFD] = "openfd",
	[VLIMIT_ANON] = "anon",
	[VLIMIT_SHMEM] = "shmem",
	[VLIMIT_SEMARY] = "semary",
	[VLIMIT_NSEMS] = "nsems",
	[VLIMIT_DENTRY] = "dentry",
};

const char *vs_rlimit_name(uint32_t id)
{
	return id < VLIMIT_NR ? vs_rlimit_names[id] : NULL;
}

int vs_rlimit_from_name(const char *name, uint32_t *id)
{
	uint32_t i;

	for (i = 0; i < VLIMIT_NR; i++)
		if (vs_rlimit_names[i] && !strcasecmp(name, vs_rlimit_names[i])) {
			*id = i;
			return 0;
		}
	return -EINVAL;
}

int vs_rlimit_in_pages(uint32_t id)
{
	return id == RLIMIT_AS || id == RLIMIT_RSS || id == RLIMIT_MEMLOCK ||
	       id == VLIMIT_ANON || id == VLIMIT_SHMEM;
}

int vs_parse_limit(const char *s, uint32_t id, uint64_t *val)
{
	unsigned long long v, mult = 1;
	size_t len = strlen(s);
	char buf[64], *end;

	/* Configuration files end in a newline. */
	while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
		len--;
	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!strcmp(buf, "inf") || !strcmp(buf, "infinity") ||
	    !strcmp(buf, "unlimited")) {
		*val = CRLIM_INFINITY;
		return 0;
	}
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
		mult = 1000;
		break;
	case 'K':
		mult = 1ULL << 10;
		break;
	case 'm':
		mult = 1000000;
		break;
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'g':
		mult = 1000000000;
		break;
	case 'G':
		mult = 1ULL << 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1])
		return -EINVAL;
	if (v > (CRLIM_KEEP - 1) / mult)
		return -ERANGE;
	v *= mult;
	/* A size with a unit is in bytes; the kernel counts pages. */
	if (*end && vs_rlimit_in_pages(id)) {
		unsigned long long page = sysconf(_SC_PAGESIZE);

		v = (v + page - 1) / page;
	}
	*val = v;
	return 0;
}

/* ---- disk limits: ext4/xfs project quotas, project id = xid ---- */

#include <fcntl.h>
#include <ftw.h>
#include <linux/fs.h>
#include <linux/quota.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#ifndef __NR_quotactl_fd
#define __NR_quotactl_fd 443
#endif

/* struct if_dqblk of <linux/quota.h>; quota blocks are 1 KiB. */
static int vs_quotactl(const char *path, unsigned int cmd, uint32_t xid,
		       struct if_dqblk *dq)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_DIRECTORY);
	long ret;

	if (fd < 0)
		return -errno;
	ret = syscall(__NR_quotactl_fd, fd, QCMD(cmd, PRJQUOTA), xid, dq);
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

int vs_dlimit_get(const char *path, uint32_t xid, struct vs_dlimit *dl)
{
	struct if_dqblk dq = { 0 };
	int ret = vs_quotactl(path, Q_GETQUOTA, xid, &dq);

	if (ret)
		return ret;
	dl->space_used = (dq.dqb_curspace + 1023) / 1024;
	dl->space_total = dq.dqb_bhardlimit ? dq.dqb_bhardlimit :
		VS_DLIMIT_INFINITY;
	dl->inodes_used = dq.dqb_curinodes;
	dl->inodes_total = dq.dqb_ihardlimit ? dq.dqb_ihardlimit :
		VS_DLIMIT_INFINITY;
	return 0;
}

int vs_dlimit_set(const char *path, uint32_t xid, uint64_t space_kib,
		  uint64_t inodes)
{
	struct if_dqblk dq = { .dqb_valid = 0 };

	if (space_kib != VS_DLIMIT_KEEP) {
		dq.dqb_bhardlimit = dq.dqb_bsoftlimit =
			space_kib == VS_DLIMIT_INFINITY ? 0 : space_kib;
		dq.dqb_valid |= QIF_BLIMITS;
	}
	if (inodes != VS_DLIMIT_KEEP) {
		dq.dqb_ihardlimit = dq.dqb_isoftlimit =
			inodes == VS_DLIMIT_INFINITY ? 0 : inodes;
		dq.dqb_valid |= QIF_ILIMITS;
	}
	if (!dq.dqb_valid)
		return 0;
	return vs_quotactl(path, Q_SETQUOTA, xid, &dq);
}

static uint32_t vs_assign_xid;
static int vs_assign_err;

static int vs_assign_one(const char *path, const struct stat *st, int type,
			 struct FTW *ftw)
{
	struct fsxattr fa;
	int fd;

	if (type != FTW_F && type != FTW_D)
		return 0;
	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (ioctl(fd, FS_IOC_FSGETXATTR, &fa))
		goto fail_close;
	fa.fsx_projid = vs_assign_xid;
	if (S_ISDIR(st->st_mode))
		fa.fsx_xflags |= FS_XFLAG_PROJINHERIT;
	if (ioctl(fd, FS_IOC_FSSETXATTR, &fa))
		goto fail_close;
	close(fd);
	return 0;
fail_close:
	vs_assign_err = -errno;
	close(fd);
	return 1;
fail:
	vs_assign_err = -errno;
	return 1;
}

int vs_dlimit_assign(const char *dir, uint32_t xid)
{
	vs_assign_xid = xid;
	vs_assign_err = 0;
	if (nftw(dir, vs_assign_one, 16, FTW_PHYS | FTW_MOUNT) < 0)
		return -errno;
	return vs_assign_err;
}
