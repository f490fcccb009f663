// SPDX-License-Identifier: GPL-2.0
/* unknown_sym: a driver the kernel refuses with "Unknown symbol", for the
 * loader's fault tests: it calls a function no kernel exports (the build
 * lets it through with KBUILD_MODPOST_WARN=1). It names QEMU's edu device
 * (1234:11e8) so that coldplug tries it through the device's modalias. */
#include <linux/module.h>

extern int modload_test_no_such_symbol(void);

static int __init unknown_sym_init(void)
{
	return modload_test_no_such_symbol();
}

module_init(unknown_sym_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("test module with an unresolved symbol");
MODULE_ALIAS("pci:v00001234d000011E8sv*sd*bc*sc*i*");
