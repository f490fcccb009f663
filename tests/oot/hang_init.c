// SPDX-License-Identifier: GPL-2.0
/* hang_init: a driver whose init never returns, for the loader's fault tests.
 * It names a device QEMU can add (pci-testdev, 1b36:0005) so that coldplug
 * loads it through the device's modalias. The init sleeps until the module
 * parameter release_after (seconds, 0 = forever) has passed, in a loop the
 * kernel cannot finish on its own: the insert never completes. */
#include <linux/delay.h>
#include <linux/module.h>

static unsigned int release_after;
module_param(release_after, uint, 0444);

static int __init hang_init(void)
{
	unsigned int waited = 0;

	pr_info("hang_init: init entered, not returning\n");
	while (!release_after || waited < release_after) {
		msleep(1000);
		waited++;
	}
	return 0;
}

static void __exit hang_exit(void)
{
}

module_init(hang_init);
module_exit(hang_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("test module whose init never returns");
MODULE_ALIAS("pci:v00001B36d00000005sv*sd*bc*sc*i*");
