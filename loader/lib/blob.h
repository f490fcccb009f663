/* blob.h: the precomputed module database that modpack writes and modload maps.
 *
 * One file, mapped read-only and used in place: nothing is parsed or
 * decompressed at startup. Every multi-byte integer in it is little-endian
 * and read byte by byte (blob_u16, blob_u32; the checksum through
 * blob_le64), at any alignment: no C struct is laid over the file, and no
 * field has the width of a host pointer or size_t, so a blob packed on
 * x86_64 reads the same on a big-endian or 32-bit target. The structs below
 * are the decoded, native forms.
 *
 * Header (BLOB_HDR_SIZE = 172 bytes; offsets BLOB_H_*)
 *     0  u8[8]  magic "MODLOAD\x1a"
 *     8  u32    version (BLOB_VERSION)
 *    12  u32    size of the whole file
 *    16  u32    checksum: blob_checksum of the bytes from offset 20 to the end
 *    20  u32    kver: STR offset of the kernel release
 *    24  u32    nmods
 *    28  u32    naliases
 *    32  u32    prefix_buckets
 *    36  u32    gram_buckets
 *    40  u32    max_prefix: longest literal prefix a PREFIX key has
 *    44  {u32 off, u32 len}[BLOB_NSEC]: the sections, in enum blob_section
 *               order; off is from the start of the file.
 *
 * Sections (all integers LE; "STR offset" = u32 byte offset into STR)
 *   STR         NUL-terminated strings; offset 0 is the empty string.
 *   MOD         nmods records of BLOB_MOD_SIZE = 16 bytes, sorted by name
 *               (binary search):
 *                 0 u32 name   STR offset
 *                 4 u16 deps   LIST position (2-byte units)
 *                 6 u16 extra  EXTRA record number, 0 for none
 *                 8 u16 dir    DIRS index of the directory of its file
 *                10 u16 order  modules.order line, 0xffff when not listed
 *                12 u16 flags  BM_*, and the file suffix in BM_EXT_MASK
 *                14 u16 reserved: written 0, ignored
 *   LIST        u16 lists: a count then that many u16 module numbers,
 *               addressed in 2-byte units. Position 0 is the empty list. A
 *               module's deps list is its complete dependency closure in
 *               load order (what modprobe inserts before it, softdeps aside).
 *   EXTRA       per-module rarely used data, records of BLOB_EXTRA_SIZE = 12
 *               bytes: u32 file (STR offset of the file name stem when it
 *               cannot be derived from the name, else 0), u32 soft_pre and
 *               u32 soft_post (SLIST offsets). Record 0 is all zero.
 *   SLIST       string lists at byte offsets: a u16 count then that many STR
 *               offsets (softdeps). Offset 0 is the empty list.
 *   DIRS        STR offsets of the directories that hold module files.
 *   TOKENS      the alias token dictionary: BLOB_NTOKENS u16 offsets (from
 *               the section start) of each token's bytes; token t ends where
 *               token t + 1 starts, the last at the section's end. A token's
 *               bytes are plain pattern bytes (never another token).
 *   ALIASES     every (alias pattern, module) pair sorted by pattern, front
 *               coded in blocks of BLOB_ABLOCK entries: u8 shared-prefix
 *               length (0 at a block start), the rest of the pattern with
 *               each byte >= 0x80 standing for token (byte - 0x80), a 0
 *               byte, u16 module number (bit 15, BLOB_FNMATCH, set when the
 *               pattern has ? [ or \\, which need fnmatch; '*'-only patterns
 *               are matched without it).
 *   ABLOCKS     u32 offset of each block inside ALIASES.
 *   PREFIX      hash table of patterns keyed by their literal prefix (the
 *               bytes before the first wildcard; all of a pattern without
 *               one): prefix_buckets + 1 u16 first-entry positions (the last
 *               is the total), the u16 alias numbers in bucket order, then a
 *               tag byte per alias number (BLOB_TAG of its key). A lookup
 *               probes every prefix of the string.
 *   GRAMS       the same shape with gram_buckets, for wildcard patterns keyed
 *               instead by one 4-byte literal run ("gram") chosen at build
 *               time to be rare; a string can only match the pattern if it
 *               contains that gram, so a lookup probes each 4-byte window.
 *   ALWAYS      u16 alias numbers of wildcard patterns with no 4-byte literal.
 *   CFGALIAS    alias lines from the build-time config: pairs of STR offsets
 *               (pattern, module name), in config order.
 *   CFGOPTS     options lines from the build-time config: pairs of STR
 *               offsets (module or alias name, options), in config order;
 *               the loader reads them as the first lines of its config.
 *   CFGCMDS     install and remove lines from the build-time config: records
 *               of four STR offsets (keyword "install" or "remove", module
 *               name or pattern, the command as written, "FILE:LINE" of the
 *               line), in config order.
 *   SYMBOLS     the symbols the modules export, for "symbol:NAME" (what the
 *               kernel's symbol_request asks modprobe for; kmod's
 *               modules.symbols), one group per exporting module: its u16
 *               number, then its names in order, each a u8 length shared
 *               with the name before it in the group (0 for the first; at
 *               most 254) and the rest of the name, bytes 0x01..0x7f with
 *               the top bit set on the last; a 0xff byte ends the group.
 *               Read front to back (blob_find_symbol).
 *
 * What blob_check enforces, once, at open (a blob failing any of it is
 * refused with a reason; the readers rely on all of it):
 *   - magic, version, size equal to the file's, checksum;
 *   - every section 4-byte aligned, after the header and after the section
 *     before it (in enum order, so none overlaps another), inside the file;
 *   - STR non-empty, starting and ending with NUL; kver inside it;
 *   - nmods <= BLOB_MAX_MODS (15-bit module numbers), MOD exactly nmods
 *     records;
 *   - LIST of even size, at most BLOB_MAX_LIST bytes (what a u16 position
 *     and one list of every module can reach), position 0 a zero count;
 *   - EXTRA whole records, 1 to BLOB_MAX_EXTRA (u16 numbers), record 0 zero;
 *   - SLIST at least 2 bytes, offset 0 a zero count;
 *   - DIRS whole entries, at most BLOB_MAX_DIRS (u16 indices); CFGALIAS
 *     and CFGOPTS whole pairs, CFGCMDS whole records, each offset inside
 *     STR;
 *   - TOKENS between 2 * BLOB_NTOKENS and BLOB_MAX_TOKENS bytes; offset 0
 *     = 2 * BLOB_NTOKENS, offsets non-decreasing and inside the section;
 *     token bytes 0x01..0x7f (no nesting: expansion has no depth or loops);
 *   - naliases <= BLOB_MAX_ALIASES (u16 alias numbers); ABLOCKS exactly one
 *     u32 per block; ALIASES at least 4 bytes per alias;
 *   - prefix_buckets and gram_buckets powers of two from 1 to
 *     BLOB_MAX_BUCKETS, each table exactly its starts, total ids and tags,
 *     total <= naliases; ALWAYS whole u16s, at most naliases of them;
 *   - max_prefix <= BLOB_MAX_PATTERN.
 * What the readers check per entry, against those bounds (a bad entry
 * reads as empty or fails that one lookup, never out of the file):
 *   - module records: a name or stem outside STR reads as "", an extra
 *     number past EXTRA as no record, a deps list running past LIST or
 *     naming no module as empty; blob_mod_path refuses (-EBADMSG) a record
 *     whose dir, extra, name or stem, or whose DIRS entry, is not there;
 *   - an SLIST list running past the section reads as empty, an item
 *     outside STR as "";
 *   - alias entries: ABLOCKS offsets inside ALIASES, shared prefix at most
 *     the previous entry's length, decoding within ALIASES and
 *     BLOB_MAX_PATTERN, module number < nmods, alias numbers < naliases,
 *     bucket starts clamped to the total.
 *
 * Aliases are stored normalised the way kmod normalises them ('-' -> '_'
 * outside brackets), and a lookup normalises its input the same way. */
#ifndef MODLOAD_BLOB_H
#define MODLOAD_BLOB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define BLOB_MAGIC "MODLOAD\x1a"
/* 5: the same bytes as 4 on little-endian hosts, but now a specification
 * (every field LE whatever the host) with every bound above enforced. */
#define BLOB_VERSION 7 /* 6: CFGCMDS; 7: SYMBOLS */
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
	SEC_CFGCMDS,
	SEC_SYMBOLS,
	BLOB_NSEC
};

/* Byte offsets of the header fields, and of section s's descriptor. */
enum {
	BLOB_H_MAGIC = 0,
	BLOB_H_VERSION = 8,
	BLOB_H_SIZE = 12,
	BLOB_H_CHECKSUM = 16,
	BLOB_H_KVER = 20,
	BLOB_H_NMODS = 24,
	BLOB_H_NALIASES = 28,
	BLOB_H_PREFIX_BUCKETS = 32,
	BLOB_H_GRAM_BUCKETS = 36,
	BLOB_H_MAX_PREFIX = 40,
	BLOB_H_SEC = 44,
	BLOB_HDR_SIZE = BLOB_H_SEC + 8 * BLOB_NSEC
};
#define BLOB_H_SEC_OFF(s) (BLOB_H_SEC + 8 * (s))
#define BLOB_H_SEC_LEN(s) (BLOB_H_SEC + 8 * (s) + 4)

/* Record sizes and field offsets in MOD and EXTRA. */
enum {
	BLOB_MOD_SIZE = 16,
	BLOB_M_NAME = 0,
	BLOB_M_DEPS = 4,
	BLOB_M_EXTRA = 6,
	BLOB_M_DIR = 8,
	BLOB_M_ORDER = 10,
	BLOB_M_FLAGS = 12,
	BLOB_M_RESERVED = 14,
	BLOB_EXTRA_SIZE = 12,
	BLOB_X_FILE = 0,
	BLOB_X_SOFT_PRE = 4,
	BLOB_X_SOFT_POST = 8
};

struct blob_secdesc {
	uint32_t off, len;
};

/* The header, decoded (the magic is checked in place, not kept). */
struct blob_header {
	union {
		struct {
			uint32_t version;
			uint32_t size;
			uint32_t checksum;
			uint32_t kver;
			uint32_t nmods;
			uint32_t naliases;
			uint32_t prefix_buckets;
			uint32_t gram_buckets;
			uint32_t max_prefix;
			struct blob_secdesc sec[BLOB_NSEC];
		};
		/* the same as the header's words after the magic, in order */
		uint32_t word[(BLOB_HDR_SIZE - BLOB_H_VERSION) / 4];
	};
};

/* Module flags. */
enum {
	BM_BUILTIN = 1 << 0,   /* built into the kernel: nothing to load */
	BM_PACKED = 1 << 1,    /* its file is in the packed directory */
	BM_DASHFILE = 1 << 2,  /* file name is the name with '_' -> '-' */
	BM_BLACKLIST = 1 << 3, /* config: no loads through an alias */
	BM_FORBID = 1 << 4,    /* config: never loaded, even by name */
	BM_LOAD = 1 << 5,      /* config: load at boot */
	BM_SOFTDEP_CFG = 1 << 6,
	BM_NONAME = 1 << 7 /* built in, known by its aliases only, not by name */
};

/* A MOD record, decoded (layout above). */
struct blob_mod {
	uint32_t name;	/* STR */
	uint16_t deps;	/* LIST position */
	uint16_t extra; /* EXTRA record number, 0 for none */
	uint16_t dir;	/* DIRS index */
	uint16_t order; /* modules.order line, 0xffff when not listed */
	uint16_t flags; /* BM_*, and the file suffix in BM_EXT_MASK */
};

/* File suffix, in flags: .ko.zst, .ko, .ko.xz, .ko.gz. */
#define BM_EXT_SHIFT 8
#define BM_EXT_MASK (3u << BM_EXT_SHIFT)

/* An EXTRA record, decoded. */
struct blob_extra {
	uint32_t file;	   /* STR: file name stem when not derivable, else 0 */
	uint32_t soft_pre; /* SLIST */
	uint32_t soft_post;
};

/* An opened blob: the mapping, and its header decoded once. */
struct blob {
	const uint8_t *base;
	size_t size;
	struct blob_header h;
	const char *path;
};

/* Map and validate; on failure *why says what is wrong with the file (or is
 * NULL when the error is the errno of opening it). */
int blob_open(struct blob *b, const char *path, const char **why);
void blob_close(struct blob *b);
/* Validate a blob already in memory (not unmapped by blob_close). */
int blob_use(struct blob *b, const void *data, size_t size, const char **why);
/* Decode b->base's header into b->h and check everything listed above;
 * used by blob_open and blob_use. */
int blob_check(struct blob *b, const char **why);
uint32_t blob_checksum(const uint8_t *p, size_t n);

/* Section s (bounds checked at open). Inline: lookups call it per probe. */
static inline const uint8_t *blob_sec(const struct blob *b, enum blob_section s, uint32_t *len)
{
	if (len)
		*len = b->h.sec[s].len;
	return b->base + b->h.sec[s].off;
}
const char *blob_str(const struct blob *b, uint32_t off);
const char *blob_kver(const struct blob *b);
uint32_t blob_nmods(const struct blob *b);
/* Module record idx, decoded; all zero (name "", no file, no deps) when
 * there is no such module. */
struct blob_mod blob_mod(const struct blob *b, uint32_t idx);
const char *blob_mod_name(const struct blob *b, uint32_t idx);
/* Index of the module with this (normalised) name, or -1. */
int blob_find_mod(const struct blob *b, const char *name);
/* Index of the module exporting symbol name (SYMBOLS), or -1. */
int blob_find_symbol(const struct blob *b, const char *name);
/* The u16 list at LIST position units (2-byte units): sets *n, returns the
 * first element (read it through blob_u16). A list with an entry that names
 * no module is treated as empty. */
const uint8_t *blob_list(const struct blob *b, uint32_t units, uint32_t *n);
/* The module's EXTRA record; all zero when it has none (or no such module). */
struct blob_extra blob_mod_extra(const struct blob *b, uint32_t idx);
/* String list (SLIST) entry i of the list at off. */
uint32_t blob_slist_count(const struct blob *b, uint32_t off);
const char *blob_slist_item(const struct blob *b, uint32_t off, uint32_t i);
/* Path of the module's file relative to the packed directory. Returns 0,
 * -ENOENT (no such module, or built in: no file), -EBADMSG (its record
 * names no directory or EXTRA record: the blob is corrupt) or
 * -ENAMETOOLONG (does not fit in len). */
int blob_mod_path(const struct blob *b, uint32_t idx, char *buf, size_t len);

static inline __attribute__((always_inline)) uint16_t blob_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline __attribute__((always_inline)) uint32_t blob_u32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 8 LE bytes at any alignment, for the checksum's hot loop: one load on a
 * little-endian host, a load and a byte swap on a big-endian one. */
static inline uint64_t blob_le64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

/* Hashes shared by writer and reader, part of the format (PREFIX and GRAMS
 * are keyed by them). blob_hash_str is FNV-1a over the bytes plus a final
 * mix; the step/final pair lets a reader hash every prefix in one pass.
 * blob_hash_gram mixes the 4 bytes at s read as a little-endian u32. */
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
