# modload: static musl loader (build/modload) and host packer (build/modpack).
# `make` builds both; `make check` runs every test; `make demo` boots the test kernel;
# `make fuzz` runs every libFuzzer harness (tests/fuzz) for FUZZ_SECONDS each.
# `make ARCH=arm64` / `make ARCH=armhf`: the loader cross-built for that target
# (build/ARCH/modload, with its own objects and zstd decoder under build/ARCH/)
# and the host packer; `make cross` builds both ARM loaders; `make deps
# ARCH=...` installs the cross toolchain.
# `make install [PREFIX=/usr/local] [DESTDIR=]` installs the image builder
# (with the ARM loaders `make cross` built, for --arch images).

B        := build
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -Oz -fno-jump-tables -fno-tree-switch-conversion
CPPFLAGS += -Iloader/lib -D_GNU_SOURCE
ARCH     ?=
# Per target: the musl wrapper (from musl-dev:ARCH), binutils' prefix and the
# build directory of the loader. Native: build/ itself, as always.
ifeq ($(ARCH),)
MUSLCC   ?= musl-gcc
CROSS    :=
TB       := $(B)
else ifeq ($(ARCH),arm64)
MUSLCC   := aarch64-linux-musl-gcc
CROSS    := aarch64-linux-gnu-
TB       := $(B)/arm64
# The whole static loader is far below 1 MB: the tiny code model's single-
# instruction addresses (ADR) save 2 KB, and inline LL/SC atomics (every
# ARMv8) the outline helpers' 0.2 KB; no frame pointer (AArch64 GCC keeps
# one by default, x86-64 does not), 1.4 KB. Should it ever outgrow 1 MB, the
# link fails with a relocation overflow, not silently. Jump tables, which
# the other targets do without (-fno-jump-tables in CFLAGS: x86_64 512
# bytes), are smaller here (64 bytes). No RTL forward propagation (256
# bytes here, armhf 216, x86_64 none) and no reassociation of expressions
# (64 bytes here, x86_64 grows 32).
ARCH_CFLAGS := -mcmodel=tiny -mno-outline-atomics -fomit-frame-pointer -fjump-tables \
	-fno-forward-propagate -fno-tree-reassoc
else ifeq ($(ARCH),armhf)
MUSLCC   := arm-linux-musleabihf-gcc
CROSS    := arm-linux-gnueabihf-
TB       := $(B)/armhf
else
$(error ARCH=$(ARCH): say arm64, armhf, or nothing for a native build)
endif
STRIP    := $(CROSS)strip
# Size: no unwind tables (C, no exceptions), drop unused sections, and no
# page-aligned gaps between segments (with the default common page size ld
# starts the data segment on a page boundary in the file: up to 4 KB of
# padding; with 64 the gap is under 64 bytes and the mapping is the same).
# Link-time optimisation across the loader and the decoder (about 4 KB),
# position-dependent code (a static binary is never relocated: 1 KB), and
# fat LTO objects so that `make size` can still link without LTO to say
# which component the bytes come from. -fmerge-all-constants: identical
# constant arrays and variables share one copy, as string literals do
# (about 600 bytes of .rodata; nothing in the loader compares the addresses
# of two constants). --sort-section=alignment: input sections laid out by
# alignment, so fewer padding gaps between them (88 bytes on x86_64).
# -ffunction-sections -fdata-sections at the link too: LTO's own code
# generation runs with the link's options, and without them each partition
# was one .text, so --gc-sections kept dead functions (zstd's dictionary
# entropy loader, 500 bytes) and data (536 bytes on x86_64, 432 on arm64).
# -flto-partition=one: the whole program optimised as one unit, not in
# partitions compiled apart (x86_64 576 bytes, arm64 384; it links since
# strdup is loader/rt's: musl's, pulled in after LTO, missed malloc).
# -mgeneral-regs-only: the loader has no floating point, and without vector
# registers a variadic function (fd_printf, log_msg, fmt_snprintf ...) no
# longer saves them in its prologue, nor are small copies done through them
# (x86_64 320 bytes, arm64 128). -fipa-pta: points-to analysis across
# functions, at the LTO link (x86_64 128 bytes, arm64 none). No loop-
# invariant motion (x86_64 128 bytes, arm64 none) and no shrink-wrapping
# (arm64 64 bytes, x86_64 none): at -Oz both cost more code than they save
# in the loader's loops and early returns. No early inlining and no tree
# tail merging (x86_64 96 bytes together, arm64 none; each alone 32 and 64).
# No RTL loop-invariant motion and no scalar-evolution constant propagation
# (together x86_64 128 bytes, arm64 512, armhf 436; alone, x86_64 / arm64,
# 96 / 320 and 64 / 184): hoisted invariants and computed final values cost
# registers and code in short loops (rt/mem.c's word loops, zstd_decode).
# No partial inlining (a function's early-return test copied into callers):
# x86_64 32 bytes, arm64 64, armhf 20.
# Per object, and at the LTO link for the loader's code: the decoder's
# objects keep their own options.
SIZE_FLAGS := -mgeneral-regs-only -fipa-pta -fno-tree-loop-im -fno-shrink-wrap \
	-fno-early-inlining -fno-tree-tail-merge -fno-move-loop-invariants -fno-tree-scev-cprop \
	-fno-partial-inlining
TARGET_CFLAGS := $(SIZE_FLAGS) -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-pie -flto -ffat-lto-objects -fmerge-all-constants
TARGET_LDFLAGS := -no-pie -flto=auto $(CFLAGS) $(SIZE_FLAGS) -fmerge-all-constants -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro \
	-Wl,--build-id=none -Wl,-z,common-page-size=64 -Wl,--sort-section=alignment -flto-partition=one
TARGET_CFLAGS += $(ARCH_CFLAGS)
TARGET_LDFLAGS += $(ARCH_CFLAGS)
HOSTCC   ?= cc

.DEFAULT_GOAL := all
include mk/zstd.mk
ZSTD_CFLAGS += $(ARCH_CFLAGS)

include mk/sources.mk

LOADER_OBJ := $(patsubst %.c,$(TB)/target/%.o,$(SHARED) $(LIB) $(APPLETS) $(RT))
PACK_OBJ   := $(patsubst %.c,$(B)/host/%.o,$(SHARED) $(PACK))

all: $(TB)/modload $(B)/modpack

# Both ARM loaders (make check boots them).
cross:
	$(MAKE) ARCH=arm64
	$(MAKE) ARCH=armhf

# On a bare machine: one line saying to run `make deps`, not a compiler error.
tools:
	@mk/need-tools "$(MUSLCC)" "$(HOSTCC)" "$(STRIP)" "$(ARCH)"
$(LOADER_OBJ) $(PACK_OBJ) $(ZSTD_DEC_LIB): | tools

# The start file alone (-nostartfiles, then musl's crt1.o): gcc's crtbeginS
# and crtendS register static constructors, destructors and transactional
# memory clones and bring an .eh_frame, and musl's crti/crtn frame the legacy
# _init/_fini, of which musl calls a weak empty one when they are absent.
# Nothing in the loader has constructors (C, no __attribute__((constructor))):
# x86_64 232 bytes, arm64 376, armhf 160. crt1.o is found where the musl wrapper takes
# its Scrt1.o from.
MUSL_CRT1 = $(dir $(shell $(MUSLCC) -\#\#\# -static -no-pie -o /dev/null x.o 2>&1 | tr ' ' '\n' | tr -d '"' | grep -m1 'Scrt1\.o$$'))crt1.o

$(TB)/modload: $(LOADER_OBJ) $(ZSTD_DEC_LIB) Makefile mk/drop-section-headers
	$(MUSLCC) -static -nostartfiles $(TARGET_LDFLAGS) -o $@.unstripped $(MUSL_CRT1) $(LOADER_OBJ) $(ZSTD_DEC_LIB) -lpthread
	@# The same objects without LTO, for the map that says where bytes come from.
	@$(MUSLCC) -static -nostartfiles $(TARGET_LDFLAGS) -fno-lto -Wl,-Map=$@.map -o $@.nolto $(MUSL_CRT1) $(LOADER_OBJ) $(ZSTD_DEC_LIB) -lpthread
	$(STRIP) -R .comment -o $@.tmp $@.unstripped
	mk/drop-section-headers $@.tmp && mv -f $@.tmp $@

$(TB)/target/%.o: %.c $(ZSTD_DEC_LIB)
	@mkdir -p $(dir $@)
	$(MUSLCC) $(CFLAGS) $(TARGET_CFLAGS) $(WARN) $(CPPFLAGS) $(ZSTD_CPPFLAGS) -MMD -MP -c -o $@ $<

# loader/rt stands in for libc: system headers only (loader/lib has names
# that would shadow them), and no builtin knowledge of malloc (GCC turns
# calloc's malloc + memset into a call to calloc: itself), nor loops made
# into calls of memcpy or memset (mem.c's loops would call themselves).
RT_CFLAGS := -fno-builtin-malloc -fno-builtin-calloc -fno-builtin-memset -fno-tree-loop-distribute-patterns
$(TB)/target/loader/rt/%.o: loader/rt/%.c
	@mkdir -p $(dir $@)
	$(MUSLCC) $(CFLAGS) $(TARGET_CFLAGS) $(RT_CFLAGS) $(WARN) -D_GNU_SOURCE -MMD -MP -c -o $@ $<

$(B)/modpack: $(PACK_OBJ)
	$(HOSTCC) -o $@ $(PACK_OBJ) -lzstd -llzma -lz

$(B)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) $(CPPFLAGS) -Iinitramfs/modpack -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# Where the loader's bytes go, from the link map (the README's size table).
size: $(B)/modload
	@mk/size-table $(B)/modload.map $(B)/modload

deps:
	tests/ensure-deps $(ARCH)

# The tests boot the ARM loaders too: their toolchains and QEMU come first.
check:
	tests/ensure-deps arm64 armhf
	$(MAKE) all cross
	tests/run-all

demo: deps all
	qemu-tests/demo

# Long fuzzing runs: each harness FUZZ_SECONDS, corpora grown and kept in
# build/fuzz/corpus-NAME (never in the repository). FUZZ=NAME picks one.
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_CORPUS=grow tests/test-fuzz $(FUZZ)

clean:
	rm -rf $(B)

# The image builder and what it puts into images.  modload's applet links
# stay in PREFIX/lib/modload: in PATH they would shadow the build machine's
# kmod, and mkinitramfs is installed as modload-mkinitramfs because
# initramfs-tools' update-initramfs runs `mkinitramfs` from PATH.
PREFIX  ?= /usr/local
DESTDIR ?=
I_BIN   := $(DESTDIR)$(PREFIX)/bin
I_LIB   := $(DESTDIR)$(PREFIX)/lib/modload
I_SHARE := $(DESTDIR)$(PREFIX)/share/modload
I_DOC   := $(DESTDIR)$(PREFIX)/share/doc/modload
install: all
	install -d $(I_BIN) $(I_LIB) $(I_SHARE) $(I_DOC)/config
	install -m 755 $(B)/modload $(B)/modpack $(I_LIB)/
	for a in arm64 armhf; do [ ! -x $(B)/$$a/modload ] || \
		install -D -m 755 $(B)/$$a/modload $(I_LIB)/$$a/modload; done
	for a in modprobe insmod rmmod lsmod modinfo; do ln -sf modload $(I_LIB)/$$a; done
	ln -sf ../lib/modload/modload $(I_BIN)/modload
	ln -sf ../lib/modload/modpack $(I_BIN)/modpack
	install -m 755 initramfs/mkinitramfs $(I_BIN)/modload-mkinitramfs
	install -m 644 initramfs/init $(I_SHARE)/init
	install -m 644 README.md $(I_DOC)/
	install -m 644 config/README.md config/example.conf $(I_DOC)/config/

uninstall:
	rm -f $(I_BIN)/modload $(I_BIN)/modpack $(I_BIN)/modload-mkinitramfs
	rm -rf $(I_LIB) $(I_SHARE) $(I_DOC)

.PHONY: all cross tools size deps check demo fuzz clean install uninstall
