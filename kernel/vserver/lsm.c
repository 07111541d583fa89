// SPDX-License-Identifier: GPL-2.0
/*
 * vserver: the "vserver" LSM -- blob sizes and hook registration.
 *
 * Each concern registers its own hooks: context.c task membership,
 * cred.c bounding capabilities, task.c process isolation, ccap.c what
 * context capabilities allow, global.c the host's global objects.
 */
#define pr_fmt(fmt) "vserver: " fmt

#include <linux/init.h>
#include <linux/lsm_hooks.h>
#include <uapi/linux/lsm.h>

#include "internal.h"

const struct lsm_id vserver_lsmid = {
	.name = "vserver",
	.id = LSM_ID_VSERVER,
};

struct lsm_blob_sizes vserver_blob_sizes __ro_after_init = {
	.lbs_cred = sizeof(struct vx_cred),
	.lbs_file = sizeof(struct vx_file),
	.lbs_inode = sizeof(struct vx_inode),
	.lbs_task = sizeof(struct vx_task),
	.lbs_sock = sizeof(struct vx_sock),
	.lbs_ipc = sizeof(struct vx_ipc),
};

static int __init vserver_init(void)
{
	vx_add_task_hooks();
	vx_add_cred_hooks();
	vx_add_isolation_hooks();
	vx_add_ccap_hooks();
	vx_add_global_hooks();

	/* network.c */
	nx_add_hooks();

	/* limit.c */
	vx_add_limit_hooks();

	/* sched.c */

	/* inode.c */
	vx_add_inode_hooks();

	pr_info("security contexts ready (VCI %04x:%04x)\n",
		VCI_VERSION >> 16, VCI_VERSION & 0xFFFF);
	return 0;
}

/*
 * Core code calls vserver directly (sys_vserver, do_exit, /proc, the
 * network stack), and those calls use vserver's blobs, which exist only
 * when the LSM is enabled.  So vserver is enabled whenever it is built
 * in: ordered last, like IMA and EVM, it cannot be left out by lsm=.
 */
DEFINE_LSM(vserver) = {
	.name = "vserver",
	.order = LSM_ORDER_LAST,
	.init = vserver_init,
	.blobs = &vserver_blob_sizes,
};
