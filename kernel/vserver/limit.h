/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vserver: the per-context resource counters (kernel/vserver/limit.c).
 * Kept apart from internal.h so that struct vx_info can embed them.
 */
#ifndef _KERNEL_VSERVER_LIMIT_H
#define _KERNEL_VSERVER_LIMIT_H

#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <uapi/linux/vserver.h>

/**
 * struct vx_rlim - one resource of a context
 * @value: amount in use (unused for RLIMIT_NPROC, which is the context's
 *	task count, and for the memory figures computed when read)
 * @vmin: least @value seen since creation or reset_minmax
 * @vmax: most @value seen since creation or reset_minmax
 * @hits: allocations refused by the hard limit
 * @minimum: guaranteed amount (reported only)
 * @soft: soft limit (reported only)
 * @hard: hard limit, or %CRLIM_INFINITY
 *
 * The three limits are written under the context's lock and read without
 * it; a check uses one READ_ONCE() of @hard.
 */
struct vx_rlim {
	atomic_long_t value;
	atomic_long_t vmin;
	atomic_long_t vmax;
	atomic_t hits;
	u64 minimum;
	u64 soft;
	u64 hard;
};

/**
 * struct vx_limit - the resource counters of a context
 * @res: indexed by limit id (RLIMIT_* and VLIMIT_*)
 * @files_local: open files (RLIMIT_NOFILE, and VLIMIT_OPENFD, the same
 *	number) opened minus closed on each CPU since its last fold; every
 *	open and close of a guest passes here.  @res[RLIMIT_NOFILE].value
 *	is unused.
 * @files: the folded part of the open files
 * @files_lock: serialises folds and exact sums
 */
struct vx_limit {
	struct vx_rlim res[VLIMIT_NR];
	long __percpu *files_local;
	atomic_long_t files;
	raw_spinlock_t files_lock;
};

int vx_limit_init(struct vx_limit *limit);
void vx_limit_free(struct vx_limit *limit);

#endif /* _KERNEL_VSERVER_LIMIT_H */
