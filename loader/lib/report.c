/* report.c: a module's outcome as one line (see report.h). */
#include "report.h"

#include "fmt.h"
#include "insert.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_MAX (64 << 10) /* bytes of record a boot may write */

static int record_fd = -1;
static unsigned record_len;

/* What the record calls each outcome, in report.h's order, one after the
 * other (one string instead of a table of pointers). */
static const char record_kind[] = "failed\0softdep-failed\0skipped\0forbidden\0forbidden\0"
				  "blacklisted\0pending\0pending\0hung\0late\0nomatch\0loaded";

const char *report_path_strerror(int err)
{
	switch (err) {
	case -EBADMSG: return "its record in " BLOB_FILE " is corrupt";
	case -ENAMETOOLONG: return "the path of its file is too long";
	case -ENOENT: return "it has no file (built in)";
	default: return insert_strerror(err);
	}
}

void report_record_open(const char *path)
{
	char dir[PATH_MAX];
	int n = fmt_snprintf(dir, sizeof dir, "%s", path);

	while (n > 1 && dir[--n] != '/')
		;
	dir[n] = '\0';
	mkdir(dir, 0755); /* failures are not said: the boot goes on without a record */
	record_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
}

void report_record(enum outcome what, const char *name, const char *msg)
{
	const char *kind = fmt_nth(record_kind, what);
	char line[600];
	int n;

	if (record_fd < 0 || record_len > RECORD_MAX)
		return;
	n = fmt_snprintf(line, sizeof line, "%s %s %s\n", kind, name, msg);
	if (n > (int)sizeof line - 1)
		n = (int)sizeof line - 1, line[n - 1] = '\n';
	record_len += (unsigned)n;
	if (write_all(record_fd, line, (size_t)n) < 0)
		record_fd = -1; /* quietly: /run may be full or gone */
}

void report_install(const char *name, const struct cfg_cmd *cmd, int err, int log)
{
	char msg[600], st[24];

	fmt_snprintf(st, sizeof st, "exit status %d", INSTALL_EXIT(0) - err);
	fmt_snprintf(msg, sizeof msg, "%s: install command %s (%s) failed: %s", name, cmd->where,
		     cmd->cmd, err <= INSTALL_EXIT(0) ? st : insert_strerror(err));
	if (log)
		log_err("%s", msg);
	else
		report_record(OUT_INSERT_FAILED, name, msg);
}

/* Each outcome's words, in report.h's order: a format for the module's
 * name (or, blacklisted, the name asked for), then what words() puts
 * second and third. */
static const char formats[] =
	"could not insert '%s' (%s): %s\0"
	"softdep %s not loaded: %s\0"
	"%s: not loaded: it needs %s, which did not load\0"
	"%s: not loaded: forbidden by configuration\0"
	"%s: not loaded: it needs %s, which is forbidden by configuration\0"
	"%s: %s is blacklisted\0"
	"%s: still initialising at the timeout\0"
	"%s: still waiting for dependencies at the timeout\0"
	"%s: init has not returned after %s ms: not waiting for it (it stays in the kernel)\0"
	"%s: init returned after its deadline: %s\0"
	"\0" /* nomatch: only recorded */
	"";  /* loaded: only recorded (the string's own NUL) */

static void words(const struct ml_ctx *c, char *msg, size_t cap, enum outcome what, unsigned mod,
		  const char *name, const char *other, int err)
{
	char path[2 * PATH_MAX], ms[16];
	const char *x = name, *y = other, *z = NULL;

	switch (what) {
	case OUT_INSERT_FAILED: {
		int perr = ctx_mod_path(c, mod, path, sizeof path);
		if (perr < 0) /* failed before any file: say why there was none */
			fmt_snprintf(path, sizeof path, "%s/%s", c->dir, BLOB_FILE);
		y = path;
		/* a built-in module has no file, but is in the kernel (EEXIST) */
		z = perr < 0 && err != -EEXIST ? report_path_strerror(perr) : insert_strerror(err);
		break;
	}
	case OUT_SOFTDEP_FAILED: y = insert_strerror(err); break;
	case OUT_BLACKLISTED:
		x = other;
		y = name;
		break;
	case OUT_HUNG:
		fmt_snprintf(ms, sizeof ms, "%d", err);
		y = ms;
		break;
	case OUT_LATE: y = err && err != -EEXIST ? insert_strerror(err) : "loaded"; break;
	default: break;
	}
	fmt_snprintf(msg, cap, fmt_nth(formats, what), x, y, z);
}

void report(const struct ml_ctx *c, int prio, enum outcome what, unsigned mod, const char *other,
	    int err)
{
	const char *name = blob_mod_name(&c->b, mod);
	char msg[512];

	words(c, msg, sizeof msg, what, mod, name, other, err);
	if (msg[0])
		log_msg(prio, "%s", msg);
	report_record(what, name, msg);
}
