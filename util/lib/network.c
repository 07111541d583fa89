// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: network contexts -- command wrappers, address parsing and
 * the names of network flags and capabilities.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libvserver.h"
#include "names.h"

long vs_task_nid(pid_t pid)
{
	return vs_syscall(VCMD_task_nid, (uint32_t)pid, NULL);
}

int vs_nx_info(uint32_t nid, struct vcmd_nx_info *info)
{
	return vs_syscall(VCMD_nx_info, nid, info);
}

long vs_net_create(uint32_t nid, const uint64_t *flags)
{
	struct vcmd_net_create arg;

	if (!flags)
		return vs_syscall(VCMD_net_create, nid, NULL);
	arg.flagword = *flags;
	return vs_syscall(VCMD_net_create, nid, &arg);
}

int vs_net_migrate(uint32_t nid)
{
	return vs_syscall(VCMD_net_migrate, nid, NULL);
}

static int vs_net_addr_cmd(uint32_t nid, const struct vs_net_addr *a,
			   int add)
{
	if (a->family == AF_INET) {
		struct vcmd_net_addr_ipv4_v2 arg = { .type = a->type };

		memcpy(&arg.ip, a->ip, 4);
		memcpy(&arg.ip2, a->ip2, 4);
		memcpy(&arg.mask, a->mask, 4);
		return vs_syscall(add ? VCMD_net_add_ipv4 :
				  VCMD_net_remove_ipv4, nid, &arg);
	} else {
		struct vcmd_net_addr_ipv6 arg = {
			.type = a->type, .prefix = a->prefix,
		};

		memcpy(arg.ip, a->ip, 16);
		memcpy(arg.mask, a->mask, 16);
		return vs_syscall(add ? VCMD_net_add_ipv6 :
				  VCMD_net_remove_ipv6, nid, &arg);
	}
}

int vs_net_add(uint32_t nid, const struct vs_net_addr *a)
{
	return vs_net_addr_cmd(nid, a, 1);
}

int vs_net_remove(uint32_t nid, const struct vs_net_addr *a)
{
	return vs_net_addr_cmd(nid, a, 0);
}

int vs_net_remove_all(uint32_t nid)
{
	struct vcmd_net_addr_ipv4_v2 a4 = { .type = NXA_TYPE_ANY };
	struct vcmd_net_addr_ipv6 a6 = { .type = NXA_TYPE_ANY };
	int ret = vs_syscall(VCMD_net_remove_ipv4, nid, &a4);

	return ret ? ret : (int)vs_syscall(VCMD_net_remove_ipv6, nid, &a6);
}

static int vs_set_special(uint32_t nid, const char *s, uint16_t mod, int add)
{
	struct vcmd_net_addr_ipv4_v2 arg = { .type = NXA_TYPE_ADDR | mod };

	if (s && inet_pton(AF_INET, s, &arg.ip) != 1)
		return -EINVAL;
	return vs_syscall(add ? VCMD_net_add_ipv4 : VCMD_net_remove_ipv4,
			  nid, &arg);
}

int vs_net_set_bcast(uint32_t nid, const char *addr)
{
	return vs_set_special(nid, addr, NXA_MOD_BCAST, addr != NULL);
}

int vs_net_set_lback(uint32_t nid, const char *addr)
{
	return vs_set_special(nid, addr, NXA_MOD_LBACK, addr != NULL);
}

static int parse_prefix(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static void v4_mask(unsigned int prefix, unsigned char mask[4])
{
	uint32_t m = prefix ? htonl(~0U << (32 - prefix)) : 0;

	memcpy(mask, &m, 4);
}

int vs_parse_net_addr(const char *s, struct vs_net_addr *a)
{
	char buf[128], *slash, *dash;
	unsigned int prefix;

	memset(a, 0, sizeof(*a));
	if (!s || strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';

	if (inet_pton(AF_INET, buf, a->ip) == 1) {
		a->family = AF_INET;
		a->type = NXA_TYPE_ADDR;
		a->prefix = 32;
		if (dash) {
			if (inet_pton(AF_INET, dash, a->ip2) != 1)
				return -EINVAL;
			a->type = NXA_TYPE_RANGE;
		}
		if (!slash) {
			v4_mask(32, a->mask);
		} else if (strchr(slash, '.')) {
			uint32_t m, inv;

			if (inet_pton(AF_INET, slash, a->mask) != 1)
				return -EINVAL;
			memcpy(&m, a->mask, 4);
			inv = ~ntohl(m);
			if (inv & (inv + 1))
				return -EINVAL;
			a->prefix = 32 - (unsigned int)__builtin_popcount(inv);
		} else {
			if (parse_prefix(slash, 32, &prefix))
				return -EINVAL;
			a->prefix = prefix;
			v4_mask(prefix, a->mask);
		}
		return 0;
	}
	if (dash || inet_pton(AF_INET6, buf, a->ip) != 1)
		return -EINVAL;
	a->family = AF_INET6;
	a->type = NXA_TYPE_ADDR;
	a->prefix = 128;
	if (slash) {
		if (parse_prefix(slash, 128, &prefix))
			return -EINVAL;
		a->prefix = prefix;
	}
	return 0;
}

static const struct vs_name vs_nflag_names[] = {
	{ "private",		NXF_INFO_PRIVATE },
	{ "single_ip",		NXF_SINGLE_IP },
	{ "lback_remap",	NXF_LBACK_REMAP },
	{ "lback_allow",	NXF_LBACK_ALLOW },
	{ "hide_netif",		NXF_HIDE_NETIF },
	{ "hide_lback",		NXF_HIDE_LBACK },
	{ "state_setup",	NXF_STATE_SETUP },
	{ "state_admin",	NXF_STATE_ADMIN },
	{ "sc_helper",		NXF_SC_HELPER },
	{ "persistent",		NXF_PERSISTENT },
};

static const struct vs_name vs_ncap_names[] = {
	{ "tun_create",		NXC_TUN_CREATE },
	{ "raw_icmp",		NXC_RAW_ICMP },
	{ "multicast",		NXC_MULTICAST },
};

int vs_nflag_from_name(const char *name, uint64_t *flag)
{
	return vs_name_lookup(vs_nflag_names, ARRAY_LEN(vs_nflag_names),
			      name, flag);
}

const char *vs_nflag_name(uint64_t flag)
{
	return vs_name_of(vs_nflag_names, ARRAY_LEN(vs_nflag_names),
			      flag);
}

int vs_ncap_from_name(const char *name, uint64_t *ncap)
{
	return vs_name_lookup(vs_ncap_names, ARRAY_LEN(vs_ncap_names),
			      name, ncap);
}

const char *vs_ncap_name(uint64_t ncap)
{
	return vs_name_of(vs_ncap_names, ARRAY_LEN(vs_ncap_names),
			      ncap);
}

static int vs_get_pair2(uint32_t cmd, uint32_t nid, uint64_t *val)
{
	uint64_t pair[2] = { 0, 0 };
	int ret = vs_syscall(cmd, nid, pair);

	if (!ret)
		*val = pair[0];
	return ret;
}

int vs_get_nflags(uint32_t nid, uint64_t *flags)
{
	return vs_get_pair2(VCMD_get_nflags, nid, flags);
}

int vs_set_nflags(uint32_t nid, uint64_t flags, uint64_t mask)
{
	struct vcmd_net_flags arg = { .flagword = flags, .mask = mask };

	return vs_syscall(VCMD_set_nflags, nid, &arg);
}

int vs_get_ncaps(uint32_t nid, uint64_t *ncaps)
{
	return vs_get_pair2(VCMD_get_ncaps, nid, ncaps);
}

int vs_set_ncaps(uint32_t nid, uint64_t ncaps, uint64_t mask)
{
	struct vcmd_net_caps arg = { .ncaps = ncaps, .cmask = mask };

	return vs_syscall(VCMD_set_ncaps, nid, &arg);
}
