# mk/sources.mk: which sources make which program, for the Makefile and for
# the test builds (tests/fakekernel/fake.mk), so the lists exist once.
#
#   SHARED   mechanisms in both the loader and the packer (one copy of each)
#   LIB      the rest of loader/lib (loader only)
#   APPLETS  loader/applets
#   RT       stand-ins for parts of musl (the static loader only; host builds
#            keep their libc's malloc, and sanitizers theirs)
#   PACK     the packer's own sources
SHARED   := loader/lib/blob.c loader/lib/alias.c loader/lib/wildmatch.c loader/lib/lookup.c loader/lib/modinfo.c loader/lib/elf.c loader/lib/log.c \
            loader/lib/config.c loader/lib/cmdline.c loader/lib/config_query.c loader/lib/fmt.c loader/lib/num.c loader/lib/readfile.c
LIB      := $(filter-out $(SHARED),$(wildcard loader/lib/*.c))
APPLETS  := $(wildcard loader/applets/*.c)
RT       := $(wildcard loader/rt/*.c)
PACK     := $(wildcard initramfs/modpack/*.c)

