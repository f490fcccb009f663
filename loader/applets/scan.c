/* scan.c: `modload scan`: what an initramfs for this machine needs.
 *
 *   modload scan
 *
 * Prints facts about the running machine, one per line as "KEY VALUE", for
 * `mkinitramfs --host-only` here or `mkinitramfs --devices FILE` on another
 * machine (modpack --devices reads them). Lines starting with '#' are
 * comments; a reader ignores keys it does not know. Each group is sorted and
 * has no repeats; the groups come in this order:
 *
 *   # modload scan 1: kernel RELEASE MACHINE   the format's version; uname
 *   root-fs TYPE         filesystem type of "/" (/proc/self/mountinfo)
 *   root-dev NAME        the block devices under "/": the mounted one and
 *                        the slaves of dm and md devices, recursively (a
 *                        partition's disk is on the path below)
 *   root-modalias ALIAS  the modalias of every device from those block
 *                        devices up to /sys/devices (the controller, its bus
 *                        bridges, ...)
 *   root-module NAME     the module of every driver bound on that path
 *                        (driver/module), and dm_mod, dm_crypt, md_mod,
 *                        raid* for a dm or md device
 *   root-driver NAME     a driver bound on that path that is built in here
 *                        (no driver/module): may be a module elsewhere
 *   modalias ALIAS       every device under /sys/devices (the modalias file,
 *                        or MODALIAS= of uevent where a bus has only that)
 *   loaded NAME          the modules loaded now (/proc/modules)
 *
 * A root that is no block device (rootfs, tmpfs, NFS) gets a comment instead
 * of root-dev lines; a kernel without /proc/modules gets a comment instead of
 * loaded lines. Exit 0, 1 when /sys/devices cannot be read, 100 on a usage
 * error. (tests/unit/run-scan runs it on a made-up /sys and /proc.) */
#include "applets.h"
#include "config.h"
#include "devscan.h"
#include "fmt.h"
#include "log.h"
#include "readfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#define MAX_STACK 8 /* dm on md on ...: slaves followed this deep */

enum { ROOT_DEV, ROOT_MODALIAS, ROOT_MODULE, ROOT_DRIVER, MODALIAS, LOADED, NSETS };
/* Their keys, in this order. */
static const char keys[] = "root-dev\0root-modalias\0root-module\0root-driver\0modalias\0loaded";
/* Every fact, sorted: each string starts with its key's number ('0' + k),
 * so the groups come in the order of keys. */
static char **facts;
static size_t nfacts, cap;

static _Noreturn void out_of_memory(void)
{
	log_err("out of memory");
	exit(EXIT_SYSTEM);
}

static void add(int which, const char *s)
{
	size_t n = strlen(s), at = 0;
	char *f = malloc(n + 2);
	int c = 1;

	if (!f)
		out_of_memory();
	f[0] = (char)('0' + which);
	memcpy(f + 1, s, n + 1);
	while (at < nfacts && (c = strcmp(facts[at], f)) < 0)
		at++;
	if (!c) {
		free(f);
		return;
	}
	if (nfacts == cap) {
		char **v = realloc(facts, (cap = cap ? cap * 2 : 64) * sizeof *v);
		if (!v)
			out_of_memory();
		facts = v;
	}
	memmove(facts + at + 1, facts + at, (nfacts - at) * sizeof *facts);
	facts[at] = f;
	nfacts++;
}

static void add_modalias(void *ctx, const char *alias, const char *path)
{
	(void)ctx;
	(void)path;
	add(MODALIAS, alias);
}

/* The first line of the small file name (relative to dfd); -1 if unreadable. */
static int attr(int dfd, const char *name, char *buf, size_t cap)
{
	if (read_small(dfd, name, buf, cap) <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The modules a dm or md device needs beyond its slaves' drivers. */
static void stack_modules(int dev)
{
	char v[256];

	if (!attr(dev, "dm/uuid", v, sizeof v)) {
		add(ROOT_MODULE, "dm_mod");
		if (!strncmp(v, "CRYPT-", 6))
			add(ROOT_MODULE, "dm_crypt");
		else if (!strncmp(v, "mpath-", 6))
			add(ROOT_MODULE, "dm_multipath");
	}
	if (!attr(dev, "md/level", v, sizeof v)) {
		add(ROOT_MODULE, "md_mod");
		if (!strncmp(v, "raid", 4) && v[4] >= '4' && v[4] <= '6' && !v[5])
			add(ROOT_MODULE, "raid456");
		else if (v[0])
			add(ROOT_MODULE, v); /* raid0, raid1, raid10, linear */
	}
}

/* The block device fd (its sysfs directory, opened; named name): the same
 * for its slaves, then the modaliases and drivers of every directory from it
 * up to /sys/devices (inode top), walked through "..", which sysfs resolves
 * to the real parent. Closes fd. */
static void chain(int fd, const char *name, ino_t top, int depth)
{
	char buf[PATH_MAX];
	const char *b;
	struct stat st;
	dev_t fs = 0;

	add(ROOT_DEV, name);
	stack_modules(fd);
	int sfd = openat(fd, "slaves", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = sfd >= 0 ? fdopendir(sfd) : NULL;
	struct dirent *e;
	while (d && depth < MAX_STACK && (e = readdir(d))) {
		int s = e->d_name[0] == '.'
				? -1
				: openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s >= 0)
			chain(s, e->d_name, top, depth + 1);
	}
	if (d)
		closedir(d);
	/* Bounded, and only inside sysfs, whatever the directories say. */
	for (int up = 0;
	     fd >= 0 && up < 64 && !fstat(fd, &st) && st.st_ino != top && (!up || st.st_dev == fs);
	     up++) {
		fs = st.st_dev;
		if (!dev_modalias(fd, DEV_MODALIAS_FILE | DEV_MODALIAS_UEVENT, buf, sizeof buf))
			add(ROOT_MODALIAS, buf);
		if ((b = dev_link_base(fd, "driver/module", buf, sizeof buf)))
			add(ROOT_MODULE, b);
		else if ((b = dev_link_base(fd, "driver", buf, sizeof buf)))
			add(ROOT_DRIVER, b);
		int parent = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		close(fd);
		fd = parent;
	}
	if (fd >= 0)
		close(fd);
}

/* The root: its device from stat("/"), its type and source from the last
 * line of mountinfo whose mount point is "/". */
static void root_mount(void)
{
	char buf[PATH_MAX], *text, *cur, *line, *w;
	const char *type = NULL, *src = "?", *name;
	struct stat st;
	dev_t dev;
	size_t len;

	if (read_whole_file(AT_FDCWD, "/proc/self/mountinfo", 1u << 22, &text, &len) < 0) {
		out_printf("# root: no /proc/self/mountinfo\n");
		return;
	}
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - TYPE SOURCE ... */
	for (cur = text; (line = text_word(&cur, "\n"));) {
		int i = 0, root = 0;
		while ((w = text_word(&line, " ")) && strcmp(w, "-"))
			root |= i++ == 4 && !strcmp(w, "/");
		if (root && w && (w = text_word(&line, " "))) {
			type = w;
			src = (w = text_word(&line, " ")) ? w : "?";
		}
	}
	out_printf("root-fs %s\n", type ? type : "unknown");
	dev = stat("/", &st) ? 0 : st.st_dev;
	/* btrfs and others show an anonymous 0:N; the source names the disk. */
	if (!major(dev) && !stat(src, &st) && S_ISBLK(st.st_mode))
		dev = st.st_rdev;
	fmt_snprintf(buf, sizeof buf, "/sys/dev/block/%u:%u", major(dev), minor(dev));
	int fd = major(dev) ? open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd >= 0 && !stat("/sys/devices", &st) &&
	    (name = dev_link_base(AT_FDCWD, buf, buf, sizeof buf)))
		chain(fd, name, st.st_ino, 0);
	else {
		if (fd >= 0)
			close(fd);
		out_printf("# root: %s on %s is no block device\n", type ? type : "?", src);
	}
	free(text);
}

static void loaded(void)
{
	char *text, *cur, *line, *w;
	size_t len;
	int err;

	if ((err = read_whole_file(AT_FDCWD, "/proc/modules", 1u << 24, &text, &len)) < 0) {
		out_printf("# loaded: /proc/modules: %s\n", strerror(-err));
		return;
	}
	for (cur = text; (line = text_word(&cur, "\n"));)
		if ((w = text_word(&line, " ")))
			add(LOADED, w);
	free(text);
}

int scan_main(int argc, char **argv)
{
	struct utsname u = { 0 };
	int r;

	log_init("modload scan");
	if (argc > 1) {
		int help = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help");
		fd_printf(help ? 1 : 2, "usage: modload scan\n"
					"  print what an initramfs for this machine needs\n");
		return help ? 0 : EXIT_USAGE;
	}
	uname(&u); /* cannot fail; the fields stay empty if it did */
	out_printf("# modload scan 1: kernel %s %s\n", u.release, u.machine);
	root_mount();
	if ((r = devscan("/sys/devices", add_modalias, NULL)) < 0) {
		log_err("/sys/devices: %s", strerror(-r));
		return 1;
	}
	loaded();
	for (size_t i = 0; i < nfacts; i++)
		out_printf("%s %s\n", fmt_nth(keys, (unsigned)(facts[i][0] - '0')), facts[i] + 1);
	return 0;
}
