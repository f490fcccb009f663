# mk/zstd.mk: a decompression-only libzstd for the static loader.
#
# Why build it: Debian's libzstd.a carries the compressor, the legacy decoders
# and the dictionary builder; a static musl program that only decodes is about
# 263 KB with it and under 50 KB with this build.
#
# Where the code comes from: Debian's own zstd source package, fetched at build
# time with `apt-get source` and a private apt configuration (own source list,
# lists and cache in a temporary directory), so the machine's apt state is left
# as it is. The unpacked tree is cached outside the repository in ZSTD_CACHE and
# reused; no zstd source is ever committed. If the fetch fails, Debian's
# libzstd.a (x86-64 only) is used instead and make prints a warning.
#
# Provides:
#   ZSTD_DEC_LIB   the static archive to link (always build/zstd/libzstd-dec.a)
#   ZSTD_CPPFLAGS  -I for the zstd.h that matches it
# Knobs: ZSTD_CACHE, ZSTD_MIRROR, ZSTD_SECURITY_MIRROR, ZSTD_SUITE,
#        ZSTD_KEYRING, ZSTD_AR (default: the archiver $(MUSLCC) names).

ZSTD_CACHE           ?= /var/cache/modload/zstd-src
ZSTD_MIRROR          ?= http://deb.debian.org/debian
ZSTD_SECURITY_MIRROR ?= http://deb.debian.org/debian-security
ZSTD_SUITE           ?= bookworm
ZSTD_KEYRING         ?= /usr/share/keyrings/debian-archive-keyring.gpg
ZSTD_FALLBACK        ?= /usr/lib/x86_64-linux-gnu/libzstd.a
ZSTD_AR              ?=

ZSTD_B        := $(B)/zstd
ZSTD_DEC_LIB  := $(ZSTD_B)/libzstd-dec.a
# The headers are copied next to the archive: the path is known before the
# source is fetched, and musl-gcc never searches /usr/include (fallback case).
ZSTD_CPPFLAGS := -I$(ZSTD_B)/include

# The unpacked source tree; .ready inside it marks a complete unpack.
ZSTD_SRC := $(ZSTD_CACHE)/src

# Decoder only, smallest code: no legacy formats, no error strings, one Huffman
# and one sequence decoder, no forced inlining, no tracing hooks, no threads
# (ZSTD_MULTITHREAD stays undefined). The x86-64 Huffman assembly is left out:
# it adds 4 KB, decodes ext4.ko no faster here, and leaving it out keeps one
# source list for every target. XXH_NAMESPACE is what zstd's own build sets.
ZSTD_DEFS := -DZSTD_LEGACY_SUPPORT=0 -DZSTD_STRIP_ERROR_STRINGS \
	-DHUF_FORCE_DECOMPRESS_X1 -DZSTD_FORCE_DECOMPRESS_SEQUENCES_SHORT \
	-DZSTD_NO_INLINE -DZSTD_NO_TRACE -DZSTD_DISABLE_ASM \
	-DDEBUGLEVEL=0 -DXXH_NAMESPACE=ZSTD_
ZSTD_CFLAGS := -Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables

# Private apt state in $$w (set by the fetch below). deb-src lines mirror the
# machine's binary sources (/etc/apt/sources.list.d/debian.sources).
zstd_apt = -o Dir::Etc::SourceList=$$w/sources.list \
	-o Dir::Etc::SourceParts=$$w/parts -o Dir::State::Lists=$$w/lists \
	-o Dir::Cache=$$w/cache -o APT::Sandbox::User=root
zstd_debsrc = deb-src [signed-by=$(ZSTD_KEYRING)]

# Fetch and unpack into a temporary directory, then rename it into place, so
# an interrupted or concurrent fetch never leaves a half tree behind. Every
# step exits by hand: this runs inside an `if`, where `set -e` is ignored.
zstd_fetch = ( \
	mkdir -p $(ZSTD_CACHE) || exit 1; \
	w=$$(mktemp -d $(ZSTD_CACHE)/fetch.XXXXXX) || exit 1; \
	trap 'rm -rf "$$w"' EXIT; \
	mkdir -p $$w/parts $$w/lists/partial $$w/cache/archives/partial $$w/dl || exit 1; \
	{ echo "$(zstd_debsrc) $(ZSTD_MIRROR) $(ZSTD_SUITE) $(ZSTD_SUITE)-updates main"; \
	  echo "$(zstd_debsrc) $(ZSTD_SECURITY_MIRROR) $(ZSTD_SUITE)-security main"; \
	} >$$w/sources.list || exit 1; \
	echo "  FETCH   zstd source package ($(ZSTD_SUITE)) into $(ZSTD_SRC)"; \
	apt-get -q $(zstd_apt) update >$$w/log 2>&1 || { cat $$w/log >&2; exit 1; }; \
	cd $$w/dl || exit 1; \
	apt-get -q $(zstd_apt) source --download-only zstd >$$w/log 2>&1 || { cat $$w/log >&2; exit 1; }; \
	dpkg-source -x $$w/dl/*.dsc $$w/tree >$$w/log 2>&1 || { cat $$w/log >&2; exit 1; }; \
	touch $$w/tree/.ready || exit 1; \
	if ! test -f $(ZSTD_SRC)/.ready; then rm -rf $(ZSTD_SRC); fi; \
	mv -T $$w/tree $(ZSTD_SRC) 2>/dev/null || test -f $(ZSTD_SRC)/.ready )

# Compile lib/common and lib/decompress with the target compiler.
zstd_from_source = ( set -e; \
	ar="$(ZSTD_AR)"; test -n "$$ar" || ar=$$($(MUSLCC) -print-prog-name=ar); \
	for f in $(ZSTD_SRC)/lib/common/*.c $(ZSTD_SRC)/lib/decompress/*.c; do \
		n=$$(basename $$f .c); \
		echo "  CC      zstd/$$n.c"; \
		$(MUSLCC) $(ZSTD_CFLAGS) $(ZSTD_DEFS) -c -o $(ZSTD_B)/obj/$$n.o $$f; \
	done; \
	$$ar rcs $@.tmp $(ZSTD_B)/obj/*.o; \
	cp $(ZSTD_SRC)/lib/zstd.h $(ZSTD_SRC)/lib/zstd_errors.h $(ZSTD_B)/include/; \
	v=$$(dpkg-parsechangelog -l $(ZSTD_SRC)/debian/changelog -S Version); \
	echo "Debian zstd source $$v, decoder only" >$(ZSTD_B)/ORIGIN )

# Last resort: Debian's full static library, built for glibc on x86-64.
zstd_from_debian_lib = ( set -e; \
	echo "mk/zstd.mk: warning: could not fetch Debian's zstd source package;" \
		"using $(ZSTD_FALLBACK) (about 200 KB larger)" >&2; \
	case "$$($(MUSLCC) -dumpmachine)" in x86_64-*) ;; \
	*) echo "mk/zstd.mk: error: the fallback library is x86-64 only" >&2; exit 1 ;; esac; \
	cp $(ZSTD_FALLBACK) $@.tmp; \
	cp /usr/include/zstd.h /usr/include/zstd_errors.h $(ZSTD_B)/include/; \
	echo "Debian $(ZSTD_FALLBACK) (fallback)" >$(ZSTD_B)/ORIGIN )

$(ZSTD_DEC_LIB): mk/zstd.mk
	@rm -rf $(ZSTD_B) && mkdir -p $(ZSTD_B)/obj $(ZSTD_B)/include
	@if test -f $(ZSTD_SRC)/.ready || $(zstd_fetch); then \
		$(zstd_from_source); \
	else \
		$(zstd_from_debian_lib); \
	fi
	@mv $@.tmp $@
	@echo "  AR      $@ ($$(cat $(ZSTD_B)/ORIGIN))"
