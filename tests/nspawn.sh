#!/usr/bin/env bash
# The container units with the real thing: Debian's systemd-nspawn finds
# the machine by its name, as systemd-nspawn@NAME.service does
# (--machine=NAME, no --directory), in an image root made of the generated
# overlay, with the generated .nspawn file in place, inside a network
# namespace of ours. The container must be the root the overlay filled,
# the host side must be named exactly as the profile says and the container
# must see only lo and its interface.
. "$(dirname "$0")/lib.sh"

need systemd-nspawn "needs root" test "$(id -u)" -eq 0
need systemd-nspawn "systemd-container is not installed" command -v systemd-nspawn >/dev/null

# make_root DIR: a minimal root around what DIR holds; the host's /usr is
# bound in when it runs.
make_root() {
	mkdir -p "$1"/{usr,etc,proc,sys,dev,tmp,run,var}
	for l in bin lib lib64 sbin; do ln -sfn "usr/$l" "$1/$l"; done
	touch "$1/etc/os-release"
}

# container_root OVERLAY: where the overlay put the container's files: the
# directory of the one etc/resolv.conf it holds (the host's is resolved's).
container_root() { tar -tzf "$1" | sed -n 's|^\(.*\)/etc/resolv\.conf$|/\1|p'; }

# interface names, one per line, from the `ip -o link` lines of a file
names() { awk -F': ' '/^[0-9]+: / { sub(/@.*/, "", $2); print $2 }' "$1" | sort | tr '\n' ' '; }

# run_container CASE MACHINE [nspawn options]: starts machine MACHINE of
# the image root $TMP/CASE.image in a fresh namespace and records both
# sides' interfaces (and the container's /etc/resolv.conf) in
# $TMP/CASE.{host,ct}.
run_container() {
	local case=$1 machine=$2 ns=scout-nspawn-$$-$1
	shift 2
	local settings=$TMP/$case.etc-systemd machines=$TMP/$case.image/var/lib/machines
	ip netns add "$ns"
	at_exit "ip netns del $ns 2>/dev/null"
	[ -e "/run/systemd/nspawn/propagate/$machine" ] ||
		at_exit "rm -rf /run/systemd/nspawn/propagate/$machine"
	# A private mount namespace shows nspawn our copy of /etc/systemd with
	# the generated file in nspawn/, and the image's var/lib/machines as
	# /var/lib/machines; the host's are never touched. nsenter, not `ip
	# netns exec`, which remounts /sys and trips nspawn's cgroup check.
	nsenter --net="/run/netns/$ns" unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/systemd && mount --bind "$2" /var/lib/machines &&
		shift 2 && exec "$@"' sh "$settings" "$machines" \
		systemd-nspawn --register=no --keep-unit -q --machine="$machine" \
		--bind-ro=/usr "$@" /bin/sh -c 'ip -o link; cat /etc/resolv.conf; sleep 1' \
		>"$TMP/$case.ct" 2>"$TMP/$case.err" &
	local pid=$!
	at_exit "kill $pid 2>/dev/null"
	# Wait (bounded) for the container to start or nspawn to fail, then
	# read the host side.
	for _ in $(seq 50); do
		if [ -s "$TMP/$case.ct" ] || ! kill -0 "$pid" 2>/dev/null; then break; fi
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
	# The image root: the overlay unpacked as ./build.sh image unpacks it,
	# and a root for the machine wherever the overlay put the container's
	# files (only /var/lib/machines/NAME is found by the name).
	mkdir -p "$TMP/$case.image/var/lib/machines"
	tar --numeric-owner -xpzf "$TMP/$case/overlay.tar.gz" -C "$TMP/$case.image"
	make_root "$TMP/$case.image$(container_root "$TMP/$case/overlay.tar.gz")"
	# The network options of systemd-nspawn@.service: --network-veth asks
	# for the default pair, which VirtualEthernet=no must turn off.
	run_container "$case" "$machine" --network-veth --settings=override
	check "$case: host side is exactly lo and $host_if (got: $(names "$TMP/$case.host"))" \
		test "$(names "$TMP/$case.host")" = "$(printf '%s\n' lo "$host_if" | sort | tr '\n' ' ')"
	check "$case: container sees exactly lo and $ct_if (got: $(names "$TMP/$case.ct"))" \
		test "$(names "$TMP/$case.ct")" = "$(printf '%s\n' lo "$ct_if" | sort | tr '\n' ' ')"
	check "$case: the machine nspawn found by its name is the root the overlay filled" \
		grep -q '^nameserver 1\.1\.1\.1' "$TMP/$case.ct"
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
cp -a "$TMP/default.image" "$TMP/nosettings.image"
run_container nosettings container --network-veth --settings=no
check "without the .nspawn file the container gets host0, not eth0 (got: $(names "$TMP/nosettings.ct"))" \
	test "$(names "$TMP/nosettings.ct")" = "host0 lo "

# Why container.root must be /var/lib/machines/NAME: by its name, as the
# unit runs it, nspawn finds no root anywhere else (here the default case's,
# moved to /srv).
cp -a "$TMP/default.etc-systemd" "$TMP/elsewhere.etc-systemd"
cp -a "$TMP/default.image" "$TMP/elsewhere.image"
mkdir -p "$TMP/elsewhere.image/srv"
mv "$TMP/elsewhere.image/var/lib/machines/container" "$TMP/elsewhere.image/srv/"
run_container elsewhere container --network-veth --settings=override >/dev/null
check "a root outside /var/lib/machines is not found by the machine's name" \
	grep -q 'No image for machine' "$TMP/elsewhere.err"

finish
