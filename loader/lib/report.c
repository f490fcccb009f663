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

/* What the record calls each outcome (report.h's order). */
static const char *const record_kind[] = {
	"failed",  "softdep-failed", "skipped", "forbidden", "forbidden", "blacklisted",
	"pending", "pending",	     "hung",	"late",	     "nomatch",	  "loaded",
};

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
	char line[600];
	int n;

	if (record_fd < 0 || record_len > RECORD_MAX)
		return;
	n = fmt_snprintf(line, sizeof line, "%s %s %s\n", record_kind[what], name, msg);
	if (n > (int)sizeof line - 1)
		n = (int)sizeof line - 1, line[n - 1] = '\n';
	record_len += (unsigned)n;
	if (write_all(record_fd, line, (size_t)n) < 0)
		record_fd = -1; /* quietly: /run may be full or gone */
}

static void words(const struct ml_ctx *c, char *msg, size_t cap, enum outcome what, unsigned mod,
		  const char *name, const char *other, int err)
{
	char rel[PATH_MAX];

	switch (what) {
	case OUT_INSERT_FAILED: {
		int perr = blob_mod_path(&c->b, mod, rel, sizeof rel);
		if (perr < 0) /* failed before any file: say why there was none */
			fmt_snprintf(msg, cap, "could not insert '%s' (%s/%s): %s", name, c->dir,
				     BLOB_FILE, report_path_strerror(perr));
		else
			fmt_snprintf(msg, cap, "could not insert '%s' (%s/%s): %s", name, c->dir,
				     rel, insert_strerror(err));
		break;
	}
	case OUT_SOFTDEP_FAILED:
		fmt_snprintf(msg, cap, "softdep %s not loaded: %s", name, insert_strerror(err));
		break;
	case OUT_NEEDS:
		fmt_snprintf(msg, cap, "%s: not loaded: it needs %s, which did not load", name,
			     other);
		break;
	case OUT_FORBIDDEN:
		fmt_snprintf(msg, cap, "%s: not loaded: forbidden by configuration", name);
		break;
	case OUT_NEEDS_FORBIDDEN:
		fmt_snprintf(msg, cap,
			     "%s: not loaded: it needs %s, which is forbidden by configuration",
			     name, other);
		break;
	case OUT_BLACKLISTED: fmt_snprintf(msg, cap, "%s: %s is blacklisted", other, name); break;
	case OUT_LOADING:
		fmt_snprintf(msg, cap, "%s: still initialising at the timeout", name);
		break;
	case OUT_WAITING:
		fmt_snprintf(msg, cap, "%s: still waiting for dependencies at the timeout", name);
		break;
	case OUT_HUNG:
		fmt_snprintf(msg, cap,
			     "%s: init has not returned after %d ms: not waiting for it (it stays "
			     "in the kernel)",
			     name, err);
		break;
	case OUT_LATE:
		fmt_snprintf(msg, cap, "%s: init returned after its deadline: %s", name,
			     err && err != -EEXIST ? insert_strerror(err) : "loaded");
		break;
	default: msg[0] = '\0';
	}
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
