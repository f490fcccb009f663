/* select.c: module selection for an image and its closure. */
#include "select.h"

#include "alias.h"
#include "log.h"
#include "lookup.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Directories whose modules a generic initramfs needs to find and mount a
 * root filesystem and to have a keyboard and a network on the way. */
static const char *const default_dirs[] = {
	"kernel/drivers/block/",
	"kernel/drivers/scsi/",
	"kernel/drivers/ata/",
	"kernel/drivers/nvme/",
	"kernel/drivers/mmc/",
	"kernel/drivers/usb/storage/",
	"kernel/drivers/usb/host/",
	"kernel/drivers/usb/common/",
	"kernel/drivers/usb/core/",
	"kernel/drivers/virtio/",
	"kernel/drivers/hid/",
	"kernel/drivers/input/keyboard/",
	"kernel/drivers/input/serio/",
	"kernel/drivers/input/evdev",
	"kernel/drivers/md/",
	"kernel/drivers/cdrom/",
	"kernel/drivers/net/virtio_net",
	"kernel/drivers/net/ethernet/intel/",
	"kernel/drivers/net/ethernet/realtek/",
	"kernel/drivers/net/ethernet/broadcom/",
	"kernel/drivers/char/virtio_console",
	"kernel/drivers/char/hw_random/virtio-rng",
	"kernel/fs/",
	"kernel/lib/",
	"kernel/crypto/crc32c",
	"kernel/arch/x86/crypto/crc32c",
};

/* Within the directories above, leave out what no boot needs. */
static const char *const skip_dirs[] = {
	"kernel/drivers/hid/hid-sensor",
	"kernel/fs/nls/",
	"kernel/fs/dlm/",
	"kernel/fs/ocfs2/",
	"kernel/drivers/scsi/fcoe/",
	"kernel/drivers/scsi/qla2xxx/",
	"kernel/drivers/scsi/lpfc/",
};

static int has_prefix(const char *s, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(s, v[i], strlen(v[i])))
			return 1;
	return 0;
}

void select_default(const struct pack *p, unsigned char *want)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *r = p->m[i].relpath;
		if (r && has_prefix(r, default_dirs, sizeof default_dirs / sizeof *default_dirs) &&
		    !has_prefix(r, skip_dirs, sizeof skip_dirs / sizeof *skip_dirs))
			want[i] = 1;
	}
}

int select_names(const struct pack *p, const char *list, unsigned char *want)
{
	char *copy = strdup(list), *save = NULL;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		char norm[ALIAS_MAX];
		modname_normalize(w, norm, sizeof norm);
		int i = pack_find(p, norm);
		if (i < 0) {
			log_err("--modules: no module named %s in the tree", w);
			err = -ENOENT;
		} else
			want[i] = 1;
	}
	free(copy);
	return err;
}

static int mark(const struct pack *p, unsigned char *want, unsigned i)
{
	int added = !want[i];
	want[i] = 1;
	for (size_t k = 0; k < p->m[i].nload; k++)
		if (!want[p->m[i].load[k]])
			want[p->m[i].load[k]] = 1, added = 1;
	return added;
}

static int mark_soft(const struct pack *p, const struct blob *b, unsigned char *want,
		     const char **names, size_t n)
{
	int added = 0;
	for (size_t k = 0; k < n; k++) {
		struct modlist hits;
		modlist_init(&hits);
		if (lookup_mods(b, NULL, names[k], &hits) == -ENOMEM) {
			log_err("fatal: out of memory"); /* as xrealloc: fatal on the host */
			exit(111);
		}
		for (unsigned j = 0; j < hits.n; j++)
			added |= mark(p, want, hits.v[j]);
		modlist_free(&hits);
	}
	return added;
}

void select_close(const struct pack *p, const struct blob *b, unsigned char *want)
{
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < p->n; i++) {
			if (!want[i] || p->m[i].builtin)
				continue;
			changed |= mark(p, want, (unsigned)i);
			changed |= mark_soft(p, b, want, p->m[i].pre, p->m[i].npre);
			changed |= mark_soft(p, b, want, p->m[i].post, p->m[i].npost);
		}
	}
}
