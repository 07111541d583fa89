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
