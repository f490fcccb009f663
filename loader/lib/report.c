/* report.c: a module's outcome as one line (see report.h). */
#include "report.h"

#include "fmt.h"
#include "insert.h"
#include "log.h"

#include <errno.h>

const char *report_path_strerror(int err)
{
	switch (err) {
	case -EBADMSG: return "its record in " BLOB_FILE " is corrupt";
	case -ENAMETOOLONG: return "the path of its file is too long";
	case -ENOENT: return "it has no file (built in)";
	default: return insert_strerror(err);
	}
}

void report(const struct ml_ctx *c, int prio, enum outcome what, unsigned mod, const char *other,
	    int err)
{
	const char *name = blob_mod_name(&c->b, mod);
	char path[2 * PATH_MAX];

	switch (what) {
	case OUT_INSERT_FAILED: {
		int perr = ctx_mod_path(c, mod, path, sizeof path);
		if (perr < 0) /* failed before any file: say why there was none */
			fmt_snprintf(path, sizeof path, "%s/%s", c->dir, BLOB_FILE);
		log_msg(prio, "could not insert '%s' (%s): %s", name, path,
			perr < 0 ? report_path_strerror(perr) : insert_strerror(err));
		break;
	}
	case OUT_SOFTDEP_FAILED:
		log_msg(prio, "softdep %s not loaded: %s", name, insert_strerror(err));
		break;
	case OUT_NEEDS:
		log_msg(prio, "%s: not loaded: it needs %s, which did not load", name, other);
		break;
	case OUT_FORBIDDEN:
		log_msg(prio, "%s: not loaded: forbidden by configuration", name);
		break;
	case OUT_NEEDS_FORBIDDEN:
		log_msg(prio, "%s: not loaded: it needs %s, which is forbidden by configuration",
			name, other);
		break;
	case OUT_BLACKLISTED: log_msg(prio, "%s: %s is blacklisted", other, name); break;
	case OUT_LOADING: log_msg(prio, "%s: still initialising at the timeout", name); break;
	case OUT_WAITING:
		log_msg(prio, "%s: still waiting for dependencies at the timeout", name);
		break;
	case OUT_HUNG:
		log_msg(prio,
			"%s: init has not returned after %d ms: not waiting for it (it stays in "
			"the kernel)",
			name, err);
		break;
	case OUT_LATE:
		log_msg(prio, "%s: init returned after its deadline: %s", name,
			err && err != -EEXIST ? insert_strerror(err) : "loaded");
		break;
	}
}
