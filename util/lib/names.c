// SPDX-License-Identifier: GPL-2.0
/*
 * libvserver: names of context flags (util-vserver's spelling) and
 * parsing of the values tools take on their command lines.
 */
#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "libvserver.h"
#include "names.h"

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

static const struct vs_name vs_ccap_names[] = {
	{ "set_utsname",	VXC_SET_UTSNAME },
	{ "set_rlimit",		VXC_SET_RLIMIT },
	{ "fs_security",	VXC_FS_SECURITY },
	{ "fs_trusted",		VXC_FS_TRUSTED },
	{ "tiocsti",		VXC_TIOCSTI },
	{ "raw_icmp",		VXC_RAW_ICMP },
	{ "syslog",		VXC_SYSLOG },
	{ "oom_adjust",		VXC_OOM_ADJUST },
	{ "audit_control",	VXC_AUDIT_CONTROL },
	{ "secure_mount",	VXC_SECURE_MOUNT },
	{ "secure_remount",	VXC_SECURE_REMOUNT },
	{ "binary_mount",	VXC_BINARY_MOUNT },
	{ "dev_mount",		VXC_DEV_MOUNT },
	{ "quota_ctl",		VXC_QUOTA_CTL },
	{ "admin_mapper",	VXC_ADMIN_MAPPER },
	{ "admin_cloop",	VXC_ADMIN_CLOOP },
	{ "kthread",		VXC_KTHREAD },
	{ "namespace",		VXC_NAMESPACE },
};

/* util-vserver's names of the umask bits (lib/umask-v23.c), and ours. */
static const struct vs_name vs_umask_names[] = {
	{ "fs",			CLONE_FS },
	{ "newns",		CLONE_NEWNS },
	{ "newuts",		CLONE_NEWUTS },
	{ "newipc",		CLONE_NEWIPC },
	{ "newuser",		CLONE_NEWUSER },
	{ "newpid",		CLONE_NEWPID },
	{ "newnet",		CLONE_NEWNET },
	{ "newcgroup",		CLONE_NEWCGROUP },
	{ "newtime",		CLONE_NEWTIME },
};

int vs_name_lookup(const struct vs_name *t, size_t n, const char *name,
		   uint64_t *bits)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcasecmp(name, t[i].name)) {
			*bits = t[i].bits;
			return 0;
		}
	}
	return -EINVAL;
}

const char *vs_name_of(const struct vs_name *t, size_t n, uint64_t bits)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].bits == bits)
			return t[i].name;
	return NULL;
}

int vs_cflag_from_name(const char *name, uint64_t *flag)
{
	return vs_name_lookup(vs_cflag_names, ARRAY_LEN(vs_cflag_names),
			      name, flag);
}

const char *vs_cflag_name(uint64_t flag)
{
	return vs_name_of(vs_cflag_names, ARRAY_LEN(vs_cflag_names),
			      flag);
}

int vs_umask_from_name(const char *name, uint64_t *bit)
{
	return vs_name_lookup(vs_umask_names, ARRAY_LEN(vs_umask_names),
			      name, bit);
}

const char *vs_umask_name(uint64_t bit)
{
	return vs_name_of(vs_umask_names, ARRAY_LEN(vs_umask_names), bit);
}

int vs_ccap_from_name(const char *name, uint64_t *ccap)
{
	return vs_name_lookup(vs_ccap_names, ARRAY_LEN(vs_ccap_names),
			      name, ccap);
}

const char *vs_ccap_name(uint64_t ccap)
{
	return vs_name_of(vs_ccap_names, ARRAY_LEN(vs_ccap_names),
			      ccap);
}

int vs_bcap_from_name(const char *name, uint64_t *bit)
{
	char buf[64];
	cap_value_t cap;
	size_t i;

	if (!strncasecmp(name, "cap_", 4))
		name += 4;
	if (!*name || strlen(name) + 5 > sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "cap_%s", name);
	for (i = 0; buf[i]; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	if (cap_from_name(buf, &cap) < 0 || cap < 0 || cap > 63)
		return -EINVAL;
	/* libcap also accepts plain numbers: names only here. */
	if (isdigit((unsigned char)*name))
		return -EINVAL;
	*bit = 1ULL << cap;
	return 0;
}

uint64_t vs_secure_bcaps(void)
{
	/*
	 * util-vserver's getinsecurebcaps() complement.  SYS_BOOT lets the
	 * guest's root reboot(2) the guest (the kernel hands that to the
	 * host's vshelper or kills the context; kexec is refused).
	 */
	static const int caps[] = {
		CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER,
		CAP_FSETID, CAP_KILL, CAP_SETGID, CAP_SETUID,
		CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_SYS_PTRACE,
		CAP_SYS_TTY_CONFIG, CAP_LEASE, CAP_SETFCAP, CAP_SYS_BOOT,
		CAP_AUDIT_WRITE,
	};
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < ARRAY_LEN(caps); i++)
		set |= 1ULL << caps[i];
	return set;
}

int vs_parse_list(const char *list, int (*lookup_fn)(const char *, uint64_t *),
		  uint64_t *set, uint64_t *mask)
{
	char buf[512], *tok, *save = NULL;
	uint64_t s = *set, m = *mask, bits;
	int n = 0;

	if (!list || !*list || strlen(list) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int clear = *tok == '~' || *tok == '!';

		if (lookup_fn(tok + clear, &bits))
			return -EINVAL;
		m |= bits;
		if (clear)
			s &= ~bits;
		else
			s |= bits;
		n++;
	}
	if (!n)
		return -EINVAL;
	*set = s;
	*mask = m;
	return 0;
}

int vs_parse_cflags(const char *list, uint64_t *set, uint64_t *mask)
{
	return vs_parse_list(list, vs_cflag_from_name, set, mask);
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

static const char *const vs_vhi_names[] = {
	[VHIN_CONTEXT] = "context",
	[VHIN_SYSNAME] = "sysname",
	[VHIN_NODENAME] = "nodename",
	[VHIN_RELEASE] = "release",
	[VHIN_VERSION] = "version",
	[VHIN_MACHINE] = "machine",
	[VHIN_DOMAINNAME] = "domainname",
};

int vs_vhi_field_from_name(const char *name, uint32_t *field)
{
	uint32_t i;

	for (i = 0; i <= VHIN_MAX; i++) {
		if (!strcasecmp(name, vs_vhi_names[i])) {
			*field = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *vs_vhi_field_name(uint32_t field)
{
	return field <= VHIN_MAX ? vs_vhi_names[field] : NULL;
}
