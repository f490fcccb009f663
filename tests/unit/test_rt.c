/* test_rt.c: loader/rt/dir.c, clock.c and stat.c in a static musl program
 * (they replace musl's opendir & co, clock_gettime and, on 64-bit targets,
 * stat, fstat and fstatat there).
 *
 * dir.c: a directory of 300 entries with long names (several refills of
 * the 2 KB buffer) is listed through opendir and through fdopendir, each
 * name exactly once, "." and ".." included; dirfd names the directory;
 * opendir of a missing path fails ENOENT and of a file ENOTDIR; fdopendir of
 * a file's descriptor succeeds (musl's would refuse it: so this also shows
 * that dir.c, not musl, is linked) and its first readdir fails ENOTDIR.
 * clock.c: CLOCK_MONOTONIC does not go back, BOOTTIME is not behind it,
 * REALTIME is past 2020, tv_nsec in range, a bad clock id fails EINVAL;
 * sem_timedwait (musl's __timedwait, which calls __clock_gettime) times out
 * after its deadline.
 * stat.c: a file's mode, size, link count, inode and mtime as written, the
 * same through fstat and fstatat; /dev/null a character device 1:3; a
 * missing path ENOENT, fstat(-1) EBADF. Prints one line; exit 0 when
 * everything held.
 * open.c: O_CREAT's mode taken (umask 0), O_CLOEXEC set, openat relative to
 * a directory descriptor, ENOENT and ENOTDIR.
 * mem.c: memcpy, memmove (overlapping either way), memset and memchr at
 * every length 0..80 and every alignment 0..8 of either pointer, against
 * byte loops written here; the bytes around the destination untouched; on
 * the ARM targets memcpy is memmove (so mem.c, not musl, is linked).
 * str.c: strlen, strchr, strchrnul, strrchr, strspn, strcspn on strings
 * with bytes above 127 and empty ones, every character and NUL asked for;
 * strnlen at every bound, strdup's copy; strcmp,
 * strncmp, strcasecmp, strncasecmp (n 0..7) on upper-case variants, the
 * signs against loops written here.
 * sock.c: socket and pipe2 with CLOEXEC and NONBLOCK set as asked (and
 * not when not), data through the pipe, EAFNOSUPPORT and EINVAL; recvmsg's
 * bytes, length and sender over a socket pair, EBADF.
 * sys.c: poll says "readable" for a pipe with data, times out (0, and 20
 * ms) on an empty one, waits forever (-1) for data already there;
 * readlinkat's target and length, ENOENT and EINVAL (not a link).
 * fork.c: the child runs and its exit status reaches waitpid; the parent
 * goes on. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NFILES 300

static int bad;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test_rt: FAIL: %s (errno %d)\n", what, errno);
		bad++;
	}
}

static void entry_name(char *buf, size_t n, int i)
{
	snprintf(buf, n, "entry-%03d-with-a-name-long-enough-to-fill-buffers", i);
}

/* Every entry of d once: returns how many, or -1 on a stranger or a repeat. */
static int list(DIR *d)
{
	static unsigned char seen[NFILES + 2];
	struct dirent *e;
	int n = 0, i;
	char want[128];

	memset(seen, 0, sizeof seen);
	errno = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, "."))
			i = NFILES;
		else if (!strcmp(e->d_name, ".."))
			i = NFILES + 1;
		else if (sscanf(e->d_name, "entry-%d-", &i) != 1 || i < 0 || i >= NFILES)
			return -1;
		if (i < NFILES) {
			entry_name(want, sizeof want, i);
			if (strcmp(want, e->d_name))
				return -1;
		}
		if (seen[i]++)
			return -1;
		n++;
	}
	return errno ? -1 : n;
}

static void test_dir(void)
{
	char dir[] = "/tmp/test_rt.XXXXXX", path[256], file[300];
	struct stat st;
	DIR *d;
	int fd;

	if (!mkdtemp(dir)) {
		check(0, "mkdtemp");
		return;
	}
	for (int i = 0; i < NFILES; i++) {
		entry_name(path, sizeof path, i);
		snprintf(file, sizeof file, "%s/%s", dir, path);
		fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		check(fd >= 0, "create an entry");
		close(fd);
	}
	d = opendir(dir);
	check(d != NULL, "opendir");
	if (d) {
		check(list(d) == NFILES + 2, "opendir: every entry once");
		entry_name(path, sizeof path, 7);
		check(fstatat(dirfd(d), path, &st, 0) == 0, "dirfd names the directory");
		check(readdir(d) == NULL, "readdir after the end");
		check(closedir(d) == 0, "closedir");
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	check(d != NULL, "fdopendir");
	if (d) {
		check(dirfd(d) == fd, "dirfd of fdopendir");
		check(list(d) == NFILES + 2, "fdopendir: every entry once");
		closedir(d);
	}
	snprintf(file, sizeof file, "%s/missing", dir);
	errno = 0;
	check(opendir(file) == NULL && errno == ENOENT, "opendir of a missing path: ENOENT");
	snprintf(file, sizeof file, "%s/", dir);
	entry_name(file + strlen(file), sizeof file - strlen(file), 0);
	errno = 0;
	check(opendir(file) == NULL && errno == ENOTDIR, "opendir of a file: ENOTDIR");
	fd = open(file, O_RDONLY | O_CLOEXEC);
	d = fd >= 0 ? fdopendir(fd) : NULL;
	check(d != NULL, "fdopendir of a file is taken (dir.c is linked, not musl's)");
	if (d) {
		errno = 0;
		check(readdir(d) == NULL && errno == ENOTDIR, "readdir of a file: ENOTDIR");
		closedir(d);
	}
	for (int i = 0; i < NFILES; i++) {
		entry_name(path, sizeof path, i);
		snprintf(file, sizeof file, "%s/%s", dir, path);
		unlink(file);
	}
	rmdir(dir);
}

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000 + t->tv_nsec;
}

static void test_clock(void)
{
	struct timespec a, b, boot, real, dl;
	sem_t sem;

	check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "CLOCK_MONOTONIC");
	check(clock_gettime(CLOCK_BOOTTIME, &boot) == 0, "CLOCK_BOOTTIME");
	check(clock_gettime(CLOCK_MONOTONIC, &b) == 0, "CLOCK_MONOTONIC again");
	check(ns(&b) >= ns(&a), "monotonic does not go back");
	check(ns(&boot) >= ns(&a), "boottime not behind monotonic");
	check(clock_gettime(CLOCK_REALTIME, &real) == 0 && real.tv_sec > 1577836800,
	      "CLOCK_REALTIME past 2020");
	check(a.tv_nsec >= 0 && a.tv_nsec < 1000000000 && real.tv_nsec >= 0 &&
		      real.tv_nsec < 1000000000,
	      "tv_nsec in range");
	errno = 0;
	check(clock_gettime((clockid_t)1000, &a) == -1 && errno == EINVAL, "bad clock: EINVAL");
	/* A timed wait through musl's __timedwait: times out at its deadline. */
	sem_init(&sem, 0, 0);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 50000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	errno = 0;
	check(sem_timedwait(&sem, &dl) == -1 && errno == ETIMEDOUT, "sem_timedwait times out");
	clock_gettime(CLOCK_REALTIME, &b);
	check(ns(&b) >= ns(&dl), "sem_timedwait returns after its deadline");
}

static void test_stat(void)
{
	char path[] = "/tmp/test_rt.XXXXXX";
	struct stat a, b, c;
	struct timespec now;
	int fd = mkstemp(path);

	check(fd >= 0 && write(fd, "12345", 5) == 5, "make a file");
	fchmod(fd, 0640);
	clock_gettime(CLOCK_REALTIME, &now);
	check(stat(path, &a) == 0, "stat");
	check(S_ISREG(a.st_mode) && (a.st_mode & 07777) == 0640, "stat: mode");
	check(a.st_size == 5 && a.st_nlink == 1, "stat: size and link count");
	check(a.st_mtim.tv_sec <= now.tv_sec && a.st_mtim.tv_sec > now.tv_sec - 60 &&
		      a.st_mtim.tv_nsec >= 0 && a.st_mtim.tv_nsec < 1000000000,
	      "stat: mtime");
	check(fstat(fd, &b) == 0 && b.st_ino == a.st_ino && b.st_dev == a.st_dev &&
		      b.st_size == 5 && b.st_mode == a.st_mode,
	      "fstat: the same file");
	check(fstatat(AT_FDCWD, path, &c, 0) == 0 && c.st_ino == a.st_ino, "fstatat");
	check(stat("/dev/null", &a) == 0 && S_ISCHR(a.st_mode) && major(a.st_rdev) == 1 &&
		      minor(a.st_rdev) == 3,
	      "stat /dev/null: character device 1:3");
	errno = 0;
	check(stat("/nonexistent/test_rt", &a) == -1 && errno == ENOENT, "stat: ENOENT");
	errno = 0;
	check(fstat(-1, &a) == -1 && errno == EBADF, "fstat(-1): EBADF");
	close(fd);
	unlink(path);
}

static void test_open(void)
{
	char dir[] = "/tmp/test_rt.XXXXXX", path[64];
	struct stat st;
	int fd, dfd;

	if (!mkdtemp(dir)) {
		check(0, "mkdtemp");
		return;
	}
	umask(0);
	snprintf(path, sizeof path, "%s/f", dir);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0604);
	check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0604, "open: O_CREAT mode");
	check(fcntl(fd, F_GETFD) == FD_CLOEXEC, "open: O_CLOEXEC");
	close(fd);
	errno = 0;
	check(open(path, O_CREAT | O_EXCL | O_WRONLY, 0600) == -1 && errno == EEXIST,
	      "open: O_EXCL on an existing file: EEXIST");
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	check(dfd >= 0, "open: a directory");
	fd = openat(dfd, "f", O_RDONLY | O_CLOEXEC);
	check(fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode), "openat: relative to a dir");
	close(fd);
	fd = openat(dfd, "g", O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
	check(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640,
	      "openat: O_CREAT mode");
	close(fd);
	errno = 0;
	check(openat(dfd, "missing", O_RDONLY) == -1 && errno == ENOENT, "openat: ENOENT");
	errno = 0;
	check(open(path, O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR, "open: ENOTDIR");
	unlinkat(dfd, "f", 0);
	unlinkat(dfd, "g", 0);
	close(dfd);
	rmdir(dir);
}

/* The reference: one byte at a time, through volatile so that the compiler
 * cannot turn it into a call of the function under test. */
static void ref_move(unsigned char *d, const unsigned char *s, size_t n, unsigned char *out,
		     size_t len)
{
	volatile unsigned char tmp[256];

	for (size_t i = 0; i < n; i++)
		tmp[i] = s[i];
	for (size_t i = 0; i < len; i++)
		out[i] = i >= (size_t)(d - out) && i < (size_t)(d - out) + n
				 ? tmp[i - (size_t)(d - out)]
				 : out[i];
}

static void fill(unsigned char *b, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

static void test_mem(void)
{
	unsigned char buf[256], want[256];
	int ok = 1;

	for (size_t n = 0; n <= 80; n++)
		for (size_t a = 0; a <= 8; a++)
			for (size_t b = 0; b <= 8; b++) {
				/* disjoint (memcpy), then overlapping both ways (memmove) */
				size_t d = 100 + a, s[3] = { b, d + b - 4, d - b - 4 + 8 };
				for (int k = 0; k < 3; k++) {
					if (s[k] + n > sizeof buf || d + n > sizeof buf)
						continue;
					fill(buf, sizeof buf, (unsigned)(n + a + b));
					memcpy(want, buf, sizeof buf);
					ref_move(want + d, buf + s[k], n, want, sizeof want);
					if (k == 0)
						memcpy(buf + d, buf + s[k], n);
					else
						memmove(buf + d, buf + s[k], n);
					ok &= !memcmp(buf, want, sizeof buf);
				}
				fill(buf, sizeof buf, (unsigned)n);
				memcpy(want, buf, sizeof buf);
				for (size_t i = 0; i < n; i++)
					want[d + i] = 0xa5;
				ok &= memset(buf + d, 0x1a5, n) == buf + d &&
				      !memcmp(buf, want, sizeof buf);
				for (size_t i = 0; i < sizeof buf; i++)
					buf[i] = (unsigned char)(i == d + n / 2 || i == d + n ? 0xc3
											      : 1);
				ok &= memchr(buf + d, 0xc3, n) == (n ? buf + d + n / 2 : NULL);
				ok &= memchr(buf + d, 0x1c3, n / 2) == NULL;
			}
	check(ok, "mem.c: memcpy, memmove, memset, memchr as byte loops");
	check(memmove(buf, buf + 1, 3) == buf && memcpy(want, buf, 1) == want,
	      "mem.c: the destination returned");
#ifndef __x86_64__
	check((void *)memcpy == (void *)memmove, "mem.c linked: memcpy is memmove");
#endif
}

static size_t ref_span(const char *s, const char *set, int in)
{
	size_t n = 0;

	for (; s[n]; n++) {
		int found = 0;
		for (const char *p = set; *p; p++)
			found |= *p == s[n];
		if (found != in)
			break;
	}
	return n;
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static int ref_cmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int l = (unsigned char)a[i], r = (unsigned char)b[i];
		if (l != r || !l)
			return sign(l - r);
	}
	return 0;
}

static int ref_casecmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int l = (unsigned char)a[i], r = (unsigned char)b[i];
		l += l >= 'A' && l <= 'Z' ? 32 : 0;
		r += r >= 'A' && r <= 'Z' ? 32 : 0;
		if (l != r || !l)
			return sign(l - r);
	}
	return 0;
}

/* strtok_r over in with separators sep gives the words of want ('|'
 * between them), then NULL, and NULL again. */
static int tokens(const char *in, const char *sep, const char *want)
{
	char buf[64], *save = NULL, *t, got[64] = "";
	size_t n = 0;

	snprintf(buf, sizeof buf, "%s", in);
	for (t = strtok_r(buf, sep, &save); t; t = strtok_r(NULL, sep, &save))
		n += (size_t)snprintf(got + n, sizeof got - n, "%s%s", n ? "|" : "", t);
	return !strcmp(got, want) && !strtok_r(NULL, sep, &save);
}

static void test_strtok(void)
{
	int ok = tokens("  a,b,,c  ", " ,", "a|b|c") && tokens("", " ", "") &&
		 tokens(",,,", ",", "") && tokens("x", ",", "x") && tokens("x,", ",", "x") &&
		 tokens("options m a=1 b", " \t", "options|m|a=1|b") && tokens("ab", "", "ab");

	check(ok, "str.c: strtok_r");
}

static void test_str(void)
{
	static const char *const cases[] = {
		"",	     "A", "VIRTIO:D00000001V00001af4", "\xc9T\xe9", "KEY=VALUE =X", "key",
		"  \t LEAD", "["
	};
	static const char *const str[] = {
		"", "a", "virtio:d00000001v00001AF4", "\xe9t\xe9 \xff", "key=value =x", "  \t lead"
	};
	static const char *const sets[] = { "", " \t", "=", "\xe9\xff",
					    "abcdefghijklmnopqrstuvwxyz" };
	int ok = 1;

	for (size_t i = 0; i < sizeof str / sizeof *str; i++) {
		const char *s = str[i];
		size_t len = 0;
		while (s[len])
			len++;
		ok &= strlen(s) == len;
		for (int c = 0; c < 512; c++) {
			const char *want = s;
			while (*want && *want != (char)c)
				want++;
			ok &= strchrnul(s, c) == want;
			ok &= strchr(s, c) == (*want == (char)c ? want : NULL);
			const char *last = NULL;
			for (size_t k = 0; k <= len; k++)
				if (s[k] == (char)c)
					last = s + k;
			ok &= strrchr(s, c) == last;
		}
		for (size_t n = 0; n < len + 3; n++)
			ok &= strnlen(s, n) == (n < len ? n : len);
		char *d = strdup(s);
		ok &= d && d != s && !memcmp(d, s, len + 1);
		free(d);
		for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
			ok &= strspn(s, sets[k]) == ref_span(s, sets[k], 1);
			ok &= strcspn(s, sets[k]) == ref_span(s, sets[k], 0);
		}
	}
	check(ok, "str.c: strlen, strchr, strchrnul, strrchr, strnlen, strdup, strspn, strcspn");
	ok = 1;
	for (size_t i = 0; i < sizeof str / sizeof *str; i++)
		for (size_t j = 0; j < sizeof cases / sizeof *cases; j++) {
			int want = ref_casecmp(str[i], cases[j], (size_t)-1);
			ok &= sign(strcasecmp(str[i], cases[j])) == want;
			for (size_t n = 0; n < 8; n++)
				ok &= sign(strncasecmp(str[i], cases[j], n)) ==
				      ref_casecmp(str[i], cases[j], n);
		}
	check(ok, "str.c: strcasecmp, strncasecmp: ASCII letters folded, bytes unsigned");
	ok = 1;
	for (size_t i = 0; i < sizeof str / sizeof *str; i++)
		for (size_t j = 0; j < sizeof cases / sizeof *cases; j++) {
			ok &= sign(strcmp(str[i], cases[j])) ==
			      ref_cmp(str[i], cases[j], (size_t)-1);
			ok &= sign(strcmp(cases[j], str[i])) ==
			      ref_cmp(cases[j], str[i], (size_t)-1);
			for (size_t n = 0; n < 8; n++)
				ok &= sign(strncmp(str[i], cases[j], n)) ==
				      ref_cmp(str[i], cases[j], n);
		}
	check(ok, "str.c: strcmp, strncmp: bytes unsigned, n bytes at most");
	test_strtok();
}

/* fd's FD_CLOEXEC and O_NONBLOCK, as 2 and 1 bits. */
static int fd_flags(int fd)
{
	return (fcntl(fd, F_GETFD) == FD_CLOEXEC) << 1 | !!(fcntl(fd, F_GETFL) & O_NONBLOCK);
}

static void test_sock(void)
{
	int s, p[2];
	char c = 0;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	check(s >= 0 && fd_flags(s) == 3, "socket: SOCK_CLOEXEC | SOCK_NONBLOCK");
	close(s);
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	check(s >= 0 && fd_flags(s) == 0, "socket: no flags");
	close(s);
	errno = 0;
	check(socket(12345, SOCK_DGRAM, 0) == -1 && errno == EAFNOSUPPORT, "socket: EAFNOSUPPORT");
	check(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0 && fd_flags(p[0]) == 3 && fd_flags(p[1]) == 3,
	      "pipe2: O_CLOEXEC | O_NONBLOCK");
	check(write(p[1], "x", 1) == 1 && read(p[0], &c, 1) == 1 && c == 'x', "pipe2: data");
	close(p[0]);
	close(p[1]);
	check(pipe2(p, O_CLOEXEC) == 0 && fd_flags(p[0]) == 2, "pipe2: O_CLOEXEC alone");
	close(p[0]);
	close(p[1]);
	errno = 0;
	check(pipe2(p, O_RDWR | O_APPEND) == -1 && errno == EINVAL, "pipe2: bad flags EINVAL");
}

static void test_recvmsg(void)
{
	int sv[2];
	char buf[16] = "";
	struct iovec iov = { buf, sizeof buf };
	struct msghdr msg;

	memset(&msg, 0, sizeof msg);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	check(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
	check(write(sv[1], "uevent", 6) == 6, "socketpair: write");
	check(recvmsg(sv[0], &msg, 0) == 6 && !memcmp(buf, "uevent", 6) &&
		      !(msg.msg_flags & MSG_TRUNC),
	      "recvmsg: the datagram");
	close(sv[0]);
	close(sv[1]);
	errno = 0;
	check(recvmsg(-1, &msg, 0) == -1 && errno == EBADF, "recvmsg: EBADF");
}

static void test_sys(void)
{
	int p[2], st = 0;
	char buf[64];
	struct timespec t0, t1;
	struct pollfd pf;
	pid_t pid;

	check(pipe(p) == 0, "pipe");
	pf = (struct pollfd){ p[0], POLLIN, 0 };
	check(poll(&pf, 1, 0) == 0, "poll: empty pipe, timeout 0");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check(poll(&pf, 1, 20) == 0, "poll: empty pipe, timeout 20 ms");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	check((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 19,
	      "poll: waited its timeout");
	check(write(p[1], "x", 1) == 1, "pipe: write");
	check(poll(&pf, 1, -1) == 1 && (pf.revents & POLLIN), "poll: readable, no timeout");
	close(p[0]);
	close(p[1]);

	char dir[] = "/tmp/test_rt.XXXXXX";
	int dfd = mkdtemp(dir) ? open(dir, O_RDONLY | O_DIRECTORY) : -1;
	check(dfd >= 0 && symlinkat("../some/target", dfd, "link") == 0, "symlinkat");
	check(readlinkat(dfd, "link", buf, sizeof buf) == 14 && !memcmp(buf, "../some/target", 14),
	      "readlinkat: the target");
	errno = 0;
	check(readlinkat(dfd, "missing", buf, sizeof buf) == -1 && errno == ENOENT,
	      "readlinkat: ENOENT");
	errno = 0;
	check(readlinkat(AT_FDCWD, dir, buf, sizeof buf) == -1 && errno == EINVAL,
	      "readlinkat: not a link EINVAL");
	unlinkat(dfd, "link", 0);
	close(dfd);
	rmdir(dir);

	pid = fork();
	if (pid == 0)
		_exit(42);
	check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42,
	      "fork: the child's exit status");
}

int main(void)
{
	test_sock();
	test_recvmsg();
	test_sys();
	test_mem();
	test_str();
	test_dir();
	test_clock();
	test_stat();
	test_open();
	printf("test_rt: dir.c (%d entries, fdopendir, errors), clock.c, stat.c, open.c, "
	       "mem.c, str.c, sock.c, sys.c, fork.c: %s\n",
	       NFILES, bad ? "FAILED" : "ok");
	return bad != 0;
}
