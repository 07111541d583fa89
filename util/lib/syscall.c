// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: the command wrappers.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "libvserver.h"

long vs_syscall(uint32_t cmd, uint32_t id, void *data)
{
	long ret = syscall(__NR_vserver, cmd, id, data);

	return ret < 0 ? -errno : ret;
}

long vs_get_version(void)
{
	return vs_syscall(VCMD_get_version, 0, NULL);
}

long vs_get_vci(void)
{
	return vs_syscall(VCMD_get_vci, 0, NULL);
}

long vs_ctx_create(uint32_t xid, const uint64_t *flags)
{
	struct vcmd_ctx_create arg;

	if (!flags)
		return vs_syscall(VCMD_ctx_create, xid, NULL);
	arg.flagword = *flags;
	return vs_syscall(VCMD_ctx_create, xid, &arg);
}

int vs_ctx_migrate(uint32_t xid, uint64_t vxm_flags)
{
	struct vcmd_ctx_migrate arg = { .flagword = vxm_flags };

	return vs_syscall(VCMD_ctx_migrate, xid, &arg);
}

long vs_task_xid(pid_t pid)
{
	return vs_syscall(VCMD_task_xid, (uint32_t)pid, NULL);
}

int vs_vx_info(uint32_t xid, struct vcmd_vx_info *info)
{
	return vs_syscall(VCMD_vx_info, xid, info);
}

int vs_ctx_stat(uint32_t xid, struct vcmd_ctx_stat *st)
{
	return vs_syscall(VCMD_ctx_stat, xid, st);
}


int vs_ctx_kill(uint32_t xid, int32_t pid, int32_t sig)
{
	struct vcmd_ctx_kill arg = { .pid = pid, .sig = sig };

	return vs_syscall(VCMD_ctx_kill, xid, &arg);
}

static int vs_get_pair(uint32_t cmd, uint32_t xid, uint64_t *val)
{
	uint64_t pair[2] = { 0, 0 };
	int ret = vs_syscall(cmd, xid, pair);

	if (!ret)
		*val = pair[0];
	return ret;
}

static int vs_set_pair(uint32_t cmd, uint32_t xid, uint64_t val,
		       uint64_t mask)
{
	uint64_t pair[2] = { val, mask };

	return vs_syscall(cmd, xid, pair);
}

int vs_get_bcaps(uint32_t xid, uint64_t *bcaps)
{
	return vs_get_pair(VCMD_get_bcaps, xid, bcaps);
}

int vs_set_bcaps(uint32_t xid, uint64_t bcaps, uint64_t bmask)
{
	return vs_set_pair(VCMD_set_bcaps, xid, bcaps, bmask);
}

int vs_get_ccaps(uint32_t xid, uint64_t *ccaps)
{
	return vs_get_pair(VCMD_get_ccaps, xid, ccaps);
}

int vs_set_ccaps(uint32_t xid, uint64_t ccaps, uint64_t cmask)
{
	return vs_set_pair(VCMD_set_ccaps, xid, ccaps, cmask);
}

int vs_get_umask(uint32_t xid, uint64_t *umask)
{
	return vs_get_pair(VCMD_get_umask, xid, umask);
}

int vs_set_umask(uint32_t xid, uint64_t umask, uint64_t mask)
{
	return vs_set_pair(VCMD_set_umask, xid, umask, mask);
}

int vs_get_badness(uint32_t xid, int64_t *bias)
{
	struct vcmd_badness b = { 0 };
	long ret = vs_syscall(VCMD_get_badness, xid, &b);

	if (!ret)
		*bias = b.bias;
	return (int)ret;
}

int vs_set_badness(uint32_t xid, int64_t bias)
{
	struct vcmd_badness b = { .bias = bias };

	return (int)vs_syscall(VCMD_set_badness, xid, &b);
}

int vs_get_cflags(uint32_t xid, uint64_t *flags)
{
	return vs_get_pair(VCMD_get_cflags, xid, flags);
}

int vs_set_cflags(uint32_t xid, uint64_t flags, uint64_t mask)
{
	return vs_set_pair(VCMD_set_cflags, xid, flags, mask);
}

int vs_set_space(uint32_t xid, uint64_t mask, uint32_t index)
{
	struct vcmd_space_mask arg = { .mask = mask, .index = index };

	return vs_syscall(VCMD_set_space, xid, &arg);
}

int vs_enter_space(uint32_t xid, uint64_t mask, uint32_t index)
{
	struct vcmd_space_mask arg = { .mask = mask, .index = index };

	return vs_syscall(VCMD_enter_space, xid, &arg);
}

int vs_get_space_mask(uint64_t *mask)
{
	return vs_syscall(VCMD_get_space_mask, 0, mask);
}

int vs_get_space_default(uint64_t *mask)
{
	return vs_syscall(VCMD_get_space_default, 0, mask);
}

int vs_set_vhi_name(uint32_t xid, uint32_t field, const char *name)
{
	struct vcmd_vhi_name arg = { .field = field };

	if (strlen(name) >= sizeof(arg.name))
		return -EINVAL;
	strcpy(arg.name, name);
	return vs_syscall(VCMD_set_vhi_name, xid, &arg);
}

int vs_get_vhi_name(uint32_t xid, uint32_t field, char *buf, size_t len)
{
	struct vcmd_vhi_name arg = { .field = field };
	int ret = vs_syscall(VCMD_get_vhi_name, xid, &arg);

	if (ret)
		return ret;
	arg.name[sizeof(arg.name) - 1] = 0;
	if (strlen(arg.name) >= len)
		return -ERANGE;
	strcpy(buf, arg.name);
	return 0;
}

int vs_wait_exit(uint32_t xid, struct vcmd_wait_exit *result)
{
	return vs_syscall(VCMD_wait_exit, xid, result);
}
