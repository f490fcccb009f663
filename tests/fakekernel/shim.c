/* shim.c: a fake Linux kernel for the loader, as an LD_PRELOAD library (glibc).
 *
 * Everything lives below $FAKE_ROOT (a directory per test); nothing ever
 * reaches the real kernel's module syscalls. See tests/fakekernel/README.
 *
 *   syscalls   syscall(SYS_init_module / SYS_finit_module / SYS_delete_module)
 *              and the libc wrappers init_module, finit_module, delete_module.
 *              Any other syscall() goes to the real one.
 *   modules    The module's ELF image is read as the kernel reads it: name
 *              (.modinfo name=, else .gnu.linkonce.this_module), vermagic
 *              (its release must be the fake one, else ENOEXEC), a
 *              .gnu.linkonce.this_module section (else ENOEXEC), exports
 *              (__ksymtab_strings) and undefined symbols (.symtab), each of
 *              which must be exported by a module in the table (else ENOENT,
 *              "unknown symbol"), unless weak, starting with '_', or named by
 *              a "ksym" line. zstd images come through init_module
 *              (decompressed by the loader) or finit_module with
 *              MODULE_INIT_COMPRESSED_FILE when FAKE_ROOT/sys/module/compression
 *              says "zstd".
 *   table      FAKE_ROOT/run/fake-kernel/table, one line per module, under an
 *              flock, so threads and processes of one test share it; mirrored
 *              after every change into FAKE_ROOT/proc/modules and
 *              FAKE_ROOT/sys/module/NAME/{initstate,refcnt,holders/}.
 *              A second insert of a module in the table gives EEXIST.
 *   outcomes   FAKE_ROOT/fake-kernel.conf (read once per process):
 *                release REL               uname -r (default 6.1.0-fake)
 *                loaded NAME [SYM...]      in the table from the start (live)
 *                builtin NAME              /sys/module/NAME without initstate
 *                ksym SYM...               symbols the core kernel exports
 *                netlink off               socket(AF_NETLINK) fails
 *                uevent MS DEVPATH ALIAS   MS ms after the uevent socket is
 *                                          made, the device appears (sysfs
 *                                          dir + uevent message)
 *                NAME WORD...              per module: ok | hang | delay MS |
 *                                          tail MS (live, then the call
 *                                          returns MS ms later, as the kernel's
 *                                          init_module waits for all async
 *                                          work, other modules' scans too) |
 *                                          an errno name (EEXIST, ENOENT,
 *                                          ENOEXEC, EKEYREJECTED, ...) |
 *                                          spawns DEVPATH ALIAS (on success a
 *                                          child device appears) |
 *                                          creates /dev/PATH (on success;
 *                                          stat() shows it as a block device)
 *              An errno outcome is returned after the delay, without the
 *              module ever being visible; "hang" blocks in init for ever
 *              (the module stays "coming"), or rather while FAKE_ROOT exists:
 *              a coldplug child waits for its inserts in flight before it
 *              ends, and must not outlive its test.
 *   log        FAKE_ROOT/fake-kernel.log, one O_APPEND write per line:
 *                start NAME T_US           an insert began (any outcome)
 *                live NAME T_US            its init returned (/sys says live;
 *                                          the call returns after, see tail)
 *                end NAME RESULT T_US      ok, or the errno name returned
 *                rm NAME RESULT T_US       delete_module
 *              T_US is CLOCK_MONOTONIC in microseconds. The parameter string
 *              of every insert goes, whole, to FAKE_ROOT/fake-kernel.params
 *              as "NAME<TAB>PARAMS" lines.
 *   paths      Absolute paths below /sys, /lib/modules, /etc/modload*,
 *              /etc/modprobe.d, /proc/modules, /proc/cmdline,
 *              /proc/sys/kernel/tainted and /dev (but
 *              not /dev/null, /dev/zero, /dev/urandom, /dev/tty, /dev/fd,
 *              ...) are looked up below FAKE_ROOT instead, by open, openat,
 *              fopen, opendir, stat, lstat, fstatat, statx, access,
 *              faccessat, readlink and their glibc aliases.
 *   uname      the release is the fake one.
 *   uevents    socket(AF_NETLINK, *, NETLINK_KOBJECT_UEVENT) is an AF_UNIX
 *              datagram socket bound at FAKE_ROOT/run/uevent.sock; bind() on
 *              it succeeds, recvmsg() makes every message look like the
 *              kernel's (sender port 0, uid 0). Anything may send to it.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#define FK_PATH 4096
#define FK_NAME 64
#define FK_MAX_MODS 512
#define FK_MAX_RULES 512
#define FK_MAX_SOCKS 8
#define NETLINK_KOBJECT_UEVENT_ 15
#define MODULE_INIT_COMPRESSED_FILE_ 4
#define MODULE_INIT_IGNORE_VERMAGIC_ 2

/* ---- real functions ---- */

#define REAL(ret, name, ...)                                                        \
	static ret (*real_##name)(__VA_ARGS__);                                     \
	static ret (*get_##name(void))(__VA_ARGS__)                                 \
	{                                                                           \
		if (!real_##name)                                                   \
			real_##name = (ret(*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name); \
		return real_##name;                                                 \
	}

REAL(int, open, const char *, int, ...)
REAL(int, open64, const char *, int, ...)
REAL(int, __open_2, const char *, int)
REAL(int, __open64_2, const char *, int)
REAL(int, openat, int, const char *, int, ...)
REAL(int, openat64, int, const char *, int, ...)
REAL(int, __openat_2, int, const char *, int)
REAL(int, __openat64_2, int, const char *, int)
REAL(FILE *, fopen, const char *, const char *)
REAL(FILE *, fopen64, const char *, const char *)
REAL(DIR *, opendir, const char *)
REAL(int, stat, const char *, struct stat *)
REAL(int, stat64, const char *, struct stat64 *)
REAL(int, lstat, const char *, struct stat *)
REAL(int, lstat64, const char *, struct stat64 *)
REAL(int, fstatat, int, const char *, struct stat *, int)
REAL(int, fstatat64, int, const char *, struct stat64 *, int)
REAL(int, statx, int, const char *, int, unsigned, struct statx *)
REAL(int, access, const char *, int)
REAL(int, faccessat, int, const char *, int, int)
REAL(ssize_t, readlink, const char *, char *, size_t)
REAL(ssize_t, readlinkat, int, const char *, char *, size_t)
REAL(int, uname, struct utsname *)
REAL(int, socket, int, int, int)
REAL(int, bind, int, __CONST_SOCKADDR_ARG, socklen_t)
REAL(ssize_t, recvmsg, int, struct msghdr *, int)
REAL(int, close, int)
REAL(long, syscall, long, ...)

/* ---- the fake root and its configuration ---- */

struct rule {
	char name[FK_NAME];
	int err;      /* errno to return, 0 for success */
	int hang;     /* block in init for ever */
	long delay;   /* ms, before the outcome */
	long tail;    /* ms between going live and returning */
	char *spawns; /* "DEVPATH ALIAS" lines, '\n'-separated, or NULL */
	char *creates;
};

struct uev {
	long ms;
	char devpath[256], alias[256];
};

static struct {
	pthread_once_t once;
	const char *root;
	char release[65];
	struct rule rules[FK_MAX_RULES];
	int nrules;
	char *ksyms;   /* " a b c " */
	char *loaded;  /* "NAME SYM SYM\n" lines */
	char *builtin; /* " a b " */
	int netlink_off;
	struct uev uevents[64];
	int nuevents;
	int socks[FK_MAX_SOCKS]; /* fd + 1, 0 for a free slot */
} fk = { .once = PTHREAD_ONCE_INIT };

static pthread_mutex_t sock_lock = PTHREAD_MUTEX_INITIALIZER;

static void append(char **s, const char *a, const char *b)
{
	size_t n = *s ? strlen(*s) : 0, m = strlen(a) + strlen(b);
	char *t = realloc(*s, n + m + 1);
	if (!t)
		return;
	snprintf(t + n, m + 1, "%s%s", a, b);
	*s = t;
}

static int errno_by_name(const char *w)
{
	for (int e = 1; e < 200; e++) {
		const char *n = strerrorname_np(e);
		if (n && !strcmp(n, w))
			return e;
	}
	return -1;
}

static struct rule *rule_for(const char *name, int create)
{
	for (int i = 0; i < fk.nrules; i++)
		if (!strcmp(fk.rules[i].name, name))
			return &fk.rules[i];
	if (!create || fk.nrules == FK_MAX_RULES)
		return NULL;
	struct rule *r = &fk.rules[fk.nrules++];
	snprintf(r->name, sizeof r->name, "%s", name);
	return r;
}

static void conf_line(char *line)
{
	char *save = NULL, *w = strtok_r(line, " \t\n", &save), *a, *b;

	if (!w || w[0] == '#')
		return;
	if (!strcmp(w, "release")) {
		if ((a = strtok_r(NULL, " \t\n", &save)))
			snprintf(fk.release, sizeof fk.release, "%s", a);
	} else if (!strcmp(w, "ksym")) {
		if (!fk.ksyms)
			fk.ksyms = strdup(" "); /* " a b ": word_in wants a space before each */
		while ((a = strtok_r(NULL, " \t\n", &save)))
			append(&fk.ksyms, a, " ");
	} else if (!strcmp(w, "loaded")) {
		while ((a = strtok_r(NULL, " \t\n", &save)))
			append(&fk.loaded, a, " ");
		append(&fk.loaded, "\n", "");
	} else if (!strcmp(w, "builtin")) {
		while ((a = strtok_r(NULL, " \t\n", &save)))
			append(&fk.builtin, a, " ");
	} else if (!strcmp(w, "netlink")) {
		a = strtok_r(NULL, " \t\n", &save);
		fk.netlink_off = a && !strcmp(a, "off");
	} else if (!strcmp(w, "uevent")) {
		char *ms = strtok_r(NULL, " \t\n", &save);
		a = strtok_r(NULL, " \t\n", &save);
		b = strtok_r(NULL, " \t\n", &save);
		if (ms && a && b && fk.nuevents < 64) {
			struct uev *u = &fk.uevents[fk.nuevents++];
			u->ms = atol(ms);
			snprintf(u->devpath, sizeof u->devpath, "%s", a);
			snprintf(u->alias, sizeof u->alias, "%s", b);
		}
	} else {
		struct rule *r = rule_for(w, 1);
		if (!r)
			return;
		while ((a = strtok_r(NULL, " \t\n", &save))) {
			int arity =
				!strcmp(a, "delay") || !strcmp(a, "tail") || !strcmp(a, "creates")
					? 1
				: !strcmp(a, "spawns") ? 2
						       : 0;
			char *x = arity ? strtok_r(NULL, " \t\n", &save) : NULL;
			char *y = arity == 2 && x ? strtok_r(NULL, " \t\n", &save) : NULL;
			if (arity && (!x || (arity == 2 && !y)))
				fprintf(stderr, "fake-kernel: %s: '%s' needs %d argument(s)\n", w,
					a, arity);
			else if (!strcmp(a, "ok"))
				r->err = 0;
			else if (!strcmp(a, "hang"))
				r->hang = 1;
			else if (!strcmp(a, "delay"))
				r->delay = atol(x);
			else if (!strcmp(a, "tail"))
				r->tail = atol(x);
			else if (!strcmp(a, "creates"))
				append(&r->creates, x, "\n");
			else if (!strcmp(a, "spawns")) {
				append(&r->spawns, x, " ");
				append(&r->spawns, y, "\n");
			} else if (errno_by_name(a) > 0)
				r->err = errno_by_name(a);
			else
				fprintf(stderr, "fake-kernel: %s: unknown outcome '%s'\n", w, a);
		}
	}
}

static void fk_init(void)
{
	char path[FK_PATH], line[1024];
	FILE *f;

	fk.root = getenv("FAKE_ROOT");
	if (fk.root && !*fk.root)
		fk.root = NULL;
	snprintf(fk.release, sizeof fk.release, "%s", "6.1.0-fake");
	if (!fk.root)
		return;
	snprintf(path, sizeof path, "%s/fake-kernel.conf", fk.root);
	f = get_fopen()(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof line, f))
		conf_line(line);
	fclose(f);
}

static int lock_table(void);
static void table_setup(void);

static void fk_init_all(void)
{
	fk_init();
	if (fk.root) {
		int fd = lock_table();
		table_setup();
		get_close()(fd);
	}
}

static const char *root(void)
{
	pthread_once(&fk.once, fk_init_all);
	return fk.root;
}

__attribute__((constructor)) static void fk_constructor(void)
{
	root();
}

/* ---- path redirection ---- */

static int has_prefix(const char *p, const char *pre)
{
	size_t n = strlen(pre);
	return !strncmp(p, pre, n) && (p[n] == '\0' || p[n] == '/');
}

static int redirected(const char *p)
{
	static const char *const keep[] = { "/dev/null",   "/dev/zero",	   "/dev/full",
					    "/dev/random", "/dev/urandom", "/dev/tty",
					    "/dev/stdin",  "/dev/stdout",  "/dev/stderr",
					    "/dev/fd",	   "/dev/pts",	   "/dev/shm" };

	if (!p || p[0] != '/')
		return 0;
	if (has_prefix(p, "/dev")) {
		for (size_t i = 0; i < sizeof keep / sizeof *keep; i++)
			if (has_prefix(p, keep[i]))
				return 0;
		return 1;
	}
	return has_prefix(p, "/sys") || has_prefix(p, "/lib/modules") ||
	       has_prefix(p, "/proc/modules") || has_prefix(p, "/proc/cmdline") ||
	       has_prefix(p, "/proc/sys/kernel/tainted") || has_prefix(p, "/etc/modprobe.d") ||
	       !strncmp(p, "/etc/modload", 12);
}

/* The path to use for p: p itself, or buf holding FAKE_ROOT + p. */
static const char *fk_path(const char *p, char *buf)
{
	const char *r = root();
	if (!r || !redirected(p))
		return p;
	if ((size_t)snprintf(buf, FK_PATH, "%s%s", r, p) >= FK_PATH)
		return p;
	return buf;
}

#define MODE_ARG(flags, mode)                            \
	do {                                             \
		if ((flags) & (O_CREAT | __O_TMPFILE)) { \
			va_list ap;                      \
			va_start(ap, flags);             \
			mode = va_arg(ap, mode_t);       \
			va_end(ap);                      \
		}                                        \
	} while (0)

/* /dev/kmsg takes one record per write, never overwriting: a plain file
 * behaves so only when opened for appending. */
static int kmsg_flags(const char *p, int flags)
{
	return p && !strcmp(p, "/dev/kmsg") && (flags & O_ACCMODE) != O_RDONLY ? flags | O_APPEND
									       : flags;
}

int open(const char *p, int flags, ...)
{
	char b[FK_PATH];
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return get_open()(fk_path(p, b), kmsg_flags(p, flags), mode);
}

int open64(const char *p, int flags, ...)
{
	char b[FK_PATH];
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return get_open64()(fk_path(p, b), kmsg_flags(p, flags), mode);
}

int __open_2(const char *p, int flags)
{
	char b[FK_PATH];
	return get___open_2()(fk_path(p, b), flags);
}

int __open64_2(const char *p, int flags)
{
	char b[FK_PATH];
	return get___open64_2()(fk_path(p, b), flags);
}

int openat(int dfd, const char *p, int flags, ...)
{
	char b[FK_PATH];
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return get_openat()(dfd, fk_path(p, b), kmsg_flags(p, flags), mode);
}

int openat64(int dfd, const char *p, int flags, ...)
{
	char b[FK_PATH];
	mode_t mode = 0;
	MODE_ARG(flags, mode);
	return get_openat64()(dfd, fk_path(p, b), kmsg_flags(p, flags), mode);
}

int __openat_2(int dfd, const char *p, int flags)
{
	char b[FK_PATH];
	return get___openat_2()(dfd, fk_path(p, b), flags);
}

int __openat64_2(int dfd, const char *p, int flags)
{
	char b[FK_PATH];
	return get___openat64_2()(dfd, fk_path(p, b), flags);
}

FILE *fopen(const char *p, const char *mode)
{
	char b[FK_PATH];
	return get_fopen()(fk_path(p, b), mode);
}

FILE *fopen64(const char *p, const char *mode)
{
	char b[FK_PATH];
	return get_fopen64()(fk_path(p, b), mode);
}

DIR *opendir(const char *p)
{
	char b[FK_PATH];
	return get_opendir()(fk_path(p, b));
}

/* A device the fake kernel made ("creates /dev/PATH") is a regular file
 * marked with the sticky bit (side_effects), and stat() says it is a block
 * device (the loader checks S_ISBLK for root= paths; tests cannot mknod).
 * Every other file under /dev, FAKE_ROOT/dev/kmsg say, is what it is. */
#define FK_DEV_MARK S_ISVTX
static int as_block_dev(int r, mode_t *mode)
{
	if (r == 0 && S_ISREG(*mode) && (*mode & FK_DEV_MARK))
		*mode = (*mode & ~(mode_t)(S_IFMT | FK_DEV_MARK)) | S_IFBLK;
	return r;
}

int stat(const char *p, struct stat *st)
{
	char b[FK_PATH];
	return as_block_dev(get_stat()(fk_path(p, b), st), &st->st_mode);
}

int stat64(const char *p, struct stat64 *st)
{
	char b[FK_PATH];
	return as_block_dev(get_stat64()(fk_path(p, b), st), &st->st_mode);
}

int lstat(const char *p, struct stat *st)
{
	char b[FK_PATH];
	return get_lstat()(fk_path(p, b), st);
}

int lstat64(const char *p, struct stat64 *st)
{
	char b[FK_PATH];
	return get_lstat64()(fk_path(p, b), st);
}

int fstatat(int dfd, const char *p, struct stat *st, int flags)
{
	char b[FK_PATH];
	return as_block_dev(get_fstatat()(dfd, fk_path(p, b), st, flags), &st->st_mode);
}

int fstatat64(int dfd, const char *p, struct stat64 *st, int flags)
{
	char b[FK_PATH];
	return as_block_dev(get_fstatat64()(dfd, fk_path(p, b), st, flags), &st->st_mode);
}

int statx(int dfd, const char *p, int flags, unsigned mask, struct statx *st)
{
	char b[FK_PATH];
	return get_statx()(dfd, fk_path(p, b), flags, mask, st);
}

int access(const char *p, int mode)
{
	char b[FK_PATH];
	return get_access()(fk_path(p, b), mode);
}

int faccessat(int dfd, const char *p, int mode, int flags)
{
	char b[FK_PATH];
	return get_faccessat()(dfd, fk_path(p, b), mode, flags);
}

ssize_t readlink(const char *p, char *buf, size_t len)
{
	char b[FK_PATH];
	return get_readlink()(fk_path(p, b), buf, len);
}

ssize_t readlinkat(int dfd, const char *p, char *buf, size_t len)
{
	char b[FK_PATH];
	return get_readlinkat()(dfd, fk_path(p, b), buf, len);
}

int uname(struct utsname *u)
{
	int r = get_uname()(u);
	if (r == 0 && root())
		snprintf(u->release, sizeof u->release, "%s", fk.release);
	return r;
}

/* ---- small file helpers (on paths already inside FAKE_ROOT) ---- */

static void rpath(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rpath(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(buf, FK_PATH, "%s/", fk.root);
	va_start(ap, fmt);
	vsnprintf(buf + n, FK_PATH - (size_t)n, fmt, ap);
	va_end(ap);
}

static void mkdirs(const char *path)
{
	char b[FK_PATH];
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return;
	snprintf(b, sizeof b, "%s", path);
	for (char *p = b + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(b, 0755);
			*p = '/';
		}
	mkdir(b, 0755);
}

static void write_file(const char *path, const char *data, size_t len)
{
	char tmp[FK_PATH + 16];
	snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)gettid());
	int fd = get_open()(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w <= 0)
			break;
		data += w;
		len -= (size_t)w;
	}
	get_close()(fd);
	rename(tmp, path);
}

static char *read_file(const char *path, size_t *len)
{
	int fd = get_open()(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *s = NULL;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0 && (s = malloc((size_t)st.st_size + 1))) {
		ssize_t r;
		while (n < (size_t)st.st_size && (r = read(fd, s + n, (size_t)st.st_size - n)) > 0)
			n += (size_t)r;
		s[n] = '\0';
	}
	get_close()(fd);
	if (len)
		*len = n;
	return s;
}

static void rm_tree(const char *path)
{
	DIR *d = get_opendir()(path);
	struct dirent *e;
	char sub[FK_PATH + 256];

	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			if (e->d_type == DT_DIR)
				rm_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(path);
	unlink(path);
}

/* 1 while the test's root is there (not through the redirecting wrappers). */
static int root_exists(void)
{
	return syscall(SYS_faccessat, AT_FDCWD, fk.root, F_OK, 0) == 0;
}

static long long now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* One line (at most 511 bytes) in one O_APPEND write to FAKE_ROOT/rel;
 * extra_flags: O_CREAT, or 0 to write only to a file that exists. */
static void fk_append(const char *rel, int extra_flags, const char *fmt, va_list ap)
{
	char path[FK_PATH], line[512];
	int n = vsnprintf(line, sizeof line, fmt, ap), fd;

	if (n < 0)
		return;
	if (n >= (int)sizeof line)
		n = (int)sizeof line - 1;
	rpath(path, rel);
	fd = get_open()(path, O_WRONLY | O_APPEND | O_CLOEXEC | extra_flags, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n)
		fprintf(stderr, "fake-kernel: short write to %s\n", rel);
	get_close()(fd);
}

static void fk_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fk_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fk_append("fake-kernel.log", O_CREAT, fmt, ap);
	va_end(ap);
}

/* A kernel message, as the kernel would print it, to FAKE_ROOT/dev/kmsg (when
 * that file exists: the loader's own messages go there too). */
static void fk_dmesg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fk_dmesg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fk_append("dev/kmsg", 0, fmt, ap);
	va_end(ap);
}

static const char *ename(int e)
{
	const char *n = e ? strerrorname_np(e) : "ok";
	return n ? n : "E?";
}

/* ---- the module table ---- */

struct mod {
	char name[FK_NAME];
	char state[8]; /* coming, live */
	char *exports; /* " a b " */
	char *uses;    /* " x y " modules whose symbols it uses */
};

struct table {
	struct mod m[FK_MAX_MODS];
	int n;
	int lockfd;
};

static int lock_table(void)
{
	static int made;
	char path[FK_PATH];
	if (!made) {
		rpath(path, "run/fake-kernel");
		mkdirs(path);
		made = 1;
	}
	rpath(path, "run/fake-kernel/lock");
	int fd = get_open()(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
	return fd;
}

static int word_in(const char *list, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = list; p && (p = strstr(p, w)); p += n)
		if (p > list && p[-1] == ' ' && p[n] == ' ')
			return 1;
	return 0;
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->m[i].exports);
		free(t->m[i].uses);
	}
	t->n = 0;
}

static struct mod *table_find(struct table *t, const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->m[i].name, name))
			return &t->m[i];
	return NULL;
}

static struct mod *table_add(struct table *t, const char *name, const char *state,
			     const char *exports, const char *uses)
{
	if (t->n == FK_MAX_MODS)
		return NULL;
	struct mod *m = &t->m[t->n++];
	memset(m, 0, sizeof *m);
	snprintf(m->name, sizeof m->name, "%s", name);
	snprintf(m->state, sizeof m->state, "%s", state);
	m->exports = strdup(exports);
	m->uses = strdup(uses);
	return m;
}

/* Line format: NAME STATE|EXPORTS|USES (lists space-separated). */
static void table_read(struct table *t)
{
	char path[FK_PATH];
	char *text, *save = NULL;

	t->n = 0;
	rpath(path, "run/fake-kernel/table");
	text = read_file(path, NULL);
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *f1 = strchr(l, '|'), *f2 = f1 ? strchr(f1 + 1, '|') : NULL;
		char name[FK_NAME], state[8];
		if (!f2 || sscanf(l, "%63s %7s", name, state) != 2)
			continue;
		*f1 = *f2 = '\0';
		if (!table_add(t, name, state, f1 + 1, f2 + 1))
			break;
	}
	free(text);
}

static int refcnt(const struct table *t, const char *name, char *holders, size_t cap)
{
	int n = 0;
	size_t used = 0;
	holders[0] = '\0';
	for (int i = 0; i < t->n; i++)
		if (word_in(t->m[i].uses, name)) {
			n++;
			if (used < cap)
				used += (size_t)snprintf(holders + used, cap - used, "%s,",
							 t->m[i].name);
		}
	return n;
}

/* /sys/module/NAME of one module in the table: initstate, refcnt, holders/. */
static void sys_update(const struct table *t, const struct mod *m)
{
	char path[FK_PATH], sub[FK_PATH + 300], holders[4096], line[64];
	int rc = refcnt(t, m->name, holders, sizeof holders);

	rpath(path, "sys/module/%s/holders", m->name);
	mkdirs(path);
	rpath(path, "sys/module/%s/initstate", m->name);
	snprintf(line, sizeof line, "%s\n", m->state);
	write_file(path, line, strlen(line));
	rpath(path, "sys/module/%s/refcnt", m->name);
	snprintf(line, sizeof line, "%d\n", rc);
	write_file(path, line, strlen(line));
	for (char *h = holders, *c; *h && (c = strchr(h, ',')); h = c + 1) {
		*c = '\0';
		rpath(path, "sys/module/%s/holders/%s", m->name, h);
		snprintf(sub, sizeof sub, "../../%s", h);
		if (symlink(sub, path) < 0 && errno != EEXIST)
			fprintf(stderr, "fake-kernel: %s: %s\n", path, strerror(errno));
	}
}

/* Write the table and /proc/modules; refresh /sys/module for changed (NULL:
 * every module) and the modules it uses, whose reference counts changed. */
static void table_write(const struct table *t, const struct mod *changed)
{
	char path[FK_PATH], holders[4096];
	char *tab = NULL, *proc = NULL;

	for (int i = 0; i < t->n; i++) {
		const struct mod *m = &t->m[i];
		char line[4400];
		append(&tab, m->name, " ");
		append(&tab, m->state, " |");
		append(&tab, m->exports, "|");
		append(&tab, m->uses, "\n");
		int rc = refcnt(t, m->name, holders, sizeof holders);
		snprintf(line, sizeof line, "%s 16384 %d %s %s 0x0000000000000000\n", m->name, rc,
			 *holders ? holders : "-", !strcmp(m->state, "live") ? "Live" : "Loading");
		append(&proc, line, "");
		if (!changed || m == changed || word_in(changed->uses, m->name))
			sys_update(t, m);
	}
	rpath(path, "run/fake-kernel/table");
	write_file(path, tab ? tab : "", tab ? strlen(tab) : 0);
	rpath(path, "proc/modules");
	write_file(path, proc ? proc : "", proc ? strlen(proc) : 0);
	free(tab);
	free(proc);
}

/* A module left the table: its sysfs directory and the holder links to it. */
static void sys_forget(const struct mod *m)
{
	char path[FK_PATH];
	rpath(path, "sys/module/%s", m->name);
	rm_tree(path);
	char *uses = strdup(m->uses ? m->uses : ""), *save = NULL;
	for (char *u = uses ? strtok_r(uses, " ", &save) : NULL; u;
	     u = strtok_r(NULL, " ", &save)) {
		rpath(path, "sys/module/%s/holders/%s", u, m->name);
		unlink(path);
	}
	free(uses);
}

/* The first process to use a fake root sets up its starting state: the
 * directories, the "loaded" and "builtin" modules. Table lock held. */
static void table_setup(void)
{
	static struct table t;
	static const char *const dirs[] = { "sys/module", "sys/devices", "proc", "dev", "etc" };
	char path[FK_PATH];
	struct stat st;

	rpath(path, "run/fake-kernel/table");
	if (get_stat()(path, &st) == 0)
		return;
	for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
		rpath(path, "%s", dirs[i]);
		mkdirs(path);
	}
	t.n = 0;
	char *copy = fk.loaded ? strdup(fk.loaded) : NULL, *save = NULL;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *s2 = NULL, *name = strtok_r(l, " ", &s2), *w, *exports = strdup(" ");
		while (name && (w = strtok_r(NULL, " ", &s2)))
			append(&exports, w, " ");
		if (name && exports)
			table_add(&t, name, "live", exports, " ");
		free(exports);
	}
	free(copy);
	copy = fk.builtin ? strdup(fk.builtin) : NULL;
	for (char *w = copy ? strtok_r(copy, " ", &save) : NULL; w;
	     w = strtok_r(NULL, " ", &save)) {
		rpath(path, "sys/module/%s/parameters", w);
		mkdirs(path);
	}
	free(copy);
	table_write(&t, NULL);
	table_free(&t);
}

/* ---- reading a module image ---- */

struct image {
	char name[FK_NAME];
	char vermagic[128];
	int this_module;
	char *exports; /* " a b " */
	char *undef;   /* " x y " (non-weak, resolvable) */
};

static const Elf64_Shdr *section(const unsigned char *p, size_t len, const char *want)
{
	const Elf64_Ehdr *eh = (const void *)p;
	if (eh->e_shoff > len || eh->e_shnum == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    (len - eh->e_shoff) / sizeof(Elf64_Shdr) < eh->e_shnum || eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	const Elf64_Shdr *sh = (const void *)(p + eh->e_shoff), *str = &sh[eh->e_shstrndx];
	if (str->sh_offset > len || str->sh_size > len - str->sh_offset)
		return NULL;
	for (unsigned i = 1; i < eh->e_shnum; i++) {
		if (sh[i].sh_name >= str->sh_size)
			continue;
		const char *n = (const char *)p + str->sh_offset + sh[i].sh_name;
		if (strnlen(n, str->sh_size - sh[i].sh_name) == strlen(want) && !strcmp(n, want)) {
			if (sh[i].sh_type == SHT_NOBITS || sh[i].sh_offset > len ||
			    sh[i].sh_size > len - sh[i].sh_offset)
				return NULL;
			return &sh[i];
		}
	}
	return NULL;
}

static int parse_image(const void *data, size_t len, struct image *im)
{
	const unsigned char *p = data;
	const Elf64_Ehdr *eh = data;
	const Elf64_Shdr *s;

	memset(im, 0, sizeof *im);
	im->exports = strdup(" ");
	im->undef = strdup(" ");
	if (len < sizeof *eh || memcmp(p, ELFMAG, SELFMAG) || p[EI_CLASS] != ELFCLASS64 ||
	    eh->e_type != ET_REL)
		return -ENOEXEC;
	if ((s = section(p, len, ".modinfo"))) {
		const char *m = (const char *)p + s->sh_offset, *end = m + s->sh_size;
		while (m < end) {
			size_t n = strnlen(m, (size_t)(end - m));
			if (n > 5 && !strncmp(m, "name=", 5) && n - 5 < FK_NAME)
				snprintf(im->name, sizeof im->name, "%.*s", (int)(n - 5), m + 5);
			if (n > 9 && !strncmp(m, "vermagic=", 9))
				snprintf(im->vermagic, sizeof im->vermagic, "%.*s", (int)(n - 9),
					 m + 9);
			m += n + 1;
		}
	}
	if ((s = section(p, len, ".gnu.linkonce.this_module"))) {
		im->this_module = 1;
		if (!im->name[0] && s->sh_size >= 24 + FK_NAME)
			snprintf(im->name, sizeof im->name, "%.*s", FK_NAME - 1,
				 (const char *)p + s->sh_offset + 24);
	}
	if ((s = section(p, len, "__ksymtab_strings"))) {
		const char *m = (const char *)p + s->sh_offset, *end = m + s->sh_size;
		while (m < end) {
			size_t n = strnlen(m, (size_t)(end - m));
			if (n) {
				char w[256];
				snprintf(w, sizeof w, "%.*s", (int)n, m);
				append(&im->exports, w, " ");
			}
			m += n + 1;
		}
	}
	const Elf64_Shdr *sym = section(p, len, ".symtab");
	if (sym) {
		const Elf64_Shdr *sh = (const void *)(p + eh->e_shoff);
		if (sym->sh_link >= eh->e_shnum)
			return -ENOEXEC;
		const Elf64_Shdr *str = &sh[sym->sh_link];
		if (str->sh_offset > len || str->sh_size > len - str->sh_offset)
			return -ENOEXEC;
		const Elf64_Sym *e = (const void *)(p + sym->sh_offset);
		for (size_t i = 1; i < sym->sh_size / sizeof *e; i++) {
			if (e[i].st_shndx != SHN_UNDEF || e[i].st_name >= str->sh_size ||
			    ELF64_ST_BIND(e[i].st_info) == STB_WEAK)
				continue;
			const char *n = (const char *)p + str->sh_offset + e[i].st_name;
			size_t nl = strnlen(n, str->sh_size - e[i].st_name);
			if (nl == 0 || nl >= 256 || n[0] == '_' || n[nl] != '\0')
				continue;
			append(&im->undef, n, " ");
		}
	}
	return im->name[0] ? 0 : -ENOEXEC;
}

static void image_free(struct image *im)
{
	free(im->exports);
	free(im->undef);
}

/* ---- devices and uevents ---- */

static void uevent_send(const char *devpath, const char *alias)
{
	static unsigned seq;
	char path[FK_PATH], msg[1024];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int n;

	rpath(path, "run/uevent.sock");
	if (strlen(path) >= sizeof sa.sun_path)
		return;
	strcpy(sa.sun_path, path);
	n = snprintf(msg, sizeof msg,
		     "add@%s%cACTION=add%cDEVPATH=%s%cSUBSYSTEM=fake%cMODALIAS=%s%cSEQNUM=%u",
		     devpath, 0, 0, devpath, 0, 0, alias, 0,
		     __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	int fd = get_socket()(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, msg, (size_t)n + 1, 0, (struct sockaddr *)&sa, sizeof sa) < 0 &&
	    errno != ENOENT && errno != ECONNREFUSED)
		fprintf(stderr, "fake-kernel: uevent for %s: %s\n", devpath, strerror(errno));
	get_close()(fd);
}

/* A device appears: FAKE_ROOT/sys/DEVPATH with modalias and uevent, then its uevent. */
static void device_add(const char *devpath, const char *alias)
{
	char path[FK_PATH], text[600];
	rpath(path, "sys%s", devpath);
	mkdirs(path);
	rpath(path, "sys%s/modalias", devpath);
	snprintf(text, sizeof text, "%s\n", alias);
	write_file(path, text, strlen(text));
	rpath(path, "sys%s/uevent", devpath);
	snprintf(text, sizeof text, "SUBSYSTEM=fake\nMODALIAS=%s\n", alias);
	write_file(path, text, strlen(text));
	uevent_send(devpath, alias);
}

static void *uevent_thread(void *arg)
{
	long long t0 = *(long long *)arg;
	free(arg);
	for (int i = 0; i < fk.nuevents; i++) {
		long long wait = t0 + fk.uevents[i].ms * 1000 - now_us();
		if (wait > 0)
			usleep((useconds_t)wait);
		device_add(fk.uevents[i].devpath, fk.uevents[i].alias);
	}
	return NULL;
}

/* ---- insert and remove ---- */

static void record_params(const char *name, const char *params)
{
	char path[FK_PATH];
	size_t n = strlen(name) + strlen(params) + 3;
	char *line = malloc(n);
	if (!line)
		return;
	snprintf(line, n, "%s\t%s\n", name, params);
	rpath(path, "fake-kernel.params");
	int fd = get_open()(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, line, n - 1) != (ssize_t)(n - 1))
			fprintf(stderr, "fake-kernel: short params write\n");
		get_close()(fd);
	}
	free(line);
}

/* Which module exports sym: 1 found live, 0 none, -1 only a coming one. */
static int resolve(struct table *t, const char *sym, const char *self, char *owner)
{
	int coming = 0;
	if (word_in(fk.ksyms, sym))
		return owner[0] = '\0', 1;
	for (int i = 0; i < t->n; i++) {
		if (!strcmp(t->m[i].name, self) || !word_in(t->m[i].exports, sym))
			continue;
		if (!strcmp(t->m[i].state, "live")) {
			snprintf(owner, FK_NAME, "%s", t->m[i].name);
			return 1;
		}
		coming = 1;
	}
	return coming ? -1 : 0;
}

static void side_effects(const struct rule *r)
{
	char path[FK_PATH];
	char *copy = r && r->creates ? strdup(r->creates) : NULL, *save = NULL;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char b[FK_PATH];
		snprintf(path, sizeof path, "%s", fk_path(l, b));
		char *slash = strrchr(path, '/');
		if (slash) {
			*slash = '\0';
			mkdirs(path);
			*slash = '/';
		}
		write_file(path, "", 0);
		if (chmod(path, 0644 | FK_DEV_MARK) < 0)
			fprintf(stderr, "fake-kernel: cannot mark %s as a device: %s\n", path,
				strerror(errno));
	}
	free(copy);
	copy = r && r->spawns ? strdup(r->spawns) : NULL;
	for (char *l = copy ? strtok_r(copy, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');
		if (sp) {
			*sp = '\0';
			device_add(l, sp + 1);
		}
	}
	free(copy);
}

static int fake_load(const void *data, size_t len, const char *params, int flags)
{
	static struct table t; /* guarded by the table lock; large, so not on the stack */
	static pthread_mutex_t tlock = PTHREAD_MUTEX_INITIALIZER;
	struct image im;
	const struct rule *r;
	int err, fd;

	if (!root()) {
		fprintf(stderr, "fake-kernel: FAKE_ROOT is not set; refusing to load a module\n");
		return -EPERM;
	}
	err = parse_image(data, len, &im);
	const char *name = im.name[0] ? im.name : "?";
	fk_log("start %s %lld\n", name, now_us());
	record_params(name, params ? params : "");
	if (err)
		goto out;
	char want[80];
	snprintf(want, sizeof want, "%s", fk.release);
	if (!(flags & MODULE_INIT_IGNORE_VERMAGIC_) && im.vermagic[0] &&
	    (strncmp(im.vermagic, want, strlen(want)) ||
	     (im.vermagic[strlen(want)] && im.vermagic[strlen(want)] != ' '))) {
		fk_dmesg("<3>%s: version magic '%s' should be '%s'\n", name, im.vermagic, want);
		err = -ENOEXEC;
		goto out;
	}
	if (!im.this_module) {
		err = -ENOEXEC;
		goto out;
	}
	r = rule_for(name, 0);
	if (r && r->delay > 0 && r->err)
		usleep((useconds_t)(r->delay * 1000));
	if (r && r->err) {
		err = -r->err;
		if (r->err == EEXIST) { /* loaded meanwhile by someone else */
			pthread_mutex_lock(&tlock);
			fd = lock_table();
			table_read(&t);
			if (!table_find(&t, name)) {
				table_write(&t, table_add(&t, name, "live", im.exports, " "));
			}
			table_free(&t);
			get_close()(fd);
			pthread_mutex_unlock(&tlock);
		}
		goto out;
	}

	/* In the table as "coming", symbols resolved; a coming exporter is waited for. */
	for (long long deadline = now_us() + 30000000LL;;) {
		int waiting = 0;
		char *undef = strdup(im.undef), *save = NULL, owner[FK_NAME];
		char *uses = strdup(" ");
		pthread_mutex_lock(&tlock);
		fd = lock_table();
		table_read(&t);
		err = table_find(&t, name) ? -EEXIST : 0;
		for (char *u = undef ? strtok_r(undef, " ", &save) : NULL; u && !err && !waiting;
		     u = strtok_r(NULL, " ", &save)) {
			int k = resolve(&t, u, name, owner);
			if (k == 0) {
				fk_dmesg("<3>%s: Unknown symbol %s (err -2)\n", name, u);
				err = -ENOENT;
			} else if (k < 0)
				waiting = 1;
			else if (owner[0] && !word_in(uses, owner))
				append(&uses, owner, " ");
		}
		if (!err && !waiting) {
			table_write(&t, table_add(&t, name, "coming", im.exports, uses));
		}
		table_free(&t);
		get_close()(fd);
		pthread_mutex_unlock(&tlock);
		free(undef);
		free(uses);
		if (!waiting)
			break;
		if (now_us() > deadline) {
			err = -EBUSY;
			break;
		}
		usleep(1000);
	}
	if (err)
		goto out;
	if (r && r->delay > 0)
		usleep((useconds_t)(r->delay * 1000));
	while (r && r->hang && root_exists())
		usleep(100000);
	pthread_mutex_lock(&tlock);
	fd = lock_table();
	table_read(&t);
	struct mod *m = table_find(&t, name);
	if (m)
		snprintf(m->state, sizeof m->state, "live");
	fk_log("live %s %lld\n", name, now_us()); /* before anyone can see it */
	table_write(&t, m);
	table_free(&t);
	get_close()(fd);
	pthread_mutex_unlock(&tlock);
	side_effects(r);
	if (r && r->tail > 0)
		usleep((useconds_t)(r->tail * 1000));
out:
	fk_log("end %s %s %lld\n", name, ename(-err), now_us());
	image_free(&im);
	return err;
}

static int fake_delete(const char *name, unsigned flags)
{
	static struct table t;
	static pthread_mutex_t tlock = PTHREAD_MUTEX_INITIALIZER;
	char holders[4096];
	int err = 0;

	(void)flags;
	if (!root())
		return -EPERM;
	pthread_mutex_lock(&tlock);
	int fd = lock_table();
	table_read(&t);
	struct mod *m = table_find(&t, name);
	if (!m)
		err = -ENOENT;
	else if (strcmp(m->state, "live"))
		err = -EBUSY;
	else if (refcnt(&t, name, holders, sizeof holders) > 0)
		err = -EWOULDBLOCK;
	else {
		sys_forget(m);
		free(m->exports);
		free(m->uses);
		*m = t.m[--t.n];
		table_write(&t, NULL);
	}
	table_free(&t);
	get_close()(fd);
	pthread_mutex_unlock(&tlock);
	fk_log("rm %s %s %lld\n", name, ename(-err), now_us());
	return err;
}

/* The bytes of an open module file; *buf must be freed. */
static int read_fd(int fd, int flags, void **buf, size_t *len)
{
	struct stat st;
	char path[FK_PATH];

	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	void *map = st.st_size ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
			       : MAP_FAILED;
	if (map == MAP_FAILED)
		return -ENOEXEC;
	if (!(flags & MODULE_INIT_COMPRESSED_FILE_)) {
		*buf = malloc((size_t)st.st_size);
		if (*buf)
			memcpy(*buf, map, (size_t)st.st_size);
		*len = (size_t)st.st_size;
		munmap(map, (size_t)st.st_size);
		return *buf ? 0 : -ENOMEM;
	}
	/* Compressed: only what /sys/module/compression names. */
	rpath(path, "sys/module/compression");
	char *c = read_file(path, NULL);
	int ok = c && !strncmp(c, "zstd", 4);
	free(c);
	unsigned long long size = ZSTD_getFrameContentSize(map, (size_t)st.st_size);
	int err = 0;
	if (!ok)
		err = -EOPNOTSUPP;
	else if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
		 size > (256u << 20))
		err = -EINVAL;
	else if (!(*buf = malloc(size ? (size_t)size : 1)))
		err = -ENOMEM;
	else if (ZSTD_isError(ZSTD_decompress(*buf, (size_t)size, map, (size_t)st.st_size))) {
		free(*buf);
		err = -EINVAL;
	}
	*len = (size_t)size;
	munmap(map, (size_t)st.st_size);
	return err;
}

static long fake_finit(int fd, const char *params, int flags)
{
	void *buf = NULL;
	size_t len = 0;
	int err = read_fd(fd, flags, &buf, &len);
	if (!err)
		err = fake_load(buf, len, params, flags);
	free(buf);
	return err;
}

static long ret_errno(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

int init_module(void *image, unsigned long len, const char *params)
{
	return (int)ret_errno(fake_load(image, len, params, 0));
}

int finit_module(int fd, const char *params, int flags)
{
	return (int)ret_errno(fake_finit(fd, params, flags));
}

int delete_module(const char *name, unsigned flags)
{
	return (int)ret_errno(fake_delete(name, flags));
}

long syscall(long n, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (n) {
	case SYS_init_module:
		return ret_errno(
			fake_load((const void *)a[0], (size_t)a[1], (const char *)a[2], 0));
	case SYS_finit_module:
		return ret_errno(fake_finit((int)a[0], (const char *)a[1], (int)a[2]));
	case SYS_delete_module: return ret_errno(fake_delete((const char *)a[0], (unsigned)a[1]));
	default: return get_syscall()(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}

/* ---- the uevent socket ---- */

/* The "uevent" lines of fake-kernel.conf play from the first uevent socket
 * a process asks for (whether or not it gets one). */
static void uevent_start(void)
{
	static int started;
	pthread_t tid;
	long long *t0;

	if (!fk.nuevents || __atomic_exchange_n(&started, 1, __ATOMIC_SEQ_CST))
		return;
	t0 = malloc(sizeof *t0);
	if (!t0)
		return;
	*t0 = now_us();
	if (pthread_create(&tid, NULL, uevent_thread, t0) == 0)
		pthread_detach(tid);
	else
		free(t0);
}

static int is_fake_sock(int fd)
{
	int hit = 0;
	pthread_mutex_lock(&sock_lock);
	for (int i = 0; i < FK_MAX_SOCKS; i++)
		hit |= fd >= 0 && fk.socks[i] == fd + 1;
	pthread_mutex_unlock(&sock_lock);
	return hit;
}

int socket(int domain, int type, int proto)
{
	if (domain != AF_NETLINK || proto != NETLINK_KOBJECT_UEVENT_ || !root())
		return get_socket()(domain, type, proto);
	if (fk.netlink_off) {
		uevent_start();
		errno = EAFNOSUPPORT;
		return -1;
	}
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char path[FK_PATH];
	rpath(path, "run");
	mkdirs(path);
	rpath(path, "run/uevent.sock");
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr, "fake-kernel: %s: path too long for a socket\n", path);
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sa.sun_path, path);
	int fd = get_socket()(AF_UNIX, (type & ~0xf) | SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	unlink(path);
	if (get_bind()(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		get_close()(fd);
		errno = e;
		return -1;
	}
	pthread_mutex_lock(&sock_lock);
	for (int i = 0; i < FK_MAX_SOCKS; i++)
		if (fk.socks[i] == 0) {
			fk.socks[i] = fd + 1;
			break;
		}
	pthread_mutex_unlock(&sock_lock);
	uevent_start();
	return fd;
}

int bind(int fd, __CONST_SOCKADDR_ARG sa, socklen_t len)
{
	if (is_fake_sock(fd))
		return 0;
	return get_bind()(fd, sa, len);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	socklen_t namecap = msg->msg_namelen;
	ssize_t n = get_recvmsg()(fd, msg, flags);

	if (n < 0 || !is_fake_sock(fd))
		return n;
	if (msg->msg_name && namecap >= 12) {
		/* struct sockaddr_nl: family, pad, pid 0 (the kernel), groups 1 */
		unsigned char nl[12] = { 0 };
		unsigned short fam = AF_NETLINK;
		unsigned grp = 1;
		memcpy(nl, &fam, 2);
		memcpy(nl + 8, &grp, 4);
		memcpy(msg->msg_name, nl, sizeof nl);
		msg->msg_namelen = sizeof nl;
	}
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cr = { 0, 0, 0 };
			memcpy(CMSG_DATA(cm), &cr, sizeof cr);
		}
	return n;
}

int close(int fd)
{
	pthread_mutex_lock(&sock_lock);
	for (int i = 0; i < FK_MAX_SOCKS; i++)
		if (fd >= 0 && fk.socks[i] == fd + 1)
			fk.socks[i] = 0;
	pthread_mutex_unlock(&sock_lock);
	return get_close()(fd);
}
