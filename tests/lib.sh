# shellcheck shell=bash
# Shared by the test scripts: counting, reporting and temporary files.
# A suite sources this, calls ok/not_ok per check, and ends with finish.

set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN=${GEN:-$TOP/generator/scout-netgen-san}
SUITE=$(basename "$0" .sh)
PASSED=0
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/scout-test.XXXXXX")
chmod 755 "$TMP"
CLEANUPS=()
cleanup_all() {
	local i
	for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[i]}" || true; done
	rm -rf "$TMP"
}
trap cleanup_all EXIT
trap 'exit 130' INT TERM
# Registers a command to run at exit, last registered first.
at_exit() { CLEANUPS+=("$1"); }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TZ=UTC LC_ALL=C

ok() { PASSED=$((PASSED + 1)); [ -n "${VERBOSE:-}" ] && echo "ok: $*"; return 0; }
not_ok() { FAILED=$((FAILED + 1)); echo "FAIL: $SUITE: $*"; return 0; }
# check NAME CMD...: passes when CMD succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
not() { ! "$@"; }
quiet() { "$@" >/dev/null; }
# in_ns NAME CMD...: CMD in the suite's namespace NAME; the suite defines
# ns() to turn NAME into its PID-derived namespace name.
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
# make_ns NAME...: the suite's namespaces (ns() names them), lo up in each,
# removed at exit.
make_ns() {
	local n
	for n in "$@"; do
		ip netns add "$(ns "$n")"
		at_exit "ip netns del $(ns "$n") 2>/dev/null"
		in_ns "$n" ip link set lo up
	done
}
# run_openvpn NS ETC_OPENVPN DIR CONFIG LOG: OpenVPN as its systemd unit
# runs it, in the suite's namespace NS, with ETC_OPENVPN shown as
# /etc/openvpn to it alone; ended at exit.
run_openvpn() {
	nsenter --net="/run/netns/$(ns "$1")" unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/openvpn && cd "/etc/openvpn/$2" &&
		exec openvpn --suppress-timestamps --config "$3"' sh "$2" "$3" "$4" >"$5" 2>&1 &
	at_exit "kill $! 2>/dev/null"
}
# wait_addr NS DEV ADDRESS LOG: bounded wait (VPN_WAIT_S, 40 s) for a
# tunnel's address; shows the end of LOG when it does not come.
wait_addr() {
	local wait_s=${VPN_WAIT_S:-40}
	for _ in $(seq $((wait_s * 5))); do
		in_ns "$1" ip -4 -o addr show dev "$2" 2>/dev/null | grep -q " $3/" && return 0
		sleep 0.2
	done
	echo "--- no $3 on $2 in $1 after ${wait_s}s; the end of $4:"
	tail -15 "$4"
	return 1
}
# same_text NAME EXPECTED_FILE ACTUAL_FILE: passes when equal, shows the diff.
same_text() {
	if diff -u "$2" "$3" >"$TMP/diff" 2>&1; then ok "$1"; else not_ok "$1"; head -40 "$TMP/diff"; fi
}
# skip_or_fail NAME WHY: a test that cannot run here. In CI it must run.
cannot_run() {
	if [ "${CI:-}" = true ]; then not_ok "$1: cannot run in CI: $2"; else echo "skip: $SUITE: $1: $2"; fi
}
# need WHAT WHY CMD...: unless CMD succeeds, the suite cannot run here; it
# ends now (a failure under CI=true).
need() {
	local what=$1 why=$2
	shift 2
	"$@" && return 0
	cannot_run "$what" "$why"
	finish
	exit
}
finish() {
	echo "$SUITE: $PASSED passed, $FAILED failed"
	[ -n "${RESULTS:-}" ] && echo "$PASSED $FAILED" >>"$RESULTS"
	[ "$FAILED" -eq 0 ]
}
