# shellcheck shell=sh
# qemu-tests/kernel.sh: the test kernel, for every test (POSIX sh; sourced by
# lib.sh and by the host tests).
#
#   fetch_kernel   Debian's current linux-image-*-amd64, fetched with
#                  `apt-get download` and unpacked once into
#                  $MODLOAD_CACHE/kernels/<package>/; exports KVER, VMLINUZ,
#                  MODDIR. Nothing about the release is written down
#                  anywhere: tests derive it from what this returns.
#   kernel_pkg     the package name (MODLOAD_KERNEL_PKG overrides it)
MODLOAD_CACHE=${MODLOAD_CACHE:-/var/cache/modload}
export MODLOAD_CACHE

kernel_err() { echo "${QT_NAME:-$(basename "$0")}: $*" >&2; }

# The kernel package linux-image-amd64 depends on, e.g. linux-image-6.1.0-NN-amd64.
kernel_pkg() {
	if [ -n "${MODLOAD_KERNEL_PKG:-}" ]; then
		echo "$MODLOAD_KERNEL_PKG"
		return 0
	fi
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: *\(linux-image-[^ ]*-amd64\)$/\1/p' | head -n 1
}

fetch_kernel() {
	kdir_root="" pkg="" kdir="" deb=""
	kdir_root="$MODLOAD_CACHE/kernels"
	pkg=$(kernel_pkg)
	if [ -z "$pkg" ]; then
		# No package lists yet: fetch them once, then ask again.
		apt-get update -qq >/dev/null 2>&1 || true
		pkg=$(kernel_pkg)
	fi
	if [ -z "$pkg" ]; then
		# Offline and no lists: fall back to the newest kernel already cached.
		pkg=$(cd "$kdir_root" 2>/dev/null && for d in linux-image-*-amd64; do
			[ -f "$d/.unpacked" ] && echo "$d"; done | sort -V | tail -n 1)
	fi
	if [ -z "$pkg" ]; then
		kernel_err "fetch_kernel: cannot tell which linux-image-*-amd64 to use (apt-cache depends linux-image-amd64 found nothing)"
		return 1
	fi
	kdir="$kdir_root/$pkg"
	if [ ! -f "$kdir/.unpacked" ]; then
		mkdir -p "$kdir_root" || { kernel_err "fetch_kernel: cannot create $kdir_root"; return 1; }
		deb=$(ls -1 "$kdir_root/${pkg}_"*.deb "$MODLOAD_CACHE/${pkg}_"*.deb 2>/dev/null | head -n 1)
		if [ -z "$deb" ]; then
			echo "fetch_kernel: downloading $pkg into $kdir_root" >&2
			(cd "$kdir_root" && apt-get download -qq "$pkg" >/dev/null) ||
				{ kernel_err "fetch_kernel: apt-get download $pkg failed"; return 1; }
			deb=$(ls -1 "$kdir_root/${pkg}_"*.deb 2>/dev/null | head -n 1)
			[ -n "$deb" ] || { kernel_err "fetch_kernel: no ${pkg}_*.deb after apt-get download"; return 1; }
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
	if [ ! -f "$VMLINUZ" ] || [ ! -d "$MODDIR" ]; then
		kernel_err "fetch_kernel: $kdir has no vmlinuz-$KVER or lib/modules/$KVER"
		return 1
	fi
	export KVER VMLINUZ MODDIR
}

