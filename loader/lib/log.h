/* log.h: the one place where modload's words leave the program.
 * Messages go to stderr and, when asked for, also to /dev/kmsg (prefixed
 * "modload: "): early boot has no other persistent log. When stderr is the
 * system console, which shows kmsg already, what goes to kmsg is not written
 * to stderr twice. */
#ifndef MODLOAD_LOG_H
#define MODLOAD_LOG_H

/* LOG_KMOD_E: an error worded as kmod's tools word theirs, "PROG: ERROR:
 * ..." (the "ERROR: " is written here, once); an error (3) in kmsg. */
enum { LOG_KMOD_E = 2, LOG_E = 3, LOG_W = 4, LOG_N = 5, LOG_I = 6, LOG_D = 7 };

void log_init(const char *prog);
enum { KMSG_OFF, KMSG_ERRORS, KMSG_ALL }; /* what also goes to /dev/kmsg */
void log_use_kmsg(int mode);
void log_set_level(int level); /* messages above level are dropped */
int log_level(void);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* log_msg(LOG_E, ...), the most frequent call, one argument shorter. */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Hand every message (formatted, without prefix or newline) to sink instead
 * of stderr and kmsg; NULL restores them. For tests and fuzz harnesses. */
void log_set_sink(void (*sink)(int prio, const char *msg));

#define log_kmod_err(...) log_msg(LOG_KMOD_E, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_W, __VA_ARGS__)
#define log_info(...) log_msg(LOG_I, __VA_ARGS__)
#define log_dbg(...) log_msg(LOG_D, __VA_ARGS__)

#endif
