# tests/fakekernel/fake.mk: host builds for the fake-kernel suite.
#
#   make -f tests/fakekernel/fake.mk        (from the repository root)
#
# build/fake/modload  the loader from the same loader/lib + loader/applets
#                     sources as build/modload, but for glibc, dynamically
#                     linked, with AddressSanitizer and UBSan, against the
#                     host libzstd (the production static musl build and its
#                     decoder-only zstd are not touched)
# build/fake/modpack  the packer, sanitized the same way
# build/fake/shim.so  the fake kernel (tests/fakekernel/shim.c), LD_PRELOADed
#                     next to libasan; not sanitized itself
#
# Objects go to build/fake/obj/, with -MMD dependency files.

FB       := build/fake
WARN     := -Wall -Wextra -Werror
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FCFLAGS  := -O1 -g $(SAN) $(WARN) -D_GNU_SOURCE -iquote loader/lib
HOSTCC   ?= cc

include mk/sources.mk
LOADER_SRC := $(SHARED) $(LIB) $(APPLETS)
PACK_SRC   := $(SHARED) $(PACK)

LOADER_OBJ := $(patsubst %.c,$(FB)/obj/%.o,$(LOADER_SRC))
PACK_OBJ   := $(patsubst %.c,$(FB)/obj/%.o,$(PACK_SRC))

all: $(FB)/modload $(FB)/modpack $(FB)/shim.so

$(FB)/modload: $(LOADER_OBJ)
	$(HOSTCC) $(SAN) -o $@ $(LOADER_OBJ) -lzstd -lpthread

$(FB)/modpack: $(PACK_OBJ)
	$(HOSTCC) $(SAN) -o $@ $(PACK_OBJ) -lzstd -llzma -lz

$(FB)/obj/initramfs/%.o: initramfs/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(FCFLAGS) -iquote initramfs/modpack -MMD -MP -c -o $@ $<

$(FB)/obj/loader/%.o: loader/%.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(FCFLAGS) -MMD -MP -c -o $@ $<

$(FB)/shim.so: tests/fakekernel/shim.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -O2 -g $(WARN) -D_GNU_SOURCE -fPIC -shared -MMD -MP -o $@ $< -ldl -lpthread -lzstd

-include $(shell find $(FB) -name '*.d' 2>/dev/null)

.PHONY: all
