# shellcheck shell=bash disable=SC2034 # variables for the sourcing driver
# tests/fakekernel/lib.sh: helpers for fake-kernel tests (sourced by
# tests/unit/run-fakekernel; see tests/fakekernel/README).
#
# A test is a shell function that builds a fake root, runs the loader in it
# and asserts on what the fake kernel logged. Assertions say what is wrong
# with a "FAIL:" line and mark the test failed; they do not stop it.
#
# Set by the driver: FK_TOP (repository root), FK_WORK (scratch directory of
# the whole run), FK_DIR (the current test's own directory).

FK_ML=$FK_TOP/build/fake/modload
FK_PACK=$FK_TOP/build/fake/modpack
FK_SHIM=$FK_TOP/build/fake/shim.so
FK_GEN=$FK_TOP/tests/fakekernel/fkgen.py
FK_PY=${FK_PY:-python3}
fkgen() { "$FK_PY" -S "$FK_GEN" "$@"; }
[ -n "${FK_ASAN:-}" ] || FK_ASAN=$(gcc -print-file-name=libasan.so)
export FK_ASAN
FK_FAILED=0
FK_NDEV=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$FK_TOP/tests/fakekernel/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

fail() {
	echo "FAIL: $*"
	FK_FAILED=1
}

note() {
	echo "  $*"
}

# fk_root [NAME]: a fresh fake root (FAKE_ROOT) with an empty fake kernel.
fk_root() {
	FAKE_ROOT=$FK_DIR/${1:-root}
	export FAKE_ROOT
	rm -rf "$FAKE_ROOT"
	mkdir -p "$FAKE_ROOT/dev" "$FAKE_ROOT/sys/devices" "$FAKE_ROOT/proc" "$FAKE_ROOT/etc" \
		"$FAKE_ROOT/lib/modules"
	: >"$FAKE_ROOT/dev/kmsg"
	: >"$FAKE_ROOT/proc/cmdline"
	: >"$FAKE_ROOT/fake-kernel.conf"
	FK_NDEV=0
	FK_KVER=6.1.0-fake
}

# fk_reboot: forget every module the fake kernel has (and its log); the files
# of the root (blob, configuration, devices) stay.
fk_reboot() {
	rm -rf "$FAKE_ROOT/run" "$FAKE_ROOT/sys/module" "$FAKE_ROOT/proc/modules" \
		"$FAKE_ROOT/fake-kernel.log" "$FAKE_ROOT/fake-kernel.params"
}

# fk_spec [--gcc] [--config FILE] < SPEC: make the modules of SPEC (fkgen.py
# syntax), pack them with modpack into FAKE_ROOT/lib/modules/KVER.
fk_spec() {
	local gcc="" conf=""
	while [ $# -gt 0 ]; do
		case $1 in
		--gcc) gcc=--gcc ;;
		--config) conf="--config $2"; shift ;;
		esac
		shift
	done
	cat >"$FK_DIR/spec"
	rm -rf "$FK_DIR/tree"
	FK_KVER=$(fkgen tree "$FK_DIR/spec" "$FK_DIR/tree" $gcc) || {
		fail "fkgen tree failed"
		return 1
	}
	# shellcheck disable=SC2086 # $conf is an option and its argument
	ASAN_OPTIONS=detect_leaks=0 "$FK_PACK" -m "$FK_DIR/tree/lib/modules/$FK_KVER" \
		-o "$FAKE_ROOT/lib/modules/$FK_KVER" --all --level 1 $conf >"$FK_DIR/modpack.log" 2>&1 ||
		{
			cat "$FK_DIR/modpack.log"
			fail "modpack failed"
			return 1
		}
	echo "release $FK_KVER" >>"$FAKE_ROOT/fake-kernel.conf"
}

# fk_kconf [--reset] < LINES: outcomes and state for the fake kernel
# (fake-kernel.conf); --reset drops the earlier lines but the release.
fk_kconf() {
	[ "${1:-}" = --reset ] && echo "release $FK_KVER" >"$FAKE_ROOT/fake-kernel.conf"
	cat >>"$FAKE_ROOT/fake-kernel.conf"
}

# fk_conf < LINES: the loader's runtime configuration (/etc/modload.conf).
fk_conf() {
	cat >>"$FAKE_ROOT/etc/modload.conf"
}

# fk_cmdline TEXT: the fake /proc/cmdline.
fk_cmdline() {
	printf '%s\n' "$*" >"$FAKE_ROOT/proc/cmdline"
}

# fk_dev MODALIAS [uevent]: a device under /sys/devices with that modalias
# (in a modalias file, or only as MODALIAS= of its uevent file).
fk_dev() {
	local d=$FAKE_ROOT/sys/devices/fake/dev$FK_NDEV
	FK_NDEV=$((FK_NDEV + 1))
	mkdir -p "$d"
	if [ "${2:-}" = uevent ]; then
		printf 'SUBSYSTEM=fake\nMODALIAS=%s\n' "$1" >"$d/uevent"
	else
		printf '%s\n' "$1" >"$d/modalias"
		printf 'SUBSYSTEM=fake\nMODALIAS=%s\n' "$1" >"$d/uevent"
	fi
}

# fk_run LABEL ARGS...: run `modload ARGS` against the fake kernel; its
# output goes to FK_DIR/LABEL.out and .err (FK_OUT, FK_ERR), its status to
# RC, its run time in ms to MS. A sanitizer report fails the test.
fk_run() {
	local label=$1 t0 t1
	shift
	FK_OUT=$FK_DIR/$label.out
	FK_ERR=$FK_DIR/$label.err
	t0=$(date +%s%N)
	LD_PRELOAD="$FK_ASAN $FK_SHIM" timeout -k 1 "${FK_TIMEOUT:-20}" "$FK_ML" "$@" \
		>"$FK_OUT" 2>"$FK_ERR" </dev/null
	RC=$?
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:' "$FK_ERR"; then
		fail "$label: sanitizer report (modload $*):"
		grep -E -A12 'ERROR: |runtime error:' "$FK_ERR" | head -n 30 | sed 's/^/    /'
	fi
	[ "$RC" = 124 ] && [ -z "${FK_EXPECT_TIMEOUT:-}" ] && fail "$label: modload $* did not finish within ${FK_TIMEOUT:-20} s"
	return 0
}

# ---- what the fake kernel saw ----

FK_LOG() { echo "$FAKE_ROOT/fake-kernel.log"; }

fk_started() { grep -q "^start $1 " "$(FK_LOG)" 2>/dev/null; }
fk_ok() { grep -q "^end $1 ok " "$(FK_LOG)" 2>/dev/null; }
fk_starts() { grep -c "^start $1 " "$(FK_LOG)" 2>/dev/null || true; }

# Line of the first "start NAME" / "end NAME" (0 when there is none).
fk_line() {
	awk -v k="$1" -v n="$2" '$1 == k && $2 == n { print NR; f = 1; exit } END { if (!f) print 0 }' \
		"$(FK_LOG)" 2>/dev/null || echo 0
}

# The parameter string of NAME's last insert.
fk_params() {
	awk -F'\t' -v n="$1" '$1 == n { p = substr($0, length(n) + 2) } END { printf "%s", p }' \
		"$FAKE_ROOT/fake-kernel.params" 2>/dev/null
}

# ---- assertions ----

expect_loaded() {
	for m in "$@"; do
		fk_ok "$m" || fail "$m was not loaded ($(grep " $m " "$(FK_LOG)" 2>/dev/null | tr '\n' ';'))"
		[ "$(fk_starts "$m")" -le 1 ] || fail "$m was inserted $(fk_starts "$m") times"
	done
}

expect_not_started() {
	for m in "$@"; do
		fk_started "$m" && fail "$m was inserted, and should not have been"
	done
	return 0
}

# expect_before A B: A was live (or its insert ended) before B's began.
expect_before() {
	local a b
	a=$(fk_line live "$1")
	[ "$a" = 0 ] && a=$(fk_line end "$1")
	b=$(fk_line start "$2")
	if [ "$a" = 0 ] || [ "$b" = 0 ] || [ "$a" -gt "$b" ]; then
		fail "$1 should have been live before $2 was inserted (log lines: end $1 @$a, start $2 @$b)"
	fi
}

expect_rc() {
	case $1 in
	nonzero) [ "$RC" != 0 ] || fail "exit status 0, expected nonzero" ;;
	*) [ "$RC" = "$1" ] || fail "exit status $RC, expected $1" ;;
	esac
}

# expect_err REGEX: the last run's stderr has a line matching REGEX (grep -E).
expect_err() {
	grep -qE -- "$1" "$FK_ERR" || {
		fail "no error line matching /$1/; stderr was:"
		head -n 8 "$FK_ERR" | sed 's/^/    /'
	}
}

expect_no_err() {
	! grep -qE -- "$1" "$FK_ERR" || fail "unexpected line matching /$1/: $(grep -E -- "$1" "$FK_ERR" | head -n 1)"
}

# expect_params NAME STRING: NAME's last insert got exactly STRING.
expect_params() {
	local got
	got=$(fk_params "$1")
	[ "$got" = "$2" ] || fail "$1 got parameters '$(printf '%.200s' "$got")', expected '$(printf '%.200s' "$2")'"
}

# expect_params_has NAME WORD...: NAME's last insert got each WORD.
expect_params_has() {
	local m=$1 got
	shift
	got=" $(fk_params "$m") "
	for w in "$@"; do
		case $got in
		*" $w "*) ;;
		*) fail "$m got parameters '$(printf '%.200s' "$got")', without $w" ;;
		esac
	done
}

# expect_faster MS: the last run took less than MS milliseconds (the whole
# process: ASan start and exit included, so leave room for a loaded machine).
expect_faster() {
	[ "$MS" -lt "$1" ] || fail "took $MS ms, expected less than $1 ms"
}

# expect_loop_faster MS: the last coldplug's event loop, by its own clock
# (the summary's "(+S.MMMs)"), took less than MS milliseconds.
expect_loop_faster() {
	local t
	t=$(sed -n 's/.*coldplug: .*(+\([0-9]*\)\.\([0-9]*\)s).*/\1\2/p' "$FK_ERR" | tail -n 1)
	if [ -z "$t" ]; then
		fail "no coldplug summary with a duration; stderr was:"
		head -n 8 "$FK_ERR" | sed 's/^/    /'
	elif [ "$((10#$t))" -ge "$1" ]; then
		fail "the coldplug loop took $((10#$t)) ms, expected less than $1 ms"
	fi
}

# expect_graph [fkgen check options]: the whole log against FK_DIR/spec.
expect_graph() {
	local out
	out=$(fkgen check "${FK_SPEC:-$FK_DIR/spec}" "$(FK_LOG)" "$@") ||
		fail "graph check ($*):"$'\n'"$out"
}
