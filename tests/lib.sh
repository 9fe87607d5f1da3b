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
# reach NS ADDRESS PORT: the name of the listener (tests/.bin/listener)
# there, or what the probe saw; TRIES (10) attempts, while neighbour
# discovery may still hold the first packets.
reach() {
	local got
	for _ in $(seq "${TRIES:-10}"); do
		got=$(in_ns "$1" "$TOP/tests/.bin/probe" "$2" "$3" 1000)
		case $got in *" "*) break ;; esac
		sleep 0.3
	done
	echo "${got%% *}"
}
# bridge_ns NS ADDRESS/PREFIX: br0 in NS, with the address, up.
bridge_ns() {
	in_ns "$1" ip link add br0 type bridge
	in_ns "$1" ip addr add "$2" dev br0
	in_ns "$1" ip link set br0 up
}
# server_address NS: the VPN server's address the clients connect to
# (vpn.server 203.0.113.1), on an interface of its own in NS.
server_address() {
	in_ns "$1" ip link add vpn0 type veth peer name vpn0-peer
	in_ns "$1" ip addr add 203.0.113.1/32 dev vpn0
	in_ns "$1" ip link set vpn0 up
	in_ns "$1" ip link set vpn0-peer up
}
# wg_mounts NAME...: wireguard-go's control socket is /run/wireguard/
# IFACE.sock, one path for every network namespace: each NAME gets a
# mount namespace of its own (kept in $TMP/mnt) with its own
# /run/wireguard. in_wg NAME CMD runs CMD in NAME's network and mount
# namespaces. wireguard-go runs on Linux only when told that there is no
# kernel module.
export WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
wg_mounts() {
	local mnt=$TMP/mnt n
	mkdir -p "$mnt" /run/wireguard
	mount --bind "$mnt" "$mnt" && mount --make-private "$mnt"
	at_exit "umount -l '$mnt'"
	for n in "$@"; do
		touch "$mnt/$n"
		unshare --mount="$mnt/$n" --propagation private mount -t tmpfs tmpfs /run/wireguard
		at_exit "umount '$mnt/$n'"
	done
}
in_wg() { local n=$1; shift; nsenter --mount="$TMP/mnt/$n" --net="/run/netns/$(ns "$n")" "$@"; }
# kill_in NS: ends the processes this suite runs in namespace NS.
kill_in() {
	local p
	for p in $(ip netns pids "$(ns "$1")" 2>/dev/null); do kill "$p" 2>/dev/null; done
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
