# mk/zstd.mk: a decompression-only libzstd for the static loader.
#
# Why build it: Debian's libzstd.a carries the compressor, the legacy decoders
# and the dictionary builder; a static musl program that only decodes is about
# 263 KB with it and under 50 KB with this build.
#
# Where the code comes from: Debian's own zstd source package, fetched and
# verified by mk/fetch-zstd-source (every version apt knows is tried until one
# downloads; the upstream tarball's sha256 must be in mk/zstd-source.sha256).
# The unpacked tree is cached outside the repository in ZSTD_CACHE and
# reused; no zstd source is ever committed. A failed fetch is an error.
# ZSTD_FALLBACK=1 links Debian's full glibc-built libzstd.a instead (x86-64
# only, about 200 KB larger: the size goal is then off, and make says so).
#
# Provides:
#   ZSTD_DEC_LIB   the static archive to link (always $(TB)/zstd/libzstd-dec.a:
#                  build/zstd natively, build/ARCH/zstd for a cross build)
#   ZSTD_CPPFLAGS  -I for the zstd.h that matches it
# Knobs: ZSTD_CACHE, ZSTD_SOURCES, ZSTD_FALLBACK, ZSTD_AR (default: the
#        archiver $(MUSLCC) names).

ZSTD_CACHE    ?= /var/cache/modload/zstd-src
ZSTD_FALLBACK ?=
ZSTD_FALLBACK_LIB := /usr/lib/x86_64-linux-gnu/libzstd.a
ZSTD_AR       ?=

ZSTD_B        := $(TB)/zstd
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
# DYNAMIC_BMI2=0: no second, BMI2-compiled copy of the hot loops on x86-64.
# -Oz, as the loader: 352 bytes less than -Os on x86-64, 240 on arm64, and
# ext4.ko (2 MB) still decodes in about 15 ms under load either way.
# arm64: no interprocedural constant propagation in the decoder either (64
# bytes there; x86_64 grows 768 with it, so only there).
ifeq ($(ARCH),arm64)
ZSTD_OPT    ?= -Oz -fno-ipa-cp
else
ZSTD_OPT    ?= -Oz
endif
ZSTD_CFLAGS := $(ZSTD_OPT) -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-pie -flto -ffat-lto-objects -DDYNAMIC_BMI2=0

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

# Only when asked for (ZSTD_FALLBACK=1): Debian's full static library, built
# for glibc on x86-64.
zstd_from_debian_lib = ( set -e; \
	echo "mk/zstd.mk: ZSTD_FALLBACK=1: linking $(ZSTD_FALLBACK_LIB) (compressor and legacy" \
		"decoders included): the loader's size goal is off" >&2; \
	case "$$($(MUSLCC) -dumpmachine)" in x86_64-*) ;; \
	*) echo "mk/zstd.mk: error: ZSTD_FALLBACK=1 works for x86-64 only" >&2; exit 1 ;; esac; \
	cp $(ZSTD_FALLBACK_LIB) $@.tmp; \
	cp /usr/include/zstd.h /usr/include/zstd_errors.h $(ZSTD_B)/include/; \
	echo "Debian $(ZSTD_FALLBACK_LIB) (ZSTD_FALLBACK=1)" >$(ZSTD_B)/ORIGIN )

$(ZSTD_DEC_LIB): mk/zstd.mk mk/fetch-zstd-source mk/zstd-source.sha256
	@rm -rf $(ZSTD_B) && mkdir -p $(ZSTD_B)/obj $(ZSTD_B)/include
	@if test "$(ZSTD_FALLBACK)" = 1; then \
		$(zstd_from_debian_lib); \
	else \
		{ test -f $(ZSTD_SRC)/.ready || mk/fetch-zstd-source $(ZSTD_SRC); } && \
		$(zstd_from_source); \
	fi
	@mv $@.tmp $@
	@echo "  AR      $@ ($$(cat $(ZSTD_B)/ORIGIN))"
