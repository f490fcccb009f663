# shellcheck shell=sh
# tests/mini-tree.sh: a small copy of the test kernel's tree, for image tests
# that change or touch their inputs (sourced; POSIX sh).
#
#   mini_tree MODDIR LIST DEST
#       DEST/lib/modules/KVER: the modules modpack would pack for
#       --modules LIST (with their dependencies and softdeps), copied from
#       MODDIR as they are there, with modules.order, modules.builtin and
#       modules.builtin.modinfo; DEST/boot/config-KVER from the kernel
#       package when MODDIR has one beside it.  Sets MINI_MODDIR.
mini_tree() {
	_kver=$(basename "$1")
	MINI_MODDIR=$3/lib/modules/$_kver
	rm -rf "$3/pack.tmp"
	mkdir -p "$MINI_MODDIR" || return 1
	"${MODLOAD_BUILD:-build}/modpack" -m "$1" -o "$3/pack.tmp" --modules "$2" >/dev/null 2>&1 ||
		return 1
	(cd "$3/pack.tmp" && find . -name '*.ko.zst') | sed 's|^\./||; s|\.zst$||' |
		while read -r rel; do
			for f in "$1/$rel" "$1/$rel.xz" "$1/$rel.zst" "$1/$rel.gz"; do
				[ -f "$f" ] || continue
				mkdir -p "$(dirname "$MINI_MODDIR/${f#"$1"/}")" &&
					cp "$f" "$MINI_MODDIR/${f#"$1"/}" || exit 1
				break
			done
		done || return 1
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		[ -f "$1/$f" ] && cp "$1/$f" "$MINI_MODDIR/"
	done
	if [ -f "$1/../../../boot/config-$_kver" ]; then
		mkdir -p "$3/boot" && cp "$1/../../../boot/config-$_kver" "$3/boot/"
	fi
	rm -rf "$3/pack.tmp"
}
