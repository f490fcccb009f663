/* test_remove.c: remove_words() says what kmod 30's rmmod and modprobe -r
 * say. The expected lines were printed by Debian's kmod in a mount
 * namespace with a fake /proc/modules and /sys/module (as run-applets makes
 * them) and the test tree's modules.dep and modules.builtin.bin, on a
 * kernel whose delete_module() says ENOSYS. kmod's library adds a line of
 * its own with a source location to a kernel refusal; the modprobe -r
 * refusal below is that line without the location. */
#include "remove.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int checks, failures;

static void check(enum remove_result r, unsigned style, const char *name, const char *arg,
		  const char *who, int err, const char *want)
{
	char buf[256];
	const char *got = remove_words(r, style, name, arg, who, err, buf, sizeof buf);

	checks++;
	if (want ? !got || strcmp(got, want) : got != NULL) {
		failures++;
		printf("FAIL: result %d style %u %s: want '%s', got '%s'\n", r, style, name,
		       want ? want : "(nothing)", got ? got : "(nothing)");
	}
}

int main(void)
{
	const unsigned mp = RW_MODPROBE;

	/* rmmod */
	check(RM_OK, 0, "ext4", "ext4", "", 0, NULL);
	check(RM_NOT_LOADED, 0, "e1000e", "e1000e", "", 0,
	      "ERROR: Module e1000e is not currently loaded");
	check(RM_NOT_LOADED, 0, "/x/y/ext4", "/x/y/ext4.ko", "", 0,
	      "ERROR: Module /x/y/ext4 is not currently loaded");
	check(RM_BUILTIN, 0, "zswap", "zswap", "", 0, "ERROR: Module zswap is builtin.");
	check(RM_IN_USE, 0, "snd", "snd", " snd_hda_intel snd_hda_codec", 0,
	      "ERROR: Module snd is in use by: snd_hda_intel snd_hda_codec");
	check(RM_IN_USE, 0, "snd_hda_intel", "snd-hda-intel", "", 0,
	      "ERROR: Module snd_hda_intel is in use");
	check(RM_NO_UNLOAD, 0, "loop", "loop", "", 0, "ERROR: Module unloading is not supported");
	check(RM_FAILED, 0, "ext4", "ext4.ko", "", -ENOSYS,
	      "ERROR: could not remove module ext4.ko: Function not implemented");
	/* modprobe -r */
	check(RM_OK, mp, "ext4", "ext4", "", 0, NULL);
	check(RM_NOT_LOADED, mp, "e1000e", "e1000e", "", 0, NULL);
	check(RM_NOT_LOADED, mp | RW_FIRST_TIME, "e1000e", "e1000e", "", 0,
	      "FATAL: Module e1000e is not in kernel.");
	check(RM_NOT_LOADED, mp | RW_ALL | RW_FIRST_TIME, "e1000e", "e1000e", "", 0,
	      "WARNING: Module e1000e is not in kernel.");
	check(RM_BUILTIN, mp, "binfmt_script", "binfmt_script", "", 0,
	      "FATAL: Module binfmt_script is builtin.");
	check(RM_BUILTIN, mp | RW_ALL, "binfmt_script", "binfmt_script", "", 0,
	      "WARNING: Module binfmt_script is builtin.");
	check(RM_IN_USE, mp, "snd", "snd", " snd_hda_intel snd_hda_codec", 0,
	      "FATAL: Module snd is in use.");
	check(RM_IN_USE, mp | RW_ALL, "snd", "snd", " snd_hda_intel", 0,
	      "WARNING: Module snd is in use.");
	check(RM_IN_USE, mp, "snd_hda_intel", "snd_hda_intel", "", 0,
	      "FATAL: Module snd_hda_intel is in use.");
	check(RM_FAILED, mp, "ext4", "fs-ext3", "", -ENOSYS,
	      "ERROR: could not remove 'ext4': Function not implemented");
	check(RM_NO_UNLOAD, mp, "loop", "loop", "", 0,
	      "ERROR: could not remove 'loop': Function not implemented");
	printf("test_remove: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
