// SPDX-License-Identifier: GPL-2.0
/*
 * make check-deb: an out-of-tree module, built against the
 * linux-headers-<release>-vserver package as a third-party driver would.
 */
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_init(void)
{
	pr_info("hello: built against the vserver headers\n");
	return 0;
}

static void __exit hello_exit(void)
{
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_DESCRIPTION("hello world, built against linux-headers-*-vserver");
MODULE_LICENSE("GPL");
