# shellcheck shell=sh
# qemu-tests/oot.sh: out-of-tree test modules (tests/oot/*.c) built against
# Debian's linux-headers package for the test kernel (sourced after
# kernel.sh's fetch_kernel, which sets KVER).
#
#   build_oot_modules   fetches linux-headers-KVER, its -common package and
#                       the linux-kbuild package it depends on (apt-get
#                       download, dpkg-deb -x into $MODLOAD_CACHE/headers/KVER),
#                       builds tests/oot into $MODLOAD_CACHE/oot/KVER (reused
#                       while the sources are unchanged); exports OOT_DIR.
#   oot_tree DIR        a module tree in DIR/lib/modules/KVER: the test
#                       kernel's (symlinks) plus the test modules in extra/;
#                       exports OOT_MODDIR.

oot_err() { echo "${QT_NAME:-oot}: $*" >&2; }

# The packages linux-headers-KVER needs, beside itself: its -common and kbuild.
oot_header_pkgs() {
	echo "linux-headers-$KVER"
	apt-cache depends "linux-headers-$KVER" 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-headers-[^ :]*-common\|linux-kbuild-[^ :]*\)$/\1/p'
}

oot_fetch_headers() {
	hdir="$MODLOAD_CACHE/headers/$KVER"
	[ -f "$hdir/.unpacked" ] && return 0
	rm -rf "$hdir.tmp" && mkdir -p "$hdir.tmp/debs" || { oot_err "cannot create $hdir.tmp"; return 1; }
	for p in $(oot_header_pkgs); do
		(cd "$hdir.tmp/debs" && apt-get download -qq "$p" >/dev/null 2>&1) ||
			{ oot_err "apt-get download $p failed"; return 1; }
	done
	[ "$(ls "$hdir.tmp/debs" | wc -l)" -ge 3 ] ||
		{ oot_err "expected linux-headers-$KVER, its -common and linux-kbuild packages; got: $(ls "$hdir.tmp/debs")"; return 1; }
	for d in "$hdir.tmp"/debs/*.deb; do
		dpkg-deb -x "$d" "$hdir.tmp/root" || { oot_err "dpkg-deb -x $d failed"; return 1; }
	done
	rm -rf "$hdir.tmp/debs"
	# The arch package includes the common tree by its installed path; point
	# it (and the kbuild symlinks) at the unpacked copy instead.
	find "$hdir.tmp/root/usr/src" -maxdepth 2 -name Makefile -path "*-$KVER/Makefile" |
		while read -r mk; do
			sed -i "s|/usr/src/|$hdir/root/usr/src/|g" "$mk"
		done
	for l in $(find "$hdir.tmp/root/usr/src" -maxdepth 2 -type l); do
		t=$(readlink "$l")
		case "$t" in /usr/lib/* | /usr/src/*) ln -sfn "$hdir/root$t" "$l" ;; esac
	done
	rm -rf "$hdir" && mv "$hdir.tmp" "$hdir" && : >"$hdir/.unpacked"
}

build_oot_modules() {
	src="$REPO_DIR/tests/oot"
	[ -n "${REPO_DIR:-}" ] || src="$(cd "$(dirname "$0")/.." && pwd)/tests/oot"
	oot_fetch_headers || return 1
	key=$(cat "$src"/* | sha256sum | cut -c1-16)
	OOT_DIR="$MODLOAD_CACHE/oot/$KVER/$key"
	export OOT_DIR
	[ -f "$OOT_DIR/.built" ] && return 0
	rm -rf "$OOT_DIR" && mkdir -p "$OOT_DIR" && cp "$src"/* "$OOT_DIR"/ ||
		{ oot_err "cannot copy tests/oot to $OOT_DIR"; return 1; }
	kdir="$MODLOAD_CACHE/headers/$KVER/root/usr/src/linux-headers-$KVER"
	# No BTF for the test modules: Debian's 6.12 headers ship a vmlinux, so
	# kbuild would run pahole (dwarves) on each; loading needs no BTF.
	make -C "$kdir" M="$OOT_DIR" CC="${OOT_CC:-gcc-12}" KBUILD_MODPOST_WARN=1 \
		CONFIG_DEBUG_INFO_BTF_MODULES= modules \
		>"$OOT_DIR/build.log" 2>&1 || {
		oot_err "building tests/oot against linux-headers-$KVER failed:"
		tail -n 20 "$OOT_DIR/build.log" >&2
		return 1
	}
	: >"$OOT_DIR/.built"
}

oot_tree() {
	root=$1
	OOT_MODDIR="$root/lib/modules/$KVER"
	export OOT_MODDIR
	rm -rf "$root" && mkdir -p "$OOT_MODDIR/extra" || { oot_err "cannot create $OOT_MODDIR"; return 1; }
	for e in "$MODDIR"/*; do ln -s "$e" "$OOT_MODDIR/$(basename "$e")"; done
	cp "$OOT_DIR"/*.ko "$OOT_MODDIR/extra/" || { oot_err "no .ko in $OOT_DIR"; return 1; }
}
