/* remove.c: remove a module as kmod's rmmod does: check /sys/module first
 * (absent, built in, held by other modules, referenced, unloading not
 * supported), then delete_module(O_NONBLOCK). Without /sys the kernel's
 * answer decides. And the words kmod's rmmod and modprobe -r use. */
#include "remove.h"

#include "fmt.h"
#include "sysmod.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct who {
	char *out;
	size_t cap, used;
};

/* One holder, " name" appended to what fits. */
static void add_holder(const char *holder, void *arg)
{
	struct who *w = arg;

	if (w->used < w->cap)
		w->used += (size_t)fmt_snprintf(w->out + w->used, w->cap - w->used, " %s", holder);
}

static int holders(const char *name, char *out, size_t cap)
{
	struct who w = { out, cap, 0 };

	out[0] = '\0';
	return sysmod_holders(name, add_holder, &w);
}

static int sys_delete_module(const char *name, unsigned flags)
{
	long r;

	do
		r = syscall(SYS_delete_module, name, flags);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

enum remove_result remove_module(const char *name, int how, char *who, size_t cap, int *err)
{
	int force = how & REMOVE_FORCE, dry = how & REMOVE_DRY_RUN;
	enum sysmod_state st = force ? SYSMOD_UNKNOWN : sysmod_state(name);
	long refs;

	who[0] = '\0';
	*err = 0;
	switch (st) {
	case SYSMOD_ABSENT: return RM_NOT_LOADED;
	case SYSMOD_BUILTIN: return RM_BUILTIN;
	case SYSMOD_LOADED:
		if (holders(name, who, cap) > 0)
			return RM_IN_USE;
		switch (sysmod_num(name, "refcnt", &refs)) {
		case 0:
			if (refs > 0)
				return RM_IN_USE;
			break;
		case -ENOENT:
			if (!dry) /* kmod's dry run reads no refcnt as "not used" */
				return RM_NO_UNLOAD;
			break;
		default: break;
		}
		break;
	case SYSMOD_UNKNOWN:
		if (dry) /* initstate unreadable: kmod's "not in kernel" */
			return RM_NOT_LOADED;
		break;
	}
	if (dry)
		return RM_OK;
	*err = sys_delete_module(name, O_NONBLOCK | (force ? O_TRUNC : 0));
	if (!*err)
		return RM_OK;
	if (st == SYSMOD_UNKNOWN && !force) {
		if (*err == -ENOENT)
			return RM_NOT_LOADED;
		if (*err == -EWOULDBLOCK) {
			holders(name, who, cap);
			return RM_IN_USE;
		}
	}
	return RM_FAILED;
}

const char *remove_words(enum remove_result r, unsigned style, const char *name, const char *arg,
			 const char *who, int err, char *buf, size_t cap)
{
	int mp = style & RW_MODPROBE;
	const char *what, *extra = "";

	switch (r) {
	case RM_OK: return NULL;
	case RM_NOT_LOADED:
		if (mp && !(style & RW_FIRST_TIME))
			return NULL;
		what = mp ? "not in kernel." : "not currently loaded";
		break;
	case RM_BUILTIN: what = "builtin."; break;
	case RM_IN_USE:
		if (mp)
			what = "in use.";
		else if (who[0]) {
			what = "in use by:";
			extra = who;
		} else
			what = "in use";
		break;
	case RM_NO_UNLOAD:
		if (!mp) {
			fmt_snprintf(buf, cap, "ERROR: Module unloading is not supported");
			return buf;
		}
		err = -ENOSYS; /* what delete_module says on such a kernel, and kmod's modprobe
				  tries */
			       /* fall through */
	default:
		fmt_snprintf(buf, cap,
			     mp ? "ERROR: could not remove '%s': %s"
				: "ERROR: could not remove module %s: %s",
			     mp ? name : arg, strerror(-err));
		return buf;
	}
	/* kmod's modprobe says these at its one level, WARNING with -a */
	fmt_snprintf(buf, cap, "%s: Module %s is %s%s",
		     !mp	      ? "ERROR"
		     : style & RW_ALL ? "WARNING"
				      : "FATAL",
		     name, what, extra);
	return buf;
}
