# shellcheck shell=bash
# qemu-tests/lib.sh: helpers sourced by the boot tests (bash).
#
#   fetch_kernel [ARCH]     Debian's current kernel for ARCH (amd64, the
#                           default; arm64; armhf), cached outside the work
#                           tree; exports KVER, VMLINUZ, MODDIR, KARCH.
#   make_rootfs DIR IMG [MKE2FS ARGS...]
#                           ext4 image from DIR (no mounting) with KARCH's
#                           static busybox; installs a default /sbin/init
#                           that prints the marker.
#   boot_vm NAME KERNEL INITRD APPEND [QEMU ARGS...]
#                           boots under QEMU with a 120 s bound; serial log in
#                           qemu-tests/logs/NAME.log (BOOT_LOG); 0 = marker seen;
#                           BOOT_SECONDS = wall time of the QEMU run. The
#                           machine follows KARCH (vm_argv): q35 for amd64,
#                           virt for arm64 and armhf.
#   target_busybox          the static busybox for KARCH (mkinitramfs's choice)
#   make_initrd WORKDIR [MKINITRAMFS ARGS...]
#                           sets INITRD: an image from mkinitramfs for MODDIR,
#                           reused from $MODLOAD_BUILD/qemu-initrd/ while its
#                           inputs (binaries, scripts, args) are unchanged
#   basic_boot NAME WORKDIR the end-to-end boot (default module set, ext4 root
#                           on virtio-blk); boot_vm's result.
#   need_build              returns 77 (skip) unless build/modload and
#                           build/modpack exist (MODLOAD_BUILD overrides build/).
#   kernel_builtin NAME     0 when MODDIR's modules.builtin lists module NAME
#                           ('-' and '_' alike): built into the kernel under
#                           test, so it never shows in /proc/modules
#   kernel_has NAME...      0 when the kernel under test has every module
#                           NAME, as a file (modules.order) or built in
#   log_seconds PATTERN     the uptime a BOOT_LOG line "PATTERN ... at Xs" carries
#   initrd_cat IMG          the image's cpio archive, whatever its compression
#
# Environment:
#   MODLOAD_CACHE     cache root (default /var/cache/modload); kernels live in
#                     $MODLOAD_CACHE/kernels/<package>/
#   MODLOAD_KERNEL_PKG  kernel package to use instead of the one linux-image-amd64
#                     depends on
#   MODLOAD_ACCEL     tcg (default) | kvm | auto (kvm if a short probe boot
#                     works; the result is cached in $MODLOAD_CACHE/kvm-probe)
#   MODLOAD_BOOT_TIMEOUT  seconds per boot (default 120)
#   BOOT_MARKER       line that means success (default MODLOAD-ROOT-OK)

QT_DIR=$(cd "$(dirname "${BASH_SOURCE:-$0}")" && pwd)
REPO_DIR=$(cd "$QT_DIR/.." && pwd)
MODLOAD_BUILD=${MODLOAD_BUILD:-$REPO_DIR/build}
MODLOAD_CACHE=${MODLOAD_CACHE:-/var/cache/modload}
BOOT_MARKER=${BOOT_MARKER:-MODLOAD-ROOT-OK}
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export PATH MODLOAD_CACHE MODLOAD_BUILD

# A test stopped by run-all's timeout (TERM) or ^C still runs its EXIT trap,
# which removes its temporary images.
trap 'exit 143' TERM
trap 'exit 130' INT

qt_err() { echo "${QT_NAME:-qemu-tests}: $*" >&2; }

# fetch_kernel and kernel_pkg: the one kernel helper every test uses.
. "$QT_DIR/kernel.sh"

# The root filesystem's default /sbin/init: prove the switch worked, list the
# loaded modules (one line, for the tests to grep), print the marker, power off.
default_root_init() {
	cat <<EOF
#!/bin/busybox sh
export PATH=/sbin:/bin
[ -r /proc/modules ] || /bin/busybox mount -t proc proc /proc
echo "root-init: root is \$(/bin/busybox awk '\$2 == "/" { print \$1, \$3, \$4 }' /proc/mounts | /bin/busybox tail -n 1)"
echo "root-init: kernel.modprobe=\$(/bin/busybox cat /proc/sys/kernel/modprobe)"
echo "root-init: modules: \$(/bin/busybox awk '{ printf "%s ", \$1 }' /proc/modules)"
echo "$BOOT_MARKER uptime=\$(/bin/busybox cut -d' ' -f1 /proc/uptime)s"
/bin/busybox sync
/bin/busybox poweroff -f
echo o > /proc/sysrq-trigger
EOF
}

make_rootfs() {
	local dir img bb
	[ $# -ge 2 ] || { qt_err "make_rootfs: usage: make_rootfs DIR IMG [MKE2FS ARGS...]"; return 1; }
	dir=$1 img=$2
	shift 2
	bb=$(target_busybox) || { qt_err "make_rootfs: no busybox for ${KARCH:-amd64}"; return 1; }
	mkdir -p "$dir/bin" "$dir/sbin" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/tmp" ||
		{ qt_err "make_rootfs: cannot create directories in $dir"; return 1; }
	[ -e "$dir/bin/busybox" ] || cp "$bb" "$dir/bin/busybox"
	[ -e "$dir/bin/sh" ] || ln -s busybox "$dir/bin/sh"
	if [ ! -e "$dir/sbin/init" ]; then
		default_root_init >"$dir/sbin/init" && chmod 755 "$dir/sbin/init"
	fi
	rm -f "$img"
	mke2fs -q -F -t ext4 -E root_owner=0:0 -d "$dir" "$@" "$img" 16M >/dev/null ||
		{ qt_err "make_rootfs: mke2fs -t ext4 -d $dir $img failed"; return 1; }
}

# Which accelerator to use: tcg unless MODLOAD_ACCEL asks otherwise.  FACTS.md:
# nested KVM hangs here, so "auto" probes once with a short bounded boot.
qemu_accel() {
	local probe r plog
	case "${MODLOAD_ACCEL:-tcg}" in
	tcg) echo tcg ;;
	kvm) echo kvm ;;
	auto)
		probe="$MODLOAD_CACHE/kvm-probe"
		if [ ! -f "$probe" ]; then
			r=tcg
			if [ -w /dev/kvm ] && [ -n "${VMLINUZ:-}" ]; then
				# The kernel alone, no initrd: it must reach its own panic
				# message ("VFS: Unable to mount root") within 20 s.
				plog=$(mktemp)
				timeout 20 qemu-system-x86_64 -M q35 -accel kvm -m 256 \
					-display none -monitor none -no-reboot -serial "file:$plog" \
					-kernel "$VMLINUZ" -append "console=ttyS0 panic=-1" \
					>/dev/null 2>&1 || true
				grep -q 'VFS: Unable to mount root\|Kernel panic' "$plog" && r=kvm
				rm -f "$plog"
			fi
			mkdir -p "$MODLOAD_CACHE" && echo "$r" >"$probe"
		fi
		cat "$probe"
		;;
	*) qt_err "MODLOAD_ACCEL must be tcg, kvm or auto"; echo tcg ;;
	esac
}

# q35_argv KERNEL INITRD APPEND MONITOR SERIAL: the machine every test boots
# (q35, 2 vCPUs, 1 GiB, the kernel's console on the first serial port), as
# the array Q35; the caller adds its devices.
q35_argv() {
	Q35=(qemu-system-x86_64 -M q35 -accel "$(qemu_accel)" -smp 2 -m 1024 -display none
		-monitor "$4" -no-reboot -serial "$5" -kernel "$1" -initrd "$2"
		-append "console=ttyS0 panic=-1 $3")
}

# virt_argv KERNEL INITRD APPEND MONITOR SERIAL: the ARM machine for KARCH
# (QEMU virt, TCG, 2 vCPUs, 1 GiB, console on the PL011), as the array VIRT.
# -kernel on virt means a device tree and no ACPI. armhf: highmem=off keeps
# PCIe's ECAM and windows below 4 GiB, where the non-LPAE armmp kernel sees
# them.
virt_argv() {
	case "${KARCH:-}" in
	arm64) VIRT=(qemu-system-aarch64 -M virt -cpu cortex-a57) ;;
	armhf) VIRT=(qemu-system-arm -M virt,highmem=off -cpu cortex-a15) ;;
	*) qt_err "virt_argv: KARCH=${KARCH:-} is not an ARM architecture"; return 1 ;;
	esac
	VIRT+=(-accel tcg -smp 2 -m 1024 -display none -monitor "$4" -no-reboot -serial "$5"
		-kernel "$1" -initrd "$2" -append "console=ttyAMA0 panic=-1 $3")
}

# vm_argv KERNEL INITRD APPEND MONITOR SERIAL: the machine for KARCH (default
# amd64: q35_argv), as the array VM.
vm_argv() {
	case "${KARCH:-amd64}" in
	amd64) q35_argv "$@" && VM=("${Q35[@]}") ;;
	*) virt_argv "$@" && VM=("${VIRT[@]}") ;;
	esac
}

target_busybox() {
	"$REPO_DIR/initramfs/mkinitramfs" --print-busybox --arch "${KARCH:-amd64}"
}

boot_vm() {
	local name kernel initrd append accel tmo t0 t1 rc
	[ $# -ge 4 ] || { qt_err "boot_vm: usage: boot_vm NAME KERNEL INITRD APPEND [QEMU ARGS...]"; return 1; }
	name=$1 kernel=$2 initrd=$3 append=$4
	shift 4
	mkdir -p "$QT_DIR/logs"
	BOOT_LOG="$QT_DIR/logs/$name.log"
	export BOOT_LOG
	rm -f "$BOOT_LOG"
	accel=$(qemu_accel)
	tmo=${MODLOAD_BOOT_TIMEOUT:-120}
	t0=$(date +%s.%N)
	rc=0
	vm_argv "$kernel" "$initrd" "$append" none "file:$BOOT_LOG" || return 1
	timeout --foreground -k 5 "$tmo" "${VM[@]}" "$@" </dev/null >"$BOOT_LOG.qemu" 2>&1 || rc=$?
	t1=$(date +%s.%N)
	BOOT_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	export BOOT_SECONDS
	if [ -s "$BOOT_LOG.qemu" ]; then
		{ echo "--- qemu stdout/stderr ---"; cat "$BOOT_LOG.qemu"; } >>"$BOOT_LOG"
	fi
	rm -f "$BOOT_LOG.qemu"
	if grep -q "^$BOOT_MARKER" "$BOOT_LOG" 2>/dev/null; then
		return 0
	fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		qt_err "boot_vm: $name: no '$BOOT_MARKER' after ${tmo}s (timeout, accel=$accel); log: $BOOT_LOG"
	else
		qt_err "boot_vm: $name: QEMU exited ($rc) after ${BOOT_SECONDS}s without '$BOOT_MARKER'; log: $BOOT_LOG"
	fi
	echo "--- last 40 lines of $BOOT_LOG ---" >&2
	tail -n 40 "$BOOT_LOG" >&2 2>/dev/null || true
	return 1
}

need_build() {
	for b in modload modpack; do
		if [ ! -x "$MODLOAD_BUILD/$b" ]; then
			qt_err "$MODLOAD_BUILD/$b not built (run make)"
			return 77
		fi
	done
	command -v qemu-system-x86_64 >/dev/null 2>&1 ||
		{ qt_err "qemu-system-x86_64 not installed (run tests/ensure-deps)"; return 77; }
	return 0
}

# initrd_key MKINITRAMFS BUSYBOX [ARGS...]: a hash of everything in the image.
initrd_key() {
	local mk=$1 bb=$2 loader=$MODLOAD_BUILD/modload
	shift 2
	case "${KARCH:-amd64}" in amd64) ;; *) loader=$MODLOAD_BUILD/$KARCH/modload ;; esac
	{
		echo "$MODDIR $* ${MKINITRAMFS_ZSTD:-}"
		cat "$loader" "$MODLOAD_BUILD/modpack" \
			"$REPO_DIR/initramfs/init" "$mk" "$bb" 2>/dev/null
		for a in "$@"; do [ -f "$a" ] && cat "$a"; done
	} | sha256sum | cut -c1-16
}

make_initrd() {
	local work mk cache bb key old
	work=$1
	shift
	mk="$REPO_DIR/initramfs/mkinitramfs"
	cache="$MODLOAD_BUILD/qemu-initrd"
	bb=$(target_busybox 2>/dev/null || echo none)
	key=$(initrd_key "$mk" "$bb" "$@")
	INITRD="$cache/$key.img"
	export INITRD
	if [ -f "$INITRD" ]; then
		echo "mkinitramfs: reusing $INITRD" >"$work/mkinitramfs.out"
		return 0
	fi
	mkdir -p "$cache" || { qt_err "make_initrd: cannot create $cache"; return 1; }
	"$mk" -m "$MODDIR" -o "$INITRD.tmp.$$" "$@" >"$work/mkinitramfs.out" 2>&1 || {
		qt_err "mkinitramfs -m $MODDIR $* failed:"
		tail -n 20 "$work/mkinitramfs.out" >&2
		rm -f "$INITRD.tmp.$$"
		return 1
	}
	if [ "$(initrd_key "$mk" "$bb" "$@")" != "$key" ]; then
		# An input changed while we built (a concurrent `make`): use the
		# image, but do not file it under a key it may not match.
		mv "$INITRD.tmp.$$" "$work/initrd.img"
		INITRD="$work/initrd.img"
		return 0
	fi
	mv "$INITRD.tmp.$$" "$INITRD"
	# Keep the six newest images.
	ls -1t "$cache"/*.img 2>/dev/null | tail -n +7 | while read -r old; do rm -f "$old"; done
}

# The end-to-end boot: initramfs with the default module set from the cached
# Debian kernel, an ext4 root on a virtio-blk disk.  Extra arguments go to
# mkinitramfs.  Sets INITRD (see make_initrd), leaves WORKDIR/root.img.
basic_boot() {
	local name work
	name=$1 work=$2
	shift 2
	fetch_kernel || return 1
	make_initrd "$work" "$@" || return 1
	make_rootfs "$work/root" "$work/root.img" || return 1
	boot_vm "$name" "$VMLINUZ" "$INITRD" \
		"root=/dev/vda rootfstype=ext4 modload.poweroff_on_fail" \
		-drive "file=$work/root.img,if=virtio,format=raw"
}

# kernel_lists FILE NAME: MODDIR/FILE (modules.builtin, modules.order) names
# module NAME ('-' and '_' alike).
kernel_lists() {
	[ -f "$MODDIR/$1" ] &&
		sed 's,.*/,,; s,\.ko$,,; s,-,_,g' "$MODDIR/$1" | grep -qxF "${2//-/_}"
}

kernel_builtin() { kernel_lists modules.builtin "$1"; }

kernel_has() {
	local m
	for m in "$@"; do
		kernel_lists modules.builtin "$m" || kernel_lists modules.order "$m" || return 1
	done
}

# initrd_cat IMG: the image's cpio archive on stdout, whichever --compress
# made it (told by the first bytes: zstd, lz4 legacy, gzip, xz, or none).
initrd_cat() {
	case "$(od -An -tx1 -N4 "$1" | tr -d ' ')" in
	28b52ffd) zstd -dcq "$1" ;;
	02214c18) lz4 -dcq "$1" ;;
	1f8b*) gzip -dc "$1" ;;
	fd377a58) xz -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# log_seconds PREFIX: the first "NNN.NNs" number on the first line of BOOT_LOG
# starting with PREFIX (e.g. "init: start at 2.56s" -> 2.56).
log_seconds() {
	grep -a "^$1" "$BOOT_LOG" | head -n 1 | sed -n 's/.*[ =]\([0-9][0-9]*\.[0-9]*\)s.*/\1/p'
}
