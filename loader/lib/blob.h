/* blob.h: the precomputed module database that modpack writes and modload maps.
 *
 * One little-endian file, mapped read-only and used in place: nothing is
 * parsed or decompressed at startup. Every offset is checked against the file
 * size once, when the blob is opened, and again (cheaply) where it is used.
 *
 * Layout
 *   header      struct blob_header (magic, version, size, checksum, kernel
 *               release, counts) followed by BLOB_NSEC section descriptors
 *               {u32 off, u32 len}, each 4-byte aligned inside the file.
 *   STR         NUL-terminated strings; offset 0 is the empty string.
 *   MOD         struct blob_mod[nmods], sorted by name (binary search).
 *   LIST        u16 lists: a count then that many module indices, addressed
 *               in 2-byte units (so at most 128 KiB). Offset 0 is the empty
 *               list. A module's deps list is its complete
 *               dependency closure in load order (what modprobe inserts
 *               before it, softdeps aside).
 *   EXTRA       per-module rarely used data, struct blob_extra records.
 *   SLIST       string lists: a u16 count then u32 STR offsets (softdeps).
 *   DIRS        u32 STR offsets of the directories that hold module files.
 *   TOKENS      the alias token dictionary: 128 u16 offsets into the token
 *               bytes that follow; each token expands to bytes that may hold
 *               further tokens (always of lower number).
 *   ALIASES     every (alias pattern, module) pair sorted by pattern, front
 *               coded in blocks of BLOB_ABLOCK entries: u8 shared-prefix
 *               length (0 at a block start), the rest of the pattern with
 *               bytes >= 0x80 standing for tokens, a 0 byte, u16 module index
 *               (bit 15 set when the pattern has ? [ or \\, which need
 *               fnmatch; '*'-only patterns are matched without it).
 *   ABLOCKS     u32 offset of each block inside ALIASES.
 *   PREFIX      hash table of patterns keyed by their literal prefix (the
 *               bytes before the first wildcard; all of a pattern without
 *               one): u16 first-entry positions per bucket (nbuckets + 1 of
 *               them), the u16 alias numbers in bucket order, then a tag byte
 *               per alias number (BLOB_TAG of its key). A lookup probes every
 *               prefix of the string.
 *   GRAMS       the same shape, for wildcard patterns keyed instead by one
 *               4-byte literal run ("gram") chosen at build time to be rare; a
 *               string can only match the pattern if it contains that gram,
 *               so a lookup probes each 4-byte window of the string.
 *   ALWAYS      u16 alias numbers of wildcard patterns with no 4-byte literal.
 *   CFGALIAS    alias lines from the build-time config: pairs of u32 STR
 *               offsets (pattern, module name), in config order.
 *   CFGOPTS     options lines from the build-time config: pairs of u32 STR
 *               offsets (module or alias name, options), in config order;
 *               the loader reads them as the first lines of its config.
 *
 * Aliases are stored normalised the way kmod normalises them ('-' -> '_'
 * outside brackets), and a lookup normalises its input the same way. */
#ifndef MODLOAD_BLOB_H
#define MODLOAD_BLOB_H

#include <stddef.h>
#include <stdint.h>

#define BLOB_MAGIC "MODLOAD\x1a"
#define BLOB_VERSION 4
#define BLOB_FILE "modload.blob"
#define BLOB_ABLOCK 16
#define BLOB_NTOKENS 128
#define BLOB_GRAM 4
/* Module numbers fit 15 bits: an alias entry's top bit is BLOB_FNMATCH. */
#define BLOB_MAX_MODS 0x7fff
#define BLOB_FNMATCH 0x8000
/* Bounds blob_check enforces: what the fields that index each table can
 * address. Alias numbers are u16; EXTRA record and DIRS numbers are u16; a
 * LIST position is a u16 count of 2-byte units, and the list there holds at
 * most a count and every module; token offsets are u16. */
#define BLOB_MAX_ALIASES 0xffff
#define BLOB_MAX_EXTRA 0x10000
#define BLOB_MAX_DIRS 0x10000
#define BLOB_MAX_LIST (2 * (0x10000 + BLOB_MAX_MODS))
#define BLOB_MAX_TOKENS 0x10000
#define BLOB_MAX_BUCKETS 0x10000
#define BLOB_MAX_PATTERN 4095 /* longest alias pattern (ALIAS_MAX - 1) */
/* A key's tag: bits the bucket index does not use. */
#define BLOB_TAG(h) ((uint8_t)((h) >> 24))
/* The checksum covers everything after itself; the fields before it (magic,
 * version, size) are checked one by one. */
#define BLOB_SUMMED_FROM 20

enum blob_section {
	SEC_STR,
	SEC_MOD,
	SEC_LIST,
	SEC_EXTRA,
	SEC_SLIST,
	SEC_DIRS,
	SEC_TOKENS,
	SEC_ALIASES,
	SEC_ABLOCKS,
	SEC_PREFIX,
	SEC_GRAMS,
	SEC_ALWAYS,
	SEC_CFGALIAS,
	SEC_CFGOPTS,
	BLOB_NSEC
};

struct blob_secdesc {
	uint32_t off, len;
};

struct blob_header {
	char magic[8];
	uint32_t version;
	uint32_t size;	   /* of the whole file */
	uint32_t checksum; /* blob_checksum of the bytes from BLOB_SUMMED_FROM on */
	uint32_t kver;	   /* STR offset of the kernel release */
	uint32_t nmods;
	uint32_t naliases;
	uint32_t prefix_buckets; /* powers of two */
	uint32_t gram_buckets;
	uint32_t max_prefix; /* longest literal prefix a PREFIX key has */
	struct blob_secdesc sec[BLOB_NSEC];
};

/* Module flags. */
enum {
	BM_BUILTIN = 1 << 0,   /* built into the kernel: nothing to load */
	BM_PACKED = 1 << 1,    /* its file is in the packed directory */
	BM_DASHFILE = 1 << 2,  /* file name is the name with '_' -> '-' */
	BM_BLACKLIST = 1 << 3, /* config: no loads through an alias */
	BM_FORBID = 1 << 4,    /* config: never loaded, even by name */
	BM_LOAD = 1 << 5,      /* config: load at boot */
	BM_SOFTDEP_CFG = 1 << 6
};

struct blob_mod {
	uint32_t name;	/* STR */
	uint16_t deps;	/* LIST offset / 2 */
	uint16_t extra; /* EXTRA record number, 0 for none (record 0 is all zero) */
	uint16_t dir;	/* DIRS index */
	uint16_t order; /* modules.order line, 0xffff when not listed */
	uint16_t flags; /* BM_*, and the file suffix in BM_EXT_MASK */
	uint16_t unused;
};

/* File suffix, in flags: .ko.zst, .ko, .ko.xz, .ko.gz. */
#define BM_EXT_SHIFT 8
#define BM_EXT_MASK (3u << BM_EXT_SHIFT)

struct blob_extra {
	uint32_t file;	   /* STR: file name stem when not derivable, else 0 */
	uint32_t soft_pre; /* SLIST */
	uint32_t soft_post;
};

/* An opened blob. All pointers point into the mapping. */
struct blob {
	const uint8_t *base;
	size_t size;
	const struct blob_header *h;
	const char *path;
};

/* Map and validate; on failure *why says what is wrong with the file (or is
 * NULL when the error is the errno of opening it). */
int blob_open(struct blob *b, const char *path, const char **why);
void blob_close(struct blob *b);
/* Validate a blob already in memory (not unmapped by blob_close). */
int blob_use(struct blob *b, const void *data, size_t size, const char **why);
/* Checks every header field and section bound; also used by blob_open. */
int blob_check(const struct blob *b, const char **why);
uint32_t blob_checksum(const uint8_t *p, size_t n);

/* Section s (bounds checked at open). Inline: lookups call it per probe. */
static inline const uint8_t *blob_sec(const struct blob *b, enum blob_section s, uint32_t *len)
{
	if (len)
		*len = b->h->sec[s].len;
	return b->base + b->h->sec[s].off;
}
const char *blob_str(const struct blob *b, uint32_t off);
const char *blob_kver(const struct blob *b);
uint32_t blob_nmods(const struct blob *b);
const struct blob_mod *blob_mod(const struct blob *b, uint32_t idx);
const char *blob_mod_name(const struct blob *b, uint32_t idx);
/* Index of the module with this (normalised) name, or -1. */
int blob_find_mod(const struct blob *b, const char *name);
/* The u16 list at LIST position units (2-byte units): sets *n, returns the
 * first element (read it through blob_u16). A list with an entry that names
 * no module is treated as empty. */
const uint8_t *blob_list(const struct blob *b, uint32_t units, uint32_t *n);
struct blob_extra blob_mod_extra(const struct blob *b, uint32_t idx);
/* String list (SLIST) entry i of the list at off. */
uint32_t blob_slist_count(const struct blob *b, uint32_t off);
const char *blob_slist_item(const struct blob *b, uint32_t off, uint32_t i);
/* Path of the module's file relative to the packed directory. */
int blob_mod_path(const struct blob *b, uint32_t idx, char *buf, size_t len);

static inline uint16_t blob_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t blob_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Hashes shared by writer and reader. blob_hash_str is FNV-1a plus a final
 * mix; the step/final pair lets a reader hash every prefix in one pass. */
#define BLOB_HASH_INIT 2166136261u
static inline uint32_t blob_hash_step(uint32_t h, uint8_t c)
{
	return (h ^ c) * 16777619u;
}
static inline uint32_t blob_hash_final(uint32_t h)
{
	return h ^ (h >> 15);
}
uint32_t blob_hash_str(const char *s, size_t n);
uint32_t blob_hash_gram(const char *s);

#endif
