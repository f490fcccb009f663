# shellcheck shell=bash
# qemu-tests/zoo-lib.sh: helpers for the device zoo, the hotplug test and
# bench/boot.  Source lib.sh first.
#
#   zoo_disks DIR           small raw disks DIR/{nvme,sata,usb,vscsi}.img
#   zoo_qemu_args DIR ROOTIMG
#                           sets the array ZOO_ARGS: the zoo's QEMU devices
#                           (virtio-blk root, NVMe, AHCI disk, xHCI with a
#                           usb-storage disk and a usb-kbd, virtio-net, e1000e,
#                           virtio-scsi disk)
#   zoo_root_init           prints a root /sbin/init that dumps what drivers
#                           are bound and which /dev nodes exist ("zoo: ..."
#                           lines), first at once, then (zoo.wait=SECS on the
#                           kernel command line) after waiting for the disks
#                           (/dev/vda, /dev/nvme0n1 and zoo.sd=N, default 3,
#                           /dev/sdX), then runs /sbin/zoo-extra if the root
#                           has one (a test's own checks); also used by the
#                           ARM boots (virt-boot)
#   make_zoo_rootfs DIR IMG make_rootfs with zoo_root_init as /sbin/init
#   boot_vm_mon NAME KERNEL INITRD APPEND [QEMU ARGS...]
#                           like boot_vm, but QEMU runs in the background with
#                           its monitor on the unix socket $MON_SOCK; sets
#                           QEMU_PID and BOOT_LOG.  Then: wait_log PATTERN SECS,
#                           monitor_cmd CMD, wait_vm SECS (0 = marker seen).

zoo_disks() {
	local d=$1 n
	for n in nvme sata usb vscsi; do
		rm -f "$d/$n.img"
		truncate -s 8M "$d/$n.img" || { qt_err "zoo_disks: cannot create $d/$n.img"; return 1; }
	done
}

zoo_qemu_args() {
	local d=$1 root=$2
	ZOO_ARGS=(
		-drive "file=$root,if=virtio,format=raw"
		-drive "file=$d/nvme.img,if=none,id=nv,format=raw" -device nvme,drive=nv,serial=zoo1
		-drive "file=$d/sata.img,if=none,id=sd,format=raw" -device ide-hd,drive=sd,bus=ide.1
		-device qemu-xhci,id=xhci
		-drive "if=none,id=us,format=raw,file=$d/usb.img" -device usb-storage,bus=xhci.0,drive=us
		-device usb-kbd,bus=xhci.0
		-netdev user,id=n1,restrict=on -device virtio-net-pci,netdev=n1
		-netdev user,id=n2,restrict=on -device e1000e,netdev=n2
		-device virtio-scsi-pci,id=vs
		-drive "if=none,id=vsd,format=raw,file=$d/vscsi.img" -device scsi-hd,drive=vsd,bus=vs.0
	)
}

# The zoo's root init.  "zoo-start:" lines are the state the moment the root's
# init starts (right after switch_root; /dev and /sys are the initramfs's,
# moved); "zoo:" lines the state after waiting (bounded by zoo.wait=SECS) for
# /dev/vda, /dev/nvme0n1 and three /dev/sd? disks.
zoo_root_init() {
	cat <<'EOF'
#!/bin/busybox sh
export PATH=/sbin:/bin
bb=/bin/busybox
[ -r /proc/modules ] || $bb mount -t proc proc /proc
up() { $bb cut -d' ' -f1 /proc/uptime; }
drv() { [ -e "$1/driver" ] && $bb basename "$($bb readlink "$1/driver")" || echo none; }
dump() {
	p=$1
	for d in /sys/bus/pci/devices/*; do
		echo "$p pci ${d##*/} $($bb cat "$d/vendor"):$($bb cat "$d/device") class=$($bb cat "$d/class") driver=$(drv "$d")"
	done
	for d in /sys/bus/virtio/devices/*; do
		[ -e "$d" ] || continue
		echo "$p virtio ${d##*/} device=$($bb cat "$d/device") driver=$(drv "$d")"
	done
	for d in /sys/bus/usb/devices/*:*; do
		[ -e "$d" ] || continue
		echo "$p usbif ${d##*/} class=$($bb cat "$d/bInterfaceClass") product=$($bb cat "$d/../product" 2>/dev/null | $bb tr ' ' _) driver=$(drv "$d")"
	done
	for d in /sys/block/*; do
		n=${d##*/}
		case "$n" in loop* | ram* | zram*) continue ;; esac
		path=$($bb readlink -f "$d")
		case "$path" in
		*/usb*) via=usb ;; */ata*) via=ata ;; */virtio*/host*) via=virtio-scsi ;;
		*/virtio*) via=virtio ;; */nvme*) via=nvme ;; *) via=other ;;
		esac
		[ -b "/dev/$n" ] && node=yes || node=no
		echo "$p block $n via=$via driver=$(drv "$d/device") node=$node"
	done
	for d in /sys/class/net/*; do
		n=${d##*/}
		[ "$n" = lo ] && continue
		echo "$p net $n driver=$(drv "$d/device")"
	done
	for d in /sys/bus/hid/devices/*; do
		[ -e "$d" ] || continue
		echo "$p hid ${d##*/} driver=$(drv "$d")"
	done
	for d in /sys/bus/amba/devices/*; do
		[ -e "$d" ] || continue
		echo "$p amba ${d##*/} id=$($bb cat "$d/id") driver=$(drv "$d")"
	done
	for d in /sys/bus/platform/devices/*; do
		[ -e "$d" ] || continue
		echo "$p platform ${d##*/} driver=$(drv "$d")"
	done
	[ -e /sys/class/misc/hw_random/rng_current ] &&
		echo "$p rng current=$($bb cat /sys/class/misc/hw_random/rng_current)"
	for d in /sys/class/input/input*; do
		[ -e "$d" ] || continue
		ev=none
		for e in "$d"/event*; do [ -e "$e" ] && ev=${e##*/}; done
		[ "$ev" != none ] && [ -c "/dev/input/$ev" ] && node=/dev/input/$ev || node=none
		echo "$p input ${d##*/} name=$($bb cat "$d/name" | $bb tr ' ' _) node=$node"
	done
}
disks_ready() {
	[ -b /dev/vda ] && [ -b /dev/nvme0n1 ] || return 1
	n=0
	for s in /dev/sd?; do [ -b "$s" ] && n=$((n + 1)); done
	[ "$n" -ge "$nsd" ]
}
t0=$(up)
echo "zoo: root init at ${t0}s"
dump zoo-start:
wait=0 nsd=3
for a in $($bb cat /proc/cmdline); do
	case "$a" in zoo.wait=*) wait=${a#zoo.wait=} ;; zoo.sd=*) nsd=${a#zoo.sd=} ;; esac
done
i=0
while ! disks_ready && [ "$i" -lt $((wait * 10)) ]; do
	$bb usleep 100000
	i=$((i + 1))
done
t1=$(up)
disks_ready && r=ready || r=missing
echo "zoo: disks $r at ${t1}s (waited $(echo "$t0 $t1" | $bb awk '{ printf "%.2f", $2 - $1 }')s after the root init started)"
dump zoo:
[ -x /sbin/zoo-extra ] && /sbin/zoo-extra
echo "root-init: modules: $($bb awk '{ printf "%s ", $1 }' /proc/modules)"
echo "MODLOAD-ROOT-OK uptime=$(up)s"
$bb sync
$bb poweroff -f
echo o > /proc/sysrq-trigger
EOF
}

make_zoo_rootfs() {
	local dir=$1 img=$2
	shift 2
	mkdir -p "$dir/sbin" || return 1
	zoo_root_init >"$dir/sbin/init" && chmod 755 "$dir/sbin/init" || return 1
	make_rootfs "$dir" "$img" "$@"
}

boot_vm_mon() {
	local name kernel initrd append
	[ $# -ge 4 ] || { qt_err "boot_vm_mon: usage: boot_vm_mon NAME KERNEL INITRD APPEND [QEMU ARGS...]"; return 1; }
	name=$1 kernel=$2 initrd=$3 append=$4
	shift 4
	mkdir -p "$QT_DIR/logs"
	BOOT_LOG="$QT_DIR/logs/$name.log"
	export BOOT_LOG
	rm -f "$BOOT_LOG" "$MON_SOCK"
	: >"$BOOT_LOG"
	q35_argv "$kernel" "$initrd" "$append" "unix:$MON_SOCK,server,nowait" "file:$BOOT_LOG"
	timeout -k 5 "${MODLOAD_BOOT_TIMEOUT:-120}" "${Q35[@]}" "$@" </dev/null >"$BOOT_LOG.qemu" 2>&1 &
	QEMU_PID=$!
	export QEMU_PID
}

# wait_log PATTERN SECS: 0 once a BOOT_LOG line matches PATTERN (grep -E).
wait_log() {
	local i=0
	while [ "$i" -lt $(($2 * 10)) ]; do
		grep -aqE -- "$1" "$BOOT_LOG" 2>/dev/null && return 0
		kill -0 "$QEMU_PID" 2>/dev/null || { grep -aqE -- "$1" "$BOOT_LOG" 2>/dev/null; return; }
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# monitor_cmd CMD: one command to the QEMU monitor; its answer on stdout.
monitor_cmd() {
	local i=0
	while [ ! -S "$MON_SOCK" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	printf '%s\n' "$1" | socat -t 2 - "UNIX-CONNECT:$MON_SOCK" 2>&1 | tr -d '\r' |
		grep -av '^QEMU .*monitor\|^(qemu)' || true
}

# wait_vm SECS: wait for QEMU to exit (kill it after SECS); 0 = marker seen.
wait_vm() {
	local i=0
	while kill -0 "$QEMU_PID" 2>/dev/null && [ "$i" -lt $(($1 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$QEMU_PID" 2>/dev/null; then
		kill "$QEMU_PID" 2>/dev/null || true
		qt_err "wait_vm: QEMU still running after ${1}s; killed"
	fi
	wait "$QEMU_PID" 2>/dev/null || true
	if [ -s "$BOOT_LOG.qemu" ]; then
		{ echo "--- qemu stdout/stderr ---"; cat "$BOOT_LOG.qemu"; } >>"$BOOT_LOG"
	fi
	rm -f "$BOOT_LOG.qemu"
	grep -aq "^$BOOT_MARKER" "$BOOT_LOG"
}
