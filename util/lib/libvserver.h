/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvserver: one C wrapper per sys_vserver() command.
 *
 * Every function returns 0 (or a non-negative result) on success and
 * -errno on failure.  The library never prints and never exits.
 */
#ifndef LIBVSERVER_VSERVER_H
#define LIBVSERVER_VSERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vserver.h>

#ifndef __NR_vserver
#define __NR_vserver 236
#endif

/* The raw multiplexer: returns the result or -errno. */
long vs_syscall(uint32_t cmd, uint32_t id, void *data);

/* Version and features. */
long vs_get_version(void);
long vs_get_vci(void);

/* Contexts. */
long vs_ctx_create(uint32_t xid, const uint64_t *flags);
int vs_ctx_migrate(uint32_t xid, uint64_t vxm_flags);
long vs_task_xid(pid_t pid);
int vs_vx_info(uint32_t xid, struct vcmd_vx_info *info);
int vs_ctx_stat(uint32_t xid, struct vcmd_ctx_stat *st);
int vs_get_cflags(uint32_t xid, uint64_t *flags);
int vs_set_cflags(uint32_t xid, uint64_t flags, uint64_t mask);
int vs_ctx_kill(uint32_t xid, int32_t pid, int32_t sig);
/* Block until context @xid ended; -EINTR if a signal came first. */
int vs_wait_exit(uint32_t xid, struct vcmd_wait_exit *result);

/* Capabilities. */
int vs_get_bcaps(uint32_t xid, uint64_t *bcaps);
int vs_set_bcaps(uint32_t xid, uint64_t bcaps, uint64_t bmask);
int vs_get_ccaps(uint32_t xid, uint64_t *ccaps);
int vs_set_ccaps(uint32_t xid, uint64_t ccaps, uint64_t cmask);

/*
 * The namespaces root in a context may create with VXC_NAMESPACE
 * (CLONE_NEW* bits; util-vserver's names "newns", "newuts", ... and "fs").
 */
int vs_get_umask(uint32_t xid, uint64_t *umask);
int vs_set_umask(uint32_t xid, uint64_t umask, uint64_t mask);
int vs_umask_from_name(const char *name, uint64_t *bit);
const char *vs_umask_name(uint64_t bit);

/* The oom_score_adj of the context's processes (-1000..1000). */
int vs_get_badness(uint32_t xid, int64_t *bias);
int vs_set_badness(uint32_t xid, int64_t bias);

/* util-vserver's default bounding set for guests (vattribute --secure). */
uint64_t vs_secure_bcaps(void);

/* Context capability names: "set_utsname" <-> VXC_SET_UTSNAME. */
int vs_ccap_from_name(const char *name, uint64_t *ccap);
const char *vs_ccap_name(uint64_t ccap);

/* Linux capability names via libcap: "sys_admin", "CAP_SYS_ADMIN". */
int vs_bcap_from_name(const char *name, uint64_t *bit);

/*
 * Parse "[~!]NAME[,...]" with a name lookup function into set/mask, as
 * util-vserver's --flag/--bcap/--ccap options do.  Nothing changes on
 * error.
 */
int vs_parse_list(const char *list, int (*lookup)(const char *, uint64_t *),
		  uint64_t *set, uint64_t *mask);

/* Spaces (namespaces held by a context). */
int vs_set_space(uint32_t xid, uint64_t mask, uint32_t index);
int vs_enter_space(uint32_t xid, uint64_t mask, uint32_t index);
int vs_get_space_mask(uint64_t *mask);
int vs_get_space_default(uint64_t *mask);

/* vhi names: VHIN_CONTEXT or a uname field of the context's UTS space. */
int vs_set_vhi_name(uint32_t xid, uint32_t field, const char *name);
int vs_get_vhi_name(uint32_t xid, uint32_t field, char *buf, size_t len);
int vs_vhi_field_from_name(const char *name, uint32_t *field);
const char *vs_vhi_field_name(uint32_t field);

/* Names of context flags: "persistent" <-> VXF_PERSISTENT. */
int vs_cflag_from_name(const char *name, uint64_t *flag);
const char *vs_cflag_name(uint64_t flag);
/* Parse "NAME[,NAME...]" with optional '~' or '!' (clear) prefixes. */
int vs_parse_cflags(const char *list, uint64_t *set, uint64_t *mask);

/* Guest configuration. */
#define VS_CONFDIR "/etc/vservers"
/* Name of the guest whose CONFDIR/NAME/context holds @xid (NULL: default). */
int vs_guest_name(const char *confdir, uint32_t xid, char *buf, size_t len);

/* Parse a decimal xid "2".."49151" (or "dynamic" if allow_dynamic). */
int vs_parse_xid(const char *s, uint32_t *xid, int allow_dynamic);

/*
 * Network contexts (util/lib/network.c)
 */
long vs_task_nid(pid_t pid);
int vs_nx_info(uint32_t nid, struct vcmd_nx_info *info);
/* Create network context @nid (NX_DYNAMIC_ID: any) and enter it. */
long vs_net_create(uint32_t nid, const uint64_t *flags);
int vs_net_migrate(uint32_t nid);

/* One address entry: "192.0.2.10/24", "192.0.2.1-192.0.2.9", "2001:db8::1/64". */
struct vs_net_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint16_t type;		/* NXA_TYPE_ADDR or NXA_TYPE_RANGE */
	uint32_t prefix;
	unsigned char ip[16], ip2[16], mask[16];
};
int vs_parse_net_addr(const char *s, struct vs_net_addr *a);
int vs_net_add(uint32_t nid, const struct vs_net_addr *a);
int vs_net_remove(uint32_t nid, const struct vs_net_addr *a);
/* Remove every IPv4 and IPv6 entry, the broadcast and loopback address. */
int vs_net_remove_all(uint32_t nid);
/* Set (addr) or clear (NULL) the broadcast / loopback address. */
int vs_net_set_bcast(uint32_t nid, const char *addr);
int vs_net_set_lback(uint32_t nid, const char *addr);

int vs_get_nflags(uint32_t nid, uint64_t *flags);
int vs_set_nflags(uint32_t nid, uint64_t flags, uint64_t mask);
int vs_get_ncaps(uint32_t nid, uint64_t *ncaps);
int vs_set_ncaps(uint32_t nid, uint64_t ncaps, uint64_t mask);
int vs_nflag_from_name(const char *name, uint64_t *flag);
const char *vs_nflag_name(uint64_t flag);
int vs_ncap_from_name(const char *name, uint64_t *ncap);
const char *vs_ncap_name(uint64_t ncap);

/*
 * Resource limits (util/lib/limit.c)
 */
int vs_get_rlimit(uint32_t xid, uint32_t id, struct vcmd_ctx_rlimit *lim);
/* Fields that are CRLIM_KEEP stay as they are. */
int vs_set_rlimit(uint32_t xid, uint32_t id, uint64_t minimum,
		  uint64_t soft, uint64_t hard);
int vs_get_rlimit_mask(struct vcmd_ctx_rlimit_mask *mask);
int vs_reset_hits(uint32_t xid);
int vs_reset_minmax(uint32_t xid);
int vs_rlimit_stat(uint32_t xid, uint32_t id, struct vcmd_rlimit_stat *st);
/* Resource names as util-vserver spells them: "nproc" <-> RLIMIT_NPROC. */
const char *vs_rlimit_name(uint32_t id);
int vs_rlimit_from_name(const char *name, uint32_t *id);
/* Does the kernel count resource @id in pages? */
int vs_rlimit_in_pages(uint32_t id);
/*
 * Parse a limit: "inf", or a number with an optional k/m/g (powers of
 * 1000) or K/M/G (powers of 1024) suffix.  For resources counted in
 * pages, a number with a suffix is a size in bytes, rounded up to pages;
 * a bare number counts pages, as in util-vserver's configuration.
 */
int vs_parse_limit(const char *s, uint32_t id, uint64_t *val);

/*
 * Disk limits: project quotas of ext4 or xfs with project id = xid.  A
 * guest's files carry its xid as their project id (vs_dlimit_assign()
 * sets it, with inheritance, on a directory tree); the quota of that
 * project limits them.  Space in KiB.
 */
#define VS_DLIMIT_INFINITY	(~0ULL)
#define VS_DLIMIT_KEEP		(~1ULL)
struct vs_dlimit {
	uint64_t space_used, space_total, inodes_used, inodes_total;
};
int vs_dlimit_get(const char *path, uint32_t xid, struct vs_dlimit *dl);
int vs_dlimit_set(const char *path, uint32_t xid, uint64_t space_kib,
		  uint64_t inodes);
int vs_dlimit_assign(const char *dir, uint32_t xid);

/*
 * Scheduler buckets (util/lib/sched.c)
 */
int vs_set_sched(uint32_t xid, const struct vcmd_sched_v5 *sched);
/* @sched->mask: VXSM_MSEC for ms; cpu_id/bucket_id with their bits. */
int vs_get_sched(uint32_t xid, struct vcmd_sched_v5 *sched);
/* @cpu: a CPU or -1 for all. */
int vs_sched_info(uint32_t xid, int32_t cpu, struct vcmd_sched_info *info);
int vs_set_prio_bias(uint32_t xid, int32_t bias);
int vs_get_prio_bias(uint32_t xid, int32_t *bias);
/* A decimal int32 with optional blanks and a trailing newline. */
int vs_sched_parse_int(const char *s, int32_t *val);
/*
 * Set the field named like util-vserver's sched/ files and options
 * ("fill-rate", "interval2", "tokens-max", "priority-bias", "cpu-id",
 * ...) and its mask bit; -ENOENT for an unknown name.
 */
int vs_sched_set_field(struct vcmd_sched_v5 *s, const char *key,
		       int32_t val);
/*
 * Read a sched/ directory: one number per file named as above, plus the
 * flag files "idle-time" and "force".  Other files are ignored.  -errno
 * of opendir() (-ENOENT: no such directory), or -EINVAL with the path of
 * the bad file in @bad.
 */
int vs_sched_read_dir(const char *dir, struct vcmd_sched_v5 *s,
		      char *bad, size_t badlen);

/*
 * Inode attributes (util/lib/inode.c)
 */

/* IATTR_* of a path (not followed if a symlink) or an open file. */
int vs_get_iattr(const char *path, uint32_t *flags, uint32_t *mask);
int vs_set_iattr(const char *path, uint32_t flags, uint32_t mask);
int vs_fget_iattr(int fd, uint32_t *flags, uint32_t *mask);
int vs_fset_iattr(int fd, uint32_t flags, uint32_t mask);
/*
 * setattr's names: "immutable", "iunlink" (= IXUNLINK|IMMUTABLE, also
 * "immu"), "ixunlink" (IXUNLINK only), "barrier", "cow", and for /proc
 * entries "admin", "watch", "hide".
 */
int vs_iattr_from_name(const char *name, uint32_t *bits);
/*
 * showattr's columns "BUIC", plus "AWH" for /proc entries: upper case
 * set, lower case clear, '-' n/a.
 */
void vs_iattr_letters(uint32_t flags, uint32_t mask, char out[8]);

/*
 * Guest configuration for the vserver tool (util/lib/config.c and new files)
 */

/*
 * util/lib/guest.c: one guest's configuration, read from CONFROOT/NAME/
 * (one value per file) with fall-backs in CONFROOT/.defaults/, and fully
 * validated.  Errors name the file and the expected form.
 */
#define VS_RUNDIR		"/run/vservers"
#define VS_VDIRBASE		"/var/lib/vservers"
#define VS_NAME_MAX		64
#define VS_PATH_MAX		4096
#define VS_MAX_IFACES		16
#define VS_MAX_FSTAB		32
#define VS_MAX_CGROUP		8

struct vs_iface {
	char id[64];		/* the directory name under interfaces/ */
	char ip[64];		/* textual address */
	int family;		/* AF_INET or AF_INET6 */
	unsigned int prefix;
	char dev[16];		/* host device: add the address there */
	char label[16];		/* interfaces/N/name */
	int nodev;		/* assume the address exists */
};

struct vs_mount {
	char src[256], dst[256], type[32], opts[256];
};

/* rlimits/NAME[.hard|.soft|.min]: CRLIM_KEEP where no file says. */
#define VS_MAX_RLIMITS		24
struct vs_rlimit_conf {
	uint32_t id;
	uint64_t value;		/* rlimits/NAME: soft and hard */
	uint64_t minimum, soft, hard;
};

/* dlimits/NAME/: a project quota (VS_DLIMIT_KEEP where no file says). */
#define VS_MAX_DLIMITS		4
struct vs_dlimit_conf {
	char dir[VS_PATH_MAX];
	uint64_t space_kib, inodes;
};

struct vs_cgroup_value {
	char key[32];		/* e.g. memory.max */
	char value[512];
};

struct vs_guest {
	char name[VS_NAME_MAX + 1];
	char confroot[VS_PATH_MAX];	/* /etc/vservers */
	char confdir[VS_PATH_MAX];	/* /etc/vservers/NAME */
	char vdir[VS_PATH_MAX];
	uint32_t xid;			/* 0: not configured */
	char uts[VHIN_MAX + 1][VHI_NAME_LEN];
	uint64_t flags_set, flags_mask;
	uint64_t bcaps_set, bcaps_mask;
	uint64_t ccaps_set, ccaps_mask;
	uint64_t umask_set, umask_mask;	/* umask: namespaces root may make */
	int have_badness;		/* badness: the oom_score_adj */
	int badness;
	uint64_t spaces;		/* CLONE_* bits, VX_SPACE_* */
	int niface;
	struct vs_iface iface[VS_MAX_IFACES];
	int nmount;
	struct vs_mount mount[VS_MAX_FSTAB];
	int ncgroup;
	struct vs_cgroup_value cgroup[VS_MAX_CGROUP];
	char style[16];			/* plain or sysv */
	char runlevel[8], runlevel_start[8], runlevel_stop[8];
	char cmd_start[1024], cmd_stop[1024];
	char mark[64];
	char shell[256];
	int have_rlimits, have_sched, have_dlimits, have_net;
	uint64_t nflags_set, nflags_mask;	/* nflags */
	uint64_t ncaps_set, ncaps_mask;		/* ncapabilities */
	int nrlimit;
	struct vs_rlimit_conf rlimit[VS_MAX_RLIMITS];
	struct vcmd_sched_v5 sched;		/* sched/: mask says which */
	int ndlimit;
	struct vs_dlimit_conf dlimit[VS_MAX_DLIMITS];
};

/* Root of the configuration: @opt, else $VSERVER_CONFDIR, else /etc/vservers. */
const char *vs_confroot(const char *opt);
/* "NAME" is a valid guest name: [A-Za-z0-9][A-Za-z0-9._-]*, <= 64 bytes. */
int vs_valid_name(const char *name);
/*
 * Load and validate guest @name.  Returns 0, -ENOENT if it has no
 * configuration directory, or -EINVAL with one line per bad file in @err
 * ("PATH: problem (expected FORM)").
 */
int vs_guest_load(const char *confroot, const char *name, struct vs_guest *g,
		  char *err, size_t errlen);
/* Only the files `list` needs (context, vdir, mark); no validation. */
int vs_guest_peek(const char *confroot, const char *name, struct vs_guest *g);
/* Parse "dev:ip/prefix" or "[label=][dev:]ip[/prefix]". */
int vs_parse_iface(const char *spec, struct vs_iface *ifc);

#endif /* LIBVSERVER_VSERVER_H */
