# modload: static musl loader (build/modload) and host packer (build/modpack).
# `make` builds both; `make check` runs every test; `make demo` boots the test kernel;
# `make install [PREFIX=/usr/local] [DESTDIR=]` installs the image builder.

B        := build
WARN     := -Wall -Wextra -Werror
CFLAGS   ?= -Os
CPPFLAGS += -Iloader/lib -D_GNU_SOURCE
MUSLCC   ?= musl-gcc
# Size: no unwind tables (C, no exceptions), drop unused sections, and no
# page-aligned gaps between segments.
TARGET_CFLAGS := -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables
TARGET_LDFLAGS := -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none
HOSTCC   ?= cc

.DEFAULT_GOAL := all
include mk/zstd.mk

# Mechanisms shared by the loader and the packer: one copy of each.
SHARED   := loader/lib/blob.c loader/lib/alias.c loader/lib/wildmatch.c loader/lib/lookup.c loader/lib/modinfo.c loader/lib/elf.c loader/lib/log.c \
            loader/lib/config.c loader/lib/cmdline.c loader/lib/config_query.c loader/lib/fmt.c loader/lib/num.c loader/lib/readfile.c
LIB      := $(filter-out $(SHARED),$(wildcard loader/lib/*.c))
APPLETS  := $(wildcard loader/applets/*.c)
# Replacements for parts of musl that are too big for the loader (target only).
RT       := $(wildcard loader/rt/*.c)
PACK     := $(wildcard initramfs/modpack/*.c)

LOADER_OBJ := $(patsubst %.c,$(B)/target/%.o,$(SHARED) $(LIB) $(APPLETS) $(RT))
PACK_OBJ   := $(patsubst %.c,$(B)/host/%.o,$(SHARED) $(PACK))

all: $(B)/modload $(B)/modpack

# On a bare machine: one line saying to run `make deps`, not a compiler error.
tools:
	@mk/need-tools "$(MUSLCC)" "$(HOSTCC)"
$(LOADER_OBJ) $(PACK_OBJ) $(ZSTD_DEC_LIB): | tools

$(B)/modload: $(LOADER_OBJ) $(ZSTD_DEC_LIB)
	$(MUSLCC) -static $(TARGET_LDFLAGS) -o $@.unstripped $(LOADER_OBJ) $(ZSTD_DEC_LIB) -lpthread
	strip -R .comment -o $@.tmp $@.unstripped && mv -f $@.tmp $@

$(B)/target/%.o: %.c $(ZSTD_DEC_LIB)
	@mkdir -p $(dir $@)
	$(MUSLCC) $(CFLAGS) $(TARGET_CFLAGS) $(WARN) $(CPPFLAGS) $(ZSTD_CPPFLAGS) -MMD -MP -c -o $@ $<

# loader/rt stands in for libc: system headers only (loader/lib has names
# that would shadow them).
$(B)/target/loader/rt/%.o: loader/rt/%.c
	@mkdir -p $(dir $@)
	$(MUSLCC) $(CFLAGS) $(TARGET_CFLAGS) $(WARN) -D_GNU_SOURCE -MMD -MP -c -o $@ $<

$(B)/modpack: $(PACK_OBJ)
	$(HOSTCC) -o $@ $(PACK_OBJ) -lzstd -llzma -lz

$(B)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) $(CPPFLAGS) -Iinitramfs/modpack -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

deps:
	tests/ensure-deps

check: deps all
	tests/run-all

demo: deps all
	qemu-tests/demo

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

.PHONY: all tools deps check demo clean install uninstall
