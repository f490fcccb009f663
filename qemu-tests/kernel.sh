# shellcheck shell=sh
# qemu-tests/kernel.sh: the test kernel, for every test (POSIX sh; sourced by
# lib.sh and by the host tests).
#
#   fetch_kernel [ARCH]  Debian's current kernel for ARCH (Debian's name:
#                  amd64, the default; arm64; armhf), fetched with
#                  `apt-get download` and unpacked once into
#                  $MODLOAD_CACHE/kernels/<package>/; exports KVER, VMLINUZ,
#                  MODDIR and KARCH (= ARCH). Nothing about the release is
#                  written down anywhere: tests derive it from what this
#                  returns.
#   kernel_pkg [ARCH]  the package name, e.g. linux-image-6.1.0-NN-arm64
#                  (MODLOAD_KERNEL_PKG overrides it for amd64,
#                  MODLOAD_KERNEL_PKG_ARM64 / _ARMHF for the others)
#   kernel_flavour ARCH  the flavour Debian builds for ARCH (amd64, arm64,
#                  armmp): the metapackage is linux-image-FLAVOUR
#   second_kernel_pkg  the newest linux-image-VERSION-amd64 apt knows other
#                  than kernel_pkg's (generic flavour: not cloud or rt, not
#                  -dbg or -unsigned, not a meta-package such as
#                  linux-image-6.12-amd64); empty when there is none
#                  after one `apt-get update` (tests/diff-kmod-kernels,
#                  qemu-tests/boot-kernels)
MODLOAD_CACHE=${MODLOAD_CACHE:-/var/cache/modload}
export MODLOAD_CACHE

kernel_err() { echo "${QT_NAME:-$(basename "$0")}: $*" >&2; }

kernel_flavour() {
	case "$1" in
	amd64) echo amd64 ;;
	arm64) echo arm64 ;;
	armhf) echo armmp ;;
	*) return 1 ;;
	esac
}

# The kernel package linux-image-FLAVOUR depends on, e.g. linux-image-6.1.0-NN-amd64.
kernel_pkg() {
	ka="" fl="" ov=""
	ka=${1:-amd64}
	case "$ka" in
	amd64) ov=${MODLOAD_KERNEL_PKG:-} ;;
	arm64) ov=${MODLOAD_KERNEL_PKG_ARM64:-} ;;
	armhf) ov=${MODLOAD_KERNEL_PKG_ARMHF:-} ;;
	esac
	if [ -n "$ov" ]; then
		echo "$ov"
		return 0
	fi
	fl=$(kernel_flavour "$ka") || return 0
	apt-cache depends "linux-image-$fl:$ka" 2>/dev/null |
		sed -n "s/^ *Depends: *\(linux-image-[^ :]*-$fl\)\(:$ka\)\{0,1\}\$/\1/p" | head -n 1
}

fetch_kernel() {
	kdir_root="" pkg="" kdir="" deb="" karch="" kfl=""
	karch=${1:-amd64}
	kfl=$(kernel_flavour "$karch") ||
		{ kernel_err "fetch_kernel: unknown architecture $karch (amd64, arm64, armhf)"; return 1; }
	kdir_root="$MODLOAD_CACHE/kernels"
	pkg=$(kernel_pkg "$karch")
	if [ -z "$pkg" ]; then
		# No package lists yet (or the architecture is not configured for
		# apt: `make deps ARCH=...` does that): fetch them once, ask again.
		apt-get update -qq >/dev/null 2>&1 || true
		pkg=$(kernel_pkg "$karch")
	fi
	if [ -z "$pkg" ]; then
		# Offline and no lists: fall back to the newest kernel already cached.
		pkg=$(cd "$kdir_root" 2>/dev/null && for d in linux-image-*-"$kfl"; do
			[ -f "$d/.unpacked" ] && echo "$d"; done | sort -V | tail -n 1)
	fi
	if [ -z "$pkg" ]; then
		kernel_err "fetch_kernel: cannot tell which linux-image-*-$kfl to use (apt-cache depends linux-image-$kfl:$karch found nothing)"
		return 1
	fi
	kdir="$kdir_root/$pkg"
	if [ ! -f "$kdir/.unpacked" ]; then
		mkdir -p "$kdir_root" || { kernel_err "fetch_kernel: cannot create $kdir_root"; return 1; }
		deb=$(ls -1 "$kdir_root/${pkg}_"*"_$karch.deb" "$MODLOAD_CACHE/${pkg}_"*"_$karch.deb" 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			echo "fetch_kernel: downloading $pkg:$karch into $kdir_root" >&2
			(cd "$kdir_root" && apt-get download -qq "$pkg:$karch" >/dev/null) ||
				{ kernel_err "fetch_kernel: apt-get download $pkg:$karch failed"; return 1; }
			deb=$(ls -1 "$kdir_root/${pkg}_"*"_$karch.deb" 2>/dev/null | head -n 1)
			[ -n "$deb" ] || { kernel_err "fetch_kernel: no ${pkg}_*_$karch.deb after apt-get download"; return 1; }
		fi
		rm -rf "$kdir.tmp"
		dpkg-deb -x "$deb" "$kdir.tmp" ||
			{ kernel_err "fetch_kernel: dpkg-deb -x $deb failed"; rm -rf "$kdir.tmp"; return 1; }
		rm -rf "$kdir"
		mv "$kdir.tmp" "$kdir" && : >"$kdir/.unpacked"
	fi
	KVER=${pkg#linux-image-}
	VMLINUZ="$kdir/boot/vmlinuz-$KVER"
	MODDIR="$kdir/lib/modules/$KVER"
	KARCH=$karch
	if [ ! -f "$VMLINUZ" ] || [ ! -d "$MODDIR" ]; then
		kernel_err "fetch_kernel: $kdir has no vmlinuz-$KVER or lib/modules/$KVER"
		return 1
	fi
	export KVER VMLINUZ MODDIR KARCH
}

second_kernel_pkg() {
	sk_def="" sk=""
	sk_def=$(kernel_pkg amd64)
	for sk_try in 1 2; do
		sk=$(apt-cache pkgnames linux-image- 2>/dev/null |
			grep -E '^linux-image-[0-9]+\.[0-9]+[.0-9]*[-+][^ ]*-amd64$' |
			grep -Ev -e '-(cloud|rt)-amd64$' | grep -vxF "${sk_def:-none}" | sort -V | tail -n 1)
		[ -n "$sk" ] || [ "$sk_try" = 2 ] && break
		# No package lists yet: fetch them once, ask again (as fetch_kernel).
		apt-get update -qq >/dev/null 2>&1 || true
	done
	echo "$sk"
}
