/* devices.c: modpack --devices FILE, the modules a machine's `modload scan`
 * output (loader/applets/scan.c documents the format) says its image needs.
 *
 * The idea is mkinitcpio's autodetect and booster's host mode: of the
 * modules a generic image would carry (select_default: storage, buses,
 * filesystems, input, common NICs), keep those this machine uses, i.e. that
 * one of its device modaliases resolves to (through the full tree's blob,
 * as coldplug would resolve it: blacklisted and forbidden modules are not
 * taken) or that it has loaded. A GPU or sound driver the machine uses is
 * not taken: the image does not need it to reach the root. Whatever the
 * root's device chain needs is taken whether or not the generic set has
 * it (root-modalias, root-module, root-driver), and so is the root
 * filesystem (alias fs-TYPE). A dm-crypt root also takes the loaded crypto
 * modules (its cipher's: the kernel asks for them by algorithm name, which
 * no scan can see). The caller adds `load` lines and --modules,
 * then closes over dependencies and softdeps. */
#include "select.h"

#include "alias.h"
#include "log.h"
#include "lookup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counts {
	unsigned lines, aliases, alias_hits, loaded, loaded_missing, root, unknown;
	char *missing; /* loaded modules not in this tree, for one line */
	size_t mlen;
};

/* Append " name" to *list (grown as needed); memory errors only shorten it. */
static void append(char **list, size_t *len, const char *name)
{
	size_t n = strlen(name);
	char *l = realloc(*list, *len + n + 2);

	if (!l)
		return;
	l[(*len)++] = ' ';
	memcpy(l + *len, name, n + 1);
	*len += n;
	*list = l;
}

/* Mark in v what alias resolves to; the number of modules it gave. */
static int by_alias(const struct pack *p, const struct blob *b, const char *alias, unsigned char *v)
{
	struct modlist hits;
	int taken = 0;

	modlist_init(&hits);
	if (lookup_mods(b, NULL, alias, &hits) == -ENOMEM) {
		log_err("fatal: out of memory"); /* as xrealloc: fatal on the host */
		exit(111);
	}
	for (unsigned i = 0; i < hits.n; i++) {
		if (p->m[hits.v[i]].flags & (BM_BLACKLIST | BM_FORBID))
			continue;
		v[hits.v[i]] = 1;
		taken++;
	}
	modlist_free(&hits);
	return taken;
}

static int by_name(const struct pack *p, const char *name, unsigned char *v)
{
	char norm[ALIAS_MAX];
	int i;

	modname_normalize(name, norm, sizeof norm);
	if ((i = pack_find(p, norm)) < 0)
		return 0;
	v[i] = 1;
	return 1;
}

static void line(const struct pack *p, const struct blob *b, char *key, char *val,
		 unsigned char *used, unsigned char *want, struct counts *c, const char *file,
		 unsigned lineno)
{
	if (!strcmp(key, "modalias")) {
		c->aliases++;
		c->alias_hits += by_alias(p, b, val, used) > 0;
	} else if (!strcmp(key, "loaded")) {
		c->loaded++;
		if (!by_name(p, val, used)) {
			c->loaded_missing++;
			append(&c->missing, &c->mlen, val);
		}
	} else if (!strcmp(key, "root-modalias")) {
		c->root += by_alias(p, b, val, want) > 0;
	} else if (!strcmp(key, "root-module") || !strcmp(key, "root-driver")) {
		/* A driver built in on the scanned machine may be a module here;
		 * if no module has its name, its device's root-modalias still
		 * names the module. */
		if (by_name(p, val, want))
			c->root++;
		else if (!strcmp(key, "root-module"))
			log_warn("%s:%u: the root needs module %s, which this tree does not have",
				 file, lineno, val);
	} else if (!strcmp(key, "root-fs")) {
		char alias[ALIAS_MAX];
		snprintf(alias, sizeof alias, "fs-%s", val);
		if (by_alias(p, b, alias, want) > 0)
			c->root++;
		else
			log_warn("%s:%u: root filesystem %s: no module or built-in provides %s",
				 file, lineno, val, alias);
	} else if (strcmp(key, "root-dev")) {
		c->unknown++;
	}
}

int select_devices(const struct pack *p, const struct blob *b, const char *file,
		   unsigned char *want, unsigned char *left)
{
	unsigned char *used = calloc(p->n + 1, 1), *generic = calloc(p->n + 1, 1);
	struct counts c = { 0 };
	char *buf = NULL;
	size_t cap = 0;
	FILE *f = fopen(file, "r");
	int err = 0;

	if (!used || !generic) {
		err = -ENOMEM;
		goto out;
	}
	if (!f) {
		err = -errno;
		log_err("--devices %s: %s", file, strerror(errno));
		goto out;
	}
	while (getline(&buf, &cap, f) > 0) {
		char *key, *val, *save = NULL;
		c.lines++;
		buf[strcspn(buf, "\r\n")] = '\0';
		key = strtok_r(buf, " \t", &save);
		val = strtok_r(NULL, " \t", &save);
		if (!key || key[0] == '#')
			continue;
		if (!val) {
			log_warn("%s:%u: %s without a value; line ignored", file, c.lines, key);
			continue;
		}
		line(p, b, key, val, used, want, &c, file, c.lines);
	}
	if (ferror(f)) {
		err = -EIO;
		log_err("--devices %s: read error", file);
		goto out;
	}
	select_default(p, generic);
	int crypt = pack_find(p, "dm_crypt");
	crypt = crypt >= 0 && want[crypt];
	unsigned taken = 0, skipped = 0;
	for (size_t i = 0; i < p->n; i++) {
		if (!used[i] || p->m[i].builtin)
			continue;
		if (generic[i] ||
		    (crypt && p->m[i].relpath && strstr(p->m[i].relpath, "/crypto/"))) {
			want[i] = 1;
			taken++;
		} else {
			skipped++;
			left[i] = 1;
		}
	}
	if (!c.aliases && !c.root)
		log_warn("--devices %s: no modalias or root lines (is it `modload scan` output?)",
			 file);
	log_info("--devices %s: %u modaliases (%u resolve to modules) and %u loaded modules (%u "
		 "not in this tree): %u modules for the image, %u used but no boot class; "
		 "%u from the root's chain%s",
		 file, c.aliases, c.alias_hits, c.loaded, c.loaded_missing, taken, skipped, c.root,
		 c.unknown ? " (lines with unknown keys ignored)" : "");
	if (c.missing)
		log_info("--devices: loaded there, no such module here:%s", c.missing);
out:
	free(c.missing);
	if (f)
		fclose(f);
	free(buf);
	free(used);
	free(generic);
	return err;
}
