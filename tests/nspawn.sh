#!/usr/bin/env bash
# The container units with the real thing: Debian's systemd-nspawn runs a
# minimal root with the generated .nspawn file in place, inside a network
# namespace of ours; the host side must be named exactly as the profile says
# and the container must see only lo and its interface.
. "$(dirname "$0")/lib.sh"

need systemd-nspawn "needs root" test "$(id -u)" -eq 0
need systemd-nspawn "systemd-container is not installed" command -v systemd-nspawn >/dev/null

ROOT=$TMP/root
mkdir -p "$ROOT"/{usr,etc,proc,sys,dev,tmp,run,var}
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$ROOT/$l"; done
touch "$ROOT/etc/os-release"

# interface names, one per line, from `ip -o link` output
names() { awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' "$1" | sort | tr '\n' ' '; }

# run_container CASE MACHINE [nspawn options]: starts the container in a
# fresh namespace and records both sides' interfaces in $TMP/CASE.{host,ct}.
run_container() {
	local case=$1 machine=$2 ns=scout-nspawn-$$-$1
	shift 2
	local settings=$TMP/$case.etc-systemd
	ip netns add "$ns"
	at_exit "ip netns del $ns 2>/dev/null"
	[ -e "/run/systemd/nspawn/propagate/$machine" ] ||
		at_exit "rm -rf /run/systemd/nspawn/propagate/$machine"
	# A private mount namespace shows nspawn our copy of /etc/systemd with
	# the generated file in nspawn/; the host's /etc is never touched.
	# nsenter, not `ip netns exec`, which remounts /sys and trips
	# nspawn's cgroup check.
	nsenter --net="/run/netns/$ns" unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/systemd && shift && exec "$@"' sh "$settings" \
		systemd-nspawn --register=no --keep-unit -q -D "$ROOT" -M "$machine" \
		--bind-ro=/usr "$@" /bin/sh -c 'ip -o link; sleep 1' >"$TMP/$case.ct" 2>"$TMP/$case.err" &
	local pid=$!
	at_exit "kill $pid 2>/dev/null"
	# Wait (bounded) for the container to start, then read the host side.
	for _ in $(seq 50); do
		[ -s "$TMP/$case.ct" ] && break
		sleep 0.1
	done
	ip -n "$ns" -o link >"$TMP/$case.host"
	wait "$pid" || { echo "systemd-nspawn failed:"; cat "$TMP/$case.err"; }
}

# nspawn_case NAME PROFILE_TEXT MACHINE HOST_IF CT_IF
nspawn_case() {
	local case=$1 machine=$3 host_if=$4 ct_if=$5
	mkdir -p "$TMP/$case"
	printf '%s' "$2" >"$TMP/$case/network.yaml"
	"$GEN" build -q -c "$TMP/$case/network.yaml" -o "$TMP/$case" -t "$TOP/templates" -r /nonexistent 2>/dev/null
	cp -a /etc/systemd "$TMP/$case.etc-systemd"
	mkdir -p "$TMP/$case.etc-systemd/nspawn"
	tar -xzf "$TMP/$case/overlay.tar.gz" -O "etc/systemd/nspawn/$machine.nspawn" \
		>"$TMP/$case.etc-systemd/nspawn/$machine.nspawn"
	# The network options of systemd-nspawn@.service: --network-veth asks
	# for the default pair, which VirtualEthernet=no must turn off.
	run_container "$case" "$machine" --network-veth --settings=override
	check "$case: host side is exactly lo and $host_if (got: $(names "$TMP/$case.host"))" \
		test "$(names "$TMP/$case.host")" = "$(printf '%s\n' lo "$host_if" | sort | tr '\n' ' ')"
	check "$case: container sees exactly lo and $ct_if (got: $(names "$TMP/$case.ct"))" \
		test "$(names "$TMP/$case.ct")" = "$(printf '%s\n' lo "$ct_if" | sort | tr '\n' ' ')"
}

nspawn_case default $'vpn:\n  server: vpn.example.org\n' container ve-container eth0
nspawn_case custom "vpn:
  server: vpn.example.org
container:
  name: scout-t$$
  host_interface: vt$$
  interface: uplink0
" "scout-t$$" "vt$$" uplink0

# Without the settings file, the unit's --network-veth gives nspawn's own
# pair (host0 inside): the checks above are about what the generated file
# does, not about nspawn's defaults.
cp -a "$TMP/default.etc-systemd" "$TMP/nosettings.etc-systemd"
run_container nosettings container --network-veth --settings=no
check "without the .nspawn file the container gets host0, not eth0 (got: $(names "$TMP/nosettings.ct"))" \
	test "$(names "$TMP/nosettings.ct")" = "host0 lo "

finish
