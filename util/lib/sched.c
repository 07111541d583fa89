// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: CPU buckets (set_sched, get_sched, sched_info, prio_bias)
 * and util-vserver's sched/ configuration directory.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libvserver.h"

int vs_set_sched(uint32_t xid, const struct vcmd_sched_v5 *sched)
{
	struct vcmd_sched_v5 arg = *sched;

	return vs_syscall(VCMD_set_sched, xid, &arg);
}

int vs_get_sched(uint32_t xid, struct vcmd_sched_v5 *sched)
{
	return vs_syscall(VCMD_get_sched, xid, sched);
}

int vs_sched_info(uint32_t xid, int32_t cpu, struct vcmd_sched_info *info)
{
	memset(info, 0, sizeof(*info));
	info->cpu_id = cpu;
	return vs_syscall(VCMD_sched_info, xid, info);
}

int vs_set_prio_bias(uint32_t xid, int32_t bias)
{
	struct vcmd_prio_bias arg = { .cpu_id = -1, .prio_bias = bias };

	return vs_syscall(VCMD_set_prio_bias, xid, &arg);
}

int vs_get_prio_bias(uint32_t xid, int32_t *bias)
{
	struct vcmd_prio_bias arg = { .cpu_id = -1 };
	int ret = vs_syscall(VCMD_get_prio_bias, xid, &arg);

	if (!ret)
		*bias = arg.prio_bias;
	return ret;
}

static const struct {
	const char *name;
	uint32_t bit;
} vs_sched_keys[] = {
	{ "fill-rate", VXSM_FILL_RATE },
	{ "interval", VXSM_INTERVAL },
	{ "fill-rate2", VXSM_FILL_RATE2 },
	{ "interval2", VXSM_INTERVAL2 },
	{ "tokens", VXSM_TOKENS },
	{ "tokens-min", VXSM_TOKENS_MIN },
	{ "tokens-max", VXSM_TOKENS_MAX },
	{ "priority-bias", VXSM_PRIO_BIAS },
	{ "prio-bias", VXSM_PRIO_BIAS },
	{ "cpu-id", VXSM_CPU_ID },
	{ "bucket-id", VXSM_BUCKET_ID },
};

int vs_sched_parse_int(const char *s, int32_t *val)
{
	long v;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (errno || *end || v < INT32_MIN || v > INT32_MAX)
		return -EINVAL;
	*val = (int32_t)v;
	return 0;
}

int vs_sched_set_field(struct vcmd_sched_v5 *s, const char *key,
		       int32_t val)
{
	size_t i;

	for (i = 0; i < sizeof(vs_sched_keys) / sizeof(vs_sched_keys[0]); i++) {
		if (strcmp(key, vs_sched_keys[i].name))
			continue;
		switch (vs_sched_keys[i].bit) {
		case VXSM_FILL_RATE:
			s->fill_rate[0] = val;
			break;
		case VXSM_INTERVAL:
			s->interval[0] = val;
			break;
		case VXSM_FILL_RATE2:
			s->fill_rate[1] = val;
			break;
		case VXSM_INTERVAL2:
			s->interval[1] = val;
			break;
		case VXSM_TOKENS:
			s->tokens = val;
			break;
		case VXSM_TOKENS_MIN:
			s->tokens_min = val;
			break;
		case VXSM_TOKENS_MAX:
			s->tokens_max = val;
			break;
		case VXSM_PRIO_BIAS:
			s->prio_bias = val;
			break;
		case VXSM_CPU_ID:
			s->cpu_id = val;
			break;
		case VXSM_BUCKET_ID:
			s->bucket_id = val;
			break;
		}
		s->mask |= vs_sched_keys[i].bit;
		return 0;
	}
	return -ENOENT;
}

int vs_sched_read_dir(const char *dir, struct vcmd_sched_v5 *s,
		      char *bad, size_t badlen)
{
	char path[PATH_MAX], line[64];
	struct dirent *de;
	int32_t val;
	DIR *d;
	FILE *f;
	int ret = 0;

	d = opendir(dir);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!strcmp(de->d_name, "idle-time")) {
			s->mask |= VXSM_IDLE_TIME;
			continue;
		}
		if (!strcmp(de->d_name, "force")) {
			s->mask |= VXSM_FORCE;
			continue;
		}
		f = fopen(path, "r");
		if (!f)
			continue;	/* a subdirectory or unreadable */
		if (!fgets(line, sizeof(line), f)) {
			/* A directory reads nothing: skip it. */
			fclose(f);
			continue;
		}
		fclose(f);
		ret = vs_sched_parse_int(line, &val);
		if (!ret)
			ret = vs_sched_set_field(s, de->d_name, val);
		if (ret == -ENOENT)
			ret = 0;	/* not a bucket parameter */
		if (ret && bad)
			snprintf(bad, badlen, "%s", path);
	}
	closedir(d);
	return ret;
}
