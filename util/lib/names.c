// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: names of context flags (util-vserver's spelling) and
 * parsing of the values tools take on their command lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libvserver.h"

struct vs_name {
	const char *name;
	uint64_t bits;
};

static const struct vs_name vs_cflag_names[] = {
	{ "lock",		VXF_INFO_LOCK },
	{ "sched",		VXF_INFO_SCHED },
	{ "nproc",		VXF_INFO_NPROC },
	{ "private",		VXF_INFO_PRIVATE },
	{ "fakeinit",		VXF_INFO_INIT },
	{ "hideinfo",		VXF_INFO_HIDE },
	{ "ulimit",		VXF_INFO_ULIMIT },
	{ "namespace",		VXF_INFO_NSPACE },
	{ "sched_hard",		VXF_SCHED_HARD },
	{ "sched_prio",		VXF_SCHED_PRIO },
	{ "sched_pause",	VXF_SCHED_PAUSE },
	{ "virt_mem",		VXF_VIRT_MEM },
	{ "virt_uptime",	VXF_VIRT_UPTIME },
	{ "virt_cpu",		VXF_VIRT_CPU },
	{ "virt_load",		VXF_VIRT_LOAD },
	{ "virt_time",		VXF_VIRT_TIME },
	{ "hide_mount",		VXF_HIDE_MOUNT },
	{ "hide_netif",		VXF_HIDE_NETIF },
	{ "hide_vinfo",		VXF_HIDE_VINFO },
	{ "state_setup",	VXF_STATE_SETUP },
	{ "state_init",		VXF_STATE_INIT },
	{ "state_admin",	VXF_STATE_ADMIN },
	{ "sc_helper",		VXF_SC_HELPER },
	{ "reboot_kill",	VXF_REBOOT_KILL },
	{ "persistent",		VXF_PERSISTENT },
	{ "fork_rss",		VXF_FORK_RSS },
	{ "prolific",		VXF_PROLIFIC },
	{ "igneg_nice",		VXF_IGNEG_NICE },
	{ "igneg_ionice",	VXF_IGNEG_IONICE },
	/* util-vserver aliases for groups of flags */
	{ "default",		VXF_VIRT_UPTIME | VXF_SC_HELPER },
	{ "secure",		VXF_HIDE_NETIF },
};

#define N_CFLAGS (sizeof(vs_cflag_names) / sizeof(vs_cflag_names[0]))

int vs_cflag_from_name(const char *name, uint64_t *flag)
{
	size_t i;

	for (i = 0; i < N_CFLAGS; i++) {
		if (!strcasecmp(name, vs_cflag_names[i].name)) {
			*flag = vs_cflag_names[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

const char *vs_cflag_name(uint64_t flag)
{
	size_t i;

	for (i = 0; i < N_CFLAGS; i++)
		if (vs_cflag_names[i].bits == flag)
			return vs_cflag_names[i].name;
	return NULL;
}

int vs_parse_cflags(const char *list, uint64_t *set, uint64_t *mask)
{
	char buf[256], *tok, *save = NULL;
	uint64_t s = *set, m = *mask, bits;

	if (!list || !*list || strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int clear = *tok == '~' || *tok == '!';

		if (vs_cflag_from_name(tok + clear, &bits))
			return -EINVAL;
		m |= bits;
		if (clear)
			s &= ~bits;
		else
			s |= bits;
	}
	*set = s;
	*mask = m;
	return 0;
}

int vs_parse_xid(const char *s, uint32_t *xid, int allow_dynamic)
{
	unsigned long v;
	char *end;

	if (allow_dynamic && !strcmp(s, "dynamic")) {
		*xid = VX_DYNAMIC_ID;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < VX_ID_STATIC_MIN || v > VX_ID_DYNAMIC_MAX)
		return -EINVAL;
	*xid = (uint32_t)v;
	return 0;
}
