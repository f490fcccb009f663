/* log.c: stderr and /dev/kmsg output with one prefix and one level filter. */
#include "log.h"
#include "fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *log_prog = "modload";
static int log_max = LOG_N;
static int kmsg_fd = -1, kmsg_mode, stderr_is_console;
static void (*log_sink)(int prio, const char *msg);

void log_init(const char *prog)
{
	if (prog && *prog)
		log_prog = prog;
}

void log_use_kmsg(int mode)
{
	struct stat st;

	kmsg_mode = mode;
	if (mode != KMSG_OFF && kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NOCTTY);
	else if (mode == KMSG_OFF && kmsg_fd >= 0) {
		close(kmsg_fd);
		kmsg_fd = -1;
	}
	/* /dev/console is character device 5:1. */
	stderr_is_console = fstat(2, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 &&
			    minor(st.st_rdev) == 1;
}

void log_set_level(int level)
{
	log_max = level;
}

int log_level(void)
{
	return log_max;
}

void log_set_sink(void (*sink)(int prio, const char *msg))
{
	log_sink = sink;
}

static void log_vmsg(int prio, const char *fmt, va_list ap)
{
	char msg[512], line[600];
	int n = 0;

	if (prio > log_max)
		return;
	if (prio == LOG_KMOD_E) {
		prio = LOG_E;
		n = fmt_snprintf(msg, sizeof msg, "ERROR: ");
	}
	fmt_vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	if (log_sink) {
		log_sink(prio, msg);
		return;
	}

	n = fmt_snprintf(line, sizeof line, "%s: %s%s\n", log_prog,
			 prio <= LOG_E	 ? ""
			 : prio == LOG_W ? "warning: "
					 : "",
			 msg);
	if (n > (int)sizeof line - 1)
		n = (int)sizeof line - 1;
	int to_kmsg = kmsg_fd >= 0 && (kmsg_mode == KMSG_ALL || prio <= LOG_E);
	if (!to_kmsg || !stderr_is_console) {
		fd_flush(); /* what stdout holds comes first, as with a line-buffered stdout */
		write_all(2, line, (size_t)n);
	}
	if (to_kmsg) {
		/* kmsg takes "<prio>text"; one write is one record. */
		char rec[640];
		int m = fmt_snprintf(rec, sizeof rec, "<%d>modload: %s\n", prio, msg);
		if (m > (int)sizeof rec - 1)
			m = (int)sizeof rec - 1;
		write_all(kmsg_fd, rec, (size_t)m);
	}
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_E, fmt, ap);
	va_end(ap);
}
